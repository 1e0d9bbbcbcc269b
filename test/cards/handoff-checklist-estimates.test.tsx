import { Link, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import type { BillingView, HandoffView } from '../../src/api/contracts.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { DEAL_ID, view, views } from './handoff-fixtures.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

type Row = BillingView['invoices'][number];
const row = (over: Partial<Row>): Row => ({
  key: 'c0-p2',
  status: 'scheduled',
  issueDate: '2026-06-01',
  total: { amount: 100_000, currency: 'USD' },
  url: null,
  milestoneId: null,
  canMarkAccepted: false,
  canCancel: false,
  ...over,
});

function withInvoices(invoices: Row[]): HandoffView {
  const live = views.billingLive();
  return view({
    ...live,
    billing: { ...live.billing, system: 'quickbooks', handoffId: '5b8e2f4c-0000-4000-8000-000000000042', invoices },
  });
}

describe('HandoffChecklist: scheduled QuickBooks invoices shown ahead as Estimates', () => {
  it('links a scheduled invoice to its estimate in QuickBooks; an issued one links only its invoice', async () => {
    const url = 'https://app.qbo.intuit.com/app/estimate?txnId=41';
    backend.answer('getHandoffView', {
      body: withInvoices([
        row({ estimate: { number: '1003', url, status: 'open' } }),
        row({ key: 'c0-p3', issueDate: '2026-07-01' }),
        row({
          key: 'c0-p1',
          status: 'issued',
          issueDate: '2026-05-01',
          url: 'https://app.qbo.intuit.com/app/invoice?txnId=130',
          estimate: { number: '1001', url: null, status: 'closed' },
        }),
      ]),
    });
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    const link = r.find(Link, (n) => n.props.testId === 'estimate-c0-p2');
    expect(link.text).toBe('Estimate 1003 in QuickBooks');
    expect(link.props.href).toEqual({ url, external: true });
    // No estimate: nothing; an issued invoice shows its own link, not the closed estimate's.
    expect(r.maybeFind(Link, (n) => n.props.testId === 'estimate-c0-p3')).toBeNull();
    expect(r.maybeFind(Link, (n) => n.props.testId === 'estimate-c0-p1')).toBeNull();
    expect(r.maybeFind(Text, (n) => n.props.testId === 'estimate-c0-p1')).toBeNull();
  });
});
