import {
  Alert,
  Button,
  CurrencyInput,
  DateInput,
  EmptyState,
  ErrorState,
  Input,
  Link,
  LoadingSpinner,
  MultiSelect,
  ProgressBar,
  Select,
  StatusTag,
  Table,
  TableRow,
  TextArea,
  Tile,
  Toggle,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import { SHARED_STRINGS } from '../../cards/shared/strings.js';
import { validateField } from '../../src/handoff/fields.js';
import { deferred, type StubbedBackend, stubBackend } from './backend-stub.js';
import { can, DEAL_ID, field, handoff, salesToCsAccepted, view, views } from './handoff-fixtures.js';
import { fire, textOf } from './render-helpers.js';

let backend: StubbedBackend;

beforeEach(() => {
  backend = stubBackend();
});

/** Renders the card against `first` and waits until the view (not the spinner) is on screen. */
async function renderLoaded(first: ReturnType<(typeof views)[keyof typeof views]>) {
  backend.answer('getHandoffView', { body: first });
  const r = createRenderer('crm.record.tab');
  r.render(<HandoffChecklist dealId={DEAL_ID} />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return r;
}

const tag = (r: ReturnType<typeof createRenderer>, handoffId: string, key: string) =>
  r.findByTestId(StatusTag, `${handoffId}/status-${key}`);
const maybeButton = (r: ReturnType<typeof createRenderer>, id: string) =>
  r.maybeFind(Button, (n) => n.props.testId === id);

describe('HandoffChecklist: loading and failure', () => {
  it('shows a spinner while its one getHandoffView call is under way, then the handoffs', async () => {
    const held = deferred<{ body: unknown }>();
    backend.answer('getHandoffView', held.promise);
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the handoff checklist…');
    held.resolve({ body: views.complete() });
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(textOf(r.getRootNode())).toContain('Customer Success → Finance');
    expect(backend.calls).toHaveLength(1);
    expect(backend.calls[0]).toMatchObject({ name: 'getHandoffView', method: 'POST', body: { dealId: DEAL_ID } });
  });

  it('says in plain words that the backend failed, and Retry loads again', async () => {
    backend.answer(
      'getHandoffView',
      { status: 503, body: { code: 'internal', message: 'stack trace here' } },
      { once: true },
    );
    backend.answer('getHandoffView', { body: views.complete() });
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    await r.waitFor(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    const error = r.find(ErrorState);
    expect(error.props.title).toBe('The handoff checklist could not be loaded');
    expect(textOf(error)).toContain(SHARED_STRINGS.serverTrouble);
    expect(textOf(error)).not.toContain('stack trace');
    expect(backend.calls).toHaveLength(1);

    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(ErrorState)).toBeNull());
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(textOf(r.getRootNode())).toContain('Customer Success → Finance');
    expect(backend.callsTo('getHandoffView')).toHaveLength(2);
  });

  it('explains an unreachable backend, and an answer that breaks the contract, without crashing', async () => {
    backend.answer('getHandoffView', 'network-error', { once: true });
    backend.answer('getHandoffView', { body: { deal: 'not a view' } });
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    await r.waitFor(() => expect(textOf(r.maybeFind(ErrorState))).toContain(SHARED_STRINGS.unreachable));
    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.maybeFind(ErrorState))).toContain(SHARED_STRINGS.unexpectedAnswer));
  });
});

