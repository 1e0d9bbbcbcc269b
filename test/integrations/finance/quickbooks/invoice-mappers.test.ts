import { describe, expect, it } from '@jest/globals';
import { money } from '../../../../src/core/money.js';
import { FinanceError, type InvoiceDraft } from '../../../../src/integrations/finance/port.js';
import { moneyToQbo, qboToMoney } from '../../../../src/integrations/finance/quickbooks/amounts.js';
import {
  BAD_DEBT_CREDIT_MEMO,
  HAND_MADE_INVOICE,
  OPEN_INVOICE,
  PAID_INVOICE,
  PARTLY_PAID_INVOICE,
  PAYMENT,
  SECOND_PAYMENT,
  UK_TAX_CODES,
  UK_TAX_RATES,
  US_TAX_CODES,
  VOIDED_INVOICE,
  WRITE_OFF_PAYMENT,
  WRITTEN_OFF_INVOICE,
} from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import {
  invoiceDraftToQuickBooks,
  NO_DRAFTS_MESSAGE,
} from '../../../../src/integrations/finance/quickbooks/invoice-draft-to-quickbooks.js';
import { invoiceRefFromNote } from '../../../../src/integrations/finance/quickbooks/notes-markers.js';
import {
  isBadDebtAccount,
  isBadDebtCreditMemo,
  isVoidedQuickBooksInvoice,
  itemsToCheck,
  quickbooksInvoiceToCreated,
  quickbooksInvoiceToSnapshot,
} from '../../../../src/integrations/finance/quickbooks/quickbooks-invoice-to-snapshot.js';
import { quickbooksTaxToTaxSetup } from '../../../../src/integrations/finance/quickbooks/quickbooks-tax-to-tax-setup.js';
import { QBO_STRICT } from '../../../../src/integrations/finance/quickbooks/schemas.js';
import { InvoiceSnapshotSchema } from '../../../../src/receivables/invoice.js';

const ITEM = { value: '1', name: 'Services' };
const APP = 'https://app.qbo.intuit.com';

const draft: InvoiceDraft = {
  customerId: '58',
  reference: 'setup-81:2026-03',
  issueDate: '2026-03-01',
  dueDate: '2026-03-31',
  currency: 'USD',
  paymentTerms: 'net_30',
  poNumber: 'PO-4500012345',
  status: 'issued',
  memo: 'Thank you for your business',
  lines: [
    {
      description: 'Retainer',
      quantity: 1,
      unitAmount: money(100000, 'USD'),
      amount: money(100000, 'USD'),
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    },
    { description: 'Implementation hours', quantity: 3, unitAmount: money(8350, 'USD'), amount: money(25050, 'USD') },
  ],
};

