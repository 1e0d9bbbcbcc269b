/**
 * The contract between the cards and the backend: every function's input and output as zod schemas. Pure (zod
 * and domain schemas only), so the card bundle imports it to type its calls, and the server validates with the
 * same schemas on the way in and out.
 */
import { z } from 'zod';
import { ScheduledInvoiceSchema } from '../billing/schedule-model.js';
import { CalendarDaySchema } from '../core/dates.js';
import { MoneySchema } from '../core/money.js';
import { MonthSchema } from '../metrics/audit.js';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a record id');
const Instant = z.string();

// ---------------------------------------------------------------- handoff view

export const FieldViewSchema = z.object({
  key: z.string(),
  label: z.string(),
  section: z.enum(['commercial', 'billing', 'stakeholders', 'delivery']),
  type: z.string(),
  help: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  status: z.enum(['ok', 'missing', 'invalid', 'needs_approval']),
  severity: z.enum(['blocking', 'warning']),
  reason: z.string().optional(),
  required: z.boolean(),
  /** The current value, in the handoff data's own shape (the card edits it and sends it back). */
  value: z.unknown(),
});
export type FieldView = z.infer<typeof FieldViewSchema>;

export const ThreadEntrySchema = z.object({
  type: z.string(),
  actor: z.string(),
  /** Who, in words: the name the portal settings give the user, "User 1001" otherwise, "Revenue Handoff" for the app. */
  actorName: z.string().optional(),
  at: Instant,
  text: z.string().optional(),
});

export const ExceptionViewSchema = z.object({
  id: z.string(),
  status: z.enum(['requested', 'approved', 'denied', 'expired']),
  reason: z.string(),
  waives: z.array(z.string()),
  requestedBy: z.string(),
  requestedAt: Instant,
  expiresAt: Instant,
  approverRole: z.string(),
  decidedBy: z.string().optional(),
  decisionNote: z.string().optional(),
});

export const HandoffCardSchema = z.object({
  id: z.string(),
  revision: z.number().int(),
  templateId: z.string(),
  templateName: z.string(),
  templateVersion: z.number().int(),
  fromTeam: z.string(),
  toTeam: z.string(),
  state: z.enum(['draft', 'submitted', 'accepted', 'rejected', 'billing_pending', 'billing_live', 'billing_failed']),
  percentComplete: z.number().int().min(0).max(100),
  complete: z.boolean(),
  blockingCount: z.number().int(),
  warningCount: z.number().int(),
  fields: z.array(FieldViewSchema),
  suggestions: z.array(z.object({ field: z.string(), kind: z.string(), message: z.string() })),
  sla: z
    .object({
      status: z.string(),
      dueAt: Instant.nullable(),
      remainingMs: z.number().nullable(),
      overdueMs: z.number().nullable(),
      nextStepOwner: z.string().nullable(),
    })
    .nullable(),
  rejection: z.object({ reason: z.string(), reasonLabel: z.string(), note: z.string() }).nullable(),
  rejectionReasons: z.array(z.object({ code: z.string(), label: z.string() })),
  /** What the calling user may do now; the card shows only these buttons. */
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    review: z.boolean(),
    ask: z.boolean(),
    answer: z.boolean(),
    requestException: z.boolean(),
    decideException: z.boolean(),
    retryBilling: z.boolean(),
  }),
  exceptions: z.array(ExceptionViewSchema),
  thread: z.array(ThreadEntrySchema),
});
export type HandoffCard = z.infer<typeof HandoffCardSchema>;

/** A change a person made in the finance system after our sync (a manual correction), as the deal card shows it. */
export const CorrectionViewSchema = z.object({
  id: z.string(),
  /** e.g. "Payment terms changed in Xero on 3 Nov: Net 30 → Net 45". */
  text: z.string(),
  field: z.string(),
  system: z.enum(['quickbooks', 'xero', 'stripe']),
  /** adopted: written back to HubSpot; flagged: needs review; acknowledged: reviewed; superseded: changed again since. */
  status: z.enum(['adopted', 'flagged', 'acknowledged', 'superseded']),
  /** Why an adopt-policy correction was flagged instead, or what adopting did. */
  note: z.string().nullable(),
  at: Instant,
  acknowledgedBy: z.string().nullable(),
  canAcknowledge: z.boolean(),
});
export type CorrectionView = z.infer<typeof CorrectionViewSchema>;

