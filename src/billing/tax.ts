import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { type Money, MoneySchema } from '../core/money.js';
import { parseInput } from '../core/validate.js';

/**
 * Tax on billing lines. A line carries a tax treatment — the finance system's tax code, its rate and whether the
 * line's amount already includes the tax — from its component, else the plan's default (filled from the HubSpot
 * line item or product, else the template's default; see `resolvePlanTax`). The schedule's amounts stay what the
 * contract says; tax is worked out per invoice by `invoiceTax`, rounded the way the connected system rounds
 * (see src/billing/README.md, "Tax").
 */

/** Rates are percentages with at most four decimals (8.875%, 20%, 0%): held as integer millionths (1% = 10,000). */
const PPM_PER_PERCENT = 10_000;
const MILLION = 1_000_000n;

export const TaxRatePercentSchema = z
  .number({ error: 'must be a percentage such as 20 or 8.875' })
  .min(0, 'must not be negative')
  .max(100, 'cannot exceed 100%')
  .refine((r) => Math.abs(r * PPM_PER_PERCENT - Math.round(r * PPM_PER_PERCENT)) < 1e-6, {
    message: 'has more than four decimal places',
  });

/** One tax treatment: code (as the finance system names it), rate, inclusive or exclusive. */
export const TaxTreatmentSchema = z.object({
  /** QuickBooks TaxCode id (or `TAX` / `NON` under US automated sales tax), Xero TaxType (e.g. `OUTPUT2`), Stripe tax
   * rate id (`txr_…`) or `automatic` (Stripe Tax). */
  code: z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters'),
  ratePercent: TaxRatePercentSchema,
  /** true: the line's amount includes the tax (gross); false: the tax is added on top (net). */
  inclusive: z.boolean({ error: 'must be true (amounts include tax) or false (tax is added)' }).default(false),
  /** How people name it, e.g. "VAT 20%"; for the preview only. */
  label: z.string().trim().max(100).optional(),
});
export type TaxTreatment = z.output<typeof TaxTreatmentSchema>;
export type TaxTreatmentInput = z.input<typeof TaxTreatmentSchema>;

/** How a finance system rounds tax: on each line, or once per invoice for each tax rate. */
export const TaxRoundingSchema = z.enum(['per_line', 'per_invoice'], { error: 'must be per_line or per_invoice' });
export type TaxRounding = z.infer<typeof TaxRoundingSchema>;

/** One line with its tax worked out; net + tax = gross exactly. */
export interface TaxedLine {
  net: Money;
  tax: Money;
  gross: Money;
  treatment: TaxTreatment | null;
}

/** An invoice's tax: every line, the totals (net + tax = gross exactly), and the tax per code. */
export interface InvoiceTax {
  lines: TaxedLine[];
  net: Money;
  tax: Money;
  gross: Money;
  byCode: Array<{ code: string; ratePercent: number; inclusive: boolean; label?: string; net: Money; tax: Money }>;
}

/** Rate in millionths. @example ratePpm(8.875) // 88750 */
export function ratePpm(ratePercent: number): number {
  return Math.round(ratePercent * PPM_PER_PERCENT);
}

/** n / d rounded half away from zero (bigint, exact). */
function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return neg ? -q : q;
}

/**
 * Tax on an amount under one treatment, rounded half away from zero to the minor unit. Exclusive: amount × r.
 * Inclusive: amount × r / (1 + r), the tax part of a gross amount.
 * @example taxOn(10_000, { code: 'OUTPUT2', ratePercent: 20, inclusive: true }) // 1667
 */
export function taxOn(amount: number, treatment: Pick<TaxTreatment, 'ratePercent' | 'inclusive'>): number {
  const r = BigInt(ratePpm(treatment.ratePercent));
  const a = BigInt(amount);
  return Number(treatment.inclusive ? divRound(a * r, MILLION + r) : divRound(a * r, MILLION));
}

const TaxLineInputSchema = z.object({ amount: MoneySchema, tax: TaxTreatmentSchema.nullable().optional() });
const InvoiceTaxInputSchema = z.object({
  currency: z.string(),
  lines: z.array(TaxLineInputSchema).min(1, 'an invoice needs at least one line'),
  rounding: TaxRoundingSchema,
});

function groupKey(t: TaxTreatment): string {
  return `${t.code}\u0000${ratePpm(t.ratePercent)}\u0000${t.inclusive}`;
}

