import { describe, expect, it } from '@jest/globals';
import { signedUri, signHubSpotV3, verifyHubSpotSignatureV3 } from '../../../src/integrations/hubspot/signature.js';

const secret = 'client-secret-123';
const now = new Date('2026-11-25T12:00:00Z');
const timestamp = String(now.getTime() - 10_000);
const uri = 'https://handoff.example.com/api/getHandoffView?portalId=42&dealId=7';
const body = JSON.stringify({ dealId: '7' });
const signature = signHubSpotV3({ method: 'POST', uri, body, timestamp, clientSecret: secret });

function check(overrides: Partial<Parameters<typeof verifyHubSpotSignatureV3>[0]>) {
  return verifyHubSpotSignatureV3({
    method: 'POST',
    uri,
    body,
    signature,
    timestamp,
    clientSecret: secret,
    now,
    ...overrides,
  });
}

describe('HubSpot request signature v3', () => {
  it('accepts a request signed with the client secret within five minutes', () => {
    expect(check({})).toEqual({ ok: true });
  });

  it('rejects a signature made with another secret', () => {
    const forged = signHubSpotV3({ method: 'POST', uri, body, timestamp, clientSecret: 'other' });
    expect(check({ signature: forged })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an altered body', () => {
    expect(check({ body: JSON.stringify({ dealId: '8' }) })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an altered query string', () => {
    expect(check({ uri: uri.replace('dealId=7', 'dealId=8') })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a replay whose timestamp is older than five minutes, even with a correct signature', () => {
    const old = String(now.getTime() - 5 * 60 * 1000 - 1);
    const sig = signHubSpotV3({ method: 'POST', uri, body, timestamp: old, clientSecret: secret });
    expect(check({ signature: sig, timestamp: old })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects a request without the signature or timestamp header', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing_signature' });
    expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it('rejects a different method over the same URI and body', () => {
    expect(check({ method: 'GET' })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('signs the URI with the characters HubSpot decodes', () => {
    expect(signedUri('https://x.io/cb?u=a%40b.com%2Cc%3Ad')).toBe('https://x.io/cb?u=a@b.com,c:d');
    expect(signedUri('https://x.io/a%20b')).toBe('https://x.io/a%20b');
  });
});
