/**
 * The demo with the finance template set to show invoices not yet due as QuickBooks Estimates
 * (`DEMO_QUICKBOOKS_SCHEDULED_AS=estimate npm start`): the live deals' upcoming invoices are Estimates in the books,
 * and the card links each scheduled invoice to its estimate.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HandoffView } from '../../src/api/contracts.js';
import { DEMO_USERS } from '../../src/demo/data.js';
import { PREVIEW_USER_HEADER } from '../../src/preview/bootstrap.js';
import type { DemoApp } from '../browser/support/demo-app.js';

let demo: DemoApp;

beforeAll(async () => {
  process.env.DEMO_QUICKBOOKS_SCHEDULED_AS = 'estimate';
  const { startDemoApp } = await import('../browser/support/demo-app.js');
  demo = await startDemoApp();
}, 180_000);

afterAll(async () => {
  delete process.env.DEMO_QUICKBOOKS_SCHEDULED_AS;
  await demo?.stop();
});

describe('demo with QuickBooks Estimates for invoices not yet due', () => {
  it('shows each live deal’s upcoming invoices as Estimates in QuickBooks, linked from the card', async () => {
    const qbo = demo.sandboxes.quickbooks;
    const estimates = [...qbo.state.estimates.values()];
    expect(estimates.length).toBeGreaterThan(0);
    expect(estimates.every((e) => e.TxnStatus === 'Pending')).toBe(true);

    const views = await Promise.all(
      demo.deals.map(async (deal) => {
        const res = await fetch(`${demo.url}/preview/api/getHandoffView`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [PREVIEW_USER_HEADER]: DEMO_USERS.finance.id },
          body: JSON.stringify({ dealId: deal.id }),
        });
        return (await res.json()) as HandoffView;
      }),
    );
    const linked = views.flatMap((v) => v.billing.invoices.filter((i) => i.status === 'scheduled' && i.estimate));
    expect(linked.length).toBe(estimates.length);
    for (const inv of linked) {
      expect(inv.estimate?.url).toMatch(/\/app\/estimate\?txnId=\d+$/);
      expect(estimates.some((e) => e.DocNumber === inv.estimate?.number)).toBe(true);
    }
  });
});
