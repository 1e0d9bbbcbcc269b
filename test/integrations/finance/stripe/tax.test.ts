import { describe, expect, it } from '@jest/globals';
import { money } from '../../../../src/core/money.js';
import type { FinanceError, InvoiceDraft } from '../../../../src/integrations/finance/port.js';
import { createStripeFinanceSystem } from '../../../../src/integrations/finance/stripe/adapter.js';
import { stripeFromKey } from '../../../../src/integrations/finance/stripe/client.js';
import { createStripeSandbox } from '../../../../src/integrations/finance/stripe/sandbox/index.js';

function setup() {
  const sandbox = createStripeSandbox({
    now: () => new Date('2026-03-02T09:00:00Z'),
    taxRates: [
      { display_name: 'VAT', percentage: 20, inclusive: false, country: 'GB' },
      { display_name: 'VAT reduced', percentage: 5, inclusive: true, country: 'GB' },
    ],
  });
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) =>
    sandbox.handle(new Request(input, init))) as typeof globalThis.fetch;
  const stripe = createStripeFinanceSystem({ stripe: stripeFromKey(sandbox.apiKey, { fetch }) });
  return { sandbox, stripe };
}

const gbp = (n: number) => money(n, 'GBP');

async function draft(stripe: ReturnType<typeof setup>['stripe'], lines: InvoiceDraft['lines']): Promise<InvoiceDraft> {
  const c = await stripe.createCustomer(
    { legalName: 'Camden Labs', currency: 'GBP', paymentTerms: 'net_30', externalRef: 'hs-company-9' },
    'k-c',
  );
  return {
    customerId: c.id,
    reference: 'rh-tax-1',
    issueDate: '2026-03-02',
    dueDate: '2026-04-01',
    currency: 'GBP',
    paymentTerms: 'net_30',
    status: 'draft',
    lines,
  };
}

describe('Stripe tax rates per invoice item', () => {
  it('lists the account’s active rates with their inclusive flag', async () => {
    const { stripe } = setup();
    const s = await stripe.taxSetup?.();
    expect(s).toMatchObject({ mode: 'codes', rounding: 'per_line', mixedInclusive: true });
    expect(s?.codes.map((c) => [c.name, c.ratePercent, c.inclusive])).toEqual([
      ['VAT reduced GB', 5, true],
      ['VAT GB', 20, false],
    ]);
  });

  it('puts each line’s rate on its invoice item; an exclusive and an inclusive rate mix on one invoice', async () => {
    const { stripe, sandbox } = setup();
    const d = await draft(stripe, [
      {
        description: 'Platform',
        quantity: 1,
        unitAmount: gbp(100_00),
        amount: gbp(100_00),
        tax: { code: 'VAT GB', ratePercent: 20, inclusive: false },
      },
      {
        description: 'Books',
        quantity: 1,
        unitAmount: gbp(21_00),
        amount: gbp(21_00),
        tax: { code: 'VAT reduced GB', ratePercent: 5, inclusive: true },
      },
    ]);
    const created = await stripe.createInvoice(d, 'k-i');
    // £100 + £20 VAT, and £21 that already includes £1 of VAT.
    expect(created.total).toEqual(gbp(141_00));
    const inv = sandbox.state.invoices.get(created.id);
    expect(inv?.total_taxes?.map((t) => t.amount).sort()).toEqual([100, 2000]);
  });

  it('refuses a rate the account lacks before creating anything, naming the nearest rates', async () => {
    const { stripe, sandbox } = setup();
    const d = await draft(stripe, [
      {
        description: 'Platform',
        quantity: 1,
        unitAmount: gbp(100),
        amount: gbp(100),
        tax: { code: 'txr_unknown', ratePercent: 20, inclusive: false },
      },
    ]);
    const e = (await stripe.createInvoice(d, 'k-bad').catch((x: unknown) => x)) as FinanceError;
    expect(e.kind).toBe('validation');
    expect(e.vendorMessage).toMatch(
      /tax rate "txr_unknown" is not one of this Stripe account's active tax rates; the nearest: .*VAT GB, 20%/,
    );
    expect(sandbox.state.invoices.size).toBe(0);
  });

  it('refuses automatic tax (Stripe Tax) naming the line, the value and the tax rates it accepts instead', async () => {
    const { stripe, sandbox } = setup();
    const d = await draft(stripe, [
      {
        description: 'Platform',
        quantity: 1,
        unitAmount: gbp(100),
        amount: gbp(100),
        tax: { code: 'automatic', ratePercent: 20, inclusive: false },
      },
    ]);
    const e = (await stripe.createInvoice(d, 'k-auto').catch((x: unknown) => x)) as FinanceError;
    expect(e.kind).toBe('validation');
    expect(e.vendorMessage).toMatch(
      /line 1 tax code "automatic": automatic tax \(Stripe Tax\) is not supported; accepted: the id \(txr_…\) or display name of one of the account's active tax rates, e\.g\. txr_\w+ \(VAT GB, 20%\)/,
    );
    expect(sandbox.state.invoices.size).toBe(0);
  });
});
