import type { BooksTaxSetup } from '../../../billing/capabilities.js';
import { QUICKBOOKS_CAPABILITIES } from '../../../billing/vendor-capabilities.js';
import { type InvoiceSnapshot, InvoiceSnapshotSchema } from '../../../receivables/invoice.js';
import {
  type CreatedEstimate,
  type CreatedInvoice,
  type CustomerDraft,
  type EstimateDraft,
  type FinanceCustomer,
  FinanceError,
  type FinanceSystem,
  type InvoiceDraft,
} from '../port.js';
import { createQuickBooksClient, type EntityOf, type QuickBooksClientOptions } from './client.js';
import { customerDraftToQuickBooks, customerDraftToQuickBooksUpdate } from './customer-draft-to-quickbooks.js';
import { estimateDraftToQuickBooks, quickbooksEstimateToCreated } from './estimate-draft-to-quickbooks.js';
import {
  type InvoiceMappingOptions,
  invoiceDraftToQuickBooks,
  NO_DRAFTS_MESSAGE,
} from './invoice-draft-to-quickbooks.js';
import { customerRefFromNotes, estimateRefFromNote, invoiceRefFromNote } from './notes-markers.js';
import { quickBooksFaultCodes } from './parse-quickbooks-error.js';
import { paymentTermsToQuickBooks } from './payment-terms-to-quickbooks.js';
import { type QboQueryEntity, qboEquals, qboString } from './query.js';
import { quickbooksCustomerToCustomer, quickbooksCustomerUrl } from './quickbooks-customer-to-customer.js';
import {
  type InvoiceSnapshotContext,
  isBadDebtAccount,
  isVoidedQuickBooksInvoice,
  itemsToCheck,
  quickbooksInvoiceToCreated,
  quickbooksInvoiceToSnapshot,
} from './quickbooks-invoice-to-snapshot.js';
import { quickbooksTaxToTaxSetup } from './quickbooks-tax-to-tax-setup.js';
import { quickbooksTermToPaymentTerms } from './quickbooks-term-to-payment-terms.js';
import { QBO_LENIENT } from './schemas.js';
import type { QboCreditMemo, QboCustomer, QboDeletedEntity, QboInvoice, QboPayment, QboRef, QboTerm } from './types.js';

export interface QuickBooksFinanceSystemOptions extends QuickBooksClientOptions {
  /** The QuickBooks web app for deep links; derived from baseUrl (sandbox API → sandbox app) when left out. */
  appUrl?: string;
  /** Currency of invoices and customers without CurrencyRef (single-currency companies). Default USD. */
  homeCurrency?: string;
  /** Product/service booked on every invoice line. Default Id 1 ("Services" in a new company). */
  itemRef?: QboRef;
  /** Sales-form custom field for the PO number (Settings → Sales → Custom fields); without it the PO goes into CustomerMemo. */
  poCustomField?: { definitionId: string; name?: string };
  /** Pages of 1000 customers scanned for an external reference before giving up. Default 100 (100,000 customers). */
  maxCustomerScanPages?: number;
  now?: () => Date;
}

/** CDC looks back at most 30 days; older sweeps use the query endpoint (with an hour's margin for clock skew). */
const CDC_LOOKBACK_MS = 30 * 24 * 3600 * 1000 - 3600 * 1000;
/** CDC answers at most 1000 objects; a full answer may be cut short, so we fall back to paged queries. */
const CDC_MAX_OBJECTS = 1000;

function appUrlFor(baseUrl: string | undefined): string {
  return baseUrl?.includes('sandbox-quickbooks.api.intuit.com')
    ? 'https://app.sandbox.qbo.intuit.com'
    : 'https://app.qbo.intuit.com';
}

function isDeleted<E extends object>(row: E | QboDeletedEntity): row is QboDeletedEntity {
  return (row as QboDeletedEntity).status === 'Deleted';
}

