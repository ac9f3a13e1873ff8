import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { exitCodes } from '../../contracts/index.js';
import { BundleError, parseBundle, parseStatement, publicKeyFromPem, verifiedPayload } from '../../integrity/index.js';
import { CliError } from '../errors.js';
import type { RegistryClient } from '../http.js';
import { type Io, type ServerFlags, serverClient, withServer } from './shared.js';

interface Version {
  number: number;
  status: string;
  digest: string | null;
  size: number | null;
  createdAt: string;
  scan?: { findings: number; worst?: string; rules: string[] };
}

const modelPath = (model: string) => `/api/v1/models/${encodeURIComponent(model)}`;

/** `push`, `pull`, `versions`, `attach`, `approve`, `promote`: the registry over HTTP, never its database. */
export function registerRegistryClient(program: Command, io: Io): void {
  const client = (flags: ServerFlags) => serverClient(flags, io);
  const onServer = (command: Command) => withServer(command, io);

  onServer(program.command('push').description('upload a model artifact as a new version; the server scans it'))
    .argument('<model>')
    .argument('<file>')
    .option('--create', 'register the model first if it does not exist', false)
    .option('--signature <bundle>', 'attach this OpenSSF Model Signing bundle (made by `mlsecops sign <file>`)')
    .action(async (model: string, file: string, flags: ServerFlags & { create: boolean; signature?: string }) => {
      const registry = client(flags);
      const info = await stat(file).catch(() => {
        throw new CliError('PATH_NOT_FOUND', `no file ${file}`);
      });
      if (!info.isFile()) throw new CliError('BAD_ARGUMENTS', `${file} is not a file`);
      if (flags.create) {
        const exists = await registry.request(modelPath(model)).then(
          () => true,
          () => false,
        );
        if (!exists) {
          await registry.request('/api/v1/models', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: model }),
          });
        }
      }
      const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
      const version = await registry.json<Version>(`${modelPath(model)}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(info.size) },
        body,
        duplex: 'half',
      } as RequestInit);
      if (flags.signature) {
        const bundle = await readFile(flags.signature, 'utf8').catch(() => {
          throw new CliError('PATH_NOT_FOUND', `cannot read signature ${flags.signature}`);
        });
        const signed = await registry.json<{ signer: string }>(
          `${modelPath(model)}/versions/${version.number}/signature`,
          {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: bundle,
          },
        );
        io.stdout.write(`signature verified (${signed.signer})\n`);
      }
      io.stdout.write(
        `${model} version ${version.number}: ${version.status} (sha256:${version.digest}; ${version.scan?.findings ?? 0} finding(s)${version.scan?.worst ? `, worst ${version.scan.worst}` : ''})\n`,
      );
      io.setExitCode(version.status === 'available' ? exitCodes.clean : exitCodes.findings);
    });

  onServer(
    program.command('pull').description('download a version (or the version an alias points to), verifying its digest'),
  )
    .argument('<model>')
    .argument('<version>', 'a version number or an alias')
    .requiredOption('--out <file>', 'where to write the artifact')
    .option('--public-key <pem>', 'also require a signature of these bytes that verifies with this key')
    .action(async (model: string, which: string, flags: ServerFlags & { out: string; publicKey?: string }) => {
      const registry = client(flags);
      const number = /^\d+$/.test(which) ? Number(which) : await aliasTarget(registry, model, which);
      const versions = await registry.json<Version[]>(`${modelPath(model)}/versions`);
      const version = versions.find((v) => v.number === number);
      if (!version?.digest) throw new CliError('PATH_NOT_FOUND', `${model} has no version ${number}`);
      const response = await registry.request(`${modelPath(model)}/versions/${number}/artifact`);
      // Written to a new file beside the target and renamed only once the digest matches.
      const partial = join(dirname(flags.out), `.${basename(flags.out)}.${randomBytes(6).toString('hex')}.partial`);
      const handle = await open(partial, 'wx', 0o600);
      const hash = createHash('sha256');
      try {
        for await (const chunk of Readable.fromWeb(response.body as never)) {
          hash.update(chunk as Buffer);
          await handle.write(chunk as Buffer);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const digest = hash.digest('hex');
      if (digest !== version.digest) {
        await rm(partial, { force: true });
        throw new CliError(
          'PATH_UNREADABLE',
          `downloaded bytes have sha256:${digest}, the registry lists sha256:${version.digest}: not written`,
        );
      }
      if (flags.publicKey) {
        try {
          const bundle = parseBundle(
            await (await registry.request(`${modelPath(model)}/versions/${number}/signature`)).text(),
          );
          const key = publicKeyFromPem(await readFile(flags.publicKey, 'utf8'));
          const statement = parseStatement(verifiedPayload(bundle, { kind: 'public-key', key }));
          const covers = statement.predicate.resources.some((resource) => resource.digest === digest);
          if (!covers) throw new BundleError('the signature does not cover these bytes');
        } catch (error) {
          await rm(partial, { force: true });
          throw new CliError('PATH_UNREADABLE', `signature check failed: ${(error as Error).message}: not written`);
        }
      }
      await rename(partial, flags.out);
      io.stdout.write(
        `${model} version ${number} → ${flags.out} (sha256:${digest} verified${flags.publicKey ? ', signature verified' : ''})\n`,
      );
    });

  onServer(program.command('versions').description("list a model's versions"))
    .argument('<model>')
    .option('--json', 'print JSON', false)
    .action(async (model: string, flags: ServerFlags & { json: boolean }) => {
      const versions = await client(flags).json<Version[]>(`${modelPath(model)}/versions`);
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(versions, null, 2)}\n`);
        return;
      }
      for (const v of versions) {
        io.stdout.write(
          `${String(v.number).padStart(4)}  ${v.status.padEnd(11)}  ${v.createdAt}  sha256:${v.digest ?? '-'}\n`,
        );
      }
    });

  onServer(program.command('approve').description('approve (or --reject) a version; not allowed on your own upload'))
    .argument('<model>')
    .argument('<version>')
    .option('--reject', 'record a rejection instead', false)
    .option('--comment <text>', 'why', '')
    .action(async (model: string, version: string, flags: ServerFlags & { reject: boolean; comment: string }) => {
      await client(flags).request(`${modelPath(model)}/versions/${Number(version)}/approvals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision: flags.reject ? 'reject' : 'approve', comment: flags.comment }),
      });
      io.stdout.write(`${flags.reject ? 'rejected' : 'approved'} ${model} version ${version}\n`);
    });

  onServer(
    program
      .command('attach')
      .description('attach evidence to a version: a data scan, an assessment, a provenance statement or a BOM'),
  )
    .argument('<model>')
    .argument('<version>')
    .argument('<file>', 'the JSON document (an mlsecops report, an in-toto statement or a CycloneDX BOM)')
    .requiredOption('--kind <kind>', 'data-scan, assessment, provenance or bom')
    .option('--name <name>', 'what it is about, e.g. the dataset, or robustness|llm|explain for assessments')
    .action(
      async (model: string, version: string, file: string, flags: ServerFlags & { kind: string; name?: string }) => {
        if (!['data-scan', 'assessment', 'provenance', 'bom'].includes(flags.kind)) {
          throw new CliError(
            'BAD_ARGUMENTS',
            `--kind takes data-scan, assessment, provenance or bom, not ${flags.kind}`,
          );
        }
        const size = (await stat(file).catch(() => undefined))?.size;
        if (size === undefined) throw new CliError('PATH_NOT_FOUND', `cannot read ${file}`);
        if (size > 32 * 1024 * 1024) throw new CliError('BAD_ARGUMENTS', `${file} is larger than 32 MiB`);
        let document: unknown;
        try {
          document = JSON.parse(await readFile(file, 'utf8'));
        } catch (error) {
          throw new CliError('BAD_ARGUMENTS', `${file} is not JSON: ${(error as Error).message}`);
        }
        const name = flags.name ?? basename(file).replace(/\.json$/, '');
        const stored = await client(flags).json<{ id: number; digest: string }>(
          `${modelPath(model)}/versions/${Number(version)}/evidence`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ kind: flags.kind, name, document }),
          },
        );
        io.stdout.write(
          `attached ${flags.kind} ${name} to ${model} version ${version} (evidence ${stored.id}, sha256:${stored.digest})\n`,
        );
      },
    );

  onServer(program.command('promote').description('point an alias at a version, through the promotion gate'))
    .argument('<model>')
    .argument('<version>')
    .argument('<alias>')
    .option('--from <version>', 'only if the alias now points to this version (`none`: to nothing)')
    .action(async (model: string, version: string, alias: string, flags: ServerFlags & { from?: string }) => {
      const from = flags.from === undefined ? undefined : flags.from === 'none' ? null : Number(flags.from);
      const moved = await client(flags).json<{ previous: number | null }>(
        `${modelPath(model)}/aliases/${encodeURIComponent(alias)}`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ version: Number(version), ...(from === undefined ? {} : { from }) }),
        },
      );
      io.stdout.write(`${model}@${alias}: ${moved.previous ?? 'nothing'} → ${version}\n`);
    });
}

async function aliasTarget(registry: RegistryClient, model: string, alias: string): Promise<number> {
  const { moves } = await registry.json<{ moves: { version: number | null }[] }>(
    `${modelPath(model)}/aliases/${encodeURIComponent(alias)}/history`,
  );
  const current = moves.at(-1)?.version;
  if (current === undefined || current === null)
    throw new CliError('PATH_NOT_FOUND', `${model}@${alias} points nowhere`);
  return current;
}
