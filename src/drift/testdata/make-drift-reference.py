#!/usr/bin/env python3
"""Reference values for the drift engine's two-sample statistics, computed by scipy and numpy.

Writes drift-reference.json next to this script. Small samples are stored whole: each is drawn from
its own numpy RandomState seeded from the case name (adding a case never changes the others) and
rounded to 12 significant digits BEFORE scipy sees it, so the tests feed the TypeScript code exactly
the numbers scipy used. Large samples (up to a million values) are not stored: both languages build
them from the 32-bit linear congruential generator below, whose arithmetic is exact in double
precision, and the file keeps only the generator's parameters and scipy's answer.

    state <- (1664525 * state + 1013904223) mod 2**32      (the constants of Numerical Recipes)
    "uniform":  shift + scale * (state / 2**32)
    "integers": shift + (state mod modulus)

Every value is drawn from the state after an update, starting from the given seed.

Sections: ks (scipy.stats.ks_2samp with its defaults), kstwo (scipy.stats.kstwo.sf), smirnov
(scipy.special.smirnov), gammaincc, chi2sf, chisquare (scipy.stats.chisquare), contingency
(scipy.stats.chi2_contingency on a 2 x k table, correction=False), ztest (the pooled two-proportion
Z-test from its formula, tail from scipy.stats.norm.sf), psi (numpy binning and the PSI sum),
jensenshannon (scipy.spatial.distance.jensenshannon), wasserstein (scipy.stats.wasserstein_distance
and numpy.std). ks_2samp's method is recorded as "exact" unless scipy warned that it switched to the
asymptotic distribution or the sizes exceed its exact limit (10000).

Run (Debian's python has numpy and scipy; the default pyenv python3 has not):
    /usr/bin/python3 src/drift/testdata/make-drift-reference.py
"""
import json
import math
import os
import warnings
import zlib

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "drift-reference.json")
PSI_EPSILON = 1e-4


def rng_for(name):
    return np.random.RandomState(zlib.crc32(name.encode("utf-8")))


def round12(values):
    return [float(f"{v:.12g}") for v in np.asarray(values, dtype=np.float64)]


def lcg(spec):
    """The generated sample a spec describes (see the module docstring)."""
    state = spec["seed"] & 0xFFFFFFFF
    out = np.empty(spec["n"], dtype=np.float64)
    kind = spec["kind"]
    for i in range(spec["n"]):
        state = (1664525 * state + 1013904223) & 0xFFFFFFFF
        if kind == "uniform":
            out[i] = spec["shift"] + spec["scale"] * (state / 4294967296.0)
        else:
            out[i] = spec["shift"] + (state % spec["modulus"])
    return out


def uniform(seed, n, shift=0.0, scale=1.0):
    return {"seed": seed, "n": n, "kind": "uniform", "shift": shift, "scale": scale}


def integers(seed, n, modulus, shift=0):
    return {"seed": seed, "n": n, "kind": "integers", "modulus": modulus, "shift": shift}


# ---------------------------------------------------------------------------------------------
# Kolmogorov-Smirnov