function sameText(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The QuickBooks Online adapter of the FinanceSystem port.
 *
 * Where our identifiers live (see notes-markers.ts): the customer's external reference in `Customer.Notes`, the
 * invoice reference in `Invoice.PrivateNote` (an estimate's in `Estimate.PrivateNote`), the PO in a sales custom field. Every write carries `requestid` =
 * the caller's idempotency key, so a retried create returns the first answer instead of creating twice.
 * The adapter never retries on its own (retry policy lives in src/jobs) except once on a stale SyncToken.
 * @example const qbo = createQuickBooksFinanceSystem({ realmId, accessToken: () => tokens.get(realmId) });
 */
export function createQuickBooksFinanceSystem(options: QuickBooksFinanceSystemOptions): FinanceSystem {
  const client = createQuickBooksClient(options);
  const appUrl = options.appUrl ?? appUrlFor(options.baseUrl);
  const homeCurrency = options.homeCurrency ?? 'USD';
  const itemRef: QboRef = options.itemRef ?? { value: '1', name: 'Services' };
  const maxScanPages = options.maxCustomerScanPages ?? 100;
  const snapshotCtx = {
    homeCurrency,
    appUrl,
    ...(options.poCustomField ? { poCustomField: options.poCustomField } : {}),
  };
  const now = options.now ?? (() => new Date());

  // Term list: small and rarely changed, so cached per adapter instance and reloaded when an id or code is missing.
  let terms: Map<string, QboTerm> | undefined;
  async function loadTerms(): Promise<Map<string, QboTerm>> {
    const rows = await client.queryAll('Term', []);
    terms = new Map(rows.map((t) => [t.Id, t]));
    return terms;
  }
  async function termsFor(customers: QboCustomer[]): Promise<Map<string, QboTerm>> {
    const known = terms ?? (await loadTerms());
    const missing = customers.some((c) => c.SalesTermRef && !known.has(c.SalesTermRef.value));
    return missing ? loadTerms() : known;
  }
  function findTerm(list: Map<string, QboTerm>, code: string): QboTerm | undefined {
    return [...list.values()].find((t) => t.Active && quickbooksTermToPaymentTerms(t) === code);
  }

  async function toCustomer(c: QboCustomer): Promise<FinanceCustomer> {
    return quickbooksCustomerToCustomer(c, { appUrl, terms: await termsFor([c]) });
  }

  async function getCustomer(id: string): Promise<QboCustomer | null> {
    try {
      return (await client.call('GET', `customer/${encodeURIComponent(id)}`, QBO_LENIENT.CustomerResponse)).Customer;
    } catch (e) {
      if (e instanceof FinanceError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  const byEmail = (email: string) => client.queryPage('Customer', [qboEquals('PrimaryEmailAddr', email.trim())]);
  async function byName(name: string): Promise<QboCustomer[]> {
    const display = await client.queryPage('Customer', [qboEquals('DisplayName', name.trim())]);
    if (display.length > 0) return display;
    return client.queryPage('Customer', [qboEquals('CompanyName', name.trim())]);
  }

  /** Oldest first, so that repeated lookups pick the same customer among equals. */
  const oldestFirst = (a: QboCustomer, b: QboCustomer) => Number(a.Id) - Number(b.Id) || a.Id.localeCompare(b.Id);

  async function ensureTerm(code: string, idempotencyKey: string): Promise<QboTerm> {
    const body = paymentTermsToQuickBooks(code); // validates the code before any call
    const cached = terms && findTerm(terms, code);
    if (cached) return cached;
    const found = findTerm(await loadTerms(), code);
    if (found) return found;
    try {
      const created = (await client.call('POST', 'term', QBO_LENIENT.TermResponse, { body, idempotencyKey })).Term;
      terms?.set(created.Id, created);
      return created;
    } catch (e) {
      if (!quickBooksFaultCodes(e).includes('6240')) throw e;
      // Someone created it in the meantime, or a term already has this name with other days.
      const again = findTerm(await loadTerms(), code);
      if (again) return again;
      throw new FinanceError(
        'quickbooks',
        'conflict',
        `QuickBooks already has a payment term named "${body.Name}" that does not mean ${code} (or it is inactive); rename or reactivate it in QuickBooks`,
        { cause: e },
      );
    }
  }

  // The company's tax setup: read once per adapter (a billing run), four small reads.
  let taxSetup: Promise<BooksTaxSetup> | undefined;
  function loadTaxSetup(): Promise<BooksTaxSetup> {
    taxSetup ??= (async () => {
      const [company, preferences, codes, rates] = await Promise.all([
        client.queryPage('CompanyInfo', []),
        client.queryPage('Preferences', []),
        client.queryAll('TaxCode', []),
        client.queryAll('TaxRate', []),
      ]);
      const info = company[0];
      if (!info) throw new FinanceError('quickbooks', 'unknown', 'QuickBooks returned no CompanyInfo for this company');
      return quickbooksTaxToTaxSetup(info, preferences[0], codes, rates);
    })().catch((e: unknown) => {
      taxSetup = undefined;
      throw e;
    });
    return taxSetup;
  }

  async function salesTermRef(code: string, idempotencyKey: string): Promise<QboRef> {
    const term = await ensureTerm(code, `${idempotencyKey}:terms`);
    return { value: term.Id, name: term.Name };
  }

  async function paymentsWhere(where: string[]): Promise<QboPayment[]> {
    return client.queryAll('Payment', where);
  }

  /** The payments linked to invoices at Balance 0 that `known` lacks, read by id (100 ids a query). */
  async function paymentsClosing(invoices: readonly QboInvoice[], known: readonly QboPayment[]): Promise<QboPayment[]> {
    const have = new Set(known.map((p) => p.Id));
    const missing = new Set<string>();
    for (const inv of invoices) {
      if (inv.Balance !== 0 || isVoidedQuickBooksInvoice(inv)) continue;
      for (const t of inv.LinkedTxn ?? []) if (t.TxnType === 'Payment' && !have.has(t.TxnId)) missing.add(t.TxnId);
    }
    return byIds('Payment', [...missing]);
  }

  /** Rows of `entity` by id, 100 ids a query, one query after the other (QuickBooks allows 10 at once per company). */
  async function byIds<E extends QboQueryEntity>(
    entity: E,
    ids: readonly string[],
    where: string[] = [],
  ): Promise<Array<EntityOf<E>>> {
    const out: Array<EntityOf<E>> = [];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      out.push(...(await client.queryAll(entity, [`Id IN (${chunk.map(qboString).join(', ')})`, ...where])));
    }
    return out;
  }

  /**
   * The credit memos the payments apply to invoices, so that a bad-debt write-off is not read as a payment: read by
   * the ids the payments link (100 a query; none when no payment links one).
   */
  async function creditMemosApplied(payments: readonly QboPayment[]): Promise<QboCreditMemo[]> {
    const ids = new Set<string>();
    for (const p of payments) {
      for (const l of p.Line) for (const t of l.LinkedTxn) if (t.TxnType === 'CreditMemo') ids.add(t.TxnId);
    }
    return byIds('CreditMemo', [...ids]);
  }

  /** Whether each item (by id) posts to a bad-debt account, as read by this adapter instance (one job's worth). */
  const itemVerdicts = new Map<string, boolean>();

  /**
   * The items of the credit memos that are booked to a bad-debt account though not named so (an item "Uncollectible"
   * on the Bad debts expense account): the items this instance has not read yet in one Item query, then their
   * income accounts in one Account query — none when every item is named bad debt or already read. Inactive items
   * and accounts count too (a write-off item made inactive later still wrote the invoice off).
   */
  async function badDebtItemsOf(memos: readonly QboCreditMemo[]): Promise<Set<string>> {
    const ids = itemsToCheck(memos);
    const unknown = ids.filter((id) => !itemVerdicts.has(id));
    if (unknown.length > 0) {
      const everyState = ['Active IN (true, false)'];
      const items = await byIds('Item', unknown, everyState);
      const accountIds = [...new Set(items.flatMap((i) => (i.IncomeAccountRef ? [i.IncomeAccountRef.value] : [])))];
      const accounts = accountIds.length > 0 ? await byIds('Account', accountIds, everyState) : [];
      const badDebtAccounts = new Set(accounts.filter(isBadDebtAccount).map((a) => a.Id));
      const incomeAccount = new Map(items.map((i) => [i.Id, i.IncomeAccountRef?.value]));
      for (const id of unknown) {
        const account = incomeAccount.get(id);
        itemVerdicts.set(id, account !== undefined && badDebtAccounts.has(account));
      }
    }
    return new Set(ids.filter((id) => itemVerdicts.get(id)));
  }

  /** Snapshots of `invoices` with what the payments tell: payments, and write-offs told from ordinary credits. */
  async function settledSnapshots(
    invoices: QboInvoice[],
    payments: QboPayment[],
    paymentsComplete: boolean,
  ): Promise<InvoiceSnapshot[]> {
    const creditMemos = await creditMemosApplied(payments);
    const badDebtItems = creditMemos.length > 0 ? await badDebtItemsOf(creditMemos) : new Set<string>();
    return snapshots(invoices, { ...snapshotCtx, payments, paymentsComplete, creditMemos, badDebtItems });
  }

  function snapshots(invoices: QboInvoice[], ctx: InvoiceSnapshotContext): InvoiceSnapshot[] {
    return invoices.map((inv) => {
      const snap = quickbooksInvoiceToSnapshot(inv, ctx);
      const checked = InvoiceSnapshotSchema.safeParse(snap);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new FinanceError(
          'quickbooks',
          'unknown',
          `QuickBooks invoice ${inv.DocNumber ?? inv.Id} cannot be read as a snapshot: ${issue?.path.join('.')} ${issue?.message}`,
          { cause: checked.error },
        );
      }
      return checked.data;
    });
  }

  async function listByQuery(where: string[], paymentsComplete: boolean): Promise<InvoiceSnapshot[]> {
    const [invoices, payments] = await Promise.all([client.queryAll('Invoice', where), paymentsWhere(where)]);
    return settledSnapshots(invoices, payments, paymentsComplete);
  }

  async function listByCdc(changedSince: Date): Promise<InvoiceSnapshot[] | null> {
    const res = await client.call('GET', 'cdc', QBO_LENIENT.CdcResponse, {
      params: { entities: 'Invoice,Payment', changedSince: changedSince.toISOString() },
    });
    const invoices: QboInvoice[] = [];
    const payments: QboPayment[] = [];
    let objects = 0;
    for (const cdc of res.CDCResponse) {
      for (const qr of cdc.QueryResponse) {
        for (const row of qr.Invoice ?? []) {
          objects++;
          if (!isDeleted(row)) invoices.push(row);
        }
        for (const row of qr.Payment ?? []) {
          objects++;
          if (!isDeleted(row)) payments.push(row);
        }
      }
    }
    if (objects >= CDC_MAX_OBJECTS) return null;
    // Payments changed in the window are not all of an invoice's payments: paidOn yes, the payment list no. A closed
    // invoice changed again later (an edit, a reminder) comes without the payment that closed it: that one is read
    // by id, so a write-off does not turn into a payment.
    payments.push(...(await paymentsClosing(invoices, payments)));
    return settledSnapshots(invoices, payments, false);
  }

  /**
   * The body of an invoice or estimate: lines with tax are checked against the company's codes before anything is
   * written (the payment terms may be created), then mapped with the terms, the item and the PO field.
   */
  async function salesFormBody<D extends { lines: InvoiceDraft['lines']; paymentTerms: string }, B>(
    draft: D,
    idempotencyKey: string,
    toBody: (draft: D, opts: InvoiceMappingOptions) => B,
  ): Promise<B> {
    const tax = draft.lines.some((l) => l.tax) ? await loadTaxSetup() : undefined;
    if (tax) toBody(draft, { itemRef, tax });
    const termRef = await salesTermRef(draft.paymentTerms, idempotencyKey);
    return toBody(draft, {
      salesTermRef: termRef,
      itemRef,
      ...(tax ? { tax } : {}),
      ...(options.poCustomField ? { poCustomField: options.poCustomField } : {}),
    });
  }

  const system: FinanceSystem = {
    id: 'quickbooks',
    capabilities: QUICKBOOKS_CAPABILITIES,

    async findCustomer(query) {
      if (query.id) {
        const c = await getCustomer(query.id);
        if (c) return toCustomer(c);
      }
      const ref = query.externalRef?.trim();
      // A customer that carries another company's reference is someone else's, whatever its email or name.
      const free = (c: QboCustomer) => {
        const theirs = customerRefFromNotes(c.Notes);
        return !ref || theirs === undefined || theirs === ref;
      };
      const emailHits = query.email ? (await byEmail(query.email)).sort(oldestFirst) : [];
      const nameHits = query.legalName ? (await byName(query.legalName)).sort(oldestFirst) : [];
      if (ref) {
        const cheap = [...emailHits, ...nameHits].find((c) => customerRefFromNotes(c.Notes) === ref);
        if (cheap) return toCustomer(cheap);
        // Notes cannot be filtered in a query: scan the active customers page by page for our marker.
        const scanned = await client.queryFind(
          'Customer',
          [],
          (c) => (customerRefFromNotes(c.Notes) === ref ? c : undefined),
          maxScanPages,
        );
        if (scanned) return toCustomer(scanned);
      }
      const email = emailHits.filter(free);
      if (email.length > 0) {
        const sameName = email.find(
          (c) => sameText(c.CompanyName, query.legalName) || sameText(c.DisplayName, query.legalName),
        );
        return toCustomer(sameName ?? (email[0] as QboCustomer));
      }
      const named = nameHits.filter(free);
      if (named.length > 0) return toCustomer(named[0] as QboCustomer);
      return null;
    },

    async createCustomer(draft: CustomerDraft, idempotencyKey: string) {
      const termRef = await salesTermRef(draft.paymentTerms, idempotencyKey);
      const body = customerDraftToQuickBooks(draft, { salesTermRef: termRef });
      try {
        const res = await client.call('POST', 'customer', QBO_LENIENT.CustomerResponse, { body, idempotencyKey });
        return toCustomer(res.Customer);
      } catch (e) {
        if (!quickBooksFaultCodes(e).includes('6240')) throw e;
        // 6240: the DisplayName is taken. If the holder is the customer we created before (our marker in Notes:
        // a retry after Intuit forgot the requestid), it is ours; anything else is a person's decision.
        const holder = (await byName(draft.legalName)).find((c) => sameText(c.DisplayName, draft.legalName));
        if (holder && customerRefFromNotes(holder.Notes) === draft.externalRef.trim()) return toCustomer(holder);
        const message = holder
          ? `QuickBooks already has a customer named "${holder.DisplayName}" (id ${holder.Id}) that is not linked to ${draft.externalRef}: link that customer by id or rename one of them`
          : `the name "${draft.legalName}" is taken in QuickBooks by a vendor, an employee or an inactive customer (names are unique across all three): rename one of them`;
        throw new FinanceError('quickbooks', 'conflict', message, { status: 400, cause: e });
      }
    },

    async updateCustomer(id: string, draft: CustomerDraft, idempotencyKey: string) {
      const termRef = await salesTermRef(draft.paymentTerms, idempotencyKey);
      const write = async (key: string) => {
        const current = await getCustomer(id);
        if (!current) throw new FinanceError('quickbooks', 'not_found', `QuickBooks has no customer ${id}`);
        const body = customerDraftToQuickBooksUpdate(current, draft, { salesTermRef: termRef });
        return (await client.call('POST', 'customer', QBO_LENIENT.CustomerResponse, { body, idempotencyKey: key }))
          .Customer;
      };
      try {
        return await toCustomer(await write(idempotencyKey));
      } catch (e) {
        // 5010: someone edited the customer between our read and write; read again once, under a derived key.
        if (quickBooksFaultCodes(e).includes('5010')) return toCustomer(await write(`${idempotencyKey}:stale`));
        if (quickBooksFaultCodes(e).includes('6240')) {
          throw new FinanceError(
            'quickbooks',
            'conflict',
            `cannot rename the QuickBooks customer to "${draft.legalName}": a customer, vendor or employee already has that name`,
            { status: 400, cause: e },
          );
        }
        throw e;
      }
    },

    async ensurePaymentTerms(code: string, idempotencyKey: string) {
      const term = await ensureTerm(code, idempotencyKey);
      return { vendorTermsId: term.Id };
    },

    async createInvoice(draft: InvoiceDraft, idempotencyKey: string): Promise<CreatedInvoice> {
      if (draft.status !== 'issued') throw new FinanceError('quickbooks', 'validation', NO_DRAFTS_MESSAGE);
      const body = await salesFormBody(draft, idempotencyKey, invoiceDraftToQuickBooks);
      const res = await client.call('POST', 'invoice', QBO_LENIENT.InvoiceResponse, { body, idempotencyKey });
      return quickbooksInvoiceToCreated(res.Invoice, snapshotCtx);
    },

    async findInvoiceByReference(customerId: string, reference: string) {
      const matches = (await client.queryAll('Invoice', [qboEquals('CustomerRef', customerId)])).filter(
        (inv) => invoiceRefFromNote(inv.PrivateNote) === reference,
      );
      if (matches.length === 0) return null;
      const created = matches.map((inv) => quickbooksInvoiceToCreated(inv, snapshotCtx));
      // Prefer a live invoice over a voided one with the same reference (void and re-create).
      return created.find((c) => c.status !== 'void') ?? (created[0] as CreatedInvoice);
    },

    async listInvoices(query) {
      const since = query.changedSince;
      const sinceClause = since ? [`MetaData.LastUpdatedTime >= ${qboString(since.toISOString())}`] : [];
      if (query.customerId) {
        return listByQuery([qboEquals('CustomerRef', query.customerId), ...sinceClause], !since);
      }
      if (since && now().getTime() - since.getTime() < CDC_LOOKBACK_MS) {
        const viaCdc = await listByCdc(since);
        if (viaCdc) return viaCdc;
      }
      return listByQuery(sinceClause, !since);
    },

    customerUrl(customerId: string) {
      return quickbooksCustomerUrl(appUrl, customerId);
    },

    taxSetup() {
      return loadTaxSetup();
    },

    async createEstimate(draft: EstimateDraft, idempotencyKey: string): Promise<CreatedEstimate> {
      const body = await salesFormBody(draft, idempotencyKey, estimateDraftToQuickBooks);
      const res = await client.call('POST', 'estimate', QBO_LENIENT.EstimateResponse, { body, idempotencyKey });
      return quickbooksEstimateToCreated(res.Estimate, snapshotCtx);
    },

    async findEstimateByReference(customerId: string, reference: string) {
      const matches = (await client.queryAll('Estimate', [qboEquals('CustomerRef', customerId)])).filter(
        (e) => estimateRefFromNote(e.PrivateNote) === reference,
      );
      if (matches.length === 0) return null;
      const found = matches.map((e) => quickbooksEstimateToCreated(e, snapshotCtx));
      return found.find((e) => e.status !== 'rejected') ?? (found[0] as CreatedEstimate);
    },

    async deleteEstimate(estimateId: string, idempotencyKey: string) {
      // Delete needs the current SyncToken; one read, and once more if someone edited it in between (5010).
      const remove = async (key: string) => {
        let current: { Id: string; SyncToken: string };
        try {
          current = (
            await client.call('GET', `estimate/${encodeURIComponent(estimateId)}`, QBO_LENIENT.EstimateResponse)
          ).Estimate;
        } catch (e) {
          if (e instanceof FinanceError && e.kind === 'not_found') return; // already gone
          throw e;
        }
        await client.call('POST', 'estimate', QBO_LENIENT.EstimateDeleteResponse, {
          params: { operation: 'delete' },
          body: { Id: current.Id, SyncToken: current.SyncToken },
          idempotencyKey: key,
        });
      };
      try {
        await remove(idempotencyKey);
      } catch (e) {
        if (quickBooksFaultCodes(e).includes('5010')) return remove(`${idempotencyKey}:stale`);
        throw e;
      }
    },
  };
  return system;
}
