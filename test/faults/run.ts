/**
 * `npm run test:faults` (tsx test/faults/run.ts): many billing setups in the QuickBooks sandbox (in-process, msw)
 * under injected faults, then invariants. Prints a table; exits 1 when an invariant fails. Bounded: FAULTS_SETUPS
 * (default 120) setups, a deadline of FAULTS_DEADLINE_S (default 150) seconds for the batch.
 */
import express from 'express';
import request from 'supertest';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { QUEUES } from '../../src/jobs/queue.js';
import { refreshReceivables } from '../../src/jobs/receivables.js';
import { runReconciliation } from '../../src/jobs/reconciliation.js';
import { financeWebhooksRouter } from '../../src/server/finance-webhooks.js';
import { hubspotWebhookRouter } from '../../src/server/hubspot-webhooks.js';
import { createLogger } from '../../src/server/logger.js';
import { financeStore } from '../../src/store/finance-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { accessTokenAcrossProcesses } from '../../src/store/tokens.js';
import { openHarness, PORTAL, QBO_OAUTH, QBO_OAUTH_CLIENT } from '../support/finance-harness.js';
import { TEST_BASE_URL, TEST_CLIENT_SECRET } from '../support/signed.js';
import { deliver, stageChange } from '../support/webhooks.js';

const SETUPS = Number(process.env.FAULTS_SETUPS ?? 120);
const WORKERS = 8;
const DEADLINE = Date.now() + Number(process.env.FAULTS_DEADLINE_S ?? 150) * 1000;
const REQUEST_FAULT_P = 0.2;
const KILL_P = 0.07;

// A seeded PRNG, so a failing run can be replayed (FAULTS_SEED).
let seed = Number(process.env.FAULTS_SEED ?? 20261125) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const injected = {
  '429 with Retry-After': 0,
  '5xx': 0,
  'timeout before the vendor': 0,
  'timeout after the vendor wrote': 0,
  'process kill between steps': 0,
  'job abandoned mid-flight': 0,
  'HubSpot 5xx/429 at writeback': 0,
  'duplicate HubSpot webhook': 0,
  'out-of-order HubSpot webhook': 0,
  'duplicate finance webhook': 0,
  'out-of-order finance webhook': 0,
  'token expiry during the batch': 0,
  'access token revoked at the vendor': 0,
  'two workers refresh one rotating token': 0,
};
const checks: Array<{ name: string; value: number | string; ok: boolean; proves: string }> = [];
const check = (name: string, value: number | string, ok: boolean, proves: string) =>
  checks.push({ name, value, ok, proves });

class Killed extends Error {}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const started = performance.now();
const h = await openHarness(async () => {
  const db = await openPglite();
  await migrate(db);
  return db;
});
// Vendor limits are not what this run is about (injected 429s are): a budget the batch cannot exhaust.
h.resetVendors({ qbo: { limits: { requestsPerMinute: 1_000_000, concurrentRequests: 50 } } });
h.regateway({
  limits: {
    quickbooks: (realm) => ({
      key: `quickbooks:${realm}`,
      windows: [{ ms: 60_000, max: 1_000_000 }],
      maxConcurrent: 20,
    }),
  },
});

