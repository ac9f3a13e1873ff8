import { appendFile, readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { llmFamilies, type ProbeResult } from './types.js';

const resultSchema = z.object({
  probeId: z.string(),
  family: z.enum(llmFamilies),
  status: z.enum(['passed', 'failed', 'error']),
  grader: z.string(),
  evidence: z.string(),
  durationMs: z.number().nonnegative(),
});

const maxStateBytes = 64 * 1024 * 1024;

/**
 * Results of earlier runs, one JSON line per probe; the last line for a probe wins. Errors are kept but not
 * counted as done, so a re-run retries them. A torn last line (an interrupted write) is ignored.
 */
export async function loadState(path: string): Promise<Map<string, ProbeResult>> {
  const done = new Map<string, ProbeResult>();
  const info = await stat(path).catch(() => undefined);
  if (!info) return done;
  if (info.size > maxStateBytes) throw new Error(`state file over ${maxStateBytes} bytes: ${path}`);
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = resultSchema.safeParse(json);
    if (!parsed.success) continue;
    if (parsed.data.status === 'error') done.delete(parsed.data.probeId);
    else done.set(parsed.data.probeId, parsed.data);
  }
  return done;
}

/** Appends one result as it completes, so an interrupted run loses at most the probes in flight. */
export async function appendState(path: string, result: ProbeResult): Promise<void> {
  await appendFile(path, `${JSON.stringify(result)}\n`);
}
