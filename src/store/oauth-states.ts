import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

/**
 * One-time OAuth states, for the HubSpot install (no portal yet) and the finance connects (bound to the portal that
 * asked): created before the consent screen, spent by the callback, expiring after `ttlMs`.
 */

const DEFAULT_TTL_MS = 15 * 60_000;

/** What createOAuthState issues (base64url); anything else was never issued and is not looked up at all (a NUL
 * in a forged state would otherwise fail the query itself). */
const OAUTH_STATE = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * A new state for `purpose` (e.g. `hubspot_install`, `connect:xero`), bound to `portalId` when one is known.
 * @example const state = await createOAuthState(db, { purpose: 'connect:quickbooks', portalId: 42 })
 */
export async function createOAuthState(
  db: Db,
  input: { purpose: string; portalId?: number | null; now?: Date; ttlMs?: number },
): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  const now = input.now ?? new Date();
  await db.query(
    'INSERT INTO oauth_states (state, purpose, portal_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [state, input.purpose, input.portalId ?? null, now, new Date(now.getTime() + (input.ttlMs ?? DEFAULT_TTL_MS))],
  );
  return state;
}

const bound = (portalId: string | number | null) => ({ portalId: portalId === null ? null : Number(portalId) });

/**
 * Looks at a state without spending it (the connect step, before the vendor's consent screen).
 * @example await peekOAuthState(db, state, 'connect:xero') // { portalId: 42 } | null
 */
export async function peekOAuthState(
  db: Db,
  state: string,
  purpose: string,
  now: Date = new Date(),
): Promise<{ portalId: number | null } | null> {
  if (!OAUTH_STATE.test(state)) return null;
  const [row] = await db.query<{ portal_id: string | number | null }>(
    'SELECT portal_id FROM oauth_states WHERE state = $1 AND purpose = $2 AND expires_at > $3',
    [state, purpose, now],
  );
  return row ? bound(row.portal_id) : null;
}

/**
 * Spends a state: deleted whatever the outcome (another purpose, expired), so a callback URL replayed later is
 * refused. Null when it is unknown, used, expired or for another purpose.
 * @example await consumeOAuthState(db, state, 'connect:xero') // { portalId: 42 } | null
 */
export async function consumeOAuthState(
  db: Db,
  state: string,
  purpose: string,
  now: Date = new Date(),
): Promise<{ portalId: number | null } | null> {
  if (!OAUTH_STATE.test(state)) return null;
  const rows = await db.query<{ portal_id: string | number | null; purpose: string; expires_at: Date }>(
    'DELETE FROM oauth_states WHERE state = $1 RETURNING portal_id, purpose, expires_at',
    [state],
  );
  const row = rows[0];
  if (!row || row.purpose !== purpose || new Date(row.expires_at).getTime() <= now.getTime()) return null;
  return bound(row.portal_id);
}