describe('HandoffChecklist: states of a handoff', () => {
  it('shows an empty state when the deal has no handoff yet', async () => {
    const r = await renderLoaded(views.empty());
    const empty = r.find(EmptyState);
    expect(empty.props.title).toBe('No handoff for this deal yet');
    expect(r.maybeFind(Button, (n) => String(n.props.testId).endsWith('/submit'))).toBeNull();
    expect(backend.calls).toHaveLength(1);
  });

  it('incomplete: tags each field missing / invalid / needs approval with its reason, and shows progress', async () => {
    const r = await renderLoaded(views.incomplete());
    expect(r.findByTestId(ProgressBar, 'h-fin/progress').props).toMatchObject({ value: 60, variant: 'danger' });
    expect(textOf(r.getRootNode())).toContain('4 blocking items, 1 warning');

    expect(tag(r, 'h-fin', 'poNumber').props.variant).toBe('danger');
    expect(tag(r, 'h-fin', 'poNumber').text).toBe('Missing');
    expect(textOf(r.getRootNode())).toContain('The customer requires a PO: no PO, no go');
    expect(tag(r, 'h-fin', 'championEmail').text).toBe('Invalid');
    expect(tag(r, 'h-fin', 'championEmail').props.variant).toBe('danger');
    expect(tag(r, 'h-fin', 'paymentTerms').text).toBe('Needs approval');
    expect(tag(r, 'h-fin', 'paymentTerms').props.variant).toBe('warning');
    expect(textOf(r.getRootNode())).toContain('Net 60 is outside the allowed terms');
    // A missing warning-only field is a warning, not a blocker.
    expect(tag(r, 'h-fin', 'implementationFee').props.variant).toBe('warning');
    expect(tag(r, 'h-fin', 'billingEntityLegalName').text).toBe('OK');
    expect(tag(r, 'h-fin', 'billingEntityLegalName').props.variant).toBe('success');

    // Fields not ok are open for editing with the input that fits them.
    expect(r.find(Input, { name: 'poNumber' })).toBeDefined();
    expect(r.find(Select, { name: 'paymentTerms' }).props.options.map((o) => o.value)).toEqual([
      'due_on_receipt',
      'net_15',
      'net_30',
      'net_45',
      'net_60',
      'eofm_20',
    ]);
    expect(r.find(DateInput, { name: 'startDate' })).toBeDefined();
    expect(r.find(CurrencyInput, { name: 'implementationFee' }).props.currency).toBe('USD');
    // An ok field shows its value and an Edit button instead.
    expect(r.maybeFind(Input, { name: 'billingEntityLegalName' })).toBeNull();
    expect(r.findByTestId(Button, 'h-fin/edit-billingEntityLegalName')).toBeDefined();
  });

  it('incomplete: validates as the person types with the server schema, and Save sends the typed values with the revision', async () => {
    const r = await renderLoaded(views.incomplete());
    fire(r.find(Input, { name: 'championEmail' }), 'onChange', 'champion@');
    await r.waitFor(() => expect(r.find(Input, { name: 'championEmail' }).props.error).toBe(true));
    const expected = validateField('championEmail', 'champion@');
    expect(expected.ok).toBe(false);
    expect(r.find(Input, { name: 'championEmail' }).props.validationMessage).toBe(expected.ok ? '' : expected.message);
    expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(true);

    fire(r.find(Input, { name: 'championEmail' }), 'onChange', 'billing.champion@acme.example');
    fire(r.find(Input, { name: 'poNumber' }), 'onChange', 'PO-7781');
    fire(r.find(Select, { name: 'paymentTerms' }), 'onChange', 'net_30');
    fire(r.find(DateInput, { name: 'startDate' }), 'onChange', { year: 2026, month: 0, date: 15 });
    fire(r.find(CurrencyInput, { name: 'implementationFee' }), 'onChange', 1500.5);
    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(false));
    expect(textOf(r.getRootNode())).toContain('5 unsaved changes');

    backend.answer('saveHandoffFields', { body: views.complete() });
    r.findByTestId(Button, 'h-fin/save').trigger('onClick');
    await r.waitFor(() => expect(backend.callsTo('saveHandoffFields')).toHaveLength(1));
    expect(backend.callsTo('saveHandoffFields')[0]?.body).toEqual({
      dealId: DEAL_ID,
      handoffId: 'h-fin',
      revision: 3,
      values: {
        championEmail: 'billing.champion@acme.example',
        poNumber: 'PO-7781',
        paymentTerms: 'net_30',
        startDate: '2026-01-15',
        // 1500.50 USD in minor units, through the decimal string: never float arithmetic.
        implementationFee: { amount: 150_050, currency: 'USD' },
      },
    });
    // The answer is the fresh view: no second load.
    await r.waitFor(() => expect(tag(r, 'h-fin', 'poNumber').text).toBe('OK'));
    expect(backend.callsTo('getHandoffView')).toHaveLength(1);
    expect(r.maybeFind(Input, { name: 'poNumber' })).toBeNull();
  });

  it('incomplete: an amount with more decimals than the currency has is refused before saving', async () => {
    const r = await renderLoaded(views.incomplete());
    fire(r.find(CurrencyInput, { name: 'implementationFee' }), 'onChange', 10.555);
    await r.waitFor(() => expect(r.find(CurrencyInput, { name: 'implementationFee' }).props.error).toBe(true));
    expect(r.find(CurrencyInput, { name: 'implementationFee' }).props.validationMessage).toContain('2 decimal places');
    expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(true);
  });

  it('incomplete: a refused save shows the server message and keeps what was typed', async () => {
    const r = await renderLoaded(views.incomplete());
    fire(r.find(Input, { name: 'poNumber' }), 'onChange', 'PO-1');
    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(false));
    backend.answer('saveHandoffFields', {
      status: 409,
      body: { code: 'conflict', message: 'The handoff changed since you loaded it (revision 4).', path: 'revision' },
    });
    r.findByTestId(Button, 'h-fin/save').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(Alert, { testId: 'action-error' })).not.toBeNull());
    const alert = r.find(Alert, { testId: 'action-error' });
    expect(textOf(alert)).toContain('The handoff changed since you loaded it (revision 4).');
    expect(textOf(alert)).toContain(SHARED_STRINGS.conflictHint);
    expect(alert.find(Button, (n) => n.text === SHARED_STRINGS.reload)).toBeDefined();
    expect(r.find(Input, { name: 'poNumber' }).props.value).toBe('PO-1');
  });

  it('incomplete: requests an exception for fields to waive, with a reason', async () => {
    const r = await renderLoaded(views.incomplete());
    const waives = r.find(MultiSelect, { name: 'waives' });
    expect(waives.props.options.map((o) => o.value)).toEqual([
      'championEmail',
      'paymentTerms',
      'poNumber',
      'startDate',
      'implementationFee',
    ]);
    fire(waives, 'onChange', ['paymentTerms']);
    fire(r.find(TextArea, { name: 'exceptionReason' }), 'onChange', 'Strategic account; CFO agreed Net 60.');
    backend.answer('requestException', { body: views.incomplete() });
    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/request-exception').props.disabled).toBe(false));
    r.findByTestId(Button, 'h-fin/request-exception').trigger('onClick');
    await r.waitFor(() => expect(backend.callsTo('requestException')).toHaveLength(1));
    expect(backend.callsTo('requestException')[0]?.body).toEqual({
      dealId: DEAL_ID,
      handoffId: 'h-fin',
      reason: 'Strategic account; CFO agreed Net 60.',
      waives: ['paymentTerms'],
    });
  });

  it('complete: 100% with every field OK, and Submit sends the handoff with its revision', async () => {
    const r = await renderLoaded(views.complete());
    expect(r.findByTestId(ProgressBar, 'h-fin/progress').props).toMatchObject({ value: 100, variant: 'success' });
    const tags = r.findAll(StatusTag, (n) => String(n.props.testId).startsWith('h-fin/status-'));
    expect(tags.length).toBeGreaterThan(5);
    expect(tags.every((t) => t.text === 'OK' && t.props.variant === 'success')).toBe(true);
    const submit = r.findByTestId(Button, 'h-fin/submit');
    expect(submit.text).toBe('Submit to Finance');
    backend.answer('submitHandoff', { body: views.submittedForRep() });
    submit.trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'h-fin/state').text).toBe('Submitted'));
    expect(backend.callsTo('submitHandoff')[0]?.body).toEqual({ dealId: DEAL_ID, handoffId: 'h-fin', revision: 3 });
    expect(maybeButton(r, 'h-fin/submit')).toBeNull();
  });

  it('submitted: the reviewer sees Accept and Reject with the template reasons, and the SLA clock', async () => {
    const r = await renderLoaded(views.submittedForReviewer());
    expect(r.findByTestId(Button, 'h-fin/accept').text).toBe('Accept handoff');
    expect(r.findByTestId(Button, 'h-fin/reject').props.disabled).toBe(true);
    expect(r.find(Select, { name: 'rejectReason' }).props.options).toEqual([
      { value: 'missing_info', label: 'Missing or unclear required information' },
      { value: 'po_missing', label: 'The customer requires a PO and none was given' },
    ]);
    const clock = textOf(r.getRootNode());
    expect(clock).toContain('Due soon');
    expect(clock).toContain('3 h left');
    expect(clock).toContain('Next step: Finance');
    // Reviewers do not edit or submit.
    expect(maybeButton(r, 'h-fin/submit')).toBeNull();
    expect(maybeButton(r, 'h-fin/save')).toBeNull();

    fire(r.find(Select, { name: 'rejectReason' }), 'onChange', 'po_missing');
    fire(r.find(TextArea, { name: 'rejectNote' }), 'onChange', 'Acme needs PO-7781 on every invoice.');
    backend.answer('reviewHandoff', { body: views.rejected() });
    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/reject').props.disabled).toBe(false));
    r.findByTestId(Button, 'h-fin/reject').trigger('onClick');
    await r.waitFor(() => expect(backend.callsTo('reviewHandoff')).toHaveLength(1));
    expect(backend.callsTo('reviewHandoff')[0]?.body).toEqual({
      dealId: DEAL_ID,
      handoffId: 'h-fin',
      revision: 3,
      action: { type: 'reject', reason: 'po_missing', note: 'Acme needs PO-7781 on every invoice.' },
    });
  });

  it('submitted: the reviewer accepts', async () => {
    const r = await renderLoaded(views.submittedForReviewer());
    backend.answer('reviewHandoff', { body: views.accepted() });
    r.findByTestId(Button, 'h-fin/accept').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'h-fin/state').text).toBe('Accepted'));
    expect(backend.callsTo('reviewHandoff')[0]?.body).toMatchObject({ action: { type: 'accept' } });
  });

  it('submitted: the rep sees no review buttons, a breached SLA, and can ask a question', async () => {
    const r = await renderLoaded(views.submittedForRep());
    expect(maybeButton(r, 'h-fin/accept')).toBeNull();
    expect(maybeButton(r, 'h-fin/reject')).toBeNull();
    expect(r.maybeFind(Select, { name: 'rejectReason' })).toBeNull();
    const text = textOf(r.getRootNode());
    expect(text).toContain('SLA breached');
    expect(text).toContain('1 d 2 h overdue');
    const composer = r.findAll(TextArea, { name: 'message' }).at(-1);
    if (!composer) throw new Error('no message box');
    fire(composer, 'onChange', 'Any update on the billing contact?');
    backend.answer('reviewHandoff', { body: views.submittedForRep() });
    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/ask').props.disabled).toBe(false));
    r.findByTestId(Button, 'h-fin/ask').trigger('onClick');
    await r.waitFor(() => expect(backend.callsTo('reviewHandoff')).toHaveLength(1));
    expect(backend.callsTo('reviewHandoff')[0]?.body).toMatchObject({
      action: { type: 'ask', message: 'Any update on the billing contact?' },
    });
  });

  it('rejected: shows the reason and note, the thread, and offers Resubmit', async () => {
    const r = await renderLoaded(views.rejected());
    const alert = r.findByTestId(Alert, 'h-fin/rejection');
    expect(alert.props.title).toBe('Rejected: The customer requires a PO and none was given');
    expect(textOf(alert)).toContain('Acme AP confirmed they need PO-7781 on every invoice.');
    expect(r.findByTestId(StatusTag, 'h-fin/state').props.variant).toBe('danger');
    expect(r.findByTestId(Button, 'h-fin/submit').text).toBe('Resubmit to Finance');
    expect(textOf(r.getRootNode())).toContain('Fran (Finance) rejected the handoff');
    backend.answer('submitHandoff', { body: views.submittedForRep() });
    r.findByTestId(Button, 'h-fin/submit').trigger('onClick');
    await r.waitFor(() => expect(backend.callsTo('submitHandoff')).toHaveLength(1));
    expect(backend.callsTo('submitHandoff')[0]?.body).toEqual({ dealId: DEAL_ID, handoffId: 'h-fin', revision: 4 });
  });

  it('accepted: no edit, submit or review buttons; billing setup pending', async () => {
    const r = await renderLoaded(views.accepted());
    expect(r.findByTestId(StatusTag, 'h-fin/state').text).toBe('Accepted');
    for (const id of ['h-fin/submit', 'h-fin/save', 'h-fin/accept', 'h-fin/reject', 'retry-billing']) {
      expect(maybeButton(r, id)).toBeNull();
    }
    expect(r.findByTestId(StatusTag, 'billing-status').text).toBe('Setup pending · Xero');
  });

  it('shows the billing preview from billing.preview: issue date, due date, description, total', async () => {
    const r = await renderLoaded(views.complete());
    const table = r.findByTestId(Table, 'billing-preview');
    const rows = table.findAll(TableRow);
    // header + 5 invoices + footer
    expect(rows).toHaveLength(7);
    expect(textOf(rows[1])).toContain('Jan 1, 2026');
    expect(textOf(rows[1])).toContain('Jan 31, 2026');
    expect(textOf(rows[1])).toContain('Platform subscription');
    expect(textOf(rows[1])).toContain('$3,000.00');
    expect(textOf(rows[6])).toContain('$13,500.00');
  });

  it('billing live: links to the customer in the finance system', async () => {
    const r = await renderLoaded(views.billingLive());
    expect(r.findByTestId(StatusTag, 'billing-status').props.variant).toBe('success');
    const link = r.findByTestId(Link, 'finance-customer');
    expect(link.text).toBe('Open the customer in Xero');
    expect(link.props.href).toEqual({
      url: 'https://go.xero.com/Contacts/View/7d3c6b0e-0000-4000-8000-000000000001',
      external: true,
    });
    expect(textOf(r.findByTestId(Table, 'billing-invoices'))).toContain('Issued');
  });

  it('billing failed: shows the vendor error, and Retry calls syncBillingSetup once', async () => {
    const r = await renderLoaded(views.billingFailed());
    const alert = r.findByTestId(Alert, 'billing-error');
    expect(alert.props.variant).toBe('danger');
    expect(textOf(alert)).toContain(
      'Xero refused the contact: the name "Acme Widgets GmbH" is already used by another contact.',
    );
    backend.answer('syncBillingSetup', { body: views.billingLive() });
    r.findByTestId(Button, 'retry-billing').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(Link, { testId: 'finance-customer' })).not.toBeNull());
    expect(backend.callsTo('syncBillingSetup')).toHaveLength(1);
    expect(backend.callsTo('syncBillingSetup')[0]?.body).toEqual({ dealId: DEAL_ID, handoffId: 'h-fin' });
    expect(backend.callsTo('getHandoffView')).toHaveLength(1);
  });

  it('billing failed: a user the server does not allow to retry gets no Retry button', async () => {
    const v = views.billingFailed();
    const r = await renderLoaded({
      ...v,
      handoffs: v.handoffs.map((h) => ({ ...h, can: { ...h.can, retryBilling: false } })),
    });
    expect(r.findByTestId(Alert, 'billing-error')).toBeDefined();
    expect(maybeButton(r, 'retry-billing')).toBeNull();
  });
});

