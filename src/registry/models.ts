import type { Readable } from 'node:stream';
import { atLeast, maxSeverity, type Report, type Severity } from '../contracts/index.js';
import { scanPaths } from '../scan/index.js';
import type { BlobStore, Database } from '../store/index.js';
import { actorOf, type Principal } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import { RegistryError } from './errors.js';
import { storeEvidence } from './evidence.js';

/** Model names are plain identifiers: no path separators, dots-only names, encodings or control characters. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}(?:\.[a-z0-9_-]{1,63}){0,3}$/;

export interface RegistryOptions {
  /** Findings at or above this severity reject an upload. */
  readonly failOn: Severity;
  /** Largest artifact accepted, in bytes. */
  readonly maxArtifactBytes: number;
}

export interface ModelSummary {
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
}

export interface VersionSummary {
  readonly number: number;
  readonly status: 'quarantined' | 'available' | 'rejected' | 'deleted';
  readonly digest: string | null;
  readonly size: number | null;
  readonly createdAt: string;
  readonly scan?: { readonly findings: number; readonly worst?: Severity; readonly rules: string[] };
  readonly signature?: {
    readonly verified: boolean;
    readonly signer: string;
    readonly subject: string;
    readonly verifiedAt: string;
  };
}

/** The registry's model and version operations over a database and a blob store. */
export class ModelRegistry {
  constructor(
    private readonly database: Database,
    private readonly blobs: BlobStore,
    private readonly options: RegistryOptions,
    private readonly audit: AuditTrail,
  ) {}

