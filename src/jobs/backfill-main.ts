import 'dotenv/config';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import { DomainError } from '../core/errors.js';
import { DEMO_PORTAL_ID } from '../demo/data.js';
import { seedHistoricDeals } from '../demo/historic.js';
import { seedDemo } from '../demo/seed.js';
import { startDemoSandboxes } from '../demo/start.js';
import { financeConfigFromEnv } from '../integrations/finance/config.js';
import { DEFAULT_RATE_BUDGET, type RateBudget } from '../integrations/hubspot/client.js';
import { createDealSearch } from '../integrations/hubspot/deal-search.js';
import { compose } from '../server/compose.js';
import { createLogger } from '../server/logger.js';
import {
  type BackfillDeps,
  type BackfillProgress,
  type BackfillSummary,
  createCallCounter,
  runBackfill,
} from './backfill.js';
import { formatDuration } from './backfill-eta.js';

const USAGE = `Usage: npm run backfill -- [options]

Evaluates every historic won deal of each installed HubSpot account, links companies to finance customers,
refreshes payment status and writes the properties back. Resumable: run it again after an interruption.

Options:
  --portal <id>       only this HubSpot account (repeatable; default: every installed account)
  --restart           forget the checkpoints of an earlier run and start over
  --json              print the summary as JSON (progress goes to stderr)
  --concurrency <n>   deals processed at once (default 4; the API budgets pace them either way)
  --page-size <n>     won deals per search page and checkpoint (default 100, at most 200)
  --demo              backfill the local demo (no credentials needed; the same demo npm start runs)
  --help              this text
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number of 1 or more (got "${value}")`);
  return n;
}

function summaryText(s: BackfillSummary): string {
  const lines: string[] = [];
  const head =
    s.status === 'done'
      ? 'finished'
      : s.status === 'already_done'
        ? `already finished at ${s.finishedAt} — nothing to do (pass --restart to run it again)`
        : 'interrupted — run the same command again to continue where it stopped';
  lines.push(`Backfill of HubSpot account ${s.portalId}: ${head}`);
  if (s.stoppedBecause) lines.push(`  ${s.stoppedBecause}`);
  lines.push(
    `  deals evaluated        ${s.deals.evaluated} (complete ${s.deals.complete}, incomplete ${s.deals.incomplete})${s.deals.failed ? `, ${s.deals.failed} failed` : ''}`,
  );
  lines.push(`  handoffs created       ${s.handoffsCreated}`);
  const system = s.financeSystem ? ` (${s.financeSystem})` : '';
  lines.push(
    `  companies linked       ${s.companies.linked} new${system}, ${s.companies.alreadyLinked} already linked, ${s.companies.notMatched.length} not matched`,
  );
  if (s.financeNote) lines.push(`    ${s.financeNote}`);
  for (const n of s.companies.notMatched.slice(0, 20)) {
    lines.push(`    deal ${n.dealId}${n.companyId ? `, company ${n.companyId}` : ''}: ${n.reason}`);
  }
  if (s.companies.notMatched.length > 20)
    lines.push(`    … and ${s.companies.notMatched.length - 20} more (--json lists all)`);
  lines.push(`  payment snapshots      ${s.paymentSnapshotsRefreshed} refreshed (${s.invoicesRead} invoices read)`);
  lines.push(
    `  properties changed     ${s.propertiesChanged.total} (deals ${s.propertiesChanged.deals}, companies ${s.propertiesChanged.companies})`,
  );
  if (s.mostMissing.length > 0) {
    lines.push(`  most often missing     ${s.mostMissing.map((m) => `${m.field} (${m.deals})`).join(', ')}`);
  }
  lines.push(`  errors                 ${s.errors.length}`);
  for (const e of s.errors.slice(0, 20)) lines.push(`    deal ${e.dealId}: ${e.message}`);
  if (s.errors.length > 20) lines.push(`    … and ${s.errors.length - 20} more (--json lists all)`);
  const calls = Object.entries(s.calls)
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
  lines.push(`  elapsed                ${formatDuration(s.elapsedMs)} over ${s.sessions} session(s)`);
  lines.push(`  API calls used         ${calls || 'none'}`);
  return `${lines.join('\n')}\n`;
}

