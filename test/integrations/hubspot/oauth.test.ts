import { describe, expect, it } from '@jest/globals';
import { HubSpotError } from '../../../src/integrations/hubspot/errors.js';
import {
  accessTokenInfo,
  exchangeCode,
  installUrl,
  missingScopes,
  refreshTokens,
  SCOPES,
} from '../../../src/integrations/hubspot/oauth.js';
import { hubspotTestbed } from './testbed.js';

const bed = hubspotTestbed();
const redirectUri = 'https://handoff.example.com/oauth/hubspot/callback';
const credentials = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };

describe('HubSpot install URL', () => {
  it('asks HubSpot’s authorize page for exactly our scopes, with client id, redirect URI and state', () => {
    const url = new URL(installUrl({ clientId: 'abc', redirectUri, state: 'st-123' }));

    expect(`${url.origin}${url.pathname}`).toBe('https://app.hubspot.com/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('abc');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('state')).toBe('st-123');
    expect(url.searchParams.get('scope')?.split(' ')).toEqual([...SCOPES]);
    expect(url.searchParams.has('optional_scope')).toBe(false);
  });

  it('adds optional scopes only when given', () => {
    const url = new URL(installUrl({ clientId: 'abc', redirectUri, state: 's', optionalScopes: ['a.read', 'b.read'] }));
    expect(url.searchParams.get('optional_scope')).toBe('a.read b.read');
  });

  it('requests nothing the app does not use', () => {
    expect([...SCOPES].sort()).toEqual(
      [
        'crm.objects.companies.read',
        'crm.objects.companies.write',
        'crm.objects.contacts.read',
        'crm.objects.contacts.write',
        'crm.objects.deals.read',
        'crm.objects.deals.write',
        'crm.objects.line_items.read',
        'crm.schemas.companies.write',
        'crm.schemas.deals.write',
        'e-commerce',
        'oauth',
      ].sort(),
    );
    expect(SCOPES.some((s) => s.includes('ticket'))).toBe(false);
  });
});

describe('HubSpot OAuth tokens', () => {
  it('exchanges the code for tokens, with expiry and the portal id, form-encoded to /oauth/v1/token', async () => {
    const hubspot = bed.fresh();
    const code = hubspot.issueAuthCode({ redirectUri, scopes: SCOPES, portalId: 880 });
    const now = new Date('2026-11-02T09:00:00Z');

    const tokens = await exchangeCode({ ...credentials, code, redirectUri, now: () => now });

    expect(tokens.accessToken).toMatch(/^sandbox-access-880-/);
    expect(tokens.refreshToken).toMatch(/^sandbox-refresh-880-/);
    expect(tokens.expiresAt.toISOString()).toBe('2026-11-02T09:30:00.000Z');
    expect(tokens.portalId).toBe(880);
    expect(hubspot.calls).toEqual([{ method: 'POST', path: '/oauth/v1/token', status: 200 }]);
  });

  it('refuses a code used twice with HubSpot’s message, and does not retry it', async () => {
    const hubspot = bed.fresh();
    const code = hubspot.issueAuthCode({ redirectUri, scopes: SCOPES });
    await exchangeCode({ ...credentials, code, redirectUri });

    const error = await exchangeCode({ ...credentials, code, redirectUri }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HubSpotError);
    expect((error as HubSpotError).kind).toBe('validation');
    expect((error as HubSpotError).message).toContain('missing or unknown auth code');
    expect(hubspot.calls).toHaveLength(2);
  });

  it('refreshes the access token and keeps the refresh token', async () => {
    const hubspot = bed.fresh();
    const code = hubspot.issueAuthCode({ redirectUri, scopes: SCOPES });
    const first = await exchangeCode({ ...credentials, code, redirectUri });

    const second = await refreshTokens({ ...credentials, refreshToken: first.refreshToken });

    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBe(first.refreshToken);
  });

  it('learns the portal, scopes and app from the access token', async () => {
    const hubspot = bed.fresh();
    const code = hubspot.issueAuthCode({ redirectUri, scopes: SCOPES, portalId: 4242 });
    const tokens = await exchangeCode({ ...credentials, code, redirectUri });

    const info = await accessTokenInfo(tokens.accessToken);

    expect(info.portalId).toBe(4242);
    expect(info.appId).toBe(7001);
    expect(info.scopes).toEqual([...SCOPES]);
    expect(missingScopes(info.scopes)).toEqual([]);
    expect(missingScopes(['oauth'])).toHaveLength(SCOPES.length - 1);
  });

  it('SCOPES are enough for every call the CRM client makes (the sandbox checks each endpoint’s scopes)', async () => {
    const hubspot = bed.fresh();
    const code = hubspot.issueAuthCode({ redirectUri, scopes: SCOPES, portalId: 990 });
    const tokens = await exchangeCode({ ...credentials, code, redirectUri });
    const crm = bed.crm(hubspot, { portalId: 990, accessToken: async () => tokens.accessToken });
    const portal = hubspot.portal(990);
    const deal = portal.addDeal({ dealstage: 'contractsent' });
    const company = portal.addCompany();
    const contact = portal.addContact();
    const item = portal.addLineItem();
    portal.associate('deals', deal, 'companies', company);

    await crm.ensurePropertyGroupAndProperties();
    await crm.batchReadDeals([deal], ['dealname']);
    await crm.batchReadCompanies([company], ['name']);
    await crm.batchReadContacts([contact], ['email']);
    await crm.batchReadLineItems([item], ['name']);
    await crm.readAssociations('deals', [deal], 'companies');
    await crm.readAssociations('deals', [deal], 'line_items');
    await crm.getDealPipelines();
    await crm.batchUpdateDeals([{ id: deal, properties: { rh_handoff_status: 'submitted' } }]);
    await crm.batchUpdateCompanies([{ id: company, properties: { rh_risk_level: 'low' } }]);
    await crm.updateDealStage(deal, 'closedwon');
    await crm.createNote({ body: 'n', associations: { deals: [deal] } });
    await crm.createTask({ subject: 's', body: 'b', dueAt: new Date(), associations: { deals: [deal] } });

    expect(hubspot.calls.filter((c) => c.status === 401 || c.status === 403)).toEqual([]);
  });

  it('a token without the schema scopes cannot create our properties', async () => {
    const hubspot = bed.fresh();
    const scopes = SCOPES.filter((s) => !s.startsWith('crm.schemas.'));
    const code = hubspot.issueAuthCode({ redirectUri, scopes, portalId: 991 });
    const tokens = await exchangeCode({ ...credentials, code, redirectUri });
    const crm = bed.crm(hubspot, { portalId: 991, accessToken: async () => tokens.accessToken });

    await expect(crm.ensurePropertyGroupAndProperties()).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
