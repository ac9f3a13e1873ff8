/**
 * Latency the gateway adds at a fixed request rate, side by side in one run: the sample model server
 * (`examples/gateway/upstream.mjs`) called directly, then through `mlsecops gateway` with an API key,
 * limits per address, key and model, body size and nesting checks, a JSON Schema and the detectors of
 * the route (`--route predict`: extraction and probing in alert mode; `--route chat`: prompt rules and
 * answer scanning in block mode). Paths alternate per repetition after one warm-up of each.
 *
 * Run: `npm run build && npx tsx bench/gateway-latency.ts [--route predict|chat] [--rate 2000] [--seconds 10]
 *       [--reps 3] [--loader h2load|autocannon] [--events sqlite|postgres|jsonl|off]`; `GATEWAY_NODE_FLAGS='--trace-gc'` shows the gateway's GC pauses
 *
 * Load generator. "A fixed rate" means requests sent at evenly spaced times whatever the answers do
 * (an open loop). h2load (Debian's nghttp2-client, `/usr/bin/h2load`) does that: `--rps` paces each of
 * 20 HTTP/1.1 connections, and `-r 1 --rate-period 1ms` starts them 1 ms apart so their ticks do not
 * coincide (2 requests per millisecond at 2,000/s). It writes every request's latency in µs to a log,
 * from which the percentiles here are exact. autocannon's `overallRate` is not an open loop: it gives
 * each connection a budget per second, sends as fast as answers come until the budget is spent and then
 * waits for the next second, so every second starts with a burst at full concurrency (50 here) and the
 * figures measure queueing behind that burst. `--loader autocannon` reports that case too (whole
 * milliseconds, as autocannon rounds them).
 *
 * Upstream, gateway and load generator share this machine's two cores, so the figures are upper bounds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openDatabase } from '../src/store/index.js';
import { repoRoot } from './lib/data.js';
import { machineInfo } from './lib/machine.js';
import { runTimed } from './lib/proc.js';
import { median } from './lib/stats.js';

const H2LOAD = '/usr/bin/h2load';
const { values } = parseArgs({
  options: {
    route: { type: 'string', default: 'predict' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    loader: { type: 'string', default: existsSync(H2LOAD) ? 'h2load' : 'autocannon' },
    events: { type: 'string', default: 'sqlite' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const reps = Number(values.reps);
const { route, loader, events } = values;
if (route !== 'predict' && route !== 'chat') throw new Error(`--route takes predict or chat, got ${route}`);
if (loader !== 'h2load' && loader !== 'autocannon') throw new Error(`--loader takes h2load or autocannon`);
if (!['off', 'jsonl', 'sqlite', 'postgres'].includes(events))
  throw new Error('--events takes off, jsonl, sqlite or postgres');
const CONNECTIONS = loader === 'h2load' ? 20 : 50;
if (loader === 'h2load' && rate % CONNECTIONS !== 0) throw new Error(`--rate must be a multiple of ${CONNECTIONS}`);

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'mlsecops-gw-latency-'));
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(command: string[], ready: RegExp, stdout: 'ignore' | 'inherit' = 'ignore'): Promise<string> {
  const child = spawn(process.execPath, command, { cwd: repoRoot, stdio: ['ignore', stdout, 'pipe'] });
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
const config = join(dir, 'gateway.yaml');
writeFileSync(
  config,
  `keys:
  - { id: bench, sha256: "${createHash('sha256').update(key).digest('hex')}", models: ["*"], limits: { requestsPerMinute: 1000000, burst: 100000 } }
models:
  ranker:
    upstream: ${upstream}/v1/models
    limits: { requestsPerMinute: 1000000, burst: 100000 }
    schema: { type: object, required: [instances], properties: { instances: { type: array } } }
    detectors: { extraction: { mode: alert }, probing: { mode: alert } }
  chat:
    upstream: ${upstream}/v1
    kind: openai
    limits: { requestsPerMinute: 1000000, burst: 100000 }
    schema: { type: object, required: [messages] }
    detectors: { promptInjection: block, outputRedaction: redact }
limits:
  perIp: { requestsPerMinute: 1000000, burst: 100000 }
`,
);
// GATEWAY_NODE_FLAGS passes V8 flags to the gateway only, e.g. `--trace-gc` (its output goes to stdout).
const nodeFlags = process.env.GATEWAY_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
/**
 * Where the gateway's per-request events go: the monitor's event store in a SQLite file (the default),
 * PostgreSQL (`MLSECOPS_BENCH_DATABASE_URL`, default the local test database, emptied of gateway
 * events before and after), a JSON-lines file, or nowhere.
 */
const postgresUrl = process.env.MLSECOPS_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const eventStore = events === 'sqlite' ? join(dir, 'events.db') : events === 'postgres' ? postgresUrl : undefined;
async function emptyEventStore(): Promise<number> {
  if (!eventStore) return 0;
  const database = await openDatabase({ url: eventStore });
  const { numDeletedRows } = await database.db.deleteFrom('gateway_events').executeTakeFirst();
  await database.close();
  return Number(numDeletedRows);
}
await emptyEventStore();
const eventFlags = eventStore
  ? ['--event-store', eventStore]
  : events === 'jsonl'
    ? ['--events', join(dir, 'events.jsonl')]
    : [];

