import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { financeStore, webhookSecretContext } from '../../src/store/finance-store.js';
import { tokenContext } from '../../src/store/tokens.js';
import { INSTALLED, runSecretScenario, type SecretTrace } from '../support/secret-scenario.js';
import { PORTAL_A, PORTAL_B, startWholeApp, type WholeApp } from '../support/whole-app.js';

/**
 * OAuth and finance tokens are unreadable in a database dump. After an install through OAuth, QuickBooks and Xero
 * connected through their OAuth routes, Stripe connected with a key and a webhook secret, and a refresh of every
 * rotating token, every row of every table in every schema is read as text (a `pg_dump` of the data) and searched
 * for each token and secret in clear — and the encrypted columns are shown to hold exactly those tokens (they
 * decrypt to the newest ones), so the search is not vacuous.
 */

describe('tokens in a database dump', () => {
  let w: WholeApp;
  let trace: SecretTrace;
  let dump: string;

  beforeAll(async () => {
    w = await startWholeApp();
    trace = await runSecretScenario(w);
    const tables = await w.db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const parts: string[] = [];
    for (const t of tables) {
      const rows = await w.db.query<{ row: string }>(
        `SELECT x::text AS row FROM "${t.table_schema}"."${t.table_name}" x`,
      );
      parts.push(`-- ${t.table_schema}.${t.table_name}`, ...rows.map((r) => r.row));
    }
    dump = parts.join('\n');
  }, 60_000);
  afterAll(() => w.stop());

  it('dumped the tables that hold tokens', () => {
    expect(dump).toContain('-- public.installations');
    expect(dump).toContain('-- public.finance_connections');
    expect(dump).toMatch(/-- pgboss\./); // queued jobs are rows too
    expect(dump.length).toBeGreaterThan(10_000);
  });

  it('saw every kind of token issued: HubSpot, QuickBooks and Xero, each refreshed at least once', () => {
    const issued = w.issuedTokens;
    expect(issued.filter((t) => t.startsWith('sandbox-access-')).length).toBeGreaterThanOrEqual(2);
    expect(issued.length).toBeGreaterThanOrEqual(10);
  });

  it('holds no token, key or secret in clear anywhere', () => {
    const secrets = [
      ...w.issuedTokens,
      ...w.seededTokens,
      ...Object.values(w.secrets).filter((s) => s !== w.secrets.hubspotClientSecret),
      w.secrets.hubspotClientSecret,
      Buffer.from(w.secrets.encryptionKey, 'base64').toString('hex'),
      ...trace.webhookSecrets,
    ];
    const found = secrets.filter((s) => s.length >= 8 && dump.includes(s));
    expect(found).toEqual([]);
  });

  it('holds each token encrypted, bound to its row: the newest HubSpot, QuickBooks and Xero tokens decrypt back', async () => {
    const [install] = await w.db.query<{ access_token_enc: string; refresh_token_enc: string }>(
      'SELECT access_token_enc, refresh_token_enc FROM installations WHERE portal_id = $1',
      [INSTALLED],
    );
    const owner = { table: 'installations' as const, portalId: INSTALLED };
    const access = w.box.decrypt(String(install?.access_token_enc), tokenContext(owner, 'access'));
    expect(w.issuedTokens).toContain(access);
    expect(access).toMatch(new RegExp(`^sandbox-access-${INSTALLED}-`));
    // The install's first token was replaced by the refresh.
    const hubspotAccess = w.issuedTokens.filter((t) => t.startsWith(`sandbox-access-${INSTALLED}-`));
    expect(hubspotAccess.length).toBeGreaterThanOrEqual(2);
    expect(access).toBe(hubspotAccess.at(-1));
    expect(w.box.decrypt(String(install?.refresh_token_enc), tokenContext(owner, 'refresh'))).toMatch(
      /^sandbox-refresh-/,
    );
    // A ciphertext copied onto another portal's row does not decrypt there.
    expect(() =>
      w.box.decrypt(
        String(install?.access_token_enc),
        tokenContext({ table: 'installations', portalId: PORTAL_A }, 'access'),
      ),
    ).toThrow();

    for (const [portalId, system] of [
      [INSTALLED, 'quickbooks'],
      [PORTAL_B, 'xero'],
    ] as const) {
      const [row] = await w.db.query<{ access_token_enc: string; refresh_token_enc: string; token_generation: number }>(
        'SELECT access_token_enc, refresh_token_enc, token_generation FROM finance_connections WHERE portal_id = $1 AND system = $2',
        [portalId, system],
      );
      const fOwner = { table: 'finance_connections' as const, portalId, system };
      expect(w.issuedTokens).toContain(w.box.decrypt(String(row?.access_token_enc), tokenContext(fOwner, 'access')));
      expect(w.issuedTokens).toContain(w.box.decrypt(String(row?.refresh_token_enc), tokenContext(fOwner, 'refresh')));
      expect(Number(row?.token_generation)).toBeGreaterThanOrEqual(2); // connected, then refreshed
    }
    const [stripe] = await w.db.query<{ access_token_enc: string; webhook_secret_enc: string }>(
      `SELECT access_token_enc, webhook_secret_enc FROM finance_connections WHERE portal_id = $1 AND system = 'stripe'`,
      [PORTAL_A],
    );
    const sOwner = { table: 'finance_connections' as const, portalId: PORTAL_A, system: 'stripe' as const };
    expect(w.box.decrypt(String(stripe?.access_token_enc), tokenContext(sOwner, 'access'))).toBe(
      w.secrets.stripeApiKey,
    );
    expect(w.box.decrypt(String(stripe?.webhook_secret_enc), webhookSecretContext(PORTAL_A, 'stripe'))).toBe(
      trace.webhookSecrets[0],
    );
    expect(await financeStore(w.db, PORTAL_A).connections.webhookSecret('stripe', w.box)).toBe(trace.webhookSecrets[0]);
  });
});