describe('HandoffChecklist: editors for structured fields and exceptions', () => {
  const planView = () =>
    view({
      handoffs: [
        salesToCsAccepted,
        handoff({
          percentComplete: 70,
          complete: false,
          blockingCount: 2,
          fields: [
            field('currency', { value: 'USD' }),
            field('poRequired', { status: 'missing', reason: 'is required' }),
            field('billingModel', { status: 'missing', reason: 'is required' }),
            field('billingPlan', { status: 'missing', reason: 'is required' }),
          ],
          can: can({ edit: true, submit: true, ask: true, answer: true }),
        }),
      ],
    });

  it('builds a billing plan with the simple form and the milestone editor, valid by the server schema', async () => {
    const r = await renderLoaded(planView());
    const addButton = (label: string) => r.find(Button, (n) => n.text === label);
    fire(r.find(Select, { name: 'billingModel' }), 'onChange', 'subscription');
    expect(r.find(Select, { name: 'billingModel' }).props.options.map((o) => o.value)).toContain('milestone');
    fire(r.find(Toggle, { name: 'poRequired' }), 'onChange', false);

    fire(r.find(DateInput, { name: 'billingPlan.startDate' }), 'onChange', { year: 2026, month: 0, date: 1 });
    fire(r.find(DateInput, { name: 'billingPlan.endDate' }), 'onChange', { year: 2026, month: 11, date: 31 });
    fire(r.find(Select, { name: 'billingPlan.paymentTerms' }), 'onChange', 'net_30');
    fire(addButton('Add recurring fee'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Select, { name: 'billingPlan.recurring.interval' })).not.toBeNull());
    fire(r.find(Select, { name: 'billingPlan.recurring.interval' }), 'onChange', 'quarterly');
    fire(r.find(CurrencyInput, { name: 'billingPlan.recurring.price' }), 'onChange', 3000);
    fire(addButton('Add implementation fee'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(CurrencyInput, { name: 'billingPlan.fee.amount' })).not.toBeNull());
    fire(r.find(CurrencyInput, { name: 'billingPlan.fee.amount' }), 'onChange', 1500);
    fire(addButton('Add milestone billing'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Input, { name: 'billingPlan.milestones[0].name' })).not.toBeNull());
    fire(r.find(Input, { name: 'billingPlan.milestones[0].name' }), 'onChange', 'Go-live');
    fire(r.find(CurrencyInput, { name: 'billingPlan.milestones[0].amount' }), 'onChange', 2000.25);
    fire(r.find(DateInput, { name: 'billingPlan.milestones[0].expectedOn' }), 'onChange', {
      year: 2026,
      month: 5,
      date: 30,
    });
    fire(addButton('Add milestone'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Input, { name: 'billingPlan.milestones[1].name' })).not.toBeNull());
    fire(r.find(Input, { name: 'billingPlan.milestones[1].name' }), 'onChange', 'Handover');
    fire(r.find(CurrencyInput, { name: 'billingPlan.milestones[1].amount' }), 'onChange', 500);

    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(false));
    backend.answer('saveHandoffFields', { body: views.complete() });
    fire(r.findByTestId(Button, 'h-fin/save'), 'onClick');
    await r.waitFor(() => expect(backend.callsTo('saveHandoffFields')).toHaveLength(1));
    const values = (backend.callsTo('saveHandoffFields')[0]?.body.values ?? {}) as Record<string, unknown>;
    expect(values.billingModel).toBe('subscription');
    expect(values.poRequired).toBe(false);
    expect(values.billingPlan).toEqual({
      currency: 'USD',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      paymentTerms: 'net_30',
      components: [
        {
          kind: 'recurring',
          description: 'Subscription',
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
        {
          kind: 'milestone',
          description: 'Milestones',
          milestones: [
            { id: 'm1', name: 'Go-live', amount: { amount: 200_025, currency: 'USD' }, expectedOn: '2026-06-30' },
            { id: 'm2', name: 'Handover', amount: { amount: 50_000, currency: 'USD' } },
          ],
        },
      ],
    });
    expect(validateField('billingPlan', values.billingPlan).ok).toBe(true);
  });

  it('shows what is wrong with a half-filled plan, using the server schema, and blocks Save', async () => {
    const r = await renderLoaded(planView());
    fire(
      r.find(Button, (n) => n.text === 'Add recurring fee'),
      'onClick',
    );
    await r.waitFor(() => expect(r.find(Input, { name: 'billingPlan.currency' }).props.error).toBe(true));
    expect(r.find(Input, { name: 'billingPlan.currency' }).props.validationMessage).toContain('startDate');
    expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(true);
  });

  it('lists exceptions and lets the exception owner approve or deny a request', async () => {
    const v = views.submittedForReviewer();
    const fin = v.handoffs[1];
    if (!fin) throw new Error('fixture');
    const r = await renderLoaded({
      ...v,
      handoffs: [
        salesToCsAccepted,
        {
          ...fin,
          can: { ...fin.can, decideException: true },
          exceptions: [
            {
              id: 'ex-1',
              status: 'requested',
              reason: 'Strategic account; CFO agreed Net 60.',
              waives: ['paymentTerms'],
              requestedBy: 'Casey (CS)',
              requestedAt: '2026-01-06T09:00:00.000Z',
              expiresAt: '2026-02-05T09:00:00.000Z',
              approverRole: 'revops',
            },
          ],
        },
      ],
    });
    const exception = textOf(r.findByTestId(Tile, 'h-fin/exception-ex-1'));
    expect(exception).toContain('Strategic account; CFO agreed Net 60.');
    expect(exception).toContain('Waives: Payment terms');
    backend.answer('decideException', { body: views.submittedForReviewer() });
    fire(r.findByTestId(Button, 'h-fin/approve-ex-1'), 'onClick');
    await r.waitFor(() => expect(backend.callsTo('decideException')).toHaveLength(1));
    expect(backend.callsTo('decideException')[0]?.body).toEqual({
      dealId: DEAL_ID,
      exceptionId: 'ex-1',
      decision: 'approve',
    });
  });
});
