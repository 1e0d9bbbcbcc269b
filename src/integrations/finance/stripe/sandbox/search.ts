/**
 * The part of Stripe's search query language the sandbox understands, for customers: clauses joined by `AND`, each
 * `field:'value'` (or "value") on email, name or phone, or `metadata['key']:'value'`. As in Stripe, `:` is an exact
 * match that ignores case for the text fields and respects it for metadata; quotes inside a value are escaped with
 * a backslash. Anything else is refused as Stripe refuses an invalid query, so a new use fails loudly here first.
 */

export class SearchQueryError extends Error {}

type Clause = { field: 'email' | 'name' | 'phone'; value: string } | { field: 'metadata'; key: string; value: string };

const STRING = String.raw`(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")`;
const CLAUSE = new RegExp(String.raw`^\s*(?:(email|name|phone)|metadata\[${STRING}\])\s*:\s*${STRING}\s*$`);

const unquote = (s: string) => s.replace(/\\(.)/g, '$1');

function parseClause(text: string): Clause {
  const m = CLAUSE.exec(text);
  if (!m) throw new SearchQueryError(`Invalid search query clause: ${text.trim()}`);
  const value = unquote(m[4] ?? m[5] ?? '');
  if (m[1]) return { field: m[1] as 'email' | 'name' | 'phone', value };
  return { field: 'metadata', key: unquote(m[2] ?? m[3] ?? ''), value };
}

function splitAnd(query: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < query.length; i++) {
    const ch = query[i] as string;
    if (quote && ch === '\\') {
      current += ch + (query[i + 1] ?? '');
      i++;
      continue;
    }
    if (quote ? ch === quote : ch === "'" || ch === '"') quote = quote ? null : ch;
    if (!quote && query.startsWith(' AND ', i)) {
      parts.push(current);
      current = '';
      i += 4;
      continue;
    }
    if (!quote && query.startsWith(' OR ', i)) throw new SearchQueryError('The sandbox search supports AND only');
    current += ch;
  }
  parts.push(current);
  return parts;
}

interface Searchable {
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  metadata?: Record<string, string> | null;
}

/**
 * Compiles a customer search query into a predicate.
 * @example compileCustomerSearch("metadata['rh_external_ref']:'hs-1'")({ metadata: { rh_external_ref: 'hs-1' } }) // true
 */
export function compileCustomerSearch(query: string): (c: Searchable) => boolean {
  const clauses = splitAnd(query).map(parseClause);
  return (c) =>
    clauses.every((cl) =>
      cl.field === 'metadata'
        ? c.metadata?.[cl.key] === cl.value
        : (c[cl.field] ?? '').toLowerCase() === cl.value.toLowerCase(),
    );
}
