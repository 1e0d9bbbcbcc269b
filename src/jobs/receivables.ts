import { toDecimalString } from '../core/money.js';
import { FinanceNotConnected } from '../integrations/finance/factory.js';
import type { FinanceSystemId } from '../integrations/finance/port.js';
import type { PropertyValue } from '../integrations/hubspot/client.js';
import { AGING_BUCKETS, type CurrencyAging } from '../receivables/aging.js';
import { type BannerModel, bannerModel } from '../receivables/risk.js';
import { financeStore } from '../store/finance-store.js';
import { portalStore } from '../store/portal-store.js';
import { detectCorrections } from './corrections.js';
import type { FinanceJobDeps, ReceivablesRefreshJobData } from './finance-jobs.js';
import { postMortemsSafely, recordBadDebtPostMortems } from './post-mortems.js';

/**
 * Receivables refresh: one customer's invoices read from the finance system (after a webhook, a new invoice, or
 * the reconciliation sweep), stored as snapshots, and the figures derived from them written to HubSpot — on the
 * company (overdue amount and currency, days past due, oldest due date, aging buckets, risk level, billing status,
 * finance customer id and link, as-of time) so lists, workflows and reports can use them, and on the company's
 * deals that went through billing setup (billing status and finance link, as the deal card shows them).
 */

/**
 * The currency the company's single-currency properties describe: the one with the oldest overdue invoice, then the
 * most overdue invoices, then alphabetical — what a collector would chase first. Pure.
 * @example headlineCurrency(model.aging.currencies)?.currency // 'USD'
 */
export function headlineCurrency(currencies: ReadonlyArray<CurrencyAging>): CurrencyAging | undefined {
  return [...currencies].sort(
    (a, b) =>
      b.daysPastDue - a.daysPastDue ||
      b.overdueInvoiceCount - a.overdueInvoiceCount ||
      (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0),
  )[0];
}

/**
 * The company properties for a banner model (amounts in major units of the headline currency; zeros and cleared
 * dates when nothing is outstanding). Pure.
 * @example receivablesProperties(model, { customerId: '58', url, billingStatus: 'live', asOf: new Date() }).rh_risk_level // 'medium'
 */
export function receivablesProperties(
  model: BannerModel,
  link: { customerId: string; url: string | null; billingStatus: string; asOf: Date },
): Record<string, PropertyValue> {
  const c = headlineCurrency(model.aging.currencies);
  const amount = (m: { amount: number; currency: string } | undefined) => (m ? toDecimalString(m) : '0');
  const props: Record<string, PropertyValue> = {
    rh_overdue_amount: amount(c?.overdue),
    rh_receivables_currency: c?.currency ?? null,
    rh_days_past_due: model.daysPastDue,
    rh_oldest_due_date: model.oldestDueDate,
    rh_risk_level: model.risk,
    rh_billing_status: link.billingStatus,
    rh_finance_customer_id: link.customerId,
    rh_finance_customer_url: link.url,
    rh_payment_status_as_of: String(link.asOf.getTime()),
  };
  for (const bucket of AGING_BUCKETS) props[`rh_aging_${bucket}`] = amount(c?.buckets[bucket]);
  return props;
}

/**
 * Recomputes a customer's figures from the stored snapshots and writes them to HubSpot. Returns the company id,
 * or null when the customer is linked to no company of the portal.
 * @example await publishReceivables(deps, 42, 'quickbooks', '58')
 */
export async function publishReceivables(
  deps: FinanceJobDeps,
  portalId: number,
  system: FinanceSystemId,
  customerId: string,
): Promise<{ companyId: string; properties: Record<string, PropertyValue> } | null> {
  const now = (deps.now ?? (() => new Date()))();
  const store = portalStore(deps.db, portalId);
  const fstore = financeStore(deps.db, portalId);
  const link = await fstore.links.byCustomer(system, customerId);
  if (!link) return null;
  const [{ invoices }, settings, setups] = await Promise.all([
    store.receivables.snapshots(system, customerId),
    store.installation.settings(),
    fstore.setups.byCompany(link.companyId),
  ]);
  const crm = deps.crmFor(portalId);
  const [company] = await crm.batchReadCompanies([link.companyId], ['rh_credit_hold']);
  const model = bannerModel(invoices, {
    now,
    timeZone: settings.timeZone,
    thresholds: settings.bannerThresholds,
    creditHold: company?.properties.rh_credit_hold === 'true',
    context: 'company',
  });
  // A linked customer is billed; a setup in progress or failed says so instead.
  const billingStatus = setups.some((s) => s.status === 'live') ? 'live' : (setups.at(-1)?.status ?? 'live');
  const properties = receivablesProperties(model, { customerId, url: link.url, billingStatus, asOf: now });
  await crm.batchUpdateCompanies([{ id: link.companyId, properties }]);
  const deals = setups.map((s) => ({
    id: s.dealId,
    properties: {
      rh_billing_status: s.status,
      rh_finance_customer_id: customerId,
      rh_finance_customer_url: link.url,
    } as Record<string, PropertyValue>,
  }));
  if (deals.length > 0) await crm.batchUpdateDeals(deals);
  return { companyId: link.companyId, properties };
}

/**
 * The `receivables-refresh` worker: lists the customer's invoices, replaces their snapshots, publishes the figures.
 * A portal without a usable connection has nothing to refresh (no retry); vendor trouble is thrown for the queue.
 * @example await refreshReceivables(deps, { portalId: 42, system: 'xero', customerId: 'c-1' })
 */
export async function refreshReceivables(
  deps: FinanceJobDeps,
  data: ReceivablesRefreshJobData,
): Promise<{ invoices: number; companyId: string | null }> {
  let finance: Awaited<ReturnType<FinanceJobDeps['gateway']['forPortal']>>['finance'];
  try {
    ({ finance } = await deps.gateway.forPortal(data.portalId, {
      system: data.system,
      subject: `receivables:${data.system}:${data.customerId}`,
    }));
  } catch (e) {
    if (e instanceof FinanceNotConnected) {
      deps.logger.info({ ...data, reason: e.reason }, 'receivables refresh skipped: no usable finance connection');
      return { invoices: 0, companyId: null };
    }
    throw e;
  }
  const invoices = await finance.listInvoices({ customerId: data.customerId });
  // The customer's own list is complete: the stored snapshot becomes exactly that list.
  const mine = invoices.filter((i) => i.customerId === data.customerId);
  const before = await portalStore(deps.db, data.portalId).receivables.snapshots(data.system, data.customerId);
  await portalStore(deps.db, data.portalId).transaction((tx) =>
    tx.receivables.replaceCustomer(data.system, data.customerId, mine),
  );
  // Voids, write-offs and 90+ days overdue get their bad-debt post-mortem (once per invoice; never fails the refresh).
  await postMortemsSafely(deps, () =>
    recordBadDebtPostMortems(deps, data.portalId, data.system, data.customerId, before.invoices),
  );
  const published = await publishReceivables(deps, data.portalId, data.system, data.customerId);
  // Changes a person made in the finance system since our sync; a failure here must not cost the figures above,
  // and the next refresh or sweep compares again (the baseline only moves on success).
  await detectCorrections(deps, { ...data, finance, invoices: mine }).catch((e: unknown) =>
    deps.logger.warn({ err: e, ...data }, 'manual-correction detection failed; the next refresh tries again'),
  );
  return { invoices: mine.length, companyId: published?.companyId ?? null };
}
