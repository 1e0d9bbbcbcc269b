/**
 * The card preview in a real browser (Debian's Chromium through playwright-core): the demo as `npm start` serves
 * it, walked as people would — fill a draft checklist, resubmit a rejected handoff as the rep, accept it as
 * Customer Success, see a failed billing setup, a company's overdue banner, settings and the app home. Assertions are on visible text;
 * each state is saved as test-output/screenshots/<name>.png.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import type { DemoDeal } from '../../src/demo/seed.js';
import { type Browser, describeWithChromium, launchBrowser, screenshot, WAIT_MS } from './support/chromium.js';
import { type DemoApp, startDemoApp } from './support/demo-app.js';

const BOOT_MS = 180_000;
const STEP_MS = 90_000;

describeWithChromium('card preview in Chromium', () => {
  let app: DemoApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    app = await startDemoApp();
    browser = await launchBrowser();
  }, BOOT_MS);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await app?.stop();
    }
  }, 60_000);

  const page = (): Page => {
    if (!browser) throw new Error('the browser did not start');
    return browser.page;
  };
  const demo = (): DemoApp => {
    if (!app) throw new Error('the demo app did not start');
    return app;
  };
  const deal = (customer: string): DemoDeal => {
    const d = demo().deals.find((x) => x.name.startsWith(customer));
    if (!d) throw new Error(`the demo has no deal for ${customer}`);
    return d;
  };
  const open = async (path: string) => {
    await page().goto(`${demo().url}${path}`, { waitUntil: 'load' });
  };
  /** One handoff of the checklist, by its template name. */
  const handoff = (name: string): Locator =>
    page()
      .getByTestId(/\/handoff$/)
      .filter({ has: page().getByRole('heading', { name, exact: true }) });
  /** The visible status tag of a checklist field. */
  const fieldStatus = (section: Locator, key: string) => section.getByTestId(new RegExp(`/status-${key}$`));
  const expectNoUnmapped = async () => {
    expect(await page().locator('.rh-unmapped').allTextContents()).toEqual([]);
  };

  it(
    'GET / explains the demo, lists its people and records, and links to every card',
    async () => {
      await open('/');
      const p = page();
      await expect(p.getByRole('heading', { name: 'Revenue Handoff', level: 1 }).isVisible()).resolves.toBe(true);
      const text = await visibleText(p.locator('body'));
      for (const person of ['Riley Rep (Sales)', 'Casey CSM (Customer Success)', 'Frankie Finance', 'Robin RevOps']) {
        expect(text).toContain(person);
      }
      for (const d of demo().deals) expect(text).toContain(d.name);
      expect(text).toMatch(/Wayne Enterprises\s+wayneenterprises\.example\s+1\s+\$[\d,.]+ overdue/);
      expect(text).toContain('Billing setup failed');
      expect(await p.getByRole('link', { name: 'Settings' }).count()).toBeGreaterThan(0);
      expect(await p.getByRole('link', { name: '/health' }).getAttribute('href')).toBe('/health');
      const northwind = deal('Northwind Traders');
      expect(await p.locator(`a[href^="/preview/deal/${northwind.id}?"]`).count()).toBeGreaterThan(0);
      expect(await p.locator(`a[href^="/preview/company/${northwind.companyId}?"]`).count()).toBeGreaterThan(0);
      await screenshot(p, 'landing');
    },
    STEP_MS,
  );

  it(
    "as the rep, fills a draft checklist's kickoff date and reporting format, saves, and sees both tags turn OK",
    async () => {
      const p = page();
      await open(`/preview/deal/${deal('Northwind Traders').id}?as=rep`);
      const sales = handoff('Sales → Customer Success');
      await sales.waitFor();
      expect(await visibleText(sales.getByTestId(/\/state$/))).toBe('Draft');
      expect(await visibleText(fieldStatus(sales, 'kickoffDate'))).toBe('Missing');
      expect(await visibleText(fieldStatus(sales, 'reportingFormat'))).toBe('Missing');
      await screenshot(p, 'checklist-1-draft', sales);

      const kickoff = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
      await sales.getByLabel('Kickoff date', { exact: true }).fill(kickoff);
      const reporting = sales.getByLabel('Reporting format', { exact: true });
      await reporting.fill('Monthly QBR deck');
      await reporting.press('Tab'); // HubSpot inputs commit onChange on blur
      await sales.getByText('2 unsaved changes').waitFor();
      await screenshot(p, 'checklist-2-draft-edited', sales.getByTestId(/\/field-kickoffDate$/));

      await sales.getByRole('button', { name: 'Save changes' }).click();
      await expect(waitForText(fieldStatus(sales, 'reportingFormat'), 'OK')).resolves.toBe('OK');
      expect(await visibleText(fieldStatus(sales, 'kickoffDate'))).toBe('OK');
      expect(await visibleText(sales.getByTestId(/\/field-reportingFormat$/))).toContain('Monthly QBR deck');
      await screenshot(p, 'checklist-3-draft-saved', sales.getByTestId(/\/field-kickoffDate$/));

      // Saved on the server, not just on screen: a fresh page load shows the same.
      await open(`/preview/deal/${deal('Northwind Traders').id}?as=rep`);
      await handoff('Sales → Customer Success').waitFor();
      expect(await visibleText(fieldStatus(handoff('Sales → Customer Success'), 'reportingFormat'))).toBe('OK');
      await expectNoUnmapped();
    },
    STEP_MS,
  );

  it(
    'as the rep, answers a rejection and resubmits the complete handoff to Customer Success',
    async () => {
      const p = page();
      await open(`/preview/deal/${deal('Globex').id}?as=rep`);
      const sales = handoff('Sales → Customer Success');
      await sales.waitFor();
      expect(await visibleText(sales.getByTestId(/\/state$/))).toBe('Rejected');
      expect(await visibleText(sales.getByTestId(/\/rejection$/))).toContain('Please add measurable goals');
      await screenshot(p, 'checklist-4-rejected', sales);

      await sales.getByTestId(/\/edit-customerGoals$/).click();
      const goals = sales.getByLabel('Customer goals and success criteria', { exact: true });
      await goals.fill('Invoices out within 48 hours of close; month-end closed by day 3 within 90 days.');
      await goals.press('Tab');
      await sales.getByRole('button', { name: 'Save changes' }).click();
      await sales.getByText('Invoices out within 48 hours of close; month-end closed by day 3').waitFor();
      await sales.getByRole('button', { name: 'Resubmit to Customer Success' }).click();
      await expect(waitForText(sales.getByTestId(/\/state$/), 'Submitted')).resolves.toBe('Submitted');
      expect(await visibleText(sales)).toContain('resubmitted the handoff');
      await screenshot(p, 'checklist-5-resubmitted', sales);
    },
    STEP_MS,
  );

  it(
    'switched to the CS manager, reviews and accepts the handoff',
    async () => {
      const p = page();
      await open(`/preview/deal/${deal('Globex').id}?as=rep`);
      await handoff('Sales → Customer Success').waitFor();
      await Promise.all([p.waitForURL(/as=csm/), p.getByLabel('Viewing as').selectOption('csm')]);
      const sales = handoff('Sales → Customer Success');
      await sales.waitFor();
      expect(await p.getByLabel('Viewing as').inputValue()).toBe('csm');
      const accept = sales.getByRole('button', { name: 'Accept handoff' });
      await accept.waitFor();
      await screenshot(p, 'checklist-6-cs-review', sales.getByTestId(/\/review$/));

      await accept.click();
      await expect(waitForText(sales.getByTestId(/\/state$/), 'Accepted')).resolves.toBe('Accepted');
      expect(await visibleText(sales)).toContain('accepted the handoff');
      expect(await sales.getByRole('button', { name: 'Accept handoff' }).count()).toBe(0);
      await screenshot(p, 'checklist-7-accepted', sales);
      await expectNoUnmapped();
    },
    STEP_MS,
  );

  it(
    'shows finance a billing setup that QuickBooks refused, with its reason and a retry',
    async () => {
      const p = page();
      await open(`/preview/deal/${deal('Cyberdyne').id}?as=finance`);
      const failed = p.getByRole('alert').filter({ hasText: 'Billing setup failed' });
      await failed.waitFor();
      expect(await visibleText(failed)).toContain('is taken in QuickBooks');
      expect(await failed.getByRole('button', { name: 'Retry billing setup' }).count()).toBe(1);
      await screenshot(p, 'checklist-8-billing-failed', failed);
      await expectNoUnmapped();
    },
    STEP_MS,
  );

  it(
    "shows a company's payment status: an unlinked customer, then the overdue banner of one billed in QuickBooks",
    async () => {
      const p = page();
      const card = p.getByRole('region', { name: 'Payment status' });
      await open(`/preview/company/${deal('Northwind Traders').companyId}?as=rep`);
      await card.getByText('Customer not linked yet').waitFor();
      await screenshot(p, 'payment-status-1-not-linked');

      const wayne = deal('Wayne Enterprises');
      await open(`/preview/company/${wayne.companyId}?as=rep`);
      const banner = card.getByRole('alert').filter({ hasText: /overdue/i });
      await banner.waitFor();
      expect(await visibleText(banner)).toMatch(/past due/);
      const invoices = await visibleText(card.getByTestId('open-invoices'));
      expect(invoices).toContain('$1,000.00');
      expect(await visibleText(card.getByTestId('last-payment'))).toContain('Last payment');
      await screenshot(p, 'payment-status-2-company-banner');

      // The deal's sidebar card warns the rep too.
      await open(`/preview/deal/${wayne.id}?as=rep`);
      await p
        .getByRole('region', { name: 'Payment status' })
        .getByRole('alert')
        .filter({ hasText: 'Overdue customer' })
        .waitFor();
      await screenshot(p, 'payment-status-3-deal-sidebar', p.getByRole('region', { name: 'Payment status' }));
      await expectNoUnmapped();
    },
    STEP_MS,
  );

  it(
    'opens the settings page as RevOps',
    async () => {
      const p = page();
      await open('/preview/settings?as=revops');
      await p.getByTestId('finance').waitFor();
      const text = await visibleText(p.locator('.rh-app-page__body'));
      expect(text).toContain('QuickBooks');
      expect(await visibleText(p.getByTestId('failed-setups'))).toContain(deal('Cyberdyne').id);
      await p.getByTestId('portal-settings').waitFor();
      await screenshot(p, 'settings');
      await expectNoUnmapped();
    },
    STEP_MS,
  );

  it(
    'opens the app home with the revenue-readiness metrics',
    async () => {
      const p = page();
      await open('/preview/home?as=revops');
      await p.getByTestId('handoffs').waitFor();
      const text = await visibleText(p.locator('.rh-app-page__body'));
      expect(text).toMatch(/accept/i);
      await screenshot(p, 'home');
      await expectNoUnmapped();
      expect(browser?.errors ?? []).toEqual([]);
    },
    STEP_MS,
  );
});

/** The text a person sees in the element (Playwright's innerText: rendered, not hidden text). */
function visibleText(locator: Locator, timeout = WAIT_MS): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the visible text asserted on
  return locator.innerText({ timeout });
}

/** Waits until the locator's visible text is `expected`; answers it (or the last text seen, on timeout). */
async function waitForText(locator: Locator, expected: string, timeoutMs = WAIT_MS): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = (await visibleText(locator, timeoutMs).catch(() => '')).trim();
    if (last === expected) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}
