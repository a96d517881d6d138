"""Throughput of symgrad's batch evaluation (``--points``), with baselines
measured in the same run.

Workloads (n = 10 variables): the extended Rosenbrock function and a
log-sum-exp of 10 linear forms with small integer coefficients. For each
size (1e4, 1e5, 1e6 points) it prints

* compute: symgrad's compiled gradient (and Hessian) vs (a) a hand-written
  vectorised NumPy gradient of the same function and (b) naive
  ``sympy.lambdify`` of the gradient without CSE, as a user would write it;
* end to end: ``symgrad f --points in.csv -o out.csv`` (and ``.npy``) as a
  subprocess vs (c) the I/O floor, ``numpy.loadtxt`` + ``numpy.savetxt`` (or
  ``np.load`` + ``np.save``) of the same data in this process.

Ratios are time / baseline time (below 1 is faster). Run:

    python benchmarks/bench_points.py            # all sizes
    python benchmarks/bench_points.py --quick    # 1e4 and 1e5 only
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import sympy as sp

import symgrad
from symgrad.evaluation.compiled import CompiledEntries
from symgrad.cli.command import main as cli_main

N = 10
RNG = np.random.default_rng(0)
COEFFS = RNG.integers(-3, 4, size=(10, N))


def rosenbrock_text(n: int = N) -> str:
    return " + ".join(f"100*(x{2*i+2} - x{2*i+1}**2)**2 + (1 - x{2*i+1})**2" for i in range(n // 2))


def lse_text(n: int = N) -> str:
    forms = []
    for row in COEFFS:
        form = " + ".join(f"{c}*x{j+1}" for j, c in enumerate(row) if c)
        forms.append(f"exp({form or '0'})")
    return f"log({' + '.join(forms)})"


def rosenbrock_hand(cols: np.ndarray) -> np.ndarray:
    """Gradient of the extended Rosenbrock function, by hand; cols is (n, rows)."""
    g = np.empty_like(cols)
    odd, even = cols[0::2], cols[1::2]
    t = even - odd * odd
    g[0::2] = -400.0 * odd * t - 2.0 * (1.0 - odd)
    g[1::2] = 200.0 * t
    return g


def lse_hand(cols: np.ndarray) -> np.ndarray:
    """Gradient of log(sum exp(A x)), by hand (softmax weights times A)."""
    z = COEFFS.astype(float) @ cols           # (forms, rows)
    z -= z.max(axis=0)
    w = np.exp(z)
    w /= w.sum(axis=0)
    return COEFFS.T.astype(float) @ w         # (n, rows)


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def naive_lambdify(derivs):
    xs = list(derivs.variables)
    return sp.lambdify(xs, list(derivs.gradient), modules="numpy")


def compute_rows(name, text, hand, sizes):
    derivs = symgrad.gradient(text)
    hess = symgrad.hessian(text)
    compiled = CompiledEntries(derivs)
    compiled_h = CompiledEntries(hess)
    naive = naive_lambdify(derivs)
    rows = []
    for size in sizes:
        pts = RNG.uniform(-1, 1, size=(size, N))
        cols = np.ascontiguousarray(pts.T)
        ours = compiled(pts).values
        ref = hand(cols).T
        assert np.allclose(ours, ref, rtol=1e-10, atol=1e-10), "compiled gradient disagrees with hand NumPy"
        # best of several: the hand-written baseline's time varies run to run
        # (BLAS threads, page faults), the compiled code's much less
        repeat = 3 if size >= 10**6 else 7
        t_ours = best_of(lambda pts=pts: compiled(pts), repeat)
        t_hand = best_of(lambda cols=cols: hand(cols), repeat)
        t_naive = best_of(lambda cols=cols: naive(*cols), repeat)
        # best of 3 at every size: the first 0.5 GB result pays for fresh pages (about 1 s)
        t_hess = best_of(lambda pts=pts: compiled_h(pts), repeat=3)
        rows.append((name, size, compiled.backend, t_ours, t_ours / t_hand, t_ours / t_naive, t_hess))
    return rows


def end_to_end(name, text, size, folder):
    pts = RNG.uniform(-1, 1, size=(size, N))
    header = ",".join(f"x{i+1}" for i in range(N))
    csv_in = os.path.join(folder, "in.csv")
    npy_in = os.path.join(folder, "in.npy")
    np.savetxt(csv_in, pts, delimiter=",", header=header, comments="", fmt="%.17g")
    np.save(npy_in, pts)

    def floor_csv():
        data = np.loadtxt(csv_in, delimiter=",", skiprows=1)
        np.savetxt(os.path.join(folder, "floor.csv"), data, delimiter=",", fmt="%.17g")

    def floor_npy():
        data = np.load(npy_in)
        np.save(os.path.join(folder, "floor.npy"), data)

    def run(source, target):
        # the command itself, in this process (imports already paid for)
        try:
            cli_main.main([text, "--points", source, "-o", target], prog_name="symgrad")
        except SystemExit as done:
            assert done.code == 0, done.code

    def run_process(source, target):
        subprocess.run(["symgrad", text, "--points", source, "-o", target], check=True)

    out = []
    repeat = 1 if size >= 10**6 else 2
    for kind, source, floor in (("csv", csv_in, floor_csv), ("npy", npy_in, floor_npy)):
        target = os.path.join(folder, f"out.{kind}")
        t_ours = best_of(lambda s=source, t=target: run(s, t), repeat=repeat)
        t_floor = best_of(floor, repeat=repeat)
        t_process = best_of(lambda s=source, t=target: run_process(s, t), repeat=1)
        out.append((name, size, kind, t_ours, t_floor, t_ours / t_floor, t_process))
    check = np.load(os.path.join(folder, "out.npy"))
    assert check.shape == (size, 1 + N)  # the function's value, then the gradient
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 1e4 and 1e5 only")
    args = parser.parse_args()
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
    workloads = [("rosenbrock", rosenbrock_text(), rosenbrock_hand), ("logsumexp", lse_text(), lse_hand)]

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, sympy {sp.__version__}")
    print("\ncompute (gradient of n=10 variables; ratios: below 1 means symgrad is faster)")
    print(f"{'function':<11} {'points':>9} {'backend':<10} {'symgrad s':>10} {'/hand numpy':>12} "
          f"{'/naive lambdify':>16} {'+hessian s':>11}")
    for name, text, hand in workloads:
        for row in compute_rows(name, text, hand, sizes):
            n, size, backend, t, r_hand, r_naive, t_h = row
            print(f"{n:<11} {size:>9,} {backend:<10} {t:>10.4f} {r_hand:>11.2f}x {r_naive:>15.2f}x {t_h:>11.4f}")

    print("\nend to end, gradient: the symgrad command run in this process (file in, file out) vs the")
    print("I/O floor (loadtxt+savetxt, or np.load+np.save, of the same data); last column: the same")
    print("command as a new process, start-up (imports of sympy, numpy, symengine) included")
    print(f"{'function':<11} {'points':>9} {'io':<4} {'symgrad s':>10} {'floor s':>9} {'/floor':>8} {'process s':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for name, text, _ in workloads:
            for size in sizes:
                for n, s, kind, t, f, r, p in end_to_end(name, text, size, folder):
                    print(f"{n:<11} {s:>9,} {kind:<4} {t:>10.3f} {f:>9.3f} {r:>7.2f}x {p:>10.3f}")


if __name__ == "__main__":
    main()
