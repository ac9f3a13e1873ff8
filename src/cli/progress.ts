import type { ScanProgress } from '../scan/index.js';

/**
 * Progress on stderr so stdout stays parseable: a redrawn bar on a terminal, otherwise a plain line at
 * most every few seconds, and nothing at all for scans that finish quickly.
 */
export function createProgress(
  stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>,
  enabled: boolean,
  now: () => number = Date.now,
): { update: (p: ScanProgress) => void; done: () => void } {
  if (!enabled) return { update: () => {}, done: () => {} };
  const started = now();
  const quietFor = 1000;
  let lastLine = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(progress) {
      const time = now();
      if (time - started < quietFor) return;
      const ratio =
        progress.bytesTotal > 0
          ? progress.bytesDone / progress.bytesTotal
          : progress.done / Math.max(1, progress.total);
      if (stream.isTTY) {
        const width = 24;
        const filled = Math.round(ratio * width);
        const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
        const name = progress.path.length > 40 ? `…${progress.path.slice(-39)}` : progress.path;
        stream.write(
          `\r\x1b[2K[${bar}] ${progress.done}/${progress.total} files ${formatBytes(progress.bytesDone)} ${name}`,
        );
        drawn = true;
      } else if (time - lastLine > 5000) {
        lastLine = time;
        stream.write(
          `scanning: ${progress.done}/${progress.total} files, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}\n`,
        );
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
