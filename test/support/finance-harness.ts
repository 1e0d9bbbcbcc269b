import { randomUUID } from 'node:crypto';
import type { HandlerContext } from '../../serverless/handler.js';
import { installPortal } from '../../src/app/install.js';
import type { AppServices } from '../../src/app/services.js';
import type { BillingPlanInput } from '../../src/billing/plan.js';
import { generateSchedule } from '../../src/billing/schedule.js';
import { todayIn } from '../../src/core/dates.js';
import type { HandoffDataInput } from '../../src/handoff/fields.js';
import { createHandoff } from '../../src/handoff/lifecycle.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import {
  createFinanceGateway,
  type FinanceConfig,
  type FinanceGateway,
} from '../../src/integrations/finance/factory.js';
import type { FinanceSystemId } from '../../src/integrations/finance/port.js';
import {
  createQuickBooksSandbox,
  type QuickBooksSandbox,
} from '../../src/integrations/finance/quickbooks/sandbox/index.js';
import { createStripeSandbox, type StripeSandbox } from '../../src/integrations/finance/stripe/index.js';
import { createXeroSandbox, type XeroSandbox } from '../../src/integrations/finance/xero/index.js';
import { createDealSearch } from '../../src/integrations/hubspot/deal-search.js';
import { createHubSpotSandbox, type HubSpotSandbox } from '../../src/integrations/hubspot/sandbox/index.js';
import { type BackfillDeps, createCallCounter } from '../../src/jobs/backfill.js';
import type { FinanceJobDeps } from '../../src/jobs/finance-jobs.js';
import type { JobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/server/logger.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import type { Db } from '../../src/store/db.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { createSecretBox, type SecretBox } from '../../src/store/secrets.js';
import { saveTokens } from '../../src/store/tokens.js';
import { mockVendors } from './msw.js';
import { TEST_CLIENT_SECRET } from './signed.js';

/**
 * A finance test bench: the HubSpot sandbox and the three finance sandboxes behind msw (each replaceable between
 * scenarios), a database, portal PORTAL installed, the finance gateway pointed at the sandboxes with a settable
 * clock, and a queue that records what jobs would be sent.
 */

export const PORTAL = 62515;
export const HUBSPOT_API = 'https://api.hubapi.com';
export const QBO_API = 'https://sandbox-quickbooks.api.intuit.com';
export const QBO_OAUTH = 'https://oauth.platform.intuit.com';
export const QBO_OAUTH_CLIENT = {
  clientId: 'qbo-client',
  clientSecret: 'qbo-secret',
  redirectUri: 'https://rh.test/oauth/quickbooks/callback',
};
export const XERO_CLIENT = {
  clientId: 'xero-client',
  clientSecret: 'xero-secret',
  redirectUri: 'https://rh.test/oauth/xero/callback',
};
/** 2026-05-15, a Friday; plans below start in March, so three monthly invoices are due and nine are not. */
export const NOW = new Date('2026-05-15T10:00:00Z');

export const usd = (amount: number) => ({ amount, currency: 'USD' });

/** Monthly in advance from March 2026 for a year: 12 invoices of $1,000, dated the 1st. */
export const monthlyPlan: BillingPlanInput = {
  currency: 'USD',
  startDate: '2026-03-01',
  endDate: '2027-02-28',
  paymentTerms: 'net_30',
  components: [
    { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(1_000_00) },
  ],
};

/** Two milestones, billed on acceptance. */
export const milestonePlan: BillingPlanInput = {
  currency: 'USD',
  startDate: '2026-04-01',
  endDate: '2026-09-30',
  paymentTerms: 'net_30',
  components: [
    {
      kind: 'milestone',
      milestones: [
        { id: 'm1', name: 'Design', amount: usd(4_000_00), expectedOn: '2026-05-20' },
        { id: 'm2', name: 'Build', amount: usd(6_000_00), expectedOn: '2026-07-15' },
      ],
    },
  ],
};

export function financeData(name: string, overrides: Partial<HandoffDataInput> = {}): HandoffDataInput {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    billingEntityLegalName: `${name} Ltd`,
    billingContact: { name: 'Accounts Payable', email: `ap@${slug}.example` },
    billingAddress: { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
    paymentTerms: 'net_30',
    poRequired: false,
    currency: 'USD',
    ...overrides,
  };
}

export interface SentJob {
  queue: string;
  data: Record<string, unknown>;
  singletonKey: string | undefined;
}

export interface Harness {
  db: Db;
  box: SecretBox;
  hubspot: HubSpotSandbox;
  runtime: Runtime;
  qbo: QuickBooksSandbox;
  xero: XeroSandbox;
  stripe: StripeSandbox;
  gateway: FinanceGateway;
  deps: FinanceJobDeps;
  sent: SentJob[];
  clock: { now: Date };
  financeConfig: FinanceConfig;
  /** Fresh vendor sandboxes (the old ones' state is gone; the next connect() forgets links into them). */
  resetVendors(options?: {
    qbo?: Parameters<typeof createQuickBooksSandbox>[0];
    xero?: Parameters<typeof createXeroSandbox>[0];
    stripe?: Parameters<typeof createStripeSandbox>[0];
  }): void;
  /** A new gateway (and deps) with other settings, e.g. lowered limits. */
  regateway(config: Partial<FinanceConfig>): void;
  connect(system: FinanceSystemId): Promise<void>;
  /** Connects through the vendor sandbox's own OAuth code exchange, so the stored tokens are ones it can refresh. */
  connectByOAuth(system: 'quickbooks' | 'xero'): Promise<void>;
  seedSetup(input: {
    system: FinanceSystemId;
    name: string;
    plan?: BillingPlanInput;
    data?: Partial<HandoffDataInput>;
    withCompany?: boolean;
    /** The template's `quickbooksScheduledAs`, as startBilling fixes it on the setup (default held). */
    scheduledAs?: 'held' | 'estimate';
  }): Promise<{ setupId: string; handoffId: string; dealId: string; companyId: string | null }>;
  /** A card call's context in the harness portal: user 2002 with these roles, at the harness clock. */
  contextAs(roles: string[]): Promise<HandlerContext<AppServices>>;
  close(): Promise<void>;
}

/**
 * Opens a bench on the given database. Retry sleeps are shortened 100× (recorded waits stay real).
 * @example const h = await openHarness(() => open());
 */
export async function openHarness(
  open: () => Promise<Db>,
  options: { timeZone?: string; hubspotBudget?: { requests: number; perMs: number; maxConcurrent: number } } = {},
): Promise<Harness> {
  const clock = { now: NOW };
  const now = () => clock.now;
  // Vendors' own clocks tick in real time from the test clock, so their per-second and per-minute windows slide.
  let base = { test: clock.now.getTime(), real: performance.now() };
  const vendorNow = () => {
    if (clock.now.getTime() !== base.test) base = { test: clock.now.getTime(), real: performance.now() };
    return new Date(base.test + (performance.now() - base.real));
  };
  const hubspot = createHubSpotSandbox({ portalId: PORTAL });
  const h = {} as Harness;
  h.clock = clock;
  h.hubspot = hubspot;
  // Fresh books hand out the same ids again; links into the old books must go with them (see connect()).
  let freshBooks = false;
  h.resetVendors = (o = {}) => {
    freshBooks = true;
    h.qbo = createQuickBooksSandbox({ now: vendorNow, oauth: QBO_OAUTH_CLIENT, ...o.qbo });
    h.xero = createXeroSandbox({
      now: vendorNow,
      clientId: XERO_CLIENT.clientId,
      clientSecret: XERO_CLIENT.clientSecret,
      ...o.xero,
    });
    h.stripe = createStripeSandbox({ now: vendorNow, ...o.stripe });
  };
  h.resetVendors();
  const vendors = mockVendors({
    [HUBSPOT_API]: (r) => hubspot.handle(r),
    [QBO_API]: (r) => h.qbo.handle(r),
    [QBO_OAUTH]: (r) => h.qbo.handle(r),
    'https://api.xero.com': (r) => h.xero.handle(r),
    'https://identity.xero.com': (r) => h.xero.handle(r),
    'https://api.stripe.com': (r) => h.stripe.handle(r),
  });
  vendors.start();
  const db = await open();
  const box = createSecretBox(Buffer.alloc(32, 7).toString('base64'));
  const sent: SentJob[] = [];
  const queue: Pick<JobQueue, 'send'> = {
    send: async (name, data, opts) => {
      sent.push({ queue: name, data: data as Record<string, unknown>, singletonKey: opts?.singletonKey });
      return `job-${sent.length}`;
    },
  };
  const logger = createLogger('silent');
  const runtime = createRuntime({
    db,
    box,
    queue,
    logger,
    config: { hubspot: { clientId: 'cid', clientSecret: TEST_CLIENT_SECRET, appId: '4242', apiBaseUrl: undefined } },
    // The HubSpot sandbox is in-process and limits nothing unless a test sets a limit; a test of our budget passes
    // its own (the backfill's). HubSpot's per-app default here would only make every suite wait on the limiter.
    hubspotBudget: options.hubspotBudget ?? { requests: 1_000, perMs: 1_000, maxConcurrent: 10 },
    now,
  });
  await installPortal(db, box, runtime.crmFor(PORTAL), {
    portalId: PORTAL,
    scopes: [],
    tokens: {
      accessToken: 'sandbox-token',
      refreshToken: 'sandbox-refresh',
      expiresAt: new Date(Date.now() + 3_600_000),
    },
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  Object.assign(h, { db, box, runtime, sent });
  h.contextAs = async (roles) => ({
    portalId: PORTAL,
    user: { id: '2002', roles, teams: [] },
    now: clock.now,
    logger,
    services: await runtime.services(PORTAL),
  });
  h.financeConfig = {
    quickbooks: { ...QBO_OAUTH_CLIENT, apiBaseUrl: QBO_API, webhookVerifierToken: h.qbo.webhooks.verifierToken },
    xero: { ...XERO_CLIENT, salesAccountCode: '200', webhookKey: h.xero.webhookKey },
    stripe: { webhookSecret: h.stripe.webhookSecret },
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms / 100, 200))),
    now,
  };
  h.regateway = (config) => {
    h.gateway = createFinanceGateway({ db, box, config: { ...h.financeConfig, ...config } });
    h.deps = { db, gateway: h.gateway, crmFor: runtime.crmFor, queue, logger, now };
  };
  h.regateway({});

  h.connect = async (system) => {
    if (freshBooks) {
      await db.query('DELETE FROM finance_links WHERE portal_id = $1', [PORTAL]);
      freshBooks = false;
    }
    const tenantId = system === 'quickbooks' ? h.qbo.realmId : system === 'xero' ? h.xero.tenantId : 'stripe';
    const accessToken =
      system === 'quickbooks' ? h.qbo.accessToken : system === 'xero' ? h.xero.accessToken : h.stripe.apiKey;
    await financeStore(db, PORTAL).connections.connect({
      system,
      tenantId,
      box,
      tokens: {
        accessToken,
        ...(system === 'stripe' ? {} : { refreshToken: `${system}-refresh-unknown-to-the-sandbox` }),
        expiresAt: new Date(NOW.getTime() + 3_600_000 * 24 * 365),
      },
    });
  };

  h.connectByOAuth = async (system) => {
    await h.connect(system);
    const t =
      system === 'quickbooks'
        ? await h.gateway.oauth(system).exchangeCode(h.qbo.oauth.issueCode().code, { realmId: h.qbo.realmId })
        : await h.gateway
            .oauth(system)
            .exchangeCode(h.xero.authorize({ redirectUri: XERO_CLIENT.redirectUri, tenantIds: [h.xero.tenantId] }));
    await saveTokens(db, box, { table: 'finance_connections', portalId: PORTAL, system }, t);
  };

  h.seedSetup = async (input) => {
    const store = portalStore(db, PORTAL);
    const companyId = input.withCompany === false ? null : hubspot.addCompany({ name: input.name });
    const dealId = hubspot.addDeal({ dealname: `${input.name} deal`, dealstage: 'closedwon', amount: '12000' });
    if (companyId) hubspot.associate('deals', dealId, 'companies', companyId);
    const plan = input.plan ?? monthlyPlan;
    const data = { ...financeData(input.name, input.data), billingPlan: plan };
    const at = clock.now.toISOString();
    const draft = createHandoff({ id: randomUUID(), dealId }, DEFAULT_CS_TO_FINANCE, clock.now);
    const handoff = { ...draft, state: 'billing_pending' as const, submittedAt: at, decidedAt: at, submissions: 1 };
    await store.handoffs.insert(handoff, data as never, null);
    const settings = await store.installation.settings();
    const schedule = generateSchedule(plan, { acceptanceDate: todayIn(settings.timeZone, clock.now) });
    const setup = await store.billing.ensureSetup({
      handoffId: handoff.id,
      dealId,
      companyId,
      system: input.system,
      plan,
      schedule,
      ...(input.scheduledAs ? { scheduledAs: input.scheduledAs } : {}),
    });
    return { setupId: setup.id, handoffId: handoff.id, dealId, companyId };
  };

  h.close = async () => {
    vendors.stop();
    await db.close();
  };
  return h;
}

