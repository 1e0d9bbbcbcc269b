import {
  BarChart,
  Button,
  EmptyState,
  ErrorState,
  LoadingSpinner,
  StatisticsItem,
  StatusTag,
  Table,
  TableRow,
  Tile,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { Home } from '../../cards/home/Home.js';
import { HomePages } from '../../cards/home/HomePages.js';
import { type MetricsView, MetricsViewSchema } from '../../src/api/contracts.js';
import { type RevenueFactsInput, revenueReadiness } from '../../src/metrics/index.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { invoice } from './payment-fixtures.js';
import { fire, textOf } from './render-helpers.js';

const NOW = new Date('2026-03-31T12:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });

const FACTS: RevenueFactsInput = {
  deals: [
    {
      dealId: 'd1',
      closedAt: '2026-01-01T10:00:00Z',
      billingLiveAt: '2026-01-03T10:00:00Z',
      firstInvoiceAt: '2026-01-04T10:00:00Z',
    },
    { dealId: 'd2', closedAt: '2026-02-01T10:00:00Z', billingLiveAt: '2026-02-05T10:00:00Z' },
    { dealId: 'd3', closedAt: '2026-03-20T10:00:00Z' },
  ],
  invoiceTimings: [
    { invoiceId: 'i1', triggerAt: '2026-01-03T10:00:00Z', createdAt: '2026-01-03T11:00:00Z' },
    { invoiceId: 'i2', triggerAt: '2026-02-05T10:00:00Z', createdAt: '2026-02-09T10:00:00Z', manuallyCorrected: true },
  ],
  handoffEvents: [
    {
      handoffId: 'h1',
      kind: 'submitted',
      at: '2026-01-01T12:00:00Z',
      slaDueAt: '2026-01-02T12:00:00Z',
      toTeam: 'finance',
    },
    { handoffId: 'h1', kind: 'rejected', at: '2026-01-03T12:00:00Z', reason: 'po_missing' },
    {
      handoffId: 'h1',
      kind: 'submitted',
      at: '2026-01-04T12:00:00Z',
      slaDueAt: '2026-01-05T12:00:00Z',
      toTeam: 'finance',
    },
    { handoffId: 'h1', kind: 'accepted', at: '2026-01-04T15:00:00Z' },
  ],
  customers: [{ customerId: 'xero-contact-1', name: 'Acme Widgets GmbH', creditHold: false }],
  invoices: [
    invoice({ id: '1001', dueDate: '2026-02-14' }),
    invoice({
      id: '1002',
      issueDate: '2026-03-15',
      dueDate: '2026-04-14',
      total: usd(250_000),
      amountDue: usd(250_000),
    }),
  ],
};

/** The metrics exactly as the core computes them, through JSON as the backend sends them, parsed by the contract. */
function metrics(facts: RevenueFactsInput): MetricsView {
  const report = revenueReadiness(facts, { now: NOW, timeZone: 'America/Chicago' });
  return MetricsViewSchema.parse(JSON.parse(JSON.stringify(report)));
}

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

async function renderLoaded(view: MetricsView, location: 'pages' | 'home' = 'pages', node = <Home />) {
  backend.answer('getMetrics', { body: view });
  const r = createRenderer(location);
  r.render(node);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  expect(backend.calls).toEqual([expect.objectContaining({ name: 'getMetrics', body: {} })]);
  return r;
}

const stat = (r: ReturnType<typeof createRenderer>, label: string) => r.find(StatisticsItem, { label }).props.number;

describe('Home (revenue readiness)', () => {
  it('shows readiness durations, late invoices, receivables, handoff rates and the at-risk accounts', async () => {
    const view = metrics(FACTS);
    const r = await renderLoaded(view);
    expect(stat(r, 'Close → billing live (median)')).toBe('3 days');
    expect(stat(r, 'Won deals waiting for billing setup')).toBe(1);
    expect(stat(r, 'Won deals without a first invoice')).toBe(2);
    expect(stat(r, 'Created more than 48 h after their trigger')).toBe('1 of 2 (50%)');
    expect(stat(r, 'Corrected by hand after sending')).toBe('1 (50%)');
    expect(stat(r, 'Overdue')).toBe('66.7%');
    expect(stat(r, 'Outstanding')).toBe('$7,500.00');
    expect(stat(r, 'Acceptance rate')).toBe('50%');
    expect(stat(r, 'Accepted first time')).toBe('0%');
    expect(stat(r, 'SLA breaches')).toBe('1 (0 still open)');

    const chart = r.findByTestId(BarChart, 'readiness-chart');
    expect(chart.props.axes).toMatchObject({ x: { field: 'step' }, y: { field: 'days' } });
    expect(chart.props.data).toContainEqual({ step: 'Close → billing live', measure: 'Median', days: 3 });
    expect(r.findByTestId(BarChart, 'rejections-chart').props.data).toEqual([{ reason: 'po_missing', count: 1 }]);

    const rows = r.findByTestId(Tile, 'at-risk-USD').find(Table).findAll(TableRow);
    expect(textOf(rows[1])).toContain('Acme Widgets GmbH');
    expect(textOf(rows[1])).toContain('$5,000.00');
    expect(rows[1]?.find(StatusTag).props.variant).toBe('danger');
  });

  it('is registered as the index route of the app pages', async () => {
    const r = await renderLoaded(metrics(FACTS), 'pages', <HomePages />);
    expect(r.maybeFind(BarChart, { testId: 'readiness-chart' })).not.toBeNull();
  });

  it('with no facts yet shows an empty state', async () => {
    const r = await renderLoaded(metrics({}));
    expect(r.findByTestId(EmptyState, 'empty').props.title).toBe('No data yet');
    expect(r.maybeFind(BarChart)).toBeNull();
  });

  it('a failed load explains itself and Retry loads again', async () => {
    backend.answer('getMetrics', 'network-error', { once: true });
    backend.answer('getMetrics', { body: metrics(FACTS) });
    const r = createRenderer('pages');
    r.render(<Home />);
    await r.waitFor(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    expect(r.find(ErrorState).props.title).toBe('Metrics could not be loaded');
    fire(r.findByTestId(Button, 'retry'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(BarChart, { testId: 'readiness-chart' })).not.toBeNull());
    expect(backend.callsTo('getMetrics')).toHaveLength(2);
  });
});
