import { inclusionProof, leafHash, parseCheckpoint } from '../../audit/index.js';
import type { Evidence, GateDecision } from '../../contracts/index.js';
import {
  complianceCoverage,
  evaluatePolicy,
  evidenceDigest,
  type FrameworkCoverage,
  loadPack,
  type Policy,
  packNames,
} from '../../policy/index.js';
import { toolVersion } from '../../version.js';
import { fetchExport } from '../commands/audit.js';
import type { RegistryClient } from '../http.js';

export interface EvidenceRecordRef {
  readonly id: number;
  readonly kind: string;
  readonly name: string;
  readonly digest: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
  /** Where the document can be fetched (API path on the server the report was made from). */
  readonly path: string;
}

export interface StoredDecisionRef {
  readonly alias: string;
  readonly passed: boolean;
  readonly decidedAt: string;
  readonly requestedBy: string;
  readonly checks: readonly { check: string; passed: boolean; detail: string }[];
}

/** An audit entry about the version, with the proof that it is in the signed checkpoint. */
export interface ProvenEntry {
  readonly index: number;
  readonly entry: string;
  /** Base64 hashes of the RFC 9162 inclusion proof against the checkpoint's tree. */
  readonly proof: readonly string[];
}

/** Everything a compliance report states, and what it needs to be checked offline. */
export interface ComplianceReport {
  readonly schemaVersion: 1;
  readonly kind: 'compliance';
  readonly tool: { readonly name: 'mlsecops'; readonly version: string };
  readonly generatedAt: string;
  readonly server: string;
  readonly subject: { readonly model: string; readonly version: number; readonly alias: string };
  readonly evidence: Evidence;
  readonly evidenceDigest: string;
  readonly records: readonly EvidenceRecordRef[];
  readonly decisions: readonly GateDecision[];
  readonly stored: readonly StoredDecisionRef[];
  readonly frameworks: readonly FrameworkCoverage[];
  readonly audit: {
    readonly origin: string;
    readonly key: { readonly name: string; readonly pem: string };
    readonly checkpoint: string;
    readonly size: number;
    readonly entries: readonly ProvenEntry[];
  };
}

/**
 * Gathers a version's evidence from a server, evaluates every shipped pack (and `extra` policies)
 * over it, maps the results to framework controls, and attaches the audit entries about the version
 * with inclusion proofs against a signed checkpoint.
 */
export async function assembleCompliance(
  client: RegistryClient,
  target: { model: string; version: number },
  options: { alias: string; extra: readonly Policy[]; now?: Date },
): Promise<ComplianceReport> {
  const { model, version } = target;
  const base = `/api/v1/models/${encodeURIComponent(model)}`;
  const evidence = await client.json<Evidence>(
    `${base}/versions/${version}/evidence-document?alias=${encodeURIComponent(options.alias)}`,
  );
  const listed = await client.json<{ evidence: Omit<EvidenceRecordRef, 'path'>[] }>(
    `${base}/versions/${version}/evidence`,
  );
  const stored = (
    await client.json<{ decisions: (StoredDecisionRef & { version: number })[] }>(`${base}/gate-decisions?limit=1000`)
  ).decisions
    .filter((decision) => decision.version === version)
    .map(({ alias, passed, decidedAt, requestedBy, checks }) => ({ alias, passed, decidedAt, requestedBy, checks }));
  const policies = [...packNames.map((name) => loadPack(name)), ...options.extra];
  const now = options.now ?? new Date();
  const decisions = policies.map((policy) => evaluatePolicy(policy, evidence, { now }));
  const exported = await fetchExport(client);
  const checkpointBody = exported.checkpoint.slice(0, exported.checkpoint.indexOf('\n\n') + 1);
  const { size } = parseCheckpoint(checkpointBody);
  const leaves = exported.entries.map((entry) => leafHash(Buffer.from(entry, 'utf8')));
  const entries: ProvenEntry[] = [];
  exported.entries.forEach((entry, index) => {
    if (!isAbout(entry, model, version)) return;
    const proof = inclusionProof(leaves, index, size).map((hash) => hash.toString('base64'));
    entries.push({ index, entry, proof });
  });
  return {
    schemaVersion: 1,
    kind: 'compliance',
    tool: { name: 'mlsecops', version: toolVersion },
    generatedAt: now.toISOString(),
    server: client.server,
    subject: { model, version, alias: options.alias },
    evidence,
    evidenceDigest: evidenceDigest(evidence),
    records: listed.evidence.map((record) => ({
      ...record,
      path: `${base}/versions/${version}/evidence/${record.id}`,
    })),
    decisions,
    stored,
    frameworks: complianceCoverage(evidence, decisions),
    audit: { origin: exported.origin, key: exported.key, checkpoint: exported.checkpoint, size, entries },
  };
}

/** Whether an audit entry concerns this version: its scan, evidence, approvals, gates and alias moves. */
function isAbout(entry: string, model: string, version: number): boolean {
  try {
    const parsed = JSON.parse(entry) as { details?: { model?: unknown; version?: unknown } };
    return parsed.details?.model === model && parsed.details.version === version;
  } catch {
    return false;
  }
}
