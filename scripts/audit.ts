/**
 * `npm run audit -- --month YYYY-MM [--portal <id>] [--csv <file>] [--json]`: the monthly audit of one portal,
 * printed as a table (or JSON), optionally written as CSV. With HubSpot credentials or a database configured
 * (DATABASE_URL, PGLITE_DATA_DIR) it reads that database; with nothing configured it boots the demo in-process — the
 * same seeded portal `npm start` shows — and audits it. The month defaults to the current one in the portal's zone.
 */
import 'dotenv/config';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { monthlyAuditOf } from '../src/app/audit-service.js';
import { type AppConfig, loadConfig } from '../src/config.js';
import { todayIn } from '../src/core/dates.js';
import { DomainError, domainErrorIn } from '../src/core/errors.js';
import { parseInput } from '../src/core/validate.js';
import { auditRows, type MonthlyAudit, MonthSchema } from '../src/metrics/audit.js';
import type { Db } from '../src/store/db.js';
import { currentVersion, LATEST_MIGRATION } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open.js';
import { portalStore } from '../src/store/portal-store.js';

const USAGE = `Usage: npm run audit -- [--month YYYY-MM] [--portal <HubSpot portal id>] [--csv <file>] [--json]
  --month   the calendar month to audit, in the portal's time zone (default: the current month)
  --portal  the portal to audit (default: the only installed portal)
  --csv     also write the table as CSV to this file
  --json    print the whole audit as JSON instead of the table`;

const ArgsSchema = z.strictObject({
  month: MonthSchema.optional(),
  portal: z
    .string()
    .refine((p) => /^\d{1,15}$/.test(p) && Number(p) > 0, {
      error: (i) => `"${String(i.input)}" is not a HubSpot portal id: give its number, e.g. 12345678`,
    })
    .transform(Number)
    .optional(),
  csv: z.string().trim().min(1, 'needs a file name, e.g. --csv audit.csv').optional(),
  json: z.boolean().optional(),
  help: z.boolean().optional(),
});
export type AuditArgs = z.output<typeof ArgsSchema>;

/**
 * The command line, checked: an unknown option or a bad value is a DomainError naming the option and what it accepts.
 * @example parseAuditArgs(['--month', '2026-03']).month // '2026-03'
 */
export function parseAuditArgs(argv: string[]): AuditArgs {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        month: { type: 'string' },
        portal: { type: 'string' },
        csv: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new DomainError('invalid_input', `${(e as Error).message.split('\n')[0]}\n${USAGE}`);
  }
  return parseInput(ArgsSchema, values);
}

/**
 * The audit as an aligned two-column table.
 * @example formatAuditTable(audit).split('\n')[0] // 'Monthly audit 2026-03 (Europe/Berlin)'
 */
export function formatAuditTable(audit: MonthlyAudit): string {
  const rows = auditRows(audit);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`Monthly audit ${audit.month} (${audit.timeZone})`, ''];
  for (const [label, value] of rows) lines.push(`${label.padEnd(width)}  ${value}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The audit as CSV (`figure,value`), quoted where needed.
 * @example auditCsv(audit).split('\n')[1] // 'Month,2026-03'
 */
export function auditCsv(audit: MonthlyAudit): string {
  const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  return `${['figure,value', ...auditRows(audit).map(([l, v]) => `${cell(l)},${cell(v)}`)].join('\n')}\n`;
}

async function installedPortals(db: Db): Promise<number[]> {
  const rows = await db.query<{ portal_id: string }>(
    'SELECT portal_id FROM installations WHERE uninstalled_at IS NULL ORDER BY portal_id',
  );
  return rows.map((r) => Number(r.portal_id));
}

/** Boots the demo world in this process (sandboxes, in-memory database, seeded portal), as `npm start` does. */
async function openDemo(config: AppConfig): Promise<{ db: Db; portalId: number; close: () => Promise<void> }> {
  const [{ startDemoSandboxes }, { seedDemo }, { compose }, { DEMO_PORTAL_ID }] = await Promise.all([
    import('../src/demo/start.js'),
    import('../src/demo/seed.js'),
    import('../src/server/compose.js'),
    import('../src/demo/data.js'),
  ]);
  const logger = pino({ level: 'silent' });
  const demo = await startDemoSandboxes(config, logger);
  const app = await compose(demo.config, logger, {
    workers: true,
    hubspotBudget: { requests: 1000, perMs: 1000, maxConcurrent: 10 },
    financeConfig: demo.financeConfig,
  });
  await seedDemo(app, demo.sandboxes.hubspot, logger, demo.sandboxes.quickbooks);
  return {
    db: app.db,
    portalId: DEMO_PORTAL_ID,
    close: async () => {
      await app.stop();
      await demo.sandboxes.close();
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseAuditArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const useDemo = config.demo && !config.databaseUrl && !process.env.PGLITE_DATA_DIR;
  let opened: { db: Db; portalId: number | null; close: () => Promise<void> };
  if (useDemo) {
    process.stderr.write(
      'No HubSpot credentials or database configured: auditing the demo portal (booted in memory).\n',
    );
    opened = await openDemo(config);
  } else {
    const db = await openDatabase(config);
    opened = { db, portalId: null, close: () => db.close() };
    const version = await currentVersion(db).catch(() => 0);
    if (version < LATEST_MIGRATION) {
      await opened.close();
      throw new DomainError(
        'invalid_input',
        `The database is at schema version ${version}, the app needs ${LATEST_MIGRATION}: start the app once (npm start) so it migrates, then run the audit again.`,
      );
    }
  }
  try {
    let portalId = args.portal ?? opened.portalId;
    if (portalId === null) {
      const portals = await installedPortals(opened.db);
      if (portals.length !== 1) {
        throw new DomainError(
          'invalid_input',
          portals.length === 0
            ? 'No portal has installed the app in this database.'
            : `Several portals are installed (${portals.join(', ')}): choose one with --portal <id>.`,
          'portal',
        );
      }
      portalId = portals[0] as number;
    }
    const store = portalStore(opened.db, portalId);
    if (!(await store.installation.exists())) {
      throw new DomainError('not_found', `Portal ${portalId} has not installed the app in this database.`, 'portal');
    }
    const { timeZone } = await store.installation.settings();
    const now = new Date();
    const month = args.month ?? todayIn(timeZone, now).slice(0, 7);
    const audit = await monthlyAuditOf(opened.db, portalId, { month, now, timeZone });
    process.stdout.write(args.json ? `${JSON.stringify(audit, null, 2)}\n` : formatAuditTable(audit));
    if (args.csv) {
      writeFileSync(args.csv, auditCsv(audit));
      process.stderr.write(`CSV written to ${args.csv}\n`);
    }
    return 0;
  } finally {
    await opened.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const domain = domainErrorIn(e);
      process.stderr.write(`audit: ${domain ? domain.message : e instanceof Error ? e.message : String(e)}\n`);
      process.exit(domain ? 2 : 1);
    },
  );
}