/** A progress bar on a terminal; plain lines every few seconds when the output is a file or a pipe. */
function progressView(portalId: number) {
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format: `account ${portalId} [{bar}] {value}/{total} deals | ETA {etaText} ({binding}) | calls {calls}`,
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  let lastLine = 0;
  const payload = (p: BackfillProgress) => ({
    etaText: formatDuration(p.eta.etaMs),
    binding: p.eta.binding === 'observed pace' ? 'observed pace' : `${p.eta.binding} budget`,
    calls:
      Object.entries(p.calls)
        .map(([api, n]) => `${api} ${n}`)
        .join(', ') || '0',
  });
  return {
    update(p: BackfillProgress) {
      if (bar) {
        if (!started) {
          bar.start(p.total, p.done, payload(p));
          started = true;
        } else {
          bar.setTotal(p.total);
          bar.update(p.done, payload(p));
        }
        return;
      }
      const now = Date.now();
      if (now - lastLine < 5_000 && p.done < p.total && p.done > 0) return;
      lastLine = now;
      const x = payload(p);
      process.stderr.write(
        `account ${portalId}: ${p.done}/${p.total} deals, ${p.failed} failed, ETA ${x.etaText} (${x.binding}), calls ${x.calls}\n`,
      );
    },
    stop() {
      bar?.stop();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      portal: { type: 'string', multiple: true },
      restart: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const portals = (values.portal ?? []).map((p) => {
    if (!/^\d+$/.test(p)) fail(`--portal must be a HubSpot account id (digits), got "${p}"`);
    return Number(p);
  });
  const concurrency = positive('concurrency', values.concurrency, 4);
  const pageSize = positive('page-size', values['page-size'], 100);
  if (pageSize > 200) fail('--page-size can be at most 200 (HubSpot search returns at most 200 deals a page)');

  let config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', process.stderr);
  if (config.demo && !values.demo) {
    fail(
      'No HubSpot credentials are configured (HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET in .env), so there is no installed account to backfill.\n' +
        'Run `npm run backfill -- --demo` to backfill the local demo instead.',
    );
  }
  if (values.demo && !config.demo)
    fail('--demo runs only without HubSpot credentials configured (it never touches a real account)');

  const calls = createCallCounter();
  const onRequest = (key: string) => calls.add(key.split(':')[0] ?? key);
  const demo = values.demo ? await startDemoSandboxes(config, logger) : null;
  if (demo) config = demo.config;
  const hubspotBudget: RateBudget = demo
    ? { requests: 1000, perMs: 1000, maxConcurrent: 10 }
    : { ...DEFAULT_RATE_BUDGET };
  const financeConfig = {
    ...(demo?.financeConfig ?? financeConfigFromEnv(process.env, config.publicBaseUrl)),
    onRequest,
  };
  // Workers only in the demo, whose seeding waits for its billing setups; a real backfill runs beside the server.
  const app = await compose(config, logger, { workers: Boolean(demo), hubspotBudget, financeConfig });

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: string) => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`\n${signal} again: quitting now; the deals in flight are redone on the next run.\n`);
      process.exit(130);
    }
    process.stderr.write(
      `\n${signal}: stopping after the deals in flight (Ctrl-C again to quit at once)… run the same command to continue.\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  let exitCode = 0;
  try {
    if (demo) {
      process.stderr.write('demo: seeding the demo portal and its QuickBooks books (about half a minute)…\n');
      await seedDemo(app, demo.sandboxes.hubspot, logger, demo.sandboxes.quickbooks);
      await seedHistoricDeals(app, demo.sandboxes.hubspot, demo.sandboxes.quickbooks);
      if (portals.length === 0) portals.push(DEMO_PORTAL_ID);
    }
    if (portals.length === 0) {
      const rows = await app.db.query<{ portal_id: string }>(
        'SELECT portal_id FROM installations WHERE uninstalled_at IS NULL ORDER BY portal_id',
      );
      portals.push(...rows.map((r) => Number(r.portal_id)));
      if (portals.length === 0) {
        fail('No HubSpot account has installed the app yet in this database; install it first (see README).', 1);
      }
    }
    const deps: BackfillDeps = {
      db: app.db,
      services: app.runtime.services,
      gateway: app.gateway,
      dealSearch: (portalId) =>
        createDealSearch({
          portalId,
          accessToken: () => app.runtime.tokenFor(portalId),
          ...(config.hubspot.apiBaseUrl ? { basePath: config.hubspot.apiBaseUrl } : {}),
          onRequest: () => calls.add('hubspot'),
        }),
      logger,
      hubspotBudget,
      calls,
    };
    const summaries: BackfillSummary[] = [];
    for (const portalId of portals) {
      if (controller.signal.aborted) break;
      const view = progressView(portalId);
      let summary: BackfillSummary;
      try {
        summary = await runBackfill(deps, portalId, {
          restart: values.restart,
          concurrency,
          pageSize,
          signal: controller.signal,
          onProgress: (p) => view.update(p),
        });
      } catch (e) {
        // One account that cannot be backfilled (not installed, uninstalled, no won stages) does not stop the others.
        if (!(e instanceof DomainError)) throw e;
        process.stderr.write(`\nHubSpot account ${portalId} was not backfilled: ${e.message}\n`);
        exitCode = 1;
        continue;
      } finally {
        view.stop();
      }
      summaries.push(summary);
      if (summary.stoppedBecause) exitCode = 1;
      else if (summary.status === 'interrupted') exitCode = 130;
      if (!values.json) process.stdout.write(`\n${summaryText(summary)}`);
    }
    if (values.json)
      process.stdout.write(`${JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2)}\n`);
    if (controller.signal.aborted && exitCode === 0) exitCode = 130;
  } finally {
    await app.stop().catch(() => {});
    await demo?.sandboxes.close().catch(() => {});
  }
  process.exit(exitCode);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\nSee .env.example and the README's configuration table.\n`);
  } else {
    process.stderr.write(`Backfill failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
