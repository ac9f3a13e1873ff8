#!/usr/bin/python3
"""Data and scipy's side of bench/drift.ts (Debian's python3-scipy 1.10 and numpy: /usr/bin/python3).

  /usr/bin/python3 bench/drift-scipy.py make DIR        once: the samples and CSVs bench/drift.ts reads
  /usr/bin/python3 bench/drift-scipy.py time DIR REPS   scipy's timings and values, as JSON on stdout:
                              ks_2samp, wasserstein_distance and PSI on ref/cur; 20 ks_2samp and 20
                              wasserstein_distance on the CSVs' raw columns (medians of up to 3)

make writes, from one seeded generator:
  ref.f64, cur.f64            1,000,000 float64 each (raw little-endian): N(0, 1) and N(0.02, 1.05²)
  reference.csv, current.csv  1,000,000 rows x 20 columns f0..f19, six decimals; current drifts in
                              half the columns
  reference.cols.f64, current.cols.f64   the same values as the CSVs, column after column
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import scipy
from scipy import stats

N = 1_000_000
COLUMNS = 20
PSI_BINS = 10
PSI_EPSILON = 1e-4


def column(rng, index, drift):
    """Column `index`: a different shape per column; `drift` moves the odd ones."""
    shift = 0.05 if drift and index % 2 == 1 else 0.0
    kind = index % 4
    if kind == 0:
        values = rng.normal(index + shift, 1.0, N)
    elif kind == 1:
        values = rng.lognormal(shift, 0.5, N)
    elif kind == 2:
        values = rng.uniform(-1.0 + shift, 1.0 + shift, N) * (index + 1)
    else:
        values = rng.exponential(1.0 + shift, N)
    # Rounded as the CSV writes them, so the raw columns are exactly the CSV's values.
    return np.round(values, 6)


def write_csv(path, matrix):
    tmp = f"{path}.tmp"
    with open(tmp, "w") as out:
        out.write(",".join(f"f{i}" for i in range(COLUMNS)) + "\n")
        for start in range(0, N, 100_000):
            np.savetxt(out, matrix[start : start + 100_000], fmt="%.6f", delimiter=",")
    os.replace(tmp, path)


def make(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(20240521)
    rng.normal(0.0, 1.0, N).astype("<f8").tofile(os.path.join(directory, "ref.f64"))
    rng.normal(0.02, 1.05, N).astype("<f8").tofile(os.path.join(directory, "cur.f64"))
    for name, drift in (("reference", False), ("current", True)):
        matrix = np.column_stack([column(rng, i, drift) for i in range(COLUMNS)])
        matrix.T.astype("<f8").tofile(os.path.join(directory, f"{name}.cols.f64"))
        write_csv(os.path.join(directory, f"{name}.csv"), matrix)


def psi(reference, current):
    """PSI over 10 reference-decile bins, outer bins open-ended (src/drift/stats/bin-edges.ts)."""
    edges = np.quantile(reference, np.append(np.arange(PSI_BINS) * (1 / PSI_BINS), 1.0))
    edges = edges[np.append(True, np.diff(edges) > 0)]
    r, _ = np.histogram(np.clip(reference, edges[0], edges[-1]), edges)
    c, _ = np.histogram(np.clip(current, edges[0], edges[-1]), edges)
    r = r / r.sum()
    c = c / c.sum()
    r[r == 0] = PSI_EPSILON
    c[c == 0] = PSI_EPSILON
    return float(np.sum((c - r) * np.log(c / r)))


def timed(task, reps):
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        value = task()
        samples.append((time.perf_counter() - start) * 1000)
    return {"ms": statistics.median(samples), "samples": samples, "value": value}


def run_times(directory, reps):
    ref = np.fromfile(os.path.join(directory, "ref.f64"), dtype="<f8")
    cur = np.fromfile(os.path.join(directory, "cur.f64"), dtype="<f8")

    def ks():
        result = stats.ks_2samp(ref, cur)
        return [float(result.statistic), float(result.pvalue)]

    tests = {
        "ks": timed(ks, reps),
        "wasserstein": timed(lambda: float(stats.wasserstein_distance(ref, cur)), reps),
        "psi": timed(lambda: psi(ref, cur), reps),
    }
    reference = np.fromfile(os.path.join(directory, "reference.cols.f64"), dtype="<f8").reshape(COLUMNS, N)
    current = np.fromfile(os.path.join(directory, "current.cols.f64"), dtype="<f8").reshape(COLUMNS, N)

    def twenty():
        return [float(stats.ks_2samp(reference[i], current[i]).statistic) for i in range(COLUMNS)]

    def twenty_wasserstein():
        return [float(stats.wasserstein_distance(reference[i], current[i])) for i in range(COLUMNS)]

    tests["ks20"] = timed(twenty, max(1, min(reps, 3)))
    tests["wasserstein20"] = timed(twenty_wasserstein, max(1, min(reps, 3)))
    versions = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}
    print(json.dumps({"versions": versions, "tests": tests}))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "time":
        run_times(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
