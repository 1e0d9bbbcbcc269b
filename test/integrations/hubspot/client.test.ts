import { describe, expect, it } from '@jest/globals';
import { chunk, reservoirFor, toHubSpotValue } from '../../../src/integrations/hubspot/client.js';
import { HubSpotError } from '../../../src/integrations/hubspot/errors.js';
import { REVENUE_HANDOFF_PROPERTIES } from '../../../src/integrations/hubspot/properties.js';
import type { SandboxCall } from '../../../src/integrations/hubspot/sandbox/index.js';
import { hubspotTestbed } from './testbed.js';

const bed = hubspotTestbed();

const batchReads = (calls: SandboxCall[], type: string) =>
  calls.filter((c) => c.method === 'POST' && c.path === `/crm/v3/objects/${type}/batch/read`);

async function rejection(promise: Promise<unknown>): Promise<HubSpotError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof HubSpotError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('HubSpot CRM client: batch reads', () => {
  it('reads 250 deals in three calls of at most 100 ids and leaves out ids that do not exist', async () => {
    const hubspot = bed.fresh();
    const ids = Array.from({ length: 250 }, (_, i) => hubspot.addDeal({ dealname: `Deal ${i}`, amount: String(i) }));
    const crm = bed.crm(hubspot);

    const records = await crm.batchReadDeals([...ids, ids[0] as string, '424242'], ['dealname', 'amount']);

    expect(records).toHaveLength(250);
    expect(batchReads(hubspot.calls, 'deals').map((c) => c.status)).toEqual([200, 200, 207]);
    const first = records.find((r) => r.id === ids[7]);
    expect(first?.properties).toMatchObject({ dealname: 'Deal 7', amount: '7', hs_object_id: ids[7] });
    expect(first?.createdAt).toBeInstanceOf(Date);
  });

  it('reads companies, contacts and line items with the requested properties', async () => {
    const hubspot = bed.fresh();
    const company = hubspot.addCompany({ name: 'Acme', city: 'Lyon', domain: 'acme.test' });
    const contact = hubspot.addContact({ email: 'ap@acme.test', firstname: 'Ada', lastname: 'Lovelace' });
    const item = hubspot.addLineItem({ name: 'Platform', quantity: '2', price: '500' });
    const crm = bed.crm(hubspot);

    const [companies, contacts, items] = await Promise.all([
      crm.batchReadCompanies([company], ['name', 'city']),
      crm.batchReadContacts([contact], ['email', 'firstname', 'lastname']),
      crm.batchReadLineItems([item], ['name', 'quantity', 'price']),
    ]);

    expect(companies[0]?.properties).toMatchObject({ name: 'Acme', city: 'Lyon' });
    expect(companies[0]?.properties.domain).toBeUndefined();
    expect(contacts[0]?.properties).toMatchObject({ email: 'ap@acme.test', firstname: 'Ada', lastname: 'Lovelace' });
    expect(items[0]?.properties).toMatchObject({ name: 'Platform', quantity: '2', price: '500' });
  });

  it('makes no call for an empty id list', async () => {
    const hubspot = bed.fresh();
    expect(await bed.crm(hubspot).batchReadDeals([], ['dealname'])).toEqual([]);
    expect(hubspot.calls).toHaveLength(0);
  });
});

describe('HubSpot CRM client: associations (v4 batch read)', () => {
  it('lists associated ids per requested id, with [] for ids without associations', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal();
    const lonely = hubspot.addDeal();
    const [a, b] = [hubspot.addCompany({ name: 'A' }), hubspot.addCompany({ name: 'B' })];
    hubspot.associate('deals', deal, 'companies', a);
    hubspot.associate('deals', deal, 'companies', b);

    const result = await bed.crm(hubspot).readAssociations('deals', [deal, lonely, '999999'], 'companies');

    expect(result).toEqual({ [deal]: [a, b], [lonely]: [], '999999': [] });
  });

  it('follows paging until every associated record is read', async () => {
    const hubspot = bed.fresh({ associationPageSize: 2 });
    const deal = hubspot.addDeal();
    const contacts = Array.from({ length: 5 }, () => hubspot.addContact());
    for (const c of contacts) hubspot.associate('deals', deal, 'contacts', c);

    const result = await bed.crm(hubspot).readAssociations('deals', [deal], 'contacts');

    expect(result[deal]).toEqual(contacts);
    expect(hubspot.calls.filter((c) => c.path === '/crm/v4/associations/deals/contacts/batch/read')).toHaveLength(3);
  });

  it('chunks more than 100 ids', async () => {
    const hubspot = bed.fresh();
    const company = hubspot.addCompany();
    const deals = Array.from({ length: 120 }, () => hubspot.addDeal());
    for (const d of deals) hubspot.associate('deals', d, 'companies', company);

    const result = await bed.crm(hubspot).readAssociations('deals', deals, 'companies');

    expect(Object.values(result).every((ids) => ids.length === 1 && ids[0] === company)).toBe(true);
    expect(hubspot.calls.filter((c) => c.path === '/crm/v4/associations/deals/companies/batch/read')).toHaveLength(2);
  });
});

