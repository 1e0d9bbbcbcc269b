/**
 * Example QuickBooks payloads, typed by types.ts so that a misspelt field fails to compile. The sandbox seeds
 * from them (default terms, item), the mapper tests read them, and the contract test checks each against the
 * strict zod mirror. Shapes follow Intuit's API reference examples (minorversion 75); ids, names and amounts are
 * ours.
 */
import type {
  QboAccount,
  QboCdcResponse,
  QboCloudEvent,
  QboCreditMemo,
  QboCustomer,
  QboCustomerCreate,
  QboEstimate,
  QboFault,
  QboGatewayFault,
  QboInvoice,
  QboInvoiceCreate,
  QboItem,
  QboLegacyWebhook,
  QboPayment,
  QboQueryResponse,
  QboTaxCode,
  QboTaxRate,
  QboTerm,
  QboTokenResponse,
} from './types.js';

export const FIXTURE_REALM_ID = '9130357766500126';
const T0 = '2026-03-02T09:15:00-08:00';
const T1 = '2026-03-20T14:02:11-07:00';

const meta = (created: string, updated = created) => ({ CreateTime: created, LastUpdatedTime: updated });

/** The terms a new QuickBooks company starts with. */
export const DEFAULT_TERMS: QboTerm[] = [
  {
    Id: '1',
    SyncToken: '0',
    Name: 'Due on receipt',
    Active: true,
    Type: 'STANDARD',
    DueDays: 0,
    DiscountDays: 0,
    MetaData: meta(T0),
    domain: 'QBO',
    sparse: false,
  },
  {
    Id: '2',
    SyncToken: '0',
    Name: 'Net 15',
    Active: true,
    Type: 'STANDARD',
    DueDays: 15,
    DiscountDays: 0,
    MetaData: meta(T0),
    domain: 'QBO',
    sparse: false,
  },
  {
    Id: '3',
    SyncToken: '0',
    Name: 'Net 30',
    Active: true,
    Type: 'STANDARD',
    DueDays: 30,
    DiscountDays: 0,
    MetaData: meta(T0),
    domain: 'QBO',
    sparse: false,
  },
  {
    Id: '4',
    SyncToken: '0',
    Name: 'Net 60',
    Active: true,
    Type: 'STANDARD',
    DueDays: 60,
    DiscountDays: 0,
    MetaData: meta(T0),
    domain: 'QBO',
    sparse: false,
  },
];

/** A date-driven term: due on the 20th of the following month. */
export const DATE_DRIVEN_TERM: QboTerm = {
  Id: '5',
  SyncToken: '0',
  Name: '20th of the following month',
  Active: true,
  Type: 'DATE_DRIVEN',
  DayOfMonthDue: 20,
  DueNextMonthDays: 19,
  DiscountDayOfMonth: 0,
  MetaData: meta(T0),
  domain: 'QBO',
  sparse: false,
};

/** A customer we created (our reference marker in Notes). */
export const CUSTOMER: QboCustomer = {
  Id: '58',
  SyncToken: '0',
  DisplayName: "O'Brien & Sons Ltd",
  CompanyName: "O'Brien & Sons Ltd",
  GivenName: 'Aoife',
  FamilyName: 'Byrne',
  FullyQualifiedName: "O'Brien & Sons Ltd",
  PrimaryEmailAddr: { Address: 'ap@obrien.example' },
  BillAddr: {
    Id: '91',
    Line1: '12 Harbour Road',
    City: 'San Francisco',
    CountrySubDivisionCode: 'CA',
    PostalCode: '94107',
    Country: 'US',
  },
  SalesTermRef: { value: '3', name: 'Net 30' },
  CurrencyRef: { value: 'USD', name: 'United States Dollar' },
  Notes: 'Revenue Handoff ref: hs-company-4711\nSend statements quarterly.',
  Active: true,
  Balance: 1250.5,
  MetaData: meta(T0),
  domain: 'QBO',
  sparse: false,
};

/** A customer somebody created in QuickBooks by hand: no CompanyName, no marker, no currency (single-currency company). */
export const HAND_MADE_CUSTOMER: QboCustomer = {
  Id: '12',
  SyncToken: '4',
  DisplayName: 'Globex',
  PrimaryEmailAddr: { Address: 'billing@globex.example' },
  Active: true,
  MetaData: meta('2025-11-02T10:00:00-08:00', T0),
};

