import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from './database.js';

/** The databases every store test runs on: SQLite always, PostgreSQL when its URL is set (as CI sets it). */
export const testDatabases: readonly { readonly name: string; readonly open: () => Promise<Database> }[] = [
  { name: 'sqlite', open: () => openDatabase({ url: ':memory:' }) },
  ...(process.env.MLSECOPS_TEST_DATABASE_URL
    ? [{ name: 'postgres', open: () => openPostgres(process.env.MLSECOPS_TEST_DATABASE_URL as string) }]
    : []),
];

/** A fresh PostgreSQL schema per test database, dropped when the database is closed. */
async function openPostgres(url: string): Promise<Database> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ url, schema });
  return {
    ...database,
    async close() {
      await database.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
