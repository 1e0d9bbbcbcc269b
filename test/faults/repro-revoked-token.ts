/**
 * Reproduction (not part of test:faults): an access token QuickBooks refuses (401) while the vault still holds it as
 * fresh ends the billing setup `failed` (kind auth) instead of refreshing once and retrying.
 * Run: npx tsx test/faults/repro-revoked-token.ts
 */
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { financeStore } from '../../src/store/finance-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { openHarness, PORTAL, QBO_OAUTH, QBO_OAUTH_CLIENT } from '../support/finance-harness.js';

const h = await openHarness(async () => {
  const db = await openPglite();
  await migrate(db);
  return db;
});
const { code, realmId } = h.qbo.oauth.issueCode();
const res = await fetch(`${QBO_OAUTH}/oauth2/v1/tokens/bearer`, {
  method: 'POST',
  headers: {
    authorization: `Basic ${Buffer.from(`${QBO_OAUTH_CLIENT.clientId}:${QBO_OAUTH_CLIENT.clientSecret}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: QBO_OAUTH_CLIENT.redirectUri,
  }).toString(),
});
const t = (await res.json()) as { access_token: string; refresh_token: string };
await financeStore(h.db, PORTAL).connections.connect({
  system: 'quickbooks',
  tenantId: realmId,
  box: h.box,
  tokens: {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(h.clock.now.getTime() + 3_600_000),
  },
});
const s = await h.seedSetup({ system: 'quickbooks', name: 'Revoked' });
h.qbo.expireAccessTokens();
const out = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
console.log(JSON.stringify(out));
console.log(h.qbo.calls.map((c) => `${c.route} ${c.status}`).join('\n'));
await h.close();
