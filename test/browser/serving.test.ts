import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/index.js';
import { LocalBlobStore, openDatabase } from '../../src/store/index.js';
import { dashboardDir, ensureDashboard } from './dashboard-build.js';

/** How the server hands out the dashboard: public files with strict headers, nothing else. */
describe('dashboard files', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;

  beforeAll(async () => {
    await ensureDashboard();
    const database = await openDatabase({ url: ':memory:' });
    const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-serving-'));
    app = await createApp({ database, blobs: await LocalBlobStore.create(scratch), dashboardDir });
    close = async () => {
      await app.close();
      await database.close();
      rmSync(scratch, { recursive: true, force: true });
    };
  }, 120_000);
  afterAll(() => close?.());

  it('serves index.html at / with a content security policy and no caching', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // Everything the page loads is local: no CDN, no web fonts.
    expect(response.body).not.toMatch(/https?:\/\//);
  });

  it('serves the hashed assets for good, and nothing outside them', async () => {
    const [asset] = readdirSync(join(dashboardDir, 'assets')).filter((name) => name.endsWith('.js'));
    const response = await app.inject({ method: 'GET', url: `/assets/${asset}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of [
      '/assets/missing.js',
      '/assets/../index.html',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%5c..%5cpackage.json',
      '/package.json',
      '/index.html',
    ]) {
      const refused = await app.inject({ method: 'GET', url });
      expect(refused.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(refused.body, url).not.toContain('"dependencies"');
    }
  });

  it('keeps every API route behind a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/models' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/entries' })).statusCode).toBe(401);
  });
});
