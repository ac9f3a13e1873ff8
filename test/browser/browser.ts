import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where the tests save screenshots (gitignored; CI keeps them as build artifacts). */
export const artifacts = join(import.meta.dirname, 'artifacts');

/** The system Chromium (Debian's package); playwright-core never downloads a browser. */
export const chromiumPath = process.env.MLSECOPS_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A fresh page of the dashboard; any page error or failed request fails the test that reads `problems`. */
export async function openPage(browser: Browser, width = 1366, height = 768, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport: { width, height }, reducedMotion: 'reduce', colorScheme });
  // Fail in seconds, not half a minute: every page here loads from a local server.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Refusals the tests provoke (401, 403) are logged by the browser too; only server errors count.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${response.url()}`);
  });
  return { page, problems, close: () => context.close() };
}

/** Signs in through the log-in page, as a person would: paste the token, press the button. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
}

/** Waits until the page shows no loading indicator (every panel has its data or its error). */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0, undefined, { timeout: 15_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}

/**
 * Elements that stick out of the viewport horizontally, unless a scrolling or clipping ancestor
 * that itself fits holds them (a wide table in its scroll box is fine; a page that scrolls sideways is not).
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width + 1) {
      found.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
    }
    const fits = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return rect.left >= -1 && rect.right <= width + 1;
    };
    for (const element of document.body.querySelectorAll('*')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || fits(element)) continue;
      let held = false;
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible' && fits(parent)) {
          held = true;
          break;
        }
      }
      if (!held) {
        const name = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}`;
        found.push(`${name} spans ${Math.round(rect.left)}..${Math.round(rect.right)}px`);
      }
    }
    return found.slice(0, 10);
  });
}
