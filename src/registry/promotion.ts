import type { Database } from '../store/index.js';
import { actorOf, type Principal } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import { RegistryError } from './errors.js';

/** Alias names: the built-in `staging` and `production`, or custom ones of the same shape. */
export const ALIAS_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** What a version must show before an alias may point to it. */
export interface GatePolicy {
  /** Approvals needed, by principals other than the uploader, per alias (default for any other alias). */
  readonly approvals: Readonly<Record<string, number>> & { readonly default: number };
  /** Aliases that may only point to versions with a verified signature. */
  readonly requireSignature?: readonly string[];
  /** Evidence a version must carry per alias: a model card, lineage (datasets or code). */
  readonly requireEvidence?: Readonly<Record<string, readonly ('modelCard' | 'lineage')[]>>;
}

export const defaultGatePolicy: GatePolicy = { approvals: { production: 1, default: 0 } };

export interface GateCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface GateResult {
  readonly passed: boolean;
  readonly checks: GateCheck[];
  /** The policy engine's decision the checks were read from. */
  readonly decision?: unknown;
}

/** A gate evaluation as stored when a promotion was asked for. */
export interface StoredGateDecision {
  readonly id: number;
  readonly model: string;
  readonly version: number;
  readonly alias: string;
  readonly passed: boolean;
  readonly checks: GateCheck[];
  /** The policy engine's whole decision (null for decisions stored before it existed). */
  readonly decision: unknown;
  readonly decidedAt: string;
  readonly requestedBy: string;
}

export interface AliasMove {
  readonly alias: string;
  readonly version: number;
  readonly previous: number | null;
  readonly gate: GateResult;
}

