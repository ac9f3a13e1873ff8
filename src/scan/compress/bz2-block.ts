import { CorruptInput } from './errors.js';

// One bzip2 block, up to the Burrows-Wheeler inverse, following libbzip2's decompress.c (its checks included) so
// that what it rejects is rejected here and what it accepts decodes identically.

const MAX_GROUPS = 6;
const MAX_ALPHA_SIZE = 258;
const MAX_CODE_LEN = 23;
const MAX_SELECTORS = 18002;
const GROUP_SIZE = 50;
const RUNA = 0;
const RUNB = 1;

/** MSB-first bits over `bytes[pos..end)`; the partial byte carries over when the window is replaced. */
export class BitReader {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  /** Whether `end` is the end of the input (otherwise running out means a block too large for the window). */
  final = false;
  private buffer = 0;
  private count = 0;

  attach(bytes: Uint8Array, pos: number, end: number, final: boolean): void {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.final = final;
  }

  /** Up to 24 bits. */
  bits(n: number): number {
    while (this.count < n) {
      if (this.pos >= this.end) {
        throw new CorruptInput(
          this.final ? 'bzip2: unexpected end of input' : 'bzip2: block larger than any real encoder produces',
        );
      }
      // Bits above `count` fall off the 32-bit int, and only the low `count` bits are ever read.
      this.buffer = (this.buffer << 8) | this.bytes[this.pos++]!;
      this.count += 8;
    }
    this.count -= n;
    return (this.buffer >>> this.count) & ((1 << n) - 1);
  }

  bits32(): number {
    return (this.bits(16) * 0x10000 + this.bits(16)) >>> 0;
  }

  /** Drops the bits left in the current byte (streams are byte-aligned at their end). */
  alignToByte(): void {
    this.count = 0;
  }
}

/** Buffers reused across blocks so a file of many tiny blocks does not allocate per block. */
export class BlockState {
  /** Decoded bytes in the low 8 bits, BWT links above; sized for the stream's block size. */
  tt = new Uint32Array(0);
  private readonly seqToUnseq = new Uint8Array(256);
  private readonly selectors = new Uint8Array(MAX_SELECTORS);
  private readonly lengths = Array.from({ length: MAX_GROUPS }, () => new Uint8Array(MAX_ALPHA_SIZE));
  private readonly limit = Array.from({ length: MAX_GROUPS }, () => new Int32Array(MAX_CODE_LEN));
  private readonly base = Array.from({ length: MAX_GROUPS }, () => new Int32Array(MAX_CODE_LEN));
  private readonly perm = Array.from({ length: MAX_GROUPS }, () => new Int32Array(MAX_ALPHA_SIZE));
  private readonly minLens = new Int32Array(MAX_GROUPS);
  private readonly mtf = new Uint8Array(256);
  private readonly counts = new Int32Array(256);

