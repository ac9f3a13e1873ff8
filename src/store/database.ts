import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { type Dialect, migrateToLatest } from './migrations.js';
import type { RegistrySchema } from './schema.js';

export interface Database {
  readonly db: Kysely<RegistrySchema>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /**
   * `postgres://…` for PostgreSQL; anything else is a SQLite file path (`:memory:` for a throwaway
   * database). Default `./.mlsecops/registry.db`.
   */
  readonly url?: string;
  /** PostgreSQL schema to use (created if missing): lets test runs share one database. */
  readonly schema?: string;
}

export const DEFAULT_SQLITE_PATH = '.mlsecops/registry.db';

/**
 * Opens the registry database and applies pending migrations. SQLite runs in WAL mode with foreign
 * keys on and a busy timeout, so concurrent requests queue instead of failing; PostgreSQL uses a pool.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? DEFAULT_SQLITE_PATH;
  if (/^postgres(ql)?:\/\//.test(url)) {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
      throw new Error(`bad PostgreSQL schema name ${JSON.stringify(options.schema)}`);
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    if (options.schema) await pool.query(`create schema if not exists ${options.schema}`);
    const db = new Kysely<RegistrySchema>({ dialect: new PostgresDialect({ pool }) });
    await migrateToLatest(db as Kysely<unknown>, 'postgres', options.schema);
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (url !== ':memory:') mkdirSync(dirname(url), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<RegistrySchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
