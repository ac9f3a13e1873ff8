import { createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { leafHash, parseCheckpoint, rootHash, verifyEntries, verifyNote } from '../../audit/index.js';
import { exitCodes } from '../../contracts/index.js';
import { CliError } from '../errors.js';
import { RegistryClient } from '../http.js';
import type { Io } from './shared.js';
import { readText } from './sign.js';

/** A registry audit log as exported: the checkpoint key, a signed checkpoint and every entry. */
export interface AuditExport {
  readonly origin: string;
  readonly key: { readonly name: string; readonly pem: string };
  readonly checkpoint: string;
  readonly entries: readonly string[];
}

interface SourceFlags {
  readonly server?: string;
  readonly tokenEnv: string;
  readonly export?: string;
}

export async function fetchExport(client: RegistryClient): Promise<AuditExport> {
  const key = await client.json<{ name: string; origin: string; pem: string }>('/api/v1/audit/key');
  // The checkpoint first: entries appended meanwhile are beyond its size and left out below.
  const checkpoint = await (await client.request('/api/v1/audit/checkpoint')).text();
  const { size } = parseCheckpoint(checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1));
  const entries: string[] = [];
  while (entries.length < size) {
    const page = await client.json<{ entries: string[] }>(`/api/v1/audit/entries?from=${entries.length}&limit=10000`);
    if (page.entries.length === 0) break;
    entries.push(...page.entries.slice(0, size - entries.length));
  }
  return { origin: key.origin, key: { name: key.name, pem: key.pem }, checkpoint, entries };
}

async function loadSource(flags: SourceFlags, io: Io): Promise<AuditExport> {
  if ((flags.server === undefined) === (flags.export === undefined)) {
    throw new CliError('BAD_ARGUMENTS', 'give exactly one of --server <url> or --export <file>');
  }
  if (flags.server)
    return fetchExport(RegistryClient.fromFlags({ server: flags.server, tokenEnv: flags.tokenEnv }, io.env));
  try {
    return JSON.parse(await readText(flags.export as string)) as AuditExport;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('BAD_ARGUMENTS', `${flags.export} is not an audit export: ${(error as Error).message}`);
  }
}

interface Verified {
  readonly ok: boolean;
  readonly reason?: string;
  readonly events: readonly { seq: number; at: string; kind: string; details: Record<string, unknown> }[];
}

/**
 * Checks an export against a public key obtained out of band: the checkpoint's signature, the entries
 * against its root (so an edited, deleted, inserted or reordered entry fails), and, given an earlier
 * checkpoint, that the log only grew since (its root is the root of the same first entries).
 */
export function verifyExport(data: AuditExport, publicKeyPem: string, earlier?: string): Verified {
  const verifier = { name: data.key.name, publicKey: createPublicKey(publicKeyPem) };
  const result = verifyEntries(
    data.entries.map((entry) => Buffer.from(entry, 'utf8')),
    data.checkpoint,
    verifier,
    data.origin,
  );
  if (!result.ok) return { ok: false, reason: result.reason, events: [] };
  if (earlier) {
    const note = verifyNote(earlier, verifier);
    if (!note) return { ok: false, reason: 'the earlier checkpoint does not verify with this key', events: [] };
    const old = parseCheckpoint(note.body);
    if (old.size > data.entries.length)
      return { ok: false, reason: `the log shrank from ${old.size} entries`, events: [] };
    const leaves = data.entries.slice(0, old.size).map((entry) => leafHash(Buffer.from(entry, 'utf8')));
    if (!rootHash(leaves).equals(old.root)) {
      return { ok: false, reason: `the first ${old.size} entries changed since the earlier checkpoint`, events: [] };
    }
  }
  const events = data.entries.map((entry) => JSON.parse(entry) as Verified['events'][number]);
  return { ok: true, events };
}

export function registerAudit(program: Command, io: Io): void {
  const audit = program.command('audit').description("check a registry's tamper-evident audit log");
  const source = (command: Command) =>
    command
      .option('--server <url>', 'a live registry server')
      .option('--token-env <var>', 'environment variable holding the API token', 'MLSECOPS_TOKEN')
      .option('--export <file>', 'an export written by `audit export`');

  source(audit.command('export').description('save the log (key, signed checkpoint, entries) to a file'))
    .requiredOption('--out <file>', 'where to write it')
    .action(async (flags: SourceFlags & { out: string }) => {
      const data = await loadSource(flags, io);
      await writeFile(flags.out, `${JSON.stringify(data)}\n`);
      io.stdout.write(`exported ${data.entries.length} entries and a signed checkpoint to ${flags.out}\n`);
    });

  source(
    audit
      .command('verify')
      .description('verify the log against the checkpoint key and, optionally, an earlier checkpoint'),
  )
    .requiredOption('--public-key <pem>', 'the checkpoint public key, obtained out of band')
    .option('--earlier-checkpoint <file>', 'a checkpoint saved before: the log must have only grown since')
    .action(async (flags: SourceFlags & { publicKey: string; earlierCheckpoint?: string }) => {
      const data = await loadSource(flags, io);
      const earlier = flags.earlierCheckpoint ? await readFile(flags.earlierCheckpoint, 'utf8') : undefined;
      const result = verifyExport(data, await readText(flags.publicKey), earlier);
      if (result.ok) io.stdout.write(`verified: ${data.entries.length} audit entries match the signed checkpoint\n`);
      else io.stdout.write(`NOT VERIFIED: ${result.reason}\n`);
      io.setExitCode(result.ok ? exitCodes.clean : exitCodes.findings);
    });

  source(audit.command('alias-at').description('which version an alias pointed to at a time, from the verified log'))
    .argument('<model>')
    .argument('<alias>')
    .argument('<time>', 'ISO 8601 time')
    .requiredOption('--public-key <pem>', 'the checkpoint public key, obtained out of band')
    .action(async (model: string, alias: string, time: string, flags: SourceFlags & { publicKey: string }) => {
      const at = new Date(time);
      if (Number.isNaN(at.getTime())) throw new CliError('BAD_ARGUMENTS', `${time} is not a time`);
      const data = await loadSource(flags, io);
      const result = verifyExport(data, await readText(flags.publicKey));
      if (!result.ok) {
        io.stdout.write(`NOT VERIFIED: ${result.reason}\n`);
        io.setExitCode(exitCodes.findings);
        return;
      }
      let version: unknown = null;
      for (const event of result.events) {
        if (event.kind !== 'alias.moved' || event.details.model !== model || event.details.alias !== alias) continue;
        if (new Date(String(event.details.at ?? event.at)) > at) break;
        version = event.details.version;
      }
      io.stdout.write(
        `${model}@${alias} at ${at.toISOString()}: ${version === null ? 'pointed nowhere' : `version ${version}`}\n`,
      );
    });
}
