import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { profileDataset } from '../../drift/index.js';
import { CliError } from '../errors.js';
import type { Io } from './shared.js';

export function registerProfile(program: Command, io: Io): void {
  program
    .command('profile')
    .description('write the reference profile of a dataset (ranges, quantiles, categories per column)')
    .argument('<dataset>', 'CSV, TSV, JSON, JSONL or Parquet file')
    .option('--out <file>', 'write the profile here instead of stdout')
    .action(async (dataset: string, flags: { out?: string }) => {
      let result: Awaited<ReturnType<typeof profileDataset>>;
      try {
        result = await profileDataset(dataset);
      } catch (error) {
        throw new CliError('PATH_UNREADABLE', `cannot profile ${dataset}: ${(error as Error).message}`);
      }
      for (const issue of result.issues) {
        io.stderr.write(`${dataset}${issue.row === undefined ? '' : ` row ${issue.row}`}: ${issue.message}\n`);
      }
      const json = `${JSON.stringify(result.profile, null, 2)}\n`;
      const { rows, columns } = result.profile;
      if (flags.out) {
        await writeFile(flags.out, json);
        io.stderr.write(`wrote ${flags.out}: ${rows} rows, ${columns.length} columns\n`);
      } else io.stdout.write(json);
    });
}
