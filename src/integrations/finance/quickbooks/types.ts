/**
 * QuickBooks Online (Accounting API v3, minorversion 75) payloads that this adapter reads and writes, modelled on
 * Intuit's API reference (entities Customer, Term, Invoice, Payment, CreditMemo; query, CDC, fault bodies; webhooks in the
 * CloudEvents and legacy shapes; OAuth 2.0 token responses). Intuit publishes no machine-readable spec, so these
 * types are the reference: fixtures.ts, the sandbox and the zod mirrors in schemas.ts are all checked against them,
 * and a misspelt field name fails to compile.
 *
 * Two families: `Qbo<Entity>` is what QuickBooks returns (only the fields we use or that the sandbox emits; real
 * responses carry more and the adapter strips them), `Qbo<Entity>Create` / `…Update` is exactly what we send.
 * Amounts are JSON numbers in major units (decimal); the adapter converts them to and from integer minor units
 * through decimal strings so nothing is rounded.
 */

/** A reference to another entity: `value` is its Id; `name` its display name (QuickBooks fills it in on reads). */
export interface QboRef {
  value: string;
  name?: string;
}

export interface QboEmailAddress {
  Address: string;
}

export interface QboPhysicalAddress {
  Id?: string;
  Line1?: string;
  Line2?: string;
  City?: string;
  /** State / province / region code, e.g. `CA`. */
  CountrySubDivisionCode?: string;
  PostalCode?: string;
  /** Free text in QuickBooks; we write the ISO 3166-1 alpha-2 code. */
  Country?: string;
}

export interface QboMetaData {
  CreateTime: string;
  LastUpdatedTime: string;
}

