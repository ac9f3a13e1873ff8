/** Distribution tests for the shift indicators: chi-square, two-sample Kolmogorov–Smirnov, PSI. */

const lanczos = [
  676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905,
  -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.9999999999998099;
  for (let i = 0; i < lanczos.length; i++) sum += lanczos[i]! / (z + i + 1);
  const t = z + lanczos.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularised upper incomplete gamma Q(a, x) (Numerical Recipes: series below a+1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(front));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(front) * h);
}

/** P(X ≥ statistic) for a chi-square variable with `df` degrees of freedom. */
export function chiSquareSurvival(statistic: number, df: number): number {
  return df <= 0 ? 1 : gammaQ(df / 2, statistic / 2);
}

/** Chi-square test of homogeneity of two count vectors over the same categories. */
export function chiSquareHomogeneity(
  a: readonly number[],
  b: readonly number[],
): { statistic: number; df: number; p: number } {
  const totalA = a.reduce((s, x) => s + x, 0);
  const totalB = b.reduce((s, x) => s + x, 0);
  const total = totalA + totalB;
  let statistic = 0;
  let used = 0;
  for (let i = 0; i < a.length; i++) {
    const column = a[i]! + b[i]!;
    if (column === 0) continue;
    used++;
    const expectedA = (column * totalA) / total;
    const expectedB = (column * totalB) / total;
    statistic += (a[i]! - expectedA) ** 2 / expectedA + (b[i]! - expectedB) ** 2 / expectedB;
  }
  const df = used - 1;
  return { statistic, df, p: chiSquareSurvival(statistic, df) };
}

/** Population stability index of `actual` against `expected` counts; empty bins smoothed by 1e-4. */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  const totalE = expected.reduce((s, x) => s + x, 0);
  const totalA = actual.reduce((s, x) => s + x, 0);
  if (totalE === 0 || totalA === 0) return 0;
  let value = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]! / totalE, 1e-4);
    const a = Math.max(actual[i]! / totalA, 1e-4);
    value += (a - e) * Math.log(a / e);
  }
  return value;
}

/** Two-sample Kolmogorov–Smirnov: the largest gap D of the empirical CDFs and its asymptotic p-value. */
export function kolmogorovSmirnov(a: Float64Array, b: Float64Array): { d: number; p: number } {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { d: 0, p: 1 };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const value = Math.min(x[i]!, y[j]!);
    while (i < n && x[i]! <= value) i++;
    while (j < m && y[j]! <= value) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const effective = Math.sqrt((n * m) / (n + m));
  return { d, p: kolmogorovSurvival((effective + 0.12 + 0.11 / effective) * d) };
}

/** Q_KS(λ) = 2 Σ (−1)^(j−1) exp(−2 j² λ²). */
function kolmogorovSurvival(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let sign = 1;
  let previous = 0;
  for (let j = 1; j <= 100; j++) {
    const term = sign * 2 * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) <= 1e-10 * Math.abs(previous) || Math.abs(term) <= 1e-12 * sum)
      return Math.min(1, Math.max(0, sum));
    sign = -sign;
    previous = term;
  }
  return 1;
}
