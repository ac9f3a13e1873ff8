import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanData } from '../data/index.js';
import { createPrincipal, issueToken } from '../registry/index.js';
import { testDatabases } from '../store/test-support.js';
import { registryApp, upload } from './test-support.js';

const examples = resolve(import.meta.dirname, '../../examples/models');
const people = resolve(import.meta.dirname, '../data/testdata/people.csv');
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-evidence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(testDatabases)('version evidence on $name', ({ name, open }) => {
  it('keeps the full scan report, serves its findings in pages with facets, and takes attached evidence', async () => {
    const { app, database, admin, close } = await registryApp(open, join(scratch, name));
    try {
      await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'ranker' } });
      const versions = '/api/v1/models/ranker/versions';
      const bad = await upload(app, versions, admin, readFileSync(join(examples, 'backdoored-classifier.pkl')));
      expect(bad.json().status).toBe('rejected');

      const listed = (await app.inject({ url: `${versions}/1/evidence`, headers: admin })).json().evidence;
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ kind: 'scan', name: 'model-scan', createdBy: null });
      expect(listed[0].summary.bySeverity.critical).toBeGreaterThan(0);
      expect(listed[0].digest).toMatch(/^[0-9a-f]{64}$/);

      const whole = (await app.inject({ url: `${versions}/1/evidence/${listed[0].id}`, headers: admin })).json();
      // The blob store's path never leaks: files are named after the version.
      expect(whole.document.files[0].path).toBe('ranker@1');
      expect(JSON.stringify(whole.document)).not.toContain(scratch);

      const page = (
        await app.inject({ url: `${versions}/1/findings?severity=critical&limit=1`, headers: admin })
      ).json();
      expect(page.total).toBe(whole.document.findings.length);
      expect(page.matched).toBe(page.facets.bySeverity.critical);
      expect(page.findings).toHaveLength(1);
      expect(page.findings[0].severity).toBe('critical');
      expect(Object.keys(page.facets.byPath)).toContain('ranker@1');
      const rule = Object.keys(page.facets.byRule)[0] as string;
      const byRule = (await app.inject({ url: `${versions}/1/findings?rule=${rule}`, headers: admin })).json();
      expect(byRule.matched).toBe(page.facets.byRule[rule]);

      // A data-scan report made by the data engine, attached by a publisher, audited with its digest.
      const publisher = await createPrincipal(database, 'ci', 'service', [{ scope: 'ranker', role: 'publisher' }]);
      const ci = { authorization: `Bearer ${(await issueToken(database, publisher, 30)).token}` };
      const report = await scanData([people]);
      const attached = await app.inject({
        method: 'POST',
        url: `${versions}/1/evidence`,
        headers: ci,
        payload: { kind: 'data-scan', name: 'people.csv', document: report },
      });
      expect(attached.statusCode, attached.body).toBe(201);
      const dataFindings = (await app.inject({ url: `${versions}/1/findings?kind=data-scan`, headers: ci })).json();
      expect(dataFindings.total).toBe(report.findings.length);
      expect(dataFindings.total).toBeGreaterThan(0);
      const entries = (await app.inject({ url: '/api/v1/audit/entries', headers: admin }))
        .json()
        .entries.map((entry: string) => JSON.parse(entry));
      const audited = entries.find((entry: { kind: string }) => entry.kind === 'evidence.attached');
      expect(audited.details).toMatchObject({ type: 'data-scan', name: 'people.csv', digest: attached.json().digest });
      expect(entries.find((entry: { kind: string }) => entry.kind === 'version.scanned').details.report).toBe(
        listed[0].digest,
      );

      // Documents are checked against their kind; readers cannot attach.
      for (const [kind, document] of [
        ['data-scan', { findings: [] }],
        ['provenance', { hello: 'world' }],
        ['bom', { bomFormat: 'SPDX' }],
      ] as const) {
        const refused = await app.inject({
          method: 'POST',
          url: `${versions}/1/evidence`,
          headers: ci,
          payload: { kind, document },
        });
        expect(refused.statusCode, `${kind}: ${refused.body}`).toBe(400);
      }
      const reader = await createPrincipal(database, 'viewer', 'user', [{ scope: '*', role: 'reader' }]);
      const viewer = { authorization: `Bearer ${(await issueToken(database, reader, 30)).token}` };
      const denied = await app.inject({
        method: 'POST',
        url: `${versions}/1/evidence`,
        headers: viewer,
        payload: { kind: 'data-scan', document: report },
      });
      expect(denied.statusCode).toBe(403);
      expect((await app.inject({ url: `${versions}/9/evidence`, headers: viewer })).statusCode).toBe(404);
      const provenance = await app.inject({
        method: 'POST',
        url: `${versions}/1/evidence`,
        headers: ci,
        payload: {
          kind: 'provenance',
          document: {
            _type: 'https://in-toto.io/Statement/v1',
            predicateType: 'https://slsa.dev/provenance/v1',
            subject: [],
          },
        },
      });
      expect(provenance.statusCode, provenance.body).toBe(201);
      const kinds = (await app.inject({ url: `${versions}/1/evidence`, headers: viewer }))
        .json()
        .evidence.map((entry: { kind: string }) => entry.kind);
      expect(kinds).toEqual(['scan', 'data-scan', 'provenance']);
    } finally {
      await close();
    }
  });
});
