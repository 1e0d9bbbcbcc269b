/**
 * The preview's HTML stand-ins answer a card with HubSpot's event shapes, in Chromium: a test card
 * (fixtures/harness-card.tsx) rendered through the same fake worker host logs every event it receives.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { type Asset, bundleBrowser } from '../../src/preview/bundle.js';
import { type Browser, describeWithChromium, launchBrowser, screenshot, WAIT_MS } from './support/chromium.js';

const ORIGIN = 'http://harness.test';
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>harness</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/harness.css">
<script type="module" src="/harness.js"></script></head><body><div id="root"></div></body></html>`;

describeWithChromium('preview components in Chromium', () => {
  let browser: Browser | undefined;
  let assets: Map<string, Asset>;

  beforeAll(async () => {
    assets = await bundleBrowser({ harness: path.resolve('test/browser/fixtures/harness-main.tsx') });
    browser = await launchBrowser();
    await browser.page.route(`${ORIGIN}/**`, async (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === '') return route.fulfill({ status: 200, contentType: 'text/html', body: PAGE });
      const asset = assets.get(name);
      return asset
        ? route.fulfill({ status: 200, contentType: asset.contentType, body: Buffer.from(asset.contents) })
        : route.fulfill({ status: 404, body: 'not found' });
    });
    await browser.page.goto(`${ORIGIN}/`);
    await browser.page.getByText('user 1001').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  const page = (): Page => {
    if (!browser) throw new Error('the browser did not start');
    return browser.page;
  };
  /** The events the card logged since the last call, once there are `count` of them (remote-ui renders async). */
  let seen = 0;
  const newEvents = async (count: number): Promise<string[]> => {
    const until = Date.now() + WAIT_MS;
    let all: string[] = [];
    while (Date.now() < until) {
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the visible text
      const text = await page().getByTestId('log').innerText({ timeout: WAIT_MS });
      all = text ? text.split(' | ') : [];
      if (all.length >= seen + count) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  };

  it('commits text on blur: onInput per edit, onChange(value) when the field is left', async () => {
    const input = page().getByLabel('Text', { exact: true });
    await input.fill('abc');
    expect(await newEvents(1)).toEqual(['input:abc']);
    await input.press('Tab');
    expect(await newEvents(1)).toEqual(['change:abc']);
  });

  it('answers Select with the option value itself, whatever its type', async () => {
    await page().getByLabel('Select', { exact: true }).selectOption({ label: 'Yes' });
    await page().getByLabel('Select', { exact: true }).selectOption({ label: 'One' });
    expect(await newEvents(2)).toEqual(['select:true', 'select:1']);
  });

  it('answers NumberInput and CurrencyInput with numbers (NaN when emptied)', async () => {
    const n = page().getByLabel('Number', { exact: true });
    await n.fill('12.5');
    await n.press('Tab');
    await n.fill('');
    await n.press('Tab');
    const c = page().getByLabel('Currency', { exact: true });
    await c.fill('1500.25');
    await c.press('Tab');
    expect(await newEvents(3)).toEqual(['number:number:12.5', 'number:number:NaN', 'currency:number:1500.25']);
    expect(await page().getByText('EUR', { exact: true }).count()).toBe(1);
  });

  it('answers DateInput with { year, month (0-based), date, formattedDate }', async () => {
    await page().getByLabel('Date', { exact: true }).fill('2026-03-02');
    expect(await newEvents(1)).toEqual(['date:{"year":2026,"month":2,"date":2,"formattedDate":"2026-03-02"}']);
  });

  it('answers Toggle with the new state and MultiSelect with the chosen values', async () => {
    await page().getByRole('switch', { name: 'Toggle' }).click();
    await page().getByLabel('Multi', { exact: true }).selectOption({ label: 'Beta' });
    await page().getByRole('button', { name: 'Remove Beta' }).click();
    expect(await newEvents(3)).toEqual(['toggle:true', 'multi:["b"]', 'multi:[]']);
  });

  it('opens a Panel from onClick(event, reactions) and a Modal from a Button overlay', async () => {
    const p = page();
    await p.getByRole('button', { name: 'Open panel' }).click();
    expect(await newEvents(1)).toEqual(['click:click']);
    const panel = p.getByRole('complementary', { name: 'A panel' });
    await panel.getByText('Inside the panel').waitFor();
    await panel.getByRole('button', { name: 'Close' }).click();
    await panel.waitFor({ state: 'detached' });

    await p.getByRole('button', { name: 'Open modal' }).click();
    const modal = p.getByRole('dialog', { name: 'A modal' });
    await modal.getByText('Inside the modal').waitFor();
    await screenshot(p, 'components-modal');
    await modal.getByRole('button', { name: 'Close' }).click();
    await modal.waitFor({ state: 'detached' });
  });

  it('labels a component the preview has no HTML for instead of failing the card', async () => {
    await page().getByText('<ScoreCircle> is not rendered by the local preview').waitFor();
    await screenshot(page(), 'components-harness');
    expect(browser?.errors ?? []).toEqual([]);
  });
});
