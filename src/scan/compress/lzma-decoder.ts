import { CorruptInput } from './errors.js';
import type { BoundedOutput } from './output.js';

// The LZMA1 decoder shared by the .lzma ("alone") format and LZMA2 (inside xz), following the LZMA specification
// (LzmaSpec.cpp) and liblzma's checks. It decodes from a byte array the caller guarantees holds enough input, and
// writes into BoundedOutput, which doubles as the dictionary: matches copy from earlier output, so the dictionary
// size a header claims is never an allocation. Distances are checked against the output since the last dictionary
// reset only, not against the claimed size: that accepts everything liblzma accepts (and a little more), so nothing
// Python would load fails to decode here.

const PROB_INIT = 1024;
const NUM_STATES = 12;
const POS_STATES_MAX = 16;
const LEN_LOW_SYMBOLS = 8;
const LEN_HIGH_SYMBOLS = 256;
const END_POS_MODEL_INDEX = 14;
const NUM_FULL_DISTANCES = 128;
const MATCH_MIN_LEN = 2;
const END_MARKER = 0xffffffff;
const SIGN = 0x80000000 | 0;
const TOP_MASK = 0xff000000 | 0;

/** Most input one symbol can consume; callers keep this much beyond the decoding position when more may follow. */
export const LZMA_MAX_SYMBOL_BYTES = 64;
/** Longest match: the most output one symbol produces. */
export const LZMA_MAX_MATCH = 273;

export interface LzmaProperties {
  readonly lc: number;
  readonly lp: number;
  readonly pb: number;
}

/** Splits the lc/lp/pb properties byte; null when liblzma would reject it (byte > 224 or lc + lp > 4). */
export function parseLzmaProperties(byte: number): LzmaProperties | null {
  if (byte > 224) return null;
  const pb = Math.floor(byte / 45);
  const lp = Math.floor((byte - pb * 45) / 9);
  const lc = byte - pb * 45 - lp * 9;
  return lc + lp > 4 ? null : { lc, lp, pb };
}

class LenDecoder {
  readonly choice = new Uint16Array(2);
  readonly low = new Uint16Array(POS_STATES_MAX << 3);
  readonly mid = new Uint16Array(POS_STATES_MAX << 3);
  readonly high = new Uint16Array(LEN_HIGH_SYMBOLS);

  reset(): void {
    this.choice.fill(PROB_INIT);
    this.low.fill(PROB_INIT);
    this.mid.fill(PROB_INIT);
    this.high.fill(PROB_INIT);
  }
}

/**
 * Why `decode` returned: output reached `outEnd`, an end marker, input reached `inStop`, or output passed
 * `pauseAt` (a symbol boundary at which the caller yields to the event loop).
 */
export type LzmaStop = 'limit' | 'end-marker' | 'input' | 'pause';

export class LzmaDecoder {
  // Input: `input[inPos..inEnd)`; set by the caller before each `decode`.
  input: Uint8Array = new Uint8Array(0);
  inPos = 0;
  inEnd = 0;

  private range = 0;
  private code = 0;

  private lc = 0;
  private lp = 0;
  private pb = 0;
  private literal = new Uint16Array(0x300);
  private readonly isMatch = new Uint16Array(NUM_STATES << 4);
  private readonly isRep = new Uint16Array(NUM_STATES);
  private readonly isRepG0 = new Uint16Array(NUM_STATES);
  private readonly isRepG1 = new Uint16Array(NUM_STATES);
  private readonly isRepG2 = new Uint16Array(NUM_STATES);
  private readonly isRep0Long = new Uint16Array(NUM_STATES << 4);
  private readonly posSlot = new Uint16Array(4 << 6);
  private readonly posSpecial = new Uint16Array(1 + NUM_FULL_DISTANCES - END_POS_MODEL_INDEX);
  private readonly align = new Uint16Array(16);
  private readonly lenDecoder = new LenDecoder();
  private readonly repLenDecoder = new LenDecoder();

  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;

