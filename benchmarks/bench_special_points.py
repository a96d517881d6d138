"""How much slower special functions are at many points (``--points``) without a
vectorised version: symgrad's point-by-point mpmath path (30 digits) against
``scipy.special``, measured in one run.

Cases (the function's value and its derivative, as ``--points --value``
computes them, through :class:`symgrad.evaluation.compiled.CompiledEntries`,
the library code the CLI uses):

* ``besselj(0, x)*x``: with SciPy (``scipy.special.jv``) against the same job
  compiled with SciPy hidden from symgrad, as on a machine without it (every
  special function then goes point by point);
* ``polylog(2, x)``: SciPy has no ``polylog``, so symgrad always goes point
  by point; the baseline is the same two columns computed by NumPy with
  ``scipy.special.spence(1 - x)`` (the dilogarithm, vectorised) for the value.
* ``erf(x)*gamma(x + 2)`` (SciPy against SciPy hidden), for functions NumPy lacks.

Each path is compiled first; the time is the best of several calls on the
same points (x uniform in [0.05, 0.95]), per row. The values of the two paths
are compared too (they must agree to 1e-12 relative). Run from the checkout:

    PYTHONPATH=$PWD python benchmarks/bench_special_points.py             # 5,000 rows
    PYTHONPATH=$PWD python benchmarks/bench_special_points.py --rows 20000
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterator

import numpy as np

import symgrad
from symgrad.evaluation.compiled import CompiledEntries


@contextlib.contextmanager
def scipy_hidden() -> Iterator[None]:
    """``import scipy`` fails inside (as when SciPy is not installed); restored after."""
    saved = {name: module for name, module in sys.modules.items() if name == "scipy" or name.startswith("scipy.")}
    for name in saved:
        sys.modules[name] = None  # type: ignore[assignment]
    sys.modules.setdefault("scipy", None)  # type: ignore[arg-type]
    sys.modules.setdefault("scipy.special", None)  # type: ignore[arg-type]
    try:
        yield
    finally:
        for name in ("scipy", "scipy.special", *saved):
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def best_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def compiled(formula: str, hide_scipy: bool) -> CompiledEntries:
    derivs = symgrad.gradient(formula)
    if hide_scipy:
        with scipy_hidden():
            return CompiledEntries(derivs, backend="numpy", value=True)
    return CompiledEntries(derivs, backend="numpy", value=True)


def dilog_baseline(points: np.ndarray) -> np.ndarray:
    """polylog(2, x) and its derivative -log(1 - x)/x, vectorised with SciPy's spence."""
    import scipy.special

    x = points[:, 0]
    return np.column_stack([scipy.special.spence(1 - x), -np.log1p(-x) / x])


def compare(name: str, fast: Callable[[np.ndarray], np.ndarray], slow: Callable[[np.ndarray], np.ndarray],
            points: np.ndarray, fast_label: str, slow_label: str) -> float:
    rows = len(points)
    a, b = fast(points), slow(points)
    assert np.allclose(a, b, rtol=1e-12, atol=0), f"{name}: the two paths disagree"
    t_fast = best_seconds(lambda: fast(points), 5)
    t_slow = best_seconds(lambda: slow(points), 2)
    ratio = t_slow / t_fast
    print(f"{name:22} {fast_label:>26} {t_fast / rows * 1e6:9.3f} us/row   "
          f"{slow_label:>30} {t_slow / rows * 1e6:9.2f} us/row   ratio {ratio:8.0f}x")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000)
    args = parser.parse_args()
    rng = np.random.default_rng(14)
    points = rng.uniform(0.05, 0.95, size=(args.rows, 1))
    print(f"{args.rows} rows, value and derivative per row (CompiledEntries, backend numpy)")

    def block(entries: CompiledEntries) -> Callable[[np.ndarray], np.ndarray]:
        return lambda p: entries(p).values

    ratios = [
        compare("besselj(0, x)*x", block(compiled("besselj(0, x)*x", False)),
                block(compiled("besselj(0, x)*x", True)), points, "scipy.special.jv", "point by point (no SciPy)"),
        compare("erf(x)*gamma(x + 2)", block(compiled("erf(x)*gamma(x + 2)", False)),
                block(compiled("erf(x)*gamma(x + 2)", True)), points, "scipy.special", "point by point (no SciPy)"),
        compare("polylog(2, x)", dilog_baseline, block(compiled("polylog(2, x)", False)), points,
                "scipy.special.spence", "point by point (always)"),
    ]
    print(f"point by point is {min(ratios):.0f} to {max(ratios):.0f} times slower than scipy.special")


if __name__ == "__main__":
    main()