describe('invoiceDraftToQuickBooks', () => {
  it('refuses a draft, explaining that QuickBooks has no drafts and the engine holds scheduled invoices', () => {
    const attempt = () => invoiceDraftToQuickBooks({ ...draft, status: 'draft' }, { itemRef: ITEM });
    expect(attempt).toThrow(FinanceError);
    expect(attempt).toThrow(NO_DRAFTS_MESSAGE);
    expect(NO_DRAFTS_MESSAGE).toMatch(/no draft invoices/);
    expect(NO_DRAFTS_MESSAGE).toMatch(/scheduled/);
  });

  it('maps lines with exact decimals, the reference into PrivateNote, the PO into the custom field, memo into CustomerMemo', () => {
    const body = invoiceDraftToQuickBooks(draft, {
      itemRef: ITEM,
      salesTermRef: { value: '3', name: 'Net 30' },
      poCustomField: { definitionId: '1', name: 'P.O. Number' },
    });
    expect(body).toEqual({
      CustomerRef: { value: '58' },
      TxnDate: '2026-03-01',
      DueDate: '2026-03-31',
      SalesTermRef: { value: '3', name: 'Net 30' },
      Line: [
        {
          Amount: 1000,
          DetailType: 'SalesItemLineDetail',
          Description: 'Retainer (2026-03-01 to 2026-03-31)',
          SalesItemLineDetail: { ItemRef: ITEM, Qty: 1, UnitPrice: 1000, ServiceDate: '2026-03-01' },
        },
        {
          Amount: 250.5,
          DetailType: 'SalesItemLineDetail',
          Description: 'Implementation hours',
          SalesItemLineDetail: { ItemRef: ITEM, Qty: 3, UnitPrice: 83.5 },
        },
      ],
      CurrencyRef: { value: 'USD' },
      PrivateNote: 'Revenue Handoff invoice ref: setup-81:2026-03',
      CustomerMemo: { value: 'Thank you for your business' },
      CustomField: [{ DefinitionId: '1', Name: 'P.O. Number', Type: 'StringType', StringValue: 'PO-4500012345' }],
    });
    expect(QBO_STRICT.InvoiceCreate.safeParse(body).success).toBe(true);
    // A description that already names its period (as the schedule writes it) does not get it twice.
    const named = invoiceDraftToQuickBooks(
      {
        ...draft,
        lines: [
          {
            ...(draft.lines[0] as InvoiceDraft['lines'][number]),
            description: 'Retainer, 2026-03-01 to 2026-03-31',
          },
        ],
      },
      { itemRef: ITEM },
    );
    expect(named.Line[0]?.Description).toBe('Retainer, 2026-03-01 to 2026-03-31');
    expect(invoiceRefFromNote(body.PrivateNote)).toBe('setup-81:2026-03');
  });

  it('puts the PO into the customer-visible memo when no custom field is configured', () => {
    const body = invoiceDraftToQuickBooks(draft, { itemRef: ITEM });
    expect(body.CustomField).toBeUndefined();
    expect(body.CustomerMemo).toEqual({ value: 'PO: PO-4500012345\nThank you for your business' });
  });

  it('puts each line’s own tax code on it, by id or by the name the company gives it (non-US companies)', () => {
    const uk = quickbooksTaxToTaxSetup({ Country: 'GB' }, undefined, UK_TAX_CODES, UK_TAX_RATES);
    const vat = { code: '20.0% S', ratePercent: 20, inclusive: false };
    const reduced = { code: '4', ratePercent: 5, inclusive: false };
    const gbpDraft: InvoiceDraft = {
      ...draft,
      currency: 'GBP',
      lines: [
        {
          description: 'Platform',
          quantity: 1,
          unitAmount: money(1000_00, 'GBP'),
          amount: money(1000_00, 'GBP'),
          tax: vat,
        },
        {
          description: 'Books',
          quantity: 2,
          unitAmount: money(25_00, 'GBP'),
          amount: money(50_00, 'GBP'),
          tax: reduced,
        },
      ],
    };
    const body = invoiceDraftToQuickBooks(gbpDraft, { itemRef: ITEM, tax: uk });
    expect(body.Line.map((l) => l.SalesItemLineDetail.TaxCodeRef)).toEqual([
      { value: '2', name: '20.0% S' },
      { value: '4', name: '5.0% R' },
    ]);
    expect(body.GlobalTaxCalculation).toBe('TaxExcluded');
    expect(QBO_STRICT.InvoiceCreate.safeParse(body).success).toBe(true);
  });

  it('refuses a tax code the company does not have, naming the line, the code and the nearest valid codes', () => {
    const uk = quickbooksTaxToTaxSetup({ Country: 'GB' }, undefined, UK_TAX_CODES, UK_TAX_RATES);
    const bad: InvoiceDraft = {
      ...draft,
      currency: 'GBP',
      lines: [
        {
          description: 'Platform',
          quantity: 1,
          unitAmount: money(100, 'GBP'),
          amount: money(100, 'GBP'),
          tax: { code: 'VAT20', ratePercent: 20, inclusive: false },
        },
      ],
    };
    const e = (() => {
      try {
        invoiceDraftToQuickBooks(bad, { itemRef: ITEM, tax: uk });
      } catch (x) {
        return x as FinanceError;
      }
      throw new Error('expected a refusal');
    })();
    expect(e.kind).toBe('validation');
    expect(e.vendorMessage).toMatch(/line 1 tax code "VAT20" does not exist.*2 \(20\.0% S, 20%\)/);
    const untaxed = { ...bad, lines: bad.lines.map(({ tax: _t, ...l }) => l) };
    expect(() => invoiceDraftToQuickBooks(untaxed, { itemRef: ITEM, tax: uk })).toThrow(/needs one on every line/);
  });

  it('sends TAX / NON and no GlobalTaxCalculation for a US company', () => {
    const us = quickbooksTaxToTaxSetup({ Country: 'US' }, undefined, US_TAX_CODES, []);
    expect(us.mode).toBe('us_automated');
    const body = invoiceDraftToQuickBooks(
      {
        ...draft,
        lines: draft.lines.map((l) => ({ ...l, tax: { code: 'TAX', ratePercent: 8.875, inclusive: false } })),
      },
      { itemRef: ITEM, tax: us },
    );
    expect(body.Line.every((l) => l.SalesItemLineDetail.TaxCodeRef?.value === 'TAX')).toBe(true);
    expect(body.GlobalTaxCalculation).toBeUndefined();
  });

  it('bills one unit of the exact amount when quantity × unit price is not a whole number of cents', () => {
    const body = invoiceDraftToQuickBooks(
      {
        ...draft,
        lines: [{ description: 'Hours', quantity: 1.5, unitAmount: money(3333, 'USD'), amount: money(5000, 'USD') }],
      },
      { itemRef: ITEM },
    );
    expect(body.Line[0]).toMatchObject({ Amount: 50, SalesItemLineDetail: { Qty: 1, UnitPrice: 50 } });
    expect(body.Line[0]?.Description).toContain('1.5 × $33.33');
  });

  it('keeps fractional quantities whose product is exact', () => {
    const body = invoiceDraftToQuickBooks(
      {
        ...draft,
        lines: [{ description: 'Hours', quantity: 1.5, unitAmount: money(10000, 'USD'), amount: money(15000, 'USD') }],
      },
      { itemRef: ITEM },
    );
    expect(body.Line[0]?.SalesItemLineDetail).toMatchObject({ Qty: 1.5, UnitPrice: 100 });
  });

  it('carries zero- and three-decimal currencies exactly', () => {
    const jpy = invoiceDraftToQuickBooks(
      {
        ...draft,
        currency: 'JPY',
        lines: [{ description: 'x', quantity: 2, unitAmount: money(1500, 'JPY'), amount: money(3000, 'JPY') }],
      },
      { itemRef: ITEM },
    );
    expect(jpy.Line[0]).toMatchObject({ Amount: 3000, SalesItemLineDetail: { UnitPrice: 1500 } });
    const kwd = invoiceDraftToQuickBooks(
      {
        ...draft,
        currency: 'KWD',
        lines: [{ description: 'x', quantity: 1, unitAmount: money(1250, 'KWD'), amount: money(1250, 'KWD') }],
      },
      { itemRef: ITEM },
    );
    expect(kwd.Line[0]?.Amount).toBe(1.25);
  });

  it('refuses mixed currencies, a negative total, a long PO, no lines and a due date before the issue date', () => {
    const opts = { itemRef: ITEM, poCustomField: { definitionId: '1' } };
    expect(() =>
      invoiceDraftToQuickBooks(
        { ...draft, lines: [{ ...(draft.lines[0] as InvoiceDraft['lines'][0]), amount: money(1, 'EUR') }] },
        opts,
      ),
    ).toThrow(/in EUR, the invoice in USD/);
    expect(() =>
      invoiceDraftToQuickBooks(
        {
          ...draft,
          lines: [{ description: 'credit', quantity: 1, unitAmount: money(-100, 'USD'), amount: money(-100, 'USD') }],
        },
        opts,
      ),
    ).toThrow(/negative/);
    expect(() => invoiceDraftToQuickBooks({ ...draft, poNumber: 'P'.repeat(32) }, opts)).toThrow(/31/);
    expect(() => invoiceDraftToQuickBooks({ ...draft, lines: [] }, opts)).toThrow(/at least one line/);
    expect(() => invoiceDraftToQuickBooks({ ...draft, dueDate: '2026-02-28' }, opts)).toThrow(/before the issue date/);
  });

  it('allows a discount line as long as the total stays positive', () => {
    const body = invoiceDraftToQuickBooks(
      {
        ...draft,
        lines: [
          ...draft.lines,
          { description: 'Discount', quantity: 1, unitAmount: money(-5050, 'USD'), amount: money(-5050, 'USD') },
        ],
      },
      { itemRef: ITEM },
    );
    expect(body.Line[2]).toMatchObject({ Amount: -50.5, SalesItemLineDetail: { Qty: 1, UnitPrice: -50.5 } });
  });
});

