import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InvoiceSnapshot } from '../../src/receivables/invoice.js';
import type { Db } from '../../src/store/db.js';
import { connectionsForTenant, financeStore, storeInboundEvents } from '../../src/store/finance-store.js';
import { consumeOAuthState, createOAuthState, peekOAuthState } from '../../src/store/oauth-states.js';
import { portalStore } from '../../src/store/portal-store.js';
import { createSecretBox } from '../../src/store/secrets.js';
import { testDatabases } from '../support/databases.js';

const PORTAL = 77;
const NOW = new Date('2026-05-15T10:00:00Z');
const box = createSecretBox(Buffer.alloc(32, 3).toString('base64'));

function snapshot(id: string, customerId = 'c1'): InvoiceSnapshot {
  return {
    id,
    number: id,
    customerId,
    issueDate: '2026-05-01',
    dueDate: '2026-05-31',
    currency: 'USD',
    total: { amount: 100, currency: 'USD' },
    amountDue: { amount: 100, currency: 'USD' },
    status: 'open',
    source: 'xero',
  };
}

describe.each(testDatabases())('finance store on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await db.query(`INSERT INTO installations (portal_id) VALUES ($1), ($2)`, [PORTAL, PORTAL + 1]);
  }, 60_000);
  afterAll(() => db.close());

  it('links a company to one customer and refuses a customer already linked to another company', async () => {
    const links = financeStore(db, PORTAL).links;
    expect(
      await links.save({ system: 'xero', companyId: 'A', customerId: 'c1', url: null, matchedBy: 'created' }),
    ).toEqual({ ok: true });
    expect(
      await links.save({ system: 'xero', companyId: 'B', customerId: 'c1', url: null, matchedBy: 'email' }),
    ).toEqual({
      ok: false,
      linkedCompanyId: 'A',
    });
    // Re-pointing a company keeps one link per company.
    expect(
      await links.save({ system: 'xero', companyId: 'A', customerId: 'c2', url: 'https://x', matchedBy: 'name' }),
    ).toEqual({ ok: true });
    expect(await links.byCustomer('xero', 'c2')).toEqual({ companyId: 'A', url: 'https://x' });
    expect(await links.byCustomer('xero', 'c1')).toBeNull();
    // Another portal's links are its own.
    expect(await financeStore(db, PORTAL + 1).links.byCustomer('xero', 'c2')).toBeNull();
  });

  it('gives a step the same key on every attempt until it fails, then a fresh one', async () => {
    const setup = await portalStore(db, PORTAL).billing.ensureSetup({
      handoffId: await handoff(db),
      dealId: 'd1',
      companyId: 'A',
      system: 'xero',
      plan: {},
      schedule: {},
    });
    const steps = financeStore(db, PORTAL).steps;
    expect(await steps.begin(setup.id, 'customer')).toEqual({ key: `${setup.id}:customer`, earlierAttempt: false });
    expect(await steps.begin(setup.id, 'customer')).toEqual({ key: `${setup.id}:customer`, earlierAttempt: true });
    await steps.failed(setup.id, 'customer', { message: 'refused' });
    expect(await steps.begin(setup.id, 'customer')).toEqual({
      key: `${setup.id}:customer:retry3`,
      earlierAttempt: true,
    });
    await steps.done(setup.id, 'customer', { customerId: 'c2' });
    await steps.failed(setup.id, 'customer', { message: 'too late' }); // a done step stays done
    expect((await steps.all(setup.id)).get('customer')).toMatchObject({
      status: 'done',
      outcome: { customerId: 'c2' },
    });
    // Another portal cannot read this setup's steps.
    expect((await financeStore(db, PORTAL + 1).steps.all(setup.id)).size).toBe(0);
  });

  it('makes a customer’s snapshots exactly the listed invoices', async () => {
    const receivables = portalStore(db, PORTAL).receivables;
    await receivables.upsert([snapshot('i1'), snapshot('i2'), snapshot('o1', 'other')]);
    expect(await receivables.replaceCustomer('xero', 'c1', [snapshot('i2'), snapshot('i3')])).toEqual({ removed: 1 });
    expect((await receivables.snapshots('xero', 'c1')).invoices.map((i) => i.id).sort()).toEqual(['i2', 'i3']);
    expect((await receivables.snapshots('xero', 'other')).invoices).toHaveLength(1);
  });

  it('stores each webhook event once', async () => {
    const e = { dedupeKey: 't1:e1', portalId: PORTAL, payload: { event: {}, portalIds: [PORTAL] } };
    expect(await storeInboundEvents(db, 'xero', [e, { ...e, dedupeKey: 't1:e2' }])).toHaveLength(2);
    expect(await storeInboundEvents(db, 'xero', [e])).toEqual([]);
    expect(await storeInboundEvents(db, 'quickbooks', [e])).toHaveLength(1); // another source, another key space
  });

  it('spends an OAuth state once, only for its purpose and before it expires', async () => {
    const state = await createOAuthState(db, { purpose: 'connect:xero', portalId: PORTAL, now: NOW, ttlMs: 60_000 });
    expect(await peekOAuthState(db, state, 'connect:xero', NOW)).toEqual({ portalId: PORTAL });
    expect(await peekOAuthState(db, state, 'connect:quickbooks', NOW)).toBeNull();
    expect(await consumeOAuthState(db, state, 'connect:xero', new Date(NOW.getTime() + 61_000))).toBeNull();
    const fresh = await createOAuthState(db, { purpose: 'connect:xero', portalId: PORTAL, now: NOW });
    expect(await consumeOAuthState(db, fresh, 'connect:xero', NOW)).toEqual({ portalId: PORTAL });
    expect(await consumeOAuthState(db, fresh, 'connect:xero', NOW)).toBeNull();
  });

  it('keeps one active finance system per portal and finds portals by vendor tenant', async () => {
    const store = financeStore(db, PORTAL);
    const tokens = { accessToken: 'a', refreshToken: 'r', expiresAt: NOW };
    await store.connections.connect({ system: 'quickbooks', tenantId: 'realm-1', tokens, box });
    await financeStore(db, PORTAL + 1).connections.connect({ system: 'quickbooks', tenantId: 'realm-1', tokens, box });
    expect((await connectionsForTenant(db, 'quickbooks', 'realm-1')).map((c) => c.portalId)).toEqual([
      PORTAL,
      PORTAL + 1,
    ]);
    await store.connections.connect({ system: 'stripe', tenantId: 'acct_1', tokens, box, webhookSecret: 'whsec_1' });
    expect((await store.connections.active())?.system).toBe('stripe');
    expect(await store.connections.active('quickbooks')).toBeNull();
    expect((await connectionsForTenant(db, 'quickbooks', 'realm-1')).map((c) => c.portalId)).toEqual([PORTAL + 1]);
    expect(await store.connections.webhookSecret('stripe', box)).toBe('whsec_1');
    const [raw] = await db.query<{ webhook_secret_enc: string }>(
      `SELECT webhook_secret_enc FROM finance_connections WHERE portal_id = $1 AND system = 'stripe'`,
      [PORTAL],
    );
    expect(raw?.webhook_secret_enc).not.toContain('whsec_1');
  });
});

async function handoff(db: Db): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO handoffs (portal_id, deal_id, template_id, template_version, state) VALUES ($1, 'd1', 't', 1, 'billing_pending') RETURNING id`,
    [PORTAL],
  );
  return String(row?.id);
}
