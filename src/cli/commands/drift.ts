import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type DriftReport, driftTestSchema, exitCodeFor } from '../../contracts/index.js';
import { driftReport, profileDataset, type ReferenceProfile, type TestChoice } from '../../drift/index.js';
import { toolVersion } from '../../version.js';
import { CliError } from '../errors.js';
import { renderDriftHtml } from '../render/drift-html.js';
import { driftTable } from '../render/drift-text.js';
import { driftSettings, resolveSettings } from '../settings.js';
import { columnTypes, readProfile } from './profile.js';
import { addSettings, collect, type Io } from './shared.js';

/** `--test col=ks` or `--test col=psi:0.2` (repeatable) into a test choice per column. */
export function testChoices(values: readonly string[]): Record<string, TestChoice> {
  const choices: Record<string, TestChoice> = {};
  for (const value of values) {
    const match = /^(.+)=([a-z]+)(?::([0-9.eE+-]+))?$/.exec(value);
    const test = driftTestSchema.safeParse(match?.[2]);
    const threshold = match?.[3] === undefined ? undefined : Number(match[3]);
    if (!match || !test.success || (threshold !== undefined && !(threshold >= 0))) {
      throw new CliError(
        'BAD_ARGUMENTS',
        `--test takes column=test[:threshold] with test one of ${driftTestSchema.options.join(', ')}, got ${value}`,
      );
    }
    choices[match[1]!] = { test: test.data, threshold };
  }
  return choices;
}

async function profiled(path: string, types: Record<string, 'number' | 'category'>, io: Io): Promise<ReferenceProfile> {
  try {
    const { profile, issues } = await profileDataset(path, { types });
    for (const issue of issues)
      io.stderr.write(`${path}${issue.row === undefined ? '' : ` row ${issue.row}`}: ${issue.message}\n`);
    return profile;
  } catch (error) {
    throw new CliError('PATH_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`);
  }
}

export function registerDrift(program: Command, io: Io): void {
  const command = program
    .command('drift')
    .description('test whether current data drifted from a reference, column by column')
    .argument('<reference>', 'reference dataset, or with --profile a profile made by mlsecops profile')
    .argument('<current>', 'current dataset (CSV, TSV, JSON, JSONL or Parquet)')
    .option('--profile', 'the reference is a profile file, not a dataset')
    .option('--columns <names>', 'comma-separated columns to test (default: all)')
    .option(
      '--test <column=test[:threshold]>',
      'test for a column instead of the default choice (repeatable)',
      collect,
      [],
    )
    .option(
      '--type <column=type>',
      'column type instead of the inferred one: number or category (repeatable)',
      collect,
      [],
    );
  addSettings(command, driftSettings);
  command.action(async (referencePath: string, currentPath: string, flags: Record<string, unknown>) => {
    const resolved = resolveSettings(driftSettings, flags, io.env);
    if (!resolved.ok) throw new CliError('BAD_ARGUMENTS', resolved.issues.join('\n'));
    const settings = resolved.values;
    const startedAt = new Date();
    const overrides = columnTypes(flags.type as string[]);
    const tests = testChoices(flags.test as string[]);
    const reference = flags.profile ? await readProfile(referencePath) : await profiled(referencePath, overrides, io);
    // The current data is read with the reference's column types, so the two always compare.
    const types = {
      ...Object.fromEntries(reference.columns.map((column) => [column.name, column.type])),
      ...overrides,
    };
    const current = await profiled(currentPath, types, io);
    let report: DriftReport;
    try {
      report = driftReport(reference, current, {
        columns: typeof flags.columns === 'string' ? flags.columns.split(',').map((name) => name.trim()) : undefined,
        tests,
        shareThreshold: settings.share,
        referenceName: referencePath,
        currentName: currentPath,
        version: toolVersion,
        startedAt,
      });
    } catch (error) {
      throw new CliError('BAD_ARGUMENTS', (error as Error).message);
    }
    const text =
      settings.format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : settings.format === 'html'
          ? await renderDriftHtml(report, reference, current)
          : driftTable(report);
    if (settings.output) await writeFile(settings.output, text);
    else io.stdout.write(text);
    io.setExitCode(exitCodeFor(report, settings.failOn));
  });
}
