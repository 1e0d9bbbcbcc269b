import type { HandoffFieldKey } from '../../handoff/fields.js';

/**
 * The app's HubSpot properties, as data: one group (`revenue_handoff`) per object type and every custom property
 * prefixed `rh_` in snake_case. The names follow the rest of the app (one concept, one name): handoff states are
 * src/handoff/lifecycle.ts's, aging buckets src/receivables/aging.ts's, billing statuses the billing_setups table's.
 * `ensurePropertyGroupAndProperties` (client.ts) creates whatever of this is missing in a portal.
 */

/** The CRM object types the app reads or writes, by their v3 API names. */
export type CrmObjectType = 'deals' | 'companies' | 'contacts' | 'line_items';

/** HubSpot's property data types and the form controls we use for them (a subset of what HubSpot offers). */
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
export type PropertyFieldType = 'text' | 'textarea' | 'number' | 'date' | 'select' | 'booleancheckbox';

export interface PropertyOption {
  value: string;
  label: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  type: PropertyType;
  fieldType: PropertyFieldType;
  /** For enumeration and bool properties: the allowed values, in display order. */
  options?: ReadonlyArray<PropertyOption>;
  /** False for values only the app writes (statuses, finance ids, receivables), so nobody types them into a form. */
  formField: boolean;
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder: number;
}

export interface PropertyDefinitions {
  group: PropertyGroupDefinition;
  properties: Partial<Record<CrmObjectType, ReadonlyArray<PropertyDefinition>>>;
}

export const PROPERTY_GROUP: PropertyGroupDefinition = {
  name: 'revenue_handoff',
  label: 'Revenue Handoff',
  displayOrder: -1,
};

const options = (pairs: ReadonlyArray<readonly [string, string]>): PropertyOption[] =>
  pairs.map(([value, label]) => ({ value, label }));

// HubSpot stores booleans as the strings 'true' / 'false' and wants both spelled out as options.
const YES_NO = options([
  ['true', 'Yes'],
  ['false', 'No'],
]);

const HANDOFF_STATUS_OPTIONS = options([
  ['draft', 'Draft'],
  ['submitted', 'Submitted'],
  ['accepted', 'Accepted'],
  ['rejected', 'Rejected'],
  ['billing_pending', 'Billing pending'],
  ['billing_live', 'Billing live'],
  ['billing_failed', 'Billing failed'],
]);

/** Billing setup status: the billing_setups.status values, plus `not_set_up` before a setup exists. */
const BILLING_STATUS_OPTIONS = options([
  ['not_set_up', 'Not set up'],
  ['pending', 'Pending'],
  ['running', 'Running'],
  ['live', 'Live'],
  ['failed', 'Failed'],
]);

const RISK_LEVEL_OPTIONS = options([
  ['none', 'None'],
  ['low', 'Low'],
  ['medium', 'Medium'],
  ['high', 'High'],
]);

const BILLING_MODEL_OPTIONS = options([
  ['subscription', 'Subscription'],
  ['retainer', 'Retainer'],
  ['milestone', 'Milestones'],
  ['hourly', 'Hourly with cap'],
  ['one_time', 'One-time'],
  ['usage', 'Usage commitment'],
]);

function text(name: string, label: string, description: string, formField = true): PropertyDefinition {
  return { name, label, description, type: 'string', fieldType: 'text', formField };
}
function longText(name: string, label: string, description: string, formField = true): PropertyDefinition {
  return { name, label, description, type: 'string', fieldType: 'textarea', formField };
}
function num(name: string, label: string, description: string, formField = true): PropertyDefinition {
  return { name, label, description, type: 'number', fieldType: 'number', formField };
}
function day(name: string, label: string, description: string, formField = true): PropertyDefinition {
  return { name, label, description, type: 'date', fieldType: 'date', formField };
}
function choice(
  name: string,
  label: string,
  description: string,
  opts: ReadonlyArray<PropertyOption>,
  formField = true,
): PropertyDefinition {
  return { name, label, description, type: 'enumeration', fieldType: 'select', options: opts, formField };
}
function yesNo(name: string, label: string, description: string, formField = true): PropertyDefinition {
  return { name, label, description, type: 'bool', fieldType: 'booleancheckbox', options: YES_NO, formField };
}

const APP_ONLY = false;