  /** Output offset where the current dictionary starts (its position 0). */
  private dictStart = 0;

  constructor(private readonly out: BoundedOutput) {}

  /** Starts an empty dictionary at the current end of output. */
  resetDictionary(): void {
    this.dictStart = this.out.length;
  }

  setProperties({ lc, lp, pb }: LzmaProperties): void {
    if (this.lc !== lc || this.lp !== lp || this.literal.length !== 0x300 << (lc + lp)) {
      this.literal = new Uint16Array(0x300 << (lc + lp));
    }
    this.lc = lc;
    this.lp = lp;
    this.pb = pb;
  }

  resetState(): void {
    this.literal.fill(PROB_INIT);
    this.isMatch.fill(PROB_INIT);
    this.isRep.fill(PROB_INIT);
    this.isRepG0.fill(PROB_INIT);
    this.isRepG1.fill(PROB_INIT);
    this.isRepG2.fill(PROB_INIT);
    this.isRep0Long.fill(PROB_INIT);
    this.posSlot.fill(PROB_INIT);
    this.posSpecial.fill(PROB_INIT);
    this.align.fill(PROB_INIT);
    this.lenDecoder.reset();
    this.repLenDecoder.reset();
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
  }

  /** Reads the 5 range-coder init bytes at `inPos`. */
  initRangeCoder(): void {
    if (this.inEnd - this.inPos < 5) throw new CorruptInput('lzma: truncated range coder header');
    if (this.input[this.inPos] !== 0) throw new CorruptInput('lzma: corrupt range coder header');
    this.range = -1;
    this.code = 0;
    for (let i = 1; i < 5; i++) this.code = (this.code << 8) | this.input[this.inPos + i]!;
    this.inPos += 5;
    if (this.code === this.range) throw new CorruptInput('lzma: corrupt range coder header');
  }

  /** True when the range coder ended cleanly (LZMA2 requires it at the end of every chunk). */
  get rangeCoderFinished(): boolean {
    return this.code === 0;
  }

