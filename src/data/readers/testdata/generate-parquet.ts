/**
 * Writes the Parquet fixtures for parquet.test.ts. Debian bookworm has no python3-pyarrow, so the files
 * are written with hyparquet-writer (devDependency). GZIP pages use node:zlib, ZSTD pages the `zstd`
 * command-line tool (Debian package zstd) with the content size in the frame header, as pyarrow writes them.
 *
 *   npx tsx src/data/readers/testdata/generate-parquet.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { CompressionCodec, SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';

const here = dirname(fileURLToPath(import.meta.url));

const utf8 = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});

const schema: SchemaElement[] = [
  { name: 'root', num_children: 9 },
  utf8('name'),
  utf8('email'),
  { name: 'age', type: 'INT32', repetition_type: 'OPTIONAL' },
  { name: 'balance', type: 'INT64', repetition_type: 'OPTIONAL' },
  { name: 'score', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'active', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
  { name: 'created', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'OPTIONAL' },
  // struct<name: string, contact: struct<email: string>>
  { name: 'user', repetition_type: 'OPTIONAL', num_children: 2 },
  utf8('name'),
  { name: 'contact', repetition_type: 'OPTIONAL', num_children: 1 },
  utf8('email'),
  // list<struct<kind: string, ip: string>>, three-level list as pyarrow writes it
  { name: 'events', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
  utf8('kind'),
  utf8('ip'),
];

/** Five rows; with three rows per group, rows 3 and 4 are in the second row group. */
const columns = {
  name: ['Alice', 'Bob', null, 'Dora', 'Eve'],
  email: ['alice@example.com', null, 'carol@example.net', '', 'eve@example.org'],
  age: [34, null, 51, 28, 45],
  balance: [1n, -2n, null, 9007199254740993n, 0n],
  score: [0.5, 1.25, null, -3.75, 100],
  active: [true, false, null, true, false],
  created: [new Date('2024-01-02T03:04:05.000Z'), null, new Date('2023-12-31T23:59:59.999Z'), null, null],
  user: [
    { name: 'Alice A', contact: { email: 'alice.a@example.org' } },
    null,
    { name: 'Carol C', contact: null },
    { name: null, contact: { email: 'dora@example.com' } },
    null,
  ],
  events: [
    [{ kind: 'login', ip: '10.0.0.1' }],
    [],
    null,
    [
      { kind: 'login', ip: '192.168.1.7' },
      { kind: 'logout', ip: null },
      { kind: 'login', ip: '2001:db8::1' },
    ],
    null,
  ],
};

function write(codec: CompressionCodec): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: Object.entries(columns).map(([name, data]) => ({ name, data })),
    schema,
    codec,
    compressors: {
      GZIP: (input) => gzipSync(input),
      ZSTD: (input) =>
        execFileSync('zstd', ['-q', '-c', `--stream-size=${input.length}`], { input, maxBuffer: 1 << 28 }),
    },
    rowGroupSize: 3,
    createdBy: 'mlsecops test fixture generator (hyparquet-writer)',
  });
  return new Uint8Array(buffer);
}

const snappy = write('SNAPPY');
writeFileSync(join(here, 'snappy.parquet'), snappy);
writeFileSync(join(here, 'gzip.parquet'), write('GZIP'));
writeFileSync(join(here, 'zstd.parquet'), write('ZSTD'));
writeFileSync(join(here, 'uncompressed.parquet'), write('UNCOMPRESSED'));

// Cut in the middle: the footer is gone.
writeFileSync(join(here, 'truncated.parquet'), snappy.subarray(0, Math.floor(snappy.length / 2)));

// Footer intact, but the first column chunk ('name' of row group 0) overwritten with 0xff: that
// chunk is reported and every other chunk is still read.
const damaged = Uint8Array.from(snappy);
damaged.fill(0xff, 4, 24);
writeFileSync(join(here, 'damaged-chunk.parquet'), damaged);