  /**
   * Reads a block after its magic and CRC: symbols, MTF and run-length decoding, then the BWT links into `tt`.
   * Returns the block length, the position of its first byte's link, and whether its output is randomised.
   */
  read(bits: BitReader, blockSizeMax: number): { length: number; start: number; randomised: boolean } {
    if (this.tt.length < blockSizeMax) this.tt = new Uint32Array(blockSizeMax);
    const tt = this.tt;
    const randomised = bits.bits(1) === 1;
    const origPtr = bits.bits(24);

    const inUse16 = bits.bits(16);
    let inUse = 0;
    for (let i = 0; i < 16; i++) {
      if (!(inUse16 & (0x8000 >>> i))) continue;
      const word = bits.bits(16);
      for (let j = 0; j < 16; j++) if (word & (0x8000 >>> j)) this.seqToUnseq[inUse++] = i * 16 + j;
    }
    if (inUse === 0) throw new CorruptInput('bzip2: block uses no symbols');
    const alphaSize = inUse + 2;

    const groups = bits.bits(3);
    if (groups < 2 || groups > MAX_GROUPS) throw new CorruptInput('bzip2: invalid number of Huffman groups');
    let selectorCount = bits.bits(15);
    if (selectorCount < 1) throw new CorruptInput('bzip2: no selectors');
    const order = [0, 1, 2, 3, 4, 5];
    for (let i = 0; i < selectorCount; i++) {
      let j = 0;
      while (bits.bits(1)) {
        if (++j >= groups) throw new CorruptInput('bzip2: invalid selector');
      }
      const group = order[j]!;
      order.splice(j, 1);
      order.unshift(group);
      // libbzip2 1.0.8 reads past the 18002 it can use and ignores the rest; so does this.
      if (i < MAX_SELECTORS) this.selectors[i] = group;
    }
    selectorCount = Math.min(selectorCount, MAX_SELECTORS);

    for (let t = 0; t < groups; t++) {
      const length = this.lengths[t]!;
      let current = bits.bits(5);
      for (let i = 0; i < alphaSize; i++) {
        for (;;) {
          if (current < 1 || current > 20) throw new CorruptInput('bzip2: invalid Huffman code length');
          if (!bits.bits(1)) break;
          current += bits.bits(1) ? -1 : 1;
        }
        length[i] = current;
      }
      this.buildTables(t, alphaSize);
    }

    const eob = inUse + 1;
    const mtf = this.mtf;
    for (let i = 0; i < 256; i++) mtf[i] = i;
    const counts = this.counts;
    counts.fill(0);
    let length = 0;
    let selector = -1;
    let groupLeft = 0;
    let limit = this.limit[0]!;
    let base = this.base[0]!;
    let perm = this.perm[0]!;
    let minLen = 0;
    const next = (): number => {
      if (groupLeft === 0) {
        if (++selector >= selectorCount) throw new CorruptInput('bzip2: ran out of selectors');
        const g = this.selectors[selector]!;
        limit = this.limit[g]!;
        base = this.base[g]!;
        perm = this.perm[g]!;
        minLen = this.minLens[g]!;
        groupLeft = GROUP_SIZE;
      }
      groupLeft--;
      let n = minLen;
      let code = bits.bits(n);
      for (;;) {
        if (n > 20) throw new CorruptInput('bzip2: invalid Huffman code');
        if (code <= limit[n]!) break;
        n++;
        code = (code << 1) | bits.bits(1);
      }
      const index = code - base[n]!;
      if (index < 0 || index >= MAX_ALPHA_SIZE) throw new CorruptInput('bzip2: invalid Huffman code');
      return perm[index]!;
    };

    let symbol = next();
    while (symbol !== eob) {
      if (symbol > eob) throw new CorruptInput('bzip2: invalid symbol');
      if (symbol === RUNA || symbol === RUNB) {
        let run = -1;
        let weight = 1;
        do {
          if (weight >= 2 * 1024 * 1024) throw new CorruptInput('bzip2: run too long');
          run += symbol === RUNA ? weight : 2 * weight;
          weight *= 2;
          symbol = next();
        } while (symbol === RUNA || symbol === RUNB);
        run++;
        if (length + run > blockSizeMax) throw new CorruptInput('bzip2: block longer than its declared size');
        const byte = this.seqToUnseq[mtf[0]!]!;
        counts[byte]! += run;
        tt.fill(byte, length, length + run);
        length += run;
        continue;
      }
      if (length >= blockSizeMax) throw new CorruptInput('bzip2: block longer than its declared size');
      const n = symbol - 1;
      const value = mtf[n]!;
      mtf.copyWithin(1, 0, n);
      mtf[0] = value;
      const byte = this.seqToUnseq[value]!;
      counts[byte]!++;
      tt[length++] = byte;
      symbol = next();
    }
    if (origPtr >= length) throw new CorruptInput('bzip2: invalid block start pointer');

    // Inverse BWT: link each position to the next, in the high 24 bits of tt.
    let sum = 0;
    for (let i = 0; i < 256; i++) {
      const c = counts[i]!;
      counts[i] = sum;
      sum += c;
    }
    for (let i = 0; i < length; i++) {
      const byte = tt[i]! & 0xff;
      tt[counts[byte]!]! |= i << 8;
      counts[byte]!++;
    }
    return { length, start: tt[origPtr]! >>> 8, randomised };
  }

  /** libbzip2's BZ2_hbCreateDecodeTables, exactly, including its behaviour on invalid code lengths. */
  private buildTables(t: number, alphaSize: number): void {
    const length = this.lengths[t]!;
    const limit = this.limit[t]!;
    const base = this.base[t]!;
    const perm = this.perm[t]!;
    let minLen = 32;
    let maxLen = 0;
    for (let i = 0; i < alphaSize; i++) {
      if (length[i]! > maxLen) maxLen = length[i]!;
      if (length[i]! < minLen) minLen = length[i]!;
    }
    perm.fill(0);
    let pp = 0;
    for (let i = minLen; i <= maxLen; i++) for (let j = 0; j < alphaSize; j++) if (length[j] === i) perm[pp++] = j;
    base.fill(0);
    for (let i = 0; i < alphaSize; i++) base[length[i]! + 1]!++;
    for (let i = 1; i < MAX_CODE_LEN; i++) base[i] = base[i]! + base[i - 1]!;
    limit.fill(0);
    let vec = 0;
    for (let i = minLen; i <= maxLen; i++) {
      vec += base[i + 1]! - base[i]!;
      limit[i] = vec - 1;
      vec <<= 1;
    }
    for (let i = minLen + 1; i <= maxLen; i++) base[i] = ((limit[i - 1]! + 1) << 1) - base[i]!;
    this.minLens[t] = minLen;
  }
}
