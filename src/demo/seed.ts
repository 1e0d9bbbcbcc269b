import type { Logger } from 'pino';
import type { HandlerContext } from '../../serverless/handler.js';
import type { HandoffView } from '../api/contracts.js';
import * as handoffs from '../app/handoff-service.js';
import { installPortal } from '../app/install.js';
import type { AppServices } from '../app/services.js';
import { plusDays, plusMonths, todayIn } from '../core/dates.js';
import type { HandoffDataInput } from '../handoff/fields.js';
import { DEFAULT_CS_TO_FINANCE } from '../handoff/templates/default-cs-to-finance.js';
import type { QuickBooksSandbox } from '../integrations/finance/quickbooks/sandbox/index.js';
import { SCOPES } from '../integrations/hubspot/oauth.js';
import type { HubSpotSandbox } from '../integrations/hubspot/sandbox/index.js';
import { refreshReceivables } from '../jobs/receivables.js';
import { runRenewals } from '../jobs/renewals.js';
import type { Composed } from '../server/compose.js';
import { DEFAULT_RENEWAL_SETTINGS } from '../settings/portal-settings.js';
import { financeStore } from '../store/finance-store.js';
import { portalStore } from '../store/portal-store.js';
import { DEMO_PORTAL_ID, DEMO_USERS, type DemoModel, financeValues, salesValues } from './data.js';

export const DEMO_TIME_ZONE = 'America/New_York';

/** VAT in a new UK QuickBooks company: "20.0% S" (id 2) and "5.0% R" (id 4). */
export const UK_STANDARD_VAT = { code: '2', ratePercent: 20, inclusive: false, label: 'VAT 20%' };
export const UK_REDUCED_VAT = { code: '4', ratePercent: 5, inclusive: false, label: 'VAT 5%' };
export const DEMO_ACCESS_TOKEN = 'demo-access-token';

export interface DemoDeal {
  id: string;
  name: string;
  companyId: string;
  story: string;
}

type Who = keyof typeof DEMO_USERS;

/**
 * Installs the demo portal (through the real install routine, against the local HubSpot sandbox) and drives a
 * set of deals into every handoff state through the same service functions the cards call, as the demo's people:
 * a rep, a CSM, finance and RevOps.
 * @example const deals = await seedDemo(composed, hubspot, logger)
 */
