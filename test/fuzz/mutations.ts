// Hostile JSON: values no client should send, and mutations of a good value (a field dropped, retyped, made huge
// or deep, an extra field). A mutation is plain data applied by `mutate`, so fast-check can print and shrink it.
import fc from 'fast-check';

/** Nested `depth` levels deep (built without recursion). */
export function deep(depth: number, leaf: unknown = 'bottom', array = false): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = array ? [v] : { n: v };
  return v;
}

const weirdStrings = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uFEFF',
  '\u202Eevil',
  'e\u0301',
  '🙂'.repeat(300),
  'null',
  '1e309',
  '-0',
  '../../etc/passwd',
  '%00',
  "'; DROP TABLE people; --",
  '<script>alert(1)</script>',
  '{{1}}',
  '\r\n\t',
  '__proto__',
  'per_0000000000000000000000',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...weirdStrings) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(1_025, 4_097, 70_000, 150_000), fc.constantFrom('x', 'é', '🙂'))
      .map(([n, c]) => c.repeat(n)),
  },
);

const hostileNumber = fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e-300);

/** Anything at all, weighted toward what breaks code: odd strings and numbers, wrong types, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(40, 200, 3_000), fc.boolean())
      .map(([depth, array]) => deep(depth, 'bottom', array)),
  },
);

/** Field names a request must not smuggle in (mass assignment) or that trip careless object handling. */
export const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'company_id',
  'id',
  'role',
  'created_at',
  '',
  'é',
  'x'.repeat(300),
);

export type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number }
  /** A copy beside it, when it is an item of a list (a duplicated entry, change or message). */
  | { kind: 'duplicate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({
    kind: fc.constant('extra' as const),
    at: fc.nat(),
    key: fc.oneof(hostileKey, fc.string({ maxLength: 8 })),
    value: hostileValue,
  }),
  fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

type Path = (string | number)[];

function pathsOf(value: unknown): Path[] {
  const out: Path[] = [];
  const stack: [unknown, Path][] = [[value, []]];
  while (stack.length > 0 && out.length < 200) {
    const next = stack.pop();
    if (!next) break;
    const [node, path] = next;
    out.push(path);
    if (Array.isArray(node))
      node.forEach((child, i) => {
        stack.push([child, [...path, i]]);
      });
    else if (node && typeof node === 'object')
      for (const [k, child] of Object.entries(node)) stack.push([child, [...path, k]]);
  }
  return out;
}

const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** An own, enumerable property even for `__proto__`, so JSON.stringify writes it. */
function put(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value with one mutation applied; `undefined` means "no body at all". */
export function mutate(value: unknown, m: Mutation): unknown {
  const root = clone(value);
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length] ?? [];
  const replacement = (old: unknown): unknown => {
    if (m.kind === 'replace') return m.value;
    if (m.kind === 'duplicate') return old;
    if (m.kind === 'wrap') return [old];
    if (m.kind === 'extra' && old && typeof old === 'object' && !Array.isArray(old)) {
      put(old, m.key, m.value);
      return old;
    }
    return m.kind === 'extra' ? { [m.key]: m.value, value: old } : undefined;
  };
  if (path.length === 0) return replacement(root);
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, unknown>;
  if (m.kind === 'duplicate') {
    if (Array.isArray(container) && typeof last === 'number') container.splice(last, 0, clone(container[last]));
    return root;
  }
  const next = replacement(container[last]);
  if (next === undefined) {
    if (Array.isArray(container) && typeof last === 'number') container.splice(last, 1);
    else delete container[last];
  } else put(container, last, next);
  return root;
}

/** Request bodies that are not JSON, or not what a JSON parser expects. */
export const brokenJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    'nul',
    'NaN',
    '{"a":1,}',
    '{"a":1}{"b":2}',
    '\uFEFF{}',
    '"unterminated',
    '{"a":"\\ud800"}',
    '{"a":"\\u00"}',
    '\u0000',
    ' ',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
