import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import {
  canonicalJson,
  type Finding,
  type Report,
  reportSchema,
  type Severity,
  severities,
} from '../contracts/index.js';
import type { Database, RegistrySchema } from '../store/index.js';
import { actorOf, type Principal } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import { RegistryError } from './errors.js';

/**
 * What can be attached to a version. `scan` is written by the registry itself when an upload is
 * scanned; callers attach data scans and assessments (mlsecops reports) and attestations (in-toto
 * statements, CycloneDX BOMs) that were produced elsewhere.
 */
export const evidenceKinds = ['scan', 'data-scan', 'assessment', 'provenance', 'bom'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];
export const attachableKinds = ['data-scan', 'assessment', 'provenance', 'bom'] as const;

/** Largest document stored as evidence (canonical JSON). */
export const MAX_EVIDENCE_BYTES = 32 * 1024 * 1024;

export interface EvidenceSummary {
  readonly findings?: number;
  readonly bySeverity?: Record<Severity, number>;
  readonly worst?: Severity;
  readonly rules?: string[];
  readonly files?: number;
  readonly errors?: number;
  /** Attestations: the in-toto predicate type or the BOM format. */
  readonly type?: string;
  /** Assessments: their measurements (robust accuracy, failed probes, suspicious features, …). */
  readonly metrics?: Record<string, number>;
}

