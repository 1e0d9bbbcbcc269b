import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { plusDays } from '../../src/core/dates.js';
import {
  alertVariant,
  assessRisk,
  BANNER_SEVERITIES,
  bannerModel,
  DEFAULT_BANNER_THRESHOLDS,
} from '../../src/receivables/index.js';
import { invoice, openDue, paid, thrown } from './fixtures.js';

const TODAY = '2026-03-01';
const ago = (days: number) => plusDays(TODAY, -days);
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('risk level and banner severity (default thresholds)', () => {
  it.each([
    [0, 'info', 'none'],
    [1, 'warning', 'medium'],
    [29, 'warning', 'medium'],
    [30, 'danger', 'high'],
    [120, 'danger', 'high'],
  ] as const)('an invoice %i day(s) past due is %s with %s risk', (days, severity, level) => {
    const risk = assessRisk([openDue(ago(days), 5_000)], { today: TODAY });
    expect([risk.severity, risk.level]).toEqual([severity, level]);
  });

  it('is success with no risk when nothing is outstanding', () => {
    const risk = assessRisk([paid('2026-01-01', '2026-01-31', '2026-01-20')], { today: TODAY });
    expect([risk.severity, risk.level]).toEqual(['success', 'none']);
  });

  it('is danger for a customer on credit hold even with nothing past due or nothing open', () => {
    expect(assessRisk([openDue(plusDays(TODAY, 5), 100)], { today: TODAY, creditHold: true }).severity).toBe('danger');
    expect(assessRisk([], { today: TODAY, creditHold: true })).toMatchObject({ severity: 'danger', level: 'high' });
  });

  it('uses the defaults the design asks for: warning from 1 day, danger from 30, no minimum amount', () => {
    expect(DEFAULT_BANNER_THRESHOLDS).toEqual({
      warningFromDaysPastDue: 1,
      dangerFromDaysPastDue: 30,
      minimumOverdue: [],
    });
  });
});

describe('custom thresholds', () => {
  const thresholds = { warningFromDaysPastDue: 7, dangerFromDaysPastDue: 60 };
  it.each([
    [6, 'info', 'low'],
    [7, 'warning', 'medium'],
    [59, 'warning', 'medium'],
    [60, 'danger', 'high'],
  ] as const)('with warning from 7 and danger from 60, %i day(s) past due is %s (%s risk)', (days, severity, level) => {
    const risk = assessRisk([openDue(ago(days), 5_000)], { today: TODAY, thresholds });
    expect([risk.severity, risk.level]).toEqual([severity, level]);
  });

  it('shows nothing overdue below the minimum amount of that currency, and counts it from the minimum on', () => {
    const thresholds = { minimumOverdue: [usd(10_000), { amount: 1, currency: 'EUR' }] };
    const below = bannerModel([openDue(ago(45), 9_999)], { today: TODAY, thresholds, context: 'company' });
    expect([below.severity, below.risk]).toEqual(['info', 'low']);
    expect(below.message).toBe('$99.99 outstanding on 1 open invoice.');
    const at = assessRisk([openDue(ago(45), 10_000)], { today: TODAY, thresholds });
    expect(at.severity).toBe('danger');
  });

  it('applies a minimum only to its own currency', () => {
    const thresholds = { minimumOverdue: [usd(1_000_000)] };
    const risk = assessRisk([openDue(ago(10), 500, 'EUR')], { today: TODAY, thresholds });
    expect(risk.severity).toBe('warning');
  });

  it('judges by the counted currencies only when one currency is below its minimum', () => {
    const thresholds = { minimumOverdue: [usd(10_000)] };
    const risk = assessRisk([openDue(ago(90), 500, 'USD'), openDue(ago(3), 800, 'EUR')], { today: TODAY, thresholds });
    expect(risk.severity).toBe('warning');
    expect(risk.countedDaysPastDue).toBe(3);
    expect(risk.countedOverdue).toEqual([{ amount: 800, currency: 'EUR' }]);
  });

  it('refuses danger below warning, and two minimums for one currency', () => {
    const order = thrown(() =>
      assessRisk([], { today: TODAY, thresholds: { warningFromDaysPastDue: 10, dangerFromDaysPastDue: 5 } }),
    );
    expect(order.path).toBe('thresholds.dangerFromDaysPastDue');
    expect(order.issues[0]?.message).toBe('must be at least warningFromDaysPastDue (10)');
    const twice = thrown(() => assessRisk([], { today: TODAY, thresholds: { minimumOverdue: [usd(1), usd(2)] } }));
    expect(twice.path).toBe('thresholds.minimumOverdue[1].currency');
    const frac = thrown(() => assessRisk([], { today: TODAY, thresholds: { warningFromDaysPastDue: 1.5 } }));
    expect(frac.path).toBe('thresholds.warningFromDaysPastDue');
    expect(frac.issues[0]?.message).toBe('must be a whole number of days from 1 to 3650');
  });
});

