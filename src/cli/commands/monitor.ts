import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { exitCodes } from '../../contracts/index.js';
import { CliError } from '../errors.js';
import { readProfile } from './profile.js';
import { type Io, type ServerFlags, serverClient, withServer } from './shared.js';

interface Incident {
  id: number;
  title: string;
  model: string | null;
  severity: string;
  status: string;
  openedAt: string;
  updatedAt: string;
  timeline?: { at: string; kind: string; actor: string | null; note: string }[];
}

const monitorPath = (model: string) => `/api/v1/monitor/models/${encodeURIComponent(model)}`;
const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** `monitor …` and `incidents …`: the server's monitoring over HTTP. */
export function registerMonitorClient(program: Command, io: Io): void {
  const client = (flags: ServerFlags) => serverClient(flags, io);
  const onServer = (command: Command) => withServer(command, io);
  const print = (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

  const monitor = program.command('monitor').description('production monitoring on a registry server');
  onServer(monitor.command('reference').description('set the reference profile a model version is checked against'))
    .argument('<model>')
    .argument('<version>')
    .argument('<profile>', 'profile file made by mlsecops profile')
    .option('--window-seconds <n>', 'gateway events of the last n seconds form the window', '3600')
    .option('--min-rows <n>', 'fewest query instances for a verdict', '100')
    .action(
      async (
        model: string,
        version: string,
        path: string,
        flags: ServerFlags & { windowSeconds: string; minRows: string },
      ) => {
        const profile = await readProfile(path);
        await client(flags).request(`${monitorPath(model)}/reference`, {
          ...json({
            version: Number(version),
            profile,
            settings: { windowSeconds: Number(flags.windowSeconds), minRows: Number(flags.minRows) },
          }),
          method: 'PUT',
        });
        io.stderr.write(`monitoring ${model} version ${version} against ${path}\n`);
      },
    );
  onServer(monitor.command('batch').description('check a batch of production data against the reference now'))
    .argument('<model>')
    .argument('<file>', 'CSV, TSV, JSON, JSONL or Parquet')
    .action(async (model: string, file: string, flags: ServerFlags) => {
      const info = await stat(file).catch(() => {
        throw new CliError('PATH_NOT_FOUND', `no file ${file}`);
      });
      const format = extname(file).slice(1).toLowerCase() || 'csv';
      const check = await client(flags).json<{ report?: { dataset: { drifted: boolean } } }>(
        `${monitorPath(model)}/batches?format=${encodeURIComponent(format)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(info.size) },
          body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
          duplex: 'half',
        } as RequestInit,
      );
      print(check);
      io.setExitCode(check.report?.dataset.drifted ? exitCodes.findings : exitCodes.clean);
    });
  onServer(monitor.command('run').description('check every monitored model now')).action(async (flags: ServerFlags) => {
    print(await client(flags).json('/api/v1/monitor/run', { method: 'POST' }));
  });
  onServer(monitor.command('checks').description("a model's recent checks"))
    .argument('<model>')
    .action(async (model: string, flags: ServerFlags) => {
      print(await client(flags).json(`${monitorPath(model)}/checks?limit=20`));
    });
  onServer(monitor.command('rule').description('create or replace an alert rule from a YAML or JSON file'))
    .argument('<file>')
    .action(async (file: string, flags: ServerFlags) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new CliError('PATH_NOT_FOUND', `cannot read ${file}`);
      });
      const rule = parseYaml(text) as unknown;
      print(await client(flags).json('/api/v1/monitor/alert-rules', { ...json(rule), method: 'PUT' }));
    });
  onServer(monitor.command('alerts').description('alerts, optionally by state'))
    .option('--state <state>', 'pending, firing or resolved')
    .action(async (flags: ServerFlags & { state?: string }) => {
      print(
        await client(flags).json(
          `/api/v1/monitor/alerts${flags.state ? `?state=${encodeURIComponent(flags.state)}` : ''}`,
        ),
      );
    });

  const incidents = program.command('incidents').description('incidents: list, show, acknowledge, resolve');
  onServer(incidents.command('list', { isDefault: true }).description('incidents, newest first'))
    .option('--status <status>', 'open, acknowledged or resolved')
    .action(async (flags: ServerFlags & { status?: string }) => {
      const { incidents: rows } = await client(flags).json<{ incidents: Incident[] }>(
        `/api/v1/incidents${flags.status ? `?status=${encodeURIComponent(flags.status)}` : ''}`,
      );
      for (const row of rows) {
        io.stdout.write(
          `#${row.id}  ${row.status.padEnd(12)} ${row.severity.padEnd(8)} ${row.openedAt}  ${row.title}\n`,
        );
      }
      if (rows.length === 0) io.stderr.write('no incidents\n');
    });
  onServer(incidents.command('show').description('an incident and its timeline'))
    .argument('<id>')
    .action(async (id: string, flags: ServerFlags) => {
      const incident = await client(flags).json<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`);
      io.stdout.write(
        `#${incident.id} ${incident.title}\n${incident.status}, ${incident.severity}, model ${incident.model ?? '-'}\n`,
      );
      for (const event of incident.timeline ?? []) {
        io.stdout.write(`  ${event.at}  ${event.kind.padEnd(16)} ${event.actor ?? 'monitor'}: ${event.note}\n`);
      }
    });
  for (const [name, path] of [
    ['ack', 'acknowledge'],
    ['resolve', 'resolve'],
  ] as const) {
    onServer(incidents.command(name).description(`${path} an incident, with a note`))
      .argument('<id>')
      .requiredOption('--note <text>', 'what was found or done')
      .action(async (id: string, flags: ServerFlags & { note: string }) => {
        const incident = await client(flags).json<Incident>(
          `/api/v1/incidents/${encodeURIComponent(id)}/${path}`,
          json({ note: flags.note }),
        );
        io.stdout.write(`#${incident.id} is ${incident.status}\n`);
      });
  }
}
