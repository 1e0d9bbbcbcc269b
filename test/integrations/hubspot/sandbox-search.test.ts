import { describe, expect, it } from '@jest/globals';
import { isRangedSearch, SearchRequestError, searchRecords } from '../../../src/integrations/hubspot/sandbox/search.js';
import type { SandboxRecord } from '../../../src/integrations/hubspot/sandbox/state.js';

const record = (id: number, properties: Record<string, string>): SandboxRecord => ({
  id: String(id),
  properties: { hs_object_id: String(id), ...properties },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  archived: false,
});

const deals = [
  record(1010, { dealstage: 'closedwon' }),
  record(999, { dealstage: 'closedwon' }),
  record(1005, { dealstage: 'contractsent' }),
  record(1020, { dealstage: 'CLOSEDWON' }),
  { ...record(1030, { dealstage: 'closedwon' }), archived: true },
];

const won = (extra: Array<Record<string, unknown>> = []) => ({
  filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'IN', values: ['closedwon'] }, ...extra] }],
});

describe('HubSpot sandbox search', () => {
  it('pages won deals by id: IN on the stage (case-insensitive), GT on hs_object_id compared as numbers', () => {
    const first = searchRecords(deals, {
      ...won(),
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      limit: 2,
    });
    expect(first.results.map((r) => r.id)).toEqual(['999', '1010']);
    expect(first.total).toBe(3);
    const next = searchRecords(deals, {
      ...won([{ propertyName: 'hs_object_id', operator: 'GT', value: '1010' }]),
      sorts: ['hs_object_id'],
      limit: 2,
    });
    expect(next.results.map((r) => r.id)).toEqual(['1020']);
    expect(next.total).toBe(1);
    expect(next.after).toBeNull();
  });

  it('sorts descending with the string form and pages with after', () => {
    const page = searchRecords(deals, { ...won(), sorts: ['-hs_object_id'], limit: 1, after: '1' });
    expect(page.results.map((r) => r.id)).toEqual(['1010']);
    expect(page.after).toBe('2');
  });

  it('refuses what HubSpot refuses: more than 200 a page, paging beyond 10,000 results, unknown operators', () => {
    expect(() => searchRecords(deals, { ...won(), limit: 201 })).toThrow(SearchRequestError);
    expect(() => searchRecords(deals, { ...won(), limit: 100, after: '9950' })).toThrow(/at most 10000 results/);
    expect(() =>
      searchRecords(deals, { filterGroups: [{ filters: [{ propertyName: 'x', operator: 'LIKE', value: '1' }] }] }),
    ).toThrow(SearchRequestError);
  });

  it('leaves plain equality lookups to the EQ route', () => {
    expect(isRangedSearch({ filterGroups: [{ filters: [{ propertyName: 'a', operator: 'EQ', value: '1' }] }] })).toBe(
      false,
    );
    expect(isRangedSearch(won())).toBe(true);
    expect(isRangedSearch({ sorts: ['createdate'] })).toBe(true);
  });
});
