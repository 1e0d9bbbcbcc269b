import { describe, expect, it } from '@jest/globals';
import { createHubSpotCrm } from '../../../src/integrations/hubspot/client.js';
import { exchangeCode, SCOPES } from '../../../src/integrations/hubspot/oauth.js';
import { createHubSpotSandbox } from '../../../src/integrations/hubspot/sandbox/index.js';
import { serveSandbox } from '../../../src/integrations/sandbox/transport.js';

describe('HubSpot sandbox over HTTP (the local demo)', () => {
  it('serves the same fake to the client and the OAuth flow on 127.0.0.1', async () => {
    const hubspot = createHubSpotSandbox({ portalId: 7700 });
    const { url, close } = await serveSandbox(hubspot.handle);
    try {
      const redirectUri = 'http://localhost:3000/oauth/hubspot/callback';
      const code = hubspot.issueAuthCode({ redirectUri, scopes: SCOPES });
      const tokens = await exchangeCode({
        clientId: 'sandbox-client-id',
        clientSecret: 'sandbox-client-secret',
        code,
        redirectUri,
        basePath: url,
      });
      const deal = hubspot.addDeal({ dealstage: 'contractsent' });
      const crm = createHubSpotCrm({ portalId: 7700, basePath: url, accessToken: async () => tokens.accessToken });

      await crm.updateDealStage(deal, 'closedwon');

      expect(hubspot.get('deals', deal)?.properties.dealstage).toBe('closedwon');
      expect(hubspot.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
        'POST /oauth/v1/token 200',
        `PATCH /crm/v3/objects/deals/${deal} 200`,
      ]);
    } finally {
      await close();
    }
  });
});