export const BillingViewSchema = z.object({
  /** The invoices the setup would create (or has created), from the billing plan. */
  preview: z
    .object({
      invoices: z.array(ScheduledInvoiceSchema),
      contractValue: MoneySchema,
      /** Net, tax and gross of each invoice (by key) and of the contract, in the deal's currency, rounded the way
       * the connected system rounds; null when no line carries tax. */
      tax: z
        .object({
          rounding: z.enum(['per_line', 'per_invoice']),
          invoices: z.array(
            z.object({
              key: z.string(),
              net: MoneySchema,
              tax: MoneySchema,
              gross: MoneySchema,
              /** "VAT 20% (2)" for each code on the invoice. */
              codes: z.array(z.string()),
            }),
          ),
          net: MoneySchema,
          tax: MoneySchema,
          gross: MoneySchema,
        })
        .nullable()
        .optional(),
    })
    .nullable(),
  /** Why there is no preview (no plan yet, or the plan is invalid). */
  previewNote: z.string().nullable(),
  status: z.enum(['not_started', 'pending', 'running', 'live', 'failed']),
  /** The handoff whose acceptance started billing setup (null before). */
  handoffId: z.string().nullable().optional(),
  system: z.enum(['quickbooks', 'xero', 'stripe']).nullable(),
  /** The connected books' tax codes as last read from them, for the plan editor to offer; absent when not known. */
  taxCodes: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        /** null when the system works the rate out itself (US automated sales tax). */
        ratePercent: z.number().nullable(),
        inclusive: z.boolean().optional(),
      }),
    )
    .optional(),
  customerUrl: z.string().nullable(),
  /** The finance system's own error when the setup failed, for a person to act on. */
  error: z.object({ message: z.string(), at: Instant }).nullable(),
  invoices: z.array(
    z.object({
      key: z.string(),
      status: z.enum(['scheduled', 'draft', 'issued', 'cancelled']),
      issueDate: CalendarDaySchema.nullable(),
      total: MoneySchema,
      url: z.string().nullable(),
      /** The milestone whose acceptance issues this invoice (null for dated invoices). */
      milestoneId: z.string().nullable().optional(),
      /** Whether this user may record the milestone's acceptance now (held, not triggered yet). */
      canMarkAccepted: z.boolean().optional(),
      /** Whether this user may cancel it (held, not yet in the finance system). */
      canCancel: z.boolean().optional(),
      /** The QuickBooks Estimate showing a held invoice ahead (template `quickbooksScheduledAs: 'estimate'`):
       * open until the invoice made from it closes it; deleted when the invoice was cancelled. */
      estimate: z
        .object({
          number: z.string().nullable(),
          url: z.string().nullable(),
          status: z.enum(['open', 'closed', 'deleted']),
        })
        .nullable()
        .optional(),
    }),
  ),
  /** Manual corrections found in the finance system since our sync, newest first. */
  corrections: z.array(CorrectionViewSchema).optional(),
});
export type BillingView = z.infer<typeof BillingViewSchema>;

export const FinanceConnectionViewSchema = z.object({
  connected: z.boolean(),
  system: z.enum(['quickbooks', 'xero', 'stripe']).nullable(),
  displayName: z.string().nullable(),
  status: z.enum(['connected', 'reconnect_needed', 'disconnected', 'not_connected']),
});

export const HandoffViewSchema = z.object({
  deal: z.object({
    id: z.string(),
    name: z.string(),
    stageLabel: z.string().nullable(),
    isWon: z.boolean(),
    amount: MoneySchema.nullable(),
  }),
  handoffs: z.array(HandoffCardSchema),
  billing: BillingViewSchema,
  finance: FinanceConnectionViewSchema,
  user: z.object({ id: z.string(), roles: z.array(z.string()), teams: z.array(z.string()) }),
});
export type HandoffView = z.infer<typeof HandoffViewSchema>;

// ---------------------------------------------------------------- handoff actions (each answers the fresh view)

export const GetHandoffViewInput = z.object({ dealId: Id });

const HandoffRef = { dealId: Id, handoffId: z.string().min(1, 'is required'), revision: z.number().int().min(0) };

export const SaveHandoffFieldsInput = z.object({
  ...HandoffRef,
  /** Field key → new value ('' or null clears it). */
  values: z.record(z.string(), z.unknown()).refine((v) => Object.keys(v).length > 0, 'must change at least one field'),
});

