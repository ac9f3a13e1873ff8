import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, join } from 'node:path';
import type { Report } from '../../contracts/index.js';
import { scanData } from '../../data/index.js';
import { keySigner, serializationFor, signModel } from '../../integrity/index.js';
import { CliError } from '../errors.js';
import type { RegistryClient } from '../http.js';
import { type Gate, modelPath, send, sendFile, severityCounts, type Version, versionPath } from './api.js';

/** The three versions of the demo's model: what each is made of and who does what with it. */

export interface Cast {
  /** The admin the demo runs as. */
  readonly admin: RegistryClient;
  /** A CI account: uploads, annotates, attaches evidence. */
  readonly publisher: RegistryClient;
  /** A release reviewer: approves and promotes through the gate. */
  readonly reviewer: RegistryClient;
  readonly reviewerName: string;
}

export type Log = (line: string) => void;

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A stable 40-hex "commit" for the demo's training code at a tag (there is no real repository). */
const commitOf = (tag: string) => createHash('sha1').update(`fraud-detector ${tag}`).digest('hex');

const modelCard = (version: number, dataset: string, extra: string) => `# fraud-detector v${version}

Gradient-boosted classifier scoring card transactions as \`legit\` or \`fraud\`.

## Intended use

Real-time scoring of card transactions for the payments risk team; scores above 0.8 go to manual review.
Not for credit decisions or for judging individual customers.

## Limitations

Trained on ${dataset}, 2,000 synthetic transactions made by \`mlsecops demo\`. Not calibrated for
business accounts; amounts above 4,000 are outside the training data.
${extra}`;

async function upload(client: RegistryClient, model: string, file: string): Promise<Version> {
  return sendFile<Version>(client, `${modelPath(model)}/versions`, file, 'application/octet-stream');
}

/** Scans a dataset with the data engine and attaches the report to the version as evidence. */
async function attachDataScan(client: RegistryClient, model: string, version: number, path: string): Promise<Report> {
  const report = await scanData([path]);
  await send(client, 'POST', `${versionPath(model, version)}/evidence`, {
    kind: 'data-scan',
    name: basename(path, '.csv'),
    document: report,
  });
  return report;
}

async function annotate(
  client: RegistryClient,
  model: string,
  version: number,
  dataset: string,
  tags: string[],
  card: string,
  parents: { model: string; version: number }[] = [],
): Promise<void> {
  await send(client, 'PATCH', versionPath(model, version), {
    tags,
    modelCard: card,
    lineage: {
      datasets: [{ name: basename(dataset), sha256: await sha256(dataset) }],
      code: [{ uri: 'https://git.example.com/payments/fraud-detector', commit: commitOf(`v${version}`) }],
      parents,
    },
    metadata: { task: 'binary-classification', demo: true },
  });
}

/** Uploads an artifact the story needs to pass the upload scan; anything else stops the demo. */
async function uploadClean(cast: Cast, model: string, artifact: string): Promise<Version> {
  const version = await upload(cast.publisher, model, artifact);
  if (version.status !== 'available') {
    throw new CliError(
      'PATH_UNREADABLE',
      `${basename(artifact)} was ${version.status} by the upload scan; expected clean`,
    );
  }
  return version;
}

/**
 * Version 1: a clean model trained on clean data, annotated, its data scan attached, signed when a
 * key the server trusts is given, approved by the reviewer and promoted to production.
 */
