import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Backend, PORTAL, startBackend } from '../support/backend.js';
import { signedPost } from '../support/signed.js';

describe('an uninstalled portal', () => {
  let b: Backend;
  let dealId: string;
  beforeAll(async () => {
    b = await startBackend();
    dealId = b.hubspot.addDeal({ dealname: 'Initech', dealstage: 'contractsent' });
  }, 60_000);
  afterAll(() => b.stop());

  it('is recognised when HubSpot refuses its refresh token: tokens dropped, history kept, a plain 403 afterwards', async () => {
    expect((await signedPost(b.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL })).status).toBe(200);
    // The access token expires; HubSpot refuses the refresh token of an app that was uninstalled.
    await b.db.query(`UPDATE installations SET access_expires_at = now() - interval '1 hour' WHERE portal_id = $1`, [
      PORTAL,
    ]);
    const res = await signedPost(b.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('uninstalled');
    const [row] = await b.db.query<{ uninstalled_at: Date | null; access_token_enc: string | null }>(
      'SELECT uninstalled_at, access_token_enc FROM installations WHERE portal_id = $1',
      [PORTAL],
    );
    expect(row?.uninstalled_at).not.toBeNull();
    expect(row?.access_token_enc).toBeNull();
    expect((await b.db.query('SELECT 1 FROM handoffs WHERE portal_id = $1', [PORTAL])).length).toBeGreaterThan(0);
    const after = await signedPost(b.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL });
    expect(after.status).toBe(403);
    expect(after.body.message).toContain('not installed');
  });
});
