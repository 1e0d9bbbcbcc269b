import { z } from 'zod';
import { PAYMENT_TERMS_CATALOG, PaymentTermsCodeSchema } from '../billing/payment-terms.js';
import { BillingModelSchema, BillingPlanSchema } from '../billing/plan.js';
import { CalendarDaySchema } from '../core/dates.js';
import { DomainError, type Issue } from '../core/errors.js';
import { CurrencyCodeSchema, MoneySchema } from '../core/money.js';
import { zodIssues } from '../core/validate.js';

/**
 * The handoff field catalog: every field a handoff can ask for, as data, plus the one zod schema that validates
 * the values. The card uses the same schema for instant feedback that the server uses for enforcement, so a value
 * the card accepts is never refused later for a different reason.
 */

export type FieldSection = 'commercial' | 'billing' | 'stakeholders' | 'delivery';

export type FieldType =
  | 'text'
  | 'longtext'
  | 'url'
  | 'email'
  | 'date'
  | 'money'
  | 'number'
  | 'basisPoints'
  | 'currency'
  | 'enum'
  | 'boolean'
  | 'contact'
  | 'address'
  | 'approval'
  | 'stakeholders'
  | 'billingPlan';

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldDefinition {
  key: HandoffFieldKey;
  label: string;
  section: FieldSection;
  type: FieldType;
  help: string;
  /** For `enum` fields: the choices shown, in order. */
  options?: ReadonlyArray<FieldOption>;
  /** True when values outside `options` are also accepted (payment terms accept any `net_<n>`). */
  openOptions?: boolean;
}

const text = (max: number) => z.string({ error: 'must be text' }).trim().max(max, `must be at most ${max} characters`);

