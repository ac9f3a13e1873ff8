/**
 * A mergeable distribution sketch of numbers with relative accuracy: the logarithmic bucket mapping of
 * DDSketch (Masson, Rim & Lee, VLDB 2019). Bucket i of the positive values holds (γ^(i-1), γ^i] with
 * γ = (1 + α) / (1 - α), so any quantile read back is within α of the true value, relatively.
 * Negative values mirror it; values closer to zero than `MIN_INDEXABLE` share one zero bucket.
 *
 * Why this sketch: merging is adding bucket counts, which is exact, associative and order-free, so
 * profiles of shards merge into exactly the profile of the whole; it needs no randomness, so the same
 * data always gives the same profile; and two sketches with the same α share bucket edges, so the CDFs
 * of a reference and a current sample can be compared edge by edge (KS, Wasserstein, PSI from profiles).
 * Memory: about ln(max/min) / ln(γ) buckets per sign, ≈ 1,400 for six decades at α = 0.005.
 */
export const DEFAULT_ALPHA = 0.005;
const MIN_INDEXABLE = 1e-300;
/** At most this many buckets per sign (values spanning ~1e±30 at the default α); beyond, the extreme buckets absorb. */
const MAX_BUCKETS = 15_000;

/** Counts per bucket index, dense over the indices seen so far. */
class Counts {
  offset = 0;
  counts = new Float64Array(0);
  total = 0;
  /** Lowest and highest index holding counts. */
  private low = 0;
  private high = -1;

  add(index: number, count: number): void {
    const inside = index - this.offset;
    if (this.high >= this.low && inside >= 0 && inside < this.counts.length) {
      // The common case, an index within the allocated range: what the general path below does for it.
      this.counts[inside]! += count;
      this.total += count;
      if (index < this.low) this.low = index;
      else if (index > this.high) this.high = index;
      return;
    }
    if (this.high < this.low) {
      this.offset = index - 8;
      this.counts = new Float64Array(16);
      this.low = this.high = index;
    } else if (index < this.offset || index >= this.offset + this.counts.length) this.grow(index);
    const at = Math.min(Math.max(index - this.offset, 0), this.counts.length - 1);
    this.counts[at]! += count;
    this.total += count;
    this.low = Math.min(this.low, at + this.offset);
    this.high = Math.max(this.high, at + this.offset);
  }

  /**
   * Re-allocates around the used range and `index` with room to spare on both sides. Past MAX_BUCKETS
   * the range keeps the used buckets and reaches towards `index` as far as it can; add() then puts the
   * value in the end bucket.
   */
  private grow(index: number): void {
    const low = Math.min(index, this.low);
    const high = Math.max(index, this.high);
    const span = high - low + 1;
    const size = Math.min(MAX_BUCKETS, Math.ceil(span * 1.5) + 16);
    let start = low - Math.floor((size - span) / 2);
    if (span > MAX_BUCKETS) start = index < this.low ? this.high - size + 1 : this.low;
    const next = new Float64Array(size);
    next.set(this.counts.subarray(this.low - this.offset, this.high - this.offset + 1), this.low - start);
    this.counts = next;
    this.offset = start;
  }

  /** Non-empty buckets as parallel arrays, for storage. */
  toJSON(): { index: number[]; count: number[] } {
    const index: number[] = [];
    const count: number[] = [];
    this.counts.forEach((value, at) => {
      if (value > 0) {
        index.push(at + this.offset);
        count.push(value);
      }
    });
    return { index, count };
  }
}

export interface SketchJson {
  alpha: number;
  zero: number;
  positive: { index: number[]; count: number[] };
  negative: { index: number[]; count: number[] };
}

/** One bucket in value order: its representative value, upper edge and count. */
export interface Bucket {
  readonly value: number;
  readonly upper: number;
  readonly count: number;
}

export class NumberSketch {
  readonly gamma: number;
  private readonly lnGamma: number;
  private readonly positive = new Counts();
  private readonly negative = new Counts();
  private zero = 0;

