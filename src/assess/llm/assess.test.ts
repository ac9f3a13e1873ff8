import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Assistant, startAssistant } from '../../../examples/llm-target/server.mjs';
import { cli } from '../../cli/test-support.js';
import { reportSchema } from '../../contracts/index.js';
import { assessLlm, llmFamilies, llmProbes, llmRules } from './index.js';

const servers: Assistant[] = [];
async function serve(options: Parameters<typeof startAssistant>[0]): Promise<Assistant> {
  const server = await startAssistant(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const fast = { timeoutMs: 5000, retries: 0, concurrency: 4 };

describe('assess llm against the simulated assistant', () => {
  it('finds the vulnerable assistant failing every family', async () => {
    const { url } = await serve({ mode: 'vulnerable' });
    const report = await assessLlm({ url, ...fast });
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.kind).toBe('assessment');
    expect(report.metrics?.probes).toBe(llmProbes.length);
    expect(report.metrics?.errors).toBe(0);
    expect(report.metrics?.failedProbes).toBeGreaterThanOrEqual(llmProbes.length - 2);
    for (const family of llmFamilies) expect(report.findings.map((f) => f.ruleId)).toContain(`llm.${family}`);
    expect(report.metrics?.excessiveAgencyFailed).toBe(3);
    for (const finding of report.findings) expect(Object.keys(llmRules)).toContain(finding.ruleId);
  });

  it('masks planted secrets in evidence but keeps the canary id', async () => {
    const { url } = await serve({ mode: 'vulnerable' });
    const planted = {
      canary: 'MLS-CANARY-0011223344556677',
      secret: 'sk-mls-00112233445566778899aabbccddeeff',
      pii: { name: 'Dana Test', email: 'dana.t@example.invalid', phone: '+1-555-0100', ssn: '900-12-3456' },
      marker: 'PWNED-abcdef012345',
    };
    const report = await assessLlm({
      url,
      ...fast,
      planted,
      families: ['system-prompt-leak', 'secret-leak', 'pii-leak'],
    });
    const text = JSON.stringify(report);
    expect(text).toContain(planted.canary);
    expect(text).not.toContain(planted.secret);
    expect(text).not.toContain(planted.pii.email);
    expect(text).not.toContain(planted.pii.ssn);
    const encoded = report.findings.find((f) => f.location.member === 'sec-encoded');
    expect(encoded?.properties?.grader).toBe('secret');
    for (const f of report.findings) expect(f.evidence.length).toBeLessThanOrEqual(260);
  });

  it('finds the hardened assistant passing every family', async () => {
    const { url } = await serve({ mode: 'hardened' });
    const report = await assessLlm({ url, ...fast });
    expect(report.findings).toEqual([]);
    expect(report.metrics).toMatchObject({ probes: llmProbes.length, failedProbes: 0, errors: 0, judge: 0 });
  });

  it('resumes from the state file, skipping probes already done', async () => {
    const server = await serve({ mode: 'vulnerable' });
    const statePath = join(await mkdtemp(join(tmpdir(), 'llm-state-')), 'state.jsonl');
    const first = await assessLlm({ url: server.url, ...fast, statePath, families: ['jailbreak'] });
    const lines = (await readFile(statePath, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(4);
    await writeFile(statePath, `${lines.slice(0, 2).join('\n')}\n{"torn`);
    const before = server.requests.length;
    const second = await assessLlm({ url: server.url, ...fast, statePath, families: ['jailbreak'] });
    expect(server.requests.length - before).toBe(2);
    expect(second.metrics?.resumedProbes).toBe(2);
    expect(second.metrics?.failedProbes).toBe(first.metrics?.failedProbes);
  });

  it('spaces requests by --rate', async () => {
    const server = await serve({ mode: 'hardened' });
    await assessLlm({
      url: server.url,
      ...fast,
      rate: 20,
      concurrency: 4,
      families: ['prompt-injection', 'jailbreak'],
    });
    const times = server.requests;
    expect(times).toHaveLength(7);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(6 * 50 - 15);
  });

  it.each([
    ['garbage', 'BAD_RESPONSE'],
    ['oversized', 'RESPONSE_TOO_LARGE'],
    ['slow', 'TIMEOUT'],
  ] as const)('turns a %s target into error results', async (mode, code) => {
    const { url } = await serve({ mode, delayMs: 1500 });
    const report = await assessLlm({ url, ...fast, timeoutMs: 300, families: ['prompt-injection'] });
    expect(report.metrics).toMatchObject({ probes: 3, errors: 3, failedProbes: 0 });
    expect(report.files.every((f) => f.status === 'error' && f.errors[0]?.code === code)).toBe(true);
  });

  it('retries 429 and 5xx with backoff', async () => {
    const server = await serve({ mode: 'flaky', failures: 2 });
    const report = await assessLlm({
      url: server.url,
      timeoutMs: 5000,
      retries: 3,
      backoffMs: 10,
      concurrency: 1,
      families: ['pii-leak'],
    });
    expect(report.metrics).toMatchObject({ errors: 0, failedProbes: 2 });
    expect(server.requests).toHaveLength(4);
  });

  it('marks judge verdicts when a judge is configured', async () => {
    const target = await serve({ mode: 'vulnerable' });
    const judge = await serve({ mode: 'judge-yes' });
    const report = await assessLlm({
      url: target.url,
      ...fast,
      judge: { url: judge.url },
      families: ['excessive-agency', 'prompt-injection'],
    });
    expect(report.metrics?.judge).toBe(1);
    expect(judge.requests.length).toBe(0); // every probe failed deterministically: the judge is not asked
    const hardened = await serve({ mode: 'hardened' });
    const judged = await assessLlm({
      url: hardened.url,
      ...fast,
      judge: { url: judge.url },
      families: ['prompt-injection'],
    });
    expect(judge.requests.length).toBe(0); // refusals are never sent to the judge
    expect(judged.findings).toEqual([]);
  });
});

describe('mlsecops assess llm', () => {
  it('prints a per-probe and per-family table and exits 1 on a vulnerable target', async () => {
    const { url } = await serve({ mode: 'vulnerable' });
    const { code, stdout } = await cli([
      'assess',
      'llm',
      '--target',
      url.replace('/chat/completions', ''),
      '--families',
      'jailbreak,excessive-agency',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/jb-role-play\s+jailbreak\s+FAILED/);
    expect(stdout).toMatch(/excessive-agency\s+LLM06\s+0\s+3\s+0/);
  });

  it('emits the Report as json and exits 0 on a hardened target', async () => {
    const { url } = await serve({ mode: 'hardened' });
    const dir = await mkdtemp(join(tmpdir(), 'llm-cli-'));
    const config = join(dir, 'target.yaml');
    await writeFile(
      config,
      `url: ${url}\nmodel: sim\nheaders:\n  authorization: Bearer t\nsystemPrompt: You are a test bot.\n`,
    );
    const { code, stdout } = await cli(['assess', 'llm', '--target', config, '--format', 'json', '--rate', '50']);
    expect(code).toBe(0);
    const report = reportSchema.parse(JSON.parse(stdout));
    expect(report.metrics?.failedProbes).toBe(0);
  });

  it('rejects an unknown family and a bad target with exit 2', async () => {
    expect((await cli(['assess', 'llm', '--target', 'http://127.0.0.1:9/v1', '--families', 'nope'])).code).toBe(2);
    expect((await cli(['assess', 'llm', '--target', '/no/such/file.yaml'])).code).toBe(2);
  });
});
