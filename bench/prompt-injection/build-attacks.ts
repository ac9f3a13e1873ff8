/**
 * Builds the attack half of the prompt-injection benchmark: reads each public source file listed in
 * ./sources.ts from bench/.data/prompt-injection/sources/<owner>__<repo>/<path>, takes out the prompts
 * (placeholder "[INSERT PROMPT HERE]" removed, nothing else changed) and writes them, one JSON object per
 * line, to bench/.data/prompt-injection/attacks.jsonl. Then it checks every prompt against the SHA-256s in
 * bench/prompt-injection/sources.json, so a rebuilt set is known to be the set that was scored.
 *
 *   npx tsx bench/prompt-injection/build-attacks.ts --fetch        # download the pinned files, build, verify
 *   npx tsx bench/prompt-injection/build-attacks.ts                # files already in place: build, verify
 *   npx tsx bench/prompt-injection/build-attacks.ts --write-manifest   # (re)write sources.json from the files
 *   npx biome check --write bench/prompt-injection/sources.json         # then, to keep it in the repo's format
 *
 * Source files are third-party text: they and attacks.jsonl stay under bench/.data (gitignored).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ATTACKS_PATH,
  localPath,
  MANIFEST_PATH,
  type Manifest,
  type ManifestSource,
  PLACEHOLDER,
  type PromptRecord,
  REBUILD_HINT,
  rawUrl,
  readManifest,
  SOURCES,
  type SourceSpec,
  sha256,
} from './sources.js';

// --- CSV (RFC 4180: quoted fields, "" for a quote, line breaks inside quotes) ----------------------------

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('empty CSV');
  return rows.map((cells, n) => {
    if (cells.length !== header.length)
      throw new Error(`CSV row ${n + 1}: ${cells.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((name, i) => [name, cells[i]!]));
  });
}

// --- Python list of string literals (as in elemeta's injection_group) -----------------------------------

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
};

/** Reads one '...' or "..." literal (no prefix, not triple-quoted) starting at `start`; returns value and end. */
function pythonString(src: string, start: number): { value: string; end: number } {
  const quote = src[start]!;
  if (src.startsWith(quote.repeat(3), start)) throw new Error(`triple-quoted string at ${start} is not supported`);
  let value = '';
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n') throw new Error(`line break inside a string literal at ${i}`);
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = src[++i]!;
    if (e in SIMPLE_ESCAPES) value += SIMPLE_ESCAPES[e];
    else if (e === 'u' || e === 'x') {
      const width = e === 'u' ? 4 : 2;
      value += String.fromCharCode(Number.parseInt(src.slice(i + 1, i + 1 + width), 16));
      i += width;
    } else if (e === '\n') {
      // line continuation: nothing
    } else value += `\\${e}`; // unknown escapes keep the backslash, as in Python
  }
  throw new Error(`unterminated string literal at ${start}`);
}

/** The list assigned to `variable`: items separated by commas, adjacent literals in an item concatenated. */
function pythonStringList(src: string, variable: string): string[] {
  const at = src.search(new RegExp(`\\b${variable}\\s*=\\s*\\[`));
  if (at < 0) throw new Error(`no "${variable} = [" in the file`);
  const items: string[] = [];
  let current: string | undefined;
  let depth = 0;
  for (let i = src.indexOf('[', at) + 1; i < src.length; ) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const { value, end } = pythonString(src, i);
      current = (current ?? '') + value;
      i = end;
    } else if (c === '#') i = src.indexOf('\n', i);
    else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
    } else if (c === ',' && depth === 0) {
      if (current === undefined) throw new Error(`empty list item before ${i}`);
      items.push(current);
      current = undefined;
      i++;
    } else if (c === ']' && depth === 0) {
      if (current !== undefined) items.push(current);
      return items;
    } else if (/\s/.test(c)) i++;
    else throw new Error(`unexpected ${JSON.stringify(c)} at ${i} in the list`);
  }
  throw new Error(`the list "${variable}" is not closed`);
}

// --- Extraction ----------------------------------------------------------------------------------------

interface Extracted {
  readonly spec: SourceSpec;
  readonly fileText: string;
  readonly rows: { readonly row: string; readonly record: PromptRecord }[];
}

function extract(spec: SourceSpec, fileText: string): Extracted {
  const base = `${spec.repo}@${spec.commit}:${spec.path}`;
  const make = (row: string, text: string) => ({
    row,
    record: { id: `${spec.key}-${row}`, source: `${base}#${row}`, text: text.replaceAll(PLACEHOLDER, '') },
  });
  if (spec.format === 'csv') {
    const records = csvRecords(fileText).filter((r) => !spec.filter || r[spec.filter.column] === spec.filter.value);
    return { spec, fileText, rows: records.map((r) => make(r[spec.rowColumn!]!, r[spec.textColumn!]!)) };
  }
  const list = pythonStringList(fileText, spec.variable!);
  const keep = spec.keep ?? list.map((_, i) => i);
  for (const i of keep) if (i >= list.length) throw new Error(`${spec.key}: index ${i} beyond ${list.length} items`);
  return { spec, fileText, rows: keep.map((i) => make(String(i), list[i]!)) };
}

