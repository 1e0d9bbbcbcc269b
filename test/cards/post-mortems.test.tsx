import { Accordion, DescriptionListItem, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { PaymentStatus } from '../../cards/payment-status/PaymentStatus.js';
import { type PaymentStatusView, PaymentStatusViewSchema } from '../../src/api/contracts.js';
import { parseInvoices } from '../../src/receivables/invoice.js';
import { buildPostMortem } from '../../src/receivables/post-mortem.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { invoice, OVERDUE, paymentView } from './payment-fixtures.js';
import { textOf } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const usd = (amount: number) => ({ amount, currency: 'USD' });

/** A post-mortem exactly as the core builds it, through JSON as the backend sends it. */
function postMortem() {
  const [bad, earlier] = parseInvoices([
    invoice({ id: '1001', number: 'INV-1001', dueDate: '2026-02-14', total: usd(500_000), amountDue: usd(500_000) }),
    invoice({
      id: '0900',
      issueDate: '2025-10-01',
      dueDate: '2025-10-31',
      total: usd(100_000),
      amountDue: usd(0),
      status: 'paid',
      paidOn: '2025-12-20',
    }),
  ]);
  if (!bad || !earlier) throw new Error('fixtures');
  const record = buildPostMortem({
    invoice: { ...bad, status: 'written_off' },
    trigger: 'written_off',
    today: '2026-05-20',
    recordedAt: new Date('2026-05-20T08:00:00Z'),
    companyId: '501',
    sale: {
      dealId: '9001',
      at: new Date('2026-01-10T15:00:00Z'),
      day: '2026-01-10',
      handoffs: [
        {
          handoffId: 'h1',
          toTeam: 'finance',
          state: 'billing_live',
          data: { poRequired: true },
          evaluation: {
            templateId: 'cs_to_finance',
            templateVersion: 1,
            evaluatedAt: '2026-01-09T10:00:00Z',
            fields: [
              {
                key: 'paymentTerms',
                label: 'Payment terms',
                section: 'billing',
                status: 'needs_approval',
                severity: 'warning',
                reason: 'Paid 50 days late before: ask for a 25% deposit',
                required: true,
                problems: [
                  { status: 'needs_approval', reason: 'Paid 50 days late before', source: 'credit_suggestion' },
                ],
              },
            ],
            percentComplete: 100,
            complete: true,
            blockingCount: 0,
            warningCount: 1,
            suggestions: [],
          },
          exceptions: [
            {
              id: 'x1',
              handoffId: 'h1',
              reason: 'PO follows the signature by a week',
              waives: ['poNumber'],
              requestedBy: 'rep-1',
              requestedAt: '2026-01-08T10:00:00.000Z',
              approverRole: 'revops',
              status: 'approved',
              expiresAt: '2026-02-08T10:00:00.000Z',
              decidedBy: 'revops-7',
              decidedAt: '2026-01-08T12:00:00.000Z',
            },
          ],
        },
      ],
    },
    history: [earlier],
  });
  return JSON.parse(JSON.stringify(record));
}

async function renderCompany(view: PaymentStatusView) {
  backend.answer('getPaymentStatus', { body: PaymentStatusViewSchema.parse(view) });
  const r = createRenderer('crm.record.sidebar');
  r.render(<PaymentStatus record={{ objectType: 'company', objectId: '501' }} portalId={123} appId={456} />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return r;
}

describe('PaymentStatus: bad-debt post-mortems on the company record', () => {
  it('shows what the app knew at sale time: credit warning and history, PO rule, exception and approver, warnings', async () => {
    const r = await renderCompany({ ...paymentView(OVERDUE), postMortems: [postMortem()] });
    const pm = r.findByTestId(Accordion, 'post-mortem-1001');
    expect(pm.props.title).toBe('Invoice INV-1001: written off ($5,000.00)');
    const item = (label: string) => textOf(pm.find(DescriptionListItem, { label }));
    expect(item('Sale')).toContain('Deal 9001');
    expect(item('Credit warnings shown')).toBe('Paid 50 days late before: ask for a 25% deposit');
    // One invoice before the sale, paid 50 days late: the pre-qualification of that history says watch.
    expect(item('Credit pre-qualification')).toContain('Watch (shorter terms)');
    expect(item('Credit pre-qualification')).toContain('paid more than 30 days late');
    expect(item('Payment history at sale')).toBe('1 invoice before the sale; nothing was overdue on the sale day.');
    expect(item('PO rule')).toBe('PO required, waived by an exception');
    expect(item('Exceptions approved')).toBe(
      'PO follows the signature by a week (waives poNumber; requested by rep-1, approved by revops-7)',
    );
    expect(item('Warnings overridden')).toBe('Payment terms: Paid 50 days late before: ask for a 25% deposit');
    expect(textOf(r.findByTestId(Text, 'as-of'))).toBeTruthy();
  });

  it('a company without post-mortems shows no such section', async () => {
    const r = await renderCompany(paymentView(OVERDUE));
    expect(r.maybeFind(Accordion)).toBeNull();
  });
});