describe('banner wording', () => {
  const overdue = [openDue(ago(45), 1_240_000, 'USD', { dueDate: ago(45) })];

  it('warns against expanding on a deal record for an overdue customer', () => {
    const model = bannerModel(overdue, { today: TODAY, context: 'deal' });
    expect(model.severity).toBe('danger');
    expect(model.title).toBe('Overdue customer');
    expect(model.message).toBe('Customer is 45 days past due on $12,400.00 — resolve before expanding.');
  });

  it('states the facts on a company record', () => {
    const model = bannerModel(overdue, { today: TODAY, context: 'company' });
    expect(model.title).toBe('Seriously overdue');
    expect(model.message).toBe(
      'This customer is 45 days past due on $12,400.00 (1 overdue invoice, oldest due 2026-01-15).',
    );
  });

  it('says "1 day" and names each currency without adding them', () => {
    const model = bannerModel(
      [openDue(ago(1), 10_000, 'USD'), openDue(ago(1), 5_000, 'EUR'), openDue(ago(1), 2_000, 'USD')],
      { today: TODAY, context: 'company' },
    );
    expect(model.severity).toBe('warning');
    expect(model.title).toBe('Payment overdue');
    expect(model.message).toBe(
      'This customer is 1 day past due on €50.00 and $120.00 (3 overdue invoices, oldest due 2026-02-28).',
    );
  });

  it('puts credit hold first, on deals and companies', () => {
    const options = { today: TODAY, creditHold: true } as const;
    expect(bannerModel(overdue, { ...options, context: 'deal' }).message).toBe(
      'Customer is on credit hold and 45 days past due on $12,400.00 — resolve before expanding.',
    );
    expect(bannerModel([], { ...options, context: 'deal' })).toMatchObject({
      title: 'Customer on credit hold',
      message: 'Customer is on credit hold — resolve before expanding.',
    });
    expect(bannerModel([openDue(plusDays(TODAY, 3), 700)], { ...options, context: 'company' })).toMatchObject({
      title: 'On credit hold',
      message: 'This customer is on credit hold. $7.00 outstanding on 1 open invoice.',
    });
  });

  it('is informational, with the same wording on deals and companies, when nothing is past due', () => {
    const open = [openDue(plusDays(TODAY, 10), 30_000), openDue(TODAY, 20_000)];
    for (const context of ['company', 'deal'] as const) {
      expect(bannerModel(open, { today: TODAY, context })).toMatchObject({
        severity: 'info',
        title: 'Open invoices',
        message: '$500.00 outstanding on 2 open invoices, none past due.',
      });
    }
  });

  it('mentions a past-due part below the warning threshold without escalating', () => {
    const model = bannerModel([openDue(ago(3), 2_000), openDue(plusDays(TODAY, 9), 8_000)], {
      today: TODAY,
      context: 'deal',
      thresholds: { warningFromDaysPastDue: 7 },
    });
    expect(model.severity).toBe('info');
    expect(model.message).toBe('$100.00 outstanding on 2 open invoices; $20.00 of it is past due (oldest 3 days).');
  });

  it('is success when everything is paid', () => {
    expect(bannerModel([], { today: TODAY, context: 'deal' })).toMatchObject({
      severity: 'success',
      risk: 'none',
      title: 'Paid up',
      message: 'No open invoices.',
    });
  });
});