describe('quickbooksInvoiceToSnapshot', () => {
  const ctx = { homeCurrency: 'USD', appUrl: APP };

  it('reads an open invoice: amount due is the balance', () => {
    const snap = quickbooksInvoiceToSnapshot(OPEN_INVOICE, ctx);
    expect(snap).toEqual({
      id: '130',
      number: '1037',
      customerId: '58',
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      currency: 'USD',
      total: { amount: 125050, currency: 'USD' },
      amountDue: { amount: 125050, currency: 'USD' },
      status: 'open',
      url: 'https://app.qbo.intuit.com/app/invoice?txnId=130',
      // No PO custom field configured: the PO would be the memo's `PO: …` line, and this invoice has no memo.
      poNumber: null,
      // The sales lines in order; QuickBooks' subtotal line is not one of them.
      lines: [
        {
          description: 'Retainer (2026-03-01 to 2026-03-31)',
          quantity: 1,
          unitAmount: { amount: 100000, currency: 'USD' },
          amount: { amount: 100000, currency: 'USD' },
        },
        {
          description: 'Implementation hours',
          quantity: 3,
          unitAmount: { amount: 8350, currency: 'USD' },
          amount: { amount: 25050, currency: 'USD' },
        },
      ],
      source: 'quickbooks',
    });
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads the PO number where we write it: the configured custom field, else the memo line "PO: …"', () => {
    const withField = { ...ctx, poCustomField: { definitionId: '1', name: 'P.O. Number' } };
    expect(quickbooksInvoiceToSnapshot(OPEN_INVOICE, withField).poNumber).toBe('PO-4500012345');
    expect(
      quickbooksInvoiceToSnapshot(
        { ...OPEN_INVOICE, CustomField: [{ DefinitionId: '1', Type: 'StringType' }] },
        withField,
      ).poNumber,
    ).toBeNull();
    const memo = { ...OPEN_INVOICE, CustomerMemo: { value: 'PO: 4500012399\nThank you for your business' } };
    expect(quickbooksInvoiceToSnapshot(memo, ctx).poNumber).toBe('4500012399');
  });

  it('reads a line tax code and a unit price finer than cents (rounded to cents; the line amount stays exact)', () => {
    const [first, second] = OPEN_INVOICE.Line;
    const fine = {
      ...OPEN_INVOICE,
      Line: [
        {
          ...(first as object),
          Amount: 33.34,
          SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 33.335, TaxCodeRef: { value: 'TAX' } },
        },
        second,
      ],
    } as typeof OPEN_INVOICE;
    expect(quickbooksInvoiceToSnapshot(fine, ctx).lines?.[0]).toEqual({
      description: 'Retainer (2026-03-01 to 2026-03-31)',
      quantity: 1,
      unitAmount: { amount: 3334, currency: 'USD' },
      amount: { amount: 3334, currency: 'USD' },
      taxCode: 'TAX',
    });
  });

  it('reads Balance < TotalAmt as open with the remaining amount due, listing payments when complete', () => {
    const snap = quickbooksInvoiceToSnapshot(PARTLY_PAID_INVOICE, {
      ...ctx,
      payments: [PAYMENT],
      paymentsComplete: true,
    });
    expect(snap.status).toBe('open');
    expect(snap.amountDue).toEqual({ amount: 25050, currency: 'USD' });
    expect(snap.payments).toEqual([{ on: '2026-03-20', amount: { amount: 100000, currency: 'USD' } }]);
    expect(snap.paidOn).toBeUndefined();
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads Balance 0 as paid, paid on the last linked payment', () => {
    const snap = quickbooksInvoiceToSnapshot(PAID_INVOICE, { ...ctx, payments: [SECOND_PAYMENT, PAYMENT] });
    expect(snap.status).toBe('paid');
    expect(snap.amountDue.amount).toBe(0);
    expect(snap.paidOn).toBe('2026-03-28');
    expect(snap.payments).toBeUndefined(); // not known to be complete
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads a voided invoice (amounts zeroed, "Voided" note) as void, not paid', () => {
    expect(isVoidedQuickBooksInvoice(VOIDED_INVOICE)).toBe(true);
    const snap = quickbooksInvoiceToSnapshot(VOIDED_INVOICE, ctx);
    expect(snap.status).toBe('void');
    expect(snap.amountDue.amount).toBe(0);
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('uses the home currency, the invoice date as due date and the id as number when QuickBooks leaves them out', () => {
    const snap = quickbooksInvoiceToSnapshot(HAND_MADE_INVOICE, { homeCurrency: 'GBP', appUrl: APP });
    expect(snap).toMatchObject({
      number: '77',
      currency: 'GBP',
      dueDate: '2026-02-10',
      total: { amount: 45000, currency: 'GBP' },
    });
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads a due date typed before the invoice date as due on the invoice date', () => {
    const snap = quickbooksInvoiceToSnapshot({ ...OPEN_INVOICE, DueDate: '2026-02-01' }, ctx);
    expect(snap.dueDate).toBe('2026-03-01');
  });

  it('ignores payments linked to other invoices', () => {
    const other = { ...PAYMENT, Line: [{ Amount: 1000, LinkedTxn: [{ TxnId: '999', TxnType: 'Invoice' }] }] };
    expect(
      quickbooksInvoiceToSnapshot(PARTLY_PAID_INVOICE, { ...ctx, payments: [other], paymentsComplete: true }).payments,
    ).toBeUndefined();
  });
});

describe('quickbooksInvoiceToSnapshot: bad-debt write-offs', () => {
  const ctx = { homeCurrency: 'USD', appUrl: APP, paymentsComplete: true };
  const ordinary = {
    ...BAD_DEBT_CREDIT_MEMO,
    Line: BAD_DEBT_CREDIT_MEMO.Line.map((l) =>
      l.DetailType === 'SalesItemLineDetail'
        ? { ...l, SalesItemLineDetail: { ...l.SalesItemLineDetail, ItemRef: { value: '1', name: 'Services' } } }
        : l,
    ),
  };

  it('tells a bad-debt credit memo by its item name, whatever the case or spacing', () => {
    expect(isBadDebtCreditMemo(BAD_DEBT_CREDIT_MEMO)).toBe(true);
    expect(isBadDebtCreditMemo(ordinary)).toBe(false);
    for (const name of ['Bad Debts', 'BAD DEBT write-off', 'Baddebt', 'Bad-debt']) {
      const memo = {
        Line: [
          {
            Amount: 1,
            DetailType: 'SalesItemLineDetail' as const,
            SalesItemLineDetail: { ItemRef: { value: '9', name } },
          },
        ],
      };
      expect(isBadDebtCreditMemo(memo)).toBe(true);
    }
  });

  it('tells a write-off on an item named otherwise by the items the adapter found booked to a bad-debt account', () => {
    const uncollectible = {
      ...BAD_DEBT_CREDIT_MEMO,
      Line: BAD_DEBT_CREDIT_MEMO.Line.map((l) =>
        l.DetailType === 'SalesItemLineDetail'
          ? { ...l, SalesItemLineDetail: { ...l.SalesItemLineDetail, ItemRef: { value: '12', name: 'Uncollectible' } } }
          : l,
      ),
    };
    // Only items not named bad debt need their account read; each once.
    expect(itemsToCheck([uncollectible, ordinary, BAD_DEBT_CREDIT_MEMO, uncollectible])).toEqual(['12', '1']);
    expect(isBadDebtCreditMemo(uncollectible)).toBe(false);
    expect(isBadDebtCreditMemo(uncollectible, new Set(['12']))).toBe(true);
    expect(isBadDebtCreditMemo(ordinary, new Set(['12']))).toBe(false);
    const snap = (badDebtItems?: Set<string>) =>
      quickbooksInvoiceToSnapshot(WRITTEN_OFF_INVOICE, {
        ...ctx,
        payments: [PAYMENT, WRITE_OFF_PAYMENT],
        creditMemos: [{ ...uncollectible, Id: '301' }],
        ...(badDebtItems ? { badDebtItems } : {}),
      });
    expect(snap(new Set(['12'])).status).toBe('written_off');
    expect(snap().status).toBe('paid');
  });

  it('an account books bad debt by its QuickBooks subtype (BadDebts) or by its name', () => {
    expect(isBadDebtAccount({ Name: 'Uncollectible accounts', AccountSubType: 'BadDebts' })).toBe(true);
    expect(isBadDebtAccount({ Name: 'Bad debt expense', AccountSubType: 'OtherMiscellaneousServiceCost' })).toBe(true);
    expect(isBadDebtAccount({ Name: 'Services', AccountSubType: 'ServiceFeeIncome' })).toBe(false);
    expect(isBadDebtAccount({ Name: 'Discounts given', AccountSubType: 'DiscountsRefundsGiven' })).toBe(false);
  });

  it('reads an invoice whose last settlement was a write-off as written_off: nothing due, no paidOn, no payment for it', () => {
    const snap = quickbooksInvoiceToSnapshot(WRITTEN_OFF_INVOICE, {
      ...ctx,
      payments: [PAYMENT, WRITE_OFF_PAYMENT],
      creditMemos: [BAD_DEBT_CREDIT_MEMO],
    });
    expect(snap).toMatchObject({ status: 'written_off', amountDue: money(0, 'USD'), total: money(125050, 'USD') });
    expect(snap.paidOn).toBeUndefined();
    expect(snap.payments).toEqual([{ on: '2026-03-20', amount: money(100000, 'USD') }]);
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads an ordinary credit memo (or one it was not given) as a payment by credit, as before', () => {
    for (const creditMemos of [[ordinary], []]) {
      const snap = quickbooksInvoiceToSnapshot(WRITTEN_OFF_INVOICE, {
        ...ctx,
        payments: [PAYMENT, WRITE_OFF_PAYMENT],
        creditMemos,
      });
      expect(snap).toMatchObject({ status: 'paid', paidOn: '2026-06-30' });
      expect(snap.payments).toEqual([
        { on: '2026-03-20', amount: money(100000, 'USD') },
        { on: '2026-06-30', amount: money(25050, 'USD') },
      ]);
    }
  });

  it('reads a partial write-off as open for the rest, without counting it as paid', () => {
    const partial = {
      ...WRITE_OFF_PAYMENT,
      Line: [
        { Amount: 50, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] },
        { Amount: 50, LinkedTxn: [{ TxnId: '301', TxnType: 'CreditMemo' }] },
      ],
    };
    const snap = quickbooksInvoiceToSnapshot(
      { ...OPEN_INVOICE, Balance: 1200.5 },
      { ...ctx, payments: [partial], creditMemos: [BAD_DEBT_CREDIT_MEMO] },
    );
    expect(snap).toMatchObject({ status: 'open', amountDue: money(120050, 'USD') });
    expect(snap.payments).toBeUndefined();
  });

  it('sets the bad-debt credit of one payment against its invoice lines in order', () => {
    // One Receive Payment: 100 cash and the 250.50 bad-debt credit, applied to invoice 129 (100) and 130 (250.50).
    const both = {
      ...WRITE_OFF_PAYMENT,
      TotalAmt: 100,
      Line: [
        { Amount: 250.5, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] },
        { Amount: 100, LinkedTxn: [{ TxnId: '129', TxnType: 'Invoice' }] },
        { Amount: 250.5, LinkedTxn: [{ TxnId: '301', TxnType: 'CreditMemo' }] },
      ],
    };
    const c = { ...ctx, payments: [PAYMENT, both], creditMemos: [BAD_DEBT_CREDIT_MEMO] };
    expect(quickbooksInvoiceToSnapshot(WRITTEN_OFF_INVOICE, c).status).toBe('written_off');
    const other = quickbooksInvoiceToSnapshot({ ...WRITTEN_OFF_INVOICE, Id: '129', TotalAmt: 100 }, c);
    expect(other).toMatchObject({ status: 'paid', payments: [{ on: '2026-06-30', amount: money(10000, 'USD') }] });
  });
});

describe('quickbooksInvoiceToCreated', () => {
  it('returns id, number, link, status and the total QuickBooks computed', () => {
    expect(quickbooksInvoiceToCreated(OPEN_INVOICE, { homeCurrency: 'USD', appUrl: APP })).toEqual({
      id: '130',
      number: '1037',
      url: 'https://app.qbo.intuit.com/app/invoice?txnId=130',
      status: 'open',
      total: { amount: 125050, currency: 'USD' },
    });
  });
});

describe('amounts', () => {
  it('round-trips money through QuickBooks numbers without rounding', () => {
    for (const [minor, currency] of [
      [1, 'USD'],
      [10, 'USD'],
      [123456789012, 'USD'],
      [-5050, 'USD'],
      [1500, 'JPY'],
      [1001, 'KWD'],
    ] as const) {
      expect(qboToMoney(moneyToQbo(money(minor, currency)), currency)).toEqual(money(minor, currency));
    }
  });

  it('refuses an amount with more decimals than the currency has, and one a double cannot carry', () => {
    expect(() => qboToMoney(10.005, 'USD')).toThrow(FinanceError);
    expect(() => moneyToQbo(money(9007199254740991, 'USD'))).toThrow(/too large/);
  });
});
