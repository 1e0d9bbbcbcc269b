/**
 * `npm start` without credentials, as a newcomer runs it (src/server/main.ts through tsx, PORT=0): it prints the
 * URL to open, GET / there is the demo's landing page, and a card preview linked from it renders in Chromium.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, CHROMIUM_PATH, launchBrowser, screenshot } from './support/chromium.js';

// The boot, /health and the landing page are checked everywhere; the card in Chromium where Chromium is installed
// (.ci/run installs it, and test/browser's other suites fail loudly in CI without it).
const withChromium = existsSync(CHROMIUM_PATH);

// The demo seeds ten deals and waits for its billing setups: ~30 s on an idle machine, more under a full test run.
const START_MS = 240_000;

describe('npm start (demo)', () => {
  let server: ChildProcess | undefined;
  let output = '';
  let url = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    // Forced to the demo whatever a developer's .env says: dotenv does not override variables already set.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      HUBSPOT_CLIENT_ID: '',
      HUBSPOT_CLIENT_SECRET: '',
      DATABASE_URL: '',
    };
    server = spawn(path.resolve('node_modules/.bin/tsx'), ['src/server/main.ts'], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = server;
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start printed no URL in time:\n${output}`)),
        START_MS - 10_000,
      );
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /Revenue Handoff is running → (http:\/\/\S+)/.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
    if (withChromium) browser = await launchBrowser();
  }, START_MS);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      const child = server;
      if (child?.pid && child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        process.kill(-child.pid, 'SIGTERM'); // the group tsx started: the server it runs
        const killer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    }
  }, 30_000);

  it('prints the URL to open and serves the landing page there, with /health on the embedded database', async () => {
    expect(output).toContain('demo mode');
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(15_000) });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite' } });
    const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(15_000) });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Revenue Handoff');
    expect(html).toContain('Northwind Traders');
    expect(html).toMatch(/href="\/preview\/deal\/\d+/);
  });

  (withChromium ? it : it.skip)(
    'renders a deal card linked from the landing page in Chromium',
    async () => {
      if (!browser) throw new Error('the browser did not start');
      const page = browser.page;
      await page.goto(`${url}/`, { waitUntil: 'load' });
      await page.getByRole('link', { name: 'Northwind Traders — onboarding' }).first().click();
      await page.waitForURL(/\/preview\/deal\//);
      await page.getByRole('heading', { name: 'Sales → Customer Success', exact: true }).waitFor();
      await page.getByRole('region', { name: 'Payment status' }).getByText('Customer not linked yet').waitFor();
      await screenshot(page, 'npm-start-deal');
      expect(browser.errors).toEqual([]);
    },
    60_000,
  );
});