  /**
   * Decodes symbols until one of the `LzmaStop` conditions. A match may not run past `outEnd` (the declared size);
   * reading beyond `inEnd` throws: truncated input.
   */
  decode(outEnd: number, inStop: number, pauseAt = Number.POSITIVE_INFINITY): LzmaStop {
    const out = this.out;
    const posMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    const lc = this.lc;
    while (out.length < outEnd) {
      if (this.inPos > inStop) return 'input';
      if (out.length >= pauseAt) return 'pause';
      const pos = out.length - this.dictStart;
      const posState = pos & posMask;
      const state = this.state;
      if (this.bit(this.isMatch, (state << 4) + posState) === 0) {
        const prev = pos > 0 ? out.buffer[out.length - 1]! : 0;
        const base = 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
        let symbol = 1;
        if (state >= 7) {
          let matchByte = this.byteAt(this.rep0);
          do {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const bit = this.bit(this.literal, base + ((1 + matchBit) << 8) + symbol);
            symbol = (symbol << 1) | bit;
            if (matchBit !== bit) break;
          } while (symbol < 0x100);
        }
        while (symbol < 0x100) symbol = (symbol << 1) | this.bit(this.literal, base + symbol);
        this.put(symbol & 0xff);
        this.state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (this.bit(this.isRep, state) !== 0) {
        if (pos === 0) throw new CorruptInput('lzma: repeated match before any output');
        if (this.bit(this.isRepG0, state) === 0) {
          if (this.bit(this.isRep0Long, (state << 4) + posState) === 0) {
            this.state = state < 7 ? 9 : 11;
            this.put(this.byteAt(this.rep0));
            continue;
          }
        } else {
          let dist: number;
          if (this.bit(this.isRepG1, state) === 0) {
            dist = this.rep1;
          } else {
            if (this.bit(this.isRepG2, state) === 0) {
              dist = this.rep2;
            } else {
              dist = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = dist;
        }
        len = this.length(this.repLenDecoder, posState);
        this.state = state < 7 ? 8 : 11;
      } else {
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        len = this.length(this.lenDecoder, posState);
        this.state = state < 7 ? 7 : 10;
        this.rep0 = this.distance(len);
        if (this.rep0 === END_MARKER) return 'end-marker';
      }
      this.copyMatch(this.rep0, len + MATCH_MIN_LEN, outEnd);
    }
    return 'limit';
  }

  private put(byte: number): void {
    const out = this.out;
    if (out.length === out.buffer.length && out.reserve(1) === 0) out.exceed();
    out.buffer[out.length++] = byte;
  }

  /** The byte `dist + 1` back in the dictionary. */
  private byteAt(dist: number): number {
    this.checkDistance(dist);
    return this.out.buffer[this.out.length - dist - 1]!;
  }

  private checkDistance(dist: number): void {
    if (dist >= this.out.length - this.dictStart) {
      throw new CorruptInput('lzma: match distance beyond the dictionary');
    }
  }

  private copyMatch(dist: number, len: number, outEnd: number): void {
    this.checkDistance(dist);
    const out = this.out;
    if (len > outEnd - out.length) throw new CorruptInput('lzma: match runs past the end of the data');
    const fit = out.reserve(len);
    const buffer = out.buffer;
    let to = out.length;
    let from = to - dist - 1;
    for (const end = to + fit; to < end; ) buffer[to++] = buffer[from++]!;
    out.length = to;
    if (fit < len) out.exceed();
  }

  private length(decoder: LenDecoder, posState: number): number {
    if (this.bit(decoder.choice, 0) === 0) return this.tree(decoder.low, posState << 3, 3);
    if (this.bit(decoder.choice, 1) === 0) return LEN_LOW_SYMBOLS + this.tree(decoder.mid, posState << 3, 3);
    return 2 * LEN_LOW_SYMBOLS + this.tree(decoder.high, 0, 8);
  }

  private distance(len: number): number {
    const lenState = len < 3 ? len : 3;
    const slot = this.tree(this.posSlot, lenState << 6, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    let dist = ((2 | (slot & 1)) << directBits) >>> 0;
    if (slot < END_POS_MODEL_INDEX) {
      return (dist + this.reverseTree(this.posSpecial, dist - slot, directBits)) >>> 0;
    }
    dist = (dist + (this.direct(directBits - 4) << 4)) >>> 0;
    return (dist + this.reverseTree(this.align, 0, 4)) >>> 0;
  }

  private tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, base + m);
    return m - (1 << bits);
  }

  private reverseTree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < bits; i++) {
      const bit = this.bit(probs, base + m);
      m = (m << 1) | bit;
      symbol |= bit << i;
    }
    return symbol;
  }

  private direct(bits: number): number {
    let result = 0;
    for (let i = 0; i < bits; i++) {
      this.range = this.range >>> 1;
      let bit = 0;
      if ((this.code ^ SIGN) >= (this.range ^ SIGN)) {
        this.code = (this.code - this.range) | 0;
        bit = 1;
      }
      result = (result << 1) | bit;
      if ((this.range & TOP_MASK) === 0) this.shiftIn();
    }
    return result >>> 0;
  }

  private bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    // range and code are kept as int32 bit patterns of the uint32 values so V8 keeps them unboxed; unsigned
    // comparisons flip the sign bit first.
    const bound = Math.imul(this.range >>> 11, p);
    let bit: number;
    if ((this.code ^ SIGN) < (bound ^ SIGN)) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      bit = 0;
    } else {
      this.range = (this.range - bound) | 0;
      this.code = (this.code - bound) | 0;
      probs[i] = p - (p >>> 5);
      bit = 1;
    }
    if ((this.range & TOP_MASK) === 0) this.shiftIn();
    return bit;
  }

  private shiftIn(): void {
    if (this.inPos >= this.inEnd) throw new CorruptInput('lzma: unexpected end of input');
    this.range <<= 8;
    this.code = (this.code << 8) | this.input[this.inPos++]!;
  }
}
