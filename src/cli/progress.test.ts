import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) > 0 } };
}
const step = (done: number) => ({
  done,
  total: 10,
  bytesDone: done * 100,
  bytesTotal: 1000,
  path: `models/m${done}.pt`,
});

describe('progress on stderr', () => {
  it('stays silent for scans that finish within a second', () => {
    const { writes, stream } = fakeStream(true);
    let clock = 0;
    const progress = createProgress(stream, true, () => clock);
    clock = 900;
    progress.update(step(5));
    progress.done();
    expect(writes).toEqual([]);
  });

  it('redraws a bar on a terminal and clears it at the end', () => {
    const { writes, stream } = fakeStream(true);
    let clock = 0;
    const progress = createProgress(stream, true, () => clock);
    clock = 1500;
    progress.update(step(5));
    expect(writes[0]).toMatch(/^\r\x1b\[2K\[#{12}-{12}\] 5\/10 files 500 B models\/m5\.pt$/);
    progress.done();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('prints a plain line at most every five seconds when not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    let clock = 0;
    const progress = createProgress(stream, true, () => clock);
    for (const [time, done] of [
      [1200, 1],
      [3000, 2],
      [7000, 3],
      [8000, 4],
    ] as const) {
      clock = time;
      progress.update(step(done));
    }
    expect(writes).toEqual(['scanning: 1/10 files, 100 B of 1000 B\n', 'scanning: 3/10 files, 300 B of 1000 B\n']);
  });

  it('prints nothing when disabled', () => {
    const { writes, stream } = fakeStream(true);
    const progress = createProgress(stream, false, () => 10_000);
    progress.update(step(1));
    expect(writes).toEqual([]);
  });
});
