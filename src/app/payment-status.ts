import type { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import type { GetPaymentStatusInput, PaymentStatusView } from '../api/contracts.js';
import { daysBetween, todayIn } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { daysSalesOutstanding, paymentTimeliness } from '../receivables/dso.js';
import { bannerModel } from '../receivables/risk.js';
import { postMortemStore } from '../store/post-mortem-store.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

/**
 * The payment status of a company (or a deal's company): the banner, statistics, aging, open invoices and last
 * payment, from the stored invoice snapshot — no finance API call on the card's path, so it answers fast and
 * within every budget; webhooks and the reconciliation sweep keep the snapshot fresh.
 * @example await getPaymentStatus(ctx, { objectType: 'deal', objectId: '1001' })
 */
export async function getPaymentStatus(
  ctx: Ctx,
  input: z.output<typeof GetPaymentStatusInput>,
): Promise<PaymentStatusView> {
  const { store, crm, settings } = ctx.services;
  const connection = await store.finance.connection();
  const finance = connection
    ? {
        connected: connection.status === 'connected',
        system: connection.system,
        displayName: ctx.services.capabilities(connection.system).displayName,
        status: connection.status,
      }
    : { connected: false, system: null, displayName: null, status: 'not_connected' as const };
  const empty = (note: string, company: PaymentStatusView['company'] = null): PaymentStatusView => ({
    finance,
    context: input.objectType,
    company,
    banner: null,
    statistics: [],
    averageDaysToPay: null,
    openInvoices: [],
    lastPayment: null,
    customerUrl: null,
    asOf: null,
    note,
  });

  let companyId: string | undefined = input.objectId;
  if (input.objectType === 'deal') {
    companyId = (await crm.readAssociations('deals', [input.objectId], 'companies'))[input.objectId]?.[0];
    if (!companyId) {
      // No association is also what a deal of another HubSpot account (or a deleted one) looks like: say which.
      const [deal] = await crm.batchReadDeals([input.objectId], ['dealname']);
      if (!deal)
        throw new DomainError('not_found', `Deal ${input.objectId} does not exist in this HubSpot account`, 'objectId');
      return empty('This deal has no associated company, so there is no payment history to show.');
    }
  }
  const [company] = await crm.batchReadCompanies([companyId], ['name', 'rh_credit_hold']);
  if (!company)
    throw new DomainError('not_found', `Company ${companyId} does not exist in this HubSpot account`, 'objectId');
  const companyView = { id: company.id, name: company.properties.name ?? `Company ${company.id}` };
  if (!connection)
    return empty(
      'No finance system is connected. Connect QuickBooks, Xero or Stripe in the app settings.',
      companyView,
    );

  const link = await store.finance.link(connection.system, company.id);
  if (!link) {
    return empty(
      `${companyView.name} is not linked to a ${finance.displayName} customer yet; the link is made at billing setup or by the backfill.`,
      companyView,
    );
  }
  const { invoices, asOf } = await store.receivables.snapshots(connection.system, link.customerId);
  const asOfNow = { now: ctx.now, timeZone: settings.timeZone };
  const creditHold = company.properties.rh_credit_hold === 'true';
  const banner = bannerModel(invoices, {
    ...asOfNow,
    thresholds: settings.bannerThresholds,
    creditHold,
    context: input.objectType,
  });
  const dso = daysSalesOutstanding(invoices, asOfNow);
  const today = todayIn(settings.timeZone, ctx.now);
  const open = invoices.filter(
    (i) => (i.status === 'open' || i.status === 'draft') && i.amountDue.amount > 0 && i.issueDate <= today,
  );
  // The company record also shows what the app knew at sale time about each invoice that went bad.
  const postMortems =
    input.objectType === 'company' ? await postMortemStore(store.db, ctx.portalId).byCompany(company.id) : [];
  return {
    finance,
    context: input.objectType,
    company: companyView,
    ...(postMortems.length > 0 ? { postMortems } : {}),
    banner: {
      severity: banner.severity,
      risk: banner.risk,
      title: banner.title,
      message: banner.message,
      creditHold: banner.creditHold,
      daysPastDue: banner.daysPastDue,
      openInvoiceCount: banner.openInvoiceCount,
      oldestDueDate: banner.oldestDueDate,
    },
    statistics: banner.aging.currencies.map((c) => ({
      currency: c.currency,
      outstanding: c.outstanding,
      overdue: c.overdue,
      dsoDays: dso.find((d) => d.currency === c.currency)?.days ?? null,
      buckets: c.buckets,
    })),
    averageDaysToPay: paymentTimeliness(invoices).averageDaysToPay,
    openInvoices: open.map((i) => ({
      id: i.id,
      number: i.number,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amountDue: i.amountDue,
      total: i.total,
      daysPastDue: Math.max(0, daysBetween(i.dueDate, today)),
      url: i.url ?? null,
    })),
    lastPayment: banner.lastPayment
      ? {
          on: banner.lastPayment.on,
          amount: banner.lastPayment.amount,
          invoiceNumber: banner.lastPayment.invoiceNumber,
        }
      : null,
    customerUrl: link.url,
    asOf,
    note: invoices.length === 0 ? 'No invoices yet for this customer.' : null,
  };
}
