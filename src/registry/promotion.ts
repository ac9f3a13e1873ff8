import type { Evidence, GateDecision } from '../contracts/index.js';
import {
  changeControlPolicy,
  defaultGatePolicy,
  evaluatePolicy,
  type GatePolicy,
  modelCardFields,
  type Policy,
} from '../policy/index.js';
import type { Database } from '../store/index.js';
import { actorOf, type Principal } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import { RegistryError } from './errors.js';
import { EvidenceStore } from './evidence.js';
import { noOperationalEvidence, type OperationalSource, versionEvidence } from './gate-evidence.js';

/** Alias names: the built-in `staging` and `production`, or custom ones of the same shape. */
export const ALIAS_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

export interface GateCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface GateResult {
  readonly passed: boolean;
  /** Every rule that applied, from all policies: its id, whether it held and why. */
  readonly checks: GateCheck[];
  /** The policy engine's decisions the checks were read from, one per policy. */
  readonly decisions: GateDecision[];
}

/** Where the gate's evidence and policies come from. */
export interface GateSetup {
  /** The registry's change-control settings (approvals, required signature and evidence). */
  readonly settings?: GatePolicy;
  /** Further policies every promotion must pass (e.g. the shipped `strict` pack). */
  readonly policies?: readonly Policy[];
  /** What the monitor knows of a version (open incidents, drift); none when nothing is monitored. */
  readonly operational?: OperationalSource;
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
  private readonly policies: readonly Policy[];
  private readonly operational: OperationalSource;
  private readonly store: EvidenceStore;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditTrail,
    setup: GateSetup = {},
  ) {
    this.policies = [changeControlPolicy(setup.settings ?? defaultGatePolicy), ...(setup.policies ?? [])];
    this.operational = setup.operational ?? noOperationalEvidence;
    this.store = new EvidenceStore(database, audit);
  }

  /** The evidence document the gate reads for a version (and an alias, when one is being gated). */
  async evidence(model: string, number: number, alias: string | null): Promise<Evidence> {
    const version = await this.version(model, number);
    return versionEvidence(
      this.database,
      this.store,
      this.operational,
      { model, number, alias, ...version },
      modelCardFields,
    );
  }

  private async version(model: string, number: number) {
    const row = await this.database.db
      .selectFrom('model_versions')
      .innerJoin('models', 'models.id', 'model_versions.model_id')
      .select([
        'model_versions.id',
        'model_versions.status',
        'model_versions.artifact_digest as digest',
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

  /** The gate's verdict on pointing `alias` at a version: every policy over its evidence; nothing is changed. */
  async gate(model: string, number: number, alias: string): Promise<GateResult> {
    const evidence = await this.evidence(model, number, alias);
    const decisions = this.policies.map((policy) => evaluatePolicy(policy, evidence));
    const checks = decisions.flatMap((decision) =>
      decision.rules
        .filter((rule) => !rule.skipped)
        .map((rule) => ({ check: rule.id, passed: rule.passed, detail: rule.reason })),
    );
    return { passed: decisions.every((decision) => decision.passed), checks, decisions };
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
          decision: JSON.stringify(gate.decisions),
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
