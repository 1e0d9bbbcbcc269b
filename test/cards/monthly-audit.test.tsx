import {
  BarChart,
  Button,
  LineChart,
  LoadingSpinner,
  Select,
  StatisticsItem,
  Table,
  TableRow,
  Tile,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { Home } from '../../cards/home/Home.js';
import { MonthlyAudit, recentMonths } from '../../cards/home/MonthlyAudit.js';
import { type MonthlyAuditView, MonthlyAuditViewSchema } from '../../src/api/contracts.js';
import { type AuditFactsInput, monthlyAudit } from '../../src/metrics/audit.js';
import { revenueReadiness } from '../../src/metrics/revenue-readiness.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { fire, textOf } from './render-helpers.js';

const NOW = new Date('2026-04-10T12:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });

const FACTS: AuditFactsInput = {
  handoffEvents: [
    { handoffId: 'h1', kind: 'submitted', at: '2026-03-02T09:00:00Z', slaDueAt: '2026-03-03T09:00:00Z' },
    { handoffId: 'h1', kind: 'rejected', at: '2026-03-04T09:00:00Z', reason: 'missing_po' },
    { handoffId: 'h2', kind: 'submitted', at: '2026-03-05T09:00:00Z', slaDueAt: '2026-03-06T09:00:00Z' },
    { handoffId: 'h2', kind: 'accepted', at: '2026-03-05T10:00:00Z' },
  ],
  invoiceTimings: [{ invoiceId: 'i1', triggerAt: '2026-03-01T00:00:00Z', createdAt: '2026-03-04T00:00:00Z' }],
  manualCorrections: [
    { system: 'xero', field: 'paymentTerms', at: '2026-03-03T10:00:00Z' },
    { system: 'xero', field: 'billingEmail', at: '2026-03-04T10:00:00Z' },
  ],
  postMortems: [{ invoiceId: 'xero:9', trigger: 'written_off', at: '2026-03-12T00:00:00Z' }],
  invoices: [
    {
      id: 'A',
      number: 'INV-A',
      customerId: 'c1',
      issueDate: '2026-02-01',
      dueDate: '2026-02-15',
      currency: 'USD',
      total: usd(100_000),
      amountDue: usd(100_000),
      status: 'open',
      source: 'xero',
    },
  ],
};

/** The audit exactly as the core computes it, through JSON as the backend sends it, parsed by the contract. */
function view(month = '2026-03'): MonthlyAuditView {
  const audit = monthlyAudit(FACTS, { month, now: NOW, timeZone: 'UTC', trendMonths: 3, dsoPeriodDays: 30 });
  return MonthlyAuditViewSchema.parse(JSON.parse(JSON.stringify(audit)));
}

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const stat = (r: ReturnType<typeof createRenderer>, label: string) => r.find(StatisticsItem, { label }).props.number;

describe('MonthlyAudit on the app home page', () => {
  it('offers the last twelve months, newest first', () => {
    const months = recentMonths(NOW);
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ label: 'April 2026', value: '2026-04' });
    expect(months[11]?.value).toBe('2025-05');
  });

  it('shows the month: handoffs, late invoices, corrections, post-mortems, charts and the trend; another month loads on choice', async () => {
    backend.answer('getMonthlyAudit', { body: view() });
    const r = createRenderer('pages');
    r.render(<MonthlyAudit />);
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(backend.callsTo('getMonthlyAudit')).toHaveLength(1);
    expect(backend.calls[0]?.body.month).toMatch(/^\d{4}-\d{2}$/);

    expect(stat(r, 'Submitted')).toBe(2);
    expect(stat(r, 'Accepted')).toBe(1);
    expect(stat(r, 'Rejected')).toBe(1);
    expect(stat(r, 'SLA breaches')).toBe(1);
    expect(stat(r, 'Created more than 48 h after their trigger')).toBe('1 of 1');
    expect(stat(r, 'Corrections')).toBe(2);
    expect(stat(r, 'Written off')).toBe(1);
    expect(r.findByTestId(BarChart, 'audit-rejections-chart').props.data).toEqual([{ reason: 'missing_po', count: 1 }]);
    expect(r.findByTestId(BarChart, 'audit-corrections-by-system').props.data).toEqual([{ system: 'Xero', count: 2 }]);
    expect(r.findByTestId(BarChart, 'audit-corrections-by-field').props.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'Payment terms' })]),
    );
    // February's end: the $1,000 invoice is overdue, 100%; March's end likewise; January: not issued yet.
    expect(r.findByTestId(LineChart, 'audit-overdue-trend').props.data).toEqual([
      { month: '2026-02', currency: 'USD', overdue: 100, dso: 30 },
      { month: '2026-03', currency: 'USD', overdue: 100, dso: 0 },
    ]);
    const rows = r.findByTestId(Table, 'audit-trend-table').findAll(TableRow);
    expect(textOf(rows[1])).toContain('100%');

    backend.answer('getMonthlyAudit', { body: view('2026-02') });
    fire(r.findByTestId(Select, 'audit-month'), 'onChange', '2026-02');
    await r.waitFor(() => expect(backend.callsTo('getMonthlyAudit')).toHaveLength(2));
    expect(backend.calls[1]?.body).toEqual({ month: '2026-02' });
  });

  it('sits on the home page closed, so the home page still loads with one call, and opens on request', async () => {
    backend.answer('getMetrics', {
      body: JSON.parse(
        JSON.stringify(
          revenueReadiness(
            { handoffEvents: [{ handoffId: 'h1', kind: 'submitted', at: '2026-04-01T09:00:00Z' }] },
            { now: NOW, timeZone: 'UTC' },
          ),
        ),
      ),
    });
    backend.answer('getMonthlyAudit', { body: view() });
    const r = createRenderer('pages');
    r.render(<Home />);
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(backend.calls.map((c) => c.name)).toEqual(['getMetrics']);
    expect(r.maybeFind(Tile, { testId: 'monthly-audit' })).not.toBeNull();
    fire(r.findByTestId(Button, 'open-audit'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(BarChart, { testId: 'audit-rejections-chart' })).not.toBeNull());
    expect(backend.callsTo('getMonthlyAudit')).toHaveLength(1);
  });
});