export async function cleanVersion(
  cast: Cast,
  model: string,
  artifact: string,
  dataset: string,
  log: Log,
  signingKey?: KeyObject,
): Promise<number> {
  const version = await uploadClean(cast, model, artifact);
  await annotate(
    cast.publisher,
    model,
    version.number,
    dataset,
    ['fraud', 'tabular', 'baseline'],
    modelCard(version.number, basename(dataset), ''),
  );
  const report = await attachDataScan(cast.publisher, model, version.number, dataset);
  let signed = 'unsigned (no demo signing key for this server)';
  if (signingKey) {
    const { bundle } = await signModel(artifact, serializationFor({ signature: null }), keySigner(signingKey));
    const record = await send<{ signer: string }>(
      cast.publisher,
      'PUT',
      `${versionPath(model, version.number)}/signature`,
      bundle,
    );
    signed = `signed (${record.signer.slice(0, 23)}…)`;
  }
  await send(cast.reviewer, 'POST', `${versionPath(model, version.number)}/approvals`, {
    decision: 'approve',
    comment: 'data scan clean, model card and lineage reviewed',
  });
  const moved = await send<{ gate: Gate }>(cast.reviewer, 'PUT', `${modelPath(model)}/aliases/production`, {
    version: version.number,
  });
  const findings = report.findings.filter((finding) => finding.severity !== 'info').length;
  log(
    `v${version.number} clean: ${basename(artifact)} uploaded, scan clean; model card, lineage and tags set; data scan of ${basename(dataset)} attached (${findings} finding(s) above info); ${signed}; approved by ${cast.reviewerName}; production → v${version.number} (gate: ${moved.gate.checks.length} checks passed)`,
  );
  return version.number;
}

/**
 * Version 2: the same model retrained on poisoned data. The artifact itself scans clean; the data scan
 * attached to it does not, and the promotion to production is attempted and refused by the gate.
 */
export async function poisonedVersion(
  cast: Cast,
  model: string,
  artifact: string,
  dataset: string,
  parent: number,
  log: Log,
): Promise<{ version: number; gate: Gate }> {
  const version = await uploadClean(cast, model, artifact);
  await annotate(
    cast.publisher,
    model,
    version.number,
    dataset,
    ['fraud', 'tabular', 'retrained'],
    modelCard(version.number, basename(dataset), '\nRetrained on the latest month of labelled transactions.\n'),
    [{ model, version: parent }],
  );
  const report = await attachDataScan(cast.publisher, model, version.number, dataset);
  const gate = await cast.reviewer.json<Gate>(`${versionPath(model, version.number)}/gate?alias=production`);
  const refused = await send(cast.reviewer, 'PUT', `${modelPath(model)}/aliases/production`, {
    version: version.number,
  }).then(
    () => false,
    (error: Error) => {
      // The gate's refusal is the point of this step; anything else is a failure of the demo.
      if (/: 403 /.test(error.message)) return true;
      throw error;
    },
  );
  if (!refused)
    throw new CliError('PATH_UNREADABLE', `the gate let v${version.number} (poisoned data) into production`);
  const rules = [...new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId))];
  const failed = gate.checks.filter((check) => !check.passed).map((check) => `${check.check}: ${check.detail}`);
  log(
    `v${version.number} poisoned: ${basename(artifact)} uploaded, scan clean, retrained from v${parent}; data scan of ${basename(dataset)} attached: ${severityCounts(report.summary.bySeverity)} (${rules.join(', ')}); promotion to production blocked by the gate (${failed.join('; ')})`,
  );
  return { version: version.number, gate };
}

/** Version 3: a pickle that runs a shell command when loaded; the registry's upload scan rejects it. */
export async function maliciousUpload(cast: Cast, model: string, artifact: string, log: Log): Promise<number> {
  const version = await upload(cast.publisher, model, artifact);
  if (version.status !== 'rejected')
    throw new CliError('PATH_UNREADABLE', `${basename(artifact)} was ${version.status}; expected rejected`);
  log(
    `v${version.number} malicious: ${basename(artifact)} rejected and quarantined by the upload scan (${version.scan?.findings ?? 0} finding(s), worst ${version.scan?.worst ?? '?'}: ${version.scan?.rules.join(', ')})`,
  );
  return version.number;
}

/** The sample models shipped in the repository's examples folder. */
export const sampleModels = (dir: string) => ({
  clean: join(dir, 'sklearn-pipeline.joblib'),
  retrained: join(dir, 'encoder.safetensors'),
  malicious: join(dir, 'backdoored-classifier.pkl'),
});
