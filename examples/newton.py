"""Newton's method on the Rosenbrock function with symgrad's exact derivatives.

Run:  python examples/newton.py
"""

from __future__ import annotations

import symgrad


def newton(formula: str, start: dict[str, float], steps: int = 20) -> dict[str, float]:
    """Minimise ``formula`` from ``start`` using its exact gradient and Hessian."""
    h = symgrad.hessian(formula)
    names = [v.name for v in h.variables]
    point = dict(start)
    for _ in range(steps):
        values = h.at(point)
        grad = [float(g) for g in values.gradient]
        hess = [[float(e) for e in row] for row in values.hessian]
        if max(abs(g) for g in grad) < 1e-12:
            break
        # Solve hess * delta = grad for two variables (Cramer's rule).
        (a, b), (c, d) = hess
        det = a * d - b * c
        delta = [(d * grad[0] - b * grad[1]) / det, (a * grad[1] - c * grad[0]) / det]
        point = {n: point[n] - dx for n, dx in zip(names, delta)}
    return point


if __name__ == "__main__":
    found = newton("(1-x)**2 + 100*(y-x**2)**2", {"x": -1.2, "y": 1.0})
    print(f"minimum near x={found['x']:.12f}, y={found['y']:.12f}")
