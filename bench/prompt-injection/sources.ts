/**
 * The public attack prompts of the prompt-injection benchmark: where each set is published (repository,
 * path, commit), how its prompts are read out of the file, and where the copies live on disk. Third-party
 * text stays in bench/.data/prompt-injection (gitignored); bench/prompt-injection/sources.json (committed)
 * records the SHA-256 of every prompt, in order, so a later run can check it scores the same set.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_DIR = join('bench', '.data', 'prompt-injection');
export const ATTACKS_PATH = join(DATA_DIR, 'attacks.jsonl');
export const MANIFEST_PATH = join('bench', 'prompt-injection', 'sources.json');
export const BENIGN_PATH = join('bench', 'prompt-injection', 'benign.jsonl');

/** Published jailbreak templates end with this slot for the harmful question; it is removed, the rest kept. */
export const PLACEHOLDER = '[INSERT PROMPT HERE]';

export interface PromptRecord {
  readonly id: string;
  readonly source: string;
  readonly text: string;
}

export interface SourceSpec {
  /** Short key, also the prefix of every prompt id from this source. */
  readonly key: string;
  readonly title: string;
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly license: string;
  readonly format: 'csv' | 'python-list';
  /** CSV: the column holding the prompt and the column that identifies a row. */
  readonly textColumn?: string;
  readonly rowColumn?: string;
  /** CSV: keep only rows whose `column` equals `value`. */
  readonly filter?: { readonly column: string; readonly value: string };
  /** Python list: the variable holding the list, and the indices (0-based) that are kept. */
  readonly variable?: string;
  readonly keep?: readonly number[];
  readonly selection: string;
  readonly notes: readonly string[];
}

/**
 * English rows of the deepset/prompt-injections train split (label 1) as elemeta copies them: every row in
 * English apart from quoted payloads and proper nouns. Rows in or mixed with German, Spanish, French,
 * Croatian, Russian, romanised Hindi or Khmer are left out (97 of 203).
 */
const DEEPSET_ENGLISH = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
  32, 33, 34, 71, 72, 74, 75, 76, 79, 81, 82, 83, 84, 85, 87, 88, 89, 91, 92, 94, 95, 97, 98, 99, 100, 101, 102, 104,
  105, 107, 108, 109, 110, 111, 114, 115, 116, 118, 119, 121, 123, 124, 126, 128, 129, 130, 131, 132, 134, 135, 137,
  138, 139, 141, 142, 144, 145, 146, 152, 155, 157, 159, 164, 165, 169, 171, 174, 177, 181, 184, 186, 192, 195, 199,
];

export const SOURCES: readonly SourceSpec[] = [
  {
    key: 'jailbreakchat',
    title: 'jailbreakchat.com prompt collection (copy in SHIELD)',
    repo: 'xz-liu/SHIELD',
    path: 'jailbreak_prompts.csv',
    commit: '893ae46e434f9885bf768879c122e86a1e0e4dee',
    license: 'MIT (repository LICENSE, © 2024 Xiaoze Liu); the prompts were collected from jailbreakchat.com',
    format: 'csv',
    textColumn: 'text',
    rowColumn: 'id',
    selection: 'every row (ids 2–80; 1 and 63 are absent from the file)',
    notes: [`"${PLACEHOLDER}" removed from each prompt, nothing else changed`],
  },
  {
    key: 'giskard',
    title: 'Giskard prompt injections (garak DAN family + PromptInject hijacking)',
    repo: 'Giskard-AI/prompt-injections',
    path: 'prompt_injections.csv',
    commit: 'ce50a549dadc46b48c931250d2dd71d5f003c0c2',
    license: 'MIT (repository LICENSE, © 2023 Giskard); rows from leondz/garak (Apache-2.0) and PromptInject (MIT)',
    format: 'csv',
    textColumn: 'prompt',
    rowColumn: 'index',
    filter: { column: 'language', value: 'en' },
    selection: 'rows with language "en" (all 35 at this commit: 20 "Jailbreak", 15 "Hijacking attacks")',
    notes: [
      'every row is an attack (group column); the file has no benign rows',
      'row 10 ends with an unbracketed "INSERT PROMPT HERE", kept as published',
      'later commits of this file are much larger (538,846 characters at a4d54989); this set is the 35-row version',
    ],
  },
  {
    key: 'deepset',
    title: 'deepset/prompt-injections, train split, label 1 (as copied into elemeta)',
    repo: 'superwise-ai/elemeta',
    path: 'elemeta/nlp/extractors/high_level/injection_similarity.py',
    commit: 'b86f7b6df4300ca663fe3c95f4e7164cd4f7f754',
    license:
      'MIT (elemeta LICENSE, © 2023 Superwise); the rows are from huggingface.co/datasets/deepset/prompt-injections (Apache-2.0)',
    format: 'python-list',
    variable: 'injection_group',
    keep: DEEPSET_ENGLISH,
    selection: `${DEEPSET_ENGLISH.length} of the 203 items of injection_group: the English ones (index = position in the list)`,
    notes: [
      'the 203 items are the 203 injection-labelled rows of the deepset train split, in order; the split also has 343 benign rows, not used here (our own benign set is used instead)',
      'the dataset itself is published as Parquet on Hugging Face; no text copy of it was found in the stored GitHub index, so this Python copy is used',
    ],
  },
];

export const rawUrl = (s: SourceSpec) => `https://raw.githubusercontent.com/${s.repo}/${s.commit}/${s.path}`;
export const localPath = (s: SourceSpec) => join(DATA_DIR, 'sources', s.repo.replace('/', '__'), s.path);
export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface ManifestEntry {
  readonly id: string;
  readonly row: string;
  readonly sha256: string;
}

export interface ManifestSource {
  readonly key: string;
  readonly title: string;
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly url: string;
  readonly license: string;
  readonly fileSha256: string;
  readonly fileChars: number;
  readonly selection: string;
  readonly notes: readonly string[];
  readonly count: number;
  readonly prompts: readonly ManifestEntry[];
}

export interface Manifest {
  readonly description: string;
  readonly rebuild: string;
  readonly placeholder: string;
  readonly total: number;
  readonly sources: readonly ManifestSource[];
}

export function readManifest(path = MANIFEST_PATH): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** One JSON object per non-empty line; fails on the first line that is not a {id, source, text} record. */
export function readJsonl(path: string): PromptRecord[] {
  const out: PromptRecord[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const record = JSON.parse(line) as Partial<PromptRecord>;
    if (typeof record.id !== 'string' || typeof record.source !== 'string' || typeof record.text !== 'string')
      throw new Error(`${path}:${i + 1}: expected {"id", "source", "text"} strings`);
    out.push(record as PromptRecord);
  }
  return out;
}

export const REBUILD_HINT = [
  `The attack set is third-party text and is not committed. Rebuild ${ATTACKS_PATH} with`,
  '  npx tsx bench/prompt-injection/build-attacks.ts --fetch',
  `which downloads each source file at its pinned commit (URLs in ${MANIFEST_PATH}) into`,
  `${join(DATA_DIR, 'sources')}/<owner>__<repo>/<path>, extracts the prompts and checks them against the`,
  'manifest. Without network access, put the files there by hand and run it without --fetch.',
].join('\n');

export function requireFile(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing.\n${REBUILD_HINT}`);
}
