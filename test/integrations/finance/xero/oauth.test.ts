import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createXeroFinanceSystem } from '../../../../src/integrations/finance/xero/adapter.js';
import { authEventIdOf, createXeroOAuth, XERO_SCOPES } from '../../../../src/integrations/finance/xero/oauth.js';
import { createXeroSandbox, type XeroSandbox } from '../../../../src/integrations/finance/xero/sandbox/index.js';
import { mockVendors } from '../../../support/msw.js';

const ORG_A = '0a000000-0000-4000-8000-00000000000a';
const ORG_B = '0b000000-0000-4000-8000-00000000000b';
const redirectUri = 'https://app.example.test/oauth/xero/callback';

let sandbox: XeroSandbox;
let clock: Date;
const vendors = mockVendors({
  'https://api.xero.com': (r) => sandbox.handle(r),
  'https://identity.xero.com': (r) => sandbox.handle(r),
});
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());
beforeEach(() => {
  clock = new Date('2026-03-02T09:00:00Z');
  sandbox = createXeroSandbox({
    now: () => clock,
    tenants: [
      { tenantId: ORG_A, name: 'Org A' },
      { tenantId: ORG_B, name: 'Org B' },
    ],
  });
});

function oauth(clientSecret = sandbox.clientSecret) {
  return createXeroOAuth({ clientId: sandbox.clientId, clientSecret, redirectUri, now: () => clock });
}

describe('Xero OAuth', () => {
  it('builds the login.xero.com authorize URL with the scopes the adapter needs and the state', () => {
    const url = new URL(oauth().authorizeUrl('state-123'));
    expect(`${url.origin}${url.pathname}`).toBe('https://login.xero.com/identity/connect/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: sandbox.clientId,
      redirect_uri: redirectUri,
      scope: 'offline_access accounting.transactions accounting.contacts accounting.settings.read',
      state: 'state-123',
    });
    expect(XERO_SCOPES).toContain('offline_access');
  });

  it('exchanges a code for tokens and the connected organisation’s tenant id', async () => {
    const code = sandbox.authorize({ redirectUri, tenantIds: [ORG_B] });
    const tokens = await oauth().exchangeCode(code);
    expect(tokens.tenantId).toBe(ORG_B);
    expect(tokens.expiresAt).toEqual(new Date('2026-03-02T09:30:00Z'));
    expect(tokens.refreshExpiresAt).toEqual(new Date('2026-05-01T09:00:00Z'));
    expect(tokens.refreshToken).toBeTruthy();
    expect(authEventIdOf(tokens.accessToken)).toBeTruthy();
    const connections = sandbox.calls.find((c) => c.operation === 'getConnections');
    expect(connections?.query.authEventId).toBe(authEventIdOf(tokens.accessToken));
    // The token works for the adapter, for that organisation only.
    const xero = createXeroFinanceSystem({ tenantId: ORG_B, accessToken: async () => tokens.accessToken });
    await expect(xero.findCustomer({ externalRef: 'x' })).resolves.toBeNull();
    const wrongOrg = createXeroFinanceSystem({ tenantId: ORG_A, accessToken: async () => tokens.accessToken });
    await expect(wrongOrg.findCustomer({ externalRef: 'x' })).rejects.toMatchObject({ kind: 'auth', status: 403 });
  });

  it('takes the tenant from this authorisation only, and lets the caller pick among several', async () => {
    sandbox.authorize({ redirectUri, tenantIds: [ORG_A] }); // an earlier connection of another org
    const both = sandbox.authorize({ redirectUri, tenantIds: [ORG_A, ORG_B] });
    expect((await oauth().exchangeCode(both, { tenantId: ORG_B })).tenantId).toBe(ORG_B);
    const again = sandbox.authorize({ redirectUri, tenantIds: [ORG_A] });
    await expect(oauth().exchangeCode(again, { tenantId: ORG_B })).rejects.toMatchObject({ kind: 'auth' });
  });

  it('a code works once; a wrong client secret is an auth error', async () => {
    const code = sandbox.authorize({ redirectUri });
    await expect(oauth('wrong').exchangeCode(code)).rejects.toMatchObject({
      kind: 'auth',
      vendorMessage: 'invalid_client',
    });
    await oauth().exchangeCode(code);
    await expect(oauth().exchangeCode(code)).rejects.toMatchObject({ kind: 'auth', vendorMessage: 'invalid_grant' });
  });

  it('rotates refresh tokens: the new one works, the spent one is refused (single use)', async () => {
    const first = await oauth().exchangeCode(sandbox.authorize({ redirectUri }));
    const second = await oauth().refresh(first.refreshToken as string);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    await expect(oauth().refresh(first.refreshToken as string)).rejects.toMatchObject({
      kind: 'auth',
      retryable: false,
    });
    await expect(oauth().refresh(second.refreshToken as string)).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it('an access token stops working after 30 minutes', async () => {
    const tokens = await oauth().exchangeCode(sandbox.authorize({ redirectUri, tenantIds: [ORG_A] }));
    const xero = createXeroFinanceSystem({ tenantId: ORG_A, accessToken: async () => tokens.accessToken });
    await expect(xero.findCustomer({ externalRef: 'x' })).resolves.toBeNull();
    clock = new Date('2026-03-02T09:30:00Z');
    await expect(xero.findCustomer({ externalRef: 'x' })).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});
