"""Newton's method for ∇f = 0 in float64, from many starts at once (NumPy).

:func:`float_newton` finds candidate critical points quickly; the search in
:mod:`symgrad.analysis.critical` then polishes each one with mpmath.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import SymgradError

_FLOAT_ITERATIONS = 80


def _close(a: Sequence[Any], b: Sequence[Any], tolerance: float = 1e-8) -> bool:
    return all(abs(x - y) <= tolerance * max(1, abs(x), abs(y)) for x, y in zip(a, b))


def float_newton(
    grad: Sequence[Any], hess: Sequence[Sequence[Any]], variables: Sequence[Any], starts: list[list[float]]
) -> list[list[float]]:
    """Run Newton's method from every start at once in float64; return the converged points."""
    import numpy as np

    try:
        g_fn, h_fn = _numpy_functions(grad, hess, variables)
        x = np.array(starts, dtype=float).T  # n × S
        with np.errstate(all="ignore"):
            g_fn(x), h_fn(x)
    except SymgradError:
        raise  # the job's time limit fired while compiling: it must end the job
    except Exception:  # noqa: BLE001 - a function numpy lacks: fewer starts, scalar mpmath
        return _scalar_starts(starts)
    _, count = x.shape
    alive = np.ones(count, dtype=bool)
    last_step = np.full(count, np.inf)
    with np.errstate(all="ignore"):
        for _ in range(_FLOAT_ITERATIONS):
            g = g_fn(x)
            h = h_fn(x)
            ok = alive & np.all(np.isfinite(g), axis=0) & np.all(np.isfinite(h), axis=(0, 1))
            alive &= ok
            if not alive.any():
                break
            hs = np.moveaxis(h[:, :, alive], 2, 0)
            gs = g[:, alive].T[:, :, None]
            step = (np.linalg.pinv(hs) @ gs)[:, :, 0].T
            x[:, alive] -= step
            last_step[alive] = np.max(np.abs(step), axis=0)
            alive &= np.all(np.abs(x) < 1e8, axis=0)
        scale = np.maximum(1, np.max(np.abs(x), axis=0))
        converged = alive & (last_step <= 1e-4 * scale)  # slow near degenerate points
        # a gradient that is small for the curvature there (not a slow walk to infinity)
        g, h = g_fn(x), h_fn(x)
        curvature = np.maximum(1, np.max(np.abs(h), axis=(0, 1)))
        converged &= np.max(np.abs(g), axis=0) <= 1e-6 * curvature
    distinct: list[list[float]] = []
    for k in np.flatnonzero(converged):
        point = list(map(float, x[:, k]))
        if not any(_close(point, other, 1e-6) for other in distinct):
            distinct.append(point)
    return distinct


def _scalar_starts(starts: list[list[float]]) -> list[list[float]]:
    """Without numpy functions: hand a few starts straight to the mpmath polish."""
    return starts[: max(20, len(starts) // 20)]


def _numpy_functions(grad: Sequence[Any], hess: Sequence[Sequence[Any]], variables: Sequence[Any]) -> tuple[Any, Any]:
    import numpy as np
    import sympy as sp

    g_raw = sp.lambdify([list(variables)], list(grad), modules="numpy", dummify=True)
    h_raw = sp.lambdify([list(variables)], [list(r) for r in hess], modules="numpy", dummify=True)
    n = len(variables)

    def g_fn(x: Any) -> Any:
        values = g_raw(x)
        return np.array([np.broadcast_to(np.asarray(v, dtype=float), x.shape[1:]) for v in values])

    def h_fn(x: Any) -> Any:
        values = h_raw(x)
        return np.array(
            [[np.broadcast_to(np.asarray(values[i][j], dtype=float), x.shape[1:]) for j in range(n)] for i in range(n)]
        )

    return g_fn, h_fn
