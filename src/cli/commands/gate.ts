import { stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type Evidence, exitCodeFor, type GateDecision, type Report } from '../../contracts/index.js';
import {
  type CollectedEvidence,
  collectDirectoryEvidence,
  combinePolicies,
  type DirectoryEvidenceOptions,
  decisionToReport,
  evaluatePolicy,
  loadPolicy,
  type Policy,
  PolicyError,
  packNames,
  policyCatalog,
  renderDecisionMarkdown,
  renderDecisionText,
} from '../../policy/index.js';
import { CliError } from '../errors.js';
import { RegistryClient } from '../http.js';
import { createProgress } from '../progress.js';
import { renderReport } from '../render/index.js';
import { outputSettings, resolveSettings, type SettingValues } from '../settings.js';
import { addSettings, collect, type Io, versionTarget } from './shared.js';
import { type TrustFlags, trustFrom } from './verify.js';

interface GateFlags extends TrustFlags {
  readonly policy: string[];
  readonly dataReport: string[];
  readonly assessment: string[];
  readonly driftReport?: string;
  readonly alias?: string;
  readonly saveEvidence?: string;
  readonly server?: string;
  readonly tokenEnv: string;
}

export function registerGate(program: Command, io: Io): void {
  const command = program
    .command('gate')
    .description(
      'decide whether a model may ship: policies (CEL) over its evidence, every rule with pass, fail or skip and why',
    )
    .argument('<target>', 'model folder, or <model>@<version> in the registry given by --server')
    .option(
      '--policy <file|pack:name>',
      `policy file or shipped pack (repeatable; packs: ${packNames.join(', ')})`,
      collect,
      [],
    )
    .option('--data-report <file>', 'data-scan report (mlsecops data scan --format json); repeatable', collect, [])
    .option('--assessment <file>', 'assessment result (robustness, llm-probes or explain); repeatable', collect, [])
    .option('--drift-report <file>', 'drift report (mlsecops drift --format json)')
    .option('--alias <name>', 'the alias the model is gated for (subject.alias), e.g. production')
    .option('--public-key <pem>', 'verify the model signature with this public key')
    .option(
      '--cert-chain <pem>',
      'verify the signature certificate chain up to this trusted root (repeatable)',
      // No default: an absent --cert-chain must stay undefined to choose no trust anchor.
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--identity <identity>', 'keyless signer identity (with --issuer)')
    .option('--issuer <url>', 'keyless OIDC issuer of that identity')
    .option('--trusted-root <json>', 'Sigstore trusted_root.json for keyless verification')
    .option('--save-evidence <file>', 'also write the evidence document the decision was taken on')
    .option(
      '--server <url>',
      'registry server for <model>@<version> targets [env MLSECOPS_SERVER]',
      io.env.MLSECOPS_SERVER,
    )
    .option('--token-env <var>', 'environment variable holding the API token', 'MLSECOPS_TOKEN');
  addSettings(command, outputSettings);
  command.action(async (target: string, flags: GateFlags & Record<string, unknown>) => {
    const resolved = resolveSettings(outputSettings, flags, io.env);
    if (!resolved.ok) throw new CliError('BAD_ARGUMENTS', resolved.issues.join('\n'));
    const settings = resolved.values;
    if (flags.policy.length === 0) {
      throw new CliError('BAD_ARGUMENTS', `give at least one --policy (a file, or pack:${packNames.join('|pack:')})`);
    }
    // The policies are checked before any evidence is gathered: a bad policy fails in milliseconds.
    const policy = await asCliError(async () => combinePolicies(await Promise.all(flags.policy.map(loadPolicy))));
    const trust =
      flags.publicKey || flags.certChain || flags.identity || flags.issuer ? await trustFrom(flags) : undefined;
    const progress = createProgress(io.stderr, settings.progress);
    const collected = await asCliError(() =>
      evidenceFor(target, {
        ...(trust ? { trust } : {}),
        ...(flags.alias ? { alias: flags.alias } : {}),
        dataReports: flags.dataReport,
        assessments: flags.assessment,
        ...(flags.driftReport ? { driftReport: flags.driftReport } : {}),
        scan: { onProgress: progress.update },
        ...(flags.server
          ? { registry: RegistryClient.fromFlags({ server: flags.server, tokenEnv: flags.tokenEnv }, io.env) }
          : {}),
      }),
    );
    progress.done();
    for (const note of collected.notes) io.stderr.write(`mlsecops: note: ${note}\n`);
    if (flags.saveEvidence) await writeFile(flags.saveEvidence, `${JSON.stringify(collected.evidence, null, 2)}\n`);
    const decision = evaluatePolicy(policy, collected.evidence);
    await emitDecision(decision, decisionToReport(decision, policy, target), policy, settings, io);
  });
}

/**
 * The evidence for a gate target: a model folder, read and scanned here, or a registry version
 * (`model@version`), whose evidence document the server assembles from what it stores (its scan,
 * attached reports, signature, approvals, incidents and drift) — the same document its own
 * promotion gate reads.
 */
export async function evidenceFor(
  target: string,
  options: DirectoryEvidenceOptions & { readonly registry?: RegistryClient },
): Promise<CollectedEvidence> {
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists) return collectDirectoryEvidence(target, options);
  const version = versionTarget(target);
  if (version) {
    if (!options.registry) throw new CliError('BAD_ARGUMENTS', `${target}: registry targets need --server`);
    const local = [...(options.dataReports ?? []), ...(options.assessments ?? []), options.driftReport ?? []].flat();
    if (local.length > 0) {
      throw new CliError('BAD_ARGUMENTS', 'registry targets read their reports from the registry: attach them there');
    }
    const { model, version: number } = version;
    const alias = options.alias ? `?alias=${encodeURIComponent(options.alias)}` : '';
    const evidence = await options.registry.json<Evidence>(
      `/api/v1/models/${encodeURIComponent(model)}/versions/${number}/evidence-document${alias}`,
    );
    return { evidence, notes: [] };
  }
  throw new CliError('PATH_NOT_FOUND', `cannot read ${target}: no such file or folder`);
}

/** A policy engine error (bad policy, unreadable evidence file) as the CLI's exit-2 error. */
async function asCliError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PolicyError) throw new CliError('BAD_ARGUMENTS', error.message);
    throw error;
  }
}

/** Every rule in the chosen format; the exit code by --fail-on over the failed rules, as for a scan. */
async function emitDecision(
  decision: GateDecision,
  report: Report,
  policy: Policy,
  settings: SettingValues<typeof outputSettings>,
  io: Io,
): Promise<void> {
  const text =
    settings.format === 'json'
      ? `${JSON.stringify(decision, null, 2)}\n`
      : settings.format === 'markdown'
        ? renderDecisionMarkdown(decision)
        : settings.format === 'sarif'
          ? renderReport(report, 'sarif', { colour: false, catalog: policyCatalog(policy) })
          : renderDecisionText(decision);
  if (settings.output) await writeFile(settings.output, text);
  else io.stdout.write(text);
  io.setExitCode(exitCodeFor(report, settings.failOn));
}
