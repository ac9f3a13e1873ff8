/**
 * Throughput ceiling of `mlsecops gateway` against a plain reverse proxy on the same upstream, side by
 * side in one run, as the gateway issue asks ("throughput ceiling vs a plain reverse proxy, e.g. nginx
 * from Debian, on the same upstream"). Four paths to the sample model server
 * (`examples/gateway/upstream.mjs`, started once), each driven at maximum load (no rate cap) with a fixed
 * number of keep-alive connections:
 *   1. the upstream directly;
 *   2. Debian's nginx (`/usr/sbin/nginx`) as a plain reverse proxy: a generated config in a temp dir,
 *      run in the foreground (`nginx -p <dir> -c <dir>/nginx.conf -g 'daemon off;'`), error log, pid and
 *      temp paths inside the temp dir, `access_log off`, `worker_processes 1`, upstream keep-alive
 *      (`upstream {}` with `keepalive 64`, `proxy_http_version 1.1`, `proxy_set_header Connection ""`)
 *      and `keepalive_requests` raised on both sides so neither proxy recycles connections;
 *   3. the gateway as in bench/gateway-latency.ts: API key, limits per address, key and model set to the
 *      schema's maximum (1,000,000/min, burst 100,000: never reached here), JSON Schema, body size and
 *      nesting checks, prompt rules in `alert` mode (they only run for `kind: openai` models, so on the
 *      default REST route they are configured but do not run; `--route chat` exercises them);
 *   4. a second gateway with the same route and minimal checks: API key, body size and nesting only
 *      (no schema, no limits, detectors off).
 * After one warm-up of each path, the paths are measured in turn, and the order rotates per repetition.
 * Reports requests/s, p50 and p99 latency, non-2xx responses and socket errors (medians of the
 * repetitions, and each repetition), the CPU each process used (from /proc, % of one core) and what
 * other processes on the machine used meanwhile (a warning when that is not ≈ 0), and the ratios
 * gateway/nginx and gateway/direct.
 *
 * Run: `npm run build && npx tsx bench/gateway-throughput.ts [--connections 50] [--seconds 10] [--reps 3]`
 * Other options: `--threads 1` (wrk threads), `--loader wrk|autocannon`, `--route predict|chat`,
 * `--cpu-prof <dir>` (CPU profile of the full gateway, written when it stops), `--max-other 15` and
 * `--retries 3`: each run waits until the machine is quiet, and a run during which other processes
 * used more than that % of a core is repeated (the machine is shared; their CPU is read from /proc).
 *
 * Load generator: wrk (`/usr/bin/wrk`) when present, with a Lua script written to the temp dir that
 * sets the POST method, JSON body and headers and prints its results (µs latencies, error counts, its
 * own CPU from /proc/self/stat) as one JSON line. wrk is a separate C process that needs far less CPU
 * per request than autocannon, which runs inside this Node process: at maximum load on two cores every
 * cycle the load generator takes is a cycle the proxy and the upstream do not get. wrk also reports
 * latency in µs where autocannon rounds to whole ms. autocannon (`--loader autocannon`) is the fallback.
 * wrk counts responses with status ≥ 400 only; 1xx/3xx are ruled out by a check of every path before
 * the runs, and the gateways' own status counts (from /metrics) are printed after them.
 *
 * Caveats: the load generator, the proxy and the upstream share this machine's 2 cores, so each figure
 * is the ceiling of the whole arrangement, not of the proxy alone; the CPU columns show who used what.
 * nginx is C with one worker process; the gateway is one Node process (one JavaScript thread).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { repoRoot } from './lib/data.js';
import { machineInfo } from './lib/machine.js';
import { runTimed } from './lib/proc.js';
import { median } from './lib/stats.js';

const NGINX = '/usr/sbin/nginx';
const WRK = '/usr/bin/wrk';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1' },
    loader: { type: 'string', default: existsSync(WRK) ? 'wrk' : 'autocannon' },
    route: { type: 'string', default: 'predict' },
    'cpu-prof': { type: 'string' },
    'max-other': { type: 'string', default: '15' },
    retries: { type: 'string', default: '3' },
  },
});
const positive = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
};
const connections = positive('connections', values.connections);
const seconds = positive('seconds', values.seconds);
const reps = positive('reps', values.reps);
const threads = positive('threads', values.threads);
const loader = values.loader;
if (loader !== 'wrk' && loader !== 'autocannon') throw new Error(`--loader takes wrk or autocannon, got ${loader}`);
if (loader === 'wrk' && threads > connections) throw new Error('--threads must not exceed --connections');
const route = values.route;
if (route !== 'predict' && route !== 'chat') throw new Error(`--route takes predict or chat, got ${route}`);
const cpuProfDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
const maxOther = Number(values['max-other']);
if (!(maxOther > 0)) throw new Error(`--max-other must be a positive number, got ${values['max-other']}`);
const retries = Number(values.retries);
if (!Number.isInteger(retries) || retries < 0) {
  throw new Error(`--retries must be an integer ≥ 0, got ${values.retries}`);
}

// ---------------------------------------------------------------------------------------------------
// Child processes: each in its own process group (detached), so nginx's worker goes with its master.
// Every group is killed on exit, normal or not.

const children = new Set<ChildProcess>();
const deaths: string[] = [];
/** Set once servers are being stopped on purpose: their exits are no longer failures. */
let stopping = false;
/** Configs, Lua script and nginx's files; removed on a clean exit, kept for a look after a failure. */
let tempDir: string | undefined;