/** Text shown to the customer on the invoice ("Message displayed on invoice"). */
export interface QboMemoRef {
  value: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Customer

export interface QboCustomer {
  Id: string;
  SyncToken: string;
  /** Unique across Customer, Vendor and Employee (case-insensitive) — duplicates fail with code 6240. */
  DisplayName: string;
  CompanyName?: string;
  GivenName?: string;
  FamilyName?: string;
  FullyQualifiedName?: string;
  PrimaryEmailAddr?: QboEmailAddress;
  BillAddr?: QboPhysicalAddress;
  SalesTermRef?: QboRef;
  /** Set on create only (multicurrency companies); cannot change once the customer has transactions. */
  CurrencyRef?: QboRef;
  /** Free text (max 2000 chars); carries our external reference marker, see notes-markers.ts. */
  Notes?: string;
  Active: boolean;
  Balance?: number;
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/** Body of `POST /customer` that creates one. */
export interface QboCustomerCreate {
  DisplayName: string;
  CompanyName?: string;
  GivenName?: string;
  FamilyName?: string;
  PrimaryEmailAddr?: QboEmailAddress;
  BillAddr?: QboPhysicalAddress;
  SalesTermRef?: QboRef;
  CurrencyRef?: QboRef;
  Notes?: string;
}

/** Body of `POST /customer` that changes one: sparse, so fields we leave out keep their value. */
export interface QboCustomerSparseUpdate {
  Id: string;
  SyncToken: string;
  sparse: true;
  DisplayName?: string;
  CompanyName?: string;
  GivenName?: string;
  FamilyName?: string;
  PrimaryEmailAddr?: QboEmailAddress;
  BillAddr?: QboPhysicalAddress;
  SalesTermRef?: QboRef;
  Notes?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Term (payment terms)

/** `STANDARD`: due DueDays after the invoice date; `DATE_DRIVEN`: due on DayOfMonthDue (system-defined from the fields). */
export type QboTermType = 'STANDARD' | 'DATE_DRIVEN';

export interface QboTerm {
  Id: string;
  SyncToken: string;
  /** Max 31 characters, unique among terms. */
  Name: string;
  Active: boolean;
  Type: QboTermType;
  DueDays?: number;
  DiscountDays?: number;
  DiscountPercent?: number;
  /** 1–31: payment must be received by this day of the month. */
  DayOfMonthDue?: number;
  /** 0–999: due the month after if issued this many days (or fewer) before DayOfMonthDue. */
  DueNextMonthDays?: number;
  DiscountDayOfMonth?: number;
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/** `POST /term` for "net N days" terms. */
export interface QboStandardTermCreate {
  Name: string;
  DueDays: number;
}

/** `POST /term` for date-driven terms (Intuit requires all three fields when DueDays is absent). */
export interface QboDateDrivenTermCreate {
  Name: string;
  DayOfMonthDue: number;
  DueNextMonthDays: number;
  DiscountDayOfMonth: number;
}

export type QboTermCreate = QboStandardTermCreate | QboDateDrivenTermCreate;

// ---------------------------------------------------------------------------------------------------------------
// Invoice

export interface QboSalesItemLineDetail {
  ItemRef: QboRef;
  Qty?: number;
  UnitPrice?: number;
  /** Required per line for non-US companies (GST/VAT); `TAX` / `NON` in the US. */
  TaxCodeRef?: QboRef;
  /** YYYY-MM-DD: the service date printed on the line. */
  ServiceDate?: string;
}

export interface QboSalesItemLine {
  Id?: string;
  LineNum?: number;
  Amount: number;
  DetailType: 'SalesItemLineDetail';
  Description?: string;
  SalesItemLineDetail: QboSalesItemLineDetail;
}

/** QuickBooks appends a subtotal line to every invoice it returns. */
export interface QboSubTotalLine {
  Id?: string;
  LineNum?: number;
  Amount: number;
  DetailType: 'SubTotalLineDetail';
  SubTotalLineDetail: Record<string, never>;
}

/** Lines we never write but may read on invoices people made in QuickBooks (details are not used, so not modelled). */
export interface QboOtherLine {
  Id?: string;
  LineNum?: number;
  Amount?: number;
  DetailType: 'DiscountLineDetail' | 'DescriptionOnly' | 'GroupLineDetail';
  Description?: string;
}

export type QboInvoiceLine = QboSalesItemLine | QboSubTotalLine | QboOtherLine;

/** A sales custom field on a transaction; only `StringType` exists in the v3 API. */
export interface QboCustomField {
  DefinitionId: string;
  Name?: string;
  Type: 'StringType';
  StringValue?: string;
}

export type QboEmailStatus = 'NotSet' | 'NeedToSend' | 'EmailSent';

export interface QboLinkedTxn {
  TxnId: string;
  TxnType: string;
}

export interface QboInvoice {
  Id: string;
  SyncToken: string;
  /** The invoice number people see; sequential unless the company uses custom transaction numbers. */
  DocNumber?: string;
  TxnDate: string;
  DueDate?: string;
  CustomerRef: QboRef;
  SalesTermRef?: QboRef;
  Line: QboInvoiceLine[];
  TotalAmt: number;
  /** What is still owed; 0 when paid in full (and on a voided invoice). */
  Balance: number;
  CurrencyRef?: QboRef;
  ExchangeRate?: number;
  /** Internal note (max 4000 chars), never shown to the customer; carries our reference marker. Void prepends "Voided". */
  PrivateNote?: string;
  CustomerMemo?: QboMemoRef;
  CustomField?: QboCustomField[];
  EmailStatus?: QboEmailStatus;
  BillEmail?: QboEmailAddress;
  Deposit?: number;
  /** Non-US companies: whether line amounts include tax. The US API has no such field. */
  GlobalTaxCalculation?: QboGlobalTaxCalculation;
  TxnTaxDetail?: QboTxnTaxDetail;
  LinkedTxn?: QboLinkedTxn[];
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

export type QboGlobalTaxCalculation = 'TaxExcluded' | 'TaxInclusive' | 'NotApplicable';

/** One tax rate's share of an invoice's tax, as QuickBooks works it out (per rate over the whole invoice). */
export interface QboTaxLine {
  Amount: number;
  DetailType: 'TaxLineDetail';
  TaxLineDetail: {
    TaxRateRef: QboRef;
    PercentBased?: boolean;
    TaxPercent?: number;
    NetAmountTaxable?: number;
  };
}

/** The invoice's tax: the total, and per rate for non-US companies. */
export interface QboTxnTaxDetail {
  TxnTaxCodeRef?: QboRef;
  TotalTax?: number;
  TaxLine?: QboTaxLine[];
}

/** A sales line as we send it (QuickBooks numbers the lines itself). */
export interface QboSalesItemLineCreate {
  Amount: number;
  DetailType: 'SalesItemLineDetail';
  Description?: string;
  SalesItemLineDetail: QboSalesItemLineDetail;
}

/** Body of `POST /invoice`. There is no status field: the invoice posts to the books on create. */
export interface QboInvoiceCreate {
  CustomerRef: QboRef;
  TxnDate: string;
  DueDate: string;
  SalesTermRef?: QboRef;
  Line: QboSalesItemLineCreate[];
  /** Non-US companies only: TaxExcluded (tax added to the lines) or TaxInclusive (the lines include it). */
  GlobalTaxCalculation?: QboGlobalTaxCalculation;
  CurrencyRef?: QboRef;
  PrivateNote?: string;
  CustomerMemo?: QboMemoRef;
  CustomField?: QboCustomField[];
  /** The Estimate this invoice converts (`[{ TxnId, TxnType: 'Estimate' }]`): QuickBooks closes the estimate. */
  LinkedTxn?: QboLinkedTxn[];
}

// ---------------------------------------------------------------------------------------------------------------
// Estimate: a non-posting proposal (no effect on accounts receivable) that an Invoice can convert

/** Pending (open), Accepted, Closed (converted into an invoice, or closed by hand), Rejected. */
export type QboEstimateStatus = 'Pending' | 'Accepted' | 'Closed' | 'Rejected';

export interface QboEstimate {
  Id: string;
  SyncToken: string;
  DocNumber?: string;
  TxnDate: string;
  /** The date by which the customer must accept; we set the invoice's planned issue date. */
  ExpirationDate?: string;
  CustomerRef: QboRef;
  SalesTermRef?: QboRef;
  Line: QboInvoiceLine[];
  TotalAmt: number;
  TxnStatus?: QboEstimateStatus;
  CurrencyRef?: QboRef;
  ExchangeRate?: number;
  /** Internal note; carries our estimate reference marker. */
  PrivateNote?: string;
  CustomerMemo?: QboMemoRef;
  CustomField?: QboCustomField[];
  EmailStatus?: QboEmailStatus;
  GlobalTaxCalculation?: QboGlobalTaxCalculation;
  TxnTaxDetail?: QboTxnTaxDetail;
  /** The invoice that converted it, once converted. */
  LinkedTxn?: QboLinkedTxn[];
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/** Body of `POST /estimate` (create). */
export interface QboEstimateCreate {
  CustomerRef: QboRef;
  TxnDate: string;
  ExpirationDate?: string;
  SalesTermRef?: QboRef;
  Line: QboSalesItemLineCreate[];
  GlobalTaxCalculation?: QboGlobalTaxCalculation;
  CurrencyRef?: QboRef;
  PrivateNote?: string;
  CustomerMemo?: QboMemoRef;
  CustomField?: QboCustomField[];
}

/** Body of `POST /estimate?operation=delete`. */
export interface QboDeleteRequest {
  Id: string;
  SyncToken: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Tax setup: read only (TaxCode and TaxRate are created in QuickBooks' own tax centre, not through the API we use)

/** A sales tax code: `TAX` / `NON` under US automated sales tax; elsewhere one id per VAT/GST code with its rates. */
export interface QboTaxCode {
  Id: string;
  SyncToken?: string;
  Name: string;
  Description?: string;
  Active: boolean;
  Taxable?: boolean;
  TaxGroup?: boolean;
  /** The rates applied on sales; a group code (e.g. GST + PST) lists several. */
  SalesTaxRateList?: { TaxRateDetail: QboTaxRateDetail[] };
  PurchaseTaxRateList?: { TaxRateDetail: QboTaxRateDetail[] };
  MetaData?: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

export interface QboTaxRateDetail {
  TaxRateRef: QboRef;
  TaxTypeApplicable?: string;
  TaxOrder?: number;
}

export interface QboTaxRate {
  Id: string;
  SyncToken?: string;
  Name: string;
  Description?: string;
  Active: boolean;
  /** Percent, e.g. 20 for 20%. */
  RateValue?: number;
  AgencyRef?: QboRef;
  SpecialTaxType?: string;
  DisplayType?: string;
  MetaData?: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/** The company: its country decides the tax model (US sales tax vs. VAT/GST codes). */
export interface QboCompanyInfo {
  Id: string;
  SyncToken?: string;
  CompanyName: string;
  LegalName?: string;
  /** ISO 3166-1 alpha-2 as QuickBooks writes it: US, GB, CA, AU, IN, FR… */
  Country: string;
  MetaData?: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/** The part of Preferences that decides how tax is set on invoices. */
export interface QboPreferences {
  Id?: string;
  SyncToken?: string;
  TaxPrefs?: {
    UsingSalesTax?: boolean;
    /** true: US automated sales tax (AST) works the rate out per invoice from the customer's address. */
    PartnerTaxEnabled?: boolean;
    TaxGroupCodeRef?: QboRef;
  };
  MetaData?: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Payment

export interface QboPaymentLine {
  Amount: number;
  LinkedTxn: QboLinkedTxn[];
}

export interface QboPayment {
  Id: string;
  SyncToken: string;
  TxnDate: string;
  TotalAmt: number;
  UnappliedAmt?: number;
  CustomerRef: QboRef;
  CurrencyRef?: QboRef;
  PaymentRefNum?: string;
  PrivateNote?: string;
  Line: QboPaymentLine[];
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// CreditMemo

/**
 * A credit memo: credit owed to the customer, applied to an invoice through a Payment whose lines link both
 * (TxnType 'Invoice' and 'CreditMemo'). Writing off bad debt is a credit memo on a "Bad debt" item applied this way.
 */
export interface QboCreditMemo {
  Id: string;
  SyncToken: string;
  DocNumber?: string;
  TxnDate: string;
  CustomerRef: QboRef;
  Line: QboInvoiceLine[];
  TotalAmt: number;
  /** What has not been applied yet (equal to RemainingCredit). */
  Balance?: number;
  RemainingCredit?: number;
  CurrencyRef?: QboRef;
  PrivateNote?: string;
  CustomerMemo?: QboMemoRef;
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/**
 * A product or service sold on sales forms. Its IncomeAccountRef is the account its lines post to: a "Bad debt"
 * item posts to an expense account of subtype BadDebts, which is what makes its credit memos write-offs.
 */
export interface QboItem {
  Id: string;
  SyncToken: string;
  Name: string;
  FullyQualifiedName?: string;
  Type: 'Service' | 'NonInventory' | 'Inventory' | 'Group' | 'Category';
  Active: boolean;
  IncomeAccountRef?: QboRef;
  ExpenseAccountRef?: QboRef;
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/** An account of the chart of accounts. Bad-debt expense accounts have AccountType Expense, AccountSubType BadDebts. */
export interface QboAccount {
  Id: string;
  SyncToken: string;
  Name: string;
  FullyQualifiedName?: string;
  AccountType: string;
  AccountSubType?: string;
  Classification?: string;
  Active: boolean;
  MetaData: QboMetaData;
  domain?: 'QBO';
  sparse?: boolean;
}

/** What CDC returns for an entity deleted since `changedSince`. */
export interface QboDeletedEntity {
  Id: string;
  status: 'Deleted';
  domain?: 'QBO';
  MetaData: { LastUpdatedTime: string };
}

// ---------------------------------------------------------------------------------------------------------------
// Responses

export interface QboCustomerResponse {
  Customer: QboCustomer;
  time: string;
}
export interface QboTermResponse {
  Term: QboTerm;
  time: string;
}
export interface QboInvoiceResponse {
  Invoice: QboInvoice;
  time: string;
}
export interface QboPaymentResponse {
  Payment: QboPayment;
  time: string;
}
export interface QboEstimateResponse {
  Estimate: QboEstimate;
  time: string;
}
/** The answer to `POST /estimate?operation=delete`. */
export interface QboEstimateDeleteResponse {
  Estimate: { Id: string; status: 'Deleted'; domain?: 'QBO' };
  time: string;
}

/** `GET /query?query=select * from …`: the entity's key is absent when nothing matched. */
export interface QboQueryResponse {
  QueryResponse: {
    Customer?: QboCustomer[];
    Term?: QboTerm[];
    Invoice?: QboInvoice[];
    Estimate?: QboEstimate[];
    Payment?: QboPayment[];
    CreditMemo?: QboCreditMemo[];
    Item?: QboItem[];
    Account?: QboAccount[];
    TaxCode?: QboTaxCode[];
    TaxRate?: QboTaxRate[];
    CompanyInfo?: QboCompanyInfo[];
    Preferences?: QboPreferences[];
    startPosition?: number;
    maxResults?: number;
    totalCount?: number;
  };
  time: string;
}

export interface QboCdcQueryResponse {
  Invoice?: Array<QboInvoice | QboDeletedEntity>;
  Payment?: Array<QboPayment | QboDeletedEntity>;
  Customer?: Array<QboCustomer | QboDeletedEntity>;
  startPosition?: number;
  maxResults?: number;
  totalCount?: number;
}

/** `GET /cdc?entities=Invoice,Payment&changedSince=…` (one QueryResponse per requested entity). */
export interface QboCdcResponse {
  CDCResponse: Array<{ QueryResponse: QboCdcQueryResponse[] }>;
  time: string;
}

export interface QboFaultError {
  Message: string;
  Detail?: string;
  code: string;
  element?: string;
}

/** Error body: `type` is ValidationFault, AuthenticationFault, AuthorizationFault, ThrottlingFault, SystemFault, … */
export interface QboFault {
  Fault: {
    Error: QboFaultError[];
    type: string;
  };
  time?: string;
}

/** The gateway answers 401s in lower case (`fault.error[].message`), unlike every other fault. */
export interface QboGatewayFault {
  fault: {
    error: Array<{ message: string; detail?: string; code: string; element?: string | null }>;
    type: string;
  };
  time?: number | string;
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks

/** One CloudEvents 1.0 notification; a delivery body is a JSON array of these. */
export interface QboCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  /** `qbo.<entity>.<action>.v<n>`, e.g. `qbo.invoice.updated.v1`. */
  type: string;
  datacontenttype?: string;
  time: string;
  intuitentityid: string;
  /** The realm id. */
  intuitaccountid: string;
  data?: Record<string, unknown>;
}

export type QboLegacyOperation = 'Create' | 'Update' | 'Delete' | 'Merge' | 'Void' | 'Emailed';

export interface QboLegacyEntityChange {
  name: string;
  id: string;
  operation: QboLegacyOperation;
  lastUpdated: string;
  deletedId?: string;
}

/** The pre-CloudEvents delivery body, which may still arrive. */
export interface QboLegacyWebhook {
  eventNotifications: Array<{
    realmId: string;
    dataChangeEvent: { entities: QboLegacyEntityChange[] };
  }>;
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth 2.0 (oauth.platform.intuit.com/oauth2/v1/tokens/bearer)

export interface QboTokenResponse {
  token_type: 'bearer';
  access_token: string;
  refresh_token: string;
  /** Seconds; 3600. */
  expires_in: number;
  /** Seconds the refresh token stays valid; up to 100 days. */
  x_refresh_token_expires_in: number;
  id_token?: string;
}

export interface QboOAuthError {
  error: string;
  error_description?: string;
}