export const SubmitHandoffInput = z.object(HandoffRef);

export const ReviewHandoffInput = z.object({
  ...HandoffRef,
  action: z.discriminatedUnion('type', [
    z.object({ type: z.literal('accept'), note: z.string().max(5000).optional() }),
    z.object({
      type: z.literal('reject'),
      reason: z.string().min(1, 'is required'),
      note: z.string().min(1, 'is required').max(5000),
    }),
    z.object({ type: z.literal('ask'), message: z.string().min(1, 'is required').max(5000) }),
    z.object({ type: z.literal('answer'), message: z.string().min(1, 'is required').max(5000) }),
  ]),
});

export const RequestExceptionInput = z.object({
  dealId: Id,
  handoffId: z.string().min(1),
  reason: z.string(),
  waives: z.array(z.string()).min(1, 'must name at least one field to waive'),
  expiresInDays: z.number().int().min(1).max(365).optional(),
});

export const DecideExceptionInput = z.object({
  dealId: Id,
  exceptionId: z.string().min(1),
  decision: z.enum(['approve', 'deny']),
  note: z.string().max(2000).optional(),
});

export const SyncBillingSetupInput = z.object({ dealId: Id, handoffId: z.string().min(1) });

/** Finance or RevOps marks a flagged manual correction as reviewed; it becomes what later changes compare with. */
export const AcknowledgeCorrectionInput = z.object({
  dealId: Id,
  correctionId: z.string().trim().min(1, 'is required'),
});

/** Judges values against a template without storing anything (a card can check a draft before saving it). */
export const ValidateHandoffInput = z.object({
  templateId: z.string().min(1, 'is required'),
  values: z.record(z.string(), z.unknown()),
});

export const ValidationViewSchema = z.object({
  templateId: z.string(),
  templateVersion: z.number().int(),
  percentComplete: z.number().int().min(0).max(100),
  complete: z.boolean(),
  fields: z.array(FieldViewSchema.omit({ value: true })),
  suggestions: z.array(z.object({ field: z.string(), kind: z.string(), message: z.string() })),
});
export type ValidationView = z.infer<typeof ValidationViewSchema>;

// ---------------------------------------------------------------- payment status

export const GetPaymentStatusInput = z.object({ objectType: z.enum(['company', 'deal']), objectId: Id });

const AgingBucketsSchema = z.object({
  current: MoneySchema,
  days_1_30: MoneySchema,
  days_31_60: MoneySchema,
  days_61_90: MoneySchema,
  days_over_90: MoneySchema,
});

/** What the app knew at sale time about an invoice that went bad (src/receivables/post-mortem.ts). */
export const PostMortemViewSchema = z.object({
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  trigger: z.enum(['voided', 'written_off', 'over_90_days']),
  recordedAt: Instant,
  total: MoneySchema,
  amountDue: MoneySchema,
  dueDate: CalendarDaySchema,
  daysPastDue: z.number().int(),
  dealId: z.string().nullable(),
  saleAt: Instant.nullable(),
  credit: z.object({
    shownAtSale: z.array(z.string()),
    level: z.enum(['ok', 'watch', 'high_risk']).nullable(),
    reasons: z.array(z.string()),
  }),
  paymentHistory: z.string(),
  poRule: z.object({
    required: z.boolean().nullable(),
    poNumber: z.string().nullable(),
    status: z.enum(['present', 'missing', 'waived', 'not_required', 'unknown']),
  }),
  exceptions: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      waives: z.array(z.string()),
      requestedBy: z.string(),
      approvedBy: z.string().nullable(),
      decidedAt: Instant.nullable(),
    }),
  ),
  warnings: z.array(z.object({ field: z.string(), label: z.string(), message: z.string() })),
});
export type PostMortemView = z.infer<typeof PostMortemViewSchema>;

