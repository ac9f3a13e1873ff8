import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { driftReportSchema, type Evidence, emptyEvidence, type Report } from '../contracts/index.js';
import { computeManifest, HashPool, serializationFor, type TrustAnchor } from '../integrity/index.js';
import { type ScanOptions, scanPaths } from '../scan/index.js';
import { checkSignature, findArtifacts, readAttestations } from './artifacts.js';
import { PolicyError } from './issues.js';
import { readModelCard } from './model-card.js';
import {
  type Assessment,
  assessmentEvidence,
  assessmentSchema,
  dataReportSchema,
  dataScanEvidence,
  driftEvidence,
  readEvidenceFile,
  scanEvidence,
} from './report-evidence.js';

export interface DirectoryEvidenceOptions {
  /** What signatures are verified against; without it a signature counts as present, never verified. */
  readonly trust?: TrustAnchor;
  /** Alias the model is gated for (`subject.alias`). */
  readonly alias?: string;
  /** Data-scan report files (mlsecops data scan --format json). */
  readonly dataReports?: readonly string[];
  /** Assessment result files (see `assessmentSchema`). */
  readonly assessments?: readonly string[];
  /** A drift report file (mlsecops drift --format json). */
  readonly driftReport?: string;
  /** Options of the model scan (limits, allowlist, progress). */
  readonly scan?: ScanOptions;
}

export interface CollectedEvidence {
  readonly evidence: Evidence;
  /** What the reader should know about how the evidence was gathered (an unverified signature, …). */
  readonly notes: readonly string[];
}

/**
 * Evidence for a model folder: the model scan run over it, its model card, signature (verified when
 * a trust anchor is given), provenance and AI-BOM files, and the reports the caller adds. Every file
 * is read within a byte budget; nothing in the model is loaded or executed.
 */
export async function collectDirectoryEvidence(
  dir: string,
  options: DirectoryEvidenceOptions = {},
): Promise<CollectedEvidence> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    throw new PolicyError('UNREADABLE', `cannot read ${dir}: ${error.code ?? error.message}`);
  });
  if (!info.isDirectory()) throw new PolicyError('UNREADABLE', `${dir} is not a folder`);
  // The caller's files first: a wrong path fails fast, before the scan.
  const given = await readGivenFiles(options);
  const notes: string[] = [];
  // One pool of hashing threads for the digest and the signature check.
  const pool = new HashPool();
  try {
    const evidence = emptyEvidence({
      kind: 'directory',
      name: basename(resolve(dir)),
      version: null,
      digest: await modelDigest(dir, pool, notes),
      alias: options.alias ?? null,
    });
    evidence.scan = scanEvidence(await scanPaths([dir], options.scan));
    const card = await readModelCard(dir);
    evidence.modelCard = card.card;
    const artifacts = await findArtifacts(dir);
    const signature = await checkSignature(dir, artifacts, options.trust, pool);
    evidence.signature = signature.evidence;
    if (signature.note) notes.push(signature.note);
    const attested = await readAttestations(artifacts);
    evidence.attestations = { provenance: attested.provenance, bom: attested.bom };
    evidence.lineage = {
      datasets: attested.datasets,
      code: attested.code,
      parents: card.baseModels.map((model) => ({ model, version: 0 })),
    };
    evidence.dataScan = dataScanEvidence(given.dataReports);
    evidence.assessments = assessmentEvidence(given.assessments.map((report) => report.metrics ?? {}));
    if (given.drift) evidence.drift = driftEvidence(given.drift);
    return { evidence, notes };
  } finally {
    await pool.close();
  }
}

async function readGivenFiles(options: DirectoryEvidenceOptions) {
  const dataReports: Report[] = [];
  for (const path of options.dataReports ?? []) {
    dataReports.push(await readEvidenceFile(path, 'data-scan report', dataReportSchema));
  }
  const assessments: Assessment[] = [];
  for (const path of options.assessments ?? []) {
    assessments.push(await readEvidenceFile(path, 'assessment', assessmentSchema));
  }
  const drift = options.driftReport
    ? await readEvidenceFile(options.driftReport, 'drift report', driftReportSchema)
    : undefined;
  return { dataReports, assessments, drift };
}

/** The folder's OMS root digest (as `mlsecops digest` computes it), or null when it cannot be computed. */
async function modelDigest(dir: string, pool: HashPool, notes: string[]): Promise<string | null> {
  try {
    return `sha256:${(await computeManifest(dir, serializationFor(), pool)).rootDigest}`;
  } catch (error) {
    notes.push(`no model digest: ${(error as Error).message}`);
    return null;
  }
}
