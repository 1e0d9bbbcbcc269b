import { plusDays, todayIn } from '../core/dates.js';
import type { QuickBooksSandbox } from '../integrations/finance/quickbooks/sandbox/index.js';
import type { HubSpotSandbox } from '../integrations/hubspot/sandbox/index.js';
import type { Composed } from '../server/compose.js';
import { DEMO_PORTAL_ID } from './data.js';
import { DEMO_TIME_ZONE } from './seed.js';

/**
 * What a portal looks like the day it installs the app, for `npm run backfill -- --demo`: deals won before the app
 * existed (no handoff, no status properties), their companies' customers already in QuickBooks with a history of
 * invoices — some paid, some overdue — a customer whose name differs from the company but whose AP email matches,
 * a company QuickBooks does not know, a won deal without a company, two deals of one company, and an open deal the
 * backfill must leave alone. Seeded straight into the sandboxes (QuickBooks invoices through the finance gateway,
 * as the books would have them); the backfill then finds all of it through the APIs.
 */

export interface HistoricDeal {
  id: string;
  name: string;
  companyId: string | null;
  won: boolean;
}

interface Customer {
  company: string;
  /** The QuickBooks customer's name when it differs from the company's (matched by AP email instead). */
  qboName?: string;
  apEmail?: string;
  /** Invoices as [amount in dollars, issued days ago, paid?]. */
  invoices: Array<[number, number, boolean]>;
  deals: Array<{ title: string; amount: number; won?: boolean }>;
}

const HISTORY: Customer[] = [
  {
    company: 'Massive Dynamic',
    invoices: [
      [4000, 120, true],
      [4000, 90, false],
      [4000, 50, false],
    ],
    deals: [{ title: 'enterprise licence', amount: 48000 }],
  },
  {
    company: 'Vandelay Industries',
    qboName: 'Vandelay Industries Inc.',
    apEmail: 'ap@vandelay.example',
    invoices: [[2500, 10, false]],
    deals: [{ title: 'import analytics', amount: 30000 }],
  },
  {
    company: 'Tyrell Corporation',
    invoices: [
      [9000, 150, false],
      [9000, 120, true],
    ],
    deals: [{ title: 'replicant tracking', amount: 108000 }],
  },
  {
    company: 'Oscorp',
    invoices: [
      [1500, 40, true],
      [1500, 10, false],
    ],
    deals: [
      { title: 'lab subscription', amount: 18000 },
      { title: 'lab subscription, second site', amount: 18000 },
    ],
  },
  { company: 'Dunder Mifflin', invoices: [], deals: [{ title: 'paper portal', amount: 6000 }] },
  {
    company: 'Gringotts',
    invoices: [],
    deals: [{ title: 'vault audit (still negotiating)', amount: 9000, won: false }],
  },
];

/**
 * Seeds the historic deals and books into the demo's sandboxes; returns the deals.
 * @example const deals = await seedHistoricDeals(composed, sandboxes.hubspot, sandboxes.quickbooks)
 */
export async function seedHistoricDeals(
  c: Pick<Composed, 'gateway'>,
  hubspot: HubSpotSandbox,
  quickbooks: QuickBooksSandbox,
): Promise<HistoricDeal[]> {
  const today = todayIn(DEMO_TIME_ZONE, new Date());
  const { finance } = await c.gateway.forPortal(DEMO_PORTAL_ID, { system: 'quickbooks', subject: 'demo history' });
  const deals: HistoricDeal[] = [];
  let n = 0;
  for (const customer of HISTORY) {
    const slug = customer.company.toLowerCase().replace(/[^a-z]/g, '');
    const companyId = hubspot.addCompany({ name: customer.company, domain: `${slug}.example` });
    let contactId: string | undefined;
    if (customer.apEmail) {
      contactId = hubspot.addContact({ email: customer.apEmail, firstname: 'Accounts', lastname: 'Payable' });
      hubspot.associate('contacts', contactId, 'companies', companyId);
    }
    for (const d of customer.deals) {
      const won = d.won ?? true;
      const name = `${customer.company} — ${d.title}`;
      const id = hubspot.addDeal({
        dealname: name,
        dealstage: won ? 'closedwon' : 'contractsent',
        amount: String(d.amount),
        deal_currency_code: 'USD',
        closedate: plusDays(today, -200),
        ...(contactId ? { rh_billing_contact_id: contactId } : {}),
      });
      hubspot.associate('deals', id, 'companies', companyId);
      if (contactId) hubspot.associate('deals', id, 'contacts', contactId);
      deals.push({ id, name, companyId, won });
    }
    if (customer.invoices.length === 0) continue;
    const qbo = quickbooks.addCustomer({
      DisplayName: customer.qboName ?? customer.company,
      CompanyName: customer.qboName ?? customer.company,
      ...(customer.apEmail ? { PrimaryEmailAddr: { Address: customer.apEmail } } : {}),
    });
    for (const [dollars, daysAgo, paid] of customer.invoices) {
      const amount = { amount: dollars * 100, currency: 'USD' };
      const reference = `demo-history-${++n}`;
      const issueDate = plusDays(today, -daysAgo);
      const created = await finance.createInvoice(
        {
          customerId: qbo.Id,
          reference,
          issueDate,
          dueDate: plusDays(issueDate, 30),
          currency: 'USD',
          paymentTerms: 'net_30',
          lines: [{ description: 'Services', quantity: 1, unitAmount: amount, amount }],
          status: 'issued',
        },
        reference,
      );
      if (paid) quickbooks.pay(created.id, { on: plusDays(issueDate, 25) });
    }
  }
  // A deal won without any company: nothing to link, said so in the summary.
  const orphan = hubspot.addDeal({
    dealname: 'Walk-in order (no company)',
    dealstage: 'closedwon',
    amount: '1200',
    deal_currency_code: 'USD',
    closedate: plusDays(today, -90),
  });
  deals.push({ id: orphan, name: 'Walk-in order (no company)', companyId: null, won: true });
  return deals;
}