/** Deal properties that carry the handoff's and billing setup's status. */
const DEAL_STATUS_PROPERTIES: PropertyDefinition[] = [
  choice('rh_handoff_status', 'Handoff status', 'Where the deal’s handoff stands.', HANDOFF_STATUS_OPTIONS, APP_ONLY),
  num(
    'rh_handoff_percent_complete',
    'Handoff % complete',
    'Share of required handoff fields filled in, 0–100.',
    APP_ONLY,
  ),
  choice(
    'rh_billing_status',
    'Billing status',
    'Billing setup in the finance system.',
    BILLING_STATUS_OPTIONS,
    APP_ONLY,
  ),
  text('rh_finance_customer_id', 'Finance customer ID', 'The customer’s id in the finance system.', APP_ONLY),
  text('rh_finance_customer_url', 'Finance customer link', 'Link to the customer in the finance system.', APP_ONLY),
  text(
    'rh_billing_contact_id',
    'Billing contact record',
    'Id of the contact who receives invoices (the handoff’s billing contact).',
    APP_ONLY,
  ),
  text(
    'rh_renewal_of',
    'Renewal of',
    'On a renewal deal the app created: the contract it renews (source deal id and renewal date).',
    APP_ONLY,
  ),
];

/** Deal properties that hold handoff field values (see HANDOFF_FIELD_PROPERTIES). */
const DEAL_HANDOFF_FIELD_PROPERTIES: PropertyDefinition[] = [
  longText('rh_customer_goals', 'Customer goals and success criteria', 'What the customer wants to achieve.'),
  text('rh_primary_use_case', 'Primary use case', 'The one job the customer bought us for first.'),
  longText('rh_stakeholders', 'Stakeholders and roles', 'JSON list of stakeholders, written by the app.', APP_ONLY),
  longText('rh_contract_terms_summary', 'Contract terms summary', 'The commercial commitments in plain words.'),
  longText('rh_promises_made', 'Promises made during sales', 'Anything promised that is not in the product today.'),
  longText('rh_known_risks', 'Known risks or product gaps', 'Gaps, doubts and red flags.'),
  longText('rh_implementation_timeline', 'Implementation timeline', 'What the customer expects when.'),
  day('rh_kickoff_date', 'Kickoff date', 'When the kickoff meeting is planned.'),
  text('rh_reporting_format', 'Reporting format', 'How and how often the customer expects progress reports.'),
  longText('rh_expansion_hypothesis', 'Expansion hypothesis', 'Where the account could grow next.'),
  longText('rh_support_expectations', 'Support expectations', 'Response times, channels and service levels.'),
  text('rh_signed_order_form_url', 'Signed order form', 'Link to the countersigned order form.'),
  text('rh_champion_email', 'Champion email', 'Email of the champion, so invoices do not go to them.'),
  day('rh_start_date', 'Start date', 'First day of service under the contract.'),
  day('rh_renewal_date', 'Renewal date', 'The date the contract renews or ends.'),
  // Free text rather than a dropdown: any `net_<n>` is accepted, and a term outside policy is an exception, not an error.
  text('rh_payment_terms', 'Payment terms', 'Payment-terms code such as net_30.'),
  yesNo('rh_po_required', 'Customer requires a PO', 'Does the customer require a PO number on every invoice?'),
  text('rh_po_number', 'PO number', 'The purchase-order number printed on invoices.'),
  num('rh_discount_basis_points', 'Discount (basis points)', 'Discount off list price; 1000 = 10%.'),
  longText(
    'rh_discount_approval',
    'Discount approval',
    'JSON record of who approved the discount, by the app.',
    APP_ONLY,
  ),
  longText('rh_usage_commitments', 'Usage commitments', 'Minimum volumes, included units and overage prices.'),
  num('rh_implementation_fee', 'Implementation fee', 'One-off fee, in the deal currency.'),
  longText('rh_non_standard_clauses', 'Non-standard clauses', 'Clauses that depart from the standard contract.'),
  longText('rh_finance_approval', 'Finance approval', 'JSON record of finance’s approval, by the app.', APP_ONLY),
  longText('rh_renewal_terms', 'Renewal and cancellation terms', 'Auto-renewal, notice periods, termination.'),
  longText('rh_usage_against_commitment', 'Usage against commitment', 'What the customer used against its commitment.'),
  longText('rh_payment_health', 'Payment health at renewal', 'The payment-status banner’s figures, by the app.'),
  choice('rh_billing_model', 'Billing model', 'How the customer is billed.', BILLING_MODEL_OPTIONS),
  longText('rh_billing_plan', 'Billing plan', 'JSON billing plan, written by the app.', APP_ONLY),
  num('rh_deposit_amount', 'Deposit', 'Upfront deposit, in the deal currency.'),
];

