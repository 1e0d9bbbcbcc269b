import { describe, expect, it } from '@jest/globals';
import { xeroInvoiceToSnapshot } from '../../../../src/integrations/finance/xero/xero-invoice-to-snapshot.js';
import { isXeroWriteOff, xeroBadDebtAccountCodes } from '../../../../src/integrations/finance/xero/xero-write-offs.js';

describe('Xero bad-debt write-offs', () => {
  it('finds the chart’s bad-debt accounts by name, archived ones too', () => {
    const codes = xeroBadDebtAccountCodes([
      { Code: '200', Name: 'Sales', Type: 'REVENUE' },
      { Code: '480', Name: 'Bad Debts', Type: 'EXPENSE' },
      { Code: '481', Name: 'Bad-debt expense', Type: 'EXPENSE' },
      { Code: '482', Name: 'Old bad debts', Type: 'EXPENSE', Status: 'ARCHIVED' },
    ]);
    expect([...codes].sort()).toEqual(['480', '481', '482']);
  });

  it('counts a credit note as a write-off when a line posts to a bad-debt account', () => {
    const codes = new Set(['480']);
    const note = (...lines: Array<[string, number]>) => ({
      LineItems: lines.map(([AccountCode, LineAmount]) => ({ AccountCode, LineAmount })),
    });
    expect(isXeroWriteOff(note(['480', 500]), codes)).toBe(true);
    expect(isXeroWriteOff(note(['200', 500]), codes)).toBe(false);
    // Part written off, part a price correction, in one note: a write-off.
    expect(isXeroWriteOff(note(['480', 500], ['200', 100]), codes)).toBe(true);
    // A zero line on the bad-debt account does not make a price correction a write-off.
    expect(isXeroWriteOff(note(['480', 0], ['200', 100]), codes)).toBe(false);
    expect(isXeroWriteOff(note(), codes)).toBe(false);
  });

  it('maps an invoice settled by a write-off to written_off, without a paid date', () => {
    const invoice = {
      InvoiceID: 'inv-1',
      InvoiceNumber: 'INV-1',
      Contact: { ContactID: 'c-1' },
      CurrencyCode: 'USD' as const,
      Date: '/Date(1772323200000+0000)/',
      DueDate: '/Date(1774915200000+0000)/',
      Status: 'PAID' as const,
      Total: 500,
      AmountDue: 0,
      AmountCredited: 500,
      FullyPaidOnDate: '/Date(1777507200000+0000)/',
      CreditNotes: [{ CreditNoteID: 'cn-1', AppliedAmount: 500 }],
    };
    expect(xeroInvoiceToSnapshot(invoice, { writeOffs: new Set(['cn-1']) })).toMatchObject({
      status: 'written_off',
      amountDue: { amount: 0, currency: 'USD' },
    });
    expect(xeroInvoiceToSnapshot(invoice, { writeOffs: new Set(['cn-1']) }).paidOn).toBeUndefined();
    expect(xeroInvoiceToSnapshot(invoice, { writeOffs: new Set() }).status).toBe('paid');
    // Part written off on 1 May, the rest paid on 20 May: the customer paid.
    const paidLast = {
      ...invoice,
      AmountCredited: 200,
      AmountPaid: 300,
      CreditNotes: [{ CreditNoteID: 'cn-1', AppliedAmount: 200, Date: '/Date(1777593600000+0000)/' }],
      Payments: [{ Date: '/Date(1779235200000+0000)/', Amount: 300 }],
    };
    expect(xeroInvoiceToSnapshot(paidLast, { writeOffs: new Set(['cn-1']) }).status).toBe('paid');
  });
});
