/**
 * The part of Xero's `where` filter language the sandbox understands: clauses joined by `AND` / `&&`, each
 * `Path == value`, `Path != value`, `Path.ToLower() == "text"`, `Path.Contains("text")` or `Path.StartsWith("text")`,
 * where a value is a "string", null, true, false, a number or guid("…"). String comparison ignores case, as Xero's
 * does (its filters run against a case-insensitive store). Anything else is refused with Xero's
 * QueryParseException, so an adapter that starts relying on more of the language fails loudly here first.
 */

export class WhereParseError extends Error {}

type Value = string | number | boolean | null;
// `.ToLower()` needs no flag of its own: string equality already ignores case.
type Clause =
  | { path: string[]; op: '==' | '!='; value: Value }
  | { path: string[]; op: 'contains' | 'startsWith'; value: string };

const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
const CLAUSE = new RegExp(
  String.raw`^\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)` +
    String.raw`(?:(\.ToLower\(\))?\s*(==|!=)\s*(?:${STRING}|(null|true|false)|(-?\d+(?:\.\d+)?)|guid\(${STRING}\))` +
    String.raw`|\.(Contains|StartsWith)\(${STRING}\))\s*$`,
);

function unquote(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function parseClause(text: string): Clause {
  const m = CLAUSE.exec(text);
  if (!m) throw new WhereParseError(`Unable to parse the where clause "${text.trim()}"`);
  const path = (m[1] ?? '').split('.');
  if (m[8]) {
    return { path, op: m[8] === 'Contains' ? 'contains' : 'startsWith', value: unquote(m[9] ?? '') };
  }
  let value: Value;
  if (m[4] !== undefined) value = unquote(m[4]);
  else if (m[5] !== undefined) value = m[5] === 'null' ? null : m[5] === 'true';
  else if (m[6] !== undefined) value = Number(m[6]);
  else value = unquote(m[7] ?? '');
  return { path, op: m[3] as '==' | '!=', value };
}

function splitAnd(where: string): string[] {
  // Split on AND / && outside string literals.
  const parts: string[] = [];
  let current = '';
  let inString = false;
  for (let i = 0; i < where.length; i++) {
    const ch = where[i] as string;
    if (ch === '\\' && inString) {
      current += ch + (where[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') inString = !inString;
    if (!inString && where.startsWith('&&', i)) {
      parts.push(current);
      current = '';
      i++;
      continue;
    }
    if (!inString && /^\s+AND\s+/i.test(where.slice(i)) && /\s/.test(ch)) {
      const skip = /^\s+AND\s+/i.exec(where.slice(i))?.[0].length ?? 1;
      parts.push(current);
      current = '';
      i += skip - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function valueAt(record: unknown, path: string[]): unknown {
  let v: unknown = record;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function eq(a: unknown, b: Value): boolean {
  if (b === null) return a === null || a === undefined || a === '';
  if (typeof b === 'string') return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/**
 * Compiles a where filter into a predicate; `fields` lists the paths the entity has (for Xero's "No property" error).
 * @example compileWhere('ContactNumber=="hs-1"', 'Contact', ['ContactNumber'])({ ContactNumber: 'hs-1' }) // true
 */
export function compileWhere(
  where: string,
  entity: string,
  fields: ReadonlyArray<string>,
): (record: unknown) => boolean {
  const clauses = splitAnd(where).map(parseClause);
  for (const c of clauses) {
    const name = c.path.join('.');
    if (!fields.includes(name)) throw new WhereParseError(`No property or field '${name}' exists in type '${entity}'`);
  }
  return (record) =>
    clauses.every((c) => {
      const v = valueAt(record, c.path);
      if (c.op === 'contains') return typeof v === 'string' && v.toLowerCase().includes(c.value.toLowerCase());
      if (c.op === 'startsWith') return typeof v === 'string' && v.toLowerCase().startsWith(c.value.toLowerCase());
      const match = eq(v, c.value);
      return c.op === '==' ? match : !match;
    });
}
