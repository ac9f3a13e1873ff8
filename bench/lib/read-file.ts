import { createReadStream } from 'node:fs';

/** Reads bytes [start, end) of a file into nothing, in 1 MiB chunks; returns the byte count. */
export async function readToNothing(path: string, start = 0, end?: number): Promise<number> {
  if (end !== undefined && end <= start) return 0;
  const stream = createReadStream(path, {
    start,
    ...(end === undefined ? {} : { end: end - 1 }),
    highWaterMark: 1 << 20,
  });
  let total = 0;
  for await (const chunk of stream) total += (chunk as Buffer).length;
  return total;
}
