/**
 * Writes the version-1 data page fixtures for parquet.test.ts with DuckDB, which writes Parquet as most
 * producers do (pyarrow, Spark): DATA_PAGE version 1 with run-length levels, dictionary pages and
 * dictionary-encoded values, DELTA encodings, nested lists and structs. generate-parquet.ts covers
 * version-2 pages. DuckDB is not a dependency of the project; install it beside this script's run:
 *
 *   cd "$(mktemp -d)" && npm install @duckdb/node-api@1.5.6-r.1 && \
 *     node <repo>/src/data/readers/testdata/generate-duckdb-parquet.mjs
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Resolved from the working directory, where it was installed.
const require = createRequire(join(process.cwd(), 'package.json'));
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'));

const db = await DuckDBInstance.create(':memory:');
const connection = await db.connect();
// 600 rows: nulls every 7th name and 5th group, a list with nulls every 11th row, a struct per row.
await connection.run(`
  CREATE TABLE people AS SELECT
    i AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE 'user' || (i % 13) END AS name,
    CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 3)::INTEGER END AS grp,
    CASE WHEN i % 11 = 0 THEN NULL ELSE [i % 4, i % 9] END AS tags,
    {'email': 'u' || (i % 17) || '@example.com', 'n': i} AS contact
  FROM range(600) r(i)`);
// Dictionary-encoded (PLAIN_DICTIONARY), snappy; and with DuckDB's version-2 encodings (RLE_DICTIONARY,
// DELTA_BINARY_PACKED), gzip. Both still write version-1 data pages.
await connection.run(
  `COPY people TO '${join(here, 'v1-dictionary.parquet')}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 250)`,
);
await connection.run(
  `COPY people TO '${join(here, 'v1-delta.parquet')}' (FORMAT parquet, COMPRESSION gzip, PARQUET_VERSION v2, ROW_GROUP_SIZE 250)`,
);
