/**
 * The demo with non-US books (DEMO_QUICKBOOKS_COUNTRY=GB, as `DEMO_QUICKBOOKS_COUNTRY=GB npm start`): a UK
 * QuickBooks company whose issued invoices carry the right VAT code on each line, and a card preview with net,
 * VAT and gross per invoice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HandoffView } from '../../src/api/contracts.js';
import { DEMO_USERS } from '../../src/demo/data.js';
import { PREVIEW_USER_HEADER } from '../../src/preview/bootstrap.js';
import type { DemoApp } from '../browser/support/demo-app.js';

let demo: DemoApp;

beforeAll(async () => {
  process.env.DEMO_QUICKBOOKS_COUNTRY = 'GB';
  const { startDemoApp } = await import('../browser/support/demo-app.js');
  demo = await startDemoApp();
}, 180_000);

afterAll(async () => {
  delete process.env.DEMO_QUICKBOOKS_COUNTRY;
  await demo?.stop();
});

describe('demo with a UK QuickBooks company', () => {
  it('issues the UK deal’s invoices with the right tax code on each line and VAT per rate', () => {
    const qbo = demo.sandboxes.quickbooks;
    expect(qbo.state.country).toBe('GB');
    const brixton = [...qbo.state.customers.values()].find((c) => c.DisplayName.startsWith('Brixton Analytics'));
    expect(brixton).toBeDefined();
    const invoices = [...qbo.state.invoices.values()].filter((i) => i.CustomerRef.value === brixton?.Id);
    expect(invoices.length).toBeGreaterThanOrEqual(3);
    for (const inv of invoices) {
      expect(inv.CurrencyRef?.value).toBe('GBP');
      expect(inv.GlobalTaxCalculation).toBe('TaxExcluded');
      for (const line of inv.Line) {
        if (line.DetailType !== 'SalesItemLineDetail') continue;
        const expected = line.Description?.startsWith('Training materials') ? '4' : '2';
        expect(line.SalesItemLineDetail.TaxCodeRef?.value).toBe(expected);
      }
      const net = inv.Line.filter((l) => l.DetailType === 'SalesItemLineDetail').reduce(
        (s, l) => s + (l.Amount ?? 0),
        0,
      );
      expect(Math.round((net + (inv.TxnTaxDetail?.TotalTax ?? 0)) * 100)).toBe(Math.round(inv.TotalAmt * 100));
    }
    const training = invoices.find((i) =>
      i.Line.some((l) => l.DetailType === 'SalesItemLineDetail' && l.Description?.startsWith('Training materials')),
    );
    expect(training?.TxnTaxDetail?.TotalTax).toBe(30); // 5% of £600
  });

  it('shows net, VAT and gross per invoice in GBP on the deal card', async () => {
    const deal = demo.deals.find((d) => d.name.startsWith('Brixton Analytics'));
    expect(deal).toBeDefined();
    const res = await fetch(`${demo.url}/preview/api/getHandoffView`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PREVIEW_USER_HEADER]: DEMO_USERS.finance.id },
      body: JSON.stringify({ dealId: deal?.id }),
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as HandoffView;
    const tax = view.billing.preview?.tax;
    expect(tax?.rounding).toBe('per_invoice');
    expect(tax?.gross.currency).toBe('GBP');
    expect(tax?.net.amount ?? 0).toBeGreaterThan(0);
    expect((tax?.net.amount ?? 0) + (tax?.tax.amount ?? 0)).toBe(tax?.gross.amount);
    expect(tax?.invoices.some((i) => i.codes.some((c) => c.includes('VAT 5%')))).toBe(true);
    // The books' VAT codes, as last read, for the plan editor's tax code picker.
    expect(view.billing.taxCodes?.map((c) => c.code)).toEqual(['2', '4', '6', '8']);
    expect(view.billing.taxCodes?.find((c) => c.code === '4')).toMatchObject({ ratePercent: 5 });
  });
});