export const PaymentStatusViewSchema = z.object({
  finance: FinanceConnectionViewSchema,
  context: z.enum(['company', 'deal']),
  company: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Null when there is nothing to show: not connected, no company, or the customer is not linked yet. */
  banner: z
    .object({
      severity: z.enum(['success', 'info', 'warning', 'danger']),
      risk: z.enum(['none', 'low', 'medium', 'high']),
      title: z.string(),
      message: z.string(),
      creditHold: z.boolean(),
      daysPastDue: z.number().int(),
      openInvoiceCount: z.number().int(),
      oldestDueDate: CalendarDaySchema.nullable(),
    })
    .nullable(),
  statistics: z.array(
    z.object({
      currency: z.string(),
      outstanding: MoneySchema,
      overdue: MoneySchema,
      dsoDays: z.number().nullable(),
      buckets: AgingBucketsSchema,
    }),
  ),
  averageDaysToPay: z.number().nullable(),
  openInvoices: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      issueDate: CalendarDaySchema,
      dueDate: CalendarDaySchema,
      amountDue: MoneySchema,
      total: MoneySchema,
      daysPastDue: z.number().int(),
      url: z.string().nullable(),
    }),
  ),
  lastPayment: z.object({ on: CalendarDaySchema, amount: MoneySchema, invoiceNumber: z.string() }).nullable(),
  customerUrl: z.string().nullable(),
  /** When the invoice snapshot was last refreshed from the finance system. */
  asOf: Instant.nullable(),
  note: z.string().nullable(),
  /** Bad-debt post-mortems of the company's invoices, newest first (company context only). */
  postMortems: z.array(PostMortemViewSchema).optional(),
});
export type PaymentStatusView = z.infer<typeof PaymentStatusViewSchema>;

// ---------------------------------------------------------------- settings page and app home

