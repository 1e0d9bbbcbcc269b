import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests leave their screenshots (git-ignored). */
export const SCREENSHOT_DIR = path.resolve('test-output', 'screenshots');

/** How long any single browser wait may take. */
export const WAIT_MS = 20_000;

/**
 * `describe` when Chromium is installed. Without it: under CI a failing test that says .ci/run must install it;
 * on a developer's machine the block is skipped with a message saying how to install it.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(
          `${CHROMIUM_PATH} is missing: .ci/run must install Debian's Chromium before npm test ` +
            '(apt-get install -y --no-install-recommends chromium)',
        );
      });
    });
    return;
  }
  // Straight to stderr: jest swallows console output of a file whose tests are all skipped.
  process.stderr.write(
    `\nSkipping the browser tests "${name}": ${CHROMIUM_PATH} is missing. Install Debian's Chromium with ` +
      '`sudo apt-get install chromium` (or set CHROMIUM_PATH) to run them.\n',
  );
  describe.skip(name, body);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors the pages reported. */
  errors: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory, flags for a machine without outside network. */
export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'rh-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      timeout: 60_000,
      viewport: { width: 1440, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(30_000);
  const errors: string[] = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

/** Saves test-output/screenshots/<name>.png: the viewport around `at` when given, else the whole page. */
export async function screenshot(page: Page, name: string, at?: Locator): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  if (at) {
    await at.evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -110);
    });
    await page.screenshot({ path: file });
  } else {
    await page.screenshot({ path: file, fullPage: true });
  }
  return file;
}