async function load(spec: SourceSpec, fetchMissing: boolean): Promise<string> {
  const path = localPath(spec);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    if (!fetchMissing) throw new Error(`${path} is missing.\n${REBUILD_HINT}`);
  }
  console.error(`Fetching ${rawUrl(spec)}`);
  const response = await fetch(rawUrl(spec));
  if (!response.ok) throw new Error(`${rawUrl(spec)}: HTTP ${response.status}`);
  const text = await response.text();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return text;
}

function manifestSource(x: Extracted): ManifestSource {
  const { spec } = x;
  return {
    key: spec.key,
    title: spec.title,
    repo: spec.repo,
    path: spec.path,
    commit: spec.commit,
    url: rawUrl(spec),
    license: spec.license,
    fileSha256: sha256(x.fileText),
    fileChars: [...x.fileText].length,
    selection: spec.selection,
    notes: spec.notes,
    count: x.rows.length,
    prompts: x.rows.map(({ row, record }) => ({ id: record.id, row, sha256: sha256(record.text) })),
  };
}

/**
 * Differences between the prompts built now and the manifest: `problems` when the prompts are not the same
 * set in the same order, `warnings` when only the file around them differs (line endings, a final newline).
 */
function compareToManifest(built: readonly ManifestSource[], manifest: Manifest) {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const want of manifest.sources) {
    const got = built.find((s) => s.key === want.key);
    if (!got) {
      problems.push(`${want.key}: source missing`);
      continue;
    }
    if (got.commit !== want.commit) problems.push(`${want.key}: commit ${got.commit}, manifest ${want.commit}`);
    if (got.fileSha256 !== want.fileSha256)
      warnings.push(
        `${want.key}: file SHA-256 ${got.fileSha256.slice(0, 12)}… (${got.fileChars} characters), manifest ${want.fileSha256.slice(0, 12)}… (${want.fileChars})`,
      );
    if (got.count !== want.count) problems.push(`${want.key}: ${got.count} prompts, manifest ${want.count}`);
    const n = Math.min(got.prompts.length, want.prompts.length);
    for (let i = 0; i < n; i++) {
      const a = got.prompts[i]!;
      const b = want.prompts[i]!;
      if (a.id !== b.id || a.sha256 !== b.sha256) problems.push(`${want.key} #${i}: ${a.id} differs from ${b.id}`);
    }
  }
  return { problems, warnings };
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      fetch: { type: 'boolean', default: false },
      'write-manifest': { type: 'boolean', default: false },
    },
  });
  const extracted: Extracted[] = [];
  for (const spec of SOURCES) extracted.push(extract(spec, await load(spec, args.fetch)));
  const records = extracted.flatMap((x) => x.rows.map((r) => r.record));
  const ids = new Set(records.map((r) => r.id));
  if (ids.size !== records.length) throw new Error('duplicate prompt ids');
  mkdirSync(dirname(ATTACKS_PATH), { recursive: true });
  writeFileSync(`${ATTACKS_PATH}.tmp`, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  renameSync(`${ATTACKS_PATH}.tmp`, ATTACKS_PATH);
  const built = extracted.map(manifestSource);
  for (const s of built)
    console.error(`${s.key}: ${s.count} prompts from ${s.repo}@${s.commit.slice(0, 12)}:${s.path}`);
  console.error(`Wrote ${records.length} prompts to ${ATTACKS_PATH}`);

  if (args['write-manifest']) {
    const manifest: Manifest = {
      description:
        'Public prompt-injection and jailbreak prompts scored by bench/prompt-injection/score.ts: each source file at a pinned commit, the rows taken, and the SHA-256 (UTF-8) of every prompt text in order, after removing the placeholder.',
      rebuild: 'npx tsx bench/prompt-injection/build-attacks.ts --fetch',
      placeholder: PLACEHOLDER,
      total: records.length,
      sources: built,
    };
    writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
    console.error(`Wrote ${MANIFEST_PATH}`);
    return;
  }
  const { problems, warnings } = compareToManifest(built, readManifest());
  for (const warning of warnings) console.error(`Note: ${warning}; the prompts are compared one by one below.`);
  if (problems.length) {
    console.error(`The rebuilt set differs from ${MANIFEST_PATH}:\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  } else console.error(`All ${records.length} prompts match ${MANIFEST_PATH}`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
