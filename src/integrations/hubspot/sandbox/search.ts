import type { SandboxRecord } from './state.js';

/**
 * HubSpot's CRM search (`POST /crm/v3/objects/{type}/search`) over the sandbox's records, as HubSpot documents it:
 * filter groups OR-ed, filters inside a group AND-ed (at most 5 groups of 6 filters, 18 filters in all), sorts by
 * one property (`[{ propertyName, direction }]`, or the string form `"prop"` / `"-prop"` the OpenAPI spec types),
 * at most 200 results a page, an offset cursor in `after`, and no paging beyond the 10,000th result — which is why
 * a caller that must read everything pages by `hs_object_id > last id` instead of by `after`.
 */

export class SearchRequestError extends Error {}

/** HubSpot refuses to page past this many results of one query. */
export const SEARCH_RESULT_CAP = 10_000;
export const SEARCH_PAGE_MAX = 200;

type Json = Record<string, unknown>;

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
  highValue?: string;
}

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function matches(record: SandboxRecord, f: Filter): boolean {
  const raw = record.properties[f.propertyName];
  const v = raw === undefined || raw === '' ? null : raw;
  const lower = (s: string) => s.toLowerCase();
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return v !== null;
    case 'NOT_HAS_PROPERTY':
      return v === null;
    case 'EQ':
      return v !== null && lower(v) === lower(f.value ?? '');
    case 'NEQ':
      return v === null || lower(v) !== lower(f.value ?? '');
    case 'IN':
      return v !== null && (f.values ?? []).some((x) => lower(x) === lower(v));
    case 'NOT_IN':
      return v === null || !(f.values ?? []).some((x) => lower(x) === lower(v));
    case 'LT':
      return v !== null && compare(v, f.value ?? '') < 0;
    case 'LTE':
      return v !== null && compare(v, f.value ?? '') <= 0;
    case 'GT':
      return v !== null && compare(v, f.value ?? '') > 0;
    case 'GTE':
      return v !== null && compare(v, f.value ?? '') >= 0;
    case 'BETWEEN':
      return v !== null && compare(v, f.value ?? '') >= 0 && compare(v, f.highValue ?? '') <= 0;
    case 'CONTAINS_TOKEN':
      return v !== null && lower(v).includes(lower(f.value ?? '').replace(/\*/g, ''));
    case 'NOT_CONTAINS_TOKEN':
      return v === null || !lower(v).includes(lower(f.value ?? '').replace(/\*/g, ''));
    default:
      return false;
  }
}

function filtersOf(body: Json): Filter[][] {
  const groups = body.filterGroups ?? [];
  if (!Array.isArray(groups)) throw new SearchRequestError('filterGroups must be a list');
  if (groups.length > 5) throw new SearchRequestError('At most 5 filterGroups are allowed');
  const out: Filter[][] = [];
  let total = 0;
  for (const g of groups as Json[]) {
    const filters = (g as Json)?.filters;
    if (!Array.isArray(filters)) throw new SearchRequestError('every filter group needs a `filters` list');
    if (filters.length > 6) throw new SearchRequestError('At most 6 filters are allowed in a filter group');
    total += filters.length;
    out.push(
      filters.map((raw) => {
        const f = raw as Json;
        if (typeof f.propertyName !== 'string' || typeof f.operator !== 'string' || !OPERATORS.has(f.operator)) {
          throw new SearchRequestError(`filter ${JSON.stringify(f)} needs a propertyName and a known operator`);
        }
        return {
          propertyName: f.propertyName,
          operator: f.operator,
          ...(f.value !== undefined ? { value: String(f.value) } : {}),
          ...(Array.isArray(f.values) ? { values: (f.values as unknown[]).map(String) } : {}),
          ...(f.highValue !== undefined ? { highValue: String(f.highValue) } : {}),
        };
      }),
    );
  }
  if (total > 18) throw new SearchRequestError('At most 18 filters are allowed across all filter groups');
  return out;
}

function sortOf(body: Json): { propertyName: string; descending: boolean } | null {
  const sorts = body.sorts ?? [];
  if (!Array.isArray(sorts)) throw new SearchRequestError('sorts must be a list');
  const first = sorts[0] as unknown;
  if (first === undefined) return null;
  if (typeof first === 'string') {
    return first.startsWith('-')
      ? { propertyName: first.slice(1), descending: true }
      : { propertyName: first, descending: false };
  }
  const s = first as Json;
  if (typeof s.propertyName !== 'string') throw new SearchRequestError('a sort needs a propertyName');
  return { propertyName: s.propertyName, descending: s.direction === 'DESCENDING' };
}

/**
 * One page of a search: the matching records in order, the total number of matches, and the next `after`.
 * @example searchRecords(deals, { filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ', value: 'closedwon' }] }], limit: 10 })
 */
export function searchRecords(
  records: Iterable<SandboxRecord>,
  body: Json,
): { total: number; results: SandboxRecord[]; after: string | null } {
  const groups = filtersOf(body);
  const sort = sortOf(body);
  const limit = body.limit === undefined ? 10 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_PAGE_MAX) {
    throw new SearchRequestError(`limit must be a whole number from 0 to ${SEARCH_PAGE_MAX}`);
  }
  const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(offset) || offset < 0) throw new SearchRequestError('after must be a paging cursor');
  if (offset + limit > SEARCH_RESULT_CAP) {
    throw new SearchRequestError(`Search can page through at most ${SEARCH_RESULT_CAP} results`);
  }
  const found = [...records].filter(
    (r) => !r.archived && (groups.length === 0 || groups.some((g) => g.every((f) => matches(r, f)))),
  );
  const by = sort ?? { propertyName: 'hs_object_id', descending: false };
  found.sort((a, b) => {
    const x = a.properties[by.propertyName] ?? '';
    const y = b.properties[by.propertyName] ?? '';
    const c = compare(x, y) || compare(a.id, b.id);
    return by.descending ? -c : c;
  });
  const results = found.slice(offset, offset + limit);
  const next = offset + limit;
  return { total: found.length, results, after: next < found.length ? String(next) : null };
}

/**
 * Whether a search body needs more than equality lookups: an operator other than EQ, a sort, or a paging cursor.
 * @example isRangedSearch({ filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: '7' }] }] }) // true
 */
export function isRangedSearch(body: Json): boolean {
  const groups = Array.isArray(body.filterGroups) ? (body.filterGroups as Json[]) : [];
  const operators = groups.flatMap((g) =>
    Array.isArray(g?.filters) ? (g.filters as Json[]).map((f) => String(f?.operator ?? '')) : [],
  );
  return (
    operators.some((o) => o !== 'EQ') ||
    (Array.isArray(body.sorts) && body.sorts.length > 0) ||
    (body.after !== undefined && body.after !== '')
  );
}
