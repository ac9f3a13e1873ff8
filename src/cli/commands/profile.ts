import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  type ColumnType,
  mergeProfiles,
  type ProfiledDataset,
  profileDataset,
  type ReferenceProfile,
  referenceProfileSchema,
} from '../../drift/index.js';
import { CliError } from '../errors.js';
import { collect, type Io } from './shared.js';

/** `--type col=number` (repeatable) into a type per column. */
export function columnTypes(values: readonly string[]): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const type = value.slice(at + 1);
    if (at < 1 || (type !== 'number' && type !== 'category')) {
      throw new CliError('BAD_ARGUMENTS', `--type takes column=number or column=category, got ${value}`);
    }
    types[value.slice(0, at)] = type;
  }
  return types;
}

async function output(io: Io, profile: ReferenceProfile, out: string | undefined): Promise<void> {
  // Compact: sketches are long arrays of numbers, and profiles are read by programs.
  const json = `${JSON.stringify(profile)}\n`;
  if (!out) return void io.stdout.write(json);
  await writeFile(out, json);
  io.stderr.write(`wrote ${out}: ${profile.rows} rows, ${profile.columns.length} columns\n`);
}

/** Reads and validates a profile file. */
export async function readProfile(path: string): Promise<ReferenceProfile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliError('PATH_UNREADABLE', `cannot read profile ${path}: ${(error as Error).message}`);
  }
  const parsed = referenceProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      'BAD_ARGUMENTS',
      `${path} is not an mlsecops profile: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

export function registerProfile(program: Command, io: Io): void {
  const command = program
    .command('profile')
    .description('write the reference profile of datasets (one profile; several files are shards of one dataset)')
    .argument('<datasets...>', 'CSV, TSV, JSON, JSONL or Parquet files')
    .option('--out <file>', 'write the profile here instead of stdout')
    .option(
      '--type <column=type>',
      'column type instead of the inferred one: number or category (repeatable)',
      collect,
      [],
    )
    .action(async (datasets: string[], flags: { out?: string; type: string[] }) => {
      const types = columnTypes(flags.type);
      const profiles: ReferenceProfile[] = [];
      for (const dataset of datasets) {
        let result: ProfiledDataset;
        try {
          result = await profileDataset(dataset, { types });
        } catch (error) {
          throw new CliError('PATH_UNREADABLE', `cannot profile ${dataset}: ${(error as Error).message}`);
        }
        for (const issue of result.issues) {
          io.stderr.write(`${dataset}${issue.row === undefined ? '' : ` row ${issue.row}`}: ${issue.message}\n`);
        }
        profiles.push(result.profile);
      }
      await output(io, profiles.length === 1 ? profiles[0]! : merged(profiles), flags.out);
    });
  command
    .command('merge')
    .description('merge profiles of shards into the profile of the whole dataset')
    .argument('<profiles...>', 'profile files made by mlsecops profile')
    .option('--out <file>', 'write the profile here instead of stdout')
    .action(async (paths: string[], flags: { out?: string }) => {
      const profiles = await Promise.all(paths.map(readProfile));
      await output(io, merged(profiles), flags.out);
    });
}

function merged(profiles: ReferenceProfile[]): ReferenceProfile {
  try {
    return mergeProfiles(profiles);
  } catch (error) {
    throw new CliError('BAD_ARGUMENTS', `cannot merge profiles: ${(error as Error).message}`);
  }
}