def ks(a, b):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = stats.ks_2samp(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    switched = any("Switching to method=asymp" in str(w.message) for w in caught)
    exact = max(len(a), len(b)) <= 10000 and not switched
    return float(result.statistic), float(result.pvalue), "exact" if exact else "asymptotic"


KS_SIZES = [(1, 1), (1, 2), (2, 1), (1, 10), (2, 3), (3, 3), (3, 7), (5, 5), (8, 13), (10, 10), (12, 18),
            (20, 20), (20, 35), (25, 40), (50, 50), (60, 90), (100, 100), (101, 99), (150, 100), (200, 200),
            (250, 400)]
KS_PAIRS = {
    "same normal": lambda rng, n1, n2: (rng.normal(0, 1, n1), rng.normal(0, 1, n2)),
    "shifted normal": lambda rng, n1, n2: (rng.normal(0, 1, n1), rng.normal(0.6, 1, n2)),
    "wider normal": lambda rng, n1, n2: (rng.normal(0, 1, n1), rng.normal(0, 2.5, n2)),
    "poisson ties": lambda rng, n1, n2: (rng.poisson(3.0, n1).astype(float), rng.poisson(3.6, n2).astype(float)),
}


def ks_small_cases():
    for kind, draw in KS_PAIRS.items():
        for n1, n2 in KS_SIZES:
            name = f"{kind} {n1}x{n2}"
            a, b = draw(rng_for(name), n1, n2)
            yield name, a, b
    for n1, n2 in [(500, 500), (300, 700)]:
        name = f"shifted normal {n1}x{n2}"
        a, b = KS_PAIRS["shifted normal"](rng_for(name), n1, n2)
        yield name, a, b
    rng = rng_for("ks special")
    base = rng.normal(5, 2, 60)
    yield "identical samples 60x60", base, base.copy()
    yield "same values reordered 60x60", base, base[::-1].copy()
    yield "disjoint 40x40", rng.uniform(0, 1, 40), rng.uniform(2, 3, 40)
    yield "disjoint 30x70", rng.uniform(0, 1, 30), rng.uniform(2, 3, 70)
    yield "disjoint 1x1", [0.0], [1.0]
    yield "interleaved 1,2,3 vs 1.5,2.5", [1.0, 2.0, 3.0], [1.5, 2.5]
    yield "one constant vs another 20x20", [3.0] * 20, [4.0] * 20
    yield "constant inside spread 25x30", [0.5] * 25, rng.uniform(0, 1, 30)
    yield "all tied 10x15", [7.0] * 10, [7.0] * 15
    yield "heavy ties 0/1 400x300", rng.binomial(1, 0.3, 400).astype(float), rng.binomial(1, 0.36, 300).astype(float)
    # D = 1/n for equal sizes: scipy's exact sum rounds above 1 and it falls back to the asymptotic.
    yield "equal n, D=1/n 30x30", np.arange(30.0), np.arange(30.0) + 0.5
    yield "equal n, D=2/n 60x60", np.arange(60.0), np.arange(60.0) + 1.5
    yield "equal n, D=1/n 5x5", np.arange(5.0), np.arange(5.0) + 0.5


def ks_generated_cases():
    yield "exact equal 10000x10000", uniform(1, 10000), uniform(2, 10000, 0.012)
    yield "exact unequal 10000x9999", uniform(3, 10000), uniform(4, 9999, 0.01)
    yield "exact unequal 10000x7000 far apart", uniform(5, 10000), uniform(6, 7000, 0.2)
    yield "exact ties 8000x6000", integers(7, 8000, 50), integers(8, 6000, 50)
    yield "exact equal disjoint 10000x10000", uniform(9, 10000), uniform(10, 10000, 2.0)
    yield "asymptotic 10001x10000", uniform(11, 10001), uniform(12, 10000, 0.015)
    yield "asymptotic 20000x20000", uniform(13, 20000), uniform(14, 20000, 0.01)
    yield "asymptotic 20000x120 (n=119)", uniform(15, 20000), uniform(16, 120, 0.1)
    yield "asymptotic 15000x3 (n=3)", uniform(17, 15000), uniform(18, 3, 0.3)
    yield "asymptotic ties 20000x15000", integers(19, 20000, 40), integers(20, 15000, 40, 1)
    yield "asymptotic identical 12000x12000", uniform(21, 12000), uniform(21, 12000)
    yield "asymptotic disjoint 20000x20000", uniform(22, 20000), uniform(23, 20000, 1.5)
    yield "asymptotic 50000x40000", uniform(24, 50000, 0, 2.0), uniform(25, 40000, 0.01, 2.0)
    yield "asymptotic 1e6x1e6 small shift", uniform(26, 1000000), uniform(27, 1000000, 0.001)
    yield "asymptotic 1e6x1e6 shift near nx2=2.2", uniform(28, 1000000), uniform(29, 1000000, 0.0021)
    yield "asymptotic 1e6x400000 larger shift", uniform(30, 1000000), uniform(31, 400000, 0.006)


def kstwo_grid():
    ns = [1, 2, 3, 4, 5, 7, 10, 20, 50, 100, 139, 140, 141, 200, 500, 1000, 5000, 10000, 50000, 99999, 100000,
          100001, 200000, 1000000, 1000001, 5000000]
    c_values = [0.05, 0.2, 0.5, 0.754, 0.755, 1.0, 1.5, 2.0, 2.19, 2.21, 3.0, 3.99, 4.01, 6.0, 10.0, 17.9, 18.1, 40.0,
                100.0, 300.0, 369.0, 371.0]
    rows = []
    for n in ns:
        ds = {0.4 / n, 0.5 / n, 0.75 / n, 1.0 / n, 1.3 / n, 2.5 / n, 0.3, 0.49, 0.5, 0.51, 0.7, 0.95, 1.0,
              (n - 1) / n, 1 - 0.5 / n, (n - 1.5) / n}
        ds.update(math.sqrt(c / n) for c in c_values)
        if n > 140:
            ds.add((1.4 / n) ** (2 / 3) * 0.999)  # just inside the Durbin region for n <= 100000
            ds.add((1.4 / n) ** (2 / 3) * 1.001)  # just outside: Pelz-Good
        for d in sorted(ds):
            if 0 < d <= 1:
                rows.append([d, n, float(stats.kstwo.sf(d, n))])
    return rows


def smirnov_grid():
    rows = []
    for n in [1, 2, 3, 5, 10, 37, 100, 1000, 1012, 1013, 10000, 100000, 1000000, 1000001, 3000000]:
        for c in [0.1, 0.5, 1.0, 2.2, 5.0, 20.0, 100.0, 350.0]:
            d = math.sqrt(c / n)
            if d < 1:
                rows.append([n, d, float(special.smirnov(n, d))])
        for d in [0.5 / n, 1.0 / n, 1.5 / n, 0.3, 0.5, 0.9, 1 - 1.0 / n, 1 - 0.5 / n]:
            if 0 < d < 1:
                rows.append([n, d, float(special.smirnov(n, d))])
    return rows


# ---------------------------------------------------------------------------------------------
# Chi-square


def gammaincc_grid():
    rows = []
    for a in [0.5, 1.0, 1.5, 2.0, 2.5, 3.7, 5.0, 9.5, 10.0, 25.5, 50.0, 100.0, 499.5, 1000.0, 10000.0, 100000.0,
              1000000.0]:
        xs = {a * r for r in [1e-3, 0.1, 0.5, 0.9, 0.99, 1.0, 1.01, 1.1, 1.5, 2.0, 3.0, 10.0]}
        xs.update([1e-10, 1e-3, 0.1, 1.0, 5.0, 30.0, 100.0, 700.0])
        xs.update(a + k * math.sqrt(a) for k in [-5, -2, -0.5, 0.5, 2, 5, 20])
        for x in sorted(xs):
            if x > 0:
                rows.append([a, x, float(special.gammaincc(a, x))])
    return rows


def chi2sf_grid():
    rows = []
    for df in [1, 2, 3, 4, 5, 9, 10, 19, 50, 100, 999, 10000, 100000]:
        xs = {0.0, 1e-8, 0.5, 1.0, 3.84, 10.0, 50.0, 200.0, 1000.0, 1400.0}
        xs.update(float(stats.chi2.isf(p, df)) for p in [0.9, 0.5, 0.05, 1e-3, 1e-8, 1e-20, 1e-100])
        for x in sorted(xs):
            rows.append([x, df, float(stats.chi2.sf(x, df))])
    return rows


def chisquare_cases():
    def case(name, observed, expected=None):
        obs = np.asarray(observed, dtype=np.float64)
        exp = None if expected is None else np.asarray(expected, dtype=np.float64)
        result = stats.chisquare(obs, exp)
        return {"name": name, "observed": obs.tolist(), "expected": None if exp is None else exp.tolist(),
                "statistic": float(result.statistic), "pvalue": float(result.pvalue)}

    yield case("fair die", [16, 18, 16, 14, 12, 12])
    yield case("loaded die", [5, 8, 9, 8, 10, 20])
    yield case("two bins", [30, 70], [50, 50])
    yield case("matches expected", [10, 20, 30], [10, 20, 30])
    yield case("fractional expected", [12, 7, 31, 50], [10.5, 9.25, 30.25, 50])
    yield case("far from expected", [1000, 0, 0, 0], [250, 250, 250, 250])
    yield case("two bins, p near 1e-21", [350, 650], [500, 500])
    yield case("five bins, p near 1e-52", [400, 150, 150, 150, 150], [200, 200, 200, 200, 200])
    rng = rng_for("chisquare many bins")
    observed = rng.multinomial(5000, rng.dirichlet(np.ones(40))).astype(float)
    yield case("40 bins, 5000 draws", observed, round12(5000 * rng.dirichlet(np.ones(40) * 50)))
    rng = rng_for("chisquare huge")
    observed = rng.multinomial(10 ** 7, np.ones(1000) / 1000).astype(float)
    yield case("1000 bins, 1e7 draws, uniform", observed)
    observed2 = rng.multinomial(10 ** 7, rng.dirichlet(np.ones(1000) * 200)).astype(float)
    yield case("1000 bins, 1e7 draws, tiny p", observed2)


def contingency_cases():
    def case(name, a, b):
        result = stats.chi2_contingency(np.array([a, b], dtype=np.float64), correction=False)
        return {"name": name, "a": [float(x) for x in a], "b": [float(x) for x in b],
                "statistic": float(result[0]), "pvalue": float(result[1]), "dof": int(result[2])}

    yield case("2x2", [20, 30], [25, 25])
    yield case("2x2 strong", [90, 10], [40, 60])
    yield case("2x3 same proportions", [10, 20, 30], [20, 40, 60])
    yield case("2x5 unequal totals", [12, 40, 7, 3, 100], [30, 51, 9, 11, 120])
    yield case("2x4 fractional", [1.5, 2.25, 10, 7], [3, 0.5, 12.5, 9])
    rng = rng_for("contingency 2x50")
    probs = rng.dirichlet(np.ones(50) * 5)
    yield case("2x50 same distribution", rng.multinomial(20000, probs).tolist(), rng.multinomial(15000, probs).tolist())
    yield case("2x50 drifted", rng.multinomial(20000, probs).tolist(),
               rng.multinomial(15000, rng.dirichlet(np.ones(50) * 5)).tolist())
    yield case("2x4 small p", [300, 200, 250, 250], [200, 300, 250, 250])
    yield case("2x3 p near 1e-40", [700, 200, 100], [400, 400, 200])
    yield case("2x3 p underflows", [100000, 5, 100], [5, 100000, 100])


# ---------------------------------------------------------------------------------------------
# Two-proportion Z-test, PSI, Jensen-Shannon, Wasserstein


def ztest_cases():
    rows = [(45, 100, 55, 100), (0, 10, 1, 10), (500, 1000, 510, 1000), (1, 3, 2, 5), (120, 400, 40, 400),
            (9000, 10000, 1000, 10000), (3, 1000000, 12, 2000000), (33, 70, 33, 70), (5000000, 10000000, 5004000,
                                                                                      10000000),
            (7, 7, 0, 12), (1, 2, 1, 2), (250, 300, 100, 300)]
    out = []
    for x1, n1, x2, n2 in rows:
        p1 = x1 / n1
        p2 = x2 / n2
        pooled = (x1 + x2) / (n1 + n2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (p1 - p2) / se
        out.append({"successes1": x1, "n1": n1, "successes2": x2, "n2": n2, "z": z,
                    "pvalue": float(2 * stats.norm.sf(abs(z)))})
    return out


def psi_value(ref_counts, cur_counts):
    pr = ref_counts / ref_counts.sum()
    pc = cur_counts / cur_counts.sum()
    pr = np.where(pr == 0, PSI_EPSILON, pr)
    pc = np.where(pc == 0, PSI_EPSILON, pc)
    return float(np.sum((pc - pr) * np.log(pc / pr)))


def psi_edges(reference, bins, method):
    if method == "equal-width":
        return np.histogram_bin_edges(reference, bins=bins)
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        return np.histogram_bin_edges(reference, bins=bins)
    return edges


def psi_case(name, reference, current, bins, method, store=True):
    reference = np.asarray(reference, dtype=np.float64)
    current = np.asarray(current, dtype=np.float64)
    edges = psi_edges(reference, bins, method)
    # Values beyond the outer edges count in the outer bins.
    ref_counts = np.histogram(np.clip(reference, edges[0], edges[-1]), edges)[0].astype(float)
    cur_counts = np.histogram(np.clip(current, edges[0], edges[-1]), edges)[0].astype(float)
    out = {"name": name, "bins": bins, "method": method, "edges": edges.tolist(),
           "referenceCounts": ref_counts.tolist(), "currentCounts": cur_counts.tolist(),
           "psi": psi_value(ref_counts, cur_counts)}
    if store:
        out["reference"] = reference.tolist()
        out["current"] = current.tolist()
    return out


def psi_cases():
    for method in ["equal-width", "quantile"]:
        for bins in [1, 2, 5, 10, 20]:
            name = f"normal shift {method} {bins} bins"
            rng = rng_for(name)
            yield psi_case(name, round12(rng.normal(0, 1, 150)), round12(rng.normal(0.4, 1.2, 120)), bins, method)
        name = f"poisson ties {method}"
        rng = rng_for(name)
        yield psi_case(name, rng.poisson(2.0, 400).astype(float), rng.poisson(2.5, 350).astype(float), 10, method)
        name = f"current outside reference {method}"
        rng = rng_for(name)
        yield psi_case(name, round12(rng.uniform(0, 1, 200)), round12(rng.uniform(0.5, 2, 200)), 10, method)
        name = f"identical {method}"
        sample = round12(rng_for(name).exponential(1, 500))
        yield psi_case(name, sample, sample, 10, method)
        yield psi_case(f"constant reference {method}", [2.5] * 50, [2.5] * 30 + [3.0] * 10, 4, method)
        yield psi_case(f"small integers {method}", [0.0, 1, 1, 2, 2, 2, 3, 3, 3, 3], [0.0, 0, 1, 3, 3, 3, 4, 5], 4, method)


def psi_generated_cases():
    for method in ["equal-width", "quantile"]:
        ref_spec, cur_spec = uniform(101, 1000000), uniform(102, 800000, 0.02, 1.1)
        case = psi_case(f"1e6 uniform {method}", lcg(ref_spec), lcg(cur_spec), 10, method, store=False)
        yield {**case, "referenceSpec": ref_spec, "currentSpec": cur_spec}
        ref_spec, cur_spec = integers(103, 500000, 30), integers(104, 500000, 34, -2)
        case = psi_case(f"5e5 integers {method}", lcg(ref_spec), lcg(cur_spec), 20, method, store=False)
        yield {**case, "referenceSpec": ref_spec, "currentSpec": cur_spec}


def js_cases():
    def case(name, p, q):
        p = np.asarray(p, dtype=np.float64)
        q = np.asarray(q, dtype=np.float64)
        return {"name": name, "p": p.tolist(), "q": q.tolist(),
                "base2": float(distance.jensenshannon(p, q, base=2)),
                "natural": float(distance.jensenshannon(p, q))}

    yield case("identical", [0.2, 0.3, 0.5], [0.2, 0.3, 0.5])
    yield case("disjoint", [1, 0, 0], [0, 0, 1])
    yield case("scipy docs 1", [1.0, 0.0], [0.5, 0.5])
    yield case("unnormalised counts", [10, 20, 30, 40], [40, 30, 20, 10])
    yield case("zeros on one side", [0, 5, 5, 0], [1, 4, 4, 1])
    yield case("one bin", [3], [7])
    for k in [5, 50, 300]:
        name = f"dirichlet {k}"
        rng = rng_for(name)
        yield case(name, round12(rng.dirichlet(np.ones(k))), round12(rng.dirichlet(np.ones(k))))
    name = "sparse counts 200"
    rng = rng_for(name)
    yield case(name, rng.poisson(0.5, 200).astype(float), rng.poisson(0.6, 200).astype(float))


def wasserstein_cases():
    def case(name, u, v, uw=None, vw=None):
        u = round12(u)
        v = round12(v)
        out = {"name": name, "u": u, "v": v,
               "distance": float(stats.wasserstein_distance(u, v, uw, vw)),
               "referenceStd": float(np.std(np.asarray(u)))}
        if uw is not None:
            out["uWeights"] = [float(w) for w in uw]
            out["vWeights"] = [float(w) for w in vw]
            out["distance"] = float(stats.wasserstein_distance(u, v, out["uWeights"], out["vWeights"]))
        return out

    yield case("scipy docs", [0, 1, 3], [5, 6, 8])
    yield case("scipy docs weighted", [0, 1], [0, 1], [3, 1], [2, 2])
    yield case("single values", [1.5], [4.0])
    yield case("identical", [1, 2, 3, 4], [4, 3, 2, 1])
    yield case("ties", [0, 0, 1, 1, 1, 2], [1, 1, 2, 2, 3])
    yield case("constant reference", [5, 5, 5], [5, 6])
    yield case("constant equal", [5, 5, 5], [5, 5])
    for n1, n2 in [(10, 10), (50, 80), (500, 300)]:
        name = f"normal shift {n1}x{n2}"
        rng = rng_for(name)
        yield case(name, rng.normal(0, 1, n1), rng.normal(0.3, 1.5, n2))
    name = "weighted 40x60"
    rng = rng_for(name)
    uw = round12(rng.uniform(0, 2, 40))
    vw = round12(rng.uniform(0, 2, 60))
    yield case(name, rng.normal(0, 1, 40), rng.normal(0.5, 1, 60), uw, vw)
    name = "weighted with zero weights and ties"
    rng = rng_for(name)
    yield case(name, rng.poisson(3, 30).astype(float), rng.poisson(4, 25).astype(float),
               [0.0] * 5 + round12(rng.uniform(0, 1, 25)), round12(rng.uniform(0, 1, 20)) + [0.0] * 5)


def wasserstein_generated_cases():
    for name, u, v in [("1e6 uniform shift", uniform(201, 1000000), uniform(202, 1000000, 0.05, 1.2)),
                       ("5e5 integers ties", integers(203, 500000, 100), integers(204, 700000, 100, 3))]:
        a = lcg(u)
        b = lcg(v)
        yield {"name": name, "uSpec": u, "vSpec": v, "distance": float(stats.wasserstein_distance(a, b)),
               "referenceStd": float(np.std(a))}


def main():
    ks_cases = []
    for name, a, b in ks_small_cases():
        a = round12(a)
        b = round12(b)
        statistic, pvalue, method = ks(a, b)
        ks_cases.append({"name": name, "a": a, "b": b, "statistic": statistic, "pvalue": pvalue, "method": method})
    ks_generated = []
    for name, a, b in ks_generated_cases():
        statistic, pvalue, method = ks(lcg(a), lcg(b))
        ks_generated.append({"name": name, "a": a, "b": b, "statistic": statistic, "pvalue": pvalue,
                             "method": method})
    reference = {
        "description": "two-sample drift statistics by scipy and numpy; see the generator",
        "generator": "src/drift/testdata/make-drift-reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "lcgCheck": lcg(uniform(12345, 5)).tolist() + lcg(integers(12345, 5, 97, -3)).tolist(),
        "ks": ks_cases,
        "ksGenerated": ks_generated,
        "kstwo": kstwo_grid(),
        "smirnov": smirnov_grid(),
        "gammaincc": gammaincc_grid(),
        "chi2sf": chi2sf_grid(),
        "chisquare": list(chisquare_cases()),
        "contingency": list(contingency_cases()),
        "ztest": ztest_cases(),
        "psi": list(psi_cases()),
        "psiGenerated": list(psi_generated_cases()),
        "jensenshannon": list(js_cases()),
        "wasserstein": list(wasserstein_cases()),
        "wassersteinGenerated": list(wasserstein_generated_cases()),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(reference, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