/**
 * Net, tax and gross of one invoice's lines under a finance system's rounding. `per_line`: each line's tax is
 * rounded on its own (Xero, Stripe). `per_invoice`: the lines sharing a code, rate and inclusiveness are summed and
 * their tax rounded once (QuickBooks), then shared back over those lines in proportion (cumulative rounding, so
 * the line taxes add up to the invoice's). Either way every line and the invoice satisfy net + tax = gross to the
 * minor unit. A line without a treatment is untaxed (net = gross = amount).
 * @example invoiceTax({ currency: 'GBP', rounding: 'per_line', lines: [{ amount: { amount: 1000, currency: 'GBP' }, tax: { code: 'OUTPUT2', ratePercent: 20, inclusive: false } }] }).gross // £12.00
 */
export function invoiceTax(input: {
  currency: string;
  lines: ReadonlyArray<{ amount: Money; tax?: TaxTreatmentInput | null | undefined }>;
  rounding: TaxRounding;
}): InvoiceTax {
  const parsed = parseInput(InvoiceTaxInputSchema, input, 'invoice');
  const { currency, rounding } = parsed;
  for (const [j, l] of parsed.lines.entries()) {
    if (l.amount.currency !== currency) {
      throw new DomainError(
        'invalid_input',
        `is ${l.amount.currency}; every line of this invoice must be in ${currency}, the invoice's currency`,
        `invoice.lines[${j}].amount.currency`,
      );
    }
  }
  const taxes: number[] = parsed.lines.map((l) =>
    l.tax && rounding === 'per_line' ? taxOn(l.amount.amount, l.tax) : 0,
  );
  if (rounding === 'per_invoice') {
    const groups = new Map<string, number[]>();
    for (const [j, l] of parsed.lines.entries()) {
      if (!l.tax) continue;
      const k = groupKey(l.tax);
      groups.set(k, [...(groups.get(k) ?? []), j]);
    }
    for (const members of groups.values()) {
      const treatment = parsed.lines[members[0] as number]?.tax as TaxTreatment;
      const sum = members.reduce((s, j) => s + (parsed.lines[j]?.amount.amount ?? 0), 0);
      const groupTax = BigInt(taxOn(sum, treatment));
      let cumulative = 0n;
      let given = 0n;
      for (const j of members) {
        cumulative += BigInt(parsed.lines[j]?.amount.amount ?? 0);
        const upTo = sum === 0 ? 0n : divRound(groupTax * cumulative, BigInt(sum));
        taxes[j] = Number(upTo - given);
        given = upTo;
      }
    }
  }
  const lines: TaxedLine[] = parsed.lines.map((l, j) => {
    const tax = taxes[j] ?? 0;
    const inclusive = l.tax?.inclusive ?? false;
    const net = inclusive ? l.amount.amount - tax : l.amount.amount;
    return {
      net: { amount: net, currency },
      tax: { amount: tax, currency },
      gross: { amount: net + tax, currency },
      treatment: l.tax ?? null,
    };
  });
  const byCode = new Map<string, InvoiceTax['byCode'][number]>();
  for (const l of lines) {
    if (!l.treatment) continue;
    const k = groupKey(l.treatment);
    const entry = byCode.get(k) ?? {
      code: l.treatment.code,
      ratePercent: l.treatment.ratePercent,
      inclusive: l.treatment.inclusive,
      ...(l.treatment.label ? { label: l.treatment.label } : {}),
      net: { amount: 0, currency },
      tax: { amount: 0, currency },
    };
    entry.net = { amount: entry.net.amount + l.net.amount, currency };
    entry.tax = { amount: entry.tax.amount + l.tax.amount, currency };
    byCode.set(k, entry);
  }
  const total = (pick: (l: TaxedLine) => Money) => ({
    amount: lines.reduce((s, l) => s + pick(l).amount, 0),
    currency,
  });
  return {
    lines,
    net: total((l) => l.net),
    tax: total((l) => l.tax),
    gross: total((l) => l.gross),
    byCode: [...byCode.values()],
  };
}

/** Levenshtein distance, for "did you mean" suggestions among a books' tax codes. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[y.length] as number;
}

/** A tax code as the connected books hold it. */
export interface BooksTaxCode {
  code: string;
  name: string;
  /** null when the system works the rate out itself (US automated sales tax, Stripe automatic tax). */
  ratePercent: number | null;
  /** Stripe tax rates are inclusive or exclusive by definition; elsewhere the invoice says. */
  inclusive?: boolean;
}

