import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { forgetPipelines } from '../../src/app/deal-context.js';
import { installPortal } from '../../src/app/install.js';
import { loadConfig } from '../../src/config.js';
import type { FinanceConfig, FinanceGateway } from '../../src/integrations/finance/factory.js';
import {
  createQuickBooksSandbox,
  type QuickBooksSandbox,
} from '../../src/integrations/finance/quickbooks/sandbox/index.js';
import { createStripeSandbox, type StripeSandbox } from '../../src/integrations/finance/stripe/index.js';
import { createXeroSandbox, type XeroSandbox } from '../../src/integrations/finance/xero/index.js';
import { createHubSpotSandbox, type HubSpotSandbox } from '../../src/integrations/hubspot/sandbox/index.js';
import { compose } from '../../src/server/compose.js';
import { createLogger } from '../../src/server/logger.js';
import type { Runtime } from '../../src/server/runtime.js';
import type { Db } from '../../src/store/db.js';
import type { SecretBox } from '../../src/store/secrets.js';
import { mockVendors } from './msw.js';
import { TEST_BASE_URL, TEST_CLIENT_SECRET } from './signed.js';

/**
 * The whole public surface of the app in-process, for the fuzzing and security suites: the app exactly as
 * `compose()` builds it for `npm start` (card API, HubSpot and finance webhooks and OAuth routes, helmet, error
 * handling; pg-boss send-only, no workers), over in-memory PGlite, with HubSpot, QuickBooks, Xero and Stripe
 * sandboxes behind msw. Two portals are installed — A and B, each with the four roles — so isolation can be tested.
 *
 * Unlike `startBackend()`, one HubSpot client secret is used for everything (card signatures, webhook signatures,
 * the OAuth token endpoint), as in a real HubSpot app, and the logger can write to a stream the test reads.
 */

export const PORTAL_A = 62515;
export const PORTAL_B = 90210;
export const APP_ID = '4242';
export const HUBSPOT_CLIENT_ID = 'rh-test-client-id';
export const HUBSPOT_API = 'https://api.hubapi.com';
export const QBO_API = 'https://sandbox-quickbooks.api.intuit.com';
export const QBO_OAUTH = 'https://oauth.platform.intuit.com';

/** HubSpot user ids per role, the same in both portals. */
export const USERS = { rep: '1001', csm: '2002', finance: '3003', revops: '4004' } as const;

export const ROLE_SETTINGS = {
  users: {
    [USERS.rep]: { roles: ['sales'], teams: ['sales'] },
    [USERS.csm]: { roles: ['customer_success'], teams: ['customer_success'] },
    [USERS.finance]: { roles: ['finance'], teams: ['finance'] },
    [USERS.revops]: { roles: ['revops'], teams: ['revops'] },
  },
};

/** Every secret the app holds; the log and dump suites scan for these. Fresh random values per start. */
export interface AppSecrets {
  hubspotClientSecret: string;
  encryptionKey: string;
  qboClientSecret: string;
  qboVerifierToken: string;
  xeroClientSecret: string;
  xeroWebhookKey: string;
  stripeApiKey: string;
  stripeWebhookSecret: string;
}

export interface SentJob {
  queue: string;
  data: Record<string, unknown>;
}

export interface WholeApp {
  app: Express;
  db: Db;
  box: SecretBox;
  runtime: Runtime;
  hubspot: HubSpotSandbox;
  qbo: QuickBooksSandbox;
  xero: XeroSandbox;
  stripe: StripeSandbox;
  gateway: FinanceGateway;
  financeConfig: FinanceConfig;
  secrets: AppSecrets;
  /** Jobs queued so far (pg-boss rows), oldest first. */
  jobs(): Promise<SentJob[]>;
  /** Every token a vendor sandbox handed out (access and refresh), in the order they were issued. */
  issuedTokens: string[];
  /** Tokens the app was given without an OAuth exchange: the installed portals' and the sandboxes' fixed ones. */
  seededTokens: string[];
  /** Lines the logger wrote (only when started with `captureLogs`). */
  logLines: string[];
  stop(): Promise<void>;
}

const rand = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

/** Collects token values from a vendor's JSON token responses, whatever the vendor calls them. */
function tokensIn(body: unknown, out: string[]): void {
  if (!body || typeof body !== 'object') return;
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' && /^(access_token|refresh_token|id_token)$/.test(k)) out.push(v);
  }
}

/**
 * Starts the whole app with portals A and B installed (both through the real install routine).
 * @example const w = await startWholeApp({ captureLogs: true }); await signedPost(w.app, '/api/getSettings', {}, { portalId: PORTAL_A })
 */