/** What the vendor sandbox holds for one setup: customers carrying the company's reference, invoices carrying the setup's. */
export function vendorState(h: Harness, system: 'quickbooks' | 'xero' | 'stripe', companyId: string, setupId: string) {
  const ref = `hs-company-${companyId}`;
  if (system === 'quickbooks') {
    const customers = [...h.qbo.state.customers.values()].filter((c) => (c.Notes ?? '').includes(ref));
    const invoices = [...h.qbo.state.invoices.values()].filter((i) => (i.PrivateNote ?? '').includes(setupId));
    return { customers: customers.length, invoices: invoices.length, customerId: customers[0]?.Id };
  }
  if (system === 'xero') {
    const org = [...h.xero.state.orgs.values()][0];
    const customers = [...(org?.contacts.values() ?? [])].filter((c) => c.contact.ContactNumber === ref);
    const invoices = [...(org?.invoices.values() ?? [])].filter((i) => i.number.startsWith(setupId));
    return { customers: customers.length, invoices: invoices.length, customerId: customers[0]?.contact.ContactID };
  }
  const customers = [...h.stripe.state.customers.values()].filter((c) => c.metadata?.rh_external_ref === ref);
  const invoices = [...h.stripe.state.invoices.values()].filter((i) =>
    String(i.metadata?.rh_reference ?? '').startsWith(setupId),
  );
  return { customers: customers.length, invoices: invoices.length, customerId: customers[0]?.id };
}

