import { describe, expect, it } from '@jest/globals';
import { money } from '../../../../src/core/money.js';
import type { InvoiceDraft } from '../../../../src/integrations/finance/port.js';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import { fromXeroAmount, quantityAsFraction, toXeroAmount } from '../../../../src/integrations/finance/xero/amounts.js';
import { customerDraftToXero } from '../../../../src/integrations/finance/xero/customer-draft-to-xero.js';
import { parseXeroDate, toXeroMsDate, xeroDay } from '../../../../src/integrations/finance/xero/dates.js';
import { invoiceDraftToXero } from '../../../../src/integrations/finance/xero/invoice-draft-to-xero.js';
import {
  paymentTermsToXero,
  xeroTermsToPaymentTerms,
} from '../../../../src/integrations/finance/xero/payment-terms-to-xero.js';
import type { XeroInvoice } from '../../../../src/integrations/finance/xero/types.js';
import { xeroContactToCustomer } from '../../../../src/integrations/finance/xero/xero-contact-to-customer.js';
import {
  xeroInvoiceToCreated,
  xeroInvoiceToSnapshot,
  xeroStatusToSnapshot,
} from '../../../../src/integrations/finance/xero/xero-invoice-to-snapshot.js';
import { InvoiceSnapshotSchema } from '../../../../src/receivables/invoice.js';

describe('Xero amounts', () => {
  it('sends Money as the decimal number it is, for 0, 2 and 3 decimal currencies', () => {
    expect(toXeroAmount(money(125050, 'USD'))).toBe(1250.5);
    expect(toXeroAmount(money(1500, 'JPY'))).toBe(1500);
    expect(toXeroAmount(money(1250, 'KWD'))).toBe(1.25);
    expect(toXeroAmount(money(-1, 'USD'))).toBe(-0.01);
  });

  it('reads numbers back without float drift (0.1 + 0.2 style values stay exact)', () => {
    expect(fromXeroAmount(0.3, 'USD')).toEqual(money(30, 'USD'));
    expect(fromXeroAmount(1099.99, 'USD')).toEqual(money(109999, 'USD'));
    expect(fromXeroAmount(9_999_999_999_999.99, 'USD')).toEqual(money(999_999_999_999_999, 'USD'));
    expect(fromXeroAmount(undefined, 'USD')).toEqual(money(0, 'USD'));
  });

  it('refuses what it cannot carry exactly instead of rounding', () => {
    expect(() => toXeroAmount(money(1_234_567_890_123_456, 'USD'))).toThrow(FinanceError);
    expect(() => fromXeroAmount(10.005, 'USD')).toThrow(/more than the 2 decimals/);
    expect(() => fromXeroAmount(1e21, 'USD')).toThrow(/cannot be read exactly/);
  });

  it('turns a quantity into an exact fraction (Xero allows 4 decimals)', () => {
    expect(quantityAsFraction(1.5)).toEqual({ numerator: 15n, scale: 1 });
    expect(quantityAsFraction(3)).toEqual({ numerator: 3n, scale: 0 });
    expect(quantityAsFraction(0.12345)).toBeNull();
  });
});

describe('Xero dates', () => {
  it('reads /Date(ms+0000)/, DateString and plain days as UTC', () => {
    expect(parseXeroDate('/Date(1539993600000+0000)/')?.toISOString()).toBe('2018-10-20T00:00:00.000Z');
    expect(parseXeroDate('2018-10-20T00:00:00')?.toISOString()).toBe('2018-10-20T00:00:00.000Z');
    expect(parseXeroDate('2024-06-21T01:15:39.902')?.toISOString()).toBe('2024-06-21T01:15:39.902Z');
    expect(parseXeroDate('2018-10-20')?.toISOString()).toBe('2018-10-20T00:00:00.000Z');
    expect(parseXeroDate('nonsense')).toBeNull();
    expect(xeroDay('/Date(1539993600000+0000)/', '2018-10-20T00:00:00')).toBe('2018-10-20');
    expect(toXeroMsDate(new Date(0))).toBe('/Date(0+0000)/');
  });
});

