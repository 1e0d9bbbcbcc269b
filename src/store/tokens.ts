import type { Db } from './db.js';
import type { SecretBox } from './secrets.js';

/** Where a token pair lives: a HubSpot installation (per portal) or a finance connection (per portal and system). */
export type TokenOwner =
  | { table: 'installations'; portalId: number }
  | { table: 'finance_connections'; portalId: number; system: 'quickbooks' | 'xero' | 'stripe' };

export interface FreshTokens {
  accessToken: string;
  /** Rotating vendors (QuickBooks, Xero) return a new one that replaces the old; absent means "keep the old one". */
  refreshToken?: string;
  expiresAt: Date;
  refreshExpiresAt?: Date;
}

/** The refresh token was refused (revoked, expired, already used): a person must reconnect. */
export class ReconnectNeeded extends Error {
  constructor(
    readonly owner: TokenOwner,
    readonly reason: string,
  ) {
    super(`${describe(owner)} needs to be reconnected: ${reason}`);
    this.name = 'ReconnectNeeded';
  }
}

function describe(owner: TokenOwner): string {
  return owner.table === 'installations'
    ? `HubSpot portal ${owner.portalId}`
    : `${owner.system} for portal ${owner.portalId}`;
}

function where(owner: TokenOwner): { clause: string; params: unknown[] } {
  return owner.table === 'installations'
    ? { clause: 'portal_id = $1', params: [owner.portalId] }
    : { clause: 'portal_id = $1 AND system = $2', params: [owner.portalId, owner.system] };
}

/** The encryption context of a token: binds the ciphertext to its row and purpose. */
export function tokenContext(owner: TokenOwner, kind: 'access' | 'refresh'): string {
  return owner.table === 'installations'
    ? `installations:${owner.portalId}:${kind}`
    : `finance_connections:${owner.portalId}:${owner.system}:${kind}`;
}

/**
 * Stores a token pair, encrypted, on its owner's row.
 * @example await saveTokens(db, box, { table: 'installations', portalId: 42 }, tokens);
 */
export async function saveTokens(db: Db, box: SecretBox, owner: TokenOwner, t: FreshTokens): Promise<void> {
  const access = box.encrypt(t.accessToken, tokenContext(owner, 'access'));
  // A vendor that does not rotate returns no refresh token: keep the stored one.
  const refresh = t.refreshToken ? box.encrypt(t.refreshToken, tokenContext(owner, 'refresh')) : null;
  if (owner.table === 'installations') {
    await db.query(
      `UPDATE installations SET access_token_enc = $2, access_expires_at = $3,
         refresh_token_enc = COALESCE($4, refresh_token_enc), updated_at = now()
       WHERE portal_id = $1`,
      [owner.portalId, access, t.expiresAt, refresh],
    );
    return;
  }
  await db.query(
    `UPDATE finance_connections SET access_token_enc = $3, access_expires_at = $4,
       refresh_token_enc = COALESCE($5, refresh_token_enc), refresh_expires_at = COALESCE($6, refresh_expires_at),
       status = 'connected', last_error = NULL, token_generation = token_generation + 1, updated_at = now()
     WHERE portal_id = $1 AND system = $2`,
    [owner.portalId, owner.system, access, t.expiresAt, refresh, t.refreshExpiresAt ?? null],
  );
}

const inFlight = new Map<string, Promise<string>>();

/**
 * A valid access token for the owner, refreshing it first when it expires within `skewMs`. Refreshes are
 * single-flight twice over: one promise per owner inside a process, and a row lock (SELECT … FOR UPDATE) across
 * processes, so two workers never spend the same rotating refresh token — the second one finds the new token.
 * A refused refresh marks a finance connection "reconnect needed" and throws ReconnectNeeded.
 * @example const token = await accessToken(db, box, owner, (rt) => xeroOAuth.refresh(rt), new Date());
 */