describe('HubSpot CRM client: writes', () => {
  it('batch-updates deals: numbers and booleans become strings, null clears, the sandbox state changes', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal({ dealname: 'Old', amount: '10' });
    const crm = bed.crm(hubspot);
    await crm.ensurePropertyGroupAndProperties();

    const [updated] = await crm.batchUpdateDeals([
      { id: deal, properties: { dealname: 'New', rh_handoff_percent_complete: 62.5, rh_po_required: true } },
      { id: deal, properties: { amount: null } },
    ]);

    expect(updated?.properties).toMatchObject({ dealname: 'New', rh_handoff_percent_complete: '62.5' });
    expect(hubspot.get('deals', deal)?.properties).toMatchObject({
      dealname: 'New',
      amount: '',
      rh_handoff_percent_complete: '62.5',
      rh_po_required: 'true',
    });
  });

  it('batch-updates 150 companies in two calls', async () => {
    const hubspot = bed.fresh();
    const ids = Array.from({ length: 150 }, () => hubspot.addCompany());
    const crm = bed.crm(hubspot);
    await crm.ensurePropertyGroupAndProperties();

    const records = await crm.batchUpdateCompanies(
      ids.map((id, i) => ({
        id,
        properties: { rh_overdue_amount: i * 10, rh_risk_level: 'high', rh_credit_hold: false },
      })),
    );

    expect(records).toHaveLength(150);
    expect(hubspot.calls.filter((c) => c.path === '/crm/v3/objects/companies/batch/update')).toHaveLength(2);
    expect(hubspot.get('companies', ids[149] as string)?.properties).toMatchObject({
      rh_overdue_amount: '1490',
      rh_risk_level: 'high',
      rh_credit_hold: 'false',
    });
  });

  it('reports a batch update that missed a record instead of returning as if all went well', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal();
    const error = await rejection(
      bed.crm(hubspot).batchUpdateDeals([
        { id: deal, properties: { dealname: 'x' } },
        { id: '31337', properties: { dealname: 'y' } },
      ]),
    );
    expect(error.kind).toBe('not_found');
    expect(error.category).toBe('OBJECT_NOT_FOUND');
    expect(hubspot.get('deals', deal)?.properties.dealname).toBe('x');
  });

  it('moves a deal to another stage and HubSpot bumps hs_lastmodifieddate', async () => {
    let clock = new Date('2026-11-02T09:00:00.000Z');
    const hubspot = bed.fresh({ now: () => clock });
    const deal = hubspot.addDeal({ dealstage: 'contractsent' });
    clock = new Date('2026-11-02T09:05:00.000Z');

    const updated = await bed.crm(hubspot).updateDealStage(deal, 'closedwon');

    expect(updated.properties.dealstage).toBe('closedwon');
    expect(hubspot.get('deals', deal)?.properties).toMatchObject({
      dealstage: 'closedwon',
      hs_lastmodifieddate: '2026-11-02T09:05:00.000Z',
    });
    expect(updated.updatedAt?.toISOString()).toBe('2026-11-02T09:05:00.000Z');
  });

  it('writes a note attached to the deal and its company', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal();
    const company = hubspot.addCompany();

    const { id } = await bed.crm(hubspot).createNote({
      body: '<p>Handoff incomplete: PO number missing.</p>',
      associations: { deals: [deal], companies: [company] },
      timestamp: new Date('2026-11-02T10:00:00Z'),
    });

    expect(hubspot.get('notes', id)?.properties).toMatchObject({
      hs_note_body: '<p>Handoff incomplete: PO number missing.</p>',
      hs_timestamp: '2026-11-02T10:00:00.000Z',
    });
    expect(hubspot.associated('notes', id, 'deals')).toEqual([deal]);
    expect(hubspot.associated('notes', id, 'companies')).toEqual([company]);
    expect(hubspot.associated('deals', deal, 'notes')).toEqual([id]);
  });

  it('writes a task for the owner, due when asked, attached to the deal', async () => {
    const hubspot = bed.fresh();
    const owner = hubspot.addOwner({ email: 'rep@seller.test' });
    const deal = hubspot.addDeal({ hubspot_owner_id: owner });

    const { id } = await bed.crm(hubspot).createTask({
      subject: 'Complete the handoff for Acme',
      body: 'Missing: PO number, billing contact.',
      ownerId: owner,
      dueAt: new Date('2026-11-03T17:00:00Z'),
      priority: 'HIGH',
      associations: { deals: [deal] },
    });

    expect(hubspot.get('tasks', id)?.properties).toMatchObject({
      hs_task_subject: 'Complete the handoff for Acme',
      hs_task_body: 'Missing: PO number, billing contact.',
      hubspot_owner_id: owner,
      hs_timestamp: '2026-11-03T17:00:00.000Z',
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: 'HIGH',
    });
    expect(hubspot.associated('tasks', id, 'deals')).toEqual([deal]);
  });

  it('refuses a task for an owner HubSpot does not know, with HubSpot’s message', async () => {
    const hubspot = bed.fresh();
    hubspot.addOwner({ email: 'rep@seller.test' });
    const error = await rejection(
      bed.crm(hubspot).createTask({ subject: 's', body: 'b', ownerId: '999', dueAt: new Date(), associations: {} }),
    );
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('INVALID_OWNER_ID');
  });
});