/** Approvals, the promotion gate and alias history: the registry's change-control half. */
export class Promotions {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditTrail,
    private readonly policy: GatePolicy = defaultGatePolicy,
  ) {}

  private async version(model: string, number: number) {
    const row = await this.database.db
      .selectFrom('model_versions')
      .innerJoin('models', 'models.id', 'model_versions.model_id')
      .select([
        'model_versions.id',
        'model_versions.status',
        'model_versions.created_by',
        'model_versions.metadata',
        'models.id as modelId',
      ])
      .where('models.name', '=', model)
      .where('model_versions.number', '=', number)
      .executeTakeFirst();
    if (!row) throw new RegistryError('NOT_FOUND', `no version ${number} of ${model}`);
    return row;
  }

  /** Records an approval or a rejection. The uploader cannot approve their own version. */
  async decide(
    principal: Principal,
    model: string,
    number: number,
    decision: 'approve' | 'reject',
    comment: string,
  ): Promise<void> {
    const version = await this.version(model, number);
    if (version.created_by === principal.id) {
      throw new RegistryError('FORBIDDEN', 'the uploader of a version cannot approve or reject it');
    }
    try {
      await this.database.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('approvals')
          .values({
            version_id: version.id,
            principal_id: principal.id,
            decision,
            comment: comment.slice(0, 2000),
            decided_at: new Date().toISOString(),
          })
          .execute();
        await this.audit.append(tx, {
          kind: 'approval.recorded',
          actor: actorOf(principal),
          details: { model, version: number, decision },
        });
      });
    } catch {
      throw new RegistryError('CONFLICT', `${principal.name} has already decided on version ${number} of ${model}`);
    }
  }

  /** The gate's checks for pointing `alias` at a version; nothing is changed. */
  async gate(model: string, number: number, alias: string): Promise<GateResult> {
    const version = await this.version(model, number);
    const decisions = await this.database.db
      .selectFrom('approvals')
      .select(['decision', 'principal_id'])
      .where('version_id', '=', version.id)
      .execute();
    const approvals = decisions.filter((d) => d.decision === 'approve' && d.principal_id !== version.created_by).length;
    const rejections = decisions.filter((d) => d.decision === 'reject').length;
    const needed = this.policy.approvals[alias] ?? this.policy.approvals.default;
    const checks: GateCheck[] = [
      {
        check: 'scan',
        passed: version.status === 'available',
        detail: version.status === 'available' ? 'latest scan clean' : `version is ${version.status}`,
      },
      {
        check: 'approvals',
        passed: approvals >= needed && rejections === 0,
        detail: `${approvals} of ${needed} approvals by others than the uploader${rejections ? `, ${rejections} rejection(s)` : ''}`,
      },
    ];
    if (this.policy.requireSignature?.includes(alias)) {
      const signature = (JSON.parse(version.metadata) as { signature?: { verified: boolean; signer: string } })
        .signature;
      checks.push({
        check: 'signature',
        passed: signature?.verified === true,
        detail: signature?.verified ? `signed, verified with ${signature.signer}` : 'no verified signature',
      });
    }
    const metadata = JSON.parse(version.metadata) as {
      modelCard?: string;
      lineage?: { datasets?: unknown[]; code?: unknown[] };
    };
    for (const evidence of this.policy.requireEvidence?.[alias] ?? []) {
      const present =
        evidence === 'modelCard'
          ? Boolean(metadata.modelCard?.trim())
          : (metadata.lineage?.datasets?.length ?? 0) + (metadata.lineage?.code?.length ?? 0) > 0;
      checks.push({
        check: evidence,
        passed: present,
        detail: present
          ? `${evidence === 'modelCard' ? 'model card' : 'lineage'} present`
          : `no ${evidence === 'modelCard' ? 'model card' : 'lineage'}`,
      });
    }
    return { passed: checks.every((check) => check.passed), checks };
  }

  /**
   * Points `alias` at a version if the gate passes, storing the gate's verdict as evidence either way.
   * With `from`, the move happens only if the alias still points where the caller saw it (`null`:
   * nowhere): of two concurrent promotions from the same state, one wins and the other gets CONFLICT.
   */
  async promote(
    principal: Principal,
    model: string,
    number: number,
    alias: string,
    from?: number | null,
  ): Promise<AliasMove> {
    if (!ALIAS_NAME.test(alias)) throw new RegistryError('INVALID', `invalid alias ${JSON.stringify(alias)}`);
    const version = await this.version(model, number);
    const gate = await this.gate(model, number, alias);
    const now = new Date().toISOString();
    await this.database.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('gate_results')
        .values({
          version_id: version.id,
          alias,
          passed: gate.passed ? 1 : 0,
          checks: JSON.stringify(gate.checks),
          decision: gate.decision === undefined ? null : JSON.stringify(gate.decision),
          decided_at: now,
          requested_by: principal.id,
        })
        .execute();
      await this.audit.append(tx, {
        kind: 'gate.evaluated',
        actor: actorOf(principal),
        details: { model, version: number, alias, passed: gate.passed, checks: gate.checks },
      });
    });
    if (!gate.passed) {
      const failed = gate.checks.filter((check) => !check.passed).map((check) => `${check.check}: ${check.detail}`);
      throw new RegistryError('FORBIDDEN', `promotion gate failed: ${failed.join('; ')}`);
    }
    return this.database.db.transaction().execute(async (tx) => {
      const current = await tx
        .selectFrom('aliases')
        .innerJoin('model_versions', 'model_versions.id', 'aliases.version_id')
        .select(['model_versions.number', 'aliases.version_id'])
        .where('aliases.model_id', '=', version.modelId)
        .where('aliases.name', '=', alias)
        .executeTakeFirst();
      const previous = current?.number ?? null;
      if (from !== undefined && from !== previous) {
        throw new RegistryError(
          'CONFLICT',
          `alias ${alias} points to ${previous ?? 'nothing'}, not ${from ?? 'nothing'}`,
        );
      }
      if (current) {
        const moved = await tx
          .updateTable('aliases')
          .set({ version_id: version.id, updated_at: now })
          .where('model_id', '=', version.modelId)
          .where('name', '=', alias)
          .where('version_id', '=', current.version_id)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1)
          throw new RegistryError('CONFLICT', `alias ${alias} moved concurrently`);
      } else {
        try {
          await tx
            .insertInto('aliases')
            .values({ model_id: version.modelId, name: alias, version_id: version.id, updated_at: now })
            .execute();
        } catch {
          throw new RegistryError('CONFLICT', `alias ${alias} was created concurrently`);
        }
      }
      await tx
        .insertInto('alias_history')
        .values({
          model_id: version.modelId,
          name: alias,
          version_id: version.id,
          moved_at: now,
          moved_by: principal.id,
        })
        .execute();
      await this.audit.append(tx, {
        kind: 'alias.moved',
        actor: actorOf(principal),
        details: { model, alias, version: number, previous, at: now },
      });
      return { alias, version: number, previous, gate };
    });
  }

  /** Stored gate decisions, newest first: of one model, or of every model. */
  async decisions(model: string | undefined, limit: number): Promise<StoredGateDecision[]> {
    let query = this.database.db
      .selectFrom('gate_results')
      .innerJoin('model_versions', 'model_versions.id', 'gate_results.version_id')
      .innerJoin('models', 'models.id', 'model_versions.model_id')
      .innerJoin('principals', 'principals.id', 'gate_results.requested_by')
      .select([
        'gate_results.id',
        'models.name as model',
        'model_versions.number as version',
        'gate_results.alias',
        'gate_results.passed',
        'gate_results.checks',
        'gate_results.decision',
        'gate_results.decided_at',
        'principals.name as requestedBy',
      ])
      .orderBy('gate_results.id', 'desc')
      .limit(limit);
    if (model !== undefined) query = query.where('models.name', '=', model);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: row.id,
      model: row.model,
      version: row.version,
      alias: row.alias,
      passed: row.passed === 1,
      checks: JSON.parse(row.checks) as GateCheck[],
      decision: row.decision === null ? null : (JSON.parse(row.decision) as unknown),
      decidedAt: row.decided_at,
      requestedBy: row.requestedBy,
    }));
  }

  /** Where `alias` pointed at time `at` (ISO), from its history; null when it pointed nowhere. */
  async aliasAt(model: string, alias: string, at: string): Promise<number | null> {
    const row = await this.database.db
      .selectFrom('alias_history')
      .innerJoin('models', 'models.id', 'alias_history.model_id')
      .leftJoin('model_versions', 'model_versions.id', 'alias_history.version_id')
      .select(['model_versions.number'])
      .where('models.name', '=', model)
      .where('alias_history.name', '=', alias)
      .where('alias_history.moved_at', '<=', at)
      .orderBy('alias_history.moved_at', 'desc')
      .orderBy('alias_history.id', 'desc')
      .executeTakeFirst();
    return row?.number ?? null;
  }

  async history(model: string, alias: string): Promise<{ version: number | null; movedAt: string; movedBy: string }[]> {
    const rows = await this.database.db
      .selectFrom('alias_history')
      .innerJoin('models', 'models.id', 'alias_history.model_id')
      .innerJoin('principals', 'principals.id', 'alias_history.moved_by')
      .leftJoin('model_versions', 'model_versions.id', 'alias_history.version_id')
      .select(['model_versions.number', 'alias_history.moved_at', 'principals.name'])
      .where('models.name', '=', model)
      .where('alias_history.name', '=', alias)
      .orderBy('alias_history.id')
      .execute();
    return rows.map((row) => ({ version: row.number ?? null, movedAt: row.moved_at, movedBy: row.name }));
  }
}
