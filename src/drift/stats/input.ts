/**
 * Input checks shared by the two-sample statistics. The drift engine counts missing and infinite
 * values itself, before any test runs, so a NaN or an Infinity reaching a statistic is a caller's
 * bug: it is thrown as a RangeError naming the function, the argument and the index rather than
 * allowed to turn the result into NaN.
 */

/** A copy of `values` as a Float64Array, after checking it is non-empty and every value finite. */
export function finiteSample(values: ArrayLike<number>, caller: string, label: string): Float64Array {
  const n = lengthOf(values, caller, label);
  if (n === 0) throw new RangeError(`${caller} needs a non-empty ${label}`);
  const copy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`${caller} needs finite numbers, got ${String(value)} at index ${i} of ${label}`);
    }
    copy[i] = value;
  }
  return copy;
}

/**
 * A copy of `values` (counts, frequencies or weights) after checking that it is non-empty, every
 * value finite and non-negative, and the total finite and positive. Returns the copy and its total.
 */
export function nonNegativeVector(
  values: ArrayLike<number>,
  caller: string,
  label: string,
): { values: Float64Array; total: number } {
  const copy = finiteSample(values, caller, label);
  let total = 0;
  for (let i = 0; i < copy.length; i++) {
    if (copy[i]! < 0) throw new RangeError(`${caller} needs non-negative ${label}, got ${copy[i]} at index ${i}`);
    total += copy[i]!;
  }
  if (!(total > 0 && Number.isFinite(total))) {
    throw new RangeError(`${caller} needs ${label} with a finite positive total, got ${total}`);
  }
  return { values: copy, total };
}

/** Throws unless `a` and `b` have the same length. */
export function sameLength(a: ArrayLike<number>, b: ArrayLike<number>, caller: string, labels: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${caller} needs ${labels} of the same length, got ${a.length} and ${b.length}`);
  }
}

function lengthOf(values: ArrayLike<number>, caller: string, label: string): number {
  const n = (values as { length?: unknown } | null | undefined)?.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new RangeError(`${caller} needs an array of numbers for ${label}`);
  }
  return n;
}

/** Σ values by Neumaier's compensated summation: a sum over ten million terms stays exact to ~1e-16. */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + compensation;
}