/**
 * The valid codes closest to an unknown one: same rate first, then by spelling; at most `limit`.
 * @example nearestTaxCodes('OUTPUT', 20, codes) // OUTPUT2 (20%), …
 */
export function nearestTaxCodes(
  code: string,
  ratePercent: number | null,
  codes: ReadonlyArray<BooksTaxCode>,
  limit = 3,
): BooksTaxCode[] {
  const score = (c: BooksTaxCode) =>
    Math.min(distance(code, c.code), distance(code, c.name)) -
    (ratePercent !== null && c.ratePercent === ratePercent ? 100 : 0);
  return [...codes].sort((a, b) => score(a) - score(b) || a.code.localeCompare(b.code)).slice(0, limit);
}

/** "OUTPUT2 (20% VAT on Income)" — how a code is named in messages. */
export function describeTaxCode(c: BooksTaxCode): string {
  const rate = c.ratePercent === null ? 'rate set by the system' : `${c.ratePercent}%`;
  return c.name && c.name !== c.code ? `${c.code} (${c.name}, ${rate})` : `${c.code} (${rate})`;
}

/**
 * What choosing a code of the books sets on a tax treatment: the code, and the books' own rate and inclusiveness
 * where they state them.
 * @example booksCodeFields({ code: '2', name: 'VAT 20%', ratePercent: 20 }) // { code: '2', ratePercent: 20 }
 */
export function booksCodeFields(c: BooksTaxCode): { code: string; ratePercent?: number; inclusive?: boolean } {
  return {
    code: c.code,
    ...(c.ratePercent !== null ? { ratePercent: c.ratePercent } : {}),
    ...(c.inclusive !== undefined ? { inclusive: c.inclusive } : {}),
  };
}

/** Whether a tax code asks for Stripe Tax (`automatic`), which Revenue Handoff does not support. */
export function isAutomaticTaxCode(code: string): boolean {
  return code.trim().toLowerCase() === 'automatic';
}

/** Finds a code in the books by its code, else by its name (case-insensitive). */
export function findTaxCode(code: string, codes: ReadonlyArray<BooksTaxCode>): BooksTaxCode | undefined {
  const k = code.trim().toLowerCase();
  return (
    codes.find((c) => c.code === code.trim()) ??
    codes.find((c) => c.code.toLowerCase() === k) ??
    codes.find((c) => c.name.toLowerCase() === k)
  );
}

/**
 * The tax treatment of a HubSpot line item or product, from its tax properties: `hs_tax_rate` (percent) and a tax
 * code — our `rh_tax_code` property when set, else HubSpot's `hs_tax_label` — and `rh_tax_inclusive`. null when the
 * item carries no tax. Pure (the properties as HubSpot returns them: strings).
 * @example lineItemTax({ hs_tax_rate: '20', rh_tax_code: '12' }) // { code: '12', ratePercent: 20, inclusive: false }
 */
export function lineItemTax(properties: Readonly<Record<string, string | null | undefined>>): TaxTreatment | null {
  const code = (properties.rh_tax_code ?? properties.hs_tax_label ?? '').trim();
  const rate = properties.hs_tax_rate?.trim();
  if (!code && !rate) return null;
  return parseInput(
    TaxTreatmentSchema,
    {
      code,
      ratePercent: rate ? Number(rate) : Number.NaN,
      inclusive: properties.rh_tax_inclusive?.trim().toLowerCase() === 'true',
      ...(properties.hs_tax_label?.trim() ? { label: properties.hs_tax_label.trim() } : {}),
    },
    'lineItem.tax',
  );
}

/** What `resolvePlanTax` and `lineTaxTreatment` need of a plan (structurally, so the plan module stays the owner). */
interface PlanTaxShape {
  tax?: TaxTreatment | undefined;
  components: ReadonlyArray<{ tax?: TaxTreatment | undefined; lineItemId?: string | undefined }>;
}

/**
 * The tax treatment of a component's lines: the component's own, else the plan's default, else none.
 * @example lineTaxTreatment(plan, 0) // { code: '12', ratePercent: 20, inclusive: false }
 */
export function lineTaxTreatment(plan: PlanTaxShape, componentIndex: number): TaxTreatment | null {
  return plan.components[componentIndex]?.tax ?? plan.tax ?? null;
}

