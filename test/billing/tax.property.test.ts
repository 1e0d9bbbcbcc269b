import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BillingPlanSchema } from '../../src/billing/plan.js';
import { generateSchedule } from '../../src/billing/schedule.js';
import { invoiceTax, scheduledInvoiceTax, type TaxTreatment, taxOn } from '../../src/billing/tax.js';

const runs = Number(process.env.FAST_CHECK_RUNS ?? 200);
const timeout = Math.max(10_000, runs * 20);

const CURRENCIES = ['JPY', 'USD', 'KWD'] as const;

/** Realistic codes and rates from the three systems, plus arbitrary four-decimal rates. */
const treatmentArb: fc.Arbitrary<TaxTreatment> = fc.record({
  code: fc.constantFrom('OUTPUT2', 'OUTPUT', 'EXEMPTOUTPUT', '12', '7', 'TAX', 'txr_1', 'txr_2'),
  ratePercent: fc.oneof(
    fc.constantFrom(0, 5, 7.5, 8.875, 10, 12.5, 15, 20, 21, 25),
    fc.integer({ min: 0, max: 1_000_000 }).map((ppm) => ppm / 10_000),
  ),
  inclusive: fc.boolean(),
});

const lineArb = fc.record({
  amount: fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }),
  tax: fc.option(treatmentArb, { nil: null }),
});

const invoiceArb = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  rounding: fc.constantFrom('per_line' as const, 'per_invoice' as const),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 12 }),
});

describe('tax on invoices with mixed tax codes (property)', () => {
  it(
    'net + tax = gross on every line and on the invoice, to the minor unit, and the totals are the sums of the lines',
    () => {
      fc.assert(
        fc.property(invoiceArb, ({ currency, rounding, lines }) => {
          const r = invoiceTax({
            currency,
            rounding,
            lines: lines.map((l) => ({ amount: { amount: l.amount, currency }, tax: l.tax })),
          });
          for (const [j, l] of r.lines.entries()) {
            expect(Number.isSafeInteger(l.tax.amount)).toBe(true);
            expect(l.net.amount + l.tax.amount).toBe(l.gross.amount);
            const given = lines[j]?.amount as number;
            // The contract amount is the gross of an inclusive line and the net of any other.
            expect(lines[j]?.tax?.inclusive ? l.gross.amount : l.net.amount).toBe(given);
            if (!lines[j]?.tax) expect(l.tax.amount).toBe(0);
          }
          expect(r.net.amount + r.tax.amount).toBe(r.gross.amount);
          expect(r.net.amount).toBe(r.lines.reduce((s, l) => s + l.net.amount, 0));
          expect(r.tax.amount).toBe(r.lines.reduce((s, l) => s + l.tax.amount, 0));
          expect(r.tax.amount).toBe(r.byCode.reduce((s, c) => s + c.tax.amount, 0));
          for (const m of [r.net, r.tax, r.gross]) expect(m.currency).toBe(currency);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'rounds each line on its own (Xero, Stripe) or once per code and rate on the invoice (QuickBooks)',
    () => {
      fc.assert(
        fc.property(invoiceArb, ({ currency, lines }) => {
          const input = lines.map((l) => ({ amount: { amount: l.amount, currency }, tax: l.tax }));
          const perLine = invoiceTax({ currency, rounding: 'per_line', lines: input });
          for (const [j, l] of perLine.lines.entries()) {
            const t = lines[j]?.tax;
            expect(l.tax.amount).toBe(t ? taxOn(lines[j]?.amount as number, t) : 0);
          }
          const perInvoice = invoiceTax({ currency, rounding: 'per_invoice', lines: input });
          for (const c of perInvoice.byCode) {
            const members = lines.filter(
              (l) =>
                l.tax &&
                l.tax.code === c.code &&
                l.tax.ratePercent === c.ratePercent &&
                l.tax.inclusive === c.inclusive,
            );
            const sum = members.reduce((s, l) => s + l.amount, 0);
            expect(c.tax.amount).toBe(taxOn(sum, c));
          }
          // Rounding once can differ from rounding each line by at most half a minor unit per line.
          expect(Math.abs(perInvoice.tax.amount - perLine.tax.amount)).toBeLessThanOrEqual(lines.length);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'every invoice of a generated schedule with per-component tax codes sums exactly',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...CURRENCIES),
          fc.integer({ min: 1, max: 50_000_000 }),
          fc.integer({ min: 1, max: 50_000_000 }),
          treatmentArb,
          fc.option(treatmentArb, { nil: undefined }),
          fc.constantFrom('per_line' as const, 'per_invoice' as const),
          (currency, price, fee, planTax, feeTax, rounding) => {
            const plan = BillingPlanSchema.parse({
              currency,
              startDate: '2026-01-15',
              endDate: '2026-12-31',
              paymentTerms: 'net_30',
              tax: planTax,
              discount: { kind: 'percent', basisPoints: 1250 },
              components: [
                {
                  kind: 'recurring',
                  description: 'Platform',
                  interval: 'monthly',
                  timing: 'advance',
                  alignment: 'calendar',
                  price: { amount: price, currency },
                },
                {
                  kind: 'one_time',
                  description: 'Implementation',
                  amount: { amount: fee, currency },
                  ...(feeTax ? { tax: feeTax } : {}),
                },
              ],
            });
            const schedule = generateSchedule(plan);
            let gross = 0;
            let net = 0;
            let tax = 0;
            for (const inv of schedule.invoices) {
              const t = scheduledInvoiceTax(inv, plan, rounding);
              expect(t.net.amount + t.tax.amount).toBe(t.gross.amount);
              gross += t.gross.amount;
              net += t.net.amount;
              tax += t.tax.amount;
            }
            expect(net + tax).toBe(gross);
          },
        ),
        { numRuns: runs },
      );
    },
    timeout,
  );
});