describe('banner model fields', () => {
  it('carries overdue and outstanding per currency, counts, oldest due date, aging and the last payment', () => {
    const invoices = [
      openDue(ago(40), 3_000, 'USD'),
      openDue(plusDays(TODAY, 5), 1_000, 'USD', {
        payments: [{ on: '2026-02-20', amount: usd(500) }],
        total: usd(1_500),
      }),
      openDue(ago(2), 900, 'EUR'),
      paid('2026-01-01', '2026-01-31', '2026-02-25', { number: 'INV-LAST', id: 'inv_last' }),
      paid('2026-01-01', '2026-01-31', '2026-03-02'), // recorded for tomorrow: not a payment yet
    ];
    const model = bannerModel(invoices, { today: TODAY, context: 'company' });
    expect(model.overdue).toEqual([
      { amount: 900, currency: 'EUR' },
      { amount: 3_000, currency: 'USD' },
    ]);
    expect(model.outstanding).toEqual([
      { amount: 900, currency: 'EUR' },
      { amount: 4_000, currency: 'USD' },
    ]);
    expect(model.daysPastDue).toBe(40);
    expect(model.openInvoiceCount).toBe(3);
    expect(model.oldestDueDate).toBe(ago(40));
    expect(model.aging.currencies.map((c) => c.buckets.days_31_60.amount)).toEqual([0, 3_000]);
    expect(model.lastPayment).toEqual({
      on: '2026-02-25',
      amount: usd(10_000),
      invoiceId: 'inv_last',
      invoiceNumber: 'INV-LAST',
    });
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('leaves lastPayment out when there has been no payment', () => {
    expect('lastPayment' in bannerModel([openDue(TODAY, 1)], { today: TODAY, context: 'company' })).toBe(false);
  });

  it('refuses an unknown context and names the field', () => {
    const e = thrown(() => bannerModel([], { today: TODAY, context: 'contact' as never }));
    expect(e.path).toBe('context');
    expect(e.issues[0]?.message).toBe('must be company or deal');
  });

  it('names the bad invoice in the banner input, e.g. invoices[1].dueDate', () => {
    const e = thrown(() =>
      bannerModel([invoice(), invoice({ dueDate: '2026-13-01' })], { today: TODAY, context: 'company' }),
    );
    expect(e.path).toBe('invoices[1].dueDate');
  });
});

describe('HubSpot Alert variants', () => {
  it('uses only variant strings that @hubspot/ui-extensions declares for Alert', () => {
    const dts = readFileSync(
      join(process.cwd(), 'node_modules/@hubspot/ui-extensions/dist/shared.synced/types/components/alert.synced.d.ts'),
      'utf8',
    );
    const union = /variant\?:\s*([^;]+);/.exec(dts)?.[1] ?? '';
    const supported = [...union.matchAll(/'([a-z]+)'/g)].map((m) => m[1]);
    expect(supported.length).toBeGreaterThan(0);
    for (const severity of BANNER_SEVERITIES) {
      expect(supported).toContain(severity);
      expect(supported).toContain(alertVariant(severity));
    }
  });

  it('maps each severity to the Alert variant of the same name', () => {
    expect(BANNER_SEVERITIES.map(alertVariant)).toEqual(['success', 'info', 'warning', 'danger']);
    expect(thrown(() => alertVariant('error' as never)).path).toBe('severity');
  });
});