export interface EvidenceRecord {
  readonly id: number;
  readonly kind: EvidenceKind;
  readonly name: string;
  readonly digest: string;
  readonly summary: EvidenceSummary;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

export interface FindingQuery {
  readonly kind?: 'scan' | 'data-scan' | 'assessment';
  readonly severity?: readonly Severity[];
  readonly rule?: string;
  readonly path?: string;
  readonly text?: string;
  readonly offset: number;
  readonly limit: number;
}

export interface FindingPage {
  readonly total: number;
  readonly matched: number;
  readonly facets: {
    readonly bySeverity: Record<Severity, number>;
    readonly byRule: Record<string, number>;
    readonly byPath: Record<string, number>;
  };
  readonly findings: Finding[];
}

const intotoStatement = z.looseObject({ _type: z.string(), predicateType: z.string(), subject: z.array(z.unknown()) });
const cycloneDx = z.looseObject({ bomFormat: z.literal('CycloneDX'), specVersion: z.string() });

/** Checks a document against what its kind must be and summarises it; throws INVALID with the reason. */
export function summarizeEvidence(kind: EvidenceKind, document: unknown): EvidenceSummary {
  if (kind === 'provenance') {
    const parsed = intotoStatement.safeParse(document);
    if (!parsed.success) throw new RegistryError('INVALID', 'provenance must be an in-toto statement');
    return { type: parsed.data.predicateType };
  }
  if (kind === 'bom') {
    const parsed = cycloneDx.safeParse(document);
    if (!parsed.success) throw new RegistryError('INVALID', 'a bom must be a CycloneDX document');
    return { type: `CycloneDX ${parsed.data.specVersion}` };
  }
  const parsed = reportSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RegistryError(
      'INVALID',
      `not an mlsecops report: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    );
  }
  return reportSummary(parsed.data);
}

export function reportSummary(report: Report): EvidenceSummary {
  return {
    findings: report.summary.findings,
    bySeverity: report.summary.bySeverity,
    ...(report.summary.highest ? { worst: report.summary.highest } : {}),
    rules: [...new Set(report.findings.map((finding) => finding.ruleId))],
    files: report.summary.files,
    errors: report.files.filter((file) => file.status === 'error').length,
    ...(report.metrics ? { metrics: report.metrics } : {}),
  };
}

type Executor = Database['db'] | Transaction<RegistrySchema>;

/** Stores a document in the caller's transaction; the registry's own scan reports come this way. */
export async function storeEvidence(
  executor: Executor,
  versionId: number,
  entry: { kind: EvidenceKind; name: string; document: unknown; createdBy: number | null },
): Promise<{ id: number; digest: string }> {
  const summary = summarizeEvidence(entry.kind, entry.document);
  const text = canonicalJson(entry.document);
  if (Buffer.byteLength(text) > MAX_EVIDENCE_BYTES) {
    throw new RegistryError('INVALID', `evidence larger than ${MAX_EVIDENCE_BYTES} bytes`);
  }
  const digest = createHash('sha256').update(text).digest('hex');
  const row = await executor
    .insertInto('version_evidence')
    .values({
      version_id: versionId,
      kind: entry.kind,
      name: entry.name,
      digest,
      summary: JSON.stringify(summary),
      document: text,
      created_at: new Date().toISOString(),
      created_by: entry.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, digest };
}

/** Evidence attached to versions: stored whole, listed by summary, findings served in pages. */
export class EvidenceStore {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditTrail,
  ) {}

  private async versionId(model: string, number: number): Promise<number> {
    const row = await this.database.db
      .selectFrom('model_versions')
      .innerJoin('models', 'models.id', 'model_versions.model_id')
      .select('model_versions.id')
      .where('models.name', '=', model)
      .where('model_versions.number', '=', number)
      .where('model_versions.status', '!=', 'deleted')
      .executeTakeFirst();
    if (!row) throw new RegistryError('NOT_FOUND', `no version ${number} of ${model}`);
    return row.id;
  }

  /** Attaches a caller's document to a version, with an audit entry carrying its digest. */
  async attach(
    principal: Principal,
    model: string,
    number: number,
    kind: (typeof attachableKinds)[number],
    name: string,
    document: unknown,
  ): Promise<{ id: number; digest: string }> {
    const versionId = await this.versionId(model, number);
    return this.database.db.transaction().execute(async (tx) => {
      const stored = await storeEvidence(tx, versionId, { kind, name, document, createdBy: principal.id });
      await this.audit.append(tx, {
        kind: 'evidence.attached',
        actor: actorOf(principal),
        details: { model, version: number, evidence: stored.id, type: kind, name, digest: stored.digest },
      });
      return stored;
    });
  }

  async list(model: string, number: number): Promise<EvidenceRecord[]> {
    const versionId = await this.versionId(model, number);
    const rows = await this.database.db
      .selectFrom('version_evidence')
      .leftJoin('principals', 'principals.id', 'version_evidence.created_by')
      .select([
        'version_evidence.id',
        'version_evidence.kind',
        'version_evidence.name',
        'version_evidence.digest',
        'version_evidence.summary',
        'version_evidence.created_at',
        'principals.name as creator',
      ])
      .where('version_evidence.version_id', '=', versionId)
      .orderBy('version_evidence.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind as EvidenceKind,
      name: row.name,
      digest: row.digest,
      summary: JSON.parse(row.summary) as EvidenceSummary,
      createdAt: row.created_at,
      createdBy: row.creator ?? null,
    }));
  }

  async document(model: string, number: number, id: number): Promise<EvidenceRecord & { document: unknown }> {
    const record = (await this.list(model, number)).find((entry) => entry.id === id);
    if (!record) throw new RegistryError('NOT_FOUND', `no evidence ${id} on version ${number} of ${model}`);
    const row = await this.database.db
      .selectFrom('version_evidence')
      .select('document')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { ...record, document: JSON.parse(row.document) };
  }

  /** The newest documents of one kind, one per name, read in one query. */
  async latest(
    model: string,
    number: number,
    kind: EvidenceKind,
  ): Promise<{ record: EvidenceRecord; document: unknown }[]> {
    const chosen = newestOf(await this.list(model, number)).filter((record) => record.kind === kind);
    if (chosen.length === 0) return [];
    const rows = await this.database.db
      .selectFrom('version_evidence')
      .select(['id', 'document'])
      .where(
        'id',
        'in',
        chosen.map((record) => record.id),
      )
      .execute();
    const documents = new Map(rows.map((row) => [row.id, row.document]));
    return chosen.map((record) => ({ record, document: JSON.parse(documents.get(record.id) ?? 'null') as unknown }));
  }

  /** One page of the findings of the newest report of a kind, with facets over all of them. */
  async findings(model: string, number: number, query: FindingQuery): Promise<FindingPage> {
    const kind = query.kind ?? 'scan';
    const reports = (await this.latest(model, number, kind)).map((entry) => entry.document as Report);
    const all = reports.flatMap((report) => report.findings);
    const bySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Record<Severity, number>;
    const byRule: Record<string, number> = {};
    const byPath: Record<string, number> = {};
    for (const finding of all) {
      bySeverity[finding.severity]++;
      byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
      const path = findingPath(finding);
      byPath[path] = (byPath[path] ?? 0) + 1;
    }
    const text = query.text?.toLowerCase();
    const matched = all.filter(
      (finding) =>
        (!query.severity?.length || query.severity.includes(finding.severity)) &&
        (!query.rule || finding.ruleId === query.rule) &&
        (!query.path || findingPath(finding) === query.path) &&
        (!text || `${finding.title} ${finding.evidence} ${finding.ruleId}`.toLowerCase().includes(text)),
    );
    const rank = (severity: Severity) => severities.indexOf(severity);
    matched.sort((a, b) => rank(b.severity) - rank(a.severity));
    return {
      total: all.length,
      matched: matched.length,
      facets: { bySeverity, byRule, byPath },
      findings: matched.slice(query.offset, query.offset + query.limit),
    };
  }
}

/**
 * The newest record per kind and name: a new scan replaces the earlier one, while data scans of
 * different datasets stand side by side.
 */
export function newestOf<T extends { readonly kind: string; readonly name: string }>(records: readonly T[]): T[] {
  const chosen = new Map<string, T>();
  for (const record of records) chosen.set(`${record.kind}\u0000${record.name}`, record);
  return [...chosen.values()];
}

/** The file a finding is in, archive members included (`model.pt!/archive/data.pkl`). */
export function findingPath(finding: Finding): string {
  return finding.location.member ? `${finding.location.path}!/${finding.location.member}` : finding.location.path;
}
