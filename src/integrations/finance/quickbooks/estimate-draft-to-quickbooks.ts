import type { CreatedEstimate, EstimateDraft } from '../port.js';
import { qboToMoney } from './amounts.js';
import { type InvoiceMappingOptions, invoiceDraftToQuickBooks } from './invoice-draft-to-quickbooks.js';
import { withEstimateRef } from './notes-markers.js';
import type { QboEstimate, QboEstimateCreate } from './types.js';

/**
 * Our estimate draft → the body of `POST /estimate`. The lines, tax, currency, terms, PO and memo are mapped (and
 * checked) exactly as for the invoice the estimate becomes, so the estimate shows what will be billed; the
 * estimate is dated the day it is made and expires on the invoice's planned issue date (none for a triggered
 * invoice). Our reference goes into PrivateNote under the estimate marker (see notes-markers.ts).
 * @example estimateDraftToQuickBooks({ …draft, date: '2026-05-15', expirationDate: '2026-06-01' }, { itemRef })
 */
export function estimateDraftToQuickBooks(draft: EstimateDraft, opts: InvoiceMappingOptions): QboEstimateCreate {
  const expires = draft.expirationDate && draft.expirationDate >= draft.date ? draft.expirationDate : undefined;
  const invoice = invoiceDraftToQuickBooks(
    {
      customerId: draft.customerId,
      reference: draft.reference,
      issueDate: draft.date,
      dueDate: expires ?? draft.date,
      currency: draft.currency,
      paymentTerms: draft.paymentTerms,
      ...(draft.poNumber ? { poNumber: draft.poNumber } : {}),
      ...(draft.memo ? { memo: draft.memo } : {}),
      lines: draft.lines,
      status: 'issued',
    },
    opts,
  );
  return {
    CustomerRef: invoice.CustomerRef,
    TxnDate: draft.date,
    ...(expires ? { ExpirationDate: expires } : {}),
    ...(invoice.SalesTermRef ? { SalesTermRef: invoice.SalesTermRef } : {}),
    Line: invoice.Line,
    ...(invoice.GlobalTaxCalculation ? { GlobalTaxCalculation: invoice.GlobalTaxCalculation } : {}),
    ...(invoice.CurrencyRef ? { CurrencyRef: invoice.CurrencyRef } : {}),
    PrivateNote: withEstimateRef(undefined, draft.reference),
    ...(invoice.CustomerMemo ? { CustomerMemo: invoice.CustomerMemo } : {}),
    ...(invoice.CustomField ? { CustomField: invoice.CustomField } : {}),
  };
}

/**
 * The QuickBooks app page of an estimate.
 * @example quickbooksEstimateUrl('https://app.qbo.intuit.com', '41') // 'https://app.qbo.intuit.com/app/estimate?txnId=41'
 */
export function quickbooksEstimateUrl(appUrl: string, estimateId: string): string {
  return `${appUrl.replace(/\/$/, '')}/app/estimate?txnId=${encodeURIComponent(estimateId)}`;
}

/**
 * A QuickBooks Estimate → what we keep of it: Pending and Accepted are `open`, Closed (converted, or closed by
 * hand) `closed`, Rejected `rejected`; the invoice it was converted into from its LinkedTxn.
 * @example quickbooksEstimateToCreated(estimate, { appUrl, homeCurrency: 'USD' }).status // 'open'
 */
export function quickbooksEstimateToCreated(
  estimate: QboEstimate,
  ctx: { appUrl: string; homeCurrency: string },
): CreatedEstimate {
  const status = estimate.TxnStatus === 'Closed' ? 'closed' : estimate.TxnStatus === 'Rejected' ? 'rejected' : 'open';
  const invoiceId = estimate.LinkedTxn?.find((t) => t.TxnType === 'Invoice')?.TxnId;
  return {
    id: estimate.Id,
    ...(invoiceId ? { invoiceId } : {}),
    ...(estimate.DocNumber ? { number: estimate.DocNumber } : {}),
    url: quickbooksEstimateUrl(ctx.appUrl, estimate.Id),
    status,
    total: qboToMoney(estimate.TotalAmt, estimate.CurrencyRef?.value ?? ctx.homeCurrency),
  };
}