  async createModel(principal: Principal, name: string, description: string): Promise<ModelSummary> {
    if (!MODEL_NAME.test(name)) throw new RegistryError('INVALID', `invalid model name ${JSON.stringify(name)}`);
    const createdAt = new Date().toISOString();
    try {
      await this.database.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('models')
          .values({ name, description: description.slice(0, 4096), created_at: createdAt, created_by: principal.id })
          .execute();
        await this.audit.append(tx, { kind: 'model.created', actor: actorOf(principal), details: { model: name } });
      });
    } catch (error) {
      if (await this.findModel(name)) throw new RegistryError('CONFLICT', `model ${name} exists`);
      throw error;
    }
    return { name, description, createdAt };
  }

  async listModels(): Promise<ModelSummary[]> {
    const rows = await this.database.db
      .selectFrom('models')
      .select(['name', 'description', 'created_at'])
      .orderBy('name')
      .execute();
    return rows.map((row) => ({ name: row.name, description: row.description, createdAt: row.created_at }));
  }

  async getModel(name: string): Promise<ModelSummary> {
    const row = await this.findModel(name);
    if (!row) throw new RegistryError('NOT_FOUND', `no model ${name}`);
    return { name: row.name, description: row.description, createdAt: row.created_at };
  }

  private findModel(name: string) {
    return this.database.db.selectFrom('models').selectAll().where('name', '=', name).executeTakeFirst();
  }

  /**
   * Uploads a version: the bytes stream into a content-addressed blob, the version is recorded as
   * quarantined, the scanner reads the blob (never a caller's path), and the version becomes
   * available only when no finding reaches `failOn`, rejected otherwise. Numbers are assigned by the
   * server inside a transaction; a concurrent upload that lost the race for a number retries.
   */
  async uploadVersion(principal: Principal, name: string, body: Readable): Promise<VersionSummary> {
    const model = await this.findModel(name);
    if (!model) throw new RegistryError('NOT_FOUND', `no model ${name}`);
    const blob = await this.blobs.put(body, this.options.maxArtifactBytes);
    const createdAt = new Date().toISOString();
    let number = 0;
    let versionId = 0;
    for (let attempt = 0; attempt < 5 && versionId === 0; attempt++) {
      try {
        ({ number, versionId } = await this.database.db.transaction().execute(async (tx) => {
          // Lock the model's row so concurrent uploads take numbers one after another (SQLite
          // transactions are serialized already and have no FOR UPDATE).
          if (this.database.dialect === 'postgres') {
            await tx.selectFrom('models').select('id').where('id', '=', model.id).forUpdate().execute();
          }
          const last = await tx
            .selectFrom('model_versions')
            .select((eb) => eb.fn.max('number').as('max'))
            .where('model_id', '=', model.id)
            .executeTakeFirst();
          const next = Number(last?.max ?? 0) + 1;
          const { id } = await tx
            .insertInto('model_versions')
            .values({
              model_id: model.id,
              number: next,
              status: 'quarantined',
              artifact_digest: blob.digest,
              artifact_size: blob.size,
              metadata: '{}',
              created_at: createdAt,
              created_by: principal.id,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await this.audit.append(tx, {
            kind: 'version.uploaded',
            actor: actorOf(principal),
            details: { model: name, version: next, digest: blob.digest, size: blob.size },
          });
          return { number: next, versionId: id };
        }));
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
    const local = await this.blobs.localPath(blob.digest);
    const report = artifactReport(await scanPaths([local]), local, `${name}@${number}`);
    // Unsafe archive member names and link/device members block whatever their severity: the registry
    // hands artifacts to extractors.
    const blocking = report.findings.filter(
      (finding) => atLeast(finding.severity, this.options.failOn) || finding.category === 'path-traversal',
    );
    const status =
      blocking.length === 0 && report.files.every((file) => file.status !== 'error') ? 'available' : 'rejected';
    const highest = maxSeverity(report.findings.map((finding) => finding.severity));
    const scan = {
      findings: report.findings.length,
      ...(highest ? { worst: highest } : {}),
      rules: [...new Set(report.findings.map((finding) => finding.ruleId))],
    };
    await this.database.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('model_versions')
        .set({ status, metadata: JSON.stringify({ scan }) }) // the first metadata: nothing to keep yet
        .where('id', '=', versionId)
        .execute();
      const stored = await storeEvidence(tx, versionId, {
        kind: 'scan',
        name: 'model-scan',
        document: report,
        createdBy: null,
      });
      await this.audit.append(tx, {
        kind: 'version.scanned',
        actor: null,
        details: { model: name, version: number, status, scan, report: stored.digest },
      });
    });
    return { number, status, digest: blob.digest, size: blob.size, createdAt, scan };
  }

  async listVersions(name: string): Promise<VersionSummary[]> {
    const model = await this.findModel(name);
    if (!model) throw new RegistryError('NOT_FOUND', `no model ${name}`);
    const rows = await this.database.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', model.id)
      .orderBy('number')
      .execute();
    return rows.map(versionSummary);
  }

  /**
   * Deletes a version: it stays in the history as `deleted` (the audit log and alias history name it)
   * but its artifact is no longer served. Refused while an alias points to it.
   */
  async deleteVersion(principal: Principal, name: string, number: number): Promise<void> {
    const model = await this.findModel(name);
    if (!model) throw new RegistryError('NOT_FOUND', `no model ${name}`);
    await this.database.db.transaction().execute(async (tx) => {
      const version = await tx
        .selectFrom('model_versions')
        .select(['id', 'status'])
        .where('model_id', '=', model.id)
        .where('number', '=', number)
        .executeTakeFirst();
      if (!version || version.status === 'deleted')
        throw new RegistryError('NOT_FOUND', `no version ${number} of ${name}`);
      const alias = await tx
        .selectFrom('aliases')
        .select('name')
        .where('version_id', '=', version.id)
        .executeTakeFirst();
      if (alias) throw new RegistryError('CONFLICT', `alias ${alias.name} points to version ${number}: move it first`);
      await tx.updateTable('model_versions').set({ status: 'deleted' }).where('id', '=', version.id).execute();
      await this.audit.append(tx, {
        kind: 'version.deleted',
        actor: actorOf(principal),
        details: { model: name, version: number },
      });
    });
  }

  /** A version's row, or NOT_FOUND naming what is missing. */
  private async versionRow(name: string, number: number) {
    const model = await this.findModel(name);
    if (!model) throw new RegistryError('NOT_FOUND', `no model ${name}`);
    const row = await this.database.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', model.id)
      .where('number', '=', number)
      .executeTakeFirst();
    if (!row) throw new RegistryError('NOT_FOUND', `no version ${number} of ${name}`);
    return row;
  }

  /** One version with its annotations (tags, model card, lineage, metadata). */
  async getVersion(name: string, number: number): Promise<VersionSummary & { annotations: Record<string, unknown> }> {
    const row = await this.versionRow(name, number);
    const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
    const annotations = Object.fromEntries(
      Object.entries(metadata).filter(([key]) => ['tags', 'modelCard', 'lineage', 'metadata'].includes(key)),
    );
    return { ...versionSummary(row), annotations };
  }

  /** A version's artifact: refused while quarantined or when rejected, unless `privileged`. */
  async artifact(
    name: string,
    number: number,
    privileged: boolean,
  ): Promise<{ version: VersionSummary; stream: Readable }> {
    const row = await this.versionRow(name, number);
    if (row.artifact_digest === null) throw new RegistryError('NOT_FOUND', `no version ${number} of ${name}`);
    if (row.status === 'deleted') throw new RegistryError('NOT_FOUND', `version ${number} of ${name} was deleted`);
    if (row.status !== 'available' && !privileged) {
      throw new RegistryError(
        'FORBIDDEN',
        `version ${number} of ${name} is ${row.status}: only an admin may download it`,
      );
    }
    return { version: versionSummary(row), stream: await this.blobs.open(row.artifact_digest) };
  }
}

function versionSummary(row: {
  number: number;
  status: 'quarantined' | 'available' | 'rejected' | 'deleted';
  artifact_digest: string | null;
  artifact_size: number | string | null;
  created_at: string;
  metadata: string;
}): VersionSummary {
  const metadata = JSON.parse(row.metadata) as {
    scan?: VersionSummary['scan'];
    signature?: VersionSummary['signature'];
  };
  return {
    number: row.number,
    status: row.status,
    digest: row.artifact_digest,
    size: row.artifact_size === null ? null : Number(row.artifact_size),
    createdAt: row.created_at,
    ...(metadata.scan ? { scan: metadata.scan } : {}),
    ...(metadata.signature ? { signature: metadata.signature } : {}),
  };
}

/** The scan report as evidence: the blob store's file path replaced by the version's name. */
function artifactReport(report: Report, local: string, label: string): Report {
  const rename = (path: string) =>
    path === local ? label : path.startsWith(`${local}/`) ? label + path.slice(local.length) : path;
  return {
    ...report,
    targets: report.targets.map(rename),
    files: report.files.map((file) => ({ ...file, path: rename(file.path) })),
    findings: report.findings.map((finding) => ({
      ...finding,
      location: { ...finding.location, path: rename(finding.location.path) },
    })),
  };
}
