import { Table, TableRow } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import { billingView } from '../../src/app/handoff-view.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { DEAL_ID, view } from './handoff-fixtures.js';
import { textOf } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const gbp = (amount: number) => ({ amount, currency: 'GBP' });

/** A UK deal: a monthly platform fee with 50% off at standard VAT (template default), training books at 5%. */
const PLAN = {
  currency: 'GBP',
  startDate: '2026-01-01',
  endDate: '2026-03-31',
  paymentTerms: 'net_30',
  discount: { kind: 'percent', basisPoints: 5000 },
  components: [
    { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: gbp(1_03) },
    {
      kind: 'one_time',
      description: 'Training books',
      amount: gbp(50_00),
      tax: { code: '4', ratePercent: 5, label: 'VAT 5%' },
    },
  ],
};
const VAT20 = { code: '2', ratePercent: 20, inclusive: false, label: 'VAT 20%' };

describe('HandoffChecklist billing preview with tax', () => {
  it('shows net, tax and gross per invoice and for the contract, in the deal’s currency, rounded as QuickBooks does', async () => {
    const billing = billingView({
      plan: PLAN,
      setup: null,
      invoices: [],
      customerUrl: null,
      system: 'quickbooks',
      defaultTax: VAT20,
    });
    expect(billing.preview?.tax?.rounding).toBe('per_invoice');
    backend.answer('getHandoffView', { body: view({ billing }) });
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    await r.waitFor(() => expect(r.maybeFind(Table)).not.toBeNull());
    const rows = r.findByTestId(Table, 'billing-preview').findAll(TableRow);
    expect(textOf(rows[0])).toMatch(/Net[\s\S]*Tax[\s\S]*Gross/);
    const text = rows.map((row) => textOf(row));
    // Each month: £1.03 − £0.52 discount = £0.51 net; 20% of £0.51 once = £0.10 (per line it would be £0.21 − £0.10).
    const platform = text.filter((t) => t.includes('Platform'));
    expect(platform).toHaveLength(3);
    for (const t of platform) {
      expect(t).toContain('£0.51');
      expect(t).toContain('£0.10');
      expect(t).toContain('£0.61');
      expect(t).toContain('VAT 20% (2)');
    }
    const books = text.find((t) => t.includes('Training books')) ?? '';
    expect(books).toContain('£50.00');
    expect(books).toContain('£2.50');
    expect(books).toContain('£52.50');
    expect(books).toContain('VAT 5% (4)');
    const footer = text.at(-1) ?? '';
    expect(footer).toContain('£51.53'); // net: 3 × £0.51 + £50
    expect(footer).toContain('£2.80'); // tax: 3 × £0.10 + £2.50
    expect(footer).toContain('£54.33');
    expect(textOf(r.getRootNode())).toContain('rounded once per rate on each invoice');
  });

  it('rounds on each line for Xero and Stripe (£0.21 − £0.10, not 20% of £0.51)', () => {
    const billing = billingView({
      plan: PLAN,
      setup: null,
      invoices: [],
      customerUrl: null,
      system: 'xero',
      defaultTax: VAT20,
    });
    expect(billing.preview?.tax?.invoices[0]?.tax).toEqual(gbp(11));
    expect(billing.preview?.tax?.invoices[0]?.gross).toEqual(gbp(62));
  });

  it('shows the plain preview when no line carries tax', () => {
    const untaxed = { ...PLAN, components: PLAN.components.slice(0, 1) };
    const billing = billingView({ plan: untaxed, setup: null, invoices: [], customerUrl: null, system: 'quickbooks' });
    expect(billing.preview?.tax).toBeNull();
  });
});
