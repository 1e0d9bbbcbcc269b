import { describe, expect, it } from '@jest/globals';
import type { FinanceCapabilities } from '../../src/billing/capabilities.js';
import { applyPlanPatch, checkFeasibility } from '../../src/billing/feasibility.js';
import { BillingPlanSchema } from '../../src/billing/plan.js';
import {
  invoiceTax,
  lineItemTax,
  nearestTaxCodes,
  resolvePlanTax,
  TaxTreatmentSchema,
  taxOn,
} from '../../src/billing/tax.js';
import {
  QUICKBOOKS_CAPABILITIES,
  STRIPE_CAPABILITIES,
  XERO_CAPABILITIES,
} from '../../src/billing/vendor-capabilities.js';
import { caught, monthlyPlan } from './fixtures.js';

const gbp = (amount: number) => ({ amount, currency: 'GBP' });

/** A UK QuickBooks company's tax codes (ids as QuickBooks numbers them). */
const UK_QBO: FinanceCapabilities = {
  ...QUICKBOOKS_CAPABILITIES,
  tax: {
    mode: 'codes',
    rounding: 'per_invoice',
    mixedInclusive: false,
    country: 'GB',
    codes: [
      { code: '2', name: '20.0% S', ratePercent: 20 },
      { code: '4', name: '5.0% R', ratePercent: 5 },
      { code: '6', name: '0.0% Z', ratePercent: 0 },
      { code: '8', name: 'Exempt', ratePercent: 0 },
    ],
  },
};

