import { todayIn } from '../core/dates.js';
import { formatMoney } from '../core/money.js';
import { DEMO_PORTAL_ID, DEMO_USERS } from '../demo/data.js';
import { DEMO_TIME_ZONE } from '../demo/seed.js';
import type { HubSpotSandbox } from '../integrations/hubspot/sandbox/index.js';
import type { Db } from '../store/db.js';
import { portalStore } from '../store/portal-store.js';
import type { PreviewPerson, PreviewRecord } from './bootstrap.js';

/** Who each demo role is, in the words of the landing page. */
const ROLE_LABELS: Record<string, string> = {
  sales: 'Sales rep',
  customer_success: 'Customer Success manager',
  finance: 'Finance',
  revops: 'RevOps admin',
};

const ROLE_DOES: Record<string, string> = {
  sales: 'fills in and submits the Sales → Customer Success handoff',
  customer_success: 'reviews the sales handoff, fills in and submits the CS → Finance handoff',
  finance: 'reviews the finance handoff; accepting it starts billing setup',
  revops: 'approves exceptions, edits templates, thresholds and people in Settings',
};

/** The demo's people, in switcher order, with the e-mail HubSpot would put in the signed query. */
export function demoPeople(): Array<PreviewPerson & { does: string }> {
  return Object.entries(DEMO_USERS).map(([key, u]) => {
    const role = u.roles[0];
    const first = u.name.split(' ')[0]?.toLowerCase() ?? key;
    return {
      key,
      id: u.id,
      name: u.name,
      email: `${first}@revenue-handoff-demo.test`,
      roleLabel: ROLE_LABELS[role] ?? role,
      does: ROLE_DOES[role] ?? '',
    };
  });
}

export const HANDOFF_STATE_LABELS: Record<string, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  accepted: 'Accepted',
  rejected: 'Rejected',
  billing_pending: 'Billing setup pending',
  billing_live: 'Billing live',
  billing_failed: 'Billing setup failed',
};

export interface DealRow {
  id: string;
  name: string;
  amount: string;
  stage: string;
  company: { id: string; name: string } | null;
  handoffs: Array<{ template: string; state: string }>;
  /** Billing setup in the finance system, once a finance handoff was accepted. */
  billing: string | null;
}

export interface CompanyRow {
  id: string;
  name: string;
  domain: string;
  dealCount: number;
  /** Overdue amounts from the synced invoices, e.g. `$3,000.00`; null when nothing is overdue. */
  overdue: string | null;
}

const BILLING_LABELS: Record<string, string> = {
  pending: 'Billing setup pending',
  running: 'Billing being set up',
  live: 'Billing live',
  failed: 'Billing setup failed',
};

const money = (amount: string | undefined, currency: string | undefined) => {
  const n = Number(amount);
  if (!amount || !Number.isFinite(n)) return '';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format(n);
};

/**
 * The demo portal's records as the landing page and the record pages show them: read live from the local HubSpot
 * sandbox and the app's database, so states change as people click through the cards.
 */
