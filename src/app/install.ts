import { DEFAULT_CS_TO_FINANCE } from '../handoff/templates/default-cs-to-finance.js';
import { DEFAULT_CS_TO_SALES_RENEWAL } from '../handoff/templates/default-cs-to-sales-renewal.js';
import { DEFAULT_SALES_TO_CS } from '../handoff/templates/default-sales-to-cs.js';
import type { HubSpotCrm } from '../integrations/hubspot/client.js';
import { DEFAULT_PORTAL_SETTINGS, type PortalSettings } from '../settings/portal-settings.js';
import type { Db } from '../store/db.js';
import { portalStore } from '../store/portal-store.js';
import type { SecretBox } from '../store/secrets.js';
import { saveTokens } from '../store/tokens.js';

export interface InstallInput {
  portalId: number;
  hubDomain?: string | undefined;
  scopes: readonly string[];
  tokens: { accessToken: string; refreshToken: string; expiresAt: Date };
  timeZone?: string;
  settings?: Partial<PortalSettings>;
}

/**
 * Records an installation (tokens encrypted), then creates the app's property group and properties and the
 * default handoff templates — each idempotent, so a reinstall or a retried callback changes nothing it need not.
 * A reinstall keeps the portal's settings and templates.
 * @example await installPortal(db, box, crm, { portalId: 42, scopes, tokens })
 */
export async function installPortal(
  db: Db,
  box: SecretBox,
  crm: Pick<HubSpotCrm, 'ensurePropertyGroupAndProperties'>,
  input: InstallInput,
): Promise<{ createdProperties: string[] }> {
  const settings = {
    ...DEFAULT_PORTAL_SETTINGS,
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    ...input.settings,
  };
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO installations (portal_id, hub_domain, scopes, time_zone, settings)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (portal_id) DO UPDATE SET hub_domain = EXCLUDED.hub_domain, scopes = EXCLUDED.scopes,
         uninstalled_at = NULL, updated_at = now()`,
      [input.portalId, input.hubDomain ?? null, [...input.scopes], settings.timeZone, JSON.stringify(settings)],
    );
    await saveTokens(tx, box, { table: 'installations', portalId: input.portalId }, input.tokens);
  });
  const result = await crm.ensurePropertyGroupAndProperties();
  await portalStore(db, input.portalId).templates.seed([
    DEFAULT_SALES_TO_CS,
    DEFAULT_CS_TO_FINANCE,
    DEFAULT_CS_TO_SALES_RENEWAL,
  ]);
  return { createdProperties: result.createdProperties };
}

/**
 * Marks a portal uninstalled and forgets its tokens; its handoff history stays for the audit trail.
 * @example await uninstallPortal(db, 42)
 */
export async function uninstallPortal(db: Db, portalId: number): Promise<void> {
  await db.query(
    `UPDATE installations SET uninstalled_at = now(), access_token_enc = NULL, refresh_token_enc = NULL,
       access_expires_at = NULL, updated_at = now() WHERE portal_id = $1`,
    [portalId],
  );
}
