import { z } from 'zod';
import type * as T from './types.js';

/**
 * zod mirrors of types.ts, built twice from one definition:
 * - `strict` rejects unknown keys everywhere: contract tests check every body we send and every sandbox answer with
 *   it, so a field QuickBooks does not know (or a typo) fails a test;
 * - `strip` only requires the keys we rely on and drops the rest: the adapter parses real QuickBooks answers (which
 *   carry many fields we do not model) and webhook deliveries with it.
 * The compile-time checks at the bottom fail the type check when a schema and its type drift apart.
 */
export type SchemaMode = 'strict' | 'strip';

function build(mode: SchemaMode) {
  // Both variants infer the same output type; only the runtime treatment of unknown keys differs.
  const obj = <S extends z.core.$ZodLooseShape>(shape: S) =>
    (mode === 'strict' ? z.strictObject(shape) : z.object(shape)) as unknown as z.ZodObject<S, z.core.$strip>;

  const num = z.number().finite();
  const Ref = obj({ value: z.string().min(1), name: z.string().optional() });
  const EmailAddress = obj({ Address: z.string() });
  const PhysicalAddress = obj({
    Id: z.string().optional(),
    Line1: z.string().optional(),
    Line2: z.string().optional(),
    City: z.string().optional(),
    CountrySubDivisionCode: z.string().optional(),
    PostalCode: z.string().optional(),
    Country: z.string().optional(),
  });
  const MetaData = obj({ CreateTime: z.string(), LastUpdatedTime: z.string() });
  const MemoRef = obj({ value: z.string() });
  const domain = z.literal('QBO').optional();
  const sparse = z.boolean().optional();

  const Customer = obj({
    Id: z.string(),
    SyncToken: z.string(),
    DisplayName: z.string(),
    CompanyName: z.string().optional(),
    GivenName: z.string().optional(),
    FamilyName: z.string().optional(),
    FullyQualifiedName: z.string().optional(),
    PrimaryEmailAddr: EmailAddress.optional(),
    BillAddr: PhysicalAddress.optional(),
    SalesTermRef: Ref.optional(),
    CurrencyRef: Ref.optional(),
    Notes: z.string().optional(),
    Active: z.boolean(),
    Balance: num.optional(),
    MetaData,
    domain,
    sparse,
  });
  const CustomerCreate = obj({
    DisplayName: z.string().min(1),
    CompanyName: z.string().optional(),
    GivenName: z.string().optional(),
    FamilyName: z.string().optional(),
    PrimaryEmailAddr: EmailAddress.optional(),
    BillAddr: PhysicalAddress.optional(),
    SalesTermRef: Ref.optional(),
    CurrencyRef: Ref.optional(),
    Notes: z.string().optional(),
  });
  const CustomerSparseUpdate = obj({
    Id: z.string(),
    SyncToken: z.string(),
    sparse: z.literal(true),
    DisplayName: z.string().min(1).optional(),
    CompanyName: z.string().optional(),
    GivenName: z.string().optional(),
    FamilyName: z.string().optional(),
    PrimaryEmailAddr: EmailAddress.optional(),
    BillAddr: PhysicalAddress.optional(),
    SalesTermRef: Ref.optional(),
    Notes: z.string().optional(),
  });

  const int = z.number().int();
  const Term = obj({
    Id: z.string(),
    SyncToken: z.string(),
    Name: z.string(),
    Active: z.boolean(),
    Type: z.enum(['STANDARD', 'DATE_DRIVEN']),
    DueDays: int.optional(),
    DiscountDays: int.optional(),
    DiscountPercent: num.optional(),
    DayOfMonthDue: int.optional(),
    DueNextMonthDays: int.optional(),
    DiscountDayOfMonth: int.optional(),
    MetaData,
    domain,
    sparse,
  });
  const StandardTermCreate = obj({ Name: z.string().min(1).max(31), DueDays: int.min(0).max(999) });
  const DateDrivenTermCreate = obj({
    Name: z.string().min(1).max(31),
    DayOfMonthDue: int.min(1).max(31),
    DueNextMonthDays: int.min(0).max(999),
    DiscountDayOfMonth: int.min(0).max(31),
  });
  const TermCreate = z.union([StandardTermCreate, DateDrivenTermCreate]);

  const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
  const SalesItemLineDetail = obj({
    ItemRef: Ref,
    Qty: num.optional(),
    UnitPrice: num.optional(),
    TaxCodeRef: Ref.optional(),
    ServiceDate: day.optional(),
  });
  const SalesItemLine = obj({
    Id: z.string().optional(),
    LineNum: int.optional(),
    Amount: num,
    DetailType: z.literal('SalesItemLineDetail'),
    Description: z.string().optional(),
    SalesItemLineDetail,
  });
  const SubTotalLine = obj({
    Id: z.string().optional(),
    LineNum: int.optional(),
    Amount: num,
    DetailType: z.literal('SubTotalLineDetail'),
    SubTotalLineDetail: z.record(z.string(), z.never()),
  });
  const OtherLine = obj({
    Id: z.string().optional(),
    LineNum: int.optional(),
    Amount: num.optional(),
    DetailType: z.enum(['DiscountLineDetail', 'DescriptionOnly', 'GroupLineDetail']),
    Description: z.string().optional(),
  });
  const InvoiceLine = z.discriminatedUnion('DetailType', [SalesItemLine, SubTotalLine, OtherLine]);
  const CustomField = obj({
    DefinitionId: z.string(),
    Name: z.string().optional(),
    Type: z.literal('StringType'),
    StringValue: z.string().optional(),
  });
  const LinkedTxn = obj({ TxnId: z.string(), TxnType: z.string() });
  const TaxLine = obj({
    Amount: num,
    DetailType: z.literal('TaxLineDetail'),
    TaxLineDetail: obj({
      TaxRateRef: Ref,
      PercentBased: z.boolean().optional(),
      TaxPercent: num.optional(),
      NetAmountTaxable: num.optional(),
    }),
  });
  const TxnTaxDetail = obj({
    TxnTaxCodeRef: Ref.optional(),
    TotalTax: num.optional(),
    TaxLine: z.array(TaxLine).optional(),
  });
  const GlobalTaxCalculation = z.enum(['TaxExcluded', 'TaxInclusive', 'NotApplicable']);
  const TaxRateDetail = obj({ TaxRateRef: Ref, TaxTypeApplicable: z.string().optional(), TaxOrder: int.optional() });
  const TaxCode = obj({
    Id: z.string(),
    SyncToken: z.string().optional(),
    Name: z.string(),
    Description: z.string().optional(),
    Active: z.boolean(),
    Taxable: z.boolean().optional(),
    TaxGroup: z.boolean().optional(),
    SalesTaxRateList: obj({ TaxRateDetail: z.array(TaxRateDetail) }).optional(),
    PurchaseTaxRateList: obj({ TaxRateDetail: z.array(TaxRateDetail) }).optional(),
    MetaData: MetaData.optional(),
    domain,
    sparse,
  });
  const TaxRate = obj({
    Id: z.string(),
    SyncToken: z.string().optional(),
    Name: z.string(),
    Description: z.string().optional(),
    Active: z.boolean(),
    RateValue: num.optional(),
    AgencyRef: Ref.optional(),
    SpecialTaxType: z.string().optional(),
    DisplayType: z.string().optional(),
    MetaData: MetaData.optional(),
    domain,
    sparse,
  });
  const CompanyInfo = obj({
    Id: z.string(),
    SyncToken: z.string().optional(),
    CompanyName: z.string(),
    LegalName: z.string().optional(),
    Country: z.string(),
    MetaData: MetaData.optional(),
    domain,
    sparse,
  });
  const Preferences = obj({
    Id: z.string().optional(),
    SyncToken: z.string().optional(),
    TaxPrefs: obj({
      UsingSalesTax: z.boolean().optional(),
      PartnerTaxEnabled: z.boolean().optional(),
      TaxGroupCodeRef: Ref.optional(),
    }).optional(),
    MetaData: MetaData.optional(),
    domain,
    sparse,
  });
  const Invoice = obj({
    Id: z.string(),
    SyncToken: z.string(),
    DocNumber: z.string().optional(),
    TxnDate: day,
    DueDate: day.optional(),
    CustomerRef: Ref,
    SalesTermRef: Ref.optional(),
    Line: z.array(InvoiceLine),
    TotalAmt: num,
    Balance: num,
    CurrencyRef: Ref.optional(),
    ExchangeRate: num.optional(),
    PrivateNote: z.string().optional(),
    CustomerMemo: MemoRef.optional(),
    CustomField: z.array(CustomField).optional(),
    EmailStatus: z.enum(['NotSet', 'NeedToSend', 'EmailSent']).optional(),
    BillEmail: EmailAddress.optional(),
    Deposit: num.optional(),
    GlobalTaxCalculation: GlobalTaxCalculation.optional(),
    TxnTaxDetail: TxnTaxDetail.optional(),
    LinkedTxn: z.array(LinkedTxn).optional(),
    MetaData,
    domain,
    sparse,
  });
  const SalesItemLineCreate = obj({
    Amount: num,
    DetailType: z.literal('SalesItemLineDetail'),
    Description: z.string().max(4000).optional(),
    SalesItemLineDetail,
  });
  const InvoiceCreate = obj({
    CustomerRef: Ref,
    TxnDate: day,
    DueDate: day,
    SalesTermRef: Ref.optional(),
    Line: z.array(SalesItemLineCreate).min(1),
    GlobalTaxCalculation: GlobalTaxCalculation.optional(),
    CurrencyRef: Ref.optional(),
    PrivateNote: z.string().max(4000).optional(),
    CustomerMemo: MemoRef.optional(),
    CustomField: z.array(CustomField).optional(),
    LinkedTxn: z.array(LinkedTxn).optional(),
  });
  const Estimate = obj({
    Id: z.string(),
    SyncToken: z.string(),
    DocNumber: z.string().optional(),
    TxnDate: day,
    ExpirationDate: day.optional(),
    CustomerRef: Ref,
    SalesTermRef: Ref.optional(),
    Line: z.array(InvoiceLine),
    TotalAmt: num,
    TxnStatus: z.enum(['Pending', 'Accepted', 'Closed', 'Rejected']).optional(),
    CurrencyRef: Ref.optional(),
    ExchangeRate: num.optional(),
    PrivateNote: z.string().optional(),
    CustomerMemo: MemoRef.optional(),
    CustomField: z.array(CustomField).optional(),
    EmailStatus: z.enum(['NotSet', 'NeedToSend', 'EmailSent']).optional(),
    GlobalTaxCalculation: GlobalTaxCalculation.optional(),
    TxnTaxDetail: TxnTaxDetail.optional(),
    LinkedTxn: z.array(LinkedTxn).optional(),
    MetaData,
    domain,
    sparse,
  });
  const EstimateCreate = obj({
    CustomerRef: Ref,
    TxnDate: day,
    ExpirationDate: day.optional(),
    SalesTermRef: Ref.optional(),
    Line: z.array(SalesItemLineCreate).min(1),
    GlobalTaxCalculation: GlobalTaxCalculation.optional(),
    CurrencyRef: Ref.optional(),
    PrivateNote: z.string().max(4000).optional(),
    CustomerMemo: MemoRef.optional(),
    CustomField: z.array(CustomField).optional(),
  });
  const DeleteRequest = obj({ Id: z.string().min(1), SyncToken: z.string().min(1) });

  const PaymentLine = obj({ Amount: num, LinkedTxn: z.array(LinkedTxn) });
  const Payment = obj({
    Id: z.string(),
    SyncToken: z.string(),
    TxnDate: day,
    TotalAmt: num,
    UnappliedAmt: num.optional(),
    CustomerRef: Ref,
    CurrencyRef: Ref.optional(),
    PaymentRefNum: z.string().optional(),
    PrivateNote: z.string().optional(),
    Line: z.array(PaymentLine),
    MetaData,
    domain,
    sparse,
  });
  const CreditMemo = obj({
    Id: z.string(),
    SyncToken: z.string(),
    DocNumber: z.string().optional(),
    TxnDate: day,
    CustomerRef: Ref,
    Line: z.array(InvoiceLine),
    TotalAmt: num,
    Balance: num.optional(),
    RemainingCredit: num.optional(),
    CurrencyRef: Ref.optional(),
    PrivateNote: z.string().optional(),
    CustomerMemo: MemoRef.optional(),
    MetaData,
    domain,
    sparse,
  });
  const Item = obj({
    Id: z.string(),
    SyncToken: z.string(),
    Name: z.string(),
    FullyQualifiedName: z.string().optional(),
    Type: z.enum(['Service', 'NonInventory', 'Inventory', 'Group', 'Category']),
    Active: z.boolean(),
    IncomeAccountRef: Ref.optional(),
    ExpenseAccountRef: Ref.optional(),
    MetaData,
    domain,
    sparse,
  });
  const Account = obj({
    Id: z.string(),
    SyncToken: z.string(),
    Name: z.string(),
    FullyQualifiedName: z.string().optional(),
    AccountType: z.string().min(1),
    AccountSubType: z.string().optional(),
    Classification: z.string().optional(),
    Active: z.boolean(),
    MetaData,
    domain,
    sparse,
  });
  const DeletedEntity = obj({
    Id: z.string(),
    status: z.literal('Deleted'),
    domain,
    MetaData: obj({ LastUpdatedTime: z.string() }),
  });

  const CustomerResponse = obj({ Customer, time: z.string() });
  const TermResponse = obj({ Term, time: z.string() });
  const InvoiceResponse = obj({ Invoice, time: z.string() });
  const PaymentResponse = obj({ Payment, time: z.string() });
  const EstimateResponse = obj({ Estimate, time: z.string() });
  const EstimateDeleteResponse = obj({
    Estimate: obj({ Id: z.string(), status: z.literal('Deleted'), domain }),
    time: z.string(),
  });
  const page = {
    startPosition: int.optional(),
    maxResults: int.optional(),
    totalCount: int.optional(),
  };
  const QueryResponseBody = obj({
    Customer: z.array(Customer).optional(),
    Term: z.array(Term).optional(),
    Invoice: z.array(Invoice).optional(),
    Estimate: z.array(Estimate).optional(),
    Payment: z.array(Payment).optional(),
    CreditMemo: z.array(CreditMemo).optional(),
    Item: z.array(Item).optional(),
    Account: z.array(Account).optional(),
    TaxCode: z.array(TaxCode).optional(),
    TaxRate: z.array(TaxRate).optional(),
    CompanyInfo: z.array(CompanyInfo).optional(),
    Preferences: z.array(Preferences).optional(),
    ...page,
  });
  const QueryResponse = obj({ QueryResponse: QueryResponseBody, time: z.string() });
  const CdcQueryResponse = obj({
    Invoice: z.array(z.union([Invoice, DeletedEntity])).optional(),
    Payment: z.array(z.union([Payment, DeletedEntity])).optional(),
    Customer: z.array(z.union([Customer, DeletedEntity])).optional(),
    ...page,
  });
  const CdcResponse = obj({
    CDCResponse: z.array(obj({ QueryResponse: z.array(CdcQueryResponse) })),
    time: z.string(),
  });

  const FaultError = obj({
    Message: z.string(),
    Detail: z.string().optional(),
    code: z.string(),
    element: z.string().optional(),
  });
  const Fault = obj({ Fault: obj({ Error: z.array(FaultError), type: z.string() }), time: z.string().optional() });
  const GatewayFault = obj({
    fault: obj({
      error: z.array(
        obj({
          message: z.string(),
          detail: z.string().optional(),
          code: z.string(),
          element: z.string().nullable().optional(),
        }),
      ),
      type: z.string(),
    }),
    time: z.union([z.number(), z.string()]).optional(),
  });

  const CloudEvent = obj({
    specversion: z.literal('1.0'),
    id: z.string().min(1),
    source: z.string(),
    type: z.string().min(1),
    datacontenttype: z.string().optional(),
    time: z.string(),
    intuitentityid: z.string().min(1),
    intuitaccountid: z.string().min(1),
    data: z.record(z.string(), z.unknown()).optional(),
  });
  const CloudEventBatch = z.array(CloudEvent);
  const LegacyEntityChange = obj({
    name: z.string().min(1),
    id: z.string().min(1),
    operation: z.enum(['Create', 'Update', 'Delete', 'Merge', 'Void', 'Emailed']),
    lastUpdated: z.string(),
    deletedId: z.string().optional(),
  });
  const LegacyWebhook = obj({
    eventNotifications: z.array(
      obj({
        realmId: z.string().min(1),
        dataChangeEvent: obj({ entities: z.array(LegacyEntityChange) }),
      }),
    ),
  });

  const TokenResponse = obj({
    token_type: z.literal('bearer'),
    access_token: z.string().min(1),
    refresh_token: z.string().min(1),
    expires_in: z.number().positive(),
    x_refresh_token_expires_in: z.number().positive(),
    id_token: z.string().optional(),
  });
  const OAuthError = obj({ error: z.string(), error_description: z.string().optional() });

  return {
    Ref,
    PhysicalAddress,
    Customer,
    CustomerCreate,
    CustomerSparseUpdate,
    Term,
    StandardTermCreate,
    DateDrivenTermCreate,
    TermCreate,
    SalesItemLine,
    SubTotalLine,
    OtherLine,
    InvoiceLine,
    CustomField,
    Invoice,
    SalesItemLineCreate,
    InvoiceCreate,
    Estimate,
    EstimateCreate,
    DeleteRequest,
    TaxLine,
    TaxCode,
    TaxRate,
    CompanyInfo,
    Preferences,
    Payment,
    CreditMemo,
    Item,
    Account,
    DeletedEntity,
    CustomerResponse,
    TermResponse,
    InvoiceResponse,
    PaymentResponse,
    EstimateResponse,
    EstimateDeleteResponse,
    QueryResponse,
    CdcQueryResponse,
    CdcResponse,
    Fault,
    GatewayFault,
    CloudEvent,
    CloudEventBatch,
    LegacyWebhook,
    TokenResponse,
    OAuthError,
  };
}