/**
 * Fills in where each component's tax comes from, in order: the component's own treatment; the HubSpot line item
 * or product it names (`lineItemId`, with `lineItemTax` of its properties); the plan's default; the template's
 * default. Returns a new plan input; never overrides what the plan states.
 * @example resolvePlanTax(plan, { lineItems: { '901': vat20 }, templateDefault: vat20 })
 */
export function resolvePlanTax<P extends PlanTaxShape>(
  plan: P,
  sources: { lineItems?: Readonly<Record<string, TaxTreatment | null>>; templateDefault?: TaxTreatment | null },
): P {
  const components = plan.components.map((c) => {
    if (c.tax || !c.lineItemId) return c;
    const fromItem = sources.lineItems?.[c.lineItemId];
    return fromItem ? { ...c, tax: fromItem } : c;
  });
  const tax = plan.tax ?? sources.templateDefault ?? undefined;
  return { ...plan, components, ...(tax ? { tax } : {}) };
}

/**
 * Net, tax and gross of a scheduled invoice: each line taxed by its component's treatment (`lineTaxTreatment`).
 * @example scheduledInvoiceTax(schedule.invoices[0], plan, 'per_invoice').gross
 */
export function scheduledInvoiceTax(
  invoice: { total: Money; lines: ReadonlyArray<{ componentIndex: number; amount: Money }> },
  plan: PlanTaxShape,
  rounding: TaxRounding,
): InvoiceTax {
  return invoiceTax({
    currency: invoice.total.currency,
    rounding,
    lines: invoice.lines.map((l) => ({ amount: l.amount, tax: lineTaxTreatment(plan, l.componentIndex) })),
  });
}

/** How each finance system rounds tax (see src/billing/README.md, "Tax"); with none connected, per line. */
export const TAX_ROUNDING: Readonly<Record<'quickbooks' | 'xero' | 'stripe', TaxRounding>> = {
  quickbooks: 'per_invoice',
  xero: 'per_line',
  stripe: 'per_line',
};

/**
 * A plan input with the template's default tax filled in where the plan states none (see `resolvePlanTax`); any
 * other input is returned as it is, for validation to refuse with its own message.
 * @example withTemplateTax(values.billingPlan, template.defaultTax)
 */
export function withTemplateTax(planInput: unknown, templateDefault: TaxTreatment | null | undefined): unknown {
  if (!templateDefault || typeof planInput !== 'object' || planInput === null) return planInput;
  const p = planInput as Partial<PlanTaxShape>;
  if (!Array.isArray(p.components) || p.tax) return planInput;
  return { ...planInput, tax: templateDefault };
}

/** Net, tax and gross of every invoice of a schedule and of the whole contract. */
export interface ScheduleTax {
  rounding: TaxRounding;
  invoices: Array<{ key: string; net: Money; tax: Money; gross: Money; codes: string[] }>;
  net: Money;
  tax: Money;
  gross: Money;
}

/**
 * The tax of every invoice of a schedule under a rounding, or null when no line carries tax.
 * @example scheduleTax(schedule, plan, 'per_invoice')?.gross
 */
export function scheduleTax(
  schedule: {
    contractValue: Money;
    invoices: ReadonlyArray<{
      key: string;
      total: Money;
      lines: ReadonlyArray<{ componentIndex: number; amount: Money }>;
    }>;
  },
  plan: PlanTaxShape,
  rounding: TaxRounding,
): ScheduleTax | null {
  const taxed = plan.tax || plan.components.some((c) => c.tax);
  if (!taxed) return null;
  const currency = schedule.contractValue.currency;
  const sum = { net: 0, tax: 0, gross: 0 };
  const invoices = schedule.invoices.map((inv) => {
    const t = scheduledInvoiceTax(inv, plan, rounding);
    sum.net += t.net.amount;
    sum.tax += t.tax.amount;
    sum.gross += t.gross.amount;
    const codes = t.byCode.map((c) => `${c.label ?? `${c.ratePercent}%`} (${c.code}${c.inclusive ? ', incl.' : ''})`);
    return { key: inv.key, net: t.net, tax: t.tax, gross: t.gross, codes };
  });
  const m = (amount: number): Money => ({ amount, currency });
  return { rounding, invoices, net: m(sum.net), tax: m(sum.tax), gross: m(sum.gross) };
}
