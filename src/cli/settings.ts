import { z } from 'zod';
import { severitySchema } from '../contracts/index.js';

/**
 * Every command-line setting is defined once: its flag, its environment variable, its default and its
 * schema. Resolution order: flag, then environment, then default; the result is validated here so a
 * bad value is reported before any work starts.
 */
export interface Setting<T> {
  readonly flag: string;
  readonly env: string;
  readonly description: string;
  readonly schema: z.ZodType<T>;
  readonly defaultValue: T;
}

const setting = <T>(
  flag: string,
  env: string,
  description: string,
  schema: z.ZodType<T>,
  defaultValue: T,
): Setting<T> => ({
  flag,
  env,
  description,
  schema,
  defaultValue,
});

const count = z.coerce.number().int().positive();
export const outputFormats = ['table', 'json', 'sarif', 'markdown'] as const;

/** Settings every reporting command shares: where the report goes and when it fails the build. */
export const outputSettings = {
  format: setting(
    '--format <format>',
    'MLSECOPS_FORMAT',
    `output format: ${outputFormats.join(', ')}`,
    z.enum(outputFormats),
    'table',
  ),
  output: setting(
    '--output <file>',
    'MLSECOPS_OUTPUT',
    'write the report to a file instead of stdout',
    z.string().min(1).optional(),
    undefined,
  ),
  failOn: setting(
    '--fail-on <severity>',
    'MLSECOPS_FAIL_ON',
    'exit 1 when a finding is at or above this severity',
    severitySchema,
    'high',
  ),
  progress: setting(
    '--no-progress',
    'MLSECOPS_PROGRESS',
    'do not show progress on stderr',
    z.union([z.boolean(), z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true')]),
    true,
  ),
} as const;

export const scanSettings = {
  ...outputSettings,
  allow: setting(
    '--allow <file>',
    'MLSECOPS_ALLOW',
    'allowlist of pickle globals (YAML or JSON)',
    z.string().min(1).optional(),
    undefined,
  ),
  maxDepth: setting('--max-depth <n>', 'MLSECOPS_MAX_DEPTH', 'container nesting limit', count, 10),
  maxDecompressedBytes: setting(
    '--max-decompressed-bytes <n>',
    'MLSECOPS_MAX_DECOMPRESSED_BYTES',
    'bytes one compressed object may expand to',
    count,
    512 * 1024 * 1024,
  ),
  maxMembers: setting('--max-members <n>', 'MLSECOPS_MAX_MEMBERS', 'members read from one archive', count, 100_000),
  timeoutMs: setting(
    '--timeout-ms <n>',
    'MLSECOPS_TIMEOUT_MS',
    'time budget per file, in milliseconds',
    count,
    120_000,
  ),
  maxPickleStack: setting(
    '--max-pickle-stack <n>',
    'MLSECOPS_MAX_PICKLE_STACK',
    'pickle stack and MARK depth limit',
    count,
    1_000_000,
  ),
  maxPickleMemo: setting(
    '--max-pickle-memo <n>',
    'MLSECOPS_MAX_PICKLE_MEMO',
    'pickle memo entries limit',
    count,
    10_000_000,
  ),
} as const;

export const dataScanSettings = {
  ...outputSettings,
  redact: setting(
    '--redact <out>',
    'MLSECOPS_REDACT',
    'write redacted copies (a file for one input file, else a folder); originals are never modified',
    z.string().min(1).optional(),
    undefined,
  ),
  maxFindingsPerFile: setting(
    '--max-findings-per-file <n>',
    'MLSECOPS_MAX_FINDINGS_PER_FILE',
    'findings listed per file; the rest are counted',
    count,
    10_000,
  ),
  poisoning: setting(
    '--no-poisoning',
    'MLSECOPS_POISONING',
    'do not run the poisoning indicators',
    z.union([z.boolean(), z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true')]),
    true,
  ),
  labelColumn: setting(
    '--label-column <name>',
    'MLSECOPS_LABEL_COLUMN',
    'label column for the poisoning indicators (default: guessed)',
    z.string().min(1).optional(),
    undefined,
  ),
  textColumn: setting(
    '--text-column <name>',
    'MLSECOPS_TEXT_COLUMN',
    'free-text column for triggers and near-duplicates (default: guessed)',
    z.string().min(1).optional(),
    undefined,
  ),
  poisoningMaxRows: setting(
    '--poisoning-max-rows <n>',
    'MLSECOPS_POISONING_MAX_ROWS',
    'rows held for the poisoning indicators; larger files are sampled',
    count,
    200_000,
  ),
  baseline: setting(
    '--baseline <file>',
    'MLSECOPS_BASELINE',
    'trusted version of the data for label and feature shift',
    z.string().min(1).optional(),
    undefined,
  ),
  minScore: setting(
    '--min-score <score>',
    'MLSECOPS_MIN_SCORE',
    'drop matches scored below this (0..1)',
    z.coerce.number().min(0).max(1),
    0.5,
  ),
} as const;

export const driftFormats = ['table', 'json', 'html'] as const;

export const driftSettings = {
  format: setting(
    '--format <format>',
    'MLSECOPS_FORMAT',
    `output format: ${driftFormats.join(', ')}`,
    z.enum(driftFormats),
    'table',
  ),
  output: outputSettings.output,
  failOn: setting(
    '--fail-on <severity>',
    'MLSECOPS_FAIL_ON',
    'exit 1 when a finding is at or above this severity (column drift: medium, dataset drift: high)',
    severitySchema,
    'high',
  ),
  share: setting(
    '--share <fraction>',
    'MLSECOPS_DRIFT_SHARE',
    'the dataset drifts when at least this share of columns drift',
    z.coerce.number().min(0).max(1),
    0.5,
  ),
} as const;

export type SettingValues<S extends Record<string, Setting<unknown>>> = { [K in keyof S]: S[K]['defaultValue'] };

export type Resolved<S extends Record<string, Setting<unknown>>> =
  | { readonly ok: true; readonly values: SettingValues<S> }
  | { readonly ok: false; readonly issues: string[] };

export function resolveSettings<S extends Record<string, Setting<unknown>>>(
  settings: S,
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Resolved<S> {
  const values: Record<string, unknown> = {};
  const issues: string[] = [];
  for (const [key, definition] of Object.entries(settings)) {
    const fromFlag = flags[key];
    // Commander reports `--no-x` flags as true when absent, so the environment can only override a default.
    const flagGiven =
      fromFlag !== undefined && !(typeof fromFlag === 'boolean' && fromFlag === definition.defaultValue);
    const raw = flagGiven ? fromFlag : (env[definition.env] ?? definition.defaultValue);
    const parsed = definition.schema.safeParse(raw);
    if (parsed.success) values[key] = parsed.data;
    else
      issues.push(
        `${definition.flag.split(' ')[0]} (or ${definition.env}): ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      );
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, values: values as SettingValues<S> };
}
