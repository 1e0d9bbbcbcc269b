import {
  Alert,
  Button,
  DescriptionListItem,
  EmptyState,
  ErrorState,
  Link,
  LoadingSpinner,
  StatisticsItem,
  Table,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { type PaymentRecord, PaymentStatus, recordOf } from '../../cards/payment-status/PaymentStatus.js';
import { instant } from '../../cards/shared/format.js';
import type { PaymentStatusView } from '../../src/api/contracts.js';
import { deferred, type StubbedBackend, stubBackend } from './backend-stub.js';
import {
  AS_OF,
  CURRENT,
  noCompany,
  notConnected,
  notLinked,
  OVERDUE,
  paymentView,
  SLIGHTLY_LATE,
} from './payment-fixtures.js';
import { fire, textOf } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const COMPANY: PaymentRecord = { objectType: 'company', objectId: '501' };
const DEAL: PaymentRecord = { objectType: 'deal', objectId: '9001' };

async function renderLoaded(view: PaymentStatusView, record: PaymentRecord = COMPANY) {
  backend.answer('getPaymentStatus', { body: view });
  const r = createRenderer('crm.record.sidebar');
  r.render(<PaymentStatus record={record} portalId={123} appId={456} />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  expect(backend.calls).toHaveLength(1);
  expect(backend.calls[0]).toMatchObject({ name: 'getPaymentStatus', body: record });
  return r;
}

const stat = (r: ReturnType<typeof createRenderer>, label: string) => r.find(StatisticsItem, { label }).props.number;

describe('PaymentStatus', () => {
  it('maps HubSpot record types to the records it supports', () => {
    expect(recordOf({ objectTypeId: '0-2', objectId: 501 })).toEqual({ objectType: 'company', objectId: '501' });
    expect(recordOf({ objectTypeId: '0-3', objectId: 9001 })).toEqual({ objectType: 'deal', objectId: '9001' });
    expect(recordOf({ objectTypeId: '0-1', objectId: 1 })).toBeNull();
  });

  it('loads with one call behind a spinner, and retries after a failure', async () => {
    const held = deferred<{ status?: number; body: unknown }>();
    backend.answer('getPaymentStatus', held.promise, { once: true });
    backend.answer('getPaymentStatus', { body: paymentView(CURRENT) });
    const r = createRenderer('crm.record.sidebar');
    r.render(<PaymentStatus record={COMPANY} portalId={123} />);
    expect(r.find(LoadingSpinner).props.label).toBe('Loading payment status…');
    held.resolve({ status: 502, body: {} });
    await r.waitFor(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    expect(r.find(ErrorState).props.title).toBe('Payment status could not be loaded');
    expect(backend.calls).toHaveLength(1);
    fire(r.findByTestId(Button, 'retry'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Alert, { testId: 'banner' })).not.toBeNull());
    expect(backend.calls).toHaveLength(2);
  });

  it('overdue company: a danger banner with the amount and days, statistics, aging, invoices with links', async () => {
    const r = await renderLoaded(paymentView(OVERDUE));
    const banner = r.findByTestId(Alert, 'banner');
    expect(banner.props.variant).toBe('danger');
    expect(banner.props.title).toBe('Seriously overdue');
    expect(textOf(banner)).toContain('45 days past due on $5,000.00');

    expect(stat(r, 'Outstanding')).toBe('$7,500.00');
    expect(stat(r, 'Overdue')).toBe('$5,000.00');
    expect(stat(r, 'DSO')).toBe('41.3 days');
    expect(stat(r, 'Average days to pay')).toBe('38.5 days');
    const bucket = (label: string) => r.find(DescriptionListItem, { label }).text;
    expect(bucket('Current')).toBe('$2,500.00');
    expect(bucket('31–60 days past due')).toBe('$5,000.00');
    expect(bucket('Over 90 days past due')).toBe('$0.00');

    const rows = r.findByTestId(Table, 'open-invoices').findAll(TableRow);
    expect(rows).toHaveLength(3);
    const link = rows[1]?.find(Link);
    expect(link?.props.href).toEqual({
      url: 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=1001',
      external: true,
    });
    expect(textOf(rows[1])).toContain('45');
    expect(textOf(rows[2])).toContain('Not due');

    expect(textOf(r.findByTestId(Text, 'last-payment'))).toBe(
      'Last payment: $4,000.00 on Jan 9, 2026 (invoice INV-0999)',
    );
    expect(r.findByTestId(Link, 'finance-customer').text).toBe('Open the customer in Xero');
    expect(textOf(r.findByTestId(Text, 'as-of'))).toBe(`Figures as of ${instant(AS_OF)}`);
    expect(r.maybeFind(Tag, { testId: 'credit-hold' })).toBeNull();
  });

  it('overdue on a deal: the upsell warning as the server words it', async () => {
    const r = await renderLoaded(paymentView(SLIGHTLY_LATE, { context: 'deal' }), DEAL);
    const banner = r.findByTestId(Alert, 'banner');
    expect(banner.props.variant).toBe('warning');
    expect(banner.props.title).toBe('Overdue customer');
    expect(textOf(banner)).toBe('Customer is 10 days past due on $5,000.00 — resolve before expanding.');
  });

  it('current: an info banner, nothing overdue', async () => {
    const r = await renderLoaded(paymentView(CURRENT));
    const banner = r.findByTestId(Alert, 'banner');
    expect(banner.props.variant).toBe('info');
    expect(textOf(banner)).toContain('none past due');
    expect(stat(r, 'Overdue')).toBe('$0.00');
  });

  it('paid up: a success banner and no open invoices', async () => {
    const r = await renderLoaded(paymentView([OVERDUE[2] as (typeof OVERDUE)[number]]));
    expect(r.findByTestId(Alert, 'banner').props.variant).toBe('success');
    expect(r.findByTestId(Alert, 'banner').props.title).toBe('Paid up');
    expect(textOf(r.getRootNode())).toContain('No open invoices.');
  });

  it('credit hold: a Credit hold tag and a danger banner, even when nothing is late', async () => {
    const r = await renderLoaded(paymentView(CURRENT, { creditHold: true }));
    const tag = r.findByTestId(Tag, 'credit-hold');
    expect(tag.text).toBe('Credit hold');
    expect(tag.props.variant).toBe('error');
    expect(r.findByTestId(Alert, 'banner').props.variant).toBe('danger');
    expect(r.findByTestId(Alert, 'banner').props.title).toBe('On credit hold');
  });

  it('not connected: says so and links to the app settings', async () => {
    const r = await renderLoaded(notConnected());
    const empty = r.findByTestId(EmptyState, 'not-connected');
    expect(empty.props.title).toBe('No finance system connected');
    const link = r.findByTestId(Link, 'settings-link');
    expect(link.text).toBe('Open Revenue Handoff settings');
    expect(link.props.href).toEqual({
      url: 'https://app.hubspot.com/integrations-settings/123/installed/framework/456/general-settings',
      external: true,
    });
    expect(r.maybeFind(Alert, { testId: 'banner' })).toBeNull();
  });

  it('reconnect needed: a warning with the settings link above the last known figures', async () => {
    const v = paymentView(OVERDUE);
    const r = await renderLoaded({ ...v, finance: { ...v.finance, status: 'reconnect_needed' } });
    expect(r.findByTestId(Alert, 'reconnect').props.title).toBe(
      'The connection to Acme Demo Ltd (Xero) needs to be renewed',
    );
    expect(r.findByTestId(Link, 'settings-link')).toBeDefined();
    expect(r.findByTestId(Alert, 'banner')).toBeDefined();
  });

  it('empty: a deal without a company, and a company not linked to a customer yet', async () => {
    const r = await renderLoaded(noCompany(), DEAL);
    expect(r.findByTestId(EmptyState, 'empty').props.title).toBe('No company on this deal');

    backend = stubBackend();
    const r2 = await renderLoaded(notLinked());
    expect(r2.findByTestId(EmptyState, 'empty').props.title).toBe('Customer not linked yet');
    expect(textOf(r2.getRootNode())).toContain('Acme Widgets GmbH is not linked to a customer in Xero yet.');
  });

  it('on an unsupported record it explains itself and calls nothing', () => {
    const r = createRenderer('crm.record.sidebar');
    r.render(<PaymentStatus record={null} portalId={123} />);
    expect(r.find(EmptyState).props.title).toBe('Payment status works on companies and deals');
    expect(backend.calls).toHaveLength(0);
  });
});
