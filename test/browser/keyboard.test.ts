import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, settled } from './browser.js';
import { ensureDashboard } from './dashboard-build.js';
import { type Seeded, startSeededServer } from './seed.js';

/** What has focus, and whether it shows: a visible outline (or the skip link's own panel). */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { text: '', tag: '', visible: false };
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
    const onScreen = rect.width > 0 && rect.height > 0 && rect.top >= 0 && rect.bottom <= window.innerHeight + 1;
    return {
      text: (element.getAttribute('aria-label') ?? element.textContent ?? '').trim(),
      tag: element.tagName.toLowerCase(),
      visible: outline && onScreen,
    };
  });
}

/** Presses Tab until the focused element's text matches, checking every stop shows its focus. */
async function tabTo(page: Page, name: RegExp, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    expect(now.visible, `focus on <${now.tag}> "${now.text}" is visible`).toBe(true);
    if (name.test(now.text)) return now;
  }
  throw new Error(`Tab never reached ${name}`);
}

describe('dashboard by keyboard alone', () => {
  let server: Seeded;
  let browser: Browser;

  beforeAll(async () => {
    await ensureDashboard();
    [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, reaches the skip link, the main navigation and the primary actions with Tab, with focus always visible', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await page.getByLabel('API token').waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('token');
      await page.keyboard.type(server.tokens.admin);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();

      // From the top of the page: the skip link first, then the brand and every section of the main navigation.
      await page.reload();
      await settled(page);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ text: 'Skip to main content', visible: true });
      for (const section of ['Models', 'Policy decisions', 'Incidents', 'Audit trail']) {
        await tabTo(page, new RegExp(`^${section}$`), 2);
      }
      await tabTo(page, /account menu/, 1);
      await page.keyboard.press('Enter');
      await tabTo(page, /^Same as the system/, 1);
      await tabTo(page, /^Sign out$/, 1);
      await page.keyboard.press('Escape');
      expect((await focused(page)).text).toMatch(/account menu/);

      // The skip link moves focus into the page; from there, the model, then its version.
      await page.reload();
      await settled(page);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      await tabTo(page, /^fraud-detector$/);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'fraud-detector' }).waitFor();
      await settled(page);
      await tabTo(page, /^v1$/);
      await page.keyboard.press('Enter');
      await page.getByTestId('gate').waitFor();
      await settled(page);
      await tabTo(page, /^Approve v1$/);
      await tabTo(page, /^Promote v1 to production$/);
      await screenshot(page, 'keyboard-focus-promote');

      // Findings: one Tab stop into the list, arrows move the selection and the detail follows.
      await page.goto(`${server.url}/#/models/fraud-detector/versions/1/findings?kind=data-scan`);
      await page.locator('.finding-row').first().waitFor();
      await tabTo(page, /Finding 1 in the training data/);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'))).toBe('3');
      const title = await page.locator('.finding-row:focus .finding-title').textContent();
      expect(await page.getByRole('complementary', { name: 'Finding detail' }).locator('h2').textContent()).toBe(title);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
