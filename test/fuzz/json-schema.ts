// Values for a JSON Schema of the OpenAPI document (the subset zod-openapi writes): what a well-behaved client
// would send, drawn by fast-check. The documented `example` is one of the choices, so requests often get past
// validation and reach the service code behind it.
import fc from 'fast-check';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  example?: unknown;
  default?: unknown;
}

/**
 * Values the world knows for a property name (a person's id, a template's name, a valid password...): offered
 * beside the schema's own, so requests get past the checks a schema cannot state. A name in `only` takes its
 * values from there alone (a push endpoint must never be a real push service: the worker would call it).
 */
export interface Hints {
  good: Record<string, fc.Arbitrary<unknown>>;
  only: Record<string, fc.Arbitrary<unknown>>;
}

const NO_HINTS: Hints = { good: {}, only: {} };

export interface SchemaDoc {
  components?: { schemas?: Record<string, JsonSchema> };
}

export function resolve(doc: SchemaDoc, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref && hops < 20; hops++) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${s.$ref}`);
    s = target;
  }
  return s;
}

const date = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringFor(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? 40, 40));
  if (s.format === 'date') return date.map((d) => d.slice(0, 10));
  if (s.format === 'date-time') return date;
  if (s.format === 'email') return fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 254));
  if (s.format === 'uri') return fc.webUrl({ withQueryParameters: true });
  if (s.pattern)
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((v) => v.length >= min && v.length <= (s.maxLength ?? Number.POSITIVE_INFINITY));
  return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
}

function numberFor(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (integer ? -1_000_000 : -1e9);
  const max = s.maximum ?? (integer ? 1_000_000 : 1e9);
  return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function objectFor(doc: SchemaDoc, s: JsonSchema, depth: number, hints: Hints): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const names = Object.keys(props);
  if (names.length === 0) {
    const extra = s.additionalProperties;
    if (extra === false) return fc.constant({});
    const value = typeof extra === 'object' ? valueFor(doc, extra, depth + 1, hints) : fc.jsonValue({ maxDepth: 2 });
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { maxKeys: 3 });
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) {
    const value = valueFor(doc, props[name] ?? {}, depth + 1, hints);
    const good = hints.good[name];
    model[name] =
      hints.only[name] ?? (good ? fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: value }) : value);
  }
  const required = (s.required ?? []).filter((r) => names.includes(r));
  const optional = names.filter((n) => !required.includes(n));
  // Besides any mix of optional fields, the sparse shape "required plus at most one": schemas whose fields
  // exclude each other (`text` or `template`) accept little else.
  const sparse = fc
    .tuple(fc.record(model), fc.subarray(optional, { maxLength: Math.min(1, optional.length) }))
    .map(([all, chosen]) =>
      Object.fromEntries(Object.entries(all).filter(([k]) => !optional.includes(k) || chosen.includes(k))),
    );
  return fc.oneof(
    { weight: 1, arbitrary: fc.record(model, { requiredKeys: required }) },
    { weight: 2, arbitrary: sparse },
  );
}

function merged(doc: SchemaDoc, parts: JsonSchema[]): JsonSchema {
  const out: JsonSchema = {};
  for (const part of parts.map((p) => resolve(doc, p))) {
    Object.assign(out, { ...part, properties: { ...out.properties, ...part.properties } });
    out.required = [...(out.required ?? []), ...(part.required ?? [])];
    // `{ type: ["object", "null"] }` beside a $ref only says the value may also be null.
    if (Array.isArray(part.type) && part.type.includes('null')) out.type = ['object', 'null'];
  }
  return out;
}

/** A value the schema accepts (as far as JSON Schema says: cross-field rules are the service's). */
export function valueFor(doc: SchemaDoc, schema: JsonSchema, depth = 0, hints = NO_HINTS): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (depth > 8) return fc.constant(null);
  const choices: fc.Arbitrary<unknown>[] = [];
  if (s.example !== undefined) choices.push(fc.constant(s.example));
  if (s.allOf) choices.push(valueFor(doc, merged(doc, s.allOf), depth, hints));
  else if (s.anyOf || s.oneOf) choices.push(...(s.anyOf ?? s.oneOf ?? []).map((m) => valueFor(doc, m, depth, hints)));
  else if (s.const !== undefined) choices.push(fc.constant(s.const));
  else if (s.enum) choices.push(fc.constantFrom(...s.enum));
  else {
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    for (const type of types) {
      if (type === 'string') choices.push(stringFor(s));
      else if (type === 'integer' || type === 'number') choices.push(numberFor(s, type === 'integer'));
      else if (type === 'boolean') choices.push(fc.boolean());
      else if (type === 'null') choices.push(fc.constant(null));
      else if (type === 'array')
        choices.push(
          fc.array(valueFor(doc, s.items ?? {}, depth + 1, hints), {
            minLength: s.minItems ?? 0,
            maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 4)),
          }),
        );
      else if (type === 'object') choices.push(objectFor(doc, s, depth, hints));
    }
    if (types.length === 0)
      choices.push(s.properties ? objectFor(doc, s, depth, hints) : fc.jsonValue({ maxDepth: 2 }));
  }
  return choices.length === 1 && choices[0] ? choices[0] : fc.oneof(...choices);
}
