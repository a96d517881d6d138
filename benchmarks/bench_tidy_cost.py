"""What the tidy step costs: differentiation with ``simplify="tidy"`` against ``"off"``.

Workloads (the formulas of bench_symbolic.py, plus the README's one-shot
job): ``x**2+y*z``; the extended Rosenbrock function and log-sum-exp in
n = 200 variables (their Hessians: sparse, and dense with every entry
holding the whole sum), and Rosenbrock in n = 50 (tidied cheap-only). Each is differentiated with gradient and Hessian,
``off`` and ``tidy`` alternating, SymPy's cache cleared before each run,
and the best of ``--runs`` runs is reported with the ratio tidy / off
(the issue's budget: at most 1.10 for a 200-variable Hessian).

    python benchmarks/bench_tidy_cost.py            # --runs 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_symbolic import logsumexp, rosenbrock


def best(formula: str, mode: str, runs: int) -> float:
    import sympy as sp

    from symgrad.calculus import differentiate
    from symgrad.parsing import parse

    parsed = parse(formula)
    times = []
    for _ in range(runs):
        sp.core.cache.clear_cache()
        start = time.perf_counter()
        differentiate(parsed, hessian=True, simplify=mode)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workloads = {"x**2+y*z": "x**2+y*z", "rosenbrock n=50 (cheap-only)": rosenbrock(50),
                 "rosenbrock n=200 (not tidied)": rosenbrock(200), "logsumexp n=200 (not tidied)": logsumexp(200)}
    print("| workload | off (s) | tidy (s) | tidy / off |")
    print("|---|---|---|---|")
    for name, formula in workloads.items():
        off = tidy = float("inf")
        for _ in range(2):  # alternate, so drifting load hits both alike
            off = min(off, best(formula, "off", args.runs))
            tidy = min(tidy, best(formula, "tidy", args.runs))
        print(f"| {name} | {off:.4f} | {tidy:.4f} | {tidy / off:.2f} |")


if __name__ == "__main__":
    main()