  constructor(readonly alpha = DEFAULT_ALPHA) {
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`sketch accuracy must be in (0, 1), got ${alpha}`);
    this.gamma = (1 + alpha) / (1 - alpha);
    this.lnGamma = Math.log(this.gamma);
  }

  get count(): number {
    return this.positive.total + this.negative.total + this.zero;
  }

  /** Adds a finite number; callers count NaN and infinities themselves. */
  add(value: number, count = 1): void {
    if (value > MIN_INDEXABLE) this.positive.add(Math.ceil(Math.log(value) / this.lnGamma), count);
    else if (value < -MIN_INDEXABLE) this.negative.add(Math.ceil(Math.log(-value) / this.lnGamma), count);
    else if (Number.isNaN(value)) throw new RangeError('NaN cannot be sketched');
    else this.zero += count;
  }

  addAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.add(values[i]!);
  }

  /** Adds another sketch's counts; both must have the same accuracy. */
  merge(other: NumberSketch): void {
    if (other.alpha !== this.alpha)
      throw new RangeError(`cannot merge sketches of accuracy ${other.alpha} and ${this.alpha}`);
    for (const [mine, theirs] of [
      [this.positive, other.positive],
      [this.negative, other.negative],
    ] as const) {
      theirs.counts.forEach((count, at) => {
        if (count > 0) mine.add(at + theirs.offset, count);
      });
    }
    this.zero += other.zero;
  }

  /** The representative value of bucket `index`: within α of every value in it. */
  private valueOf(index: number): number {
    return (2 * this.gamma ** index) / (this.gamma + 1);
  }

  /** Buckets in increasing value order. */
  buckets(): Bucket[] {
    const out: Bucket[] = [];
    const { negative, positive } = this;
    for (let at = negative.counts.length - 1; at >= 0; at--) {
      const count = negative.counts[at]!;
      const index = at + negative.offset;
      if (count > 0) out.push({ value: -this.valueOf(index), upper: -(this.gamma ** (index - 1)), count });
    }
    if (this.zero > 0) out.push({ value: 0, upper: MIN_INDEXABLE, count: this.zero });
    for (let at = 0; at < positive.counts.length; at++) {
      const count = positive.counts[at]!;
      const index = at + positive.offset;
      if (count > 0) out.push({ value: this.valueOf(index), upper: this.gamma ** index, count });
    }
    return out;
  }

  /** The value at quantile q (lower rank, as DDSketch reads it), or NaN when empty. */
  quantile(q: number): number {
    return this.quantiles([q])[0]!;
  }

  /** quantile() at each of `qs`, listing the buckets once. */
  quantiles(qs: readonly number[]): number[] {
    const total = this.count;
    if (total === 0) return qs.map(() => Number.NaN);
    const buckets = this.buckets();
    return qs.map((q) => {
      const rank = q * (total - 1);
      let seen = 0;
      for (const bucket of buckets) {
        seen += bucket.count;
        if (seen > rank) return bucket.value;
      }
      return buckets.at(-1)!.value;
    });
  }

  toJSON(): SketchJson {
    return { alpha: this.alpha, zero: this.zero, positive: this.positive.toJSON(), negative: this.negative.toJSON() };
  }

  static fromJSON(json: SketchJson): NumberSketch {
    const sketch = new NumberSketch(json.alpha);
    sketch.zero = json.zero;
    for (const [side, counts] of [
      [json.positive, sketch.positive],
      [json.negative, sketch.negative],
    ] as const) {
      if (side.index.length !== side.count.length) throw new RangeError('sketch index and count lengths differ');
      side.index.forEach((index, i) => {
        const count = side.count[i]!;
        if (!Number.isInteger(index) || !(count >= 0))
          throw new RangeError('sketch buckets must be integers and counts ≥ 0');
        counts.add(index, count);
      });
    }
    return sketch;
  }
}
