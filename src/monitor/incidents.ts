import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Severity } from '../contracts/index.js';
import type { Database, RegistrySchema } from '../store/index.js';

type Executor = Kysely<RegistrySchema> | Transaction<RegistrySchema>;

/** Where incident transitions are recorded: the registry's tamper-evident audit trail. */
export interface AuditSink {
  append(
    executor: Executor,
    event: { kind: string; actor: { id: number; name: string } | null; details: Record<string, unknown> },
  ): Promise<number>;
}

export type Actor = { readonly id: number; readonly name: string } | null;
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

export interface Incident {
  readonly id: number;
  readonly title: string;
  readonly model: string | null;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly source: string;
  readonly timeline?: readonly { at: string; kind: string; actor: string | null; note: string }[];
}

export class IncidentError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT',
    message: string,
  ) {
    super(message);
    this.name = 'IncidentError';
  }
}

/** Allowed moves: open → acknowledged → resolved, open → resolved; a resolved incident stays resolved. */
const NEXT: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
};

/**
 * Incidents and their timelines. Every transition and note is written in one transaction with its
 * audit-trail entry (`incident.opened`, `incident.acknowledged`, `incident.resolved`, `incident.note`),
 * so the trail and the table cannot disagree.
 */
export class Incidents {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditSink,
  ) {}

  async open(
    input: { title: string; model: string | null; severity: Severity; source: string; note: string },
    actor: Actor,
  ): Promise<number> {
    const at = new Date().toISOString();
    return this.database.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('incidents')
        .values({
          title: input.title,
          model: input.model,
          severity: input.severity,
          status: 'open',
          opened_at: at,
          updated_at: at,
          source: input.source,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      await this.record(tx, id, 'opened', input.note, actor, at, {
        title: input.title,
        model: input.model,
        severity: input.severity,
        source: input.source,
      });
      return id;
    });
  }

  async transition(id: number, status: 'acknowledged' | 'resolved', note: string, actor: Actor): Promise<Incident> {
    await this.database.db.transaction().execute(async (tx) => {
      const current = await tx.selectFrom('incidents').select('status').where('id', '=', id).executeTakeFirst();
      if (!current) throw new IncidentError('NOT_FOUND', `no incident ${id}`);
      if (!NEXT[current.status].includes(status)) {
        throw new IncidentError('CONFLICT', `incident ${id} is ${current.status}; it cannot become ${status}`);
      }
      const at = new Date().toISOString();
      await tx.updateTable('incidents').set({ status, updated_at: at }).where('id', '=', id).execute();
      await this.record(tx, id, status, note, actor, at);
    });
    return this.get(id);
  }

  async note(id: number, note: string, actor: Actor, kind = 'note'): Promise<void> {
    await this.database.db.transaction().execute(async (tx) => {
      const found = await tx.selectFrom('incidents').select('id').where('id', '=', id).executeTakeFirst();
      if (!found) throw new IncidentError('NOT_FOUND', `no incident ${id}`);
      const at = new Date().toISOString();
      await tx.updateTable('incidents').set({ updated_at: at }).where('id', '=', id).execute();
      await this.record(tx, id, kind, note, actor, at);
    });
  }

  /** One step of an incident: its timeline row and its audit entry (`incident.<kind>`), in `tx`. */
  private async record(
    tx: Transaction<RegistrySchema>,
    id: number,
    kind: string,
    note: string,
    actor: Actor,
    at: string,
    details: Record<string, unknown> = { note },
  ): Promise<void> {
    await tx
      .insertInto('incident_events')
      .values({ incident_id: id, at, kind, actor: actor?.name ?? null, note })
      .execute();
    await this.audit.append(tx, { kind: `incident.${kind}`, actor, details: { incident: id, ...details } });
  }

  async get(id: number): Promise<Incident> {
    const row = await this.database.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new IncidentError('NOT_FOUND', `no incident ${id}`);
    const timeline = await this.database.db
      .selectFrom('incident_events')
      .select(['at', 'kind', 'actor', 'note'])
      .where('incident_id', '=', id)
      .orderBy('id')
      .execute();
    return { ...toIncident(row), timeline };
  }

  async list(filter: { status?: IncidentStatus; model?: string } = {}, limit = 100): Promise<Incident[]> {
    let query = this.database.db.selectFrom('incidents').selectAll().orderBy('id', 'desc').limit(limit);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.model) query = query.where('model', '=', filter.model);
    return (await query.execute()).map(toIncident);
  }
}

function toIncident(row: Selectable<RegistrySchema['incidents']>): Incident {
  return {
    id: Number(row.id),
    title: row.title,
    model: row.model,
    severity: row.severity,
    status: row.status,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    source: row.source,
  };
}
