import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MetricsViewSchema, SettingsViewSchema } from '../../src/api/contracts.js';
import { type Backend, PORTAL, startBackend } from '../support/backend.js';
import { signedPost } from '../support/signed.js';

const REVOPS = '4004';
const REP = '1001';

describe('settings and metrics through the card API', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await startBackend();
  }, 60_000);
  afterAll(() => b.stop());

  const post = (name: string, body: unknown, userId = REVOPS) =>
    signedPost(b.app, `/api/${name}`, body, { portalId: PORTAL, userId });

  it('shows settings, both templates, the field catalog and that no finance system is connected', async () => {
    const res = await post('getSettings', {});
    expect(res.status).toBe(200);
    const v = SettingsViewSchema.parse(res.body);
    expect(v.templates.map((t) => t.id).sort()).toEqual([
      'default-cs-to-finance',
      'default-cs-to-sales-renewal',
      'default-sales-to-cs',
    ]);
    expect(v.finance.status).toBe('not_connected');
    expect(v.fields.find((f) => f.key === 'poNumber')?.label).toBeTruthy();
  });

  it('saves valid settings and refuses invalid ones naming the field, keeping what was stored', async () => {
    const ok = await post('saveSettings', {
      settings: {
        timeZone: 'Europe/Berlin',
        bannerThresholds: { warningFromDaysPastDue: 5, dangerFromDaysPastDue: 45 },
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.timeZone).toBe('Europe/Berlin');
    const bad = await post('saveSettings', { settings: { timeZone: 'Mars/Base' } });
    expect(bad.status).toBe(400);
    expect(bad.body.path).toBe('settings.timeZone');
    const again = await post('getSettings', {});
    expect(again.body.settings.timeZone).toBe('Europe/Berlin');
  });

  it('lets only RevOps change settings and templates', async () => {
    expect((await post('saveSettings', { settings: {} }, REP)).status).toBe(403);
    const tpl = (await post('getSettings', {})).body.templates[0];
    expect((await post('saveTemplate', { template: tpl }, REP)).status).toBe(403);
  });

  it('saves a template edit as the next version and refuses a broken one', async () => {
    const tpl = (await post('getSettings', {})).body.templates.find(
      (t: { id: string }) => t.id === 'default-cs-to-finance',
    );
    const res = await post('saveTemplate', { template: { ...tpl, sla: { ...tpl.sla, hours: 8 } } });
    expect(res.status).toBe(200);
    const saved = res.body.templates.find((t: { id: string }) => t.id === 'default-cs-to-finance');
    expect(saved).toMatchObject({ version: tpl.version + 1, sla: { hours: 8 } });
    const bad = await post('saveTemplate', { template: { ...tpl, rejectionReasons: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.path).toContain('rejectionReasons');
  });

  it('validates values against a template without storing anything, naming each problem', async () => {
    const res = await post(
      'validateHandoff',
      { templateId: 'default-cs-to-finance', values: { poRequired: true, paymentTerms: 'net_90' } },
      REP,
    );
    expect(res.status).toBe(200);
    const po = res.body.fields.find((f: { key: string }) => f.key === 'poNumber');
    expect(po).toMatchObject({ status: 'missing' });
    expect(res.body.fields.find((f: { key: string }) => f.key === 'paymentTerms').status).toBe('needs_approval');
    expect(res.body.complete).toBe(false);
    expect((await post('validateHandoff', { templateId: 'nope', values: {} }, REP)).status).toBe(404);
    expect(
      (await post('validateHandoff', { templateId: 'default-cs-to-finance', values: { madeUp: 1 } }, REP)).status,
    ).toBe(400);
  });

  it('refuses a malformed Stripe key naming the field, and milestone or invoice actions from the wrong role', async () => {
    const stripe = await post('connectStripe', { secretKey: 'pk_live_123' });
    expect(stripe.status).toBe(400);
    expect(stripe.body.message).toContain('Stripe secret or restricted key');
    const milestone = await post('markMilestoneAccepted', { dealId: '1', handoffId: 'h', milestoneId: 'm1' }, REP);
    expect(milestone.status).toBe(403);
    const cancel = await post(
      'cancelScheduledInvoice',
      { dealId: '1', handoffId: 'h', invoiceKey: 'c0-p1', reason: 'x' },
      REP,
    );
    expect(cancel.status).toBe(403);
  });

  it('answers the revenue-readiness metrics for a portal with no history yet', async () => {
    const res = await post('getMetrics', {}, REP);
    expect(res.status).toBe(200);
    const m = MetricsViewSchema.parse(res.body);
    expect(m.timeZone).toBe('Europe/Berlin');
    expect(m.atRisk).toEqual([]);
  });
});