/** Rejects unknown keys: for what we send, and for what our own sandbox answers. */
export const QBO_STRICT = build('strict');
/** Requires what we rely on and drops the rest: for what QuickBooks (or a webhook delivery) sends us. */
export const QBO_LENIENT = build('strip');

// ---------------------------------------------------------------------------------------------------------------
// Compile-time drift checks: each line fails `tsc` when the schema's output and the type in types.ts differ in any
// key name, optionality or value type.

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
type Expect<V extends true> = V;
type S = typeof QBO_STRICT;
type Out<K extends keyof S> = z.output<S[K]>;

export type SchemaDriftChecks = [
  Expect<Equals<Out<'Ref'>, T.QboRef>>,
  Expect<Equals<Out<'PhysicalAddress'>, T.QboPhysicalAddress>>,
  Expect<Equals<Out<'Customer'>, T.QboCustomer>>,
  Expect<Equals<Out<'CustomerCreate'>, T.QboCustomerCreate>>,
  Expect<Equals<Out<'CustomerSparseUpdate'>, T.QboCustomerSparseUpdate>>,
  Expect<Equals<Out<'Term'>, T.QboTerm>>,
  Expect<Equals<Out<'StandardTermCreate'>, T.QboStandardTermCreate>>,
  Expect<Equals<Out<'DateDrivenTermCreate'>, T.QboDateDrivenTermCreate>>,
  Expect<Equals<Out<'SalesItemLine'>, T.QboSalesItemLine>>,
  Expect<Equals<Out<'SubTotalLine'>, T.QboSubTotalLine>>,
  Expect<Equals<Out<'OtherLine'>, T.QboOtherLine>>,
  Expect<Equals<Out<'CustomField'>, T.QboCustomField>>,
  Expect<Equals<Out<'Invoice'>, T.QboInvoice>>,
  Expect<Equals<Out<'SalesItemLineCreate'>, T.QboSalesItemLineCreate>>,
  Expect<Equals<Out<'InvoiceCreate'>, T.QboInvoiceCreate>>,
  Expect<Equals<Out<'Estimate'>, T.QboEstimate>>,
  Expect<Equals<Out<'EstimateCreate'>, T.QboEstimateCreate>>,
  Expect<Equals<Out<'DeleteRequest'>, T.QboDeleteRequest>>,
  Expect<Equals<Out<'EstimateResponse'>, T.QboEstimateResponse>>,
  Expect<Equals<Out<'EstimateDeleteResponse'>, T.QboEstimateDeleteResponse>>,
  Expect<Equals<Out<'TaxLine'>, T.QboTaxLine>>,
  Expect<Equals<Out<'TaxCode'>, T.QboTaxCode>>,
  Expect<Equals<Out<'TaxRate'>, T.QboTaxRate>>,
  Expect<Equals<Out<'CompanyInfo'>, T.QboCompanyInfo>>,
  Expect<Equals<Out<'Preferences'>, T.QboPreferences>>,
  Expect<Equals<Out<'Payment'>, T.QboPayment>>,
  Expect<Equals<Out<'CreditMemo'>, T.QboCreditMemo>>,
  Expect<Equals<Out<'Item'>, T.QboItem>>,
  Expect<Equals<Out<'Account'>, T.QboAccount>>,
  Expect<Equals<Out<'DeletedEntity'>, T.QboDeletedEntity>>,
  Expect<Equals<Out<'CustomerResponse'>, T.QboCustomerResponse>>,
  Expect<Equals<Out<'TermResponse'>, T.QboTermResponse>>,
  Expect<Equals<Out<'InvoiceResponse'>, T.QboInvoiceResponse>>,
  Expect<Equals<Out<'PaymentResponse'>, T.QboPaymentResponse>>,
  Expect<Equals<Out<'QueryResponse'>, T.QboQueryResponse>>,
  Expect<Equals<Out<'CdcQueryResponse'>, T.QboCdcQueryResponse>>,
  Expect<Equals<Out<'CdcResponse'>, T.QboCdcResponse>>,
  Expect<Equals<Out<'Fault'>, T.QboFault>>,
  Expect<Equals<Out<'GatewayFault'>, T.QboGatewayFault>>,
  Expect<Equals<Out<'CloudEvent'>, T.QboCloudEvent>>,
  Expect<Equals<Out<'LegacyWebhook'>, T.QboLegacyWebhook>>,
  Expect<Equals<Out<'TokenResponse'>, T.QboTokenResponse>>,
  Expect<Equals<Out<'OAuthError'>, T.QboOAuthError>>,
];
