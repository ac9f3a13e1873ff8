import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Finding } from '../../contracts/index.js';
import { readRecords } from '../readers/csv.js';
import { maxJsonDocument } from '../readers/json.js';
import { sniffDatasetFile } from '../readers/open.js';
import { applyMasks, indexMasks, type Mask, type MaskIndex } from './spans.js';

/**
 * Writes a copy of one dataset with every finding's span replaced by `[ENTITY]`: the same format, the
 * same records in the same order (counted exactly as the scan counted them, so rows line up), the
 * original never opened for writing. Returns false for formats it cannot rewrite.
 */
export async function redactFile(path: string, findings: readonly Finding[], out: string): Promise<boolean> {
  const masks = indexMasks(findings.filter((finding) => finding.location.path === path));
  const { format, delimiter, crlf } = await sniffDatasetFile(path);
  if (delimiter !== undefined) await redactDelimited(path, delimiter, masks, out);
  else if (format === 'jsonl') await redactLines(path, masks, out, crlf, redactJsonLine);
  else if (format === 'json') await redactJsonDocument(path, masks, out, crlf);
  else if (format === 'text') await redactLines(path, masks, out, crlf, redactText);
  else return false;
  return true;
}

async function redactDelimited(path: string, delimiter: string, masks: MaskIndex, out: string): Promise<void> {
  const writer = stringify({ delimiter });
  const sink = writer.pipe(createWriteStream(out));
  let header: string[] | undefined;
  let row = 0;
  // The scan's own record reader, so rows here are the rows the findings name.
  const records = readRecords(path, delimiter, { signal: new AbortController().signal, onIssue: () => {} });
  for await (const batch of records) {
    for (const record of batch) {
      if (!header) {
        header = record.map((name, index) => name.trim() || `column_${index + 1}`);
        writer.write(record);
        continue;
      }
      const byColumn = masks.get(row);
      const written = byColumn
        ? record.map((value, index) => applyMasks(value, byColumn.get(header?.[index] ?? '')))
        : record;
      if (!writer.write(written)) await new Promise<void>((resolve) => writer.once('drain', () => resolve()));
      row++;
    }
  }
  writer.end();
  await finished(sink);
}

type LineRedactor = (line: string, byColumn: Map<string, Mask[]> | undefined) => string;

/** Line formats keep each line's own ending; rows count the lines the readers count. */
async function redactLines(
  path: string,
  masks: MaskIndex,
  out: string,
  crlf: boolean,
  redact: LineRedactor,
): Promise<void> {
  const sink = createWriteStream(out);
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let row = 0;
  const jsonLines = redact === redactJsonLine;
  for await (const line of lines) {
    const blank = jsonLines && line.trim() === '';
    const text = blank ? line : redact(line, masks.get(row));
    if (!sink.write(`${text}${crlf ? '\r\n' : '\n'}`))
      await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
    if (!blank) row++;
  }
  sink.end();
  await finished(sink);
}

function redactJsonLine(line: string, byColumn: Map<string, Mask[]> | undefined): string {
  if (!byColumn) return line;
  try {
    return JSON.stringify(redactLeaves(JSON.parse(line), byColumn));
  } catch {
    return applyMasks(line, byColumn.get(''));
  }
}

const redactText: LineRedactor = (line, byColumn) => applyMasks(line, byColumn?.get(''));

async function redactJsonDocument(path: string, masks: MaskIndex, out: string, crlf: boolean): Promise<void> {
  const text = (await readFile(path, 'utf8')).replace(/^\ufeff/, '');
  let document: unknown;
  try {
    if (text.length > maxJsonDocument) throw new Error('too large');
    document = JSON.parse(text);
  } catch {
    // The scan read this file as text lines; redact it the same way.
    await redactLines(path, masks, out, crlf, redactText);
    return;
  }
  const redacted = Array.isArray(document)
    ? document.map((record, row) => redactLeaves(record, masks.get(row)))
    : redactLeaves(document, masks.get(0));
  await writeFile(out, `${JSON.stringify(redacted, null, 2)}\n`);
}

/** Rebuilds a JSON value with masked string leaves; paths are the ones the reader gave the scan. */
function redactLeaves(value: unknown, byColumn: Map<string, Mask[]> | undefined, path = ''): unknown {
  if (!byColumn) return value;
  if (typeof value === 'string') return applyMasks(value, byColumn.get(path));
  if (typeof value === 'number' || typeof value === 'bigint') {
    const masks = byColumn.get(path);
    return masks ? applyMasks(String(value), masks) : value;
  }
  if (Array.isArray(value)) return value.map((item, i) => redactLeaves(item, byColumn, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactLeaves(item, byColumn, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
