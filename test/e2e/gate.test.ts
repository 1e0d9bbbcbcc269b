import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { processHubSpotEvent } from '../../src/app/gate.js';
import { createLogger } from '../../src/server/logger.js';
import { completeSalesData } from '../handoff/fixtures.js';
import { APP_ID, type Backend, PORTAL, startBackend } from '../support/backend.js';
import { signedPost } from '../support/signed.js';
import { deliver, stageChange } from '../support/webhooks.js';

const logger = createLogger('silent');

describe('the Closed Won gate, driven by HubSpot webhooks', () => {
  let b: Backend;
  let dealId: string;

  beforeAll(async () => {
    b = await startBackend();
  }, 60_000);
  afterAll(() => b.stop());

  // Each test gets its own deal (and so its own handoffs, events and notes) in the shared backend.
  beforeEach(async () => {
    const companyId = b.hubspot.addCompany({ name: 'Globex' });
    dealId = b.hubspot.addDeal({
      dealname: 'Globex renewal',
      dealstage: 'contractsent',
      amount: '5000',
      deal_currency_code: 'USD',
    });
    b.hubspot.associate('deals', dealId, 'companies', companyId);
    await b.db.query(`DELETE FROM pgboss.job WHERE name = 'hubspot-events'`);
  });

  const dealstage = () => b.hubspot.get('deals', dealId)?.properties.dealstage;
  const onDeal = (type: 'notes' | 'tasks') =>
    b.hubspot.list(type).filter((r) => b.hubspot.associated(type, r.id, 'deals').includes(dealId));
  const notes = () => onDeal('notes');
  const tasks = () => onDeal('tasks');

  async function processQueued(): Promise<unknown[]> {
    const jobs = await b.db.query<{ data: { key: string } }>(
      `SELECT data FROM pgboss.job WHERE name = 'hubspot-events' ORDER BY created_on`,
    );
    const outcomes = [];
    for (const j of jobs) {
      outcomes.push(
        await processHubSpotEvent(
          { db: b.db, services: b.runtime.services, appId: APP_ID, logger },
          j.data.key,
          new Date(),
        ),
      );
    }
    await b.db.query(`DELETE FROM pgboss.job WHERE name = 'hubspot-events'`);
    return outcomes;
  }

  async function moveToWon(extra: Parameters<typeof stageChange>[3] = {}) {
    const deal = b.hubspot.get('deals', dealId);
    if (!deal) throw new Error('sandbox lost the deal');
    deal.properties.dealstage = 'closedwon';
    return deliver(b.app, [stageChange(PORTAL, dealId, 'closedwon', extra)]);
  }

  it('moves a won deal with an incomplete handoff back where it was, with a note, a task and an audit entry', async () => {
    expect((await deliver(b.app, [stageChange(PORTAL, dealId, 'contractsent')])).status).toBe(200);
    await processQueued(); // remembers the open stage
    expect((await moveToWon()).status).toBe(200);
    const [outcome] = await processQueued();
    expect(outcome).toMatchObject({ action: 'reverted', to: 'contractsent' });
    expect(dealstage()).toBe('contractsent');
    expect(notes()).toHaveLength(1);
    expect(notes()[0]?.properties.hs_note_body).toContain('Customer goals');
    expect(tasks()).toHaveLength(1);
    expect(tasks()[0]?.properties.hs_task_subject).toBe('Complete the handoff for Globex renewal');
    const view = await signedPost(b.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL });
    expect(view.body.handoffs[0].thread.map((t: { type: string }) => t.type)).toContain('gate_reverted');
  });

  it('changes state once when the same event is delivered three times', async () => {
    const event = stageChange(PORTAL, dealId, 'closedwon');
    const deal = b.hubspot.get('deals', dealId);
    if (deal) deal.properties.dealstage = 'closedwon';
    for (let i = 0; i < 3; i++) {
      const res = await deliver(b.app, [{ ...event, attemptNumber: i, eventId: event.eventId + i }]);
      expect(res.status).toBe(200);
    }
    const stored = await b.db.query(
      `SELECT 1 FROM inbound_events WHERE source = 'hubspot' AND payload->>'objectId' = $1`,
      [dealId],
    );
    expect(stored).toHaveLength(1);
    await processQueued();
    expect(notes()).toHaveLength(1);
    expect(tasks()).toHaveLength(1);
  });

  it('gates imports and API writes the same way as edits in the UI', async () => {
    await moveToWon({ changeSource: 'IMPORT', sourceId: 'import:77' });
    const [outcome] = await processQueued();
    expect(outcome).toMatchObject({ action: 'reverted' });
  });

  it('takes no second action for the webhook of its own revert', async () => {
    await moveToWon();
    await processQueued();
    const own = stageChange(PORTAL, dealId, 'contractsent', { changeSource: 'INTEGRATION', sourceId: APP_ID });
    await deliver(b.app, [own]);
    const [outcome] = await processQueued();
    expect(outcome).toEqual({ action: 'ignored', reason: 'own write' });
    expect(notes()).toHaveLength(1);
  });

  it('ignores a late, out-of-order "won" event once the deal is no longer won', async () => {
    const stale = stageChange(PORTAL, dealId, 'closedwon', { occurredAt: Date.now() - 60_000 });
    await deliver(b.app, [stale]); // HubSpot's current stage is still contractsent
    const [outcome] = await processQueued();
    expect(outcome).toMatchObject({ action: 'remembered' });
    expect(notes()).toHaveLength(0);
  });

  it('lets a deal stay Closed Won when an approved exception waives what is missing', async () => {
    const v = await signedPost(b.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL });
    const sales = v.body.handoffs[0];
    // Fill the sales handoff except one field, and waive that one.
    const { supportExpectations: _waived, ...most } = completeSalesData;
    await signedPost(
      b.app,
      '/api/saveHandoffFields',
      { dealId, handoffId: sales.id, revision: sales.revision, values: most },
      { portalId: PORTAL },
    );
    const after = await signedPost(b.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL });
    const waivers: Array<{ handoffId: string; fields: string[] }> = after.body.handoffs.map(
      (h: { id: string; fields: Array<{ key: string; status: string; severity: string }> }) => ({
        handoffId: h.id,
        fields: h.fields.filter((f) => f.status !== 'ok' && f.severity === 'blocking').map((f) => f.key),
      }),
    );
    for (const w of waivers) {
      const req = await signedPost(
        b.app,
        '/api/requestException',
        { dealId, handoffId: w.handoffId, reason: 'Signed today; details follow from the customer', waives: w.fields },
        { portalId: PORTAL, userId: '1001' },
      );
      expect(req.status).toBe(200);
      const ex = req.body.handoffs.find((h: { id: string }) => h.id === w.handoffId).exceptions.at(-1);
      const own = await signedPost(
        b.app,
        '/api/decideException',
        { dealId, exceptionId: ex.id, decision: 'approve' },
        { portalId: PORTAL, userId: '1001' },
      );
      expect(own.status).toBe(403); // not revops: cannot approve
      const ok = await signedPost(
        b.app,
        '/api/decideException',
        { dealId, exceptionId: ex.id, decision: 'approve' },
        { portalId: PORTAL, userId: '4004' },
      );
      expect(ok.status).toBe(200);
    }
    await moveToWon();
    const [outcome] = await processQueued();
    expect(outcome).toMatchObject({ action: 'allowed' });
    expect(dealstage()).toBe('closedwon');
    expect(notes()).toHaveLength(0);
  });

  it.each([
    ['a wrong client secret', { secret: 'nope' }],
    ['an altered body', { tamper: '[]' }],
    ['a stale timestamp', { timestamp: Date.now() - 6 * 60_000 }],
    ['no signature', { omitSignature: true }],
  ])('rejects a delivery with %s and stores nothing', async (_label, opts) => {
    const res = await deliver(b.app, [stageChange(PORTAL, dealId, 'closedwon')], opts);
    expect(res.status).toBe(401);
    expect(await b.db.query(`SELECT 1 FROM inbound_events WHERE payload->>'objectId' = $1`, [dealId])).toHaveLength(0);
  });

  it('answers a malformed delivery with 400 naming the problem', async () => {
    const res = await deliver(b.app, [{ eventId: 1 }]);
    expect(res.status).toBe(400);
    expect(res.body.path).toMatch(/^\[0\]\./);
  });
});
