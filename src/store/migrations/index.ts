import { sql as initial } from './001_initial.js';
import { sql as rateLimits } from './002_rate_limits.js';

/** Every migration in order. Append only: a released migration is never edited, a change is a new one. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'rate_limits', sql: rateLimits },
];

export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