/** Company properties: receivables (so lists, workflows and reports can use them) and the finance link. */
const COMPANY_PROPERTIES: PropertyDefinition[] = [
  num('rh_overdue_amount', 'Overdue amount', 'Amount at least one day past due, in rh_receivables_currency.', APP_ONLY),
  text('rh_receivables_currency', 'Receivables currency', 'Currency of the receivables amounts (ISO 4217).', APP_ONLY),
  num('rh_days_past_due', 'Days past due', 'Days past due of the oldest unpaid invoice.', APP_ONLY),
  day('rh_oldest_due_date', 'Oldest due date', 'Earliest due date among unpaid invoices.', APP_ONLY),
  num('rh_aging_current', 'Aging: current', 'Amount not yet due.', APP_ONLY),
  num('rh_aging_days_1_30', 'Aging: 1–30 days', 'Amount 1–30 days past due.', APP_ONLY),
  num('rh_aging_days_31_60', 'Aging: 31–60 days', 'Amount 31–60 days past due.', APP_ONLY),
  num('rh_aging_days_61_90', 'Aging: 61–90 days', 'Amount 61–90 days past due.', APP_ONLY),
  num('rh_aging_days_over_90', 'Aging: 90+ days', 'Amount more than 90 days past due.', APP_ONLY),
  choice(
    'rh_risk_level',
    'Payment risk level',
    'Risk from overdue invoices and credit hold.',
    RISK_LEVEL_OPTIONS,
    APP_ONLY,
  ),
  yesNo('rh_credit_hold', 'Credit hold', 'Finance has put the customer on credit hold.'),
  choice(
    'rh_billing_status',
    'Billing status',
    'Billing setup in the finance system.',
    BILLING_STATUS_OPTIONS,
    APP_ONLY,
  ),
  text('rh_finance_customer_id', 'Finance customer ID', 'The customer’s id in the finance system.', APP_ONLY),
  text('rh_finance_customer_url', 'Finance customer link', 'Link to the customer in the finance system.', APP_ONLY),
  {
    name: 'rh_payment_status_as_of',
    label: 'Payment status as of',
    description: 'When the receivables figures were last computed.',
    type: 'datetime',
    fieldType: 'date',
    formField: APP_ONLY,
  },
  text(
    'rh_billing_entity_legal_name',
    'Billing entity legal name',
    'The legal name on invoices (may differ from the company name).',
  ),
];

/**
 * Line item properties: a line's tax treatment where HubSpot has no field for it (src/billing/tax.ts `lineItemTax`
 * reads them with HubSpot's own `hs_tax_rate`, and `hs_tax_label` when no code is set).
 */
const LINE_ITEM_PROPERTIES: PropertyDefinition[] = [
  text(
    'rh_tax_code',
    'Tax code in the finance system',
    'The tax code the finance system knows this line by: a QuickBooks TaxCode id (or TAX / NON under US automated ' +
      'sales tax), a Xero TaxType such as OUTPUT2, or a Stripe tax rate id (txr_…). Empty: HubSpot’s tax label.',
  ),
  yesNo(
    'rh_tax_inclusive',
    'Price includes tax',
    'Yes: the line’s price already includes the tax (gross). No or empty: the tax is added on top.',
  ),
];

/** Everything the app creates in a portal. Contacts need no custom property (only standard ones are used). */
export const REVENUE_HANDOFF_PROPERTIES: PropertyDefinitions = {
  group: PROPERTY_GROUP,
  properties: {
    deals: [...DEAL_STATUS_PROPERTIES, ...DEAL_HANDOFF_FIELD_PROPERTIES],
    companies: COMPANY_PROPERTIES,
    line_items: LINE_ITEM_PROPERTIES,
  },
};

/** Deal properties every handoff view reads besides the handoff fields. */
export const DEAL_CONTEXT_PROPERTIES = [
  'dealname',
  'amount',
  'closedate',
  'dealstage',
  'pipeline',
  'hubspot_owner_id',
  'deal_currency_code',
  'rh_handoff_status',
  'rh_handoff_percent_complete',
  'rh_billing_status',
  'rh_billing_contact_id',
] as const;

/** A property of one object type. */
export interface PropertyRef {
  object: 'deals' | 'companies' | 'contacts';
  property: string;
}

/**
 * Where one handoff field lives in HubSpot:
 * - `value`: one property holds it (text, date as YYYY-MM-DD, number, 'true'/'false', enumeration value);
 * - `money`: a number property in major units (HubSpot's own convention for `amount`) plus the currency property;
 * - `parts`: each sub-field of a structured value in its own standard property (address, contact), a list where
 *   one sub-field spans several properties (a person's name: firstname + lastname);
 * - `json`: structured values HubSpot has no shape for (lists of people, approvals, billing plans), as JSON text
 *   written only by the app.
 * For `contacts` parts, the record is the deal's billing contact (its id is in deal property `rh_billing_contact_id`).
 */
export type FieldStorage =
  | { shape: 'value'; at: PropertyRef }
  | { shape: 'money'; amount: PropertyRef; currency: PropertyRef }
  | { shape: 'parts'; parts: Readonly<Record<string, PropertyRef | ReadonlyArray<PropertyRef>>> }
  | { shape: 'json'; at: PropertyRef };

