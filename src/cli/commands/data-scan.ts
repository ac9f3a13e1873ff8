import type { Command } from 'commander';
import { dataCatalog, defaultDetectors, RedactionError, redactDataset, scanData } from '../../data/index.js';
import { CliError } from '../errors.js';
import { createProgress } from '../progress.js';
import { dataScanSettings, resolveSettings } from '../settings.js';
import { emitReport } from './report-output.js';
import { addSettings, type Io } from './shared.js';

export function registerData(program: Command, io: Io): void {
  const data = program.command('data').description('training-data security: personal data and secrets');
  const command = data
    .command('scan')
    .description('scan datasets (CSV/TSV, JSON, JSONL, text) for personal data, secrets and signs of poisoning')
    .argument('<paths...>', 'files or folders (folders are walked recursively)');
  addSettings(command, dataScanSettings);
  command.action(async (paths: string[], flags: Record<string, unknown>) => {
    const resolved = resolveSettings(dataScanSettings, flags, io.env);
    if (!resolved.ok) throw new CliError('BAD_ARGUMENTS', resolved.issues.join('\n'));
    const settings = resolved.values;
    const progress = createProgress(io.stderr, settings.progress);
    const report = await scanData(paths, {
      maxFindingsPerFile: settings.maxFindingsPerFile,
      minScore: settings.minScore,
      poisoning: settings.poisoning
        ? {
            maxRows: settings.poisoningMaxRows,
            ...(settings.labelColumn ? { labelColumn: settings.labelColumn } : {}),
            ...(settings.textColumn ? { textColumn: settings.textColumn } : {}),
          }
        : false,
      ...(settings.baseline ? { baselinePath: settings.baseline } : {}),
      onProgress: progress.update,
    });
    progress.done();
    if (settings.redact) {
      const result = await redactDataset(report, settings.redact).catch((error: unknown) => {
        throw error instanceof RedactionError ? new CliError('BAD_ARGUMENTS', error.message) : error;
      });
      for (const { from, to } of result.written) io.stderr.write(`redacted ${from} -> ${to}\n`);
      for (const path of result.skipped) io.stderr.write(`not redacted (format cannot be rewritten): ${path}\n`);
    }
    await emitReport(report, settings, io, dataCatalog(defaultDetectors));
  });
}
