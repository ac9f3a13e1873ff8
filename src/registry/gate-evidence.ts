import type { Evidence, Severity } from '../contracts/index.js';
import { emptyEvidence, severities } from '../contracts/index.js';
import { assessmentEvidence } from '../policy/index.js';
import type { Database } from '../store/index.js';
import { type EvidenceStore, newestOf } from './evidence.js';

/** What happens to a version in production, from services the registry does not own (the monitor). */
export type OperationalEvidence = Pick<Evidence, 'incidents' | 'drift' | 'monitoring'>;

/** Operational evidence for a version nobody monitors. */
export const noOperationalEvidence = async (): Promise<OperationalEvidence> => {
  const { incidents, drift, monitoring } = emptyEvidence(EMPTY_SUBJECT);
  return { incidents, drift, monitoring };
};
const EMPTY_SUBJECT = { kind: 'registry', name: '', version: null, digest: null, alias: null } as const;

export type OperationalSource = (model: string, version: number) => Promise<OperationalEvidence>;

function zeroes(): Record<Severity, number> {
  return Object.fromEntries(severities.map((severity) => [severity, 0])) as Record<Severity, number>;
}

interface StoredMetadata {
  signature?: { verified: boolean; signer: string; subject: string };
  modelCard?: string;
  lineage?: Partial<Evidence['lineage']>;
}

/**
 * The evidence document of a registry version, as the policy engine reads it: built from what the
 * registry stores (scan and attached reports, signature, annotations, approvals) and what the
 * monitor knows (incidents, drift). Nothing is re-derived: reports are read as they were stored.
 */
export async function versionEvidence(
  database: Database,
  store: EvidenceStore,
  operational: OperationalSource,
  version: {
    readonly model: string;
    readonly number: number;
    readonly alias: string | null;
    readonly id: number;
    readonly status: string;
    readonly digest: string | null;
    readonly created_by: number;
    readonly metadata: string;
  },
  cardFields: (text: string) => Record<string, string>,
): Promise<Evidence> {
  const { model, number, alias } = version;
  const metadata = JSON.parse(version.metadata) as StoredMetadata;
  const records = await store.list(model, number);
  const newest = newestOf(records);
  const of = (kind: string) => newest.filter((record) => record.kind === kind).map((record) => record.summary);
  const scan = of('scan').at(-1);
  const dataScans = of('data-scan');
  const decisions = await database.db
    .selectFrom('approvals')
    .innerJoin('principals', 'principals.id', 'approvals.principal_id')
    .select(['approvals.decision', 'approvals.principal_id', 'principals.name'])
    .where('approvals.version_id', '=', version.id)
    .execute();
  const approvers = decisions.filter((d) => d.decision === 'approve' && d.principal_id !== version.created_by);
  const card = metadata.modelCard?.trim() ?? '';
  const { incidents, drift, monitoring } = await operational(model, number);
  const audit = { entries: await auditEntriesAbout(database, model, number) };
  return {
    schemaVersion: 1,
    subject: {
      kind: 'registry',
      name: model,
      version: number,
      digest: version.digest ? `sha256:${version.digest}` : null,
      alias,
    },
    scan: {
      present: scan !== undefined,
      status: version.status,
      findings: scan?.findings ?? 0,
      bySeverity: { ...zeroes(), ...scan?.bySeverity },
      rules: scan?.rules ?? [],
      errors: scan?.errors ?? 0,
    },
    dataScan: {
      present: dataScans.length > 0,
      datasets: dataScans.length,
      findings: dataScans.reduce((sum, summary) => sum + (summary.findings ?? 0), 0),
      bySeverity: Object.fromEntries(
        severities.map((severity) => [
          severity,
          dataScans.reduce((sum, summary) => sum + (summary.bySeverity?.[severity] ?? 0), 0),
        ]),
      ) as Record<Severity, number>,
      rules: [...new Set(dataScans.flatMap((summary) => summary.rules ?? []))],
    },
    signature: {
      present: metadata.signature !== undefined,
      verified: metadata.signature?.verified === true,
      signer: metadata.signature?.signer ?? '',
      subject: metadata.signature?.subject ?? '',
    },
    attestations: { provenance: of('provenance').length > 0, bom: of('bom').length > 0 },
    modelCard: { present: card.length > 0, fields: card ? cardFields(card) : {}, length: card.length },
    lineage: {
      datasets: metadata.lineage?.datasets ?? [],
      code: metadata.lineage?.code ?? [],
      parents: metadata.lineage?.parents ?? [],
    },
    incidents,
    drift,
    audit,
    monitoring,
    approvals: {
      approved: approvers.length,
      rejected: decisions.filter((d) => d.decision === 'reject').length,
      approvers: approvers.map((d) => d.name),
    },
    assessments: assessmentEvidence(of('assessment').map((summary) => summary.metrics ?? {})),
  };
}

/** Entries of the audit log whose details name this model and version. */
async function auditEntriesAbout(database: Database, model: string, version: number): Promise<number> {
  // A substring test narrows the scan (entries are canonical JSON); the parse decides.
  const bodies = await database.db
    .selectFrom('audit_entries')
    .select('body')
    .where('body', 'like', `%"model":${JSON.stringify(model)}%`)
    .execute();
  return bodies.filter(({ body }) => {
    const details = (JSON.parse(body) as { details?: { model?: unknown; version?: unknown } }).details;
    return details?.model === model && details.version === version;
  }).length;
}
