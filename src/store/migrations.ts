import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The registry's schema as versioned migrations, applied in name order at start. A migration is
 * never edited once released: a change is a new migration. Written with the schema builder so one
 * definition serves SQLite and PostgreSQL; the only difference is how ids are generated.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's type.
  type Db = Kysely<any>;
  const id = dialect === 'postgres' ? ('serial' as const) : ('integer' as const);
  const idColumn = (table: ReturnType<Db['schema']['createTable']>) =>
    dialect === 'postgres'
      ? table.addColumn('id', id, (column) => column.primaryKey())
      : table.addColumn('id', id, (column) => column.primaryKey().autoIncrement());
  return {
    '0001_registry': {
      async up(db: Db) {
        await idColumn(db.schema.createTable('principals'))
          .addColumn('name', 'text', (column) => column.notNull().unique())
          .addColumn('kind', 'text', (column) => column.notNull())
          .addColumn('created_at', 'text', (column) => column.notNull())
          .addColumn('disabled', 'integer', (column) => column.notNull().defaultTo(0))
          .execute();
        await idColumn(db.schema.createTable('tokens'))
          .addColumn('principal_id', 'integer', (column) => column.notNull().references('principals.id'))
          .addColumn('prefix', 'text', (column) => column.notNull())
          .addColumn('hash', 'text', (column) => column.notNull().unique())
          .addColumn('created_at', 'text', (column) => column.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('last_used_at', 'text')
          .execute();
        await idColumn(db.schema.createTable('role_bindings'))
          .addColumn('principal_id', 'integer', (column) => column.notNull().references('principals.id'))
          .addColumn('scope', 'text', (column) => column.notNull())
          .addColumn('role', 'text', (column) => column.notNull())
          .addUniqueConstraint('role_bindings_unique', ['principal_id', 'scope', 'role'])
          .execute();
        await idColumn(db.schema.createTable('models'))
          .addColumn('name', 'text', (column) => column.notNull().unique())
          .addColumn('description', 'text', (column) => column.notNull())
          .addColumn('created_at', 'text', (column) => column.notNull())
          .addColumn('created_by', 'integer', (column) => column.notNull().references('principals.id'))
          .execute();
        await idColumn(db.schema.createTable('model_versions'))
          .addColumn('model_id', 'integer', (column) => column.notNull().references('models.id'))
          .addColumn('number', 'integer', (column) => column.notNull())
          .addColumn('status', 'text', (column) => column.notNull())
          .addColumn('artifact_digest', 'text')
          .addColumn('artifact_size', 'bigint')
          .addColumn('metadata', 'text', (column) => column.notNull())
          .addColumn('created_at', 'text', (column) => column.notNull())
          .addColumn('created_by', 'integer', (column) => column.notNull().references('principals.id'))
          .addUniqueConstraint('model_versions_number', ['model_id', 'number'])
          .execute();
        await db.schema
          .createTable('aliases')
          .addColumn('model_id', 'integer', (column) => column.notNull().references('models.id'))
          .addColumn('name', 'text', (column) => column.notNull())
          .addColumn('version_id', 'integer', (column) => column.notNull().references('model_versions.id'))
          .addColumn('updated_at', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('aliases_pk', ['model_id', 'name'])
          .execute();
        await idColumn(db.schema.createTable('alias_history'))
          .addColumn('model_id', 'integer', (column) => column.notNull().references('models.id'))
          .addColumn('name', 'text', (column) => column.notNull())
          .addColumn('version_id', 'integer')
          .addColumn('moved_at', 'text', (column) => column.notNull())
          .addColumn('moved_by', 'integer', (column) => column.notNull().references('principals.id'))
          .execute();
        await db.schema
          .createTable('audit_entries')
          .addColumn('seq', 'integer', (column) => column.primaryKey())
          .addColumn('at', 'text', (column) => column.notNull())
          .addColumn('kind', 'text', (column) => column.notNull())
          .addColumn('actor', 'integer')
          .addColumn('body', 'text', (column) => column.notNull())
          .execute();
        await db.schema
          .createIndex('alias_history_lookup')
          .on('alias_history')
          .columns(['model_id', 'name', 'moved_at'])
          .execute();
      },
    },
    '0002_approvals_and_gates': {
      async up(db: Db) {
        await idColumn(db.schema.createTable('approvals'))
          .addColumn('version_id', 'integer', (column) => column.notNull().references('model_versions.id'))
          .addColumn('principal_id', 'integer', (column) => column.notNull().references('principals.id'))
          .addColumn('decision', 'text', (column) => column.notNull())
          .addColumn('comment', 'text', (column) => column.notNull())
          .addColumn('decided_at', 'text', (column) => column.notNull())
          .addUniqueConstraint('approvals_once', ['version_id', 'principal_id'])
          .execute();
        await idColumn(db.schema.createTable('gate_results'))
          .addColumn('version_id', 'integer', (column) => column.notNull().references('model_versions.id'))
          .addColumn('alias', 'text', (column) => column.notNull())
          .addColumn('passed', 'integer', (column) => column.notNull())
          .addColumn('checks', 'text', (column) => column.notNull())
          .addColumn('decided_at', 'text', (column) => column.notNull())
          .addColumn('requested_by', 'integer', (column) => column.notNull().references('principals.id'))
          .execute();
      },
    },
    '0003_audit_head': {
      async up(db: Db) {
        // One row counting the audit log's entries: appenders take the next number by incrementing
        // it inside their transaction, which serializes them on every database.
        await db.schema
          .createTable('audit_head')
          .addColumn('id', 'integer', (column) => column.primaryKey())
          .addColumn('size', 'integer', (column) => column.notNull())
          .execute();
        await db.insertInto('audit_head').values({ id: 1, size: 0 }).execute();
      },
    },
    '0004_gateway_events': {
      async up(db: Db) {
        // One row per gateway request, appended in batches; the monitor reads windows by time and model.
        await idColumn(db.schema.createTable('gateway_events'))
          .addColumn('at', 'text', (column) => column.notNull())
          .addColumn('model', 'text', (column) => column.notNull())
          .addColumn('caller', 'text')
          .addColumn('status', 'integer', (column) => column.notNull())
          .addColumn('latency_ms', 'real', (column) => column.notNull())
          .addColumn('verdicts', 'text', (column) => column.notNull())
          .addColumn('body_sha256', 'text')
          .addColumn('scores', 'text')
          .addColumn('inputs', 'text')
          .execute();
        await db.schema.createIndex('gateway_events_model_at').on('gateway_events').columns(['model', 'at']).execute();
      },
    },
    '0005_monitor': {
      async up(db: Db) {
        // The reference profile each monitored model version is checked against, and its window.
        await idColumn(db.schema.createTable('monitor_references'))
          .addColumn('model', 'text', (column) => column.notNull())
          .addColumn('version', 'integer', (column) => column.notNull())
          .addColumn('profile', 'text', (column) => column.notNull())
          .addColumn('settings', 'text', (column) => column.notNull())
          .addColumn('created_at', 'text', (column) => column.notNull())
          .addUniqueConstraint('monitor_references_model_version', ['model', 'version'])
          .execute();
        // Every drift check: over a window of gateway events or an uploaded batch.
        await idColumn(db.schema.createTable('monitor_checks'))
          .addColumn('model', 'text', (column) => column.notNull())
          .addColumn('version', 'integer', (column) => column.notNull())
          .addColumn('source', 'text', (column) => column.notNull())
          .addColumn('window_start', 'text', (column) => column.notNull())
          .addColumn('window_end', 'text', (column) => column.notNull())
          .addColumn('rows', 'integer', (column) => column.notNull())
          .addColumn('share', 'real', (column) => column.notNull())
          .addColumn('drifted', 'integer', (column) => column.notNull())
          .addColumn('report', 'text', (column) => column.notNull())
          .addColumn('signals', 'text', (column) => column.notNull())
          .addColumn('at', 'text', (column) => column.notNull())
          .execute();
        await db.schema.createIndex('monitor_checks_model_at').on('monitor_checks').columns(['model', 'at']).execute();
        await idColumn(db.schema.createTable('alert_rules'))
          .addColumn('name', 'text', (column) => column.notNull().unique())
          .addColumn('definition', 'text', (column) => column.notNull())
          .addColumn('created_at', 'text', (column) => column.notNull())
          .execute();
        // One row per rule and model while its condition holds or held: pending → firing → resolved.
        await idColumn(db.schema.createTable('alerts'))
          .addColumn('rule_id', 'integer', (column) => column.notNull().references('alert_rules.id'))
          .addColumn('model', 'text', (column) => column.notNull())
          .addColumn('state', 'text', (column) => column.notNull())
          .addColumn('value', 'real')
          .addColumn('since', 'text', (column) => column.notNull())
          .addColumn('fired_at', 'text')
          .addColumn('resolved_at', 'text')
          .addColumn('incident_id', 'integer')
          .execute();
        await idColumn(db.schema.createTable('incidents'))
          .addColumn('title', 'text', (column) => column.notNull())
          .addColumn('model', 'text')
          .addColumn('severity', 'text', (column) => column.notNull())
          .addColumn('status', 'text', (column) => column.notNull())
          .addColumn('opened_at', 'text', (column) => column.notNull())
          .addColumn('updated_at', 'text', (column) => column.notNull())
          .addColumn('source', 'text', (column) => column.notNull())
          .execute();
        await idColumn(db.schema.createTable('incident_events'))
          .addColumn('incident_id', 'integer', (column) => column.notNull().references('incidents.id'))
          .addColumn('at', 'text', (column) => column.notNull())
          .addColumn('kind', 'text', (column) => column.notNull())
          .addColumn('actor', 'text')
          .addColumn('note', 'text', (column) => column.notNull())
          .execute();
      },
    },
    '0006_predictions_and_labels': {
      async up(db: Db) {
        // Predictions and request ids beside the inputs, and labels that arrive later, joined by id.
        await db.schema.alterTable('gateway_events').addColumn('outputs', 'text').execute();
        await db.schema.alterTable('gateway_events').addColumn('request_id', 'text').execute();
        await db.schema.createIndex('gateway_events_request_id').on('gateway_events').column('request_id').execute();
        await idColumn(db.schema.createTable('monitor_labels'))
          .addColumn('model', 'text', (column) => column.notNull())
          .addColumn('request_id', 'text', (column) => column.notNull())
          .addColumn('label', 'text', (column) => column.notNull())
          .addColumn('at', 'text', (column) => column.notNull())
          .addUniqueConstraint('monitor_labels_request', ['model', 'request_id'])
          .execute();
      },
    },
    '0007_evidence': {
      async up(db: Db) {
        // Evidence attached to a version (the registry's scan report, data scans, assessments,
        // attestations): the documents themselves, so gates and reports read them, never re-derive them.
        await idColumn(db.schema.createTable('version_evidence'))
          .addColumn('version_id', 'integer', (column) => column.notNull().references('model_versions.id'))
          .addColumn('kind', 'text', (column) => column.notNull())
          .addColumn('name', 'text', (column) => column.notNull())
          .addColumn('digest', 'text', (column) => column.notNull())
          .addColumn('summary', 'text', (column) => column.notNull())
          .addColumn('document', 'text', (column) => column.notNull())
          .addColumn('created_at', 'text', (column) => column.notNull())
          .addColumn('created_by', 'integer', (column) => column.references('principals.id'))
          .execute();
        await db.schema.createIndex('version_evidence_version').on('version_evidence').column('version_id').execute();
        // The policy engine's whole decision beside the per-check summary kept since 0002.
        await db.schema.alterTable('gate_results').addColumn('decision', 'text').execute();
      },
    },
  };
}

class CodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/** Applies every pending migration; throws with the failing migration's name and error. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<string[]> {
  // With a schema named, the migration bookkeeping tables live in it too: looked up anywhere else they
  // would be found in another schema of the same database and this one left unmigrated.
  const migrator = new Migrator({
    db,
    provider: new CodeMigrations(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