export const CUSTOMER_CREATE: QboCustomerCreate = {
  DisplayName: "O'Brien & Sons Ltd",
  CompanyName: "O'Brien & Sons Ltd",
  GivenName: 'Aoife',
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
};

export const INVOICE_CREATE: QboInvoiceCreate = {
  CustomerRef: { value: '58' },
  TxnDate: '2026-03-01',
  DueDate: '2026-03-31',
  SalesTermRef: { value: '3', name: 'Net 30' },
  Line: [
    {
      Amount: 1000,
      DetailType: 'SalesItemLineDetail',
      Description: 'Retainer (2026-03-01 to 2026-03-31)',
      SalesItemLineDetail: {
        ItemRef: { value: '1', name: 'Services' },
        Qty: 1,
        UnitPrice: 1000,
        ServiceDate: '2026-03-01',
      },
    },
    {
      Amount: 250.5,
      DetailType: 'SalesItemLineDetail',
      Description: 'Implementation hours',
      SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' }, Qty: 3, UnitPrice: 83.5 },
    },
  ],
  CurrencyRef: { value: 'USD' },
  PrivateNote: 'Revenue Handoff invoice ref: setup-81:2026-03',
  CustomField: [{ DefinitionId: '1', Name: 'P.O. Number', Type: 'StringType', StringValue: 'PO-4500012345' }],
};