function killAll(): void {
  for (const child of children) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.on('exit', (code) => {
  killAll();
  if (!tempDir) return;
  if (code === 0) rmSync(tempDir, { recursive: true, force: true });
  else process.stderr.write(`configs and nginx's error log kept in ${tempDir}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping\n`);
    process.exit(130);
  });
}

interface Server {
  readonly child: ChildProcess;
  readonly name: string;
  stderr: string;
}

/** Starts a long-lived server; an exit before the end of the run is recorded and fails the run. */
function startServer(name: string, command: string, args: readonly string[]): Server {
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MLSECOPS_REDIS_URL: '' },
  });
  children.add(child);
  const server: Server = { child, name, stderr: '' };
  child.stderr?.on('data', (chunk: Buffer) => {
    server.stderr = (server.stderr + chunk.toString()).slice(-20_000);
  });
  child.on('error', (error) => deaths.push(`${name}: ${error.message}`));
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) deaths.push(`${name} exited (${code ?? signal}): ${server.stderr.slice(-2000)}`);
  });
  return server;
}

function checkAlive(): void {
  if (deaths.length > 0) throw new Error(`a server stopped during the run:\n${deaths.join('\n')}`);
}

/** Waits until the server's stderr matches `ready` and returns the first group. */
function readyLine(server: Server, ready: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${server.name} not ready: ${server.stderr}`)), timeoutMs);
    const look = () => {
      const match = ready.exec(server.stderr);
      if (match) {
        clearTimeout(timer);
        server.child.stderr?.off('data', look);
        resolvePromise(match[1]!);
      }
    };
    server.child.stderr?.on('data', look);
    server.child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`${server.name} exited before it was ready: ${server.stderr}`));
    });
    look();
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  await new Promise((done) => probe.close(done));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------------------------------------------
// CPU accounting from /proc: clock ticks of user + system time, per process.

const clockTicks = await runTimed('getconf', ['CLK_TCK']).then(
  (result) => Number(result.stdout.trim()) || 100,
  () => 100,
);

function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return Number.NaN;
  }
}

function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Busy and total time of all cores, in ms, as os.cpus() reports them. */
function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

// ---------------------------------------------------------------------------------------------------
// The upstream, nginx and two gateways.

const dir = mkdtempSync(join(tmpdir(), 'mlsecops-gw-throughput-'));
tempDir = dir;
chmodSync(dir, 0o755); // run as root, nginx's worker is `nobody`

const upstreamPort = await freePort();
const upstreamServer = startServer('upstream', process.execPath, [
  'examples/gateway/upstream.mjs',
  String(upstreamPort),
]);
const upstream = await readyLine(upstreamServer, /(http:\/\/127\.0\.0\.1:\d+)/);

const nginxPort = await freePort();
const nginxVersion = (await runTimed(NGINX, ['-v'])).stderr.trim();
for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
writeFileSync(
  join(dir, 'nginx.conf'),
  `worker_processes 1;
error_log ${dir}/nginx-error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  upstream model {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${nginxPort};
    location / {
      proxy_pass http://model;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
);
const nginxServer = startServer('nginx', NGINX, [
  '-p',
  dir,
  '-e',
  join(dir, 'nginx-error.log'),
  '-c',
  join(dir, 'nginx.conf'),
  '-g',
  'daemon off;',
]);
const nginx = `http://127.0.0.1:${nginxPort}`;
for (let waited = 0; ; waited += 100) {
  checkAlive();
  try {
    await fetch(`${nginx}/healthz`);
    break;
  } catch {
    if (waited > 10_000) throw new Error(`nginx did not start: ${readFileSync(join(dir, 'nginx-error.log'), 'utf8')}`);
    await sleep(100);
  }
}
const nginxWorkers = childPids(nginxServer.child.pid!);

const key = 'bench-key';
const keyHash = createHash('sha256').update(key).digest('hex');
const max = '{ requestsPerMinute: 1000000, burst: 100000 }';
const fullConfig = join(dir, 'gateway-full.yaml');
writeFileSync(
  fullConfig,
  `keys:
  - { id: bench, sha256: "${keyHash}", models: ["*"], limits: ${max} }
models:
  ranker:
    upstream: ${upstream}/v1/models
    limits: ${max}
    schema: { type: object, required: [instances], properties: { instances: { type: array } } }
  chat:
    upstream: ${upstream}/v1
    kind: openai
    limits: ${max}
    detectors: { promptInjection: alert, outputRedaction: "off" }
    schema:
      type: object
      required: [messages]
      properties:
        messages: { type: array, items: { type: object, required: [role, content] } }
limits:
  perIp: ${max}
  perKey: ${max}
`,
);
const minimalConfig = join(dir, 'gateway-minimal.yaml');
writeFileSync(
  minimalConfig,
  `keys:
  - { id: bench, sha256: "${keyHash}", models: ["*"] }
models:
  ranker:
    upstream: ${upstream}/v1/models
    detectors: { promptInjection: "off", outputRedaction: "off" }
  chat:
    upstream: ${upstream}/v1
    kind: openai
    detectors: { promptInjection: "off", outputRedaction: "off" }
`,
);
// The built CLI, as deployed: the TypeScript loader would add its own per-closure work to the hot path.
const cli = join(repoRoot, 'dist/cli/bin.js');
if (!existsSync(cli)) throw new Error('run `npm run build` first: the benchmark runs the built gateway (dist/)');
const gatewayArgs = (config: string, profile: boolean) => [
  ...(profile && cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
  cli,
  'gateway',
  '--config',
  config,
  '--port',
  '0',
  '--log-level',
  'warn',
];
const fullServer = startServer('gateway (full)', process.execPath, gatewayArgs(fullConfig, true));
const minimalServer = startServer('gateway (minimal)', process.execPath, gatewayArgs(minimalConfig, false));
const fullGateway = await readyLine(fullServer, /listening on (http:\/\/\S+)/);
const minimalGateway = await readyLine(minimalServer, /listening on (http:\/\/\S+)/);

// ---------------------------------------------------------------------------------------------------
// Paths and the request.

const request =
  route === 'predict'
    ? {
        direct: '/v1/models/ranker:predict',
        gateway: '/ranker/ranker:predict',
        body: { instances: [[0.1, 0.2, 0.3, 0.4]] },
      }
    : {
        direct: '/v1/chat/completions',
        gateway: '/chat/chat/completions',
        body: {
          model: 'sample',
          messages: [{ role: 'user', content: 'Summarise the quarterly report in three bullets.' }],
        },
      };
const body = JSON.stringify(request.body);
const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };

interface Path {
  readonly label: string;
  readonly url: string;
  /** Processes whose CPU counts as the proxy's. */
  readonly proxyPids: readonly number[];
}
const allServerPids = [
  upstreamServer.child.pid!,
  nginxServer.child.pid!,
  ...nginxWorkers,
  fullServer.child.pid!,
  minimalServer.child.pid!,
];
const paths: Path[] = [
  { label: 'upstream directly', url: `${upstream}${request.direct}`, proxyPids: [] },
  { label: 'nginx (1 worker)', url: `${nginx}${request.direct}`, proxyPids: [nginxServer.child.pid!, ...nginxWorkers] },
  { label: 'gateway (full checks)', url: `${fullGateway}${request.gateway}`, proxyPids: [fullServer.child.pid!] },
  { label: 'gateway (minimal)', url: `${minimalGateway}${request.gateway}`, proxyPids: [minimalServer.child.pid!] },
];

// Every path answers 200 with the upstream's own answer before any load is driven.
let expected: unknown;
for (const path of paths) {
  const response = await fetch(path.url, { method: 'POST', headers, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path.label}: ${response.status} ${text}`);
  expected ??= text;
  if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(JSON.parse(String(expected)))) {
    throw new Error(`${path.label} answered ${text}, the upstream ${String(expected)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Load.

interface Run {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  /** % of one core over the run. */
  readonly cpuUpstream: number;
  readonly cpuProxy: number;
  readonly cpuLoader: number;
  /** % of all cores together (2 cores: up to 200). */
  readonly cpuMachine: number;
  /** Machine less this benchmark's processes: anything else running at the time (should be ≈ 0). */
  readonly cpuOther: number;
}

interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  /** CPU seconds the load generator used. */
  readonly loaderCpuSeconds: number;
}

const luaString = (text: string) => {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error('the Lua script takes printable ASCII only');
  return JSON.stringify(text); // JSON's escapes for printable ASCII (\" and \\) are Lua's too
};
const luaScript = join(dir, 'post.lua');
writeFileSync(
  luaScript,
  `wrk.method = "POST"
wrk.body = ${luaString(body)}
${Object.entries(headers)
  .map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
  .join('\n')}

function done(summary, latency, requests)
  local ticks = -1
  local file = io.open("/proc/self/stat", "r")
  if file then
    local stat = file:read("*a")
    file:close()
    local fields = {}
    for field in stat:match("%) (.*)"):gmatch("%S+") do fields[#fields + 1] = field end
    ticks = tonumber(fields[12]) + tonumber(fields[13])
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"p50":%d,"p99":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"ticks":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, ticks))
end
`,
);

async function wrk(url: string): Promise<LoadResult> {
  const child = spawn(
    WRK,
    ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', luaScript, url],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((done, reject) => {
    child.on('error', reject);
    child.on('close', done);
  });
  children.delete(child);
  const line = /^WRK_RESULT (.*)$/m.exec(stdout);
  if (code !== 0 || !line) throw new Error(`wrk exited ${code}:\n${stdout}\n${stderr}`);
  const r = JSON.parse(line[1]!) as Record<string, number>;
  return {
    rps: r.requests! / (r.durationUs! / 1e6),
    p50: r.p50! / 1000,
    p99: r.p99! / 1000,
    requests: r.requests!,
    non2xx: r.status!,
    errors: r.connect! + r.read! + r.write! + r.timeout!,
    loaderCpuSeconds: r.ticks! >= 0 ? r.ticks! / clockTicks : Number.NaN,
  };
}

async function cannon(url: string): Promise<LoadResult> {
  const before = process.cpuUsage();
  const result = await autocannon({ url, method: 'POST', body, headers, connections, duration: seconds });
  const used = process.cpuUsage(before);
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    loaderCpuSeconds: (used.user + used.system) / 1e6,
  };
}

async function measure(path: Path): Promise<Run> {
  checkAlive();
  const ticks = () => ({
    upstream: cpuTicks(upstreamServer.child.pid),
    proxy: path.proxyPids.reduce((sum, pid) => sum + cpuTicks(pid), 0),
    servers: allServerPids.reduce((sum, pid) => sum + cpuTicks(pid), 0),
  });
  const machineBefore = machineTimes();
  const before = ticks();
  const selfBefore = process.cpuUsage();
  const start = performance.now();
  const load = loader === 'wrk' ? await wrk(path.url) : await cannon(path.url);
  const wall = (performance.now() - start) / 1000;
  const self = process.cpuUsage(selfBefore);
  const after = ticks();
  const machineAfter = machineTimes();
  checkAlive();
  const percent = (delta: number) => (delta / clockTicks / wall) * 100;
  const cpuMachine =
    ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100 * cpus().length;
  // In autocannon mode the loader is this process: count it once.
  const selfPercent = loader === 'wrk' ? ((self.user + self.system) / 1e6 / wall) * 100 : 0;
  return {
    rps: load.rps,
    p50: load.p50,
    p99: load.p99,
    requests: load.requests,
    non2xx: load.non2xx,
    errors: load.errors,
    cpuUpstream: percent(after.upstream - before.upstream),
    cpuProxy: percent(after.proxy - before.proxy),
    cpuLoader: (load.loaderCpuSeconds / wall) * 100,
    cpuMachine,
    cpuOther: cpuMachine - percent(after.servers - before.servers) - (load.loaderCpuSeconds / wall) * 100 - selfPercent,
  };
}

/**
 * Waits until the machine is quiet: between runs this benchmark's processes idle, so what the cores do
 * is someone else's work. Two seconds in a row under `maxOther` % of a core, or gives up after 5 min.
 */
async function waitForQuiet(): Promise<void> {
  let quiet = 0;
  let said = false;
  for (const deadline = Date.now() + 300_000; quiet < 2 && Date.now() < deadline; ) {
    const before = machineTimes();
    await sleep(1000);
    const after = machineTimes();
    const busy = ((after.busy - before.busy) / (after.total - before.total)) * 100 * cpus().length;
    quiet = busy < maxOther ? quiet + 1 : 0;
    if (!quiet && !said) {
      process.stderr.write(`  the machine is busy (${busy.toFixed(0)}% of a core): waiting for it to be quiet\n`);
      said = true;
    }
  }
}

const started = new Date();
process.stderr.write(
  `${loader}, ${connections} connections, ${seconds} s per run, ${paths.length} paths × (1 warm-up + ${reps} reps): ` +
    `about ${Math.ceil((paths.length * (reps + 1) * (seconds + 1)) / 60)} min\n`,
);
for (const path of paths) {
  process.stderr.write(`warm-up: ${path.label}\n`);
  await waitForQuiet();
  await measure(path);
}
const runs = new Map<Path, Run[]>(paths.map((path) => [path, []]));
let repeated = 0;
for (let rep = 0; rep < reps; rep++) {
  for (let i = 0; i < paths.length; i++) {
    const path = paths[(i + rep) % paths.length]!; // rotate the order each repetition
    let run: Run;
    for (let attempt = 0; ; attempt++) {
      await waitForQuiet();
      run = await measure(path);
      process.stderr.write(
        `rep ${rep + 1}: ${path.label}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, ` +
          `non-2xx ${run.non2xx}, errors ${run.errors}, other processes ${run.cpuOther.toFixed(0)}% of a core\n`,
      );
      if (run.cpuOther <= maxOther || attempt >= retries) break;
      process.stderr.write('  other processes were busy during the run: repeating it\n');
      repeated++;
    }
    runs.get(path)!.push(run);
  }
}

// Status codes as the gateways counted them (includes the warm-ups and the check before the runs).
async function gatewayStatuses(base: string): Promise<string> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^mlsecops_gateway_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const status = /status="([^"]*)"/.exec(match[1]!)?.[1] ?? '?';
    counts.set(status, (counts.get(status) ?? 0) + Number(match[2]));
  }
  return [...counts].map(([status, count]) => `${status}: ${count}`).join(', ') || 'none';
}
const fullStatuses = await gatewayStatuses(fullGateway);
const minimalStatuses = await gatewayStatuses(minimalGateway);

