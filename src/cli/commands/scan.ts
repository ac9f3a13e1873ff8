import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type GlobalEntry, parseAllowlist, scanPaths } from '../../scan/index.js';
import { CliError } from '../errors.js';
import { createProgress } from '../progress.js';
import { resolveSettings, scanSettings } from '../settings.js';
import { emitReport } from './report-output.js';
import { addSettings, type Io } from './shared.js';

export function registerScan(program: Command, io: Io): void {
  const command = program
    .command('scan')
    .description('scan model files and folders for code that runs when they are loaded')
    .argument('<paths...>', 'files or folders (folders are walked recursively)');
  addSettings(command, scanSettings);
  command.action(async (paths: string[], flags: Record<string, unknown>) => {
    const resolved = resolveSettings(scanSettings, flags, io.env);
    if (!resolved.ok) throw new CliError('BAD_ARGUMENTS', resolved.issues.join('\n'));
    const settings = resolved.values;
    const allow = settings.allow ? await loadAllowlist(settings.allow) : undefined;
    const progress = createProgress(io.stderr, settings.progress);
    const report = await scanPaths(paths, {
      ...(allow ? { allow } : {}),
      limits: {
        maxDepth: settings.maxDepth,
        maxDecompressedBytes: settings.maxDecompressedBytes,
        maxMembers: settings.maxMembers,
        timeoutMs: settings.timeoutMs,
        maxPickleStack: settings.maxPickleStack,
        maxPickleMemo: settings.maxPickleMemo,
      },
      onProgress: progress.update,
    });
    progress.done();
    await emitReport(report, settings, io);
  });
}

async function loadAllowlist(path: string): Promise<GlobalEntry[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError('BAD_ARGUMENTS', `cannot read allowlist ${path}: ${error.code ?? error.message}`);
  });
  const parsed = parseAllowlist(text, path);
  if (!parsed.ok) throw new CliError('BAD_ARGUMENTS', `allowlist ${path}:\n  ${parsed.issues.join('\n  ')}`);
  return parsed.entries;
}