export async function seedDemo(
  c: Composed,
  hubspot: HubSpotSandbox,
  logger: Logger,
  quickbooks?: QuickBooksSandbox,
): Promise<DemoDeal[]> {
  const portalId = DEMO_PORTAL_ID;
  await installPortal(c.db, c.box, c.runtime.crmFor(portalId), {
    portalId,
    hubDomain: 'revenue-handoff-demo.hubspot.test',
    scopes: SCOPES,
    tokens: {
      accessToken: DEMO_ACCESS_TOKEN,
      refreshToken: 'demo-refresh-token',
      expiresAt: new Date(Date.now() + 365 * 86_400_000),
    },
    timeZone: DEMO_TIME_ZONE,
    settings: {
      users: Object.fromEntries(
        Object.values(DEMO_USERS).map((u) => [u.id, { name: u.name, roles: [...u.roles], teams: [...u.teams] }]),
      ),
    },
  });

  if (quickbooks) {
    // The demo's books: a QuickBooks Online company, connected as an admin would through OAuth.
    await financeStore(c.db, portalId).connections.connect({
      system: 'quickbooks',
      tenantId: quickbooks.realmId,
      box: c.box,
      tokens: { accessToken: quickbooks.accessToken, expiresAt: new Date(Date.now() + 365 * 86_400_000) },
    });
  }
  // DEMO_QUICKBOOKS_SCHEDULED_AS=estimate: RevOps set the finance template to show invoices not yet due as
  // QuickBooks Estimates, so the live deals' upcoming invoices appear in the books as Estimates (each converted on
  // its date) and the card links each scheduled invoice to its estimate.
  if (process.env.DEMO_QUICKBOOKS_SCHEDULED_AS?.trim().toLowerCase() === 'estimate') {
    const store = portalStore(c.db, portalId);
    const finance = await store.templates.get(DEFAULT_CS_TO_FINANCE.id);
    if (finance) await store.templates.saveNewVersion({ ...finance, quickbooksScheduledAs: 'estimate' }, 'demo');
  }

  const ctxOf = async (who: Who): Promise<HandlerContext<AppServices>> => {
    const { services, user } = await c.runtime.resolve(portalId, DEMO_USERS[who].id, undefined);
    return { portalId, user, now: new Date(), logger, services };
  };
  const view = async (who: Who, dealId: string) => handoffs.getHandoffView(await ctxOf(who), { dealId });
  const save = async (who: Who, v: HandoffView, index: number, values: HandoffDataInput) => {
    const h = v.handoffs[index];
    if (!h) throw new Error('demo: handoff missing');
    return handoffs.saveHandoffFields(await ctxOf(who), {
      dealId: v.deal.id,
      handoffId: h.id,
      revision: h.revision,
      values,
    });
  };
  const submit = async (who: Who, v: HandoffView, index: number) => {
    const h = v.handoffs[index];
    if (!h) throw new Error('demo: handoff missing');
    return handoffs.submitHandoff(await ctxOf(who), { dealId: v.deal.id, handoffId: h.id, revision: h.revision });
  };
  const review = async (
    who: Who,
    v: HandoffView,
    index: number,
    action: Parameters<typeof handoffs.reviewHandoff>[1]['action'],
  ) => {
    const h = v.handoffs[index];
    if (!h) throw new Error('demo: handoff missing');
    return handoffs.reviewHandoff(await ctxOf(who), {
      dealId: v.deal.id,
      handoffId: h.id,
      revision: h.revision,
      action,
    });
  };

  const today = todayIn(DEMO_TIME_ZONE, new Date());
  const nextMonth = `${plusMonths(today, 1).slice(0, 8)}01`;
  const deals: DemoDeal[] = [];
  const addDeal = (
    customer: string,
    title: string,
    stage: string,
    amount: number,
    story: string,
    currency = 'USD',
  ): DemoDeal => {
    const companyId = hubspot.addCompany({
      name: customer,
      domain: `${customer.toLowerCase().replace(/[^a-z]/g, '')}.example`,
    });
    const domain = customer.toLowerCase().replace(/[^a-z]/g, '');
    const contactId = hubspot.addContact({ email: `ap@${domain}.example`, firstname: 'Accounts', lastname: 'Payable' });
    hubspot.associate('contacts', contactId, 'companies', companyId);
    const id = hubspot.addDeal({
      dealname: `${customer} — ${title}`,
      dealstage: stage,
      amount: String(amount),
      deal_currency_code: currency,
      rh_billing_contact_id: contactId,
    });
    hubspot.associate('deals', id, 'companies', companyId);
    hubspot.associate('deals', id, 'contacts', contactId);
    const deal = { id, name: `${customer} — ${title}`, companyId, story };
    deals.push(deal);
    return deal;
  };
  const won = (dealId: string) => {
    const d = hubspot.get('deals', dealId);
    if (d) d.properties.dealstage = 'closedwon';
  };
  const throughSales = async (deal: DemoDeal, customer: string): Promise<HandoffView> => {
    let v = await view('rep', deal.id);
    v = await save('rep', v, 0, salesValues(customer));
    won(deal.id);
    v = await submit('rep', await view('rep', deal.id), 0);
    return review('csm', await view('csm', deal.id), 0, { type: 'accept', note: 'Clear goals, thanks.' });
  };
  const financeFilled = async (deal: DemoDeal, customer: string, model: DemoModel, extra: HandoffDataInput = {}) => {
    const v = await view('csm', deal.id);
    return save('csm', v, 1, { ...financeValues(customer, model, nextMonth), ...extra });
  };

  // 1. A fresh opportunity: the checklist shows everything still missing.
  {
    const d = addDeal(
      'Northwind Traders',
      'onboarding',
      'contractsent',
      12000,
      'Draft: most of the handoff still missing.',
    );
    const v = await view('rep', d.id);
    await save('rep', v, 0, {
      customerGoals: 'Faster onboarding for their 40 stores.',
      primaryUseCase: 'Store roll-out',
    });
  }
  // 2. Won and submitted to Customer Success: the SLA clock runs.
  {
    const d = addDeal(
      'Acme Widgets',
      'platform subscription',
      'contractsent',
      12000,
      'Submitted to Customer Success, awaiting review.',
    );
    const v = await save('rep', await view('rep', d.id), 0, salesValues('Acme Widgets'));
    won(d.id);
    await submit('rep', v, 0);
  }
  // 3. Rejected by Customer Success with a reason.
  {
    const d = addDeal(
      'Globex',
      'analytics retainer',
      'contractsent',
      24000,
      'Rejected by Customer Success: goals unclear.',
    );
    const v = await save('rep', await view('rep', d.id), 0, salesValues('Globex'));
    won(d.id);
    const s = await submit('rep', v, 0);
    await review('csm', await view('csm', s.deal.id), 0, {
      type: 'reject',
      reason: 'unclear_success_criteria',
      note: 'What does success look like after 90 days? Please add measurable goals.',
    });
  }
  // 4. Accepted by CS; the finance handoff is submitted and waits for finance.
  {
    const d = addDeal('Initech', 'advisory retainer', 'contractsent', 24000, 'With finance: CS → Finance submitted.');
    await throughSales(d, 'Initech');
    await financeFilled(d, 'Initech', 'retainer');
    await submit('csm', await view('csm', d.id), 1);
  }
  // 5. The PO is missing: an exception awaits RevOps' approval.
  {
    const d = addDeal(
      'Hooli',
      'usage commitment',
      'contractsent',
      6000,
      'Exception requested: PO arrives after signature.',
    );
    await throughSales(d, 'Hooli');
    const v = await financeFilled(d, 'Hooli', 'usage', { poRequired: true });
    const fin = v.handoffs[1];
    if (fin) {
      await handoffs.requestHandoffException(await ctxOf('csm'), {
        dealId: d.id,
        handoffId: fin.id,
        reason: 'The customer issues POs only after signature; it is promised within 10 days.',
        waives: ['poNumber'],
        expiresInDays: 14,
      });
    }
  }
  // 6. Milestone billing, filled in and ready to submit: the billing preview shows the three milestone invoices.
  {
    const d = addDeal(
      'Umbrella Corp',
      'implementation milestones',
      'contractsent',
      25000,
      'Milestone plan ready for submission.',
    );
    await throughSales(d, 'Umbrella Corp');
    await financeFilled(d, 'Umbrella Corp', 'milestone');
  }
  // 7. Hourly with a cap, accepted by finance: billing setup starts once a finance system is connected.
  {
    const d = addDeal(
      'Soylent',
      'consulting hours',
      'contractsent',
      36000,
      'Accepted by finance: billing setup queued.',
    );
    await throughSales(d, 'Soylent');
    await financeFilled(d, 'Soylent', 'hourly');
    const s = await submit('csm', await view('csm', d.id), 1);
    await review('finance', await view('finance', s.deal.id), 1, { type: 'accept', note: 'Terms and plan check out.' });
  }
  // 8. A one-time implementation fee, still a draft on the finance side.
  {
    const d = addDeal(
      'Stark Industries',
      'implementation project',
      'contractsent',
      15000,
      'Finance handoff half filled.',
    );
    await throughSales(d, 'Stark Industries');
    const v = await view('csm', d.id);
    await save('csm', v, 1, {
      billingModel: 'one_time',
      currency: 'USD',
      startDate: nextMonth,
      paymentTerms: 'net_15',
    });
  }
  // A contract 90 days from renewal: the renewal sweep hands it back to its account owner (handoff and task).
  {
    const renewal = plusDays(today, DEFAULT_RENEWAL_SETTINGS.leadDays);
    const d = addDeal(
      'Wonka Industries',
      'annual platform',
      'contractsent',
      12000,
      'Renews in 90 days: renewal handoff and task.',
    );
    const deal = hubspot.get('deals', d.id);
    if (deal) deal.properties.hubspot_owner_id = hubspot.addOwner({ email: 'riley.rep@vendor.example' });
    await throughSales(d, 'Wonka Industries');
    const start = plusMonths(renewal, -12);
    await save('csm', await view('csm', d.id), 1, {
      ...financeValues('Wonka Industries', 'subscription', start),
      renewalDate: renewal,
    });
    const s = await submit('csm', await view('csm', d.id), 1);
    await review('finance', await view('finance', s.deal.id), 1, { type: 'accept' });
    await runRenewals({ db: c.db, crmFor: c.runtime.crmFor, queue: c.queue, logger }, { portalId });
  }
  if (quickbooks) {
    // A non-US demo company (DEMO_QUICKBOOKS_COUNTRY=GB) needs a VAT code on every line: the plans carry the
    // standard rate, QuickBooks' code "20.0% S" (id 2 in a new UK company).
    const uk = quickbooks.state.country !== 'US';
    const local = uk ? { currency: quickbooks.state.homeCurrency, tax: UK_STANDARD_VAT } : {};
    const accepted = async (d: DemoDeal, customer: string, model: DemoModel, start: string) => {
      await throughSales(d, customer);
      const v = await view('csm', d.id);
      await save('csm', v, 1, financeValues(customer, model, start, local));
      const s = await submit('csm', await view('csm', d.id), 1);
      await review('finance', await view('finance', s.deal.id), 1, { type: 'accept' });
    };
    // 9. Billing fails: the customer's legal name is already taken by a vendor in QuickBooks.
    quickbooks.addOtherName('Cyberdyne Ltd.');
    const failing = addDeal(
      'Cyberdyne',
      'support retainer',
      'contractsent',
      12000,
      'Billing failed: QuickBooks refused the customer name.',
    );
    await accepted(failing, 'Cyberdyne', 'subscription', nextMonth);
    // 10. A customer billed since four months ago, one invoice paid and the rest overdue: the banner warns.
    const fourMonthsAgo = `${plusMonths(today, -4).slice(0, 8)}01`;
    const overdue = addDeal(
      'Wayne Enterprises',
      'platform subscription',
      'contractsent',
      12000,
      'Live since four months; invoices overdue.',
    );
    await accepted(overdue, 'Wayne Enterprises', 'subscription', fourMonthsAgo);
    // 11. Non-US books only: a UK customer whose platform fee carries standard VAT and whose training materials
    // the reduced rate; each issued invoice has the right TaxCodeRef on each line and VAT per rate.
    const vatDeals: DemoDeal[] = [];
    if (uk) {
      const twoMonthsAgo = `${plusMonths(today, -2).slice(0, 8)}01`;
      const brixton = addDeal(
        'Brixton Analytics',
        'platform and training (VAT)',
        'contractsent',
        7800,
        'UK books: every invoice line carries its VAT code; the card shows net, VAT and gross per invoice.',
        quickbooks.state.homeCurrency,
      );
      await throughSales(brixton, 'Brixton Analytics');
      const values = financeValues('Brixton Analytics', 'subscription', twoMonthsAgo, local);
      const plan = structuredClone(values.billingPlan) as NonNullable<HandoffDataInput['billingPlan']> & {
        components: unknown[];
        currency: string;
      };
      plan.components = [
        ...plan.components,
        {
          kind: 'one_time',
          category: 'other',
          description: 'Training materials (printed)',
          amount: { amount: 600_00, currency: plan.currency },
          tax: UK_REDUCED_VAT,
        },
      ];
      const agreed = values.contractValue as { amount: number; currency: string };
      await save('csm', await view('csm', brixton.id), 1, {
        ...values,
        billingPlan: plan,
        contractValue: { amount: agreed.amount + 600_00, currency: agreed.currency },
      });
      const s = await submit('csm', await view('csm', brixton.id), 1);
      await review('finance', await view('finance', s.deal.id), 1, { type: 'accept' });
      vatDeals.push(brixton);
    }
    const setupOf = async (dealId: string) =>
      (
        await c.db.query<{ status: string; id: string }>(
          'SELECT status, id FROM billing_setups WHERE portal_id = $1 AND deal_id = $2',
          [portalId, dealId],
        )
      )[0];
    // The workers do the billing setups; wait (bounded) for them as a person would watch the card.
    for (let i = 0; i < 120; i++) {
      const states = await Promise.all([failing.id, overdue.id, ...vatDeals.map((d) => d.id)].map(setupOf));
      if (states.every((s) => s && (s.status === 'live' || s.status === 'failed'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const link = await c.db.query<{ customer_id: string }>(
      `SELECT customer_id FROM finance_links WHERE portal_id = $1 AND system = 'quickbooks' AND company_id = $2`,
      [portalId, overdue.companyId],
    );
    const customerId = link[0]?.customer_id;
    if (customerId) {
      const invoices = [...quickbooks.state.invoices.values()].filter((inv) => inv.CustomerRef.value === customerId);
      const oldest = [...invoices].sort((a, b) => a.TxnDate.localeCompare(b.TxnDate))[0];
      if (oldest) quickbooks.pay(oldest.Id);
      await refreshReceivables(
        { db: c.db, gateway: c.gateway, crmFor: c.runtime.crmFor, queue: c.queue, logger },
        { portalId, system: 'quickbooks', customerId },
      );
    }
  }
  logger.info({ portalId, deals: deals.length }, 'demo portal seeded');
  return deals;
}