const ukPlan = (tax: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  monthlyPlan({
    currency: 'GBP',
    tax: tax as never,
    components: [
      { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: gbp(1000_00) },
      { kind: 'one_time', description: 'Onboarding', amount: gbp(500_00), ...extra },
    ],
  });

describe('tax amounts', () => {
  it('adds exclusive tax and takes inclusive tax out of the gross, rounding half away from zero', () => {
    expect(taxOn(1000, { ratePercent: 20, inclusive: false })).toBe(200);
    expect(taxOn(10_000, { ratePercent: 20, inclusive: true })).toBe(1667);
    expect(taxOn(-10_000, { ratePercent: 20, inclusive: true })).toBe(-1667);
    expect(taxOn(1, { ratePercent: 50, inclusive: false })).toBe(1);
    expect(taxOn(999, { ratePercent: 8.875, inclusive: false })).toBe(89);
  });

  it('rounds per line for Xero and Stripe and per code on the invoice for QuickBooks', () => {
    const vat = { code: '2', ratePercent: 20, inclusive: false };
    const lines = [1_03, 1_03, 1_03].map((a) => ({ amount: gbp(a), tax: vat }));
    expect(invoiceTax({ currency: 'GBP', rounding: 'per_line', lines }).tax.amount).toBe(63); // 3 × 21p
    const perInvoice = invoiceTax({ currency: 'GBP', rounding: 'per_invoice', lines });
    expect(perInvoice.tax.amount).toBe(62); // 20% of £3.09
    expect(perInvoice.lines.map((l) => l.tax.amount)).toEqual([21, 20, 21]);
    expect(perInvoice.gross.amount).toBe(3_71);
  });

  it('refuses a line in another currency, naming the line and the currency expected', () => {
    const e = caught(() =>
      invoiceTax({ currency: 'GBP', rounding: 'per_line', lines: [{ amount: { amount: 100, currency: 'EUR' } }] }),
    );
    expect(e.path).toBe('invoice.lines[0].amount.currency');
    expect(e.message).toMatch(/EUR.*GBP/);
  });

  it('refuses a rate with too many decimals or over 100%, naming the field', () => {
    expect(caught(() => BillingPlanSchema.parse(ukPlan({ code: '2', ratePercent: 20.00001 }))).message).toBeDefined();
    const r = TaxTreatmentSchema.safeParse({ code: '2', ratePercent: 120 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['ratePercent']);
    expect(r.error?.issues[0]?.message).toBe('cannot exceed 100%');
  });
});

describe('where a line gets its tax treatment', () => {
  const vat20 = { code: '2', ratePercent: 20, inclusive: false };
  const reduced = { code: '4', ratePercent: 5, inclusive: false };

  it('takes the component’s own, else its HubSpot line item’s, else the plan’s, else the template’s default', () => {
    const plan: { tax?: typeof vat20; components: Array<{ tax?: typeof vat20; lineItemId?: string }> } = {
      components: [{ tax: reduced }, { lineItemId: '901' }, { lineItemId: '902' }, {}],
    };
    const resolved = resolvePlanTax(plan, { lineItems: { '901': vat20, '902': null }, templateDefault: vat20 });
    expect(resolved.components.map((c) => (c as { tax?: { code: string } }).tax?.code)).toEqual([
      '4',
      '2',
      undefined,
      undefined,
    ]);
    expect(resolved.tax).toEqual(vat20);
    expect(resolvePlanTax({ tax: reduced, components: [] }, { templateDefault: vat20 }).tax).toEqual(reduced);
  });

  it('reads a HubSpot line item’s tax properties', () => {
    expect(lineItemTax({ hs_tax_rate: '20', rh_tax_code: '2', hs_tax_label: 'VAT' })).toEqual({
      code: '2',
      ratePercent: 20,
      inclusive: false,
      label: 'VAT',
    });
    expect(lineItemTax({ name: 'Widget' })).toBeNull();
    const e = caught(() => lineItemTax({ hs_tax_rate: 'twenty', rh_tax_code: '2' }));
    expect(e.path).toBe('lineItem.tax.ratePercent');
  });
});

describe('feasibility against the books’ tax codes', () => {
  it('refuses an unknown tax code, naming it and the nearest valid codes, with a patch that fixes it', () => {
    const plan = ukPlan({ code: '20% S', ratePercent: 20 });
    const r = checkFeasibility(plan, UK_QBO);
    expect(r.feasible).toBe(false);
    const p = r.problems.find((x) => x.code === 'tax_code_unknown');
    expect(p?.path).toBe('billingPlan.tax.code');
    expect(p?.message).toContain('"20% S"');
    expect(p?.message).toContain('2 (20.0% S, 20%)');
    const fixed = applyPlanPatch(plan, p?.alternative?.patch ?? []);
    expect(checkFeasibility(fixed, UK_QBO).feasible).toBe(true);
  });

  it('accepts a code by id or by its name in the books, and refuses a rate that differs from the books', () => {
    expect(checkFeasibility(ukPlan({ code: '2', ratePercent: 20 }), UK_QBO).feasible).toBe(true);
    expect(checkFeasibility(ukPlan({ code: '20.0% S', ratePercent: 20 }), UK_QBO).feasible).toBe(true);
    const r = checkFeasibility(ukPlan({ code: '2', ratePercent: 17.5 }), UK_QBO);
    expect(r.problems.map((p) => [p.code, p.path])).toContainEqual([
      'tax_rate_mismatch',
      'billingPlan.tax.ratePercent',
    ]);
  });

  it('refuses mixing tax-inclusive and exclusive lines in QuickBooks and Xero, not in Stripe', () => {
    const mixed = ukPlan({ code: '2', ratePercent: 20 }, { tax: { code: '4', ratePercent: 5, inclusive: true } });
    expect(checkFeasibility(mixed, UK_QBO).problems.map((p) => p.code)).toContain('tax_inclusive_mixed');
    const stripe: FinanceCapabilities = {
      ...STRIPE_CAPABILITIES,
      tax: {
        mode: 'codes',
        rounding: 'per_line',
        mixedInclusive: true,
        codes: [
          { code: 'txr_vat', name: 'VAT', ratePercent: 20, inclusive: false },
          { code: 'txr_red', name: 'VAT reduced', ratePercent: 5, inclusive: true },
        ],
      },
    };
    const stripeMixed = ukPlan(
      { code: 'txr_vat', ratePercent: 20 },
      { tax: { code: 'txr_red', ratePercent: 5, inclusive: true } },
    );
    expect(checkFeasibility(stripeMixed, stripe).feasible).toBe(true);
    const wrongSide = ukPlan({ code: 'txr_vat', ratePercent: 20, inclusive: true });
    expect(checkFeasibility(wrongSide, stripe).problems.map((p) => p.code)).toContain('tax_inclusive_mismatch');
  });

  it('notes that US automated sales tax sets the rate itself', () => {
    const us: FinanceCapabilities = {
      ...QUICKBOOKS_CAPABILITIES,
      tax: {
        mode: 'us_automated',
        rounding: 'per_invoice',
        mixedInclusive: false,
        country: 'US',
        codes: [
          { code: 'TAX', name: 'Taxable', ratePercent: null },
          { code: 'NON', name: 'Non-taxable', ratePercent: 0 },
        ],
      },
    };
    const r = checkFeasibility(monthlyPlan({ tax: { code: 'TAX', ratePercent: 8.875 } as never }), us);
    expect(r.feasible).toBe(true);
    expect(r.problems.map((p) => p.code)).toContain('tax_rate_set_by_system');
    expect(checkFeasibility(monthlyPlan({ tax: { code: 'VAT', ratePercent: 20 } as never }), us).feasible).toBe(false);
  });

  it('does not check tax codes when the books’ setup is not known', () => {
    expect(checkFeasibility(ukPlan({ code: 'anything', ratePercent: 20 }), XERO_CAPABILITIES).feasible).toBe(true);
  });

  it('refuses Stripe automatic tax by field and value, naming the tax rates accepted, before anything is written', () => {
    const stripe: FinanceCapabilities = {
      ...STRIPE_CAPABILITIES,
      tax: {
        mode: 'codes',
        rounding: 'per_line',
        mixedInclusive: true,
        codes: [
          { code: 'txr_vat', name: 'VAT', ratePercent: 20, inclusive: false },
          { code: 'txr_red', name: 'VAT reduced', ratePercent: 5, inclusive: true },
        ],
      },
    };
    const plan = ukPlan({ code: 'txr_vat', ratePercent: 20 }, { tax: { code: 'automatic', ratePercent: 20 } });
    const r = checkFeasibility(plan, stripe);
    expect(r.feasible).toBe(false);
    // One problem for it, not also an "unknown code".
    expect(r.problems.map((p) => p.code)).toEqual(['tax_automatic_unsupported']);
    const p = r.problems[0];
    expect(p?.path).toBe('billingPlan.components[1].tax.code');
    expect(p?.message).toContain('billingPlan.components[1].tax.code is "automatic"');
    expect(p?.message).toContain('automatic tax (Stripe Tax) is not supported');
    expect(p?.message).toContain('txr_…');
    expect(p?.message).toContain('txr_vat (VAT, 20%)');
    expect(checkFeasibility(applyPlanPatch(plan, p?.alternative?.patch ?? []), stripe).feasible).toBe(true);
    // Refused on Stripe even before its tax rates have been read.
    const unknown = checkFeasibility(ukPlan({ code: 'automatic', ratePercent: 20 }), STRIPE_CAPABILITIES);
    expect(unknown.problems.map((x) => [x.code, x.path])).toEqual([
      ['tax_automatic_unsupported', 'billingPlan.tax.code'],
    ]);
  });

  it('suggests same-rate codes first', () => {
    expect(nearestTaxCodes('VAT', 5, UK_QBO.tax?.codes ?? [])[0]?.code).toBe('4');
  });
});