export async function startWholeApp(options: { captureLogs?: boolean; logLevel?: string } = {}): Promise<WholeApp> {
  forgetPipelines();
  const secrets: AppSecrets = {
    hubspotClientSecret: TEST_CLIENT_SECRET,
    encryptionKey: randomBytes(32).toString('base64'),
    qboClientSecret: rand('qbo-secret-'),
    qboVerifierToken: rand('qbo-verifier-'),
    xeroClientSecret: rand('xero-secret-'),
    xeroWebhookKey: rand('xero-hook-'),
    stripeApiKey: `sk_test_${randomBytes(18).toString('hex')}`,
    stripeWebhookSecret: `whsec_${randomBytes(18).toString('hex')}`,
  };
  const issuedTokens: string[] = [];
  const recordTokens =
    (handle: (r: Request) => Promise<Response>) =>
    async (request: Request): Promise<Response> => {
      const response = await handle(request);
      if ((response.headers.get('content-type') ?? '').includes('json')) {
        try {
          tokensIn(await response.clone().json(), issuedTokens);
        } catch {
          // not JSON after all
        }
      }
      return response;
    };

  const tokenA = rand('hs-access-a-');
  const hubspot = createHubSpotSandbox({
    portalId: PORTAL_A,
    accessToken: tokenA,
    app: { appId: Number(APP_ID), clientId: HUBSPOT_CLIENT_ID, clientSecret: secrets.hubspotClientSecret },
  });
  const tokenB = rand('hs-access-b-');
  hubspot.addPortal(PORTAL_B, { accessToken: tokenB });
  const qboOAuth = {
    clientId: 'qbo-client',
    clientSecret: secrets.qboClientSecret,
    redirectUri: `${TEST_BASE_URL}/oauth/quickbooks/callback`,
  };
  const xeroOAuth = {
    clientId: 'xero-client',
    clientSecret: secrets.xeroClientSecret,
    redirectUri: `${TEST_BASE_URL}/oauth/xero/callback`,
  };
  const qbo = createQuickBooksSandbox({ oauth: qboOAuth, webhookVerifierToken: secrets.qboVerifierToken });
  const xero = createXeroSandbox({
    clientId: xeroOAuth.clientId,
    clientSecret: xeroOAuth.clientSecret,
    webhookKey: secrets.xeroWebhookKey,
  });
  const stripe = createStripeSandbox({ apiKeys: [secrets.stripeApiKey], webhookSecret: secrets.stripeWebhookSecret });
  const vendors = mockVendors({
    [HUBSPOT_API]: recordTokens(hubspot.handle),
    [QBO_API]: recordTokens(qbo.handle),
    [QBO_OAUTH]: recordTokens(qbo.handle),
    'https://api.xero.com': recordTokens(xero.handle),
    'https://identity.xero.com': recordTokens(xero.handle),
    'https://api.stripe.com': recordTokens(stripe.handle),
  });
  vendors.start();

  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = options.captureLogs
    ? createLogger(options.logLevel ?? 'trace', stream)
    : createLogger(options.logLevel ?? 'silent');

  const financeConfig: FinanceConfig = {
    quickbooks: { ...qboOAuth, apiBaseUrl: QBO_API, webhookVerifierToken: secrets.qboVerifierToken },
    xero: { ...xeroOAuth, salesAccountCode: '200', webhookKey: secrets.xeroWebhookKey },
    stripe: { webhookSecret: secrets.stripeWebhookSecret },
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms / 100, 50))),
  };
  // The app exactly as `npm start` composes it (routes, routers' order, helmet, error handling), minus the workers.
  const config = loadConfig({
    PORT: '0',
    PGLITE_DATA_DIR: 'memory://',
    PUBLIC_BASE_URL: TEST_BASE_URL,
    ENCRYPTION_KEY: secrets.encryptionKey,
    HUBSPOT_CLIENT_ID,
    HUBSPOT_CLIENT_SECRET: secrets.hubspotClientSecret,
    HUBSPOT_APP_ID: APP_ID,
    LOG_LEVEL: 'silent',
  });
  const composed = await compose(config, logger, {
    workers: false,
    financeConfig,
    // HubSpot's per-app budget is not under test here, and would stretch a long fuzz run to hours.
    hubspotBudget: { requests: 10_000, perMs: 1_000, maxConcurrent: 10 },
  });
  const { db, box, runtime, gateway, app } = composed;

  const seededTokens = [tokenA, tokenB, qbo.accessToken, xero.accessToken, secrets.stripeApiKey];
  for (const [portalId, accessToken] of [
    [PORTAL_A, tokenA],
    [PORTAL_B, tokenB],
  ] as const) {
    const refreshToken = rand('hs-refresh-');
    seededTokens.push(refreshToken);
    await installPortal(db, box, runtime.crmFor(portalId), {
      portalId,
      scopes: [],
      tokens: { accessToken, refreshToken, expiresAt: new Date(Date.now() + 3_600_000) },
      settings: ROLE_SETTINGS as never,
    });
  }

  async function jobs(): Promise<SentJob[]> {
    const rows = await db.query<{ name: string; data: Record<string, unknown> }>(
      'SELECT name, data FROM pgboss.job ORDER BY created_on, id',
    );
    return rows.map((r) => ({ queue: r.name, data: r.data }));
  }

  return {
    app,
    db,
    box,
    runtime,
    hubspot,
    qbo,
    xero,
    stripe,
    gateway,
    financeConfig,
    secrets,
    jobs,
    issuedTokens,
    seededTokens,
    logLines,
    async stop() {
      vendors.stop();
      await composed.stop();
    },
  };
}