describe('HubSpot CRM client: pipelines', () => {
  it('lists stages in display order with ids, labels and which are closed-won', async () => {
    const hubspot = bed.fresh();
    hubspot.addPipeline({
      id: 'renewals',
      label: 'Renewals',
      stages: [
        { id: 'r_open', label: 'Open', probability: 0.5 },
        { id: 'r_won', label: 'Renewed', probability: 1, isClosed: true },
        { id: 'r_lost', label: 'Churned', probability: 0, isClosed: true },
      ],
    });

    const pipelines = await bed.crm(hubspot).getDealPipelines();

    expect(pipelines.map((p) => p.id)).toEqual(['default', 'renewals']);
    const sales = pipelines[0];
    expect(sales?.stages.map((s) => s.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    expect(sales?.stages.find((s) => s.id === 'closedwon')).toEqual({
      id: 'closedwon',
      label: 'Closed Won',
      displayOrder: 5,
      isClosed: true,
      closedWon: true,
      probability: 1,
    });
    expect(sales?.stages.find((s) => s.id === 'closedlost')).toMatchObject({ isClosed: true, closedWon: false });
    expect(pipelines[1]?.stages.filter((s) => s.closedWon).map((s) => s.id)).toEqual(['r_won']);
  });
});

describe('HubSpot CRM client: our properties', () => {
  it('creates the group and every property on the first run, and nothing on the second', async () => {
    const hubspot = bed.fresh();
    const crm = bed.crm(hubspot);
    const expected = Object.entries(REVENUE_HANDOFF_PROPERTIES.properties).flatMap(([type, defs]) =>
      (defs ?? []).map((d) => `${type}/${d.name}`),
    );

    const first = await crm.ensurePropertyGroupAndProperties();
    const writesBefore = hubspot.calls.filter((c) => c.method === 'POST').length;
    const second = await crm.ensurePropertyGroupAndProperties();

    expect(first.createdGroups).toEqual([
      'deals/revenue_handoff',
      'companies/revenue_handoff',
      'line_items/revenue_handoff',
    ]);
    expect(first.createdProperties).toEqual(expected);
    expect(second).toEqual({ createdGroups: [], createdProperties: [] });
    expect(hubspot.calls.filter((c) => c.method === 'POST')).toHaveLength(writesBefore);
    const status = hubspot.portalState.properties.deals.get('rh_handoff_status');
    expect(status?.options.map((o) => o.value)).toEqual([
      'draft',
      'submitted',
      'accepted',
      'rejected',
      'billing_pending',
      'billing_live',
      'billing_failed',
    ]);
    expect(status?.groupName).toBe('revenue_handoff');
    // The line item tax properties the billing plan reads (src/app/line-item-tax.ts), in our group on line items.
    expect(hubspot.portalState.properties.line_items.get('rh_tax_code')).toMatchObject({
      type: 'string',
      fieldType: 'text',
      groupName: 'revenue_handoff',
      formField: true,
    });
    expect(hubspot.portalState.properties.line_items.get('rh_tax_inclusive')).toMatchObject({
      type: 'bool',
      fieldType: 'booleancheckbox',
      groupName: 'revenue_handoff',
    });
  });

  it('creates only what is missing when someone created part of it already (409 counts as exists)', async () => {
    const hubspot = bed.fresh();
    const crm = bed.crm(hubspot);
    await crm.ensurePropertyGroupAndProperties({
      group: REVENUE_HANDOFF_PROPERTIES.group,
      properties: { companies: REVENUE_HANDOFF_PROPERTIES.properties.companies?.slice(0, 3) ?? [] },
    });

    const result = await crm.ensurePropertyGroupAndProperties();

    expect(result.createdGroups).toEqual(['deals/revenue_handoff', 'line_items/revenue_handoff']);
    expect(result.createdProperties).not.toContain('companies/rh_overdue_amount');
    expect(result.createdProperties).toContain('companies/rh_credit_hold');
  });
});

describe('HubSpot CRM client: our properties, in few calls', () => {
  it('creates each object type’s properties with one batch create, not one call per property', async () => {
    const hubspot = bed.fresh();
    const crm = bed.crm(hubspot);
    await crm.ensurePropertyGroupAndProperties();
    const creates = hubspot.calls.filter((c) => c.method === 'POST' && /\/crm\/v3\/properties\/[a-z_]+$/.test(c.path));
    const batches = hubspot.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/batch/create'));
    expect(creates).toEqual([]);
    expect(batches.map((c) => c.path)).toEqual([
      '/crm/v3/properties/deals/batch/create',
      '/crm/v3/properties/companies/batch/create',
      '/crm/v3/properties/line_items/batch/create',
    ]);
  });

  it('names a property HubSpot refuses, and still creates the others of the batch', async () => {
    const hubspot = bed.fresh();
    const crm = bed.crm(hubspot);
    const good = REVENUE_HANDOFF_PROPERTIES.properties.deals?.[0];
    if (!good) throw new Error('no deal properties');
    const bad = { ...good, name: 'rh_broken', type: 'number' as const, fieldType: 'select' as const };
    await expect(
      crm.ensurePropertyGroupAndProperties({
        group: REVENUE_HANDOFF_PROPERTIES.group,
        properties: { deals: [good, bad] },
      }),
    ).rejects.toThrow(/fieldType select is not valid for type number/);
    expect(hubspot.portalState.properties.deals.has(good.name)).toBe(true);
    expect(hubspot.portalState.properties.deals.has('rh_broken')).toBe(false);
  });
});

describe('HubSpot CRM client: failures', () => {
  it('maps a 4xx to an error carrying HubSpot’s message and category, without retrying', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal();

    const error = await rejection(bed.crm(hubspot).updateDealStage(deal, 'not_a_stage'));

    expect(error.kind).toBe('validation');
    expect(error.status).toBe(400);
    expect(error.category).toBe('VALIDATION_ERROR');
    expect(error.hubspotMessage).toContain('Property values were not valid');
    expect(error.message).toMatch(/^HubSpot answered 400 VALIDATION_ERROR \(deal \d+ stage update, portal 62515\)/);
    expect(error.message).toContain('dealstage');
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(hubspot.calls).toHaveLength(1);
  });

  it('names a property HubSpot does not have', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal();
    const error = await rejection(bed.crm(hubspot).batchUpdateDeals([{ id: deal, properties: { rh_typo: 'x' } }]));
    expect(error.message).toContain('PROPERTY_DOESNT_EXIST');
    expect(error.message).toContain('rh_typo');
  });

  it('retries a 5xx with backoff and succeeds', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal({ dealname: 'A' });
    hubspot.failNext({ path: '/crm/v3/objects/deals/batch/read', status: 502, times: 2 });

    const records = await bed.crm(hubspot).batchReadDeals([deal], ['dealname']);

    expect(records[0]?.properties.dealname).toBe('A');
    expect(hubspot.calls.map((c) => c.status)).toEqual([502, 502, 200]);
  });

  it('gives up after the configured retries and says the failure was temporary', async () => {
    const hubspot = bed.fresh();
    hubspot.failNext({ path: '/crm/v3/pipelines/deals', status: 503, times: 10 });
    const error = await rejection(bed.crm(hubspot, { retry: { retries: 2, minBackoffMs: 1 } }).getDealPipelines());
    expect(error.kind).toBe('temporary');
    expect(error.retryable).toBe(true);
    expect(hubspot.calls).toHaveLength(3);
  });

  it('does not retry a create after a 5xx (HubSpot may have written it)', async () => {
    const hubspot = bed.fresh();
    const deal = hubspot.addDeal();
    hubspot.failNext({ path: '/crm/v3/objects/notes', status: 500 });

    const error = await rejection(bed.crm(hubspot).createNote({ body: 'x', associations: { deals: [deal] } }));

    expect(error.kind).toBe('temporary');
    expect(hubspot.calls).toHaveLength(1);
  });

  it('answers 401 with an auth error for a token HubSpot does not accept', async () => {
    const hubspot = bed.fresh();
    const error = await rejection(bed.crm(hubspot, { accessToken: async () => 'stolen' }).getDealPipelines());
    expect(error.kind).toBe('auth');
    expect(error.category).toBe('INVALID_AUTHENTICATION');
  });

  it('asks for the token before every request, so a refreshed token is used without a new client', async () => {
    const hubspot = bed.fresh();
    hubspot.addPortal(hubspot.portalId, { accessToken: 'second' });
    let token = 'sandbox-token';
    const crm = bed.crm(hubspot, { accessToken: async () => token });
    await crm.getDealPipelines();
    hubspot.expireAccessToken('sandbox-token');
    token = 'second';

    await expect(crm.getDealPipelines()).resolves.toHaveLength(1);
  });

  it('reports missing scopes as forbidden with HubSpot’s category', async () => {
    const hubspot = bed.fresh({ scopes: ['crm.objects.deals.read'] });
    const error = await rejection(bed.crm(hubspot).ensurePropertyGroupAndProperties());
    expect(error.kind).toBe('forbidden');
    expect(error.category).toBe('MISSING_SCOPES');
  });
});