export function demoDirectory(deps: { db: Db; hubspot: HubSpotSandbox }) {
  const { hubspot } = deps;
  const store = portalStore(deps.db, DEMO_PORTAL_ID);
  const stageLabel = (id: string | undefined) => {
    for (const p of hubspot.portalState.pipelines) {
      const s = p.stages.find((x) => x.id === id);
      if (s) return s.label;
    }
    return id ?? '';
  };
  const live = (type: 'deals' | 'companies') => hubspot.list(type).filter((r) => !r.archived);
  const companyOfDeal = (dealId: string) => {
    const id = hubspot.associated('deals', dealId, 'companies')[0];
    const c = id ? hubspot.get('companies', id) : undefined;
    return c ? { id: c.id, name: c.properties.name ?? `Company ${c.id}` } : null;
  };

  return {
    portalId: DEMO_PORTAL_ID,
    timeZone: DEMO_TIME_ZONE,

    async deals(): Promise<DealRow[]> {
      const templates = new Map((await store.templates.latest()).map((t) => [t.id, t]));
      // Handoffs in the order the work flows: from Sales first, then from Customer Success, then the rest.
      const rank = (templateId: string) => {
        const team = templates.get(templateId)?.fromTeam ?? '';
        const i = ['sales', 'customer_success', 'finance'].indexOf(team);
        return i < 0 ? 9 : i;
      };
      const setups = await deps.db.query<{ deal_id: string; status: string }>(
        'SELECT deal_id, status FROM billing_setups WHERE portal_id = $1',
        [DEMO_PORTAL_ID],
      );
      const billing = new Map(setups.map((r) => [r.deal_id, BILLING_LABELS[r.status] ?? r.status]));
      const rows: DealRow[] = [];
      for (const d of live('deals')) {
        const handoffs = (await store.handoffs.byDeal(d.id)).sort(
          (a, b) =>
            rank(a.handoff.templateId) - rank(b.handoff.templateId) ||
            a.handoff.createdAt.localeCompare(b.handoff.createdAt),
        );
        rows.push({
          id: d.id,
          name: d.properties.dealname ?? `Deal ${d.id}`,
          amount: money(d.properties.amount, d.properties.deal_currency_code),
          stage: stageLabel(d.properties.dealstage),
          company: companyOfDeal(d.id),
          handoffs: handoffs.map((h) => ({
            template: templates.get(h.handoff.templateId)?.name ?? h.handoff.templateId,
            state: HANDOFF_STATE_LABELS[h.handoff.state] ?? h.handoff.state,
          })),
          billing: billing.get(d.id) ?? null,
        });
      }
      return rows;
    },

    async companies(): Promise<CompanyRow[]> {
      // What the Payment status card would warn about: open invoices past due, per linked company and currency.
      const rows = await deps.db.query<{ company_id: string; currency: string; overdue: string }>(
        `SELECT l.company_id, s.currency, sum(s.amount_due) AS overdue
           FROM invoice_snapshots s
           JOIN finance_links l ON l.portal_id = s.portal_id AND l.system = s.system AND l.customer_id = s.customer_id
          WHERE s.portal_id = $1 AND s.status = 'open' AND s.amount_due > 0 AND s.due_date < $2
          GROUP BY l.company_id, s.currency`,
        [DEMO_PORTAL_ID, todayIn(DEMO_TIME_ZONE, new Date())],
      );
      const overdue = new Map<string, string[]>();
      for (const r of rows) {
        const list = overdue.get(r.company_id) ?? [];
        list.push(formatMoney({ amount: Number(r.overdue), currency: r.currency }));
        overdue.set(r.company_id, list);
      }
      return live('companies').map((c) => ({
        id: c.id,
        name: c.properties.name ?? `Company ${c.id}`,
        domain: c.properties.domain ?? '',
        dealCount: hubspot.associated('companies', c.id, 'deals').length,
        overdue: overdue.get(c.id)?.join(', ') ?? null,
      }));
    },

    /** The record page's left column for a deal, or null when the sandbox has no such deal. */
    dealRecord(id: string): PreviewRecord | null {
      const d = hubspot.get('deals', id);
      if (!d || d.archived) return null;
      const company = companyOfDeal(id);
      return {
        objectType: 'deal',
        objectTypeId: '0-3',
        id,
        name: d.properties.dealname ?? `Deal ${id}`,
        properties: [
          { label: 'Amount', value: money(d.properties.amount, d.properties.deal_currency_code) },
          { label: 'Deal stage', value: stageLabel(d.properties.dealstage) },
          { label: 'Pipeline', value: hubspot.portalState.pipelines[0]?.label ?? 'Sales Pipeline' },
          { label: 'Record ID', value: id },
        ],
        associations: company
          ? [{ label: 'Company', name: company.name, href: `/preview/company/${encodeURIComponent(company.id)}` }]
          : [],
      };
    },

    /** The record page's left column for a company, or null when the sandbox has no such company. */
    companyRecord(id: string): PreviewRecord | null {
      const c = hubspot.get('companies', id);
      if (!c || c.archived) return null;
      const deals = hubspot
        .associated('companies', id, 'deals')
        .map((dealId) => hubspot.get('deals', dealId))
        .filter((d) => d !== undefined && !d.archived);
      return {
        objectType: 'company',
        objectTypeId: '0-2',
        id,
        name: c.properties.name ?? `Company ${id}`,
        properties: [
          { label: 'Company domain name', value: c.properties.domain ?? '' },
          { label: 'Credit hold', value: c.properties.rh_credit_hold === 'true' ? 'Yes' : 'No' },
          { label: 'Record ID', value: id },
        ],
        associations: deals.map((d) => ({
          label: 'Deal',
          name: d?.properties.dealname ?? `Deal ${d?.id}`,
          href: `/preview/deal/${encodeURIComponent(d?.id ?? '')}`,
        })),
      };
    },
  };
}

export type DemoDirectory = ReturnType<typeof demoDirectory>;
