/**
 * The demo's "done when" for the renewal handoff: a contract 90 days from renewal yields one renewal handoff and one
 * HubSpot task for its account owner — and more sweeps change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RENEWAL_TEMPLATE_ID } from '../../src/app/renewals.js';
import { plusDays, todayIn } from '../../src/core/dates.js';
import { DEMO_PORTAL_ID } from '../../src/demo/data.js';
import { DEMO_TIME_ZONE } from '../../src/demo/seed.js';
import { runRenewals } from '../../src/jobs/renewals.js';
import { createLogger } from '../../src/server/logger.js';
import { portalStore } from '../../src/store/portal-store.js';
import { type DemoApp, startDemoApp } from '../browser/support/demo-app.js';

// The demo seeds a dozen deals and waits for its billing setups: ~30 s idle, more on a loaded machine.
const START_MS = 300_000;

describe('the demo', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await startDemoApp();
  }, START_MS);
  afterAll(async () => {
    await demo?.stop();
  }, 60_000);

  it('has a contract 90 days from renewal with one renewal handoff and one task for its owner, whatever the sweeps', async () => {
    const contract = demo.deals.find((d) => d.story.startsWith('Renews in 90 days'));
    expect(contract).toBeDefined();
    const dealId = contract?.id ?? '';
    const renewal = plusDays(todayIn(DEMO_TIME_ZONE, new Date()), 90);
    const { db, runtime, queue } = demo.composed;
    const sweep = () =>
      runRenewals({ db, crmFor: runtime.crmFor, queue, logger: createLogger('silent') }, { portalId: DEMO_PORTAL_ID });
    await sweep();
    await sweep();

    const handoffs = (await portalStore(db, DEMO_PORTAL_ID).handoffs.byDeal(dealId)).filter(
      (s) => s.handoff.templateId === RENEWAL_TEMPLATE_ID,
    );
    expect(handoffs).toHaveLength(1);
    const hubspot = demo.sandboxes.hubspot;
    const owner = hubspot.get('deals', dealId)?.properties.hubspot_owner_id;
    expect(handoffs[0]?.handoff.receivingOwner).toEqual({ kind: 'user', userId: owner });
    const tasks = hubspot.list('tasks').filter((t) => hubspot.associated('tasks', t.id, 'deals').includes(dealId));
    expect(tasks.map((t) => [t.properties.hs_task_subject, t.properties.hubspot_owner_id])).toEqual([
      [`Renewal handoff: ${contract?.name} renews on ${renewal}`, owner],
    ]);
    // No other demo contract is due, so no other renewal handoff exists.
    const all = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM handoffs WHERE portal_id = $1 AND template_id = $2',
      [DEMO_PORTAL_ID, RENEWAL_TEMPLATE_ID],
    );
    expect(Number(all[0]?.n)).toBe(1);
  }, 120_000);
});
