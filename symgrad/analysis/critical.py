"""``--critical``: the points where the gradient vanishes, and what they are.

First SymPy's ``solve`` tries to find every solution of ``∇f = 0`` exactly,
within :data:`EXACT_BUDGET` seconds (a nested :func:`~symgrad.limits.time_limit`,
so the job's own ``--timeout`` still holds). Its solutions count as all of
them only when that is proven (:mod:`symgrad.analysis._complete`: a
polynomial gradient whose distinct solutions a Groebner basis counts);
otherwise — ``solve`` failed, ran out of time, returned only some solutions,
or the gradient is not polynomial (``sin`` has infinitely many zeros) —
Newton's method with the exact Hessian runs from many seeded starting points
in the box; the points it converges to are polished with mpmath and
de-duplicated. Newton's points complete the list when, with the exact ones,
they reach the proven count. Each point is
classified by the eigenvalues of the Hessian there: local minimum (all
positive), local maximum (all negative), saddle (both signs) or degenerate
(a zero eigenvalue and no sign change: the second-derivative test says
nothing).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..calculus import Derivatives, differentiate
from ..errors import AnalysisError, SymgradError
from ..limits import time_limit
from ..results import Plain, plain
from . import _complete
from ._complete import SolverTimeout
from ._newton import float_newton
from ._numeric import is_finite_real, mp_function, real_part, to_mp, working_precision

#: Seconds SymPy's exact solver may take before the numeric search takes over.
EXACT_BUDGET = 3.0
#: Seconds the count of solutions (the proof that a list is complete) may take.
PROOF_BUDGET = 2.0
#: Newton starting points per variable (at most :data:`MAX_STARTS` in all).
STARTS_PER_VARIABLE = 300
MAX_STARTS = 2000
#: Default search box for the numeric method (every variable).
DEFAULT_BOX = (-10.0, 10.0)
_POLISH_ITERATIONS = 60

MINIMUM = "local minimum"
MAXIMUM = "local maximum"
SADDLE = "saddle"
DEGENERATE = "degenerate"
COMPLEX = "complex (not classified)"
NON_ISOLATED = "non-isolated (degenerate)"


@dataclass(frozen=True)
class CriticalPoint:
    """One solution of ∇f = 0.

    ``at`` holds SymPy values: exact expressions when ``method`` is
    ``"exact"``, Floats (50 digits, shown rounded) when it is ``"newton"``
    (or exact fractions, when a Newton point is proven to be one).
    A non-isolated solution (a curve of critical points) keeps free symbols.
    """

    at: tuple[tuple[str, Any], ...]
    method: str  # "exact" or "newton"
    kind: str
    eigenvalues: tuple[Any, ...]  # mpmath numbers, ascending
    value: Any  # f at the point (mpmath number), or a SymPy expression for a curve
    #: Each coordinate as a plain number (None on a curve): a real one whose
    #: exact form holds ``I`` (three real roots of a cubic) loses the rounding
    #: noise of its imaginary part. Computed once, for the renderers.
    decimals: tuple[Plain | None, ...] = field(init=False)

    def __post_init__(self) -> None:
        decimals = tuple(_real_number(v) if self.isolated else None for _, v in self.at)
        object.__setattr__(self, "decimals", decimals)

    @property
    def isolated(self) -> bool:
        """Whether this is one point (not a curve or surface of critical points)."""
        return all(not getattr(v, "free_symbols", None) for _, v in self.at)

    @property
    def exact(self) -> bool:
        """Whether the coordinates are exact (from ``solve``, or a Newton point proven rational)."""
        import sympy as sp

        return not any(isinstance(v, sp.Float) for _, v in self.at)


def _real_number(value: Any) -> Plain:
    """A coordinate as a plain number, with no imaginary rounding noise when it is real."""
    with working_precision():
        number = to_mp(value)
        if is_finite_real(number):
            return plain(float(real_part(number)))
    return plain(value)


@dataclass(frozen=True)
class CriticalReport:
    """All critical points found, and how the search went."""

    points: tuple[CriticalPoint, ...]
    #: "complete" (solve's solutions, proven to be all), "found" (solve's
    #: solutions, not proven all), "partial" (solve's, the gradient not
    #: polynomial), "timed out" or "failed"
    exact_outcome: str
    newton_used: bool
    box: tuple[float, float]
    #: Whether ``points`` are proven to be every critical point (real ones
    #: with real variables); else they are the ones found.
    complete: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.points:
            counts[p.kind] = counts.get(p.kind, 0) + 1
        return counts


def classify(eigenvalues: Sequence[Any]) -> str:
    """The kind of a real critical point from its Hessian's eigenvalues.

    >>> classify([1, 2]), classify([-1, -3]), classify([-1, 0, 2]), classify([0, 1])
    ('local minimum', 'local maximum', 'saddle', 'degenerate')
    """
    import mpmath

    size = max((abs(v) for v in eigenvalues), default=0)
    zero = mpmath.mpf(10) ** -20 * max(size, 1)
    positive = any(v > zero for v in eigenvalues)
    negative = any(v < -zero for v in eigenvalues)
    if positive and negative:
        return SADDLE
    if any(abs(v) <= zero for v in eigenvalues) or not eigenvalues:
        return DEGENERATE
    return MINIMUM if positive else MAXIMUM


def critical_points(
    derivs: Derivatives,
    *,
    box: tuple[float, float] = DEFAULT_BOX,
    seed: int = 0,
    exact_budget: float = EXACT_BUDGET,
) -> CriticalReport:
    """Find and classify the critical points of a scalar function.

    Every symbol must be a variable (no parameters). With real variables
    (the default) only real points are kept; with ``real=False`` exact
    complex solutions are kept too, and not classified.

    >>> from symgrad import gradient
    >>> [(p.at, p.kind, p.method) for p in critical_points(gradient("x**2 - y**2")).points]
    [((('x', 0), ('y', 0)), 'saddle', 'exact')]
    """
    if derivs.is_vector:
        raise AnalysisError("--critical needs one formula (a scalar function), not a vector")
    if derivs.parameters:
        names = ", ".join(p.name for p in derivs.parameters)
        raise AnalysisError(
            f"--critical needs every symbol to be a variable; {names} "
            f"{'is a parameter' if len(derivs.parameters) == 1 else 'are parameters'} "
            "(leave out --wrt, or give the parameters numbers in the formula)"
        )
    if not derivs.variables:
        raise AnalysisError("--critical needs a variable")
    if derivs.hessians is None:
        derivs = differentiate(derivs.parsed, hessian=True)
    with working_precision():
        return _Search(derivs, box, seed).run(exact_budget)


class _Search:
    def __init__(self, derivs: Derivatives, box: tuple[float, float], seed: int):
        self.derivs = derivs
        self.variables = derivs.variables
        self.box = box
        self.seed = seed
        self.real = derivs.parsed.real
        assert derivs.gradient is not None and derivs.hessian is not None
        self.grad_exprs = derivs.gradient
        self.hess_exprs = derivs.hessian
        self.f = mp_function(derivs.exprs[0], self.variables)
        self.grad = [mp_function(g, self.variables) for g in self.grad_exprs]
        self.hess = [[mp_function(h, self.variables) for h in row] for row in self.hess_exprs]

    def run(self, budget: float) -> CriticalReport:
        import sympy as sp

        solutions, outcome = self.solve_exact(budget)
        # solve may list a solution twice (sqrt(x**2 + 1) + x*y**2 gives (0, 0) twice)
        unique = {tuple(s.get(v, v) for v in self.variables): s for s in solutions}
        points = [p for p in (self.exact_point(s) for s in unique.values()) if p is not None]
        polynomial = all(sp.sympify(g, strict=True).is_polynomial(*self.variables) for g in self.grad_exprs)
        families = [s for key, s in unique.items() if any(getattr(v, "free_symbols", None) for v in key)]
        # every distinct isolated solution, complex ones too
        found = _complete.solution_keys(unique.values(), self.variables, self.grad, self.real)
        count = None
        if polynomial and outcome != "constant":
            count = _complete.count_solutions(self.grad_exprs, self.variables, self.real, _budget(PROOF_BUDGET))
        if outcome == "constant":
            outcome, proven = "complete", True
        elif outcome == "complete" and not polynomial:
            outcome, proven = "partial", False
        elif outcome == "complete":
            proven = (count == len(found) and not families) or bool(families) and _complete.covered(
                self.grad_exprs, self.variables, list(unique.values()), _budget(PROOF_BUDGET))
            outcome = "complete" if proven else "found"
        else:
            proven = False
        if not proven:
            exact_keys = {_key(self.coordinates(p)) for p in points if p.kind not in (NON_ISOLATED, COMPLEX)}
            for c, linear in self.newton_candidates():
                key = _key(c)
                if key not in exact_keys and not any(_complete.on_family(family, self.variables, c) for family in families):
                    exact_keys.add(key)
                    points.append(self.numeric_point(c, linear))
                    found.add(_complete.complex_key(c))
        complete = proven or (count is not None and not families and count == len(found))
        points.sort(key=_sort_key)
        return CriticalReport(tuple(points), outcome, not proven, self.box, complete)

    # exact -----------------------------------------------------------------

    def solve_exact(self, budget: float) -> tuple[list[dict[Any, Any]], str]:
        import sympy as sp

        if all(g == 0 for g in self.grad_exprs):
            return [{}], "constant"  # every point is critical
        try:
            with time_limit(_budget(budget), error=SolverTimeout):
                solutions = sp.solve(list(self.grad_exprs), list(self.variables), dict=True)
        except SolverTimeout:
            return [], "timed out"
        except SymgradError:
            raise  # the job's own time limit
        except Exception:  # noqa: BLE001 - SymPy could not solve it (NotImplementedError, ...)
            return [], "failed"
        if not isinstance(solutions, list):
            return [], "failed"
        return solutions, "complete"

    def exact_point(self, solution: dict[Any, Any]) -> CriticalPoint | None:
        import mpmath

        at = tuple((v.name, solution.get(v, v)) for v in self.variables)
        values = [value for _, value in at]
        if any(getattr(value, "free_symbols", set()) for value in values):
            return CriticalPoint(at, "exact", NON_ISOLATED, (), self.derivs.exprs[0].xreplace(solution))
        numbers = [to_mp(v) for v in values]
        if not all(mpmath.isfinite(x) for x in numbers):
            return None
        is_real = all(is_finite_real(x) for x in numbers)
        if self.real and not is_real:
            return None
        if not is_real:
            return CriticalPoint(at, "exact", COMPLEX, (), self.f(numbers))
        numbers = [real_part(x) for x in numbers]
        if not self.vanishes(numbers):
            return None  # not a solution after all (solve can return spurious ones)
        eigenvalues = self.eigenvalues(numbers)
        return CriticalPoint(at, "exact", classify(eigenvalues), eigenvalues, real_part(self.f(numbers)))

    def vanishes(self, numbers: Sequence[Any]) -> bool:
        """Whether ∇f is zero at the point, to the working precision."""
        import mpmath

        g = [g_(numbers) for g_ in self.grad]
        curvature = [abs(h(numbers)) for row in self.hess for h in row]
        if not all(mpmath.isfinite(c) for c in curvature):
            return True  # cannot judge; trust solve
        size = max([1, *(abs(x) for x in numbers)]) * max([1, *curvature])
        return all(mpmath.isfinite(v) and abs(v) <= mpmath.mpf(10) ** (20 - mpmath.mp.dps) * size for v in g)

    # numeric ---------------------------------------------------------------

    def eigenvalues(self, numbers: Sequence[Any]) -> tuple[Any, ...]:
        import mpmath

        matrix = mpmath.matrix([[real_part(h(numbers)) for h in row] for row in self.hess])
        if not all(mpmath.isfinite(matrix[i, j]) for i in range(matrix.rows) for j in range(matrix.cols)):
            return ()
        return tuple(sorted(mpmath.eigsy(matrix, eigvals_only=True)))

    def numeric_point(self, numbers: Sequence[Any], linear: bool = False) -> CriticalPoint:
        """A Newton point; ``linear`` when Newton converged only linearly there."""
        import mpmath
        import sympy as sp

        rational = self.rational(numbers)
        if rational is not None:
            numbers = [to_mp(r) for r in rational]
        eigenvalues = self.eigenvalues(numbers)
        if linear and rational is None and eigenvalues:
            # Linear convergence means the Hessian is singular at the limit: the
            # smallest eigenvalue is zero, only the point's inexactness hides it.
            k = min(range(len(eigenvalues)), key=lambda i: abs(eigenvalues[i]))
            eigenvalues = (*eigenvalues[:k], mpmath.mpf(0), *eigenvalues[k + 1 :])
        kind = classify(eigenvalues) if eigenvalues else DEGENERATE
        if rational is not None:
            at = tuple((v.name, r) for v, r in zip(self.variables, rational))
            return CriticalPoint(at, "newton", kind, eigenvalues, real_part(self.f(numbers)))
        at = tuple((v.name, sp.Float(x, 50)) for v, x in zip(self.variables, numbers))
        value = real_part(self.f(numbers))
        if abs(value) < mpmath.mpf(10) ** (15 - mpmath.mp.dps):
            value = mpmath.mpf(0)  # below what the point's 50 digits can resolve
        return CriticalPoint(at, "newton", kind, eigenvalues, value)

    def rational(self, numbers: Sequence[Any]) -> tuple[Any, ...] | None:
        """Simple fractions within 1e-10 of the point, if ∇f vanishes there exactly."""
        import mpmath
        import sympy as sp

        guess = []
        for x in numbers:
            r = Fraction(mpmath.nstr(x, 45)).limit_denominator(1000)
            # loose, since ∇f is then checked exactly (degenerate points are found less precisely)
            if abs(x - mpmath.mpf(r.numerator) / r.denominator) > mpmath.mpf(10) ** -10 * max(1, abs(x)):
                return None
            guess.append(sp.Rational(r.numerator, r.denominator))
        replace = dict(zip(self.variables, guess))
        try:
            exact = all(sp.sympify(g, strict=True).xreplace(replace).is_zero is True for g in self.grad_exprs)
        except (ValueError, ArithmeticError, TypeError):
            return None
        return tuple(guess) if exact else None

    def coordinates(self, point: CriticalPoint) -> list[Any]:
        return [real_part(to_mp(v)) for _, v in point.at]

    def starts(self) -> list[list[float]]:
        rng = random.Random(self.seed)
        lo, hi = self.box
        n = len(self.variables)
        count = min(STARTS_PER_VARIABLE * n, MAX_STARTS)
        return [[rng.uniform(lo, hi) for _ in range(n)] for _ in range(count)]

    def newton_candidates(self) -> list[tuple[list[Any], bool]]:
        """Distinct real points where Newton's method, polished in mpmath, makes ∇f vanish."""
        found: dict[tuple[float, ...], tuple[list[Any], bool]] = {}
        lo, hi = self.box
        margin = 1e-6 * max(1.0, abs(lo), abs(hi))
        for guess in float_newton(self.grad_exprs, self.hess_exprs, self.variables, self.starts()):
            if not all(lo - margin <= v <= hi + margin for v in guess):
                continue  # Newton left the box searched
            polished = self.polish(guess)
            if polished is not None:
                found.setdefault(_key(polished[0]), polished)
        return list(found.values())

    def polish(self, guess: Sequence[float]) -> tuple[list[Any], bool] | None:
        """Newton in mpmath from ``guess``: (the point, whether it converged only linearly).

        Convergence is judged by the steps, not the gradient alone: on a
        flat tail (``x*exp(-x**2)`` far out) the gradient is tiny but Newton
        keeps walking away. Near a degenerate point (singular Hessian, as for
        ``x**4``) Newton converges only linearly, its steps shrinking by a
        steady ratio r; the remaining distance is then step/(1 − r), and
        taking that whole step (Aitken's extrapolation) lands on the point.
        None when the steps do not shrink to nothing or the point is outside
        the box.
        """
        import mpmath

        n = len(guess)
        x = mpmath.matrix([mpmath.mpf(v) for v in guess])
        sizes: list[Any] = []
        linear = False
        converged = False
        for iteration in range(_POLISH_ITERATIONS):
            point = [x[i] for i in range(n)]
            g = [g_(point) for g_ in self.grad]
            h = [[e(point) for e in row] for row in self.hess]
            if not all(is_finite_real(v) for v in g + [e for row in h for e in row]):
                return None
            if all(real_part(v) == 0 for v in g):
                converged = True
                break
            try:
                step = mpmath.lu_solve(mpmath.matrix([[real_part(e) for e in row] for row in h]),
                                       mpmath.matrix([real_part(v) for v in g]))
            except (ZeroDivisionError, TypeError, ValueError):  # a singular Hessian
                if linear or (sizes and sizes[-1] <= mpmath.mpf(10) ** -12 * max(1, mpmath.norm(x))):
                    converged = True  # at a degenerate point, where the Hessian is singular
                    break
                return None
            size = mpmath.norm(step)
            if not mpmath.isfinite(size):
                return None
            if len(sizes) >= 2 and sizes[-1] and sizes[-2]:
                ratio, before = size / sizes[-1], sizes[-1] / sizes[-2]
                if 0.05 < ratio < 0.995 and abs(ratio - before) < 0.02:
                    linear = True
                    step = step / (1 - ratio)
            x = x - step
            sizes.append(size)
            scale = max(1, mpmath.norm(x))
            if size <= mpmath.mpf(10) ** (10 - mpmath.mp.dps) * scale:
                converged = True
                break
            if iteration >= 8 and size > mpmath.mpf(10) ** -6 * scale:
                return None  # not converging: the float search was misled
        point = [x[i] for i in range(n)]
        if not converged and sizes[-1] > mpmath.mpf(10) ** -12 * max(1, mpmath.norm(x)):
            return None
        lo, hi = self.box
        if not all(lo <= v <= hi for v in point):
            return None  # Newton left the box searched
        return point, linear


def _budget(seconds: float) -> float:
    """``seconds``, or half the time the job has left when that is less (the rest for Newton)."""
    job_left = _time_left()
    return min(seconds, job_left / 2) if job_left else seconds


def _time_left() -> float:
    """Seconds left on the job's time limit (0 when there is none)."""
    import signal

    if not hasattr(signal, "getitimer"):
        return 0.0
    return float(signal.getitimer(signal.ITIMER_REAL)[0])


def _key(numbers: Sequence[Any]) -> tuple[float, ...]:
    """Coordinates rounded to 9 decimals: points with the same key are one point.

    Polished points are accurate to far more digits, so two Newton runs that
    reach the same point agree here; distinct critical points closer than
    1e-9 are merged.
    """
    return tuple(round(float(v), 9) + 0.0 for v in numbers)  # + 0.0: -0.0 is 0.0


def _sort_key(point: CriticalPoint) -> tuple[Any, ...]:
    order = [MINIMUM, MAXIMUM, SADDLE, DEGENERATE, NON_ISOLATED, COMPLEX]
    coords = []
    for _, v in point.at:
        try:
            coords.append(float(real_part(to_mp(v))))
        except (TypeError, ValueError):
            coords.append(0.0)
    return (order.index(point.kind), *coords)