describe('HubSpot CRM client: rate limits', () => {
  it('waits the Retry-After HubSpot sends on 429, then succeeds, and the sandbox saw the retry', async () => {
    const hubspot = bed.fresh({ rateLimit: { requests: 2, windowMs: 1_000 } });
    const deal = hubspot.addDeal();
    const crm = bed.crm(hubspot);
    await crm.batchReadDeals([deal], ['dealname']);
    await crm.batchReadDeals([deal], ['dealname']);

    const started = Date.now();
    await crm.batchReadDeals([deal], ['dealname']);
    const waited = Date.now() - started;

    expect(hubspot.calls.map((c) => c.status)).toEqual([200, 200, 429, 200]);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(3_000);
  });

  it('keeps each portal within its own budget without slowing other portals', async () => {
    const hubspot = bed.fresh();
    hubspot.addPortal(501, { accessToken: 'tight' });
    hubspot.addPortal(502, { accessToken: 'roomy' });
    const tight = bed.crm(hubspot, {
      portalId: 501,
      accessToken: async () => 'tight',
      budget: { requests: 3, perMs: 600, maxConcurrent: 5 },
    });
    const roomy = bed.crm(hubspot, { portalId: 502, accessToken: async () => 'roomy' });

    const started = Date.now();
    const timeOf = (p: Promise<unknown>) => p.then(() => Date.now() - started);
    const [tightTimes, roomyTimes] = await Promise.all([
      Promise.all([1, 2, 3].map(() => timeOf(tight.getDealPipelines()))),
      Promise.all([1, 2, 3].map(() => timeOf(roomy.getDealPipelines()))),
    ]);

    expect(Math.max(...tightTimes)).toBeGreaterThanOrEqual(550);
    expect(Math.max(...roomyTimes)).toBeLessThan(400);
  });
});

