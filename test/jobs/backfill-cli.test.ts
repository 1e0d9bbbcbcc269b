/**
 * `npm run backfill -- --demo` as a newcomer runs it (src/jobs/backfill-main.ts through tsx): it boots the demo world of
 * `npm start` in-process (HubSpot and QuickBooks sandboxes on loopback, the seeded portal plus deals won before the
 * app existed), backfills it, and prints a summary that says what it changed. Bounded in time; no timing asserted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import type { BackfillSummary } from '../../src/jobs/backfill.js';

// The demo waits for its billing setups while seeding: ~1–2 min on a busy machine.
const LIMIT_MS = 300_000;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['src/jobs/backfill-main.ts', ...args], {
      // Forced to the demo whatever a developer's .env says: dotenv does not override variables already set.
      env: { ...process.env, HUBSPOT_CLIENT_ID: '', HUBSPOT_CLIENT_SECRET: '', DATABASE_URL: '', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`backfill --demo did not finish in time:\n${stderr}`));
    }, LIMIT_MS - 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

it(
  'npm run backfill -- --demo --json backfills the demo portal and reports what it changed',
  async () => {
    const { code, stdout, stderr } = await runCli(['--demo', '--json']);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(stdout) as BackfillSummary;
    expect(summary.status).toBe('done');
    expect(summary.portalId).toBe(62515);
    expect(summary.financeSystem).toBe('quickbooks');
    expect(summary.errors).toEqual([]);
    // The demo's won deals and the historic ones; the historic open deal is not among them.
    expect(summary.deals.evaluated).toBeGreaterThanOrEqual(15);
    expect(summary.handoffsCreated).toBeGreaterThan(0);
    // Massive Dynamic, Vandelay (by AP email), Tyrell, Oscorp are found in QuickBooks; Dunder Mifflin is not.
    expect(summary.companies.linked).toBeGreaterThanOrEqual(4);
    expect(summary.companies.notMatched.map((n) => n.reason)).toEqual(
      expect.arrayContaining([
        'No QuickBooks customer has the legal name "Dunder Mifflin"',
        'The deal has no associated company',
      ]),
    );
    expect(summary.paymentSnapshotsRefreshed).toBeGreaterThanOrEqual(4);
    expect(summary.propertiesChanged.total).toBeGreaterThan(0);
    expect(summary.calls.hubspot).toBeGreaterThan(0);
    expect(summary.calls.quickbooks).toBeGreaterThan(0);
    // Progress went to stderr, not into the JSON.
    expect(stderr).toMatch(/account 62515: \d+\/\d+ deals/);
  },
  LIMIT_MS,
);

it('refuses bad flags with a readable message', async () => {
  const { code, stderr } = await runCli(['--page-size', '500']);
  expect(code).toBe(2);
  expect(stderr).toContain('--page-size can be at most 200');
}, 60_000);
