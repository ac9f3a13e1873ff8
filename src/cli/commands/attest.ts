import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodes } from '../../contracts/index.js';
import {
  BundleError,
  ignoreRelativeTo,
  provenanceStatement,
  readBundle,
  serializationFor,
  verifyAttestation,
} from '../../integrity/index.js';
import { CliError } from '../errors.js';
import { addSerializationOptions, type SerializationFlags, serializationFromFlags } from './digest.js';
import type { Io } from './shared.js';
import { addSignerOptions, type SignerFlags, signerFromFlags } from './sign.js';
import { type TrustFlags, trustFrom } from './verify.js';

interface ProvenanceFlags extends SerializationFlags, SignerFlags {
  readonly model: string;
  readonly dataset?: string[];
  readonly code?: string;
  readonly param?: string[];
  readonly builderId?: string;
  readonly startedOn?: string;
  readonly out?: string;
}

export function registerAttest(program: Command, io: Io): void {
  const attest = program.command('attest').description('write signed attestations about a model');
  const provenance = attest
    .command('provenance')
    .description('a signed in-toto statement with SLSA provenance v1: which datasets and code made the model')
    .requiredOption('--model <path>', 'the model folder or file (the subject, by its OMS root digest)')
    .option('--dataset <paths...>', 'dataset files or folders it was trained on')
    .option('--code <git-dir|url@commit>', 'the training code: a git working tree, or <url>@<commit>')
    .option('--param <key=value...>', 'training parameters, recorded as external parameters')
    .option('--builder-id <uri>', 'who ran the build (default: a local mlsecops builder)')
    .option('--started-on <iso-time>', 'when training started')
    .option('--out <file>', 'where to write the attestation (default: <model>.provenance.json)');
  addSignerOptions(provenance);
  addSerializationOptions(provenance);
  provenance.action(async (flags: ProvenanceFlags) => {
    const signer = await signerFromFlags(io, flags);
    const parameters: Record<string, string> = {};
    for (const pair of flags.param ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CliError('BAD_ARGUMENTS', `--param ${pair}: expected key=value`);
      parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const startedOn = flags.startedOn === undefined ? undefined : new Date(flags.startedOn);
    if (startedOn && Number.isNaN(startedOn.getTime())) {
      throw new CliError('BAD_ARGUMENTS', `--started-on ${flags.startedOn}: not an ISO date and time`);
    }
    const out = flags.out ?? `${resolve(flags.model)}.provenance.json`;
    // The subject is the model as `digest` and `sign` see it, less the attestation if it is written inside.
    const base = serializationFromFlags(flags.model, flags);
    const inside = ignoreRelativeTo(flags.model, out);
    const { statement, manifest } = await provenanceStatement({
      model: flags.model,
      serialization: serializationFor(inside ? { ...base, ignorePaths: [...(base.ignorePaths ?? []), inside] } : base),
      datasets: flags.dataset ?? [],
      ...(flags.code ? { code: flags.code } : {}),
      parameters,
      ...(flags.builderId ? { builderId: flags.builderId } : {}),
      ...(startedOn ? { startedOn } : {}),
    }).catch((error: unknown) => {
      if (error instanceof BundleError) throw new CliError('BAD_ARGUMENTS', error.message);
      throw error;
    });
    await writeFile(out, `${JSON.stringify(await signer.signStatement(statement))}\n`);
    io.stdout.write(`attested sha256:${manifest.rootDigest} (${manifest.modelName}) → ${out}\n`);
  });
}

export function registerVerifyAttestation(program: Command, io: Io): void {
  program
    .command('verify-attestation')
    .description('verify a provenance attestation: its signature, and its subject against the model on disk')
    .argument('<attestation>', 'the attestation bundle')
    .requiredOption('--model <path>', 'the model folder or file it is about')
    .option('--dataset <paths...>', 'also check that these datasets are the attested ones')
    .option('--public-key <pem>', 'verify with this public key')
    .option('--cert-chain <pem...>', 'verify the certificate chain up to these trusted roots')
    .option('--json', 'print the result as JSON', false)
    .action(async (attestation: string, flags: TrustFlags & { model: string; dataset?: string[]; json: boolean }) => {
      const trust = await trustFrom(flags);
      const bundle = await readBundle(attestation).catch((error: NodeJS.ErrnoException) => {
        if (error instanceof BundleError) throw error;
        throw new CliError('PATH_UNREADABLE', `cannot read attestation ${attestation}: ${error.code ?? error.message}`);
      });
      const result = await verifyAttestation(flags.model, bundle, { trust, datasets: flags.dataset ?? [] });
      const { buildDefinition, runDetails } = result.statement.predicate;
      if (flags.json) {
        io.stdout.write(
          `${JSON.stringify({ verified: result.verified, reason: result.reason, subject: result.statement.subject[0], datasets: result.datasets, buildDefinition, runDetails }, null, 2)}\n`,
        );
      } else if (result.verified) {
        io.stdout.write(`verified: ${flags.model} is the attested model (sha256:${result.modelDigest})\n`);
        for (const dependency of buildDefinition.resolvedDependencies ?? []) {
          const [algorithm, digest] = Object.entries(dependency.digest)[0] ?? ['', ''];
          io.stdout.write(
            `  built from ${dependency.uri ?? dependency.name ?? '(unnamed)'} (${algorithm}:${digest})\n`,
          );
        }
      } else {
        io.stdout.write(`NOT VERIFIED: ${result.reason}\n`);
      }
      io.setExitCode(result.verified ? exitCodes.clean : exitCodes.findings);
    });
}
