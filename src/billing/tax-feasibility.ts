import { z } from 'zod';
import type { FinanceCapabilities } from './capabilities.js';
import type { FeasibilityProblem } from './feasibility.js';
import type { BillingPlan } from './plan.js';
import {
  type BooksTaxCode,
  booksCodeFields,
  describeTaxCode,
  findTaxCode,
  isAutomaticTaxCode,
  nearestTaxCodes,
  TaxRatePercentSchema,
  TaxRoundingSchema,
  type TaxTreatment,
} from './tax.js';

/** zod schema of the books' tax setup (capabilities.ts `BooksTaxSetup`). */
export const TaxSetupSchema = z.object({
  mode: z.enum(['codes', 'us_automated']),
  codes: z.array(
    z.object({
      code: z.string().min(1),
      name: z.string(),
      ratePercent: TaxRatePercentSchema.nullable(),
      inclusive: z.boolean().optional(),
    }),
  ),
  rounding: TaxRoundingSchema,
  mixedInclusive: z.boolean(),
  country: z.string().optional(),
});

/** Every place of a plan that states a tax treatment, with its path (in the plan and as a JSON Pointer). */
function* treatments(plan: BillingPlan): Generator<{ path: string; pointer: string; t: TaxTreatment; what: string }> {
  if (plan.tax) yield { path: 'billingPlan.tax', pointer: '/tax', t: plan.tax, what: "the plan's default tax" };
  for (const [i, c] of plan.components.entries()) {
    if (c.tax) {
      yield {
        path: `billingPlan.components[${i}].tax`,
        pointer: `/components/${i}/tax`,
        t: c.tax,
        what: `"${c.description}"`,
      };
    }
  }
}

/** The treatments that actually reach invoice lines (a plan default every component overrides reaches none). */
function effective(plan: BillingPlan): TaxTreatment[] {
  return plan.components.flatMap((c) => (c.tax ? [c.tax] : plan.tax ? [plan.tax] : []));
}

function suggestions(t: TaxTreatment, codes: ReadonlyArray<BooksTaxCode>): string {
  const near = nearestTaxCodes(t.code, t.ratePercent, codes);
  return near.length ? ` The nearest valid codes: ${near.map(describeTaxCode).join('; ')}.` : '';
}

/** The one-click alternative "Use <code> instead": the treatment at `pointer` with that code of the books. */
function codeInsteadAlternative(
  pointer: string,
  t: TaxTreatment,
  code: BooksTaxCode | undefined,
): Pick<FeasibilityProblem, 'alternative'> {
  if (!code) return {};
  return {
    alternative: {
      description: `Use ${describeTaxCode(code)} instead`,
      patch: [{ op: 'replace' as const, path: pointer, value: { ...t, ...booksCodeFields(code) } }],
    },
  };
}

/**
 * `automatic` (Stripe Tax working the tax out from the customer's address) is not supported: every line names one
 * of the account's tax rates. Refused before anything is written, naming the field, the value and what is accepted.
 */
function checkStripeAutomatic(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  const rates = caps.tax?.codes ?? [];
  for (const { path, pointer, t, what } of treatments(plan)) {
    if (!isAutomaticTaxCode(t.code)) continue;
    const near = nearestTaxCodes(t.code, t.ratePercent, rates);
    out.push({
      code: 'tax_automatic_unsupported',
      path: `${path}.code`,
      blocking: true,
      message: `${path}.code is "${t.code}" (used by ${what}): automatic tax (Stripe Tax) is not supported. Accepted: the id (txr_…) or display name of one of ${caps.displayName}'s active tax rates${
        near.length
          ? `, e.g. ${near.map(describeTaxCode).join('; ')}`
          : rates.length
            ? ''
            : ' (it has none yet: add them in Stripe’s tax rate settings)'
      }.`,
      ...codeInsteadAlternative(pointer, t, near[0]),
    });
  }
}

/**
 * The tax part of the feasibility check, against the books' tax setup when the adapter has read it: every tax code
 * must exist in the books (blocking, naming the code and the nearest valid ones), its rate must be the books' rate,
 * Stripe rates must agree on inclusive/exclusive, and QuickBooks and Xero cannot mix inclusive and exclusive lines
 * on one invoice. Under US automated sales tax a line is `TAX` or `NON` and QuickBooks sets the rate (a note).
 */
