import { type FieldView, type HandoffCard, type HandoffView, HandoffViewSchema } from '../../src/api/contracts.js';
import { generateSchedule } from '../../src/billing/schedule.js';
import { HANDOFF_FIELDS } from '../../src/handoff/fields.js';

/**
 * HandoffView fixtures for every state of the checklist card. Typed by the contract and parsed with its schema
 * (`view()` throws on drift); the billing preview is produced by the real schedule generator.
 */

export const DEAL_ID = '9001';

export const PLAN = {
  currency: 'USD',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  paymentTerms: 'net_30',
  components: [
    {
      kind: 'recurring',
      description: 'Platform subscription',
      interval: 'quarterly',
      timing: 'advance',
      price: { amount: 300_000, currency: 'USD' },
    },
    {
      kind: 'one_time',
      category: 'implementation',
      description: 'Implementation fee',
      amount: { amount: 150_000, currency: 'USD' },
      on: 'start',
    },
  ],
};

const schedule = generateSchedule(PLAN);

type Can = HandoffCard['can'];
const NONE: Can = {
  edit: false,
  submit: false,
  review: false,
  ask: false,
  answer: false,
  requestException: false,
  decideException: false,
  retryBilling: false,
};
export const can = (over: Partial<Can> = {}): Can => ({ ...NONE, ...over });

