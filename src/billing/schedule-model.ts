import { z } from 'zod';
import { CurrencyCodeSchema, MoneySchema } from '../core/money.js';
import { ScheduleDaySchema as CalendarDaySchema } from './calendar.js';

/**
 * The shape of a billing schedule: what schedule generation returns and what mid-cycle changes take back in.
 * The zod schemas double as the validators for schedules handed back by callers (applyUpgrade/applyCancellation).
 */

export const LineKindSchema = z.enum([
  'recurring',
  'discount',
  'milestone',
  'hourly',
  'one_time',
  'usage_minimum',
  'usage_overage',
  'proration_credit',
  'proration_charge',
  'discount_adjustment',
]);
export type LineKind = z.infer<typeof LineKindSchema>;

export const InvoiceLineSchema = z.object({
  componentIndex: z.number().int().min(0),
  kind: LineKindSchema,
  description: z.string(),
  /** Present only when amount = quantity × unitPrice (whole periods, hours, units; reported fractional hours are
   * rounded half up to the minor unit). Prorated lines carry `proration` instead. */
  quantity: z.number().nonnegative().optional(),
  unitPrice: MoneySchema.optional(),
  amount: MoneySchema,
  periodStart: CalendarDaySchema.optional(),
  periodEnd: CalendarDaySchema.optional(),
  /** A prorated line: `days` billed of the `periodDays` of the whole period. */
  proration: z.object({ days: z.number().int().positive(), periodDays: z.number().int().positive() }).optional(),
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

export const InvoiceTriggerSchema = z.enum(['date', 'milestone', 'acceptance']);
export type InvoiceTrigger = z.infer<typeof InvoiceTriggerSchema>;

export const ScheduledInvoiceSchema = z
  .object({
    /** Deterministic: `c<component>-p<period>`, `c<component>-m:<milestone id>`, `c<component>-once`, `chg<change>`. */
    key: z.string().min(1),
    /** A credit note when the total is negative (mid-cycle cancellations and downgrades only). */
    document: z.enum(['invoice', 'credit_note']),
    /** null only while a milestone or acceptance trigger has not happened yet. */
    issueDate: CalendarDaySchema.nullable(),
    dueDate: CalendarDaySchema.nullable(),
    trigger: InvoiceTriggerSchema,
    milestoneId: z.string().optional(),
    /** The milestone's expected acceptance date, for previews and forecasts; not an issue date. */
    expectedDate: CalendarDaySchema.optional(),
    periodStart: CalendarDaySchema.optional(),
    periodEnd: CalendarDaySchema.optional(),
    lines: z.array(InvoiceLineSchema).min(1, 'an invoice needs at least one line'),
    total: MoneySchema,
  })
  .superRefine((inv, ctx) => {
    let sum = 0;
    for (const [j, line] of inv.lines.entries()) {
      if (line.amount.currency !== inv.total.currency) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', j, 'amount', 'currency'],
          message: `must be ${inv.total.currency}`,
        });
      }
      sum += line.amount.amount;
    }
    if (sum !== inv.total.amount) {
      ctx.addIssue({ code: 'custom', path: ['total', 'amount'], message: 'does not equal the sum of the lines' });
    }
  });
export type ScheduledInvoice = z.infer<typeof ScheduledInvoiceSchema>;

export const UpgradeChangeSchema = z.object({
  kind: z.literal('upgrade'),
  /** First day at the new price. */
  effectiveDate: CalendarDaySchema,
  componentIndex: z.number().int().min(0),
  /** New price of one whole period. */
  newPrice: MoneySchema.refine((m) => m.amount >= 0, { path: ['amount'], message: 'must not be negative' }),
});

export const CancellationChangeSchema = z.object({
  kind: z.literal('cancellation'),
  /** First day without service; the last day of service is the day before. */
  effectiveDate: CalendarDaySchema,
});

/** A mid-cycle change, as recorded on the schedule so that later changes build on it. */
export const ScheduleChangeSchema = z.discriminatedUnion('kind', [UpgradeChangeSchema, CancellationChangeSchema]);
export type ScheduleChange = z.infer<typeof ScheduleChangeSchema>;
export type UpgradeChange = z.infer<typeof UpgradeChangeSchema>;
export type CancellationChange = z.infer<typeof CancellationChangeSchema>;

export const BillingScheduleSchema = z
  .object({
    currency: CurrencyCodeSchema,
    /** Sorted by issue date; invoices still waiting for a trigger come last. */
    invoices: z.array(ScheduledInvoiceSchema),
    /** The exact sum of every invoice total. */
    contractValue: MoneySchema,
    /** Mid-cycle changes applied so far, in the order applied. */
    changes: z.array(ScheduleChangeSchema).default([]),
  })
  .superRefine((s, ctx) => {
    const keys = new Set<string>();
    let sum = 0;
    for (const [i, inv] of s.invoices.entries()) {
      if (keys.has(inv.key))
        ctx.addIssue({ code: 'custom', path: ['invoices', i, 'key'], message: `repeats "${inv.key}"` });
      keys.add(inv.key);
      if (inv.total.currency !== s.currency) {
        ctx.addIssue({ code: 'custom', path: ['invoices', i, 'total', 'currency'], message: `must be ${s.currency}` });
      }
      sum += inv.total.amount;
    }
    if (s.contractValue.currency !== s.currency) {
      ctx.addIssue({ code: 'custom', path: ['contractValue', 'currency'], message: `must be ${s.currency}` });
    }
    if (sum !== s.contractValue.amount) {
      ctx.addIssue({
        code: 'custom',
        path: ['contractValue', 'amount'],
        message: 'does not equal the sum of the invoice totals',
      });
    }
  });

/** A billing schedule: every invoice a plan produces, and their exact sum. */
export type BillingSchedule = z.output<typeof BillingScheduleSchema>;
