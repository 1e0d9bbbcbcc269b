import { describe, expect, it } from '@jest/globals';
import { type CustomerDraft, FinanceError } from '../../../../src/integrations/finance/port.js';
import {
  customerDraftToQuickBooks,
  customerDraftToQuickBooksUpdate,
} from '../../../../src/integrations/finance/quickbooks/customer-draft-to-quickbooks.js';
import {
  CUSTOMER,
  DEFAULT_TERMS,
  HAND_MADE_CUSTOMER,
} from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import {
  customerRefFromNotes,
  withCustomerRef,
} from '../../../../src/integrations/finance/quickbooks/notes-markers.js';
import {
  quickbooksCustomerToCustomer,
  quickbooksCustomerUrl,
} from '../../../../src/integrations/finance/quickbooks/quickbooks-customer-to-customer.js';
import { QBO_STRICT } from '../../../../src/integrations/finance/quickbooks/schemas.js';

const APP = 'https://app.qbo.intuit.com';
const terms = new Map(DEFAULT_TERMS.map((t) => [t.Id, t]));

const draft: CustomerDraft = {
  legalName: "O'Brien & Sons Ltd",
  email: 'ap@obrien.example',
  apContactName: 'Aoife Mary Byrne',
  address: { line1: '12 Harbour Road', city: 'San Francisco', region: 'CA', postalCode: '94107', country: 'US' },
  currency: 'USD',
  paymentTerms: 'net_30',
  externalRef: 'hs-company-4711',
};

describe('customerDraftToQuickBooks', () => {
  it('maps the legal name to DisplayName and CompanyName, the AP contact to given/family name, our ref into Notes', () => {
    const body = customerDraftToQuickBooks(draft, { salesTermRef: { value: '3', name: 'Net 30' } });
    expect(body).toEqual({
      DisplayName: "O'Brien & Sons Ltd",
      CompanyName: "O'Brien & Sons Ltd",
      GivenName: 'Aoife Mary',
      FamilyName: 'Byrne',
      PrimaryEmailAddr: { Address: 'ap@obrien.example' },
      BillAddr: {
        Line1: '12 Harbour Road',
        City: 'San Francisco',
        CountrySubDivisionCode: 'CA',
        PostalCode: '94107',
        Country: 'US',
      },
      SalesTermRef: { value: '3', name: 'Net 30' },
      CurrencyRef: { value: 'USD' },
      Notes: 'Revenue Handoff ref: hs-company-4711',
    });
    expect(QBO_STRICT.CustomerCreate.safeParse(body).success).toBe(true);
  });

  it('leaves out what the draft does not have', () => {
    const body = customerDraftToQuickBooks({
      legalName: 'Initech',
      currency: 'EUR',
      paymentTerms: 'net_15',
      externalRef: 'hs-1',
    });
    expect(body).toEqual({
      DisplayName: 'Initech',
      CompanyName: 'Initech',
      CurrencyRef: { value: 'EUR' },
      Notes: 'Revenue Handoff ref: hs-1',
    });
  });

  it('refuses a legal name longer than CompanyName holds and an external ref with spaces', () => {
    expect(() => customerDraftToQuickBooks({ ...draft, legalName: 'x'.repeat(101) })).toThrow(FinanceError);
    expect(() => customerDraftToQuickBooks({ ...draft, externalRef: 'hs company' })).toThrow(/without spaces/);
    expect(() => customerDraftToQuickBooks({ ...draft, legalName: '  ' })).toThrow(/legal name/);
  });
});

describe('customerDraftToQuickBooksUpdate', () => {
  it('is a sparse update on the latest SyncToken that keeps what people wrote in Notes', () => {
    const body = customerDraftToQuickBooksUpdate(
      { ...CUSTOMER, Notes: 'Send statements quarterly.' },
      { ...draft, email: 'finance@obrien.example' },
    );
    expect(body).toMatchObject({
      Id: '58',
      SyncToken: '0',
      sparse: true,
      PrimaryEmailAddr: { Address: 'finance@obrien.example' },
    });
    expect(body.Notes).toBe('Revenue Handoff ref: hs-company-4711\nSend statements quarterly.');
    expect(body).not.toHaveProperty('CurrencyRef');
    expect(QBO_STRICT.CustomerSparseUpdate.safeParse(body).success).toBe(true);
  });

  it('refuses a currency change, which QuickBooks does not allow', () => {
    expect(() => customerDraftToQuickBooksUpdate(CUSTOMER, { ...draft, currency: 'EUR' })).toThrow(
      /cannot change a customer's currency/,
    );
  });
});

describe('quickbooksCustomerToCustomer', () => {
  it('reads our reference from Notes and the terms code through the Term list', () => {
    expect(quickbooksCustomerToCustomer(CUSTOMER, { appUrl: APP, terms })).toEqual({
      id: '58',
      legalName: "O'Brien & Sons Ltd",
      email: 'ap@obrien.example',
      externalRef: 'hs-company-4711',
      paymentTerms: 'net_30',
      currency: 'USD',
      // The billing address and MetaData's last-update time: what manual-correction detection compares and dates.
      address: { line1: '12 Harbour Road', city: 'San Francisco', region: 'CA', postalCode: '94107', country: 'US' },
      updatedAt: new Date('2026-03-02T09:15:00-08:00'),
      url: 'https://app.qbo.intuit.com/app/customerdetail?nameId=58',
    });
  });

  it('falls back to DisplayName and leaves out what a hand-made customer lacks', () => {
    expect(quickbooksCustomerToCustomer(HAND_MADE_CUSTOMER, { appUrl: APP, terms })).toEqual({
      id: '12',
      legalName: 'Globex',
      email: 'billing@globex.example',
      updatedAt: new Date('2026-03-02T09:15:00-08:00'),
      url: 'https://app.qbo.intuit.com/app/customerdetail?nameId=12',
    });
  });

  it('leaves terms out when the Term is unknown', () => {
    expect(quickbooksCustomerToCustomer(CUSTOMER, { appUrl: APP, terms: new Map() }).paymentTerms).toBeUndefined();
  });

  it('builds deep links that survive odd ids', () => {
    expect(quickbooksCustomerUrl(`${APP}/`, 'a b')).toBe('https://app.qbo.intuit.com/app/customerdetail?nameId=a%20b');
  });
});

describe('customer notes marker', () => {
  it('replaces our line and keeps the rest', () => {
    const once = withCustomerRef('VIP customer', 'hs-1');
    expect(once).toBe('Revenue Handoff ref: hs-1\nVIP customer');
    expect(withCustomerRef(once, 'hs-2')).toBe('Revenue Handoff ref: hs-2\nVIP customer');
    expect(customerRefFromNotes(withCustomerRef(once, 'hs-2'))).toBe('hs-2');
    expect(customerRefFromNotes('nothing here')).toBeUndefined();
  });
});
