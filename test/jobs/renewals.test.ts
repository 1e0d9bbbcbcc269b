import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallingUser, HandlerContext } from '../../serverless/handler.js';
import { getHandoffView, reviewHandoff, submitHandoff } from '../../src/app/handoff-service.js';
import { RENEWAL_FACT, RENEWAL_TEMPLATE_ID } from '../../src/app/renewals.js';
import type { AppServices } from '../../src/app/services.js';
import { plusDays } from '../../src/core/dates.js';
import { runRenewals } from '../../src/jobs/renewals.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, NOW, openHarness, PORTAL } from '../support/finance-harness.js';

const TODAY = '2026-05-15'; // NOW in UTC, the harness portal's zone
const RENEWAL = plusDays(TODAY, 90);

class Crash extends Error {}

describe.each(testDatabases())('the renewal sweep on $name', ({ open }) => {
  // One portal for the file (opening a database is the slow part); every test has its own contracts, and the clock
  // and settings are set by each test that needs them.
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  /** A won deal whose accepted CS → finance handoff says it renews in `days` days, with an owner and a company. */
  async function contract(options: { days?: number; renewalDate?: unknown; name?: string } = {}) {
    const name = options.name ?? 'Acme';
    const renewalDate = options.renewalDate ?? plusDays(TODAY, options.days ?? 90);
    const seeded = await h.seedSetup({
      system: 'quickbooks',
      name,
      data: { renewalDate: renewalDate as string, usageCommitments: '10,000 API calls a month' },
    });
    const ownerId = h.hubspot.addOwner({ email: `owner-${name.toLowerCase()}@vendor.example` });
    const deal = h.hubspot.get('deals', seeded.dealId);
    Object.assign(deal?.properties ?? {}, {
      hubspot_owner_id: ownerId,
      rh_renewal_date: String(renewalDate),
      rh_known_risks: 'Their admin leaves in June',
      rh_promises_made: 'SSO by Q3',
      rh_expansion_hypothesis: 'A second team in Berlin',
      rh_renewal_terms: 'Auto-renews for 12 months; 60 days notice',
      rh_usage_commitments: '10,000 API calls a month',
      deal_currency_code: 'USD',
    });
    return { ...seeded, ownerId };
  }

  async function applySettings(renewals: Record<string, unknown>) {
    const store = portalStore(h.db, PORTAL);
    const settings = await store.installation.settings();
    await store.installation.saveSettings({ ...settings, renewals: { ...settings.renewals, ...renewals } as never });
  }

  const sweep = (checkpoint?: (name: string, dealId: string) => Promise<void>) =>
    runRenewals(h.deps, { portalId: PORTAL }, checkpoint ? { checkpoint } : {});

  const tasks = (dealId: string) =>
    h.hubspot
      .list('tasks')
      .filter((t) => h.hubspot.associated('tasks', t.id, 'deals').includes(dealId))
      .map((t) => t.properties.hs_task_subject ?? '');
  const renewalDeals = (dealId: string) =>
    h.hubspot.list('deals').filter((d) => d.properties.rh_renewal_of?.startsWith(`${dealId}:`));
  const renewalHandoffs = async (dealId: string) =>
    (await portalStore(h.db, PORTAL).handoffs.byDeal(dealId)).filter(
      (s) => s.handoff.templateId === RENEWAL_TEMPLATE_ID,
    );
  const facts = async (dealId: string) =>
    h.db.query<{ subject_id: string }>(
      "SELECT subject_id FROM metric_facts WHERE portal_id = $1 AND kind = $2 AND data->>'dealId' = $3",
      [PORTAL, RENEWAL_FACT, dealId],
    );

  // First: every later sweep of the file also sweeps this contract, so its clock jumps stay cheap here.
  it('sends each reminder once, at 60 and 30 days, whatever the number of sweeps', async () => {
    await applySettings({ createDeal: false });
    const c = await contract({ name: 'Reminded' });
    await sweep();
    for (const day of [plusDays(TODAY, 29), plusDays(TODAY, 30), plusDays(TODAY, 45), plusDays(TODAY, 60)]) {
      h.clock.now = new Date(`${day}T10:00:00Z`);
      await sweep();
      await sweep();
    }
    expect(tasks(c.dealId)).toEqual([
      `Renewal handoff: Reminded deal renews on ${RENEWAL}`,
      `Renewal in 60 days: Reminded deal renews on ${RENEWAL}`,
      `Renewal in 30 days: Reminded deal renews on ${RENEWAL}`,
    ]);
    expect(await renewalHandoffs(c.dealId)).toHaveLength(1);
    h.clock.now = NOW;
  }, 180_000);

  it('run three times, yields one renewal handoff for the account owner, one task and one renewal deal', async () => {
    await applySettings({ createDeal: true, pipelineId: 'default', stageId: 'appointmentscheduled' });
    const c = await contract();
    for (let i = 0; i < 3; i++) await sweep();

    const handoffs = await renewalHandoffs(c.dealId);
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]?.handoff.receivingOwner).toEqual({ kind: 'user', userId: c.ownerId });
    expect(tasks(c.dealId)).toEqual([`Renewal handoff: Acme deal renews on ${RENEWAL}`]);
    const task = h.hubspot.list('tasks').find((t) => h.hubspot.associated('tasks', t.id, 'deals').includes(c.dealId));
    expect(task?.properties.hubspot_owner_id).toBe(c.ownerId);
    expect(renewalDeals(c.dealId)).toHaveLength(1);
    const renewal = renewalDeals(c.dealId)[0];
    expect(renewal?.properties).toMatchObject({
      dealname: `Acme deal — renewal ${RENEWAL}`,
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      hubspot_owner_id: c.ownerId,
      rh_renewal_of: `${c.dealId}:${RENEWAL}`,
      amount: '12000.00',
      deal_currency_code: 'USD',
    });
    expect(h.hubspot.associated('deals', renewal?.id ?? '', 'companies')).toEqual([c.companyId]);
    expect((await facts(c.dealId)).map((f) => f.subject_id)).toEqual([handoffs[0]?.handoff.id]);
  }, 180_000);

  it.each(['handoff', 'prefill:performed', 'task:started', 'task:performed', 'task', 'deal:started', 'deal:performed'])(
    'after a crash at %s, rerun twice, still yields one handoff, one task and one renewal deal',
    async (point) => {
      await applySettings({ createDeal: true, pipelineId: 'default', stageId: 'appointmentscheduled' });
      const c = await contract();
      await expect(
        sweep(async (name, dealId) => {
          if (name === point && dealId === c.dealId) throw new Crash(`killed at ${name}`);
        }),
      ).rejects.toThrow(Crash);
      await sweep();
      await sweep();
      expect(await renewalHandoffs(c.dealId)).toHaveLength(1);
      expect(tasks(c.dealId)).toHaveLength(1);
      expect(renewalDeals(c.dealId)).toHaveLength(1);
      expect(await facts(c.dealId)).toHaveLength(1);
    },
    180_000,
  );

  it('creates no renewal deal when the setting is off, and nothing before the lead days', async () => {
    await applySettings({ createDeal: false });
    const early = await contract({ days: 91, name: 'Early' });
    const due = await contract({ days: 90, name: 'Due' });
    await sweep();
    await sweep();
    expect(await renewalHandoffs(early.dealId)).toEqual([]);
    expect(tasks(early.dealId)).toEqual([]);
    expect(await renewalHandoffs(due.dealId)).toHaveLength(1);
    expect(tasks(due.dealId)).toHaveLength(1);
    expect(renewalDeals(due.dealId)).toEqual([]);
  }, 180_000);

  it('reports a renewal date a template cannot accept, naming the field and the value, and creates nothing for it', async () => {
    const bad = await contract({ renewalDate: '2026-02-30', name: 'Bad' });
    const good = await contract({ name: 'Good' });
    const result = (await sweep()) as Awaited<ReturnType<typeof import('../../src/app/renewals.js').sweepRenewals>>;
    const outcome = result.outcomes.find((o) => o.dealId === bad.dealId);
    expect(outcome?.error?.path).toBe('renewalDate');
    expect(outcome?.error?.message).toContain('"2026-02-30"');
    expect(outcome?.error?.message).toContain('YYYY-MM-DD');
    expect(await renewalHandoffs(bad.dealId)).toEqual([]);
    expect(tasks(bad.dealId)).toEqual([]);
    expect(await renewalHandoffs(good.dealId)).toHaveLength(1);
  }, 180_000);

  it('follows a renewal date moved in HubSpot after the handoff was accepted: the sweep plans with the new date', async () => {
    await applySettings({ createDeal: false });
    // Accepted with a renewal far away: nothing is due.
    const c = await contract({ days: 200, name: 'Moved' });
    await sweep();
    expect(await renewalHandoffs(c.dealId)).toEqual([]);
    // Someone moves the renewal date on the deal in HubSpot: it is now 90 days away.
    const deal = h.hubspot.get('deals', c.dealId);
    if (deal) deal.properties.rh_renewal_date = RENEWAL;
    await sweep();
    await sweep();
    const handoffs = await renewalHandoffs(c.dealId);
    expect(handoffs).toHaveLength(1);
    expect(tasks(c.dealId)).toEqual([`Renewal handoff: Moved deal renews on ${RENEWAL}`]);
    // The accepted handoff now holds the new date, and its thread says where it came from.
    const store = portalStore(h.db, PORTAL);
    const accepted = (await store.handoffs.byDeal(c.dealId)).find((s) => s.handoff.templateId !== RENEWAL_TEMPLATE_ID);
    expect((accepted?.data as { renewalDate?: string } | undefined)?.renewalDate).toBe(RENEWAL);
    const events = await store.events.list(accepted?.handoff.id ?? '');
    const moved = events.filter((e) => e.type === 'renewal_date_changed');
    expect(moved).toHaveLength(1);
    expect(moved[0]?.payload).toMatchObject({ from: plusDays(TODAY, 200), to: RENEWAL });
  }, 180_000);

  it('keeps the stored renewal date when HubSpot holds one that is not a real day, and goes on with it', async () => {
    await applySettings({ createDeal: false });
    const c = await contract({ name: 'Typo' });
    const deal = h.hubspot.get('deals', c.dealId);
    if (deal) deal.properties.rh_renewal_date = '2027-02-30';
    await sweep();
    const accepted = (await portalStore(h.db, PORTAL).handoffs.byDeal(c.dealId)).find(
      (s) => s.handoff.templateId !== RENEWAL_TEMPLATE_ID,
    );
    expect((accepted?.data as { renewalDate?: string } | undefined)?.renewalDate).toBe(RENEWAL);
    expect(tasks(c.dealId)).toEqual([`Renewal handoff: Typo deal renews on ${RENEWAL}`]);
  }, 180_000);

  it('names a renewal stage that does not exist, and still hands off and creates the task', async () => {
    await applySettings({ createDeal: true, pipelineId: 'default', stageId: 'no-such-stage' });
    const c = await contract();
    const result = (await sweep()) as Awaited<ReturnType<typeof import('../../src/app/renewals.js').sweepRenewals>>;
    const outcome = result.outcomes.find((o) => o.dealId === c.dealId);
    expect(outcome?.error).toMatchObject({ path: 'settings.renewals.stageId' });
    expect(outcome?.error?.message).toContain('"no-such-stage"');
    expect(await renewalHandoffs(c.dealId)).toHaveLength(1);
    expect(tasks(c.dealId)).toHaveLength(1);
    expect(renewalDeals(c.dealId)).toEqual([]);
  }, 180_000);

  it('shows the prefilled renewal handoff on the deal; CS submits it and the account owner accepts it', async () => {
    await applySettings({ createDeal: false });
    const c = await contract();
    await sweep();
    const services: AppServices = await h.runtime.services(PORTAL);
    const as = (user: CallingUser): HandlerContext<AppServices> => ({
      portalId: PORTAL,
      user,
      now: NOW,
      logger: services.logger,
      services,
    });
    const cs = as({ id: '2002', roles: ['customer_success'], teams: ['customer_success'] });
    const view = await getHandoffView(cs, { dealId: c.dealId });
    const card = view.handoffs.find((x) => x.templateId === RENEWAL_TEMPLATE_ID);
    expect(card?.templateName).toBe('Customer Success → Sales (renewal)');
    const value = (key: string) => card?.fields.find((f) => f.key === key)?.value;
    expect(value('knownRisks')).toBe('Their admin leaves in June');
    expect(value('promisesMade')).toBe('SSO by Q3');
    expect(value('renewalDate')).toBe(RENEWAL);
    expect(String(value('usageAgainstCommitment'))).toContain('Committed: 10,000 API calls a month.');
    expect(String(value('usageAgainstCommitment'))).toContain('$12,000.00');
    expect(String(value('paymentHealth'))).toContain('No finance system is connected');
    expect(card?.complete).toBe(true);
    // The billing part of the view still belongs to the finance handoff.
    expect(view.handoffs.map((x) => x.templateId).at(-1)).toBe(RENEWAL_TEMPLATE_ID);

    const submitted = await submitHandoff(cs, {
      dealId: c.dealId,
      handoffId: card?.id ?? '',
      revision: card?.revision ?? 0,
    });
    const after = submitted.handoffs.find((x) => x.templateId === RENEWAL_TEMPLATE_ID);
    expect(after?.state).toBe('submitted');
    const owner = as({ id: c.ownerId, roles: ['sales'], teams: [] });
    const accepted = await reviewHandoff(owner, {
      dealId: c.dealId,
      handoffId: after?.id ?? '',
      revision: after?.revision ?? 0,
      action: { type: 'accept' },
    });
    expect(accepted.handoffs.find((x) => x.templateId === RENEWAL_TEMPLATE_ID)?.state).toBe('accepted');
    // Another sweep changes nothing.
    await sweep();
    expect(await renewalHandoffs(c.dealId)).toHaveLength(1);
    expect(tasks(c.dealId)).toHaveLength(1);
  }, 180_000);
});
