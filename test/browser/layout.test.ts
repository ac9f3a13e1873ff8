import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, openPage, screenshot, settled, signIn } from './browser.js';
import { ensureDashboard } from './dashboard-build.js';
import { type Seeded, startSeededServer } from './seed.js';

/** The main pages, and what shows that each has its data on screen. */
const pages = [
  { name: 'models', path: '/models', ready: 'table' },
  { name: 'model', path: '/models/fraud-detector', ready: '[data-alias="production"]' },
  { name: 'version', path: '/models/fraud-detector/versions/1', ready: '[data-testid="gate"]' },
  { name: 'findings', path: '/models/fraud-detector/versions/1/findings?kind=data-scan', ready: '.finding-row' },
  { name: 'lineage', path: '/models/fraud-detector/lineage', ready: '.lineage-graph' },
  { name: 'monitoring', path: '/models/fraud-detector/monitoring', ready: '.chart-canvas canvas' },
  { name: 'decisions', path: '/decisions', ready: 'main h1' },
  { name: 'incidents', path: '/incidents', ready: 'table' },
  { name: 'incident', path: '/incidents/1', ready: '.timeline' },
  { name: 'audit', path: '/audit', ready: '.verify-ok' },
] as const;

const viewports = [
  { width: 1366, height: 768 },
  { width: 2560, height: 1440 },
] as const;

describe('dashboard layout', () => {
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

  it.each(viewports)('has no horizontal overflow at $width×$height on the main pages', async ({ width, height }) => {
    const { page, problems, close } = await openPage(browser, width, height);
    try {
      await signIn(page, server.url, server.tokens.admin);
      for (const entry of pages) {
        await page.goto(`${server.url}/#${entry.path}`);
        await page.locator(entry.ready).first().waitFor({ timeout: 15_000 });
        await settled(page);
        expect(await horizontalOverflow(page), `${entry.name} at ${width}px`).toEqual([]);
        await screenshot(page, `${width}x${height}-${entry.name}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('follows a dark system theme', async () => {
    const { page, problems, close } = await openPage(browser, 1366, 768, 'dark');
    try {
      await signIn(page, server.url, server.tokens.admin);
      for (const entry of pages.filter((candidate) => ['version', 'findings', 'monitoring'].includes(candidate.name))) {
        await page.goto(`${server.url}/#${entry.path}`);
        await page.locator(entry.ready).first().waitFor();
        await settled(page);
        await screenshot(page, `dark-${entry.name}`);
      }
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(background).toBe('rgb(14, 17, 22)');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('keeps 10,000 findings in a virtualized list: few rows in the page, the last one a key press away', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await signIn(page, server.url, server.tokens.admin);
      await page.goto(`${server.url}/#/models/fraud-detector/versions/1/findings?kind=data-scan`);
      const list = page.getByTestId('finding-list');
      await list.locator('.finding-row').first().waitFor();
      expect(await page.locator('output', { hasText: 'shown' }).textContent()).toContain('of 10,000 shown');
      expect(await list.locator('.finding-row').count()).toBeLessThan(60);

      // Keyboard: into the list, then End. The rest of the findings load on the way (pages of 2,500).
      await list.locator('.finding-row').first().focus();
      await page.keyboard.press('ArrowDown');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset')))
        .toBe('2');
      const started = Date.now();
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('End');
        await page.waitForTimeout(150);
      }
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset')), {
          timeout: 10_000,
        })
        .toBe('10000');
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(await list.locator('.finding-row').count()).toBeLessThan(60);
      expect(await page.getByRole('complementary', { name: 'Finding detail' }).textContent()).toContain('Finding');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
