// The MSB-first CRC-32 bzip2 uses; gzip's and xz's reflected CRC-32 is node:zlib's crc32.

const FORWARD = makeTable((n) => {
  let c = n << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  return c;
});

function makeTable(entry: (n: number) => number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) table[n] = entry(n) >>> 0;
  return table;
}

/** bzip2's block CRC: MSB-first, so it is updated per byte (and per run of one byte) while output is produced. */
export function bzip2CrcUpdate(crc: number, byte: number): number {
  return ((crc << 8) ^ FORWARD[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
}
