import { writeFile } from 'node:fs/promises';
import { exitCodeFor, type Report, type RuleInfo } from '../../contracts/index.js';
import { renderReport } from '../render/index.js';
import type { outputSettings, SettingValues } from '../settings.js';
import type { Io } from './shared.js';

/** Renders a report where the settings say, and sets the exit code by --fail-on: the same for every command. */
export async function emitReport(
  report: Report,
  settings: SettingValues<typeof outputSettings>,
  io: Io,
  catalog?: Readonly<Record<string, RuleInfo>>,
): Promise<void> {
  const colour = !settings.output && settings.format === 'table' && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
  const text = renderReport(report, settings.format, { colour, ...(catalog ? { catalog } : {}) });
  if (settings.output) await writeFile(settings.output, text);
  else io.stdout.write(text);
  io.setExitCode(exitCodeFor(report, settings.failOn));
}
