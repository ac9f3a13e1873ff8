/**
 * The two-proportion Z-test with a pooled proportion: are the success rates x₁/n₁ and x₂/n₂ of two
 * samples the same? With p = (x₁ + x₂)/(n₁ + n₂),
 *   z = (x₁/n₁ − x₂/n₂) / √(p(1 − p)(1/n₁ + 1/n₂)),   p-value = 2 P(Z > |z|).
 * The normal approximation wants n·p and n·(1 − p) not too small (say >= 5 in each sample); that is
 * the caller's judgement, not checked here.
 */
import { normalUpperTail } from './normal.js';

export interface TwoProportionZTestResult {
  /** The standardised difference of the two proportions; positive when the first is larger. */
  z: number;
  /** Two-sided: 2 P(Z > |z|) for a standard normal Z, in [0, 1]. */
  pValue: number;
  /** The pooled proportion (x₁ + x₂)/(n₁ + n₂). */
  pooled: number;
}

/**
 * Two-sided two-proportion Z-test of x₁ successes out of n₁ against x₂ out of n₂. Counts may be
 * fractional (weighted). When the pooled proportion is 0 or 1 both samples agree perfectly and the
 * standard error is 0: the result is z = 0, p-value 1 instead of 0/0.
 * @throws RangeError unless every count is finite, 0 <= x <= n and n > 0.
 */
export function twoProportionZTest(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
): TwoProportionZTestResult {
  check(successes1, n1, 'first');
  check(successes2, n2, 'second');
  const pooled = (successes1 + successes2) / (n1 + n2);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (standardError === 0) return { z: 0, pValue: 1, pooled };
  const z = (successes1 / n1 - successes2 / n2) / standardError;
  return { z, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))), pooled };
}

function check(successes: number, n: number, which: string): void {
  if (!(Number.isFinite(n) && n > 0)) {
    throw new RangeError(`twoProportionZTest needs a finite positive size for the ${which} sample, got ${n}`);
  }
  if (!(Number.isFinite(successes) && successes >= 0 && successes <= n)) {
    throw new RangeError(
      `twoProportionZTest needs 0 <= successes <= n for the ${which} sample, got ${successes} of ${n}`,
    );
  }
}
