/**
 * IEEE single-precision helpers for reproducing Fortran REAL arithmetic (see shapiro-wilk.ts).
 *
 * Every +, -, *, / and sqrt on two float32 values equals the double-precision result rounded once
 * with Math.fround (a double has more than 2 * 24 + 2 significand bits, so the double rounding is
 * harmless). Elementary functions are another matter: libm's logf is not correctly rounded, and
 * rounding Math.log to float32 disagrees with it on about 0.15% of inputs, so logf is reproduced.
 */

// glibc's logf (sysdeps/ieee754/flt-32/e_logf.c, from Arm's optimized-routines by Szabolcs Nagy,
// MIT licensed): log(x) = log1p(z/c - 1) + log(c) + k*ln2 in double precision, with x = 2^k z, one of
// 16 subintervals picked by the top mantissa bits, and a degree-4 polynomial, rounded once to float.
// Checked against glibc 2.36's logf for every positive float32, with and without FMA.
const LOGF_INVC = [
  1.398907162146528, 1.3403141896637998, 1.286432210124115, 1.2367150214269895, 1.1906977166711752, 1.1479821020556429,
  1.1082251448272158, 1.0711297413057381, 1.036437278977283, 1, 0.9492859795739057, 0.8951049428609004,
  0.8476821620351103, 0.8050314851692001, 0.7664671008843108, 0.731428603316328,
];
const LOGF_LOGC = [
  -0.33569133332882284, -0.2929040563774074, -0.2518726580937369, -0.21245868807117255, -0.17453945183745634,
  -0.1380057072319758, -0.10275976698545139, -0.06871392447020525, -0.0357891387398228, 0, 0.05204517742929496,
  0.11081431298787942, 0.1652495223695143, 0.21687389031699977, 0.2659635028121397, 0.3127556664073557,
];
const LN2 = Math.LN2; // glibc's 0x1.62e42fefa39efp-1
const P0 = -0.25089342214237154;
const P1 = 0.333456765744066;
const P2 = -0.4999997485802103;
const OFF = 0x3f330000;

const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);

/** The bits of a float32 value. */
export function float32Bits(x: number): number {
  floatView[0] = x;
  return bitsView[0]!;
}

function fromBits(bits: number): number {
  bitsView[0] = bits;
  return floatView[0]!;
}

/** Natural logarithm of a float32 value, bit for bit as glibc's logf computes it. */
export function logf(x: number): number {
  let ix = float32Bits(x);
  if (ix === 0x3f800000) return 0;
  if ((ix - 0x00800000) >>> 0 >= 0x7f800000 - 0x00800000) {
    // Zero, subnormal, negative, infinite or NaN.
    if ((ix & 0x7fffffff) === 0) return Number.NEGATIVE_INFINITY;
    if (ix === 0x7f800000) return x;
    if (ix >= 0x7f800000) return Number.NaN;
    ix = float32Bits(x * 2 ** 23) - (23 << 23);
  }
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> 19) & 15;
  const k = (tmp | 0) >> 23;
  const z = fromBits((ix - ((tmp & 0xff800000) >>> 0)) >>> 0);
  const r = z * LOGF_INVC[i]! - 1;
  const y0 = LOGF_LOGC[i]! + k * LN2;
  const r2 = r * r;
  let y = P1 * r + P2;
  y = P0 * r2 + y;
  y = y * r2 + (y0 + r);
  return Math.fround(y);
}
