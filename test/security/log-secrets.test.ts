import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runSecretScenario, type SecretTrace } from '../support/secret-scenario.js';
import { startWholeApp, type WholeApp } from '../support/whole-app.js';

/**
 * No secret appears in the logs. The app's pino logger (with its redaction paths) writes at `trace` level to a
 * stream this suite reads, across an OAuth install, finance OAuth connections, a refresh of every rotating token,
 * signed card API calls, webhook deliveries of every vendor (genuine and forged) and failures; then every line is
 * searched for the HubSpot client secret, the encryption key, the finance client secrets and webhook keys, every
 * access and refresh token issued, every signature sent, and the OAuth states and authorisation codes.
 */

describe('secrets in the logs', () => {
  let w: WholeApp;
  let trace: SecretTrace;
  let log: string;

  beforeAll(async () => {
    w = await startWholeApp({ captureLogs: true, logLevel: 'trace' });
    trace = await runSecretScenario(w);
    log = w.logLines.join('\n');
  }, 60_000);
  afterAll(() => w.stop());

  it('captured the scenario: installs, connections, refusals and errors were logged', () => {
    expect(w.logLines.length).toBeGreaterThan(10);
    expect(log).toContain('"msg":"installed"');
    expect(log).toContain('finance system connected');
    expect(log).toMatch(/"level":50/); // the injected HubSpot failure, logged as an error
    expect(log).toContain('finance webhook refused: bad signature');
  });

  it('contains no client secret, encryption key, webhook key or token', () => {
    const secrets: Array<[string, string]> = [
      ...Object.entries(w.secrets),
      ['encryptionKey (hex)', Buffer.from(w.secrets.encryptionKey, 'base64').toString('hex')],
      ...w.issuedTokens.map((t, i): [string, string] => [`issued token #${i}`, t]),
      ...w.seededTokens.map((t, i): [string, string] => [`seeded token #${i}`, t]),
      ...trace.webhookSecrets.map((t, i): [string, string] => [`connection webhook secret #${i}`, t]),
    ];
    expect(secrets.filter(([, value]) => log.includes(value)).map(([name]) => name)).toEqual([]);
  });

  it('contains no request signature', () => {
    expect(trace.signatures.length).toBeGreaterThan(20);
    // Stripe's header is "t=…,v1=<hex>": the HMAC is the secret part.
    const parts = trace.signatures.map((s) => s.replace(/^t=\d+,v1=/, ''));
    expect(parts.filter((s) => log.includes(s))).toEqual([]);
  });

  it('contains no OAuth state or authorisation code', () => {
    expect(trace.codes.filter((c) => c.length >= 8 && log.includes(c))).toEqual([]);
  });
});
