import { type PaymentStatusView, PaymentStatusViewSchema } from '../../src/api/contracts.js';
import type { InvoiceSnapshotInput } from '../../src/receivables/invoice.js';
import { bannerModel } from '../../src/receivables/risk.js';

/**
 * PaymentStatusView fixtures. The banner wording, aging and last payment come from the real receivables core
 * (`bannerModel`), so the card is tested against what the server would say; every fixture is parsed with the
 * contract schema.
 */

export const TODAY = '2026-03-31';
export const AS_OF = '2026-03-31T06:00:00.000Z';
const usd = (amount: number) => ({ amount, currency: 'USD' });

export function invoice(over: Partial<InvoiceSnapshotInput> & { id: string }): InvoiceSnapshotInput {
  return {
    number: `INV-${over.id}`,
    customerId: 'xero-contact-1',
    issueDate: '2026-01-15',
    dueDate: '2026-02-14',
    currency: 'USD',
    total: usd(500_000),
    amountDue: usd(500_000),
    status: 'open',
    url: `https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${over.id}`,
    source: 'xero',
    ...over,
  };
}

/** 45 days past due on $5,000 (oldest), plus one invoice not yet due, and an earlier payment. */
export const OVERDUE = [
  invoice({ id: '1001', dueDate: '2026-02-14' }),
  invoice({ id: '1002', issueDate: '2026-03-15', dueDate: '2026-04-14', total: usd(250_000), amountDue: usd(250_000) }),
  invoice({
    id: '0999',
    issueDate: '2025-12-01',
    dueDate: '2025-12-31',
    total: usd(400_000),
    amountDue: usd(0),
    status: 'paid',
    paidOn: '2026-01-09',
  }),
];

/** Ten days past due: a warning. */
export const SLIGHTLY_LATE = [invoice({ id: '2001', dueDate: '2026-03-21' })];

/** Nothing past due. */
export const CURRENT = [invoice({ id: '3001', issueDate: '2026-03-20', dueDate: '2026-04-19' })];

export function paymentView(
  invoices: ReadonlyArray<InvoiceSnapshotInput>,
  options: { context?: 'company' | 'deal'; creditHold?: boolean } = {},
): PaymentStatusView {
  const context = options.context ?? 'company';
  const banner = bannerModel(invoices, { today: TODAY, context, creditHold: options.creditHold ?? false });
  const open = invoices.filter((i) => i.status === 'open' && i.amountDue.amount > 0);
  const view: PaymentStatusView = {
    finance: { connected: true, system: 'xero', displayName: 'Acme Demo Ltd (Xero)', status: 'connected' },
    context,
    company: { id: '501', name: 'Acme Widgets GmbH' },
    banner: {
      severity: banner.severity,
      risk: banner.risk,
      title: banner.title,
      message: banner.message,
      creditHold: banner.creditHold,
      daysPastDue: banner.daysPastDue,
      openInvoiceCount: banner.openInvoiceCount,
      oldestDueDate: banner.oldestDueDate,
    },
    statistics: banner.aging.currencies.map((c) => ({
      currency: c.currency,
      outstanding: c.outstanding,
      overdue: c.overdue,
      dsoDays: 41.3,
      buckets: c.buckets,
    })),
    averageDaysToPay: 38.5,
    openInvoices: open.map((i) => ({
      id: i.id,
      number: i.number,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amountDue: i.amountDue,
      total: i.total,
      daysPastDue: Math.max(0, Math.round((Date.parse(TODAY) - Date.parse(i.dueDate)) / 86_400_000)),
      url: i.url ?? null,
    })),
    lastPayment: banner.lastPayment
      ? {
          on: banner.lastPayment.on,
          amount: banner.lastPayment.amount,
          invoiceNumber: banner.lastPayment.invoiceNumber,
        }
      : null,
    customerUrl: 'https://go.xero.com/Contacts/View/7d3c6b0e-0000-4000-8000-000000000001',
    asOf: AS_OF,
    note: null,
  };
  return PaymentStatusViewSchema.parse(view);
}

export const notConnected = (): PaymentStatusView =>
  PaymentStatusViewSchema.parse({
    finance: { connected: false, system: null, displayName: null, status: 'not_connected' },
    context: 'company',
    company: { id: '501', name: 'Acme Widgets GmbH' },
    banner: null,
    statistics: [],
    averageDaysToPay: null,
    openInvoices: [],
    lastPayment: null,
    customerUrl: null,
    asOf: null,
    note: null,
  } satisfies PaymentStatusView);

export const noCompany = (): PaymentStatusView =>
  PaymentStatusViewSchema.parse({
    ...notConnected(),
    finance: { connected: true, system: 'xero', displayName: 'Acme Demo Ltd (Xero)', status: 'connected' },
    context: 'deal',
    company: null,
  } satisfies PaymentStatusView);

export const notLinked = (): PaymentStatusView =>
  PaymentStatusViewSchema.parse({
    ...noCompany(),
    context: 'company',
    company: { id: '501', name: 'Acme Widgets GmbH' },
  } satisfies PaymentStatusView);
