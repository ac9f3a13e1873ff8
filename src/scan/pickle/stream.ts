import type { Source } from '../io/source.js';
import type { MachineLimits, PickleMachine, RunResult } from './machine.js';
import type { PValue } from './values.js';

/**
 * Drives the machine over a source: slides a window of bytes, jumps over large byte strings the
 * machine does not need, and walks through several pickles written one after another.
 */
export interface StreamOptions {
  readonly limits: MachineLimits;
  /** Largest window the driver will hold; an opcode needing more is reported as a limit. */
  readonly maxWindow: number;
  readonly checkpoint: () => string | undefined;
  readonly onBuild?: PickleMachine['onBuild'];
  /** Decides, after each pickle, whether to go on with the next one at `offset`. */
  readonly afterPickle?: (index: number, value: PValue, machine: PickleMachine, offset: number) => 'continue' | 'stop';
}

export type PickleEnd =
  | { readonly kind: 'complete'; readonly pickles: number; readonly offset: number }
  | { readonly kind: 'error' | 'limit'; readonly pickles: number; readonly message: string; readonly offset: number };

const window = 4 << 20;

export async function runPickleStream(
  source: Source,
  machine: PickleMachine,
  options: StreamOptions,
  start = 0,
): Promise<PickleEnd> {
  machine.sourceSize = source.size;
  machine.checkpoint = options.checkpoint;
  machine.onBuild = options.onBuild;
  let base = start;
  let pickles = 0;
  await load(source, machine, base, window);
  for (;;) {
    const final = machine.base + machine.end >= source.size;
    const result: RunResult = machine.run(final);
    if (result.kind === 'need') {
      base = machine.base + machine.pos;
      if (result.bytes > options.maxWindow) {
        return { kind: 'limit', pickles, message: `an opcode needs ${result.bytes} bytes in memory`, offset: base };
      }
      await load(source, machine, base, Math.max(window, result.bytes));
      continue;
    }
    if (result.kind !== 'stop') return { ...result, pickles };
    pickles++;
    const offset = machine.base + machine.pos;
    if (offset >= source.size) return { kind: 'complete', pickles, offset };
    const next = options.afterPickle?.(pickles, result.value, machine, offset) ?? 'continue';
    if (next === 'stop') return { kind: 'complete', pickles, offset };
    machine.reset();
  }
}

async function load(source: Source, machine: PickleMachine, offset: number, length: number): Promise<void> {
  machine.buf = await source.read(offset, length);
  machine.base = offset;
  machine.pos = 0;
  machine.end = machine.buf.length;
}