// The built CLI, as deployed: the TypeScript loader would add its own per-closure work to the hot path.
const cli = join(repoRoot, 'dist/cli/bin.js');
if (!existsSync(cli)) throw new Error('run `npm run build` first: the benchmark runs the built gateway (dist/)');
const gateway = await start(
  [...nodeFlags, cli, 'gateway', '--config', config, '--port', '0', '--log-level', 'warn', ...eventFlags],
  /listening on (http:\/\/\S+)/,
  nodeFlags.includes('--trace-gc') ? 'inherit' : 'ignore',
);

const paths =
  route === 'predict'
    ? { direct: `${upstream}/v1/models/ranker:predict`, gateway: `${gateway}/ranker/ranker:predict` }
    : { direct: `${upstream}/v1/chat/completions`, gateway: `${gateway}/chat/chat/completions` };
const body =
  route === 'predict'
    ? JSON.stringify({ instances: [[0.1, 0.2, 0.3, 0.4]] })
    : JSON.stringify({
        model: 'sample',
        messages: [
          { role: 'system', content: 'You are a helpful support assistant for an online shop.' },
          { role: 'user', content: 'Where is my order 1234? It was due on Monday and has not arrived yet.' },
        ],
      });
const bodyFile = join(dir, 'body.json');
writeFileSync(bodyFile, body);

interface Run {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly rps: number;
  readonly errors: number;
  readonly requests: number;
}

const quantile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;

async function h2load(url: string): Promise<Run> {
  const log = join(dir, 'latency.tsv');
  rmSync(log, { force: true });
  const requests = rate * seconds;
  const result = await runTimed(H2LOAD, [
    '--h1',
    ...['-n', String(requests), '-c', String(CONNECTIONS), '--rps', String(rate / CONNECTIONS)],
    ...['-r', '1', '--rate-period', '1ms'],
    ...['-d', bodyFile, '-H', 'content-type: application/json', '-H', `authorization: Bearer ${key}`],
    ...['--log-file', log],
    url,
  ]);
  if (result.code !== 0) throw new Error(`h2load exited ${result.code}: ${result.stderr}`);
  const rows = readFileSync(log, 'utf8').trim().split('\n');
  const latencies = new Float64Array(rows.length);
  let errors = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  rows.forEach((row, i) => {
    const [startUs, status, durationUs] = row.split('\t').map(Number) as [number, number, number];
    if (status !== 200) errors++;
    latencies[i] = durationUs / 1000;
    first = Math.min(first, startUs);
    last = Math.max(last, startUs + durationUs);
  });
  latencies.sort();
  return {
    p50: quantile(latencies, 0.5),
    p90: quantile(latencies, 0.9),
    p99: quantile(latencies, 0.99),
    p999: quantile(latencies, 0.999),
    rps: rows.length / ((last - first) / 1e6),
    errors: errors + (requests - rows.length),
    requests: rows.length,
  };
}

async function burst(url: string): Promise<Run> {
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    connections: CONNECTIONS,
    overallRate: rate,
    duration: seconds,
  });
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
  };
}

const load = loader === 'h2load' ? h2load : burst;
await load(paths.direct); // warm-up of both paths (JIT, connection pools)
await load(paths.gateway);
const direct: Run[] = [];
const through: Run[] = [];
for (let i = 0; i < reps; i++) {
  direct.push(await load(paths.direct));
  through.push(await load(paths.gateway));
}

type Field = 'p50' | 'p90' | 'p99' | 'p999' | 'rps';
const m = (rows: Run[], field: Field) => median(rows.map((row) => row[field]));
const ms = (value: number) => value.toFixed(loader === 'h2load' ? 2 : 0);
const row = (name: string, rows: Run[]) =>
  `| ${name} | ${ms(m(rows, 'p50'))} | ${ms(m(rows, 'p90'))} | ${ms(m(rows, 'p99'))} | ${ms(m(rows, 'p999'))} | ${m(rows, 'rps').toFixed(0)} | ${rows.map((r) => r.errors).join('/')} |`;
const added = (field: Field) => ms(m(through, field) - m(direct, field));
const lines = [
  `machine: ${JSON.stringify(machineInfo())}`,
  `route ${route}, events ${events}, loader ${loader}, ${rate} requests/s for ${seconds} s per run, ${CONNECTIONS} connections, medians of ${reps}`,
  '',
  '| Path | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | achieved req/s | errors |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  row('upstream directly', direct),
  row('through the gateway', through),
  `| added by the gateway | ${added('p50')} | ${added('p90')} | ${added('p99')} | ${added('p999')} | | |`,
  '',
  ...(['p50', 'p99'] as const).map(
    (field) =>
      `samples ${field}: direct ${direct.map((r) => ms(r[field])).join(', ')}; gateway ${through.map((r) => ms(r[field])).join(', ')}`,
  ),
];
// The events really were written: stop the gateway (it flushes its queue) and count them.
const gatewayProcess = children.find((child) => child.spawnargs.includes(cli));
if (gatewayProcess && eventStore) {
  const stopped = new Promise((done) => gatewayProcess.once('exit', done));
  gatewayProcess.kill('SIGTERM');
  await stopped;
  lines.push('', `events in the store at the end: ${await emptyEventStore()}`);
}
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
