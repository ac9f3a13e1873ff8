/**
 * Latency the gateway adds, side by side in one run: a load generator (autocannon) at a fixed rate
 * against the sample model server directly, then through `mlsecops gateway` with an API key, limits,
 * body checks and the prompt rules on, alternating per repetition. Reports p50/p99 of each and the
 * difference. Run: `npx tsx bench/gateway-latency.ts [--rate 2000] [--seconds 10] [--reps 3]`.
 * Upstream, gateway and load generator share this machine's two cores, so the figures are upper bounds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { repoRoot } from './lib/data.js';
import { machineInfo } from './lib/machine.js';
import { median } from './lib/stats.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const rate = option('--rate', 2000);
const seconds = option('--seconds', 10);
const reps = option('--reps', 3);

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function start(command: string[], ready: RegExp): Promise<string> {
  const child = spawn(process.execPath, command, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = ready.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

const port = 19000 + Math.floor(Math.random() * 1000);
const upstream = await start(['examples/gateway/upstream.mjs', String(port)], /(http:\/\/127\.0\.0\.1:\d+)/);
const key = 'bench-key';
const dir = mkdtempSync(join(tmpdir(), 'mlsecops-gw-bench-'));
const config = join(dir, 'gateway.yaml');
writeFileSync(
  config,
  `keys:
  - { id: bench, sha256: "${createHash('sha256').update(key).digest('hex')}", models: ["*"], limits: { requestsPerMinute: 1000000, burst: 100000 } }
models:
  ranker:
    upstream: ${upstream}/v1/models
    schema: { type: object, required: [instances], properties: { instances: { type: array } } }
limits:
  perIp: { requestsPerMinute: 1000000, burst: 100000 }
`,
);
const gateway = await start(
  ['--import', 'tsx', 'src/cli/bin.ts', 'gateway', '--config', config, '--port', '0', '--log-level', 'warn'],
  /listening on (http:\/\/\S+)/,
);
const body = JSON.stringify({ instances: [[0.1, 0.2, 0.3, 0.4]] });

async function load(url: string): Promise<{ p50: number; p99: number; rps: number; errors: number }> {
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    connections: 50,
    overallRate: rate,
    duration: seconds,
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

await load(`${upstream}/v1/models/ranker:predict`); // warm-up, both paths
await load(`${gateway}/ranker/ranker:predict`);
const direct: Awaited<ReturnType<typeof load>>[] = [];
const through: Awaited<ReturnType<typeof load>>[] = [];
for (let i = 0; i < reps; i++) {
  direct.push(await load(`${upstream}/v1/models/ranker:predict`));
  through.push(await load(`${gateway}/ranker/ranker:predict`));
}
const m = (rows: typeof direct, field: 'p50' | 'p99' | 'rps') => median(rows.map((row) => row[field]));
const lines = [
  `machine: ${JSON.stringify(machineInfo())}`,
  `fixed rate ${rate} requests/s, ${seconds} s per run, 50 connections, medians of ${reps}`,
  '',
  '| Path | p50 (ms) | p99 (ms) | achieved req/s | errors |',
  '| --- | ---: | ---: | ---: | ---: |',
  `| upstream directly | ${m(direct, 'p50')} | ${m(direct, 'p99')} | ${m(direct, 'rps').toFixed(0)} | ${direct.map((r) => r.errors).join('/')} |`,
  `| through the gateway | ${m(through, 'p50')} | ${m(through, 'p99')} | ${m(through, 'rps').toFixed(0)} | ${through.map((r) => r.errors).join('/')} |`,
  `| added by the gateway | ${(m(through, 'p50') - m(direct, 'p50')).toFixed(2)} | ${(m(through, 'p99') - m(direct, 'p99')).toFixed(2)} | | |`,
  '',
  `samples p50 direct ${direct.map((r) => r.p50).join(', ')}; gateway ${through.map((r) => r.p50).join(', ')}`,
  `samples p99 direct ${direct.map((r) => r.p99).join(', ')}; gateway ${through.map((r) => r.p99).join(', ')}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