export function accessToken(
  db: Db,
  box: SecretBox,
  owner: TokenOwner,
  refresh: (refreshToken: string) => Promise<FreshTokens>,
  now: () => Date = () => new Date(),
  skewMs = 120_000,
): Promise<string> {
  const key = tokenContext(owner, 'access');
  const running = inFlight.get(key);
  if (running) return running;
  const p = accessTokenAcrossProcesses(db, box, owner, refresh, now, skewMs).finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/**
 * The vendor refused `rejected` although we hold it as valid (revoked, or expired early at the vendor): mark it
 * expired so that the next `accessToken` call refreshes. Under the row lock and only if `rejected` is still the
 * stored token, so a token another worker has just refreshed is never thrown away.
 * @returns whether the stored token was the rejected one (false: someone already replaced it; just ask again).
 * @example if (res.status === 401) await expireAccessToken(db, box, owner, usedToken);
 */
export async function expireAccessToken(db: Db, box: SecretBox, owner: TokenOwner, rejected: string): Promise<boolean> {
  const w = where(owner);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<TokenRow>(
      `SELECT access_token_enc FROM ${owner.table} WHERE ${w.clause} FOR UPDATE`,
      w.params,
    );
    if (!row?.access_token_enc) return false;
    if (box.decrypt(row.access_token_enc, tokenContext(owner, 'access')) !== rejected) return false;
    await tx.query(`UPDATE ${owner.table} SET access_expires_at = to_timestamp(0) WHERE ${w.clause}`, w.params);
    return true;
  });
}

interface TokenRow {
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_expires_at: Date | null;
  status?: string;
}

/** The cross-process half of `accessToken` (row lock only), exported so tests can play several workers. */
export async function accessTokenAcrossProcesses(
  db: Db,
  box: SecretBox,
  owner: TokenOwner,
  refresh: (refreshToken: string) => Promise<FreshTokens>,
  now: () => Date,
  skewMs: number,
): Promise<string> {
  const w = where(owner);
  const statusCol = owner.table === 'finance_connections' ? ', status' : '';
  const select = `SELECT access_token_enc, refresh_token_enc, access_expires_at${statusCol} FROM ${owner.table} WHERE ${w.clause}`;
  const fresh = (row: TokenRow | undefined) =>
    row?.access_token_enc &&
    row.access_expires_at &&
    new Date(row.access_expires_at).getTime() - now().getTime() > skewMs;

  const [row] = await db.query<TokenRow>(select, w.params);
  if (!row) throw new ReconnectNeeded(owner, 'not connected');
  if (row.status === 'reconnect_needed') throw new ReconnectNeeded(owner, 'the last refresh was refused');
  if (fresh(row)) return box.decrypt(row.access_token_enc as string, tokenContext(owner, 'access'));

  const outcome = await db.transaction(async (tx): Promise<{ token: string } | { refused: string }> => {
    const [locked] = await tx.query<TokenRow>(`${select} FOR UPDATE`, w.params);
    // Another process may have refreshed while we waited for the lock.
    if (fresh(locked)) return { token: box.decrypt(locked?.access_token_enc as string, tokenContext(owner, 'access')) };
    if (!locked?.refresh_token_enc) return { refused: 'no refresh token stored' };
    const refreshToken = box.decrypt(locked.refresh_token_enc, tokenContext(owner, 'refresh'));
    let tokens: FreshTokens;
    try {
      tokens = await refresh(refreshToken);
    } catch (e) {
      if (isAuthFailure(e)) return { refused: e instanceof Error ? e.message : String(e) };
      throw e;
    }
    await saveTokens(tx, box, owner, tokens);
    return { token: tokens.accessToken };
  });
  if ('token' in outcome) return outcome.token;
  // Recorded outside the transaction above, so that the state survives and the admin page can show it.
  if (owner.table === 'finance_connections') {
    await db.query(
      `UPDATE finance_connections SET status = 'reconnect_needed', last_error = $3, updated_at = now()
       WHERE portal_id = $1 AND system = $2`,
      [owner.portalId, owner.system, outcome.refused],
    );
  }
  throw new ReconnectNeeded(owner, outcome.refused);
}

function isAuthFailure(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { kind?: unknown; status?: unknown; code?: unknown };
  return o.kind === 'auth' || o.status === 400 || o.status === 401 || o.code === 'invalid_grant';
}