export const SettingsViewSchema = z.object({
  /** After connecting Stripe: the webhook URL to register in Stripe for this connection. */
  stripeWebhookUrl: z.string().nullable().optional(),
  /** PortalSettings (src/settings/portal-settings.ts), as JSON. */
  settings: z.record(z.string(), z.unknown()),
  /** The newest version of each handoff template (src/handoff/template.ts), as JSON. */
  templates: z.array(z.record(z.string(), z.unknown())),
  finance: FinanceConnectionViewSchema.extend({ lastError: z.string().nullable() }),
  /** Where an admin starts connecting each system (opens in a new tab). */
  connectUrls: z.object({
    quickbooks: z.string().nullable(),
    xero: z.string().nullable(),
    stripe: z.string().nullable(),
  }),
  /** The field catalog, so the template editor offers only real fields. */
  fields: z.array(z.object({ key: z.string(), label: z.string(), section: z.string() })),
  /** Billing setups that failed, for the admin to see and retry. */
  failedSetups: z.array(z.object({ dealId: z.string(), handoffId: z.string(), error: z.string(), at: Instant })),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const GetSettingsInput = z.object({});
/** The settings keys to change; keys left out keep their stored values. */
export const SaveSettingsInput = z.object({ settings: z.record(z.string(), z.unknown()) });
export const SaveTemplateInput = z.object({ template: z.record(z.string(), z.unknown()) });
export const GetMetricsInput = z.object({});

/** The revenue-readiness report (src/metrics/revenue-readiness.ts) as JSON; the home page renders its parts. */
export const MetricsViewSchema = z.object({
  generatedAt: z.string(),
  today: CalendarDaySchema,
  timeZone: z.string(),
  readiness: z.record(z.string(), z.unknown()),
  lateInvoices: z.record(z.string(), z.unknown()),
  receivables: z.record(z.string(), z.unknown()),
  atRisk: z.array(z.unknown()),
  handoffs: z.record(z.string(), z.unknown()),
});
export type MetricsView = z.infer<typeof MetricsViewSchema>;

/** The monthly audit of one calendar month (`YYYY-MM`) in the portal's time zone (src/metrics/audit.ts). */
export const GetMonthlyAuditInput = z.object({ month: MonthSchema });

const CountBySchema = z.object({ key: z.string(), count: z.number().int() });

export const MonthlyAuditViewSchema = z.object({
  month: z.string(),
  timeZone: z.string(),
  from: Instant,
  to: Instant,
  complete: z.boolean(),
  generatedAt: Instant,
  handoffs: z.object({
    submitted: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    rejectionsByReason: z.array(CountBySchema),
    slaBreaches: z.number().int(),
    breaches: z.array(
      z.object({
        handoffId: z.string(),
        dealId: z.string().nullable(),
        toTeam: z.string().nullable(),
        submittedAt: Instant,
        slaDueAt: Instant,
        decidedAt: Instant.nullable(),
        hoursOver: z.number(),
      }),
    ),
  }),
  invoices: z.object({
    lateAfterHours: z.number(),
    created: z.number().int(),
    late: z.number().int(),
    lateInvoices: z.array(
      z.object({
        invoiceId: z.string(),
        dealId: z.string().nullable(),
        trigger: z.string().nullable(),
        triggerAt: Instant,
        createdAt: Instant,
        delayHours: z.number(),
      }),
    ),
    missingPastLimit: z.number().int(),
  }),
  manualCorrections: z.object({
    total: z.number().int(),
    byField: z.array(CountBySchema),
    bySystem: z.array(CountBySchema),
  }),
  postMortems: z.object({ total: z.number().int(), byTrigger: z.array(CountBySchema) }),
  receivablesTrend: z.array(
    z.object({
      month: z.string(),
      asOf: CalendarDaySchema,
      currencies: z.array(
        z.object({
          currency: z.string(),
          outstanding: MoneySchema,
          overdue: MoneySchema,
          overdueShare: z.number().nullable(),
          dsoDays: z.number().nullable(),
        }),
      ),
    }),
  ),
});
export type MonthlyAuditView = z.infer<typeof MonthlyAuditViewSchema>;

export const ConnectStripeInput = z.object({
  secretKey: z
    .string()
    .trim()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'must be a Stripe secret or restricted key (sk_… or rk_…)'),
  /** The account id (acct_…) app-wide webhook events name; optional for a single account. */
  accountId: z
    .string()
    .trim()
    .regex(/^acct_[A-Za-z0-9]+$/, 'must be a Stripe account id (acct_…)')
    .optional(),
  /** Signing secret of the endpoint registered in Stripe for this connection (whsec_…). */
  webhookSecret: z
    .string()
    .trim()
    .regex(/^whsec_[A-Za-z0-9]+$/, 'must be a Stripe webhook signing secret (whsec_…)')
    .optional(),
});

export const SETTINGS_API = {
  getSettings: { input: GetSettingsInput, output: SettingsViewSchema },
  saveSettings: { input: SaveSettingsInput, output: SettingsViewSchema },
  saveTemplate: { input: SaveTemplateInput, output: SettingsViewSchema },
  getMetrics: { input: GetMetricsInput, output: MetricsViewSchema },
  getMonthlyAudit: { input: GetMonthlyAuditInput, output: MonthlyAuditViewSchema },
  connectStripe: { input: ConnectStripeInput, output: SettingsViewSchema },
} as const;

export const MarkMilestoneAcceptedInput = z.object({
  dealId: z.string().trim().min(1, 'is required'),
  handoffId: z.string().trim().min(1, 'is required'),
  milestoneId: z.string().trim().min(1, 'is required'),
  /** The day the customer accepted it; default today in the portal's time zone. */
  acceptedOn: CalendarDaySchema.optional(),
});

export const CancelScheduledInvoiceInput = z.object({
  dealId: z.string().trim().min(1, 'is required'),
  handoffId: z.string().trim().min(1, 'is required'),
  invoiceKey: z.string().trim().min(1, 'is required'),
  reason: z.string().trim().min(1, 'is required').max(1000),
});

/** Every backend function the cards call, by name: input and output schemas. */
export const API = {
  getHandoffView: { input: GetHandoffViewInput, output: HandoffViewSchema },
  saveHandoffFields: { input: SaveHandoffFieldsInput, output: HandoffViewSchema },
  submitHandoff: { input: SubmitHandoffInput, output: HandoffViewSchema },
  reviewHandoff: { input: ReviewHandoffInput, output: HandoffViewSchema },
  requestException: { input: RequestExceptionInput, output: HandoffViewSchema },
  decideException: { input: DecideExceptionInput, output: HandoffViewSchema },
  syncBillingSetup: { input: SyncBillingSetupInput, output: HandoffViewSchema },
  acknowledgeCorrection: { input: AcknowledgeCorrectionInput, output: HandoffViewSchema },
  markMilestoneAccepted: { input: MarkMilestoneAcceptedInput, output: HandoffViewSchema },
  cancelScheduledInvoice: { input: CancelScheduledInvoiceInput, output: HandoffViewSchema },
  validateHandoff: { input: ValidateHandoffInput, output: ValidationViewSchema },
  getPaymentStatus: { input: GetPaymentStatusInput, output: PaymentStatusViewSchema },
  ...SETTINGS_API,
} as const;
export type ApiName = keyof typeof API;
export type ApiInput<N extends ApiName> = z.input<(typeof API)[N]['input']>;
export type ApiOutput<N extends ApiName> = z.output<(typeof API)[N]['output']>;