/** The app's own tables, for "nothing stored" checks (the rate-limit log and the migration list excluded). */
export const STATE_TABLES = [
  'installations',
  'oauth_states',
  'handoff_templates',
  'handoffs',
  'handoff_events',
  'handoff_exceptions',
  'inbound_events',
  'billing_setups',
  'billing_steps',
  'scheduled_invoices',
  'finance_connections',
  'finance_links',
  'invoice_snapshots',
  'deal_stage_memory',
  'metric_facts',
  // Jobs are state too: a refused request must not queue one.
  'pgboss.job',
] as const;

export type Snapshot = Record<string, { rows: number; digest: string }>;

/** How each table is narrowed to one portal (billing_steps has no portal column: through its setup). */
function portalFilter(table: string, portalId: number): string {
  const id = Math.trunc(portalId);
  if (table === 'billing_steps') return `WHERE setup_id IN (SELECT id FROM billing_setups WHERE portal_id = ${id})`;
  if (table === 'pgboss.job') return `WHERE data->>'portalId' = '${id}'`;
  return `WHERE portal_id = ${id}`;
}

/**
 * Row count and a digest of every row of each table (optionally only one portal's rows): two equal snapshots mean
 * nothing was inserted, updated or deleted in between.
 * @example const before = await snapshot(db); …; expect(await snapshot(db)).toEqual(before)
 */
export async function snapshot(
  db: Db,
  options: { portalId?: number; tables?: ReadonlyArray<string> } = {},
): Promise<Snapshot> {
  const tables = options.tables ?? STATE_TABLES;
  // One statement for all tables: the fuzzer takes two snapshots per request.
  const sql = tables
    .map((t) => {
      const where = options.portalId === undefined ? '' : portalFilter(t, options.portalId);
      return `SELECT '${t}' AS t, count(*) AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM ${t} x ${where}`;
    })
    .join(' UNION ALL ');
  const out: Snapshot = {};
  for (const r of await db.query<{ t: string; n: string; d: string }>(sql)) {
    out[r.t] = { rows: Number(r.n), digest: r.d };
  }
  return out;
}

/** Rows in a table (optionally of one portal). */
export async function rowCount(db: Db, table: string, portalId?: number): Promise<number> {
  const where = portalId === undefined ? '' : portalFilter(table, portalId);
  const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} x ${where}`);
  return Number(row?.n ?? 0);
}

/**
 * Installs one more portal (the sandbox gets it too), with the same four users. A portal bills through one finance
 * system at a time, so a test that needs three connected systems needs three portals.
 * @example await installAnotherPortal(w, 31337)
 */
export async function installAnotherPortal(w: WholeApp, portalId: number): Promise<void> {
  const accessToken = rand(`hs-access-${portalId}-`);
  const refreshToken = rand('hs-refresh-');
  w.seededTokens.push(accessToken, refreshToken);
  w.hubspot.addPortal(portalId, { accessToken });
  await installPortal(w.db, w.box, w.runtime.crmFor(portalId), {
    portalId,
    scopes: [],
    tokens: { accessToken, refreshToken, expiresAt: new Date(Date.now() + 3_600_000) },
    settings: ROLE_SETTINGS as never,
  });
}

/** Rows inserted, updated or deleted so far, per table. */
export type Changes = Record<string, number>;

/**
 * Counts every row inserted, updated or deleted in the state tables, per table, with row triggers installed on the
 * test database (the app's code is untouched). Comparing two counts costs one query whatever the tables hold, so a
 * long fuzz run stays linear, where `snapshot` digests every row and slows down as the tables grow.
 * @example const changes = await trackChanges(db); const before = await changes(); …; expect(await changes()).toEqual(before)
 */
export async function trackChanges(
  db: Db,
  tables: ReadonlyArray<string> = STATE_TABLES,
): Promise<() => Promise<Changes>> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS zz_test_changes (table_name text PRIMARY KEY, n bigint NOT NULL);
    CREATE OR REPLACE FUNCTION zz_test_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- pg-boss keeps jobs in partitions of pgboss.job: count them all as that table.
      INSERT INTO zz_test_changes
        VALUES (CASE TG_TABLE_SCHEMA WHEN 'public' THEN TG_TABLE_NAME WHEN 'pgboss' THEN 'pgboss.job' END, 1)
        ON CONFLICT (table_name) DO UPDATE SET n = zz_test_changes.n + 1;
      RETURN NULL;
    END;
    $$;`);
  for (const t of tables) {
    await db.exec(`DROP TRIGGER IF EXISTS zz_test_changes ON ${t};
      CREATE TRIGGER zz_test_changes AFTER INSERT OR UPDATE OR DELETE ON ${t}
        FOR EACH ROW EXECUTE FUNCTION zz_test_count_change();`);
  }
  return async () => {
    const out: Changes = Object.fromEntries(tables.map((t) => [t, 0]));
    for (const r of await db.query<{ table_name: string; n: string }>('SELECT table_name, n FROM zz_test_changes')) {
      out[r.table_name] = Number(r.n);
    }
    return out;
  };
}