/** A field as the server reports it, labelled from the real catalog. */
export function field(key: string, over: Partial<FieldView> = {}): FieldView {
  const def = HANDOFF_FIELDS.find((f) => f.key === key);
  if (!def) throw new Error(`no field ${key}`);
  return {
    key,
    label: def.label,
    section: def.section,
    type: def.type,
    help: def.help,
    ...(def.options ? { options: def.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    status: 'ok',
    severity: 'blocking',
    required: true,
    value: null,
    ...over,
  };
}

const okFinanceFields: FieldView[] = [
  field('billingEntityLegalName', { value: 'Acme Widgets GmbH' }),
  field('championEmail', { value: 'champion@acme.example' }),
  field('paymentTerms', { value: 'net_30' }),
  field('poRequired', { value: true }),
  field('poNumber', { value: 'PO-7781' }),
  field('startDate', { value: '2026-01-01' }),
  field('implementationFee', { value: { amount: 150_000, currency: 'USD' }, severity: 'warning' }),
  field('billingPlan', { value: PLAN }),
  field('currency', { value: 'USD' }),
  field('contractValue', { value: { amount: 1_350_000, currency: 'USD' } }),
];

/** CS → Finance with a PO missing, an email wrong, terms outside policy and no implementation fee yet. */
export const incompleteFinanceFields: FieldView[] = [
  field('billingEntityLegalName', { value: 'Acme Widgets GmbH' }),
  field('championEmail', {
    status: 'invalid',
    value: 'champion@',
    reason: 'must be an email address such as ap@customer.com',
  }),
  field('paymentTerms', {
    status: 'needs_approval',
    value: 'net_60',
    reason: 'Net 60 is outside the allowed terms (Due on receipt, Net 15, Net 30): needs an approved exception',
  }),
  field('poRequired', { value: true }),
  field('poNumber', { status: 'missing', reason: 'The customer requires a PO: no PO, no go' }),
  field('startDate', { status: 'missing', reason: 'is required' }),
  field('implementationFee', { status: 'missing', severity: 'warning', reason: 'is required (0 when there is none)' }),
  field('billingPlan', { value: PLAN }),
  field('currency', { value: 'USD' }),
  field('contractValue', { value: { amount: 1_350_000, currency: 'USD' } }),
];

export function handoff(over: Partial<HandoffCard> = {}): HandoffCard {
  return {
    id: 'h-fin',
    revision: 3,
    templateId: 'default-cs-to-finance',
    templateName: 'Customer Success → Finance',
    templateVersion: 2,
    fromTeam: 'customer_success',
    toTeam: 'finance',
    state: 'draft',
    percentComplete: 100,
    complete: true,
    blockingCount: 0,
    warningCount: 0,
    fields: okFinanceFields,
    suggestions: [],
    sla: { status: 'not_started', dueAt: null, remainingMs: null, overdueMs: null, nextStepOwner: 'customer_success' },
    rejection: null,
    rejectionReasons: [
      { code: 'missing_info', label: 'Missing or unclear required information' },
      { code: 'po_missing', label: 'The customer requires a PO and none was given' },
    ],
    can: can({ ask: true, answer: true }),
    exceptions: [],
    thread: [],
    ...over,
  };
}

/** The accepted Sales → CS handoff that precedes finance's. */
export const salesToCsAccepted: HandoffCard = handoff({
  id: 'h-cs',
  revision: 5,
  templateId: 'default-sales-to-cs',
  templateName: 'Sales → Customer Success',
  templateVersion: 1,
  fromTeam: 'sales',
  toTeam: 'customer_success',
  state: 'accepted',
  fields: [
    field('customerGoals', { value: 'Cut month-end close from 10 to 4 days.' }),
    field('kickoffDate', { value: '2026-01-12' }),
  ],
  sla: { status: 'met', dueAt: '2026-01-06T17:00:00.000Z', remainingMs: null, overdueMs: 0, nextStepOwner: null },
  thread: [{ type: 'accepted', actor: 'Casey (CS)', at: '2026-01-05T10:00:00.000Z' }],
});

export function view(over: Partial<HandoffView> = {}): HandoffView {
  const v: HandoffView = {
    deal: {
      id: DEAL_ID,
      name: 'Acme Widgets — Platform',
      stageLabel: 'Closed won',
      isWon: true,
      amount: { amount: 1_350_000, currency: 'USD' },
    },
    handoffs: [salesToCsAccepted, handoff()],
    billing: {
      preview: { invoices: schedule.invoices, contractValue: schedule.contractValue },
      previewNote: null,
      status: 'not_started',
      system: 'xero',
      customerUrl: null,
      error: null,
      invoices: [],
    },
    finance: { connected: true, system: 'xero', displayName: 'Acme Demo Ltd (Xero)', status: 'connected' },
    user: { id: '77', roles: ['customer_success'], teams: ['customer_success'] },
    ...over,
  };
  // Parsing proves the fixture still matches the contract; the parsed copy is what the stub serves.
  return HandoffViewSchema.parse(v);
}

export const views = {
  empty: () =>
    view({
      handoffs: [],
      deal: { id: DEAL_ID, name: 'Acme Widgets — Platform', stageLabel: 'Proposal', isWon: false, amount: null },
      billing: {
        ...view().billing,
        preview: null,
        previewNote: 'Add a billing plan to see the invoices billing setup would create.',
      },
    }),
  incomplete: () =>
    view({
      handoffs: [
        salesToCsAccepted,
        handoff({
          percentComplete: 60,
          complete: false,
          blockingCount: 4,
          warningCount: 1,
          fields: incompleteFinanceFields,
          can: can({ edit: true, submit: true, ask: true, answer: true, requestException: true }),
        }),
      ],
    }),
  complete: () =>
    view({
      handoffs: [salesToCsAccepted, handoff({ can: can({ edit: true, submit: true, ask: true, answer: true }) })],
    }),
  submittedForReviewer: () =>
    view({
      user: { id: '88', roles: ['finance'], teams: ['finance'] },
      handoffs: [
        salesToCsAccepted,
        handoff({
          state: 'submitted',
          sla: {
            status: 'due_soon',
            dueAt: '2026-01-08T17:00:00.000Z',
            remainingMs: 3 * 3_600_000,
            overdueMs: 0,
            nextStepOwner: 'finance',
          },
          can: can({ review: true, ask: true, answer: true }),
          thread: [{ type: 'submitted', actor: 'Casey (CS)', at: '2026-01-06T09:00:00.000Z' }],
        }),
      ],
    }),
  submittedForRep: () =>
    view({
      handoffs: [
        salesToCsAccepted,
        handoff({
          state: 'submitted',
          sla: {
            status: 'breached',
            dueAt: '2026-01-08T17:00:00.000Z',
            remainingMs: 0,
            overdueMs: 26 * 3_600_000,
            nextStepOwner: 'finance',
          },
          can: can({ ask: true, answer: true }),
        }),
      ],
    }),
  rejected: () =>
    view({
      handoffs: [
        salesToCsAccepted,
        handoff({
          state: 'rejected',
          revision: 4,
          rejection: {
            reason: 'po_missing',
            reasonLabel: 'The customer requires a PO and none was given',
            note: 'Acme AP confirmed they need PO-7781 on every invoice.',
          },
          can: can({ edit: true, submit: true, ask: true, answer: true }),
          thread: [
            { type: 'submitted', actor: 'Casey (CS)', at: '2026-01-06T09:00:00.000Z' },
            {
              type: 'rejected',
              actor: 'Fran (Finance)',
              at: '2026-01-06T15:00:00.000Z',
              text: 'The customer requires a PO and none was given — Acme AP confirmed they need PO-7781 on every invoice.',
            },
          ],
        }),
      ],
    }),
  accepted: () =>
    view({
      handoffs: [
        salesToCsAccepted,
        handoff({
          state: 'accepted',
          sla: {
            status: 'met',
            dueAt: '2026-01-08T17:00:00.000Z',
            remainingMs: null,
            overdueMs: 0,
            nextStepOwner: null,
          },
        }),
      ],
      billing: { ...view().billing, status: 'pending' },
    }),
  billingLive: () =>
    view({
      handoffs: [salesToCsAccepted, handoff({ state: 'billing_live' })],
      billing: {
        ...view().billing,
        status: 'live',
        customerUrl: 'https://go.xero.com/Contacts/View/7d3c6b0e-0000-4000-8000-000000000001',
        invoices: [
          {
            key: 'c1-once',
            status: 'issued',
            issueDate: '2026-01-01',
            total: { amount: 150_000, currency: 'USD' },
            url: 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=inv-1',
          },
        ],
      },
    }),
  billingFailed: () =>
    view({
      user: { id: '88', roles: ['finance'], teams: ['finance'] },
      handoffs: [
        salesToCsAccepted,
        handoff({ state: 'billing_failed', can: can({ retryBilling: true, ask: true, answer: true }) }),
      ],
      billing: {
        ...view().billing,
        status: 'failed',
        error: {
          message: 'Xero refused the contact: the name "Acme Widgets GmbH" is already used by another contact.',
          at: '2026-01-07T08:30:00.000Z',
        },
      },
    }),
};
