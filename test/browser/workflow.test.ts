import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, settled, signIn } from './browser.js';
import { ensureDashboard } from './dashboard-build.js';
import { type Seeded, startSeededServer } from './seed.js';

/**
 * The release decision end to end in a real browser: an approver signs in with a token, finds the
 * production promotion blocked and why, approves, promotes, sees the alias move and the audit trail
 * verify in the browser, reads the rejected version's critical findings, and signs out.
 */
describe('dashboard: may this model ship?', () => {
  let server: Seeded;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let close: () => Promise<void>;

  beforeAll(async () => {
    await ensureDashboard();
    [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
    ({ page, problems, close } = await openPage(browser));
  }, 120_000);
  afterAll(async () => {
    await close?.();
    await browser?.close();
    await server?.close();
  });

  it('sends a visitor without a session to the log-in page and refuses a bad token', async () => {
    await page.goto(`${server.url}/#/models`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('API token').fill(`mls_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not accept this token');
    await screenshot(page, 'login');
  });

  it('shows the production promotion blocked, approves, promotes and sees the alias move', async () => {
    await signIn(page, server.url, server.tokens.approver);
    await page.getByRole('link', { name: 'fraud-detector', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'fraud-detector' }).waitFor();
    await settled(page);
    await page.getByRole('link', { name: 'v1', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'fraud-detector v1' }).waitFor();

    const gate = page.getByTestId('gate');
    await expect.poll(() => gate.textContent()).toContain('is blocked');
    expect(await gate.textContent()).toContain('0 of 1 approvals');
    await settled(page);
    await screenshot(page, 'version-blocked');

    // Promoting now is refused by the server, which says why.
    await page.getByRole('button', { name: 'Promote v1 to production' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/Not promoted: .*0 of 1 approvals/);

    await page.getByLabel('Comment').fill('Scan clean, model card reviewed');
    await page.getByRole('button', { name: 'Approve v1' }).click();
    await page.getByText('Your approval is recorded.').waitFor();
    await expect.poll(() => gate.textContent()).toContain('passes');
    expect(await gate.textContent()).toContain('1 of 1 approvals');

    await page.getByRole('button', { name: 'Promote v1 to production' }).click();
    await page.getByText('production now points to v1.').waitFor();
    await expect.poll(() => page.getByText('production points to v1 (this version).').count()).toBe(1);

    await page.getByRole('link', { name: 'fraud-detector', exact: true }).first().click();
    const production = page.locator('[data-alias="production"]');
    await expect.poll(() => production.textContent()).toContain('production → v1');
    expect(problems).toEqual([]);
  });

  it('shows the new entries in the audit trail, verified in the browser', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
    const status = page.getByTestId('audit-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Verified');
    expect(await status.textContent()).toMatch(/\d+ entries match the checkpoint signed by mlsecops-registry/);
    const entries = page.getByTestId('audit-entries');
    expect(await entries.textContent()).toContain('alias.moved');
    expect(await entries.textContent()).toContain('approval.recorded');

    // The newest entry (the promotion) carries an inclusion proof the browser checks against the root.
    await entries.getByRole('button').filter({ hasText: 'alias.moved' }).first().click();
    await page.getByRole('button', { name: 'Check inclusion proof' }).click();
    await page.getByText(/is in the verified log \(inclusion proof checked\)/).waitFor();
    await screenshot(page, 'audit-verified');

    // The log grows elsewhere: the next check reads only the new entries and the consistency proof.
    const opened = await fetch(`${server.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Audit trail check', severity: 'low' }),
    });
    expect(opened.status).toBe(201);
    await page.getByRole('button', { name: 'Check for new entries' }).click();
    await expect.poll(() => status.textContent()).toContain('the consistency proof shows nothing before was changed');

    // Someone with access to the database rewrites history: the browser notices.
    const first = await server.database.db
      .selectFrom('audit_entries')
      .select('body')
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    await server.database.db
      .updateTable('audit_entries')
      .set({ body: first.body.replace('fraud-base', 'fraud-b4se') })
      .where('seq', '=', 1)
      .execute();
    await page.getByRole('button', { name: 'Verify again from scratch' }).click();
    await expect.poll(() => status.textContent()).toContain('NOT VERIFIED');
    expect(await status.textContent()).toContain("do not hash to the checkpoint's root");
    await screenshot(page, 'audit-tampered');
    expect(problems).toEqual([]);
  });

  it('browses the findings of the rejected version and filters them to critical', async () => {
    await page.goto(`${server.url}/#/models/fraud-detector`);
    await settled(page);
    const rejected = page.getByRole('row').filter({ hasText: 'rejected' });
    await rejected.getByRole('link', { name: /\d+ findings?$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Findings of fraud-detector v2' }).waitFor();
    await settled(page);
    const list = page.getByTestId('finding-list');
    expect(await list.textContent()).toContain('pickle.dangerous-global');

    await page.getByRole('checkbox', { name: /critical/ }).check();
    await expect.poll(() => page.url()).toContain('severity=critical');
    await expect.poll(async () => [...new Set(await list.locator('.badge').allTextContents())]).toEqual(['critical']);
    const detail = page.getByRole('complementary', { name: 'Finding detail' });
    expect(await detail.textContent()).toContain('Remediation');
    await screenshot(page, 'findings-critical');
    expect(problems).toEqual([]);
  });

  it('signs out and forgets the token', async () => {
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.goto(`${server.url}/#/audit`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});