describe('payment-terms-to-xero', () => {
  it('maps net_N to DAYSAFTERBILLDATE N, due on receipt to 0 days, eofm_D to OFFOLLOWINGMONTH D', () => {
    expect(paymentTermsToXero('net_30')).toEqual({ Day: 30, Type: 'DAYSAFTERBILLDATE' });
    expect(paymentTermsToXero('due_on_receipt')).toEqual({ Day: 0, Type: 'DAYSAFTERBILLDATE' });
    expect(paymentTermsToXero('eofm_20')).toEqual({ Day: 20, Type: 'OFFOLLOWINGMONTH' });
  });

  it('refuses a code that is not ours', () => {
    expect(() => paymentTermsToXero('2/10 net 30')).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('reads Xero terms back, and leaves terms we cannot express as undefined', () => {
    expect(xeroTermsToPaymentTerms({ Day: 45, Type: 'DAYSAFTERBILLDATE' })).toBe('net_45');
    expect(xeroTermsToPaymentTerms({ Day: 0, Type: 'DAYSAFTERBILLDATE' })).toBe('due_on_receipt');
    expect(xeroTermsToPaymentTerms({ Day: 20, Type: 'OFFOLLOWINGMONTH' })).toBe('eofm_20');
    expect(xeroTermsToPaymentTerms({ Day: 15, Type: 'OFCURRENTMONTH' })).toBeUndefined();
    expect(xeroTermsToPaymentTerms({ Day: 10, Type: 'DAYSAFTERBILLMONTH' })).toBeUndefined();
    expect(xeroTermsToPaymentTerms(undefined)).toBeUndefined();
  });
});

describe('customer-draft-to-xero', () => {
  const draft = {
    legalName: '  Acme Ltd ',
    email: 'ap@acme.test',
    apContactName: 'Mary Ann Evans',
    address: {
      line1: '1 Main St',
      line2: 'Floor 2',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    currency: 'USD',
    paymentTerms: 'eofm_20',
    externalRef: 'hs-company-1',
  };

  it('puts our reference in ContactNumber, terms in PaymentTerms.Sales and the billing address as POBOX', () => {
    expect(customerDraftToXero(draft)).toEqual({
      Name: 'Acme Ltd',
      ContactNumber: 'hs-company-1',
      EmailAddress: 'ap@acme.test',
      FirstName: 'Mary Ann',
      LastName: 'Evans',
      DefaultCurrency: 'USD',
      PaymentTerms: { Sales: { Day: 20, Type: 'OFFOLLOWINGMONTH' } },
      Addresses: [
        {
          AddressType: 'POBOX',
          AddressLine1: '1 Main St',
          AddressLine2: 'Floor 2',
          City: 'Springfield',
          Region: 'IL',
          PostalCode: '62701',
          Country: 'US',
          AttentionTo: 'Mary Ann Evans',
        },
      ],
    });
  });

  it('leaves optional fields out rather than sending blanks', () => {
    const minimal = customerDraftToXero({
      legalName: 'Solo',
      currency: 'EUR',
      paymentTerms: 'net_15',
      externalRef: 'r',
    });
    expect(minimal).toEqual({
      Name: 'Solo',
      ContactNumber: 'r',
      DefaultCurrency: 'EUR',
      PaymentTerms: { Sales: { Day: 15, Type: 'DAYSAFTERBILLDATE' } },
    });
  });

  it('refuses values longer than Xero keeps (ContactNumber 50)', () => {
    expect(() => customerDraftToXero({ ...draft, externalRef: 'x'.repeat(51) })).toThrow(/ContactNumber/);
    expect(() => customerDraftToXero({ ...draft, legalName: ' ' })).toThrow(/needs a name/);
  });
});

describe('xero-contact-to-customer', () => {
  it('reads id, name, email, reference, terms, currency and a deep link', () => {
    expect(
      xeroContactToCustomer({
        ContactID: 'c-1',
        Name: 'Acme Ltd',
        EmailAddress: 'ap@acme.test',
        ContactNumber: 'hs-company-1',
        DefaultCurrency: 'NZD',
        PaymentTerms: { Sales: { Day: 30, Type: 'DAYSAFTERBILLDATE' } },
      }),
    ).toEqual({
      id: 'c-1',
      legalName: 'Acme Ltd',
      email: 'ap@acme.test',
      externalRef: 'hs-company-1',
      paymentTerms: 'net_30',
      currency: 'NZD',
      url: 'https://go.xero.com/Contacts/View/c-1',
    });
  });

  it('omits what the contact does not have', () => {
    expect(xeroContactToCustomer({ ContactID: 'c-2', Name: 'Bare' })).toEqual({
      id: 'c-2',
      legalName: 'Bare',
      url: 'https://go.xero.com/Contacts/View/c-2',
    });
    expect(() => xeroContactToCustomer({ Name: 'No id' })).toThrow(FinanceError);
  });
});

describe('xero-invoice-to-snapshot', () => {
  const base: XeroInvoice & { DateString?: string; DueDateString?: string } = {
    Type: 'ACCREC',
    InvoiceID: 'i-1',
    InvoiceNumber: 'rh-1',
    Reference: 'PO-1',
    Contact: { ContactID: 'c-1' },
    Date: '/Date(1772323200000+0000)/',
    DateString: '2026-03-01T00:00:00',
    DueDate: '/Date(1774915200000+0000)/',
    DueDateString: '2026-03-31T00:00:00',
    Status: 'AUTHORISED',
    Total: 1099.99,
    AmountDue: 999.99,
    AmountPaid: 100,
    CurrencyCode: 'USD',
    Payments: [
      { Date: '/Date(1773187200000+0000)/', Amount: 100, Status: 'AUTHORISED' },
      { Date: '/Date(1773187200000+0000)/', Amount: 5, Status: 'DELETED' },
    ],
  };

  it('maps every Xero status onto ours', () => {
    expect(xeroStatusToSnapshot('DRAFT')).toBe('draft');
    expect(xeroStatusToSnapshot('SUBMITTED')).toBe('open');
    expect(xeroStatusToSnapshot('AUTHORISED')).toBe('open');
    expect(xeroStatusToSnapshot('PAID')).toBe('paid');
    expect(xeroStatusToSnapshot('VOIDED')).toBe('void');
    expect(xeroStatusToSnapshot('DELETED')).toBe('void');
    expect(() => xeroStatusToSnapshot(undefined)).toThrow(FinanceError);
  });

  it('reads an open, part-paid invoice exactly; reversed payments do not count', () => {
    const snap = xeroInvoiceToSnapshot(base);
    expect(snap).toEqual({
      id: 'i-1',
      number: 'rh-1',
      customerId: 'c-1',
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      currency: 'USD',
      total: money(109999, 'USD'),
      amountDue: money(99999, 'USD'),
      status: 'open',
      url: 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=i-1',
      payments: [{ on: '2026-03-11', amount: money(10000, 'USD') }],
      // Reference is where we write the PO number; a summaryOnly read carries no LineItems, so no lines.
      poNumber: 'PO-1',
      source: 'xero',
    });
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads LineItems in order with their tax type, a 4-decimal unit amount rounded to the currency', () => {
    const snap = xeroInvoiceToSnapshot({
      ...base,
      LineItems: [
        { Description: 'Support', Quantity: 1, UnitAmount: 500, LineAmount: 500, TaxType: 'OUTPUT2' },
        { Description: 'Hours', Quantity: 3, UnitAmount: 199.9967, LineAmount: 599.99, TaxType: 'NONE' },
      ],
    });
    expect(snap.lines).toEqual([
      {
        description: 'Support',
        quantity: 1,
        unitAmount: money(500_00, 'USD'),
        amount: money(500_00, 'USD'),
        taxCode: 'OUTPUT2',
      },
      {
        description: 'Hours',
        quantity: 3,
        unitAmount: money(200_00, 'USD'),
        amount: money(599_99, 'USD'),
        taxCode: 'NONE',
      },
    ]);
    expect(xeroInvoiceToSnapshot({ ...base, Reference: '  ' }).poNumber).toBeNull();
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads a paid invoice with its FullyPaidOnDate, and a draft without due date as due on issue', () => {
    const paid = xeroInvoiceToSnapshot({
      ...base,
      Status: 'PAID',
      AmountDue: 0,
      FullyPaidOnDate: '/Date(1773187200000+0000)/',
    });
    expect(paid).toMatchObject({ status: 'paid', paidOn: '2026-03-11', amountDue: money(0, 'USD') });
    const { DueDate: _d, DueDateString: _s, ...noDue } = base;
    expect(xeroInvoiceToSnapshot({ ...noDue, Status: 'DRAFT', Payments: [] })).toMatchObject({
      status: 'draft',
      dueDate: '2026-03-01',
    });
  });

  it('CreatedInvoice carries id, number, link, status and exact total', () => {
    expect(xeroInvoiceToCreated({ ...base, Status: 'DRAFT' })).toEqual({
      id: 'i-1',
      number: 'rh-1',
      url: 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=i-1',
      status: 'draft',
      total: money(109999, 'USD'),
    });
  });
});

describe('invoice-draft-to-xero', () => {
  const draft: InvoiceDraft = {
    customerId: 'c-1',
    reference: 'rh-setup-1-m01',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    currency: 'USD',
    paymentTerms: 'net_30',
    poNumber: ' PO-4711 ',
    memo: 'Thank you for your business',
    status: 'issued',
    lines: [
      { description: 'Seats', quantity: 3, unitAmount: money(3333, 'USD'), amount: money(9999, 'USD') },
      { description: 'Hours', quantity: 1.5, unitAmount: money(3333, 'USD'), amount: money(5000, 'USD') },
      { description: 'Discount', quantity: 1, unitAmount: money(-999, 'USD'), amount: money(-999, 'USD') },
    ],
  };

  it('builds an ACCREC invoice: reference as InvoiceNumber, PO in Reference, AUTHORISED for issued', () => {
    expect(invoiceDraftToXero(draft, { salesAccountCode: '200', lineAmountTypes: 'NoTax' })).toEqual({
      Type: 'ACCREC',
      Contact: { ContactID: 'c-1' },
      InvoiceNumber: 'rh-setup-1-m01',
      Reference: 'PO-4711',
      Date: '2026-03-01',
      DueDate: '2026-03-31',
      CurrencyCode: 'USD',
      Status: 'AUTHORISED',
      LineAmountTypes: 'NoTax',
      LineItems: [
        { Description: 'Seats', Quantity: 3, UnitAmount: 33.33, LineAmount: 99.99, AccountCode: '200' },
        // 1.5 × 33.33 = 49.995 would round at Xero to 50.00 or 49.99; we send one unit of our exact amount.
        { Description: 'Hours (1.5 × $33.33)', Quantity: 1, UnitAmount: 50, LineAmount: 50, AccountCode: '200' },
        { Description: 'Discount', Quantity: 1, UnitAmount: -9.99, LineAmount: -9.99, AccountCode: '200' },
        { Description: 'Thank you for your business' },
      ],
    });
  });

  it('DRAFT for draft, Exclusive by default, no Reference without a PO', () => {
    const x = invoiceDraftToXero({ ...draft, status: 'draft', poNumber: undefined, memo: undefined });
    expect(x).toMatchObject({ Status: 'DRAFT', LineAmountTypes: 'Exclusive' });
    expect(x.Reference).toBeUndefined();
    expect(x.LineItems).toHaveLength(3);
  });

  it('refuses what Xero would refuse or we could not find again', () => {
    expect(() => invoiceDraftToXero({ ...draft, reference: 'a,b' })).toThrow(/comma/);
    expect(() => invoiceDraftToXero({ ...draft, lines: [] })).toThrow(/at least one line/);
    expect(() =>
      invoiceDraftToXero({
        ...draft,
        lines: [{ description: 'x', quantity: 1, unitAmount: money(-100, 'USD'), amount: money(-100, 'USD') }],
      }),
    ).toThrow(/credit note/);
    expect(() =>
      invoiceDraftToXero({
        ...draft,
        lines: [{ description: 'x', quantity: 1, unitAmount: money(100, 'EUR'), amount: money(100, 'EUR') }],
      }),
    ).toThrow(/in EUR, the invoice is in USD/);
    expect(() => invoiceDraftToXero({ ...draft, dueDate: '2026-02-01' })).toThrow(/before the issue date/);
  });
});
