import { describe, expect, it } from '@jest/globals';
import { dueDate, PAYMENT_TERMS_CATALOG } from '../../../../src/billing/payment-terms.js';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import { DATE_DRIVEN_TERM, DEFAULT_TERMS } from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import { paymentTermsToQuickBooks } from '../../../../src/integrations/finance/quickbooks/payment-terms-to-quickbooks.js';
import { quickbooksTermToPaymentTerms } from '../../../../src/integrations/finance/quickbooks/quickbooks-term-to-payment-terms.js';
import { QBO_STRICT } from '../../../../src/integrations/finance/quickbooks/schemas.js';
import type { QboTerm, QboTermCreate } from '../../../../src/integrations/finance/quickbooks/types.js';

function asTerm(body: QboTermCreate): QboTerm {
  const base = { Id: '9', SyncToken: '0', Active: true, MetaData: { CreateTime: 'x', LastUpdatedTime: 'x' } };
  return 'DueDays' in body ? { ...base, ...body, Type: 'STANDARD' } : { ...base, ...body, Type: 'DATE_DRIVEN' };
}

/** How QuickBooks computes a date-driven due date: roll to next month when issued within DueNextMonthDays of the day. */
function qboDateDrivenDue(issue: string, term: QboTerm): string {
  const [y, m, d] = issue.split('-').map(Number) as [number, number, number];
  const day = term.DayOfMonthDue as number;
  const clamp = (year: number, month: number) => Math.min(day, new Date(Date.UTC(year, month, 0)).getUTCDate());
  let year = y;
  let month = m;
  if (d > clamp(year, month) || clamp(year, month) - d <= (term.DueNextMonthDays ?? 0)) {
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(clamp(year, month)).padStart(2, '0')}`;
}

describe('paymentTermsToQuickBooks', () => {
  it('maps net_N to a STANDARD term with DueDays N and due_on_receipt to DueDays 0', () => {
    expect(paymentTermsToQuickBooks('net_30')).toEqual({ Name: 'Net 30', DueDays: 30 });
    expect(paymentTermsToQuickBooks('net_7')).toEqual({ Name: 'Net 7', DueDays: 7 });
    expect(paymentTermsToQuickBooks('due_on_receipt')).toEqual({ Name: 'Due on receipt', DueDays: 0 });
  });

  it('maps eofm_D to a date-driven term due on day D that always rolls to the following month', () => {
    expect(paymentTermsToQuickBooks('eofm_20')).toEqual({
      Name: '20th of the following month',
      DayOfMonthDue: 20,
      DueNextMonthDays: 19,
      DiscountDayOfMonth: 0,
    });
    // Under QuickBooks' rule the term gives the same due date as our core, for every day of a year.
    for (const code of ['eofm_1', 'eofm_20', 'eofm_31']) {
      const term = asTerm(paymentTermsToQuickBooks(code));
      for (let day = 0; day < 366; day++) {
        const issue = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
        expect([code, issue, qboDateDrivenDue(issue, term)]).toEqual([code, issue, dueDate(issue, code)]);
      }
    }
  });

  it('produces bodies QuickBooks accepts (strict schema) for the whole catalog', () => {
    for (const { code } of PAYMENT_TERMS_CATALOG) {
      expect(QBO_STRICT.TermCreate.safeParse(paymentTermsToQuickBooks(code)).success).toBe(true);
    }
  });

  it('refuses an unknown code as a validation error', () => {
    expect(() => paymentTermsToQuickBooks('net_thirty')).toThrow(FinanceError);
    const error = (() => {
      try {
        paymentTermsToQuickBooks('eofm_40');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ kind: 'validation', system: 'quickbooks' });
  });
});

describe('quickbooksTermToPaymentTerms', () => {
  it("reads QuickBooks' default terms", () => {
    expect(DEFAULT_TERMS.map(quickbooksTermToPaymentTerms)).toEqual(['due_on_receipt', 'net_15', 'net_30', 'net_60']);
  });

  it('reads a date-driven term as day D of the following month', () => {
    expect(quickbooksTermToPaymentTerms(DATE_DRIVEN_TERM)).toBe('eofm_20');
  });

  it('round-trips every catalog code and custom net codes', () => {
    for (const code of [...PAYMENT_TERMS_CATALOG.map((c) => c.code), 'net_90', 'net_365', 'eofm_1', 'eofm_31']) {
      expect(quickbooksTermToPaymentTerms(asTerm(paymentTermsToQuickBooks(code)))).toBe(code);
    }
  });

  it('gives undefined for terms our codes cannot express', () => {
    expect(quickbooksTermToPaymentTerms({ ...DATE_DRIVEN_TERM, DueNextMonthDays: 5 })).toBeUndefined();
    expect(quickbooksTermToPaymentTerms({ ...(DEFAULT_TERMS[2] as QboTerm), DueDays: 400 })).toBeUndefined();
    expect(quickbooksTermToPaymentTerms({ ...DATE_DRIVEN_TERM, DayOfMonthDue: undefined })).toBeUndefined();
  });
});