const email = z
  .string({ error: 'must be an email address' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address such as ap@customer.com' }));

const shortText = text(500);
const longText = text(10_000);

/** A person at the customer; roles say who signs (economic buyer) and who works with us day to day. */
export const StakeholderRoleSchema = z.enum(
  ['economic_buyer', 'day_to_day', 'champion', 'executive_sponsor', 'technical', 'billing', 'other'],
  { error: 'must be one of economic_buyer, day_to_day, champion, executive_sponsor, technical, billing, other' },
);
export type StakeholderRole = z.infer<typeof StakeholderRoleSchema>;

export const StakeholderSchema = z.strictObject({
  name: text(200).min(1, 'is required'),
  email: email.optional(),
  title: text(200).optional(),
  role: StakeholderRoleSchema,
});
export type Stakeholder = z.infer<typeof StakeholderSchema>;

export const ContactSchema = z.strictObject({
  name: text(200).min(1, 'is required'),
  email,
  phone: text(50).optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const AddressSchema = z.strictObject({
  line1: text(200).min(1, 'is required'),
  line2: text(200).optional(),
  city: text(100).min(1, 'is required'),
  region: text(100).optional(),
  postalCode: text(20).optional(),
  country: z
    .string({ error: 'must be a two-letter country code such as US' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US'),
});
export type Address = z.infer<typeof AddressSchema>;

/** Who approved something and when; recorded on the handoff so finance can see it without digging. */
export const ApprovalSchema = z.strictObject({
  approvedBy: text(200).min(1, 'is required'),
  approvedOn: CalendarDaySchema,
  note: text(1000).optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

const nonNegativeMoney = MoneySchema.refine((m) => m.amount >= 0, {
  message: 'must not be negative',
  path: ['amount'],
});
const positiveMoney = MoneySchema.refine((m) => m.amount > 0, { message: 'must be more than zero', path: ['amount'] });

interface FieldSpec {
  label: string;
  section: FieldSection;
  type: FieldType;
  help: string;
  schema: z.ZodType;
  options?: ReadonlyArray<FieldOption>;
  openOptions?: boolean;
}

const BILLING_MODEL_LABELS: Record<z.infer<typeof BillingModelSchema>, string> = {
  subscription: 'Subscription',
  retainer: 'Retainer',
  milestone: 'Milestones',
  hourly: 'Hourly with cap',
  one_time: 'One-time',
  usage: 'Usage commitment',
};

const FIELD_SPECS = {
  // Sales → CS
  customerGoals: {
    label: 'Customer goals and success criteria',
    section: 'commercial',
    type: 'longtext',
    help: 'What the customer wants to achieve and how they will judge success, in their words.',
    schema: longText,
  },
  primaryUseCase: {
    label: 'Primary use case',
    section: 'commercial',
    type: 'text',
    help: 'The one job the customer bought us for first.',
    schema: shortText,
  },
  stakeholders: {
    label: 'Stakeholders and roles',
    section: 'stakeholders',
    type: 'stakeholders',
    help: 'Who is who at the customer: at least the economic buyer and the day-to-day contact.',
    schema: z.array(StakeholderSchema, { error: 'must be a list of people' }).max(50, 'must list at most 50 people'),
  },
  contractTermsSummary: {
    label: 'Contract terms and commercial commitments',
    section: 'commercial',
    type: 'longtext',
    help: 'The commercial commitments in plain words: term, scope, price, service levels.',
    schema: longText,
  },
  promisesMade: {
    label: 'Promises made during sales',
    section: 'commercial',
    type: 'longtext',
    help: 'Anything promised that is not in the product today: features, integrations, dates, people.',
    schema: longText,
  },
  knownRisks: {
    label: 'Known risks or product gaps',
    section: 'delivery',
    type: 'longtext',
    help: 'Gaps, doubts and red flags CS should know before kickoff.',
    schema: longText,
  },
  implementationTimeline: {
    label: 'Implementation timeline assumptions',
    section: 'delivery',
    type: 'longtext',
    help: 'What the customer expects to happen when, and what that assumes about them.',
    schema: longText,
  },
  kickoffDate: {
    label: 'Kickoff date',
    section: 'delivery',
    type: 'date',
    help: 'When the kickoff meeting is planned or expected.',
    schema: CalendarDaySchema,
  },
  reportingFormat: {
    label: 'Reporting format',
    section: 'delivery',
    type: 'text',
    help: 'How and how often the customer expects progress reports (e.g. monthly QBR deck, weekly email).',
    schema: shortText,
  },
  expansionHypothesis: {
    label: 'Expansion hypothesis',
    section: 'commercial',
    type: 'longtext',
    help: 'If relevant: where the account could grow next and what would trigger it.',
    schema: longText,
  },
  supportExpectations: {
    label: 'Support or service expectations',
    section: 'delivery',
    type: 'longtext',
    help: 'Response times, channels and service levels the customer expects.',
    schema: longText,
  },
  // CS → Finance
  signedOrderFormUrl: {
    label: 'Signed order form',
    section: 'commercial',
    type: 'url',
    help: 'Link to the countersigned order form or contract.',
    schema: z.url({ protocol: /^https?$/, error: 'must be a web link starting with https://' }),
  },
  billingEntityLegalName: {
    label: 'Billing entity legal name',
    section: 'billing',
    type: 'text',
    help: 'The legal name that goes on the invoice, exactly as registered.',
    schema: text(200),
  },
  billingContact: {
    label: 'Billing (AP) contact',
    section: 'stakeholders',
    type: 'contact',
    help: 'The person or accounts-payable mailbox that receives invoices. Not the champion: they rarely pay bills.',
    schema: ContactSchema,
  },
  championEmail: {
    label: 'Champion email',
    section: 'stakeholders',
    type: 'email',
    help: 'Email of the champion who drove the deal, so invoices do not go to them by mistake.',
    schema: email,
  },
  billingAddress: {
    label: 'Billing address',
    section: 'billing',
    type: 'address',
    help: 'The address printed on invoices.',
    schema: AddressSchema,
  },
  startDate: {
    label: 'Start date',
    section: 'commercial',
    type: 'date',
    help: 'First day of service under the contract.',
    schema: CalendarDaySchema,
  },
  renewalDate: {
    label: 'Renewal date',
    section: 'commercial',
    type: 'date',
    help: 'The date the contract renews or ends.',
    schema: CalendarDaySchema,
  },
  paymentTerms: {
    label: 'Payment terms',
    section: 'billing',
    type: 'enum',
    help: 'When invoices are due. Terms outside the policy list need an approved exception.',
    schema: PaymentTermsCodeSchema,
    options: PAYMENT_TERMS_CATALOG.map((t) => ({ value: t.code, label: t.label })),
    openOptions: true,
  },
  poRequired: {
    label: 'Customer requires a PO',
    section: 'billing',
    type: 'boolean',
    help: 'Does the customer require a purchase-order number on every invoice? (No-PO, No-Go.)',
    schema: z.boolean({ error: 'must be yes or no' }),
  },
  poNumber: {
    label: 'PO number',
    section: 'billing',
    type: 'text',
    help: 'The purchase-order number to print on invoices.',
    schema: text(100),
  },
  discountBasisPoints: {
    label: 'Discount',
    section: 'commercial',
    type: 'basisPoints',
    help: 'Discount off list price in basis points (1000 = 10%). 0 when there is none.',
    schema: z
      .number({ error: 'must be a number of basis points' })
      .int('must be a whole number of basis points (1000 = 10%)')
      .min(0, 'must not be negative')
      .max(10_000, 'cannot exceed 100% (10000 basis points)'),
  },
  discountApproval: {
    label: 'Discount approval',
    section: 'commercial',
    type: 'approval',
    help: 'Who approved a discount above the policy threshold, and when.',
    schema: ApprovalSchema,
  },
  usageCommitments: {
    label: 'Usage or consumption commitments',
    section: 'billing',
    type: 'longtext',
    help: 'Minimum volumes, included units and overage prices the customer committed to.',
    schema: longText,
  },
  implementationFee: {
    label: 'Implementation fee',
    section: 'billing',
    type: 'money',
    help: 'One-off implementation or set-up fee; 0 when there is none.',
    schema: nonNegativeMoney,
  },
  nonStandardClauses: {
    label: 'Non-standard clauses',
    section: 'commercial',
    type: 'longtext',
    help: 'Any clause that departs from the standard contract. Each one needs finance approval.',
    schema: longText,
  },
  financeApproval: {
    label: 'Finance approval of non-standard clauses',
    section: 'commercial',
    type: 'approval',
    help: 'Who in finance approved the non-standard clauses, and when.',
    schema: ApprovalSchema,
  },
  renewalTerms: {
    label: 'Renewal and cancellation terms',
    section: 'commercial',
    type: 'longtext',
    help: 'Auto-renewal, notice periods, price changes at renewal, termination rights.',
    schema: longText,
  },
  billingModel: {
    label: 'Billing model',
    section: 'billing',
    type: 'enum',
    help: 'How the customer is billed.',
    schema: z.enum(BillingModelSchema.options, {
      error: `must be one of ${BillingModelSchema.options.join(', ')}`,
    }),
    options: BillingModelSchema.options.map((m) => ({ value: m, label: BILLING_MODEL_LABELS[m] })),
  },
  billingPlan: {
    label: 'Billing plan and schedule',
    section: 'billing',
    type: 'billingPlan',
    help: 'The structured plan billing setup will create: components, dates, currency and terms.',
    schema: BillingPlanSchema,
  },
  currency: {
    label: 'Currency',
    section: 'billing',
    type: 'currency',
    help: 'The currency the customer is invoiced in (ISO 4217, e.g. USD).',
    schema: z
      .string({ error: 'must be a three-letter currency code such as USD' })
      .trim()
      .toUpperCase()
      .pipe(CurrencyCodeSchema),
  },
  contractValue: {
    label: 'Contract value',
    section: 'commercial',
    type: 'money',
    help: 'Total value of the contract (the deal amount); the billing plan must add up to it.',
    schema: positiveMoney,
  },
  depositAmount: {
    label: 'Deposit',
    section: 'billing',
    type: 'money',
    help: 'Upfront deposit agreed with the customer, if any (suggested for customers who paid late before).',
    schema: nonNegativeMoney,
  },
  // Renewal (ops → sales)
  usageAgainstCommitment: {
    label: 'Usage against commitment',
    section: 'commercial',
    type: 'longtext',
    help: 'What the customer used or was invoiced against what it committed to; prefilled, correct it if you know better.',
    schema: longText,
  },
  paymentHealth: {
    label: 'Payment health',
    section: 'billing',
    type: 'longtext',
    help: 'The payment-status banner’s figures when the renewal handoff was created: overdue, days past due, DSO.',
    schema: longText,
  },
} as const satisfies Record<string, FieldSpec>;

/** The key of a handoff field, e.g. `poNumber`. */
export type HandoffFieldKey = keyof typeof FIELD_SPECS;

/** Every field key, in catalog order. */
export const HANDOFF_FIELD_KEYS = Object.keys(FIELD_SPECS) as HandoffFieldKey[];

/** The field catalog as data, in the order the card shows fields within a section. */
export const HANDOFF_FIELDS: ReadonlyArray<FieldDefinition> = HANDOFF_FIELD_KEYS.map((key) => {
  const { schema: _schema, ...rest } = FIELD_SPECS[key] as FieldSpec;
  return { key, ...rest };
});

const FIELD_BY_KEY = new Map<string, FieldDefinition>(HANDOFF_FIELDS.map((f) => [f.key, f]));

/** True when `key` names a handoff field. @example isHandoffFieldKey('poNumber') // true */
export function isHandoffFieldKey(key: unknown): key is HandoffFieldKey {
  return typeof key === 'string' && FIELD_BY_KEY.has(key);
}

/**
 * The catalog entry of a field; throws DomainError('invalid_input') for an unknown key.
 * @example fieldDefinition('poNumber').label // 'PO number'
 */
export function fieldDefinition(key: string): FieldDefinition {
  const def = FIELD_BY_KEY.get(key);
  if (!def) throw new DomainError('invalid_input', unknownFieldMessage(key), 'key');
  return def;
}

/**
 * "is not a handoff field" with the nearest known key, because most unknown keys are typos.
 * @example unknownFieldMessage('poNumbr') // '"poNumbr" is not a handoff field (did you mean "poNumber"?)'
 */
export function unknownFieldMessage(key: string): string {
  const guess = nearestFieldKey(key);
  return `"${key}" is not a handoff field${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

function nearestFieldKey(key: string): string | null {
  const limit = Math.max(2, Math.floor(key.length / 3));
  const lower = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of HANDOFF_FIELD_KEYS) {
    const other = candidate.toLowerCase();
    // The distance is at least the difference in length: skip candidates that cannot be within the limit, so a
    // huge unknown key costs nothing instead of seconds of edit-distance rows.
    if (Math.abs(other.length - lower.length) > limit) continue;
    const d = editDistance(lower, other);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** A cleared form control sends '' or null; both mean "no value", never a bad value. */
function blankToUndefined(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return value;
}

type OptionalField<S extends z.ZodType> = z.ZodOptional<z.ZodPipe<z.ZodTransform, z.ZodOptional<S>>>;

function optionalField<S extends z.ZodType>(schema: S): OptionalField<S> {
  return z.preprocess(blankToUndefined, schema.optional()).optional() as unknown as OptionalField<S>;
}

type FieldSchemas = { [K in HandoffFieldKey]: OptionalField<(typeof FIELD_SPECS)[K]['schema']> };

const fieldSchemas = Object.fromEntries(
  HANDOFF_FIELD_KEYS.map((key) => [key, optionalField(FIELD_SPECS[key].schema)]),
) as FieldSchemas;

/**
 * The values of a handoff. Every field is optional here: whether a field is required is the template's call.
 * Unknown keys are refused so that a misspelled key cannot silently drop a value.
 */
export const HandoffDataSchema = z.strictObject(fieldSchemas);
export type HandoffData = z.output<typeof HandoffDataSchema>;
/** What callers may pass: each field's own input type, or null / '' for "cleared". */
export type HandoffDataInput = { [K in HandoffFieldKey]?: z.input<(typeof FIELD_SPECS)[K]['schema']> | null };

export type FieldValidation = { ok: true; value: unknown } | { ok: false; message: string; issues: Issue[] };

/**
 * Validates one field's value the way the server will; '' and null mean "cleared" and are valid (value undefined).
 * @example validateField('championEmail', 'not-an-email') // { ok: false, message: 'must be an email address such as ap@customer.com', … }
 */
export function validateField(key: string, value: unknown): FieldValidation {
  fieldDefinition(key);
  const schema = fieldSchemas[key as HandoffFieldKey] as z.ZodType;
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const issues = zodIssues(result.error);
  const message = issues
    .map((i) => (i.path ? `${i.path} ${i.message}` : i.message))
    .filter((m, idx, all) => all.indexOf(m) === idx)
    .join('; ');
  return {
    ok: false,
    message,
    issues: issues.map((i) => ({ path: i.path ? `${key}.${i.path}` : key, message: i.message })),
  };
}

/**
 * True when a value counts as filled in: `false` is an answer, '' and [] are not.
 * @example isPresent(false) // true
 */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