/** An open invoice, as QuickBooks returns it after INVOICE_CREATE (subtotal line appended, number assigned). */
export const OPEN_INVOICE: QboInvoice = {
  Id: '130',
  SyncToken: '0',
  DocNumber: '1037',
  TxnDate: '2026-03-01',
  DueDate: '2026-03-31',
  CustomerRef: { value: '58', name: "O'Brien & Sons Ltd" },
  SalesTermRef: { value: '3', name: 'Net 30' },
  Line: [
    {
      Id: '1',
      LineNum: 1,
      Amount: 1000,
      DetailType: 'SalesItemLineDetail',
      Description: 'Retainer (2026-03-01 to 2026-03-31)',
      SalesItemLineDetail: {
        ItemRef: { value: '1', name: 'Services' },
        Qty: 1,
        UnitPrice: 1000,
        ServiceDate: '2026-03-01',
      },
    },
    {
      Id: '2',
      LineNum: 2,
      Amount: 250.5,
      DetailType: 'SalesItemLineDetail',
      Description: 'Implementation hours',
      SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' }, Qty: 3, UnitPrice: 83.5 },
    },
    { Amount: 1250.5, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
  ],
  TotalAmt: 1250.5,
  Balance: 1250.5,
  CurrencyRef: { value: 'USD', name: 'United States Dollar' },
  PrivateNote: 'Revenue Handoff invoice ref: setup-81:2026-03',
  CustomField: [{ DefinitionId: '1', Name: 'P.O. Number', Type: 'StringType', StringValue: 'PO-4500012345' }],
  EmailStatus: 'NotSet',
  TxnTaxDetail: { TotalTax: 0 },
  MetaData: meta(T0),
  domain: 'QBO',
  sparse: false,
};

/** The same invoice with 250.50 still owed after a payment of 1000.00. */
export const PARTLY_PAID_INVOICE: QboInvoice = {
  ...OPEN_INVOICE,
  SyncToken: '1',
  Balance: 250.5,
  LinkedTxn: [{ TxnId: '201', TxnType: 'Payment' }],
  MetaData: meta(T0, T1),
};

export const PAID_INVOICE: QboInvoice = {
  ...OPEN_INVOICE,
  SyncToken: '2',
  Balance: 0,
  LinkedTxn: [
    { TxnId: '201', TxnType: 'Payment' },
    { TxnId: '202', TxnType: 'Payment' },
  ],
  MetaData: meta(T0, '2026-03-28T08:00:00-07:00'),
};

/** Voiding zeroes every amount and prepends "Voided" to the private note. */
export const VOIDED_INVOICE: QboInvoice = {
  ...OPEN_INVOICE,
  SyncToken: '1',
  Line: [
    {
      Id: '1',
      LineNum: 1,
      Amount: 0,
      DetailType: 'SalesItemLineDetail',
      Description: 'Retainer (2026-03-01 to 2026-03-31)',
      SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' }, Qty: 0, UnitPrice: 1000 },
    },
    { Amount: 0, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
  ],
  TotalAmt: 0,
  Balance: 0,
  PrivateNote: 'Voided - Revenue Handoff invoice ref: setup-81:2026-03',
  MetaData: meta(T0, T1),
};

/**
 * A held invoice shown ahead as an Estimate (template quickbooksScheduledAs: 'estimate'): non-posting, so no
 * Balance; dated the setup day, expiring on the invoice's planned issue date; our reference under its own marker.
 */
export const OPEN_ESTIMATE: QboEstimate = {
  Id: '41',
  SyncToken: '0',
  DocNumber: '1003',
  TxnDate: '2026-03-01',
  ExpirationDate: '2026-04-01',
  CustomerRef: { value: '58', name: "O'Brien & Sons Ltd" },
  SalesTermRef: { value: '3', name: 'Net 30' },
  Line: OPEN_INVOICE.Line,
  TotalAmt: 1250.5,
  TxnStatus: 'Pending',
  CurrencyRef: { value: 'USD', name: 'United States Dollar' },
  PrivateNote: 'Revenue Handoff estimate ref: setup-81:2026-04',
  CustomField: [{ DefinitionId: '1', Name: 'P.O. Number', Type: 'StringType', StringValue: 'PO-4500012345' }],
  EmailStatus: 'NotSet',
  TxnTaxDetail: { TotalTax: 0 },
  MetaData: meta(T0),
  domain: 'QBO',
  sparse: false,
};

/** The same estimate once the April invoice (LinkedTxn Estimate 41) converted it: QuickBooks closes and links it. */
export const CLOSED_ESTIMATE: QboEstimate = {
  ...OPEN_ESTIMATE,
  SyncToken: '1',
  TxnStatus: 'Closed',
  LinkedTxn: [{ TxnId: '131', TxnType: 'Invoice' }],
  MetaData: meta(T0, T1),
};

/** An invoice made by hand in a single-currency company: no CurrencyRef, no DueDate, a discount line. */
export const HAND_MADE_INVOICE: QboInvoice = {
  Id: '77',
  SyncToken: '0',
  TxnDate: '2026-02-10',
  CustomerRef: { value: '12', name: 'Globex' },
  Line: [
    {
      Id: '1',
      LineNum: 1,
      Amount: 500,
      DetailType: 'SalesItemLineDetail',
      SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' }, Qty: 1, UnitPrice: 500 },
    },
    { Amount: 500, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
    { Amount: 50, DetailType: 'DiscountLineDetail' },
  ],
  TotalAmt: 450,
  Balance: 450,
  MetaData: meta('2026-02-10T11:00:00-08:00'),
};

export const PAYMENT: QboPayment = {
  Id: '201',
  SyncToken: '0',
  TxnDate: '2026-03-20',
  TotalAmt: 1000,
  UnappliedAmt: 0,
  CustomerRef: { value: '58', name: "O'Brien & Sons Ltd" },
  CurrencyRef: { value: 'USD', name: 'United States Dollar' },
  Line: [{ Amount: 1000, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] }],
  MetaData: meta(T1),
  domain: 'QBO',
  sparse: false,
};

export const SECOND_PAYMENT: QboPayment = {
  ...PAYMENT,
  Id: '202',
  TxnDate: '2026-03-28',
  TotalAmt: 250.5,
  Line: [{ Amount: 250.5, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] }],
  MetaData: meta('2026-03-28T08:00:00-07:00'),
};

/**
 * Writing off the 250.50 still owed on PARTLY_PAID_INVOICE as bad debt, Intuit's documented way: a credit memo on
 * a non-inventory item "Bad debt" (booked to a "Bad debts" expense account) for the unpaid amount…
 */
export const BAD_DEBT_CREDIT_MEMO: QboCreditMemo = {
  Id: '301',
  SyncToken: '0',
  DocNumber: '1040',
  TxnDate: '2026-06-30',
  CustomerRef: { value: '58', name: "O'Brien & Sons Ltd" },
  Line: [
    {
      Id: '1',
      LineNum: 1,
      Amount: 250.5,
      DetailType: 'SalesItemLineDetail',
      Description: 'Invoice 1037 written off',
      SalesItemLineDetail: {
        ItemRef: { value: '3', name: 'Bad debt' },
        Qty: 1,
        UnitPrice: 250.5,
        TaxCodeRef: { value: 'NON' },
      },
    },
    { Amount: 250.5, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
  ],
  TotalAmt: 250.5,
  Balance: 0,
  RemainingCredit: 0,
  CurrencyRef: { value: 'USD', name: 'United States Dollar' },
  MetaData: meta('2026-06-30T09:00:00-07:00'),
  domain: 'QBO',
  sparse: false,
};

/** The item of that credit memo: a non-inventory item posting to the bad-debt expense account. */
export const BAD_DEBT_ITEM: QboItem = {
  Id: '3',
  SyncToken: '0',
  Name: 'Bad debt',
  FullyQualifiedName: 'Bad debt',
  Type: 'NonInventory',
  Active: true,
  IncomeAccountRef: { value: '92', name: 'Bad debts' },
  MetaData: meta('2026-01-05T09:00:00-07:00'),
  domain: 'QBO',
  sparse: false,
};

/** The account it posts to: QuickBooks' subtype for bad debt. */
export const BAD_DEBTS_ACCOUNT: QboAccount = {
  Id: '92',
  SyncToken: '0',
  Name: 'Bad debts',
  FullyQualifiedName: 'Bad debts',
  AccountType: 'Expense',
  AccountSubType: 'BadDebts',
  Classification: 'Expense',
  Active: true,
  MetaData: meta('2026-01-05T09:00:00-07:00'),
  domain: 'QBO',
  sparse: false,
};

/** …applied to the invoice with Receive Payment: no money moves (TotalAmt 0), one line per linked transaction. */
export const WRITE_OFF_PAYMENT: QboPayment = {
  ...PAYMENT,
  Id: '203',
  TxnDate: '2026-06-30',
  TotalAmt: 0,
  Line: [
    { Amount: 250.5, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] },
    { Amount: 250.5, LinkedTxn: [{ TxnId: '301', TxnType: 'CreditMemo' }] },
  ],
  MetaData: meta('2026-06-30T09:00:00-07:00'),
};

/** PARTLY_PAID_INVOICE once the write-off is applied: Balance 0, like a paid invoice. */
export const WRITTEN_OFF_INVOICE: QboInvoice = {
  ...OPEN_INVOICE,
  SyncToken: '2',
  Balance: 0,
  LinkedTxn: [
    { TxnId: '201', TxnType: 'Payment' },
    { TxnId: '203', TxnType: 'Payment' },
  ],
  MetaData: meta(T0, '2026-06-30T09:00:00-07:00'),
};

export const CUSTOMER_QUERY_RESPONSE: QboQueryResponse = {
  QueryResponse: { Customer: [CUSTOMER], startPosition: 1, maxResults: 1 },
  time: '2026-03-21T10:00:00.000-07:00',
};

export const EMPTY_QUERY_RESPONSE: QboQueryResponse = { QueryResponse: {}, time: '2026-03-21T10:00:00.000-07:00' };

export const CDC_RESPONSE: QboCdcResponse = {
  CDCResponse: [
    {
      QueryResponse: [
        {
          Invoice: [
            PARTLY_PAID_INVOICE,
            { Id: '129', status: 'Deleted', domain: 'QBO', MetaData: { LastUpdatedTime: T1 } },
          ],
          startPosition: 1,
          maxResults: 2,
        },
        { Payment: [PAYMENT], startPosition: 1, maxResults: 1 },
      ],
    },
  ],
  time: '2026-03-21T10:00:00.000-07:00',
};

export const FAULTS = {
  duplicateName: {
    Fault: {
      Error: [
        {
          Message: 'Duplicate Name Exists Error',
          Detail:
            'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
          code: '6240',
          element: '',
        },
      ],
      type: 'ValidationFault',
    },
    time: '2026-03-21T10:00:00.000-07:00',
  },
  throttled: {
    Fault: {
      Error: [
        {
          Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
          Detail: 'The request limit was reached.',
          code: '3001',
        },
      ],
      type: 'ThrottlingFault',
    },
    time: '2026-03-21T10:00:00.000-07:00',
  },
  requiredParamMissing: {
    Fault: {
      Error: [
        {
          Message: 'Required param missing, need to supply the required value for the API',
          Detail: 'Required parameter Line.Amount is missing in the request',
          code: '2020',
          element: 'Line.Amount',
        },
      ],
      type: 'ValidationFault',
    },
    time: '2026-03-21T10:00:00.000-07:00',
  },
  staleObject: {
    Fault: {
      Error: [
        {
          Message: 'Stale Object Error',
          Detail:
            'Stale Object Error : You and admin were working on this at the same time. admin finished before you did, so your work was not saved.',
          code: '5010',
          element: '',
        },
      ],
      type: 'ValidationFault',
    },
    time: '2026-03-21T10:00:00.000-07:00',
  },
  objectNotFound: {
    Fault: {
      Error: [
        {
          Message: 'Object Not Found',
          Detail:
            "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
          code: '610',
          element: '',
        },
      ],
      type: 'ValidationFault',
    },
    time: '2026-03-21T10:00:00.000-07:00',
  },
  system: {
    Fault: {
      Error: [
        {
          Message: 'An application error has occurred while processing your request',
          Detail: 'System Failure Error: Unexpected internal error',
          code: '10000',
        },
      ],
      type: 'SystemFault',
    },
    time: '2026-03-21T10:00:00.000-07:00',
  },
} satisfies Record<string, QboFault>;

/** What the gateway answers for an expired or revoked access token (note the lower-case keys). */
export const AUTH_FAULT: QboGatewayFault = {
  fault: {
    error: [
      {
        message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
        detail: 'Token expired: eyJ…',
        code: '3200',
        element: null,
      },
    ],
    type: 'AUTHENTICATION',
  },
  time: 1774112400000,
};

export const CLOUD_EVENT: QboCloudEvent = {
  specversion: '1.0',
  id: '88cd52aa-33b6-4351-9aa4-47572edbd068',
  source: 'intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=',
  type: 'qbo.invoice.updated.v1',
  datacontenttype: 'application/json',
  time: '2026-03-20T21:31:25.179Z',
  intuitentityid: '130',
  intuitaccountid: FIXTURE_REALM_ID,
  data: {},
};

export const LEGACY_WEBHOOK: QboLegacyWebhook = {
  eventNotifications: [
    {
      realmId: FIXTURE_REALM_ID,
      dataChangeEvent: {
        entities: [
          { name: 'Invoice', id: '130', operation: 'Update', lastUpdated: '2026-03-20T21:31:25.000Z' },
          { name: 'Payment', id: '201', operation: 'Create', lastUpdated: '2026-03-20T21:31:24.000Z' },
        ],
      },
    },
  ],
};

export const TOKEN_RESPONSE: QboTokenResponse = {
  token_type: 'bearer',
  access_token: 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..access',
  refresh_token: 'AB11783412345abcdefRefresh',
  expires_in: 3600,
  x_refresh_token_expires_in: 8726400,
};

// ---------------------------------------------------------------------------------------------------------------
// Tax setups. UK codes and rates as a new UK QuickBooks company lists them (names "20.0% S", "5.0% R", "0.0% Z",
// "Exempt", "No VAT"; ids are per company); a US company lists TAX and NON (automated sales tax sets the rate).

const taxRate = (Id: string, Name: string, RateValue: number): QboTaxRate => ({
  Id,
  SyncToken: '0',
  Name,
  Active: true,
  RateValue,
  AgencyRef: { value: '1' },
  SpecialTaxType: RateValue === 0 ? 'ZERO_RATE' : 'NONE',
  DisplayType: 'ReadOnly',
});

export const UK_TAX_RATES: QboTaxRate[] = [
  taxRate('3', '20.0% S', 20),
  taxRate('5', '5.0% R', 5),
  taxRate('7', '0.0% Z', 0),
  taxRate('9', 'Exempt', 0),
  taxRate('11', '20.0% ECG', 20),
];

const taxCode = (Id: string, Name: string, sales: string[], purchase: string[] = []): QboTaxCode => ({
  Id,
  SyncToken: '0',
  Name,
  Description: Name,
  Active: true,
  Taxable: sales.length > 0,
  TaxGroup: false,
  SalesTaxRateList: {
    TaxRateDetail: sales.map((value) => ({ TaxRateRef: { value }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 })),
  },
  PurchaseTaxRateList: {
    TaxRateDetail: purchase.map((value) => ({ TaxRateRef: { value }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 })),
  },
});

export const UK_TAX_CODES: QboTaxCode[] = [
  taxCode('2', '20.0% S', ['3'], ['3']),
  taxCode('4', '5.0% R', ['5'], ['5']),
  taxCode('6', '0.0% Z', ['7'], ['7']),
  taxCode('8', 'Exempt', ['9'], ['9']),
  taxCode('10', '20.0% ECG', [], ['11']),
];

export const US_TAX_CODES: QboTaxCode[] = [
  { Id: 'TAX', Name: 'TAX', Description: 'TAX', Active: true, Taxable: true, TaxGroup: false },
  { Id: 'NON', Name: 'NON', Description: 'NON', Active: true, Taxable: false, TaxGroup: false },
];
