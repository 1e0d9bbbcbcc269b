import { describe, expect, it } from '@jest/globals';
import { BillingPlanSchema } from '../../src/billing/plan.js';
import { generateSchedule } from '../../src/billing/schedule.js';
import type { ScheduledInvoice } from '../../src/billing/schedule-model.js';
import { FinanceNotConnected } from '../../src/integrations/finance/factory.js';
import { FinanceError } from '../../src/integrations/finance/port.js';
import { customerDraftOf } from '../../src/jobs/billing-setup.js';
import { classifyFailure, SetupProblem } from '../../src/jobs/finance-jobs.js';
import { RateBudgetExhausted } from '../../src/jobs/rate-limit.js';
import { headlineCurrency, receivablesProperties } from '../../src/jobs/receivables.js';
import { invoiceDraftOf } from '../../src/jobs/scheduled-invoices.js';
import { bannerModel } from '../../src/receivables/risk.js';
import { ReconnectNeeded } from '../../src/store/tokens.js';
import { financeData, monthlyPlan } from '../support/finance-harness.js';

const plan = BillingPlanSchema.parse(monthlyPlan);

describe('customerDraftOf', () => {
  it('takes the legal name, AP contact, address, plan currency and terms, and our company reference', () => {
    expect(customerDraftOf(financeData('Acme') as Record<string, unknown>, plan, '901')).toEqual({
      legalName: 'Acme Ltd',
      email: 'ap@acme.example',
      apContactName: 'Accounts Payable',
      address: { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
      currency: 'USD',
      paymentTerms: 'net_30',
      externalRef: 'hs-company-901',
    });
  });

  it('leaves out an incomplete address and refuses a handoff without a legal name', () => {
    const draft = customerDraftOf({ billingEntityLegalName: 'Bare Co', billingAddress: { city: 'Oslo' } }, plan, '1');
    expect(draft).toEqual({
      legalName: 'Bare Co',
      currency: 'USD',
      paymentTerms: 'net_30',
      externalRef: 'hs-company-1',
    });
    expect(() => customerDraftOf({}, plan, '1')).toThrow(SetupProblem);
  });
});

describe('invoiceDraftOf', () => {
  const base = {
    customerId: '58',
    reference: 'setup-1:c0-p1',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    paymentTerms: 'net_30',
    status: 'issued' as const,
  };

  it('carries quantity × unit price where the schedule has them, and one unit of the amount where it does not', () => {
    const invoice = generateSchedule(monthlyPlan).invoices[0] as ScheduledInvoice;
    const prorated: ScheduledInvoice = {
      ...invoice,
      lines: [
        {
          componentIndex: 0,
          kind: 'recurring',
          description: 'Part month',
          amount: { amount: 51_613, currency: 'USD' },
        },
      ],
      total: { amount: 51_613, currency: 'USD' },
    };
    expect(invoiceDraftOf(invoice, { ...base, poNumber: 'PO-9' })).toMatchObject({
      poNumber: 'PO-9',
      lines: [
        { quantity: 1, unitAmount: { amount: 1_000_00 }, amount: { amount: 1_000_00 }, periodStart: '2026-03-01' },
      ],
    });
    expect(invoiceDraftOf(prorated, base).lines).toEqual([
      {
        description: 'Part month',
        quantity: 1,
        unitAmount: { amount: 51_613, currency: 'USD' },
        amount: { amount: 51_613, currency: 'USD' },
      },
    ]);
  });

  it('refuses a credit note, which no adapter creates', () => {
    const invoice = generateSchedule(monthlyPlan).invoices[0] as ScheduledInvoice;
    expect(() => invoiceDraftOf({ ...invoice, document: 'credit_note' }, base)).toThrow(/credit note/);
  });
});

describe('receivablesProperties', () => {
  const inv = (id: string, currency: string, amount: number, dueDate: string) => ({
    id,
    number: id,
    customerId: 'c',
    issueDate: '2026-01-01',
    dueDate,
    currency,
    total: { amount, currency },
    amountDue: { amount, currency },
    status: 'open' as const,
    source: 'xero' as const,
  });
  const link = {
    customerId: 'c',
    url: 'https://go.xero.com/c',
    billingStatus: 'live',
    asOf: new Date('2026-05-15T10:00:00Z'),
  };

  it('writes zeros and clears the dates when nothing is outstanding', () => {
    const model = bannerModel([], { today: '2026-05-15', context: 'company' });
    expect(receivablesProperties(model, link)).toEqual({
      rh_overdue_amount: '0',
      rh_receivables_currency: null,
      rh_days_past_due: 0,
      rh_oldest_due_date: null,
      rh_risk_level: 'none',
      rh_billing_status: 'live',
      rh_finance_customer_id: 'c',
      rh_finance_customer_url: 'https://go.xero.com/c',
      rh_payment_status_as_of: String(link.asOf.getTime()),
      rh_aging_current: '0',
      rh_aging_days_1_30: '0',
      rh_aging_days_31_60: '0',
      rh_aging_days_61_90: '0',
      rh_aging_days_over_90: '0',
    });
  });

  it('describes the currency with the oldest overdue invoice when there are several', () => {
    const model = bannerModel(
      [
        inv('a', 'EUR', 500_00, '2026-05-01'),
        inv('b', 'USD', 9_000_00, '2026-05-10'),
        inv('c', 'USD', 100_00, '2026-06-10'),
      ],
      { today: '2026-05-15', context: 'company' },
    );
    expect(headlineCurrency(model.aging.currencies)?.currency).toBe('EUR');
    expect(receivablesProperties(model, link)).toMatchObject({
      rh_receivables_currency: 'EUR',
      rh_overdue_amount: '500.00',
      rh_days_past_due: 14,
      rh_aging_days_1_30: '500.00',
      rh_risk_level: 'medium',
    });
  });
});

describe('classifyFailure', () => {
  it('makes a person act on auth, validation, conflict, not found, unknown answers, reconnects and our own problems', () => {
    for (const kind of ['auth', 'validation', 'conflict', 'not_found', 'unknown'] as const) {
      expect(classifyFailure(new FinanceError('xero', kind, 'nope')).final).toBe(true);
    }
    expect(classifyFailure(new SetupProblem('no company'))).toMatchObject({ final: true, message: 'no company' });
    expect(classifyFailure(new FinanceNotConnected(1, 'reconnect_needed', 'xero'))).toMatchObject({
      final: true,
      reconnect: true,
    });
    const refused = new FinanceError('xero', 'auth', 'token', {
      cause: new ReconnectNeeded({ table: 'finance_connections', portalId: 1, system: 'xero' }, 'invalid_grant'),
    });
    expect(classifyFailure(refused)).toMatchObject({ final: true, reconnect: true, kind: 'reconnect_needed' });
    expect(classifyFailure(refused).message).toMatch(/^Xero needs to be reconnected/);
  });

  it('leaves vendor outages, spent budgets and surprises to the queue', () => {
    expect(classifyFailure(new FinanceError('stripe', 'temporary', '502')).final).toBe(false);
    expect(classifyFailure(new FinanceError('stripe', 'rate_limited', '429')).final).toBe(false);
    expect(classifyFailure(new RateBudgetExhausted('xero:t', 1000)).final).toBe(false);
    expect(classifyFailure(new Error('connection reset')).final).toBe(false);
  });
});