export function checkTax(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  const setup = caps.tax;
  const name = caps.displayName;
  if (caps.system === 'stripe') checkStripeAutomatic(plan, caps, out);
  if (!setup) return;
  for (const { path, pointer, t, what } of treatments(plan)) {
    if (caps.system === 'stripe' && isAutomaticTaxCode(t.code)) continue; // refused above, by name
    const found = findTaxCode(t.code, setup.codes);
    if (!found) {
      const near = nearestTaxCodes(t.code, t.ratePercent, setup.codes, 1)[0];
      const valid = setup.codes.length
        ? ''
        : ` ${name} has no tax codes set up yet${setup.mode === 'codes' ? '; add them in its tax settings' : ''}.`;
      out.push({
        code: 'tax_code_unknown',
        path: `${path}.code`,
        blocking: true,
        message: `${name} has no tax code "${t.code}" (used by ${what}).${suggestions(t, setup.codes)}${valid}`,
        ...codeInsteadAlternative(pointer, t, near),
      });
      continue;
    }
    if (found.ratePercent !== null && found.ratePercent !== t.ratePercent) {
      out.push({
        code: 'tax_rate_mismatch',
        path: `${path}.ratePercent`,
        blocking: true,
        message: `${what} is taxed at ${t.ratePercent}% but ${name}'s code ${describeTaxCode(found)} charges ${found.ratePercent}%: the invoices would not show the agreed tax.${suggestions(
          t,
          setup.codes.filter((c) => c !== found),
        )}`,
        alternative: {
          description: `Charge ${found.ratePercent}%, the rate of ${found.code} in ${name}`,
          patch: [{ op: 'replace', path: `${pointer}/ratePercent`, value: found.ratePercent }],
        },
      });
    }
    if (found.inclusive !== undefined && found.inclusive !== t.inclusive) {
      const word = (b: boolean) => (b ? 'inclusive' : 'exclusive');
      out.push({
        code: 'tax_inclusive_mismatch',
        path: `${path}.inclusive`,
        blocking: true,
        message: `${what} prices are tax-${word(t.inclusive)}, but ${name}'s tax rate ${describeTaxCode(found)} is tax-${word(found.inclusive)}.`,
        alternative: {
          description: `Treat the prices as tax-${word(found.inclusive)}`,
          patch: [{ op: 'replace', path: `${pointer}/inclusive`, value: found.inclusive }],
        },
      });
    }
    if (setup.mode === 'us_automated' && found.ratePercent === null && t.ratePercent > 0) {
      out.push({
        code: 'tax_rate_set_by_system',
        path: `${path}.ratePercent`,
        blocking: false,
        message: `${name} uses automated sales tax: it works the rate out from the customer's address when it creates each invoice, so the ${t.ratePercent}% in the preview is an estimate.`,
      });
    }
  }
  const untaxed = plan.components.flatMap((c, i) => (c.tax || plan.tax ? [] : [i]));
  if (caps.system === 'quickbooks' && setup.mode === 'codes' && untaxed.length > 0) {
    out.push({
      code: 'tax_code_missing',
      path: `billingPlan.components[${untaxed[0]}].tax`,
      blocking: true,
      message: `${name} (${setup.country ?? 'outside the US'}) needs a tax code on every invoice line, and ${untaxed.map((i) => `"${plan.components[i]?.description}"`).join(', ')} has none. Set the plan's default tax or the template's.${setup.codes.length ? ` Its codes: ${setup.codes.map(describeTaxCode).join('; ')}.` : ''}`,
    });
  }
  const used = effective(plan);
  if (!setup.mixedInclusive && used.some((t) => t.inclusive) && used.some((t) => !t.inclusive)) {
    out.push({
      code: 'tax_inclusive_mixed',
      path: 'billingPlan',
      blocking: true,
      message: `${name} sets "amounts include tax" once per invoice, and this plan has both tax-inclusive and tax-exclusive lines. Make every component's prices tax-inclusive, or every one exclusive.`,
    });
  }
}