const deal = (property: string): PropertyRef => ({ object: 'deals', property });
const company = (property: string): PropertyRef => ({ object: 'companies', property });
const contact = (property: string): PropertyRef => ({ object: 'contacts', property });
const value = (at: PropertyRef): FieldStorage => ({ shape: 'value', at });
const json = (at: PropertyRef): FieldStorage => ({ shape: 'json', at });
const dealMoney = (property: string): FieldStorage => ({
  shape: 'money',
  amount: deal(property),
  currency: deal('deal_currency_code'),
});

/**
 * Handoff field key (src/handoff/fields.ts) → where its value is stored. Standard HubSpot properties where one
 * means the same thing (amount, deal_currency_code, company address, contact email and name); `rh_` ones otherwise.
 * The billing entity's legal name gets its own property rather than the company `name`: writing it there would
 * rename the company everywhere in the CRM ("Acme" → "Acme Holdings Ltd.").
 */
export const HANDOFF_FIELD_PROPERTIES = {
  customerGoals: value(deal('rh_customer_goals')),
  primaryUseCase: value(deal('rh_primary_use_case')),
  stakeholders: json(deal('rh_stakeholders')),
  contractTermsSummary: value(deal('rh_contract_terms_summary')),
  promisesMade: value(deal('rh_promises_made')),
  knownRisks: value(deal('rh_known_risks')),
  implementationTimeline: value(deal('rh_implementation_timeline')),
  kickoffDate: value(deal('rh_kickoff_date')),
  reportingFormat: value(deal('rh_reporting_format')),
  expansionHypothesis: value(deal('rh_expansion_hypothesis')),
  supportExpectations: value(deal('rh_support_expectations')),
  signedOrderFormUrl: value(deal('rh_signed_order_form_url')),
  billingEntityLegalName: value(company('rh_billing_entity_legal_name')),
  billingContact: {
    shape: 'parts',
    // One `name` in the handoff, two properties in HubSpot: split at the last space when written, joined when read.
    parts: { email: contact('email'), name: [contact('firstname'), contact('lastname')], phone: contact('phone') },
  },
  championEmail: value(deal('rh_champion_email')),
  billingAddress: {
    shape: 'parts',
    parts: {
      line1: company('address'),
      line2: company('address2'),
      city: company('city'),
      region: company('state'),
      postalCode: company('zip'),
      country: company('country'),
    },
  },
  startDate: value(deal('rh_start_date')),
  renewalDate: value(deal('rh_renewal_date')),
  paymentTerms: value(deal('rh_payment_terms')),
  poRequired: value(deal('rh_po_required')),
  poNumber: value(deal('rh_po_number')),
  discountBasisPoints: value(deal('rh_discount_basis_points')),
  discountApproval: json(deal('rh_discount_approval')),
  usageCommitments: value(deal('rh_usage_commitments')),
  implementationFee: dealMoney('rh_implementation_fee'),
  nonStandardClauses: value(deal('rh_non_standard_clauses')),
  financeApproval: json(deal('rh_finance_approval')),
  renewalTerms: value(deal('rh_renewal_terms')),
  billingModel: value(deal('rh_billing_model')),
  billingPlan: json(deal('rh_billing_plan')),
  currency: value(deal('deal_currency_code')),
  contractValue: dealMoney('amount'),
  depositAmount: dealMoney('rh_deposit_amount'),
  usageAgainstCommitment: value(deal('rh_usage_against_commitment')),
  paymentHealth: value(deal('rh_payment_health')),
} as const satisfies Record<HandoffFieldKey, FieldStorage>;

/**
 * Every property of `object` that some handoff field is stored in, sorted, for one batch read.
 * @example handoffPropertiesOf('companies') // ['address', 'address2', 'city', 'country', 'rh_billing_entity_legal_name', 'state', 'zip']
 */
export function handoffPropertiesOf(object: PropertyRef['object']): string[] {
  const names = new Set<string>();
  for (const storage of Object.values(HANDOFF_FIELD_PROPERTIES) as FieldStorage[]) {
    for (const ref of refsOf(storage)) if (ref.object === object) names.add(ref.property);
  }
  return [...names].sort();
}

/**
 * The properties one field's storage touches.
 * @example refsOf(HANDOFF_FIELD_PROPERTIES.contractValue).map((r) => r.property) // ['amount', 'deal_currency_code']
 */
export function refsOf(storage: FieldStorage): PropertyRef[] {
  switch (storage.shape) {
    case 'value':
    case 'json':
      return [storage.at];
    case 'money':
      return [storage.amount, storage.currency];
    case 'parts':
      return Object.values(storage.parts).flat();
  }
}
