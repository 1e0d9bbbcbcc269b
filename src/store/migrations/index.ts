import { sql as initial } from './001_initial.js';
import { sql as rateLimits } from './002_rate_limits.js';
import { sql as domainRecords } from './003_domain_records.js';
import { sql as gate } from './004_gate.js';
import { sql as financeSync } from './005_finance_sync.js';
import { sql as backfill } from './006_backfill.js';
import { sql as corrections } from './007_corrections.js';
import { sql as renewals } from './008_renewals.js';
import { sql as quickbooksEstimates } from './009_quickbooks_estimates.js';

/** Every migration in order. Append only: a released migration is never edited, a change is a new one. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'rate_limits', sql: rateLimits },
  { version: 3, name: 'domain_records', sql: domainRecords },
  { version: 4, name: 'gate', sql: gate },
  { version: 5, name: 'finance_sync', sql: financeSync },
  { version: 6, name: 'backfill', sql: backfill },
  { version: 7, name: 'corrections', sql: corrections },
  { version: 8, name: 'renewals', sql: renewals },
  { version: 9, name: 'quickbooks_estimates', sql: quickbooksEstimates },
];

export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
