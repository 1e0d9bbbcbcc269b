import { z } from 'zod';
import { InvoiceListSchema } from '../receivables/invoice.js';

/**
 * Fact records the metrics are computed from. The store appends them as things happen (deal closed, billing set
 * up, invoice created, handoff submitted/decided); the metrics never read anything else, so they stay pure.
 * Instants are Date objects or ISO 8601 strings with a zone (`2026-03-01T09:30:00Z`); a zone is required because
 * a bare local time would be read in the server's zone, not the portal's.
 */

const INSTANT_MESSAGE = 'must be a date-time with a zone, e.g. 2026-03-01T09:30:00Z';
const IsoInstant = z.iso.datetime({ offset: true });

/** An instant: a valid Date, or an ISO 8601 string with `Z` or an offset; parsed to a Date. */
export const InstantSchema = z
  .custom<Date | string>((v) => v instanceof Date || typeof v === 'string', { message: INSTANT_MESSAGE })
  .transform((v, ctx) => {
    const d = typeof v === 'string' ? (IsoInstant.safeParse(v).success ? new Date(v) : null) : v;
    if (d === null || Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE });
      return z.NEVER;
    }
    return d;
  });

const required = z.string().trim().min(1, 'is required');
const optionalText = z.string().trim().min(1, 'must not be empty').max(200).optional();

function notBefore(
  ctx: { addIssue(i: { code: 'custom'; path: PropertyKey[]; message: string }): void },
  later: Date | undefined,
  earlier: Date | undefined,
  path: string,
  earlierName: string,
): void {
  if (later !== undefined && earlier !== undefined && later.getTime() < earlier.getTime()) {
    ctx.addIssue({ code: 'custom', path: [path], message: `must not be before ${earlierName}` });
  }
}

/** One won deal's way to revenue: closed, billing set up in the finance system, first invoice created. */
export const DealReadinessFactSchema = z
  .object({
    dealId: required,
    closedAt: InstantSchema,
    billingLiveAt: InstantSchema.optional(),
    firstInvoiceAt: InstantSchema.optional(),
  })
  .superRefine((f, ctx) => {
    notBefore(ctx, f.billingLiveAt, f.closedAt, 'billingLiveAt', 'closedAt');
    notBefore(ctx, f.firstInvoiceAt, f.closedAt, 'firstInvoiceAt', 'closedAt');
    // The first invoice comes from the billing setup, so it cannot precede it.
    notBefore(ctx, f.firstInvoiceAt, f.billingLiveAt, 'firstInvoiceAt', 'billingLiveAt');
  });
export type DealReadinessFact = z.output<typeof DealReadinessFactSchema>;
export type DealReadinessFactInput = z.input<typeof DealReadinessFactSchema>;

/** One invoice that should have been created when its trigger happened (deal won, milestone accepted, period…). */
export const InvoiceTimingFactSchema = z.object({
  invoiceId: required,
  dealId: optionalText,
  /** What triggered it, as a person reads it, e.g. `milestone_accepted`. */
  trigger: optionalText,
  triggerAt: InstantSchema,
  /** Absent while the invoice has not been created yet. */
  createdAt: InstantSchema.optional(),
  /** The invoice had to be corrected by hand after it was sent. */
  manuallyCorrected: z.boolean().default(false),
});
export type InvoiceTimingFact = z.output<typeof InvoiceTimingFactSchema>;
export type InvoiceTimingFactInput = z.input<typeof InvoiceTimingFactSchema>;

/** One step in a handoff's life: submitted to the receiving team (with its SLA deadline), accepted or rejected. */
export const HandoffEventFactSchema = z.object({
  handoffId: required,
  dealId: optionalText,
  /** The receiving team, e.g. `cs` or `finance`. */
  toTeam: optionalText,
  kind: z.enum(['submitted', 'accepted', 'rejected'], { error: 'must be submitted, accepted or rejected' }),
  at: InstantSchema,
  /** On a submission: when the receiving team must have decided (business hours already applied upstream). */
  slaDueAt: InstantSchema.optional(),
  /** On a rejection: the reason picked from the template's list. */
  reason: optionalText,
});
export type HandoffEventFact = z.output<typeof HandoffEventFactSchema>;
export type HandoffEventFactInput = z.input<typeof HandoffEventFactSchema>;

/** A customer as the at-risk list names it. */
export const CustomerFactSchema = z.object({
  customerId: required,
  name: required,
  creditHold: z.boolean().default(false),
});
export type CustomerFact = z.output<typeof CustomerFactSchema>;
export type CustomerFactInput = z.input<typeof CustomerFactSchema>;

/**
 * A list schema whose items must not repeat a key (a repeat would be counted twice).
 * @example uniqueList(CustomerFactSchema, 'customerId')
 */
export function uniqueList<T extends z.ZodType>(item: T, key: string) {
  return z
    .array(item)
    .max(100_000)
    .superRefine((list, ctx) => {
      const seen = new Map<unknown, number>();
      for (const [i, row] of list.entries()) {
        const value = (row as Record<string, unknown>)[key];
        const first = seen.get(value);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [i, key],
            message: `repeats "${String(value)}" already given at position ${first}`,
          });
        } else seen.set(value, i);
      }
    });
}

export const DealReadinessFactListSchema = uniqueList(DealReadinessFactSchema, 'dealId');
export const InvoiceTimingFactListSchema = uniqueList(InvoiceTimingFactSchema, 'invoiceId');
export const HandoffEventFactListSchema = z.array(HandoffEventFactSchema).max(100_000);
export const CustomerFactListSchema = uniqueList(CustomerFactSchema, 'customerId');

/** Everything `revenueReadiness` reads. Every list may be omitted (empty). */
export const RevenueFactsSchema = z.strictObject({
  deals: DealReadinessFactListSchema.default([]),
  invoiceTimings: InvoiceTimingFactListSchema.default([]),
  handoffEvents: HandoffEventFactListSchema.default([]),
  customers: CustomerFactListSchema.default([]),
  invoices: InvoiceListSchema.default([]),
});
export type RevenueFacts = z.output<typeof RevenueFactsSchema>;
export type RevenueFactsInput = z.input<typeof RevenueFactsSchema>;
