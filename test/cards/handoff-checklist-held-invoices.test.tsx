import { Button, Input, LoadingSpinner } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import type { BillingView, HandoffView } from '../../src/api/contracts.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { DEAL_ID, view, views } from './handoff-fixtures.js';
import { fire, textOf } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const HANDOFF_ID = '5b8e2f4c-0000-4000-8000-000000000042';
type Row = BillingView['invoices'][number];
const issued: Row = {
  key: 'c0-m:m1',
  status: 'issued',
  issueDate: '2026-01-01',
  total: { amount: 150_000, currency: 'USD' },
  url: 'https://app.qbo.intuit.com/app/invoice?txnId=1',
  milestoneId: 'm1',
  canMarkAccepted: false,
  canCancel: false,
};
const held: Row = {
  key: 'c0-m:m2',
  status: 'scheduled',
  issueDate: null,
  total: { amount: 250_000, currency: 'USD' },
  url: null,
  milestoneId: 'm2',
  canMarkAccepted: true,
  canCancel: true,
};

function withInvoices(invoices: Row[], roles: string[] = ['finance']): HandoffView {
  const live = views.billingLive();
  return view({
    ...live,
    user: { id: '88', roles: roles as never, teams: [] },
    billing: { ...live.billing, handoffId: HANDOFF_ID, invoices },
  });
}

async function renderLoaded(first: HandoffView) {
  backend.answer('getHandoffView', { body: first });
  const r = createRenderer('crm.record.tab');
  r.render(<HandoffChecklist dealId={DEAL_ID} />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return r;
}

const button = (r: Awaited<ReturnType<typeof renderLoaded>>, testId: string) =>
  r.maybeFind(Button, (n) => n.props.testId === testId);

describe('HandoffChecklist: invoices held until their date or milestone', () => {
  it('shows held and issued invoices apart, and records a milestone acceptance with one click', async () => {
    const r = await renderLoaded(withInvoices([issued, held]));
    const table = textOf(r.getRootNode());
    expect(table).toContain('Scheduled');
    expect(table).toContain('Issued');
    expect(button(r, `mark-accepted-${issued.key}`)).toBeNull();

    backend.answer('markMilestoneAccepted', {
      body: withInvoices([
        issued,
        { ...held, status: 'issued', issueDate: '2026-02-01', canMarkAccepted: false, canCancel: false },
      ]),
    });
    button(r, `mark-accepted-${held.key}`)?.trigger('onClick');
    await r.waitFor(() => expect(button(r, `mark-accepted-${held.key}`)).toBeNull());
    expect(backend.callsTo('markMilestoneAccepted')[0]?.body).toEqual({
      dealId: DEAL_ID,
      handoffId: HANDOFF_ID,
      milestoneId: 'm2',
    });
  });

  it('cancels a held invoice only with a reason', async () => {
    const r = await renderLoaded(withInvoices([held]));
    button(r, `cancel-${held.key}`)?.trigger('onClick');
    const confirm = () => r.find(Button, (n) => n.props.testId === `confirm-cancel-${held.key}`);
    expect(confirm().props.disabled).toBe(true);

    fire(r.find(Input, { name: `cancel-reason-${held.key}` }), 'onChange', 'Milestone dropped');
    await r.waitFor(() => expect(confirm().props.disabled).toBe(false));
    backend.answer('cancelScheduledInvoice', {
      body: withInvoices([{ ...held, status: 'cancelled', canMarkAccepted: false, canCancel: false }]),
    });
    confirm().trigger('onClick');
    await r.waitFor(() => expect(textOf(r.getRootNode())).toContain('Cancelled'));
    expect(backend.callsTo('cancelScheduledInvoice')[0]?.body).toEqual({
      dealId: DEAL_ID,
      handoffId: HANDOFF_ID,
      invoiceKey: held.key,
      reason: 'Milestone dropped',
    });
  });

  it('offers no buttons to someone the server does not allow', async () => {
    const r = await renderLoaded(withInvoices([{ ...held, canMarkAccepted: false, canCancel: false }], ['sales']));
    expect(textOf(r.getRootNode())).toContain('Scheduled');
    expect(button(r, `mark-accepted-${held.key}`)).toBeNull();
    expect(button(r, `cancel-${held.key}`)).toBeNull();
  });
});