describe('client helpers', () => {
  it('splits into runs of at most the batch size', () => {
    expect(chunk(['a', 'b', 'c'], 2)).toEqual([['a', 'b'], ['c']]);
    expect(chunk([], 100)).toEqual([]);
  });

  it('turns values into the strings HubSpot stores', () => {
    expect(toHubSpotValue(true)).toBe('true');
    expect(toHubSpotValue(12.5)).toBe('12.5');
    expect(toHubSpotValue(null)).toBe('');
    expect(() => toHubSpotValue(Number.NaN)).toThrow(RangeError);
  });

  it('sizes the reservoir so that no rolling window exceeds the budget', () => {
    for (const budget of [
      { requests: 100, perMs: 10_000, maxConcurrent: 5 },
      { requests: 190, perMs: 10_000, maxConcurrent: 5 },
      { requests: 2, perMs: 500, maxConcurrent: 1 },
      { requests: 3, perMs: 600, maxConcurrent: 1 },
    ]) {
      const r = reservoirFor(budget);
      // Worst case: a full refill at the start of every step; a rolling window touches at most ceil(W/step)+1 steps.
      const stepsTouched = Math.ceil(budget.perMs / r.reservoirRefreshInterval) + 1;
      expect(stepsTouched * r.reservoirRefreshAmount).toBeLessThanOrEqual(budget.requests);
      expect(r.reservoir).toBeGreaterThanOrEqual(1);
    }
    expect(reservoirFor({ requests: 100, perMs: 10_000, maxConcurrent: 5 })).toEqual({
      reservoir: 9,
      reservoirRefreshAmount: 9,
      reservoirRefreshInterval: 1000,
      maxConcurrent: 5,
    });
  });
});