// ---------------------------------------------------------------------------------------------------
// Report.

const med = (path: Path, field: keyof Run) => median(runs.get(path)!.map((run) => run[field]));
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (loader === 'wrk' ? value.toFixed(2) : String(value));
const pct = (value: number) => (Number.isFinite(value) ? String(Math.round(value) || 0) : 'n/a'); // no -0
const [direct, viaNginx, full, minimal] = paths as [Path, Path, Path, Path];
const ratio = (a: Path, b: Path) => (med(a, 'rps') / med(b, 'rps')).toFixed(2);

const lines = [
  `machine: ${JSON.stringify(machineInfo())}`,
  `started ${started.toISOString()}; load generator: ${
    loader === 'wrk'
      ? `wrk 4 (${WRK}), ${threads} thread(s), Lua script for POST body and headers`
      : 'autocannon 9 (in this process)'
  }; ${connections} connections, no rate cap, ${seconds} s per run, 1 warm-up then ${reps} reps per path, order rotated per rep`,
  `request: POST ${request.direct} (gateway: ${request.gateway}), ${Buffer.byteLength(body)} B JSON body, API key header`,
  `nginx: ${nginxVersion.replace(/^nginx version: /, '')}, worker_processes 1 (C, one worker process; the gateway is one Node process), ` +
    'access_log off, upstream keepalive 64 with proxy_http_version 1.1 and Connection "", keepalive_requests 1000000',
  'gateway (full checks): API key; limits per IP, key and model at 1,000,000/min, burst 100,000; JSON Schema; ' +
    `body size and nesting; prompt rules alert (${route === 'chat' ? 'run on this chat route' : 'configured, but they only run on chat (kind: openai) routes'})`,
  'gateway (minimal): API key; body size and nesting; no schema, no limits, detectors off',
  'load generator, proxy and upstream share the 2 cores. CPU % (from /proc) is of one core; machine is all cores ' +
    'together (max 200); other is machine less every process of this benchmark (anything else running: should be ≈ 0)',
  `each run starts once the machine is quiet; a run during which other processes used over ${maxOther}% of a core ` +
    `is repeated, up to ${retries} times: ${repeated} run(s) repeated`,
  '',
  `| Path | req/s (median) | p50 (ms) | p99 (ms) | non-2xx | socket errors | CPU % upstream / proxy / loader / other / machine | req/s each rep |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...paths.map((path) => {
    const rows = runs.get(path)!;
    return (
      `| ${path.label} | ${int(med(path, 'rps'))} | ${ms(med(path, 'p50'))} | ${ms(med(path, 'p99'))} | ` +
      `${rows.map((r) => r.non2xx).join('/')} | ${rows.map((r) => r.errors).join('/')} | ` +
      `${pct(med(path, 'cpuUpstream'))} / ${path.proxyPids.length ? pct(med(path, 'cpuProxy')) : '–'} / ` +
      `${pct(med(path, 'cpuLoader'))} / ${pct(med(path, 'cpuOther'))} / ${pct(med(path, 'cpuMachine'))} | ${rows.map((r) => int(r.rps)).join(', ')} |`
    );
  }),
  '',
  `req/s ratios (medians): gateway (full) / nginx **${ratio(full, viaNginx)}**, gateway (full) / direct **${ratio(full, direct)}**; ` +
    `gateway (minimal) / nginx ${ratio(minimal, viaNginx)}, gateway (minimal) / direct ${ratio(minimal, direct)}; ` +
    `nginx / direct ${ratio(viaNginx, direct)}`,
  '',
  '| Path | rep | req/s | p50 (ms) | p99 (ms) | requests | non-2xx | socket errors | CPU % upstream / proxy / loader / other / machine |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...paths.flatMap((path) =>
    runs
      .get(path)!
      .map(
        (r, rep) =>
          `| ${path.label} | ${rep + 1} | ${int(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${int(r.requests)} | ${r.non2xx} | ${r.errors} | ` +
          `${pct(r.cpuUpstream)} / ${path.proxyPids.length ? pct(r.cpuProxy) : '–'} / ${pct(r.cpuLoader)} / ${pct(r.cpuOther)} / ${pct(r.cpuMachine)} |`,
      ),
  ),
  '',
  `statuses the gateways counted (all runs, warm-ups and the check before them): full ${fullStatuses}; minimal ${minimalStatuses}`,
];
process.stdout.write(`${lines.join('\n')}\n`);

const failed = paths.some((path) => runs.get(path)!.some((run) => run.non2xx > 0 || run.errors > 0));
if (failed || !/^200: \d+$/.test(fullStatuses) || !/^200: \d+$/.test(minimalStatuses)) {
  process.stderr.write('WARNING: some requests did not get a 2xx answer: the figures above are not comparable\n');
  process.exitCode = 1;
}
const busiest = Math.max(...paths.flatMap((path) => runs.get(path)!.map((run) => run.cpuOther)));
if (busiest > maxOther) {
  process.stderr.write(
    `WARNING: other processes used up to ${busiest.toFixed(0)}% of a core during a run: run again on a quiet machine\n`,
  );
}

if (cpuProfDir) {
  // The profile is written when the gateway exits of itself: stop it gracefully and wait.
  stopping = true;
  const exited = new Promise((done) => fullServer.child.once('exit', done));
  fullServer.child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  const profiles = readdirSync(cpuProfDir).filter((name) => name.endsWith('.cpuprofile'));
  process.stdout.write(
    `\nCPU profile of the full gateway (whole run, idle while other paths ran) in ${cpuProfDir}: ${profiles.join(', ')}; ` +
      'summarise the main thread (*.0.*) with `npx tsx bench/summarize-profile.ts <file>`\n',
  );
}
stopping = true;
process.exit();
