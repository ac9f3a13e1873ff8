#!/usr/bin/env python3
"""Reference values for the drift engine's Shapiro-Wilk test, computed by scipy.

Writes shapiro-reference.json next to this script: deterministic samples (each drawn from its own
numpy RandomState seeded from the case name, so adding a case never changes the others), every
value rounded to 12 significant digits BEFORE scipy sees it, so the test feeds the TypeScript code
exactly the numbers scipy used; scipy.stats.shapiro's statistic and p-value for each; and scipy's
and numpy's versions.

scipy < 1.12 runs AS R94 through the Fortran swilk.f, which works in single precision (REAL) with
AS 111 for the normal quantiles and calls libm's logf; the TypeScript port reproduces that
arithmetic. To check its coefficients for every n, not only the sampled ones, the file also holds
an FNV-1a digest of the float32 coefficients swilk returns for each n from 3 to 5000. scipy >= 1.12
translated swilk to double precision Cython, which changes p-values for large n in the fifth
decimal, so regenerate with the scipy the reference names (Debian 12: 1.10.1) or expect the test to
fail for the large normal samples.

Also included: a few values of scipy.special.ndtri and of the normal upper tail (scipy.stats.norm.sf)
for the normal helpers.

Run (Debian's python has numpy and scipy; the default pyenv python3 has not):
    /usr/bin/python3 src/drift/testdata/make-shapiro-reference.py
"""
import json
import os
import sys
import warnings
import zlib

import numpy as np
import scipy
from scipy import special, stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "shapiro-reference.json")

DISTRIBUTIONS = {
    "normal": lambda rng, n: rng.normal(10.0, 2.0, n),
    "uniform": lambda rng, n: rng.uniform(-1.0, 1.0, n),
    "exponential": lambda rng, n: rng.exponential(1.5, n),
    "lognormal": lambda rng, n: rng.lognormal(0.0, 0.75, n),
    "t3": lambda rng, n: rng.standard_t(3, n),
    "bimodal": lambda rng, n: np.where(rng.uniform(size=n) < 0.5, rng.normal(-2.0, 1.0, n), rng.normal(2.0, 1.0, n)),
    "integer-ties": lambda rng, n: rng.poisson(4.0, n).astype(np.float64),
}
SMALL_NS = [3, 4, 5, 7, 11, 12, 20, 50, 100, 500]
# Large samples cost size: n = 1000 for a few shapes, n = 5000 only twice.
LARGE = [
    ("normal", 1000),
    ("uniform", 1000),
    ("exponential", 1000),
    ("t3", 1000),
    ("integer-ties", 1000),
    ("normal", 5000),
    ("integer-ties", 5000),
]
# A normal sample's p-value is mid-range, where it is most sensitive to rounding in swilk's sums:
# a few more of those at the sizes the extraction detector uses.
EXTRA_NORMAL = [(20, 3), (50, 3), (100, 3), (500, 2), (1000, 2)]


def rng_for(name):
    return np.random.RandomState(zlib.crc32(name.encode("utf-8")))


def round12(values):
    return [float(f"{v:.12g}") for v in np.asarray(values, dtype=np.float64)]


def near_constant_cases():
    yield "near-constant: 1 + 1e-9 noise", 1.0 + 1e-9 * rng_for("near-constant-1").normal(size=20)
    yield "near-constant: 19 equal, one 1e-6 above", [7.0] * 19 + [7.000001]
    yield "near-constant: 1e6 offset, 1e-4 noise", 1e6 + 1e-4 * rng_for("near-constant-2").normal(size=50)
    yield "near-constant: 1e-12 scale", 1e-12 * rng_for("near-constant-3").normal(size=30)
    yield "near-constant: four equal, one above", [3.0, 3.0, 3.0, 3.0, 4.0]
    yield "constant (scipy: zero range, w = p = 1)", [2.5] * 10
    yield "n=3 at the minimum W = 0.75", [0.0, 0.0, 1.0]
    yield "n=3 equally spaced, W = 1", [1.0, 2.0, 3.0]


def cases():
    for dist, draw in DISTRIBUTIONS.items():
        for n in SMALL_NS:
            name = f"{dist} n={n}"
            yield name, draw(rng_for(name), n)
    for dist, n in LARGE:
        name = f"{dist} n={n}"
        yield name, DISTRIBUTIONS[dist](rng_for(name), n)
    for n, count in EXTRA_NORMAL:
        for k in range(2, count + 2):
            name = f"normal n={n} #{k}"
            yield name, DISTRIBUTIONS["normal"](rng_for(name), n)
    yield from near_constant_cases()


def shapiro(sample):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on zero range; the test expects its w = p = 1
        result = stats.shapiro(np.asarray(sample, dtype=np.float64))
    return float(result.statistic), float(result.pvalue)


def fnv1a32(words):
    h = 0x811C9DC5
    for byte in words.astype("<u4").tobytes():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"


def coefficient_digests():
    """FNV-1a over the little-endian float32 bits of swilk's a[0..n/2) for n = 3..5000."""
    from scipy.stats import _statlib  # the Fortran routine behind scipy.stats.shapiro (scipy < 1.12)

    digests = []
    for n in range(3, 5001):
        a, _w, _pw, ifault = _statlib.swilk(np.arange(n, dtype=np.float32), np.zeros(n // 2, np.float32), 0)
        if ifault != 0:
            sys.exit(f"swilk failed for n={n}: ifault={ifault}")
        digests.append(fnv1a32(np.asarray(a, dtype=np.float32).view(np.uint32)))
    return digests


def main():
    if not _has_statlib():
        sys.exit("this scipy has no Fortran swilk (scipy >= 1.12); use Debian 12's /usr/bin/python3")
    out_cases = []
    for name, raw in cases():
        sample = round12(raw)
        w, p = shapiro(sample)
        out_cases.append({"name": name, "n": len(sample), "statistic": w, "pvalue": p, "sample": sample})
    quantile_ps = [1e-300, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.425, 0.45, 0.5]
    quantile_ps += [1 - p for p in [0.4, 0.2, 0.05, 0.01, 1e-5, 1e-10]]
    tail_zs = [-38.0, -8.0, -5.0, -2.0, -1.28, -1.0, -0.5, 0.0, 0.25, 1.0, 1.28, 1.2800001, 1.96, 3.0, 5.0, 7.0]
    tail_zs += [7.5, 10.0, 20.0, 37.0]
    reference = {
        "description": "scipy.stats.shapiro on samples rounded to 12 significant digits; see the generator",
        "generator": "src/drift/testdata/make-shapiro-reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": out_cases,
        "normalQuantile": [[p, float(special.ndtri(p))] for p in quantile_ps],
        "normalUpperTail": [[z, float(stats.norm.sf(z))] for z in tail_zs],
        "coefficientDigests": {"from": 3, "to": 5000, "fnv1a32": coefficient_digests()},
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(reference, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(out_cases)} cases to {OUT} ({os.path.getsize(OUT)} bytes)")


def _has_statlib():
    try:
        from scipy.stats import _statlib  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