// Connect through the sandbox's OAuth, so the stored refresh token is one the sandbox rotates.
async function exchange(form: Record<string, string>) {
  const res = await fetch(`${QBO_OAUTH}/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${QBO_OAUTH_CLIENT.clientId}:${QBO_OAUTH_CLIENT.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  if (res.status !== 200) throw new Error(`token endpoint ${res.status}: ${await res.text()}`);
  return (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
}
{
  const { code, realmId } = h.qbo.oauth.issueCode();
  const t = await exchange({ grant_type: 'authorization_code', code, redirect_uri: QBO_OAUTH_CLIENT.redirectUri });
  await financeStore(h.db, PORTAL).connections.connect({
    system: 'quickbooks',
    tenantId: realmId,
    box: h.box,
    tokens: {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(h.clock.now.getTime() + t.expires_in * 1000),
    },
  });
}

// --- request faults in front of the QuickBooks sandbox (the harness's msw route calls h.qbo.handle late-bound) ---
let faultsOn = true;
const qbo = h.qbo;
const original = qbo.handle.bind(qbo);
// FAULTS_SELFTEST=strip-requestid: the vendor stops honouring idempotency keys, so the invariants must catch duplicates.
const stripRequestId = process.env.FAULTS_SELFTEST === 'strip-requestid';
(qbo as { handle: typeof qbo.handle }).handle = async (request: Request) => {
  let r = request;
  if (stripRequestId && new URL(r.url).searchParams.has('requestid')) {
    const url = new URL(r.url);
    url.searchParams.delete('requestid');
    r = new Request(url, r);
  }
  if (!faultsOn || new URL(r.url).pathname.startsWith('/oauth2/') || random() >= REQUEST_FAULT_P) return original(r);
  const pick = random();
  if (pick < 0.35) {
    injected['429 with Retry-After']++;
    const body = {
      Fault: {
        Error: [
          { Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'injected', code: '3001' },
        ],
        type: 'ThrottlingFault',
      },
      time: new Date().toISOString(),
    };
    return Response.json(body, { status: 429, headers: { 'retry-after': String(1 + Math.floor(random() * 3)) } });
  }
  if (pick < 0.65) {
    injected['5xx']++;
    const status = random() < 0.5 ? 500 : 503;
    return Response.json(
      {
        Fault: {
          Error: [{ Message: 'An application error has occurred', Detail: 'injected', code: '10000' }],
          type: 'SystemFault',
        },
      },
      { status },
    );
  }
  if (pick < 0.8) {
    injected['timeout before the vendor']++;
    return Response.error();
  }
  // The vendor did the work; the answer never arrived.
  injected['timeout after the vendor wrote']++;
  await original(r);
  return Response.error();
};

// HubSpot trouble at the write-back.
const hubspotFault = () => {
  if (random() < 0.15) {
    injected['HubSpot 5xx/429 at writeback']++;
    h.hubspot.failNext(
      random() < 0.5
        ? { method: 'PATCH', path: /\/crm\/v3\/objects\/deals\//, status: 502 }
        : { method: 'PATCH', path: /\/crm\/v3\/objects\/deals\//, status: 429, headers: { 'retry-after': '1' } },
    );
  }
};

// --- the batch: WORKERS concurrent "queue workers", each job retried by the "queue" until it settles ----------
const seeds = [];
for (let i = 0; i < SETUPS; i++) seeds.push(await h.seedSetup({ system: 'quickbooks', name: `Fault Co ${i}` }));
const outcomes = new Map<string, string>();
const queue = [...seeds];
let done = 0;
let attemptsTotal = 0;
const expiryAt = new Set([
  Math.floor(SETUPS * 0.2),
  Math.floor(SETUPS * 0.4),
  Math.floor(SETUPS * 0.6),
  Math.floor(SETUPS * 0.8),
]);
// QuickBooks refuses every access token it issued (revoked, or expired early) while the vault holds them as fresh.
const revokedAt = new Set([
  Math.floor(SETUPS * 0.1),
  Math.floor(SETUPS * 0.3),
  Math.floor(SETUPS * 0.5),
  Math.floor(SETUPS * 0.7),
  Math.floor(SETUPS * 0.9),
]);
const SAFE_TO_HANG = new Set(['start', 'terms:done', 'po:done', 'schedule:done']);

await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      for (let attempt = 1; Date.now() < DEADLINE; attempt++) {
        attemptsTotal++;
        hubspotFault();
        const checkpoint = async (name: string) => {
          if (random() >= KILL_P) return;
          if (SAFE_TO_HANG.has(name) && random() < 0.3) {
            injected['job abandoned mid-flight']++;
            // This attempt never comes back (a worker frozen or gone); the queue starts another after expiry.
            abandon();
            await new Promise<never>(() => {});
          }
          injected['process kill between steps']++;
          throw new Killed(`killed at ${name}`);
        };
        let abandon = () => {};
        const abandoned = new Promise<'abandoned'>((resolve) => {
          abandon = () => resolve('abandoned');
        });
        try {
          const out = await Promise.race([
            runBillingSetup(
              h.deps,
              { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId },
              { checkpoint, lastAttempt: attempt >= 25 },
            ),
            abandoned,
          ]);
          if (out === 'abandoned') continue;
          if (out.status === 'failed') {
            outcomes.set(s.setupId, `failed: ${out.error.kind} at ${out.error.step}: ${out.error.message}`);
            break;
          }
          // 'skipped' here means "already live": a kill after the setup went live, and the retry found it done.
          outcomes.set(s.setupId, out.status === 'skipped' ? `skipped: ${out.reason}` : out.status);
          break;
        } catch {
          await sleep(5); // the queue's retry backoff, shortened
        }
      }
      done++;
      if (expiryAt.has(done)) {
        // The vault's copy is about to expire (within its 2-minute skew): the next call refreshes and rotates.
        injected['token expiry during the batch']++;
        h.clock.now = new Date(h.clock.now.getTime() + 59 * 60_000);
      }
      if (revokedAt.has(done)) {
        injected['access token revoked at the vendor']++;
        qbo.expireAccessTokens();
      }
    }
  }),
);
faultsOn = false;
const batchSeconds = (performance.now() - started) / 1000;

// --- invariants over the batch -----------------------------------------------------------------------------------
const setupRows = await h.db.query<{ id: string; status: string }>(
  'SELECT id, status FROM billing_setups WHERE portal_id = $1',
  [PORTAL],
);
const live = setupRows.filter((r) => r.status === 'live').length;
const failedRows = setupRows.filter((r) => r.status === 'failed');
const handoffsLive = await h.db.query<{ n: string }>(
  "SELECT count(*) AS n FROM handoffs WHERE portal_id = $1 AND state = 'billing_live'",
  [PORTAL],
);
const customers = [...qbo.state.customers.values()];
const dupCustomers = customers.length - new Set(customers.map((c) => c.DisplayName.toLowerCase())).size;
const invoices = [...qbo.state.invoices.values()];
const invoiceKeys = invoices.map((i) => `${i.CustomerRef.value}|${i.TxnDate}|${i.TotalAmt}`);
const dupInvoices = invoiceKeys.length - new Set(invoiceKeys).size;
const expectedInvoices = SETUPS * 3; // the monthly plan has three invoices due on 2026-05-15 (see finance-harness)
const links = await h.db.query<{ n: string }>(
  'SELECT count(DISTINCT customer_id) AS n FROM finance_links WHERE portal_id = $1',
  [PORTAL],
);

check(
  'billing setups completed (live)',
  `${live}/${SETUPS}`,
  live === SETUPS,
  'every setup reached live despite the faults',
);
check(
  'lost',
  SETUPS - live - failedRows.length,
  SETUPS - live - failedRows.length === 0,
  'no setup is left pending/running',
);
check(
  'failed (needs a person)',
  failedRows.length,
  failedRows.length === 0,
  'no transient fault was turned into a final failure',
);
check(
  'handoffs billing_live',
  Number(handoffsLive[0]?.n),
  Number(handoffsLive[0]?.n) === SETUPS,
  'each handoff recorded billing_live once it went live',
);
check(
  'duplicate customers',
  dupCustomers,
  dupCustomers === 0 && customers.length === SETUPS,
  'one vendor customer per setup (count = setups)',
);
check(
  'duplicate invoices',
  dupInvoices,
  dupInvoices === 0 && invoices.length === expectedInvoices,
  `exactly the due invoices, no more (${invoices.length}/${expectedInvoices})`,
);
check(
  'customer links',
  Number(links[0]?.n),
  Number(links[0]?.n) === SETUPS,
  'every vendor customer is linked to exactly one company',
);
const deals = [...outcomes.keys()].length;
check('jobs settled', `${deals}/${SETUPS}`, deals === SETUPS, 'the batch finished before its deadline');

// --- two workers refreshing one rotating token ------------------------------------------------------------------
{
  const owner = { table: 'finance_connections', portalId: PORTAL, system: 'quickbooks' } as const;
  const refresh = async (refreshToken: string) => {
    const t = await exchange({ grant_type: 'refresh_token', refresh_token: refreshToken });
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(h.clock.now.getTime() + t.expires_in * 1000),
    };
  };
  let agreed = 0;
  const rounds = 10;
  for (let i = 0; i < rounds; i++) {
    h.clock.now = new Date(h.clock.now.getTime() + 59 * 60_000);
    const before = qbo.calls.filter((c) => c.route === 'POST oauth/token').length;
    injected['two workers refresh one rotating token']++;
    const tokens = await Promise.all(
      [0, 1].map(() => accessTokenAcrossProcesses(h.db, h.box, owner, refresh, () => h.clock.now, 120_000)),
    );
    const refreshes = qbo.calls.slice(0).filter((c) => c.route === 'POST oauth/token').length - before;
    if (tokens[0] === tokens[1] && refreshes === 1) agreed++;
  }
  const refused = qbo.calls.filter((c) => c.route === 'POST oauth/token' && c.status !== 200).length;
  const [conn] = await h.db.query<{ status: string }>(
    "SELECT status FROM finance_connections WHERE portal_id = $1 AND system = 'quickbooks'",
    [PORTAL],
  );
  check(
    'rotating-token races resolved',
    `${agreed}/${rounds}`,
    agreed === rounds,
    'two concurrent refreshers: one refresh at the vendor, same token for both',
  );
  check(
    'refused refreshes',
    refused,
    refused === 0 && conn?.status === 'connected',
    'no rotated-away refresh token was ever replayed; still connected',
  );
}

// --- HubSpot webhooks: duplicated and out of order --------------------------------------------------------------
{
  const app = express();
  app.use(
    hubspotWebhookRouter({
      db: h.db,
      queue: { send: async () => 'job', sendMany: async () => undefined },
      clientSecret: TEST_CLIENT_SECRET,
      publicBaseUrl: TEST_BASE_URL,
      logger: createLogger('silent'),
    }),
  );
  const before = await h.db.query<{ n: string }>(
    "SELECT count(*) AS n FROM inbound_events WHERE source LIKE 'hubspot%'",
  );
  const ids = new Set<number>();
  let non200 = 0;
  for (let i = 0; i < 40; i++) {
    const dealId = String(700_000 + i);
    const t = Date.now() - 60_000;
    const a = stageChange(PORTAL, dealId, 'contractsent', { occurredAt: t });
    const b = stageChange(PORTAL, dealId, 'closedwon', { occurredAt: t + 1_000 });
    ids.add(a.eventId).add(b.eventId);
    // newer first (out of order), then each again (duplicates), one combined redelivery as HubSpot batches them
    const deliveries = [[b], [a], [b], [a, b]];
    injected['out-of-order HubSpot webhook']++;
    injected['duplicate HubSpot webhook'] += 3;
    for (const events of deliveries) if ((await deliver(app as never, events)).status !== 200) non200++;
  }
  const after = await h.db.query<{ n: string }>(
    "SELECT count(*) AS n FROM inbound_events WHERE source LIKE 'hubspot%'",
  );
  const stored = Number(after[0]?.n) - Number(before[0]?.n);
  check('HubSpot webhook acks', non200, non200 === 0, 'every delivery, duplicate or late, is acknowledged 200');
  check(
    'HubSpot events stored once',
    `${stored}/${ids.size}`,
    stored === ids.size,
    'each event persisted exactly once whatever the redeliveries',
  );
}

// --- finance webhooks: QuickBooks payments, duplicated and out of order -----------------------------------------
{
  const app = express();
  app.use(financeWebhooksRouter({ ...h.deps, box: h.box }));
  const sample = customers.slice(0, 30);
  for (const c of sample)
    await refreshReceivables(h.deps, { portalId: PORTAL, system: 'quickbooks', customerId: c.Id });
  qbo.webhooks.takeDelivery();
  const deliveries = [];
  for (const c of sample) {
    const open = invoices
      .filter((i) => i.CustomerRef.value === c.Id)
      .sort((x, y) => x.TxnDate.localeCompare(y.TxnDate));
    for (const inv of open.slice(0, 2)) {
      qbo.pay(inv.Id, { amount: random() < 0.5 ? undefined : 250 } as { amount?: number });
      const d = qbo.webhooks.takeDelivery();
      if (d) deliveries.push(d);
    }
  }
  h.sent.length = 0;
  let non200 = 0;
  // newest first, then everything again
  for (const d of [...deliveries].reverse()) {
    injected['out-of-order finance webhook']++;
    if ((await request(app).post('/webhooks/quickbooks').set(d.headers).send(d.body)).status !== 200) non200++;
  }
  for (const d of deliveries) {
    injected['duplicate finance webhook']++;
    if ((await request(app).post('/webhooks/quickbooks').set(d.headers).send(d.body)).status !== 200) non200++;
  }
  // Drain what the webhooks queued, once per singleton key, as pg-boss would.
  const seen = new Set<string>();
  for (const job of [...h.sent]) {
    const key = `${job.queue}:${job.singletonKey ?? JSON.stringify(job.data)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (job.queue === QUEUES.receivablesRefresh.name) await refreshReceivables(h.deps, job.data as never);
    else if (job.queue === QUEUES.reconciliation.name) await runReconciliation(h.deps, job.data as never);
  }
  for (const job of h.sent.slice(0)) {
    if (job.queue === QUEUES.receivablesRefresh.name && !seen.has(`${job.queue}:${job.singletonKey}`)) {
      await refreshReceivables(h.deps, job.data as never);
    }
  }
  let mismatched = 0;
  for (const c of sample) {
    const vendorDue = invoices
      .filter((i) => i.CustomerRef.value === c.Id)
      .reduce((s, i) => s + Math.round((qbo.state.invoices.get(i.Id)?.Balance ?? 0) * 100), 0);
    const [row] = await h.db.query<{ due: string | null }>(
      "SELECT sum(amount_due) AS due FROM invoice_snapshots WHERE portal_id = $1 AND system = 'quickbooks' AND customer_id = $2",
      [PORTAL, c.Id],
    );
    if (Number(row?.due ?? 0) !== vendorDue) mismatched++;
  }
  check('finance webhook acks', non200, non200 === 0, 'every delivery, duplicate or late, is acknowledged 200');
  check(
    'receivables match the vendor',
    `${sample.length - mismatched}/${sample.length}`,
    mismatched === 0,
    'after duplicated/reordered payment webhooks, each snapshot equals QuickBooks balances',
  );
}

// --- report --------------------------------------------------------------------------------------------------------
const total = Object.values(injected).reduce((a, b) => a + b, 0);
check('faults injected', total, total >= 500, 'at least 500 faults were injected');
const w = Math.max(...Object.keys(injected).map((k) => k.length), ...checks.map((c) => c.name.length));
console.log(
  `\nFault injection: ${SETUPS} billing setups, ${WORKERS} workers, ${attemptsTotal} job attempts, seed ${process.env.FAULTS_SEED ?? 20261125}, ${Math.round(batchSeconds)} s batch, ${Math.round((performance.now() - started) / 1000)} s total\n`,
);
console.log('faults injected per kind');
for (const [k, v] of Object.entries(injected)) console.log(`  ${k.padEnd(w)}  ${v}`);
console.log(`  ${'total'.padEnd(w)}  ${total}\n`);
console.log('invariants');
for (const c of checks)
  console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(w)}  ${String(c.value).padEnd(8)}  ${c.proves}`);
const failures = checks.filter((c) => !c.ok);
const resumedLive = [...outcomes.values()].filter((o) => o === 'skipped: billing setup is live').length;
console.log(`  (${resumedLive} setups were killed after going live; their retry found them live and did nothing)`);
for (const [id, o] of outcomes)
  if (o !== 'live' && o !== 'skipped: billing setup is live') console.log(`  setup ${id}: ${o}`);
await h.close().catch(() => {});
console.log(failures.length ? `\n${failures.length} invariant(s) FAILED` : '\nall invariants hold');
process.exit(failures.length ? 1 : 0);