/**
 * The backfill's dependencies on a harness, wired as src/jobs/backfill-main.ts wires them: a runtime holding
 * `budget` for HubSpot, a finance gateway with the harness's vendors (plus `finance` overrides) and one call
 * counter fed by the gateway and the deal search. Shared by the backfill suite and `npm run bench` (b).
 * @example await runBackfill(backfillDepsFor(h, { budget: { requests: 1_000, perMs: 1_000, maxConcurrent: 10 } }), PORTAL)
 */
export function backfillDepsFor(
  h: Harness,
  options: {
    budget: { requests: number; perMs: number; maxConcurrent: number };
    finance?: Partial<FinanceConfig>;
    /** The deal search's own spacing between pages; its default unless given. */
    searchMinIntervalMs?: number;
  },
): BackfillDeps {
  const calls = createCallCounter();
  const logger = createLogger('silent');
  const runtime = createRuntime({
    db: h.db,
    box: h.box,
    queue: null,
    logger,
    config: { hubspot: { clientId: 'cid', clientSecret: TEST_CLIENT_SECRET, appId: '4242', apiBaseUrl: undefined } },
    now: () => h.clock.now,
    hubspotBudget: options.budget,
  });
  const gateway = createFinanceGateway({
    db: h.db,
    box: h.box,
    config: { ...h.financeConfig, ...options.finance, onRequest: (key) => calls.add(key.split(':')[0] ?? key) },
  });
  return {
    db: h.db,
    services: runtime.services,
    gateway,
    dealSearch: (portalId) =>
      createDealSearch({
        portalId,
        accessToken: () => runtime.tokenFor(portalId),
        ...(options.searchMinIntervalMs === undefined ? {} : { minIntervalMs: options.searchMinIntervalMs }),
        onRequest: () => calls.add('hubspot'),
      }),
    logger,
    calls,
    hubspotBudget: options.budget,
    ...(options.finance?.limits ? { financeLimits: options.finance.limits } : {}),
    now: () => h.clock.now,
  };
}
