import fc from 'fast-check';

/**
 * Generators of hostile request parts for the route fuzzer: bodies as TEXT (so that deep nesting, numbers JSON
 * cannot round-trip and keys like `__proto__` reach the server exactly as written), query strings and headers.
 */

export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
  'valueOf',
] as const;

/** Strings that have broken parsers, databases, logs and pages before. */
export const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u202d',
  '\ufeff',
  '%00',
  '%',
  '%E0%A4%A',
  '<script>alert("x")</script>',
  '<img src=x onerror=alert(1)>',
  "'; DROP TABLE handoffs; --",
  '$' + '{jndi:ldap://x}',
  '{{7*7}}',
  '../../../etc/passwd',
  '\r\nSet-Cookie: x=1',
  'NaN',
  '-0',
  '1e400',
  ' ',
  '',
  'null',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => '\u{1F600}'.repeat(n)) },
);

/** Deeply nested arrays or objects, as JSON text (too deep for a recursive JSON.stringify). */
export const deepText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 20, max: 100_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`,
  );

/** Objects whose keys are prototype-pollution vectors, as JSON text. */
export const protoText: fc.Arbitrary<string> = fc.oneof(
  fc.constant('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
  fc
    .array(fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 4 })
    // Object.fromEntries defines own properties, so "__proto__" is written as a key, not as the prototype.
    .map((entries) => JSON.stringify(Object.fromEntries(entries))),
);

/** Numbers JSON can write but JavaScript cannot hold exactly (or at all). */
export const oddNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '9007199254740993',
  '-0',
  '0.1',
  '1e-400',
  '123456789012345678901234567890',
  '-1',
  '2147483648',
);

/** Any value, of any type, as JSON text: what a mutated field is set to. */
export const anyValueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 4, arbitrary: nastyString.map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: deepText },
  { weight: 2, arbitrary: protoText },
  { weight: 2, arbitrary: oddNumberText },
  { weight: 2, arbitrary: fc.constantFrom('null', 'true', 'false', '[]', '{}', '""', '0') },
);

/** Text that is not JSON at all (or JSON with something around it). */
export const notJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('{', '[1,', '{"a":1}garbage', '\u0000', '\ufeff{}', "{'a':1}", '{"a":1,}', 'undefined', '<xml/>'),
);

/** A body far over any route's size limit. */
export const hugeText: fc.Arbitrary<string> = fc
  .constantFrom(1_100_000, 2_200_000)
  .map((n) => `{"x":"${'y'.repeat(n)}"}`);

const MARK = '@@fuzz-7f3a9c@@';
const SENTINEL = JSON.stringify(MARK);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a JSON value (objects and arrays), the root included. */
function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pathsOf(v, [...prefix, i]));
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function setAt(
  root: Json,
  path: Array<string | number>,
  f: (parent: Record<string | number, Json>, key: string | number) => void,
) {
  let cur = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  f(cur, path.at(-1) as string | number);
}

function valueAt(root: Json, path: Array<string | number>): Json {
  let cur = root;
  for (const k of path) cur = (cur as Record<string | number, Json>)[k] as Json;
  return cur;
}

/**
 * A valid input with exactly one thing wrong: one field replaced by any value (of any type, huge, deep, a
 * prototype key…), removed, or a stray key added next to it; or — most often, because it gets furthest — a text
 * field given hostile text of the right type (NUL, lone surrogates, markup, SQL, 300 KB) or a number field an odd
 * number. As JSON text.
 * @example nearValid({ dealId: '1001' }) // e.g. '{"dealId":{"__proto__":{"polluted":"yes"}}}'
 */
export function nearValid(example: Json): fc.Arbitrary<string> {
  const paths = pathsOf(example);
  const typed = (kind: 'string' | 'number') => paths.filter((p) => p.length > 0 && typeof valueAt(example, p) === kind);
  const strings = typed('string');
  const numbers = typed('number');
  const mutate = (
    path: Array<string | number>,
    how: 'replace' | 'remove' | 'extra',
    valueText: string,
    extraKey: string,
  ) => {
    if (path.length === 0) return how === 'remove' ? '' : valueText;
    const copy = structuredClone(example);
    setAt(copy, path, (parent, key) => {
      if (how === 'remove') {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else if (how === 'replace') parent[key] = MARK;
      else if (!Array.isArray(parent))
        Object.defineProperty(parent, extraKey, { value: MARK, enumerable: true, configurable: true, writable: true });
    });
    return JSON.stringify(copy).replace(SENTINEL, () => valueText);
  };
  const anyChange = fc
    .tuple(
      fc.constantFrom(...paths),
      fc.constantFrom('replace' as const, 'remove' as const, 'extra' as const),
      anyValueText,
      fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 })),
    )
    .map(([path, how, valueText, extraKey]) => mutate(path, how, valueText, extraKey));
  const options: Array<{ weight: number; arbitrary: fc.Arbitrary<string> }> = [{ weight: 2, arbitrary: anyChange }];
  if (strings.length > 0) {
    const hostile = fc.oneof(
      nastyString,
      fc.tuple(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 5 })).map(([n, s]) => `${s}${n}${s}`),
    );
    options.push({
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...strings), hostile, fc.boolean())
        .map(([path, text, keep]) =>
          mutate(path, 'replace', JSON.stringify(keep ? `${String(valueAt(example, path))}${text}` : text), ''),
        ),
    });
  }
  if (numbers.length > 0) {
    options.push({
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...numbers), oddNumberText)
        .map(([path, n]) => mutate(path, 'replace', n, '')),
    });
  }
  return fc.oneof(...options);
}

/** A request body; printed shortened when fast-check reports a counterexample (some are megabytes). */
export interface Body {
  text: string;
}

function body(text: string): Body {
  const shown =
    text.length > 300 ? `${JSON.stringify(text.slice(0, 300))}…(${text.length} characters)` : JSON.stringify(text);
  return { text, [fc.toStringMethod]: () => shown } as Body;
}

/** Any body a client could send to a JSON route, weighted towards the interesting ones. */
export function bodyText(example: Json): fc.Arbitrary<Body> {
  return fc
    .oneof(
      { weight: 6, arbitrary: nearValid(example) },
      { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
      { weight: 2, arbitrary: anyValueText },
      { weight: 1, arbitrary: notJsonText },
      { weight: 1, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: deepText },
      { weight: 1, arbitrary: hugeText },
    )
    .map(body);
}

/** Headers a client may add: content types and encodings the routes do not expect, and noise. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/json; charset=nonsense',
      'x/y',
    ),
    'content-encoding': fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'x-unknown'),
    accept: fc.constantFrom('*/*', 'text/html', 'application/json', 'image/png'),
    'x-forwarded-for': fc.constantFrom('127.0.0.1', '10.0.0.1, 8.8.8.8', 'not-an-ip'),
    'x-fuzz': fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
  },
  { requiredKeys: [] },
);

/**
 * A query string of arbitrary keys and values (repeated keys become arrays in express). Kept under 6 KB encoded:
 * longer request lines are refused by Node's HTTP parser (431) before the app sees them.
 */
export function queryText(keys: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...keys), fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })),
        nastyString,
      ),
      { maxLength: 6 },
    )
    .map((pairs) => {
      const q = new URLSearchParams();
      for (const [k, v] of pairs) q.append(k, v);
      let text = q.toString();
      while (text.length > 6_000) {
        const last = [...q.keys()].at(-1) as string;
        const value = q.getAll(last).at(-1) as string;
        q.delete(last, value);
        if (value.length > 1) q.append(last, [...value].slice(0, Math.floor([...value].length / 4)).join(''));
        text = q.toString();
      }
      return text;
    });
}

/** Shortens a string so that its URL encoding stays under `max` characters (see queryText). */
export function forUrl(value: string, max = 2_000): string {
  let chars = [...value];
  const encoded = () => new URLSearchParams({ v: chars.join('') }).toString().length;
  while (encoded() > max) chars = chars.slice(0, Math.floor(chars.length / 2));
  return chars.join('');
}

/** Text that breaks storage (NUL, lone surrogates), pages (markup), logs (bidi) or size assumptions. */
export const HOSTILE_TEXT = ['\u0000', '\ud800', '\udfff!', '<script>alert(1)</script>', '\u202e', 'x'.repeat(300_000)];

/**
 * Every text field of a valid input given each kind of hostile text (appended, so the rest of the value still
 * looks right), plus a NUL and a `__proto__` key beside the fields of each object: a deterministic sweep that the
 * default run always makes, where random sampling would reach a given field only now and then. Large inputs are
 * swept over an evenly spread selection of at most `maxFields` text fields.
 * @example hostileVariants({ dealId: '1001' }).length // 6 texts + 2 keys = 8
 */
export function hostileVariants(example: Json, maxFields = 15): Array<{ label: string; text: string }> {
  const all = pathsOf(example);
  const strings = all.filter((p) => p.length > 0 && typeof valueAt(example, p) === 'string');
  const step = Math.max(1, Math.ceil(strings.length / maxFields));
  const fields = strings.filter((_, i) => i % step === 0);
  const objects = all.filter((p) => {
    const v = valueAt(example, p);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
  const out: Array<{ label: string; text: string }> = [];
  for (const path of fields) {
    for (const hostile of HOSTILE_TEXT) {
      const copy = structuredClone(example);
      setAt(copy, path, (parent, key) => {
        parent[key] = `${String(parent[key])}${hostile}`;
      });
      out.push({ label: `${path.join('.')} + ${JSON.stringify(hostile.slice(0, 30))}`, text: JSON.stringify(copy) });
    }
  }
  for (const path of objects.slice(0, maxFields)) {
    for (const key of ['\u0000', '__proto__']) {
      const copy = structuredClone(example);
      const target = path.length === 0 ? (copy as Record<string, Json>) : (valueAt(copy, path) as Record<string, Json>);
      Object.defineProperty(target, key, { value: 'x', enumerable: true, configurable: true, writable: true });
      out.push({ label: `${path.join('.') || '(root)'} + key ${JSON.stringify(key)}`, text: JSON.stringify(copy) });
    }
  }
  return out;
}
