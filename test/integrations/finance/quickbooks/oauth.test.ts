import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import { createQuickBooksFinanceSystem } from '../../../../src/integrations/finance/quickbooks/adapter.js';
import { createQuickBooksOAuth } from '../../../../src/integrations/finance/quickbooks/oauth.js';
import {
  createQuickBooksSandbox,
  type QuickBooksSandbox,
} from '../../../../src/integrations/finance/quickbooks/sandbox/index.js';
import { mockVendors } from '../../../support/msw.js';

const API = 'https://sandbox-quickbooks.api.intuit.com';
const client = {
  clientId: 'client-id',
  clientSecret: 'client-secret',
  redirectUri: 'https://app.example/oauth/quickbooks/callback',
};
const NOW = new Date('2026-03-21T10:00:00Z');

let qbo: QuickBooksSandbox;
const vendors = mockVendors({
  'https://oauth.platform.intuit.com': (r) => qbo.handle(r),
  [API]: (r) => qbo.handle(r),
});
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());
beforeEach(() => {
  qbo = createQuickBooksSandbox({ oauth: client, accessTokens: [], now: () => NOW });
});

const oauth = () => createQuickBooksOAuth({ ...client, now: () => NOW });

describe('QuickBooks OAuth', () => {
  it('builds the consent URL with the accounting scope, code flow and state', () => {
    const url = new URL(oauth().authorizeUrl('portal-42:nonce'));
    expect(`${url.origin}${url.pathname}`).toBe('https://appcenter.intuit.com/connect/oauth2');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-id',
      response_type: 'code',
      scope: 'com.intuit.quickbooks.accounting',
      redirect_uri: client.redirectUri,
      state: 'portal-42:nonce',
    });
  });

  it('exchanges the code (Basic auth, form body) for tokens bound to the realm, with 1 h and 100-day expiries', async () => {
    const { code, realmId } = qbo.oauth.issueCode();
    const tokens = await oauth().exchangeCode(code, { realmId });
    expect(tokens.tenantId).toBe(realmId);
    expect(tokens.expiresAt).toEqual(new Date(NOW.getTime() + 3600_000));
    expect(tokens.refreshExpiresAt).toEqual(new Date(NOW.getTime() + 100 * 24 * 3600_000));
    const call = qbo.calls.at(-1);
    expect(call?.body).toEqual({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri });

    // and the access token works against the API
    const finance = createQuickBooksFinanceSystem({
      realmId,
      accessToken: async () => tokens.accessToken,
      baseUrl: API,
    });
    await expect(finance.findCustomer({ legalName: 'Nobody' })).resolves.toBeNull();
  });

  it('refuses a code used twice and a callback without realmId', async () => {
    const { code, realmId } = qbo.oauth.issueCode();
    await oauth().exchangeCode(code, { realmId });
    await expect(oauth().exchangeCode(code, { realmId })).rejects.toMatchObject({
      kind: 'auth',
      vendorMessage: 'invalid_grant',
    });
    await expect(oauth().exchangeCode('x')).rejects.toMatchObject({ kind: 'validation' });
  });

  it('rotates the refresh token: the new one works, the old one no longer does', async () => {
    const { code, realmId } = qbo.oauth.issueCode();
    const first = await oauth().exchangeCode(code, { realmId });
    const second = await oauth().refresh(first.refreshToken as string);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    await expect(oauth().refresh(first.refreshToken as string)).rejects.toMatchObject({ kind: 'auth' });
    await expect(oauth().refresh(second.refreshToken as string)).resolves.toMatchObject({
      expiresAt: new Date(NOW.getTime() + 3600_000),
    });
  });

  it('reports a wrong client secret as auth', async () => {
    const { code, realmId } = qbo.oauth.issueCode();
    const wrong = createQuickBooksOAuth({ ...client, clientSecret: 'nope' });
    const error = await wrong.exchangeCode(code, { realmId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinanceError);
    expect((error as FinanceError).kind).toBe('auth');
  });

  it('uses x_refresh_token_expires_in as QuickBooks states it', async () => {
    const fake = createQuickBooksOAuth({
      ...client,
      now: () => NOW,
      fetch: async () =>
        new Response(
          JSON.stringify({
            token_type: 'bearer',
            access_token: 'a',
            refresh_token: 'r',
            expires_in: 3600,
            x_refresh_token_expires_in: 86400,
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    });
    const t = await fake.refresh('r0');
    expect(t.refreshExpiresAt).toEqual(new Date(NOW.getTime() + 86_400_000));
  });

  it('maps a token endpoint outage to temporary', async () => {
    const down = createQuickBooksOAuth({
      ...client,
      fetch: async () => new Response('<html>oops</html>', { status: 503 }),
    });
    await expect(down.refresh('r')).rejects.toMatchObject({ kind: 'temporary' });
  });
});
