// Requests for every operation of the OpenAPI document the worker serves: path ids of existing rows (ours,
// another company's, junk), query and header parameters, bodies from the schema and mutations of them, and every
// kind of caller (API key, staff session with and without our Origin, nobody). A request is plain data; ids are
// picked from the pools when it is sent (api-world.ts), so the same seed sends the same requests.
import fc from 'fast-check';
import { type Hints, type JsonSchema, resolve, type SchemaDoc, valueFor } from './json-schema';
import { brokenJson, hostileString, hostileValue, mutate, mutation } from './mutations';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationDoc {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, unknown>;
}

export interface OpenApiDoc extends SchemaDoc {
  paths: Record<string, Record<string, OperationDoc>>;
}

export interface Operation {
  id: string;
  method: string;
  /** As documented: `/api/v1/people/{id}`. */
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
  /** Documented response statuses. */
  responses: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({
        id: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
        responses: Object.keys(op.responses ?? {}),
      })),
  );
}

/** Which pool of ids a path parameter draws from: the collection its path names (`people`, `templates`...). */
export function poolOf(path: string, param: string): string {
  const segments = path.split('/');
  const before = segments[segments.indexOf(`{${param}}`) - 1] ?? param;
  return before === 'conversations' ? 'people' : before;
}

/** A path parameter: a row of ours or another company's (by index into its pool, at send time), or any text. */
export type ParamValue =
  | { kind: 'ours' | 'theirs' | 'other_pool'; index: number }
  | { kind: 'text'; value: string; encode: boolean };

export type Caller =
  | 'api_key'
  | 'session'
  | 'none'
  | 'wrong_key'
  | 'session_without_origin'
  | 'session_foreign_origin'
  | 'key_and_session';

export interface FuzzRequest {
  operation: string;
  method: string;
  path: string;
  params: Record<string, ParamValue>;
  query: [string, string][];
  headers: Record<string, string>;
  caller: Caller;
  /** Raw body text; undefined sends none. */
  body?: string;
  contentType?: string;
}

const malformedEscapes = fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '.', '%2F', '%00', '+', '%20');

function paramValue(doc: SchemaDoc, p: Parameter): fc.Arbitrary<ParamValue> {
  const schemaText = valueFor(doc, p.schema ?? { type: 'string' }).map((v) => String(v));
  return fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('ours' as const), index: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('theirs' as const), index: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('other_pool' as const), index: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('text' as const),
        value: fc.oneof(schemaText, hostileString),
        encode: fc.constant(true),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('text' as const), value: malformedEscapes, encode: fc.constant(false) }),
    },
  );
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function queryOf(doc: SchemaDoc, params: Parameter[]): fc.Arbitrary<[string, string][]> {
  const one = (p: Parameter) =>
    fc.oneof(
      { weight: 5, arbitrary: fc.constant([] as [string, string][]) },
      {
        weight: 4,
        arbitrary: valueFor(doc, p.schema ?? { type: 'string' }).map((v): [string, string][] => [[p.name, text(v)]]),
      },
      {
        weight: 2,
        arbitrary: fc
          .array(fc.oneof(hostileString, fc.constantFrom('0', '-1', '1.5', '99999999999', 'true', 'NaN')), {
            minLength: 1,
            maxLength: 2,
          })
          .map((vs) => vs.map((v): [string, string] => [p.name, v])),
      },
    );
  const extra = fc.oneof(
    { weight: 6, arbitrary: fc.constant([] as [string, string][]) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('company_id', 'x', '__proto__', 'per_page[]'), hostileString)
        .map((kv): [string, string][] => [kv]),
    },
  );
  return fc.tuple(...params.map(one), extra).map((parts) => parts.flat());
}

const jsonType = 'application/json';
const otherTypes = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/jsonx',
);

function bodyOf(
  doc: SchemaDoc,
  schema: JsonSchema | null,
  hints: Hints,
): fc.Arbitrary<{ body?: string; contentType?: string }> {
  const asJson = (v: unknown) => (v === undefined ? {} : { body: JSON.stringify(v), contentType: jsonType });
  const stray = fc.oneof(
    { weight: 8, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: hostileValue.map(asJson) },
    { weight: 1, arbitrary: brokenJson.map((body) => ({ body, contentType: jsonType })) },
  );
  if (!schema) return stray;
  const good = valueFor(doc, resolve(doc, schema), 0, hints);
  return fc.oneof(
    { weight: 6, arbitrary: good.map(asJson) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(good, fc.array(mutation, { minLength: 1, maxLength: 3 }))
        .map(([v, ms]) => asJson(ms.reduce<unknown>((acc, m) => mutate(acc, m), v))),
    },
    { weight: 1, arbitrary: brokenJson.map((body) => ({ body, contentType: jsonType })) },
    { weight: 1, arbitrary: hostileValue.map(asJson) },
    { weight: 1, arbitrary: fc.tuple(good, otherTypes).map(([v, contentType]) => ({ body: text(v), contentType })) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

const caller: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('api_key' as const) },
  { weight: 12, arbitrary: fc.constant('session' as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Caller>(
      'none',
      'wrong_key',
      'session_without_origin',
      'session_foreign_origin',
      'key_and_session',
    ),
  },
);

function headersOf(doc: SchemaDoc, params: Parameter[]): fc.Arbitrary<Record<string, string>> {
  const declared = params.filter((p) => p.in === 'header');
  return fc
    .tuple(
      ...declared.map((p) =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: fc.oneof(fc.uuid(), valueFor(doc, p.schema ?? { type: 'string' }).map(text)) },
          { weight: 1, arbitrary: hostileString },
        ),
      ),
    )
    .map((values) => {
      const headers: Record<string, string> = {};
      values.forEach((v, i) => {
        const name = declared[i]?.name;
        // A header value cannot hold control characters or lone surrogates: fetch() itself refuses those.
        if (name && v !== undefined) headers[name] = v.replace(/[^\x20-\x7e]/g, '?');
      });
      return headers;
    });
}

/** Requests for one operation; now and then with another method on the same path. */
export function requestsFor(doc: SchemaDoc, op: Operation, hints: Hints): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const params = fc
    .tuple(...pathParams.map((p) => paramValue(doc, p)))
    .map((values) => Object.fromEntries(values.map((v, i) => [pathParams[i]?.name ?? '', v])));
  const method = fc.oneof(
    { weight: 30, arbitrary: fc.constant(op.method) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
  );
  return fc
    .record({
      method,
      params,
      query: queryOf(
        doc,
        op.parameters.filter((p) => p.in === 'query'),
      ),
      headers: headersOf(doc, op.parameters),
      caller,
      body: bodyOf(doc, op.body, hints),
    })
    .map(({ body, ...r }) => ({ operation: op.id, path: op.path, ...r, ...body }));
}

/** Operations that end a row's useful life (a delete, an opt-out, an erasure): rarer, so the rows others need last. */
const ending = (op: Operation) => op.method === 'DELETE' || /\/(opt-out|erase)$/.test(op.path);

/** Every send goes through this one: it gets three times the others' share. */
const SEND = '/api/v1/people/{id}/whatsapp/messages';

/** One request for any operation of the document. */
export function anyRequest(doc: OpenApiDoc, operations: Operation[], hints: Hints): fc.Arbitrary<FuzzRequest> {
  const weight = (op: Operation) => (ending(op) ? 1 : op.path === SEND ? 15 : 5);
  return fc.oneof(...operations.map((op) => ({ weight: weight(op), arbitrary: requestsFor(doc, op, hints) })));
}
