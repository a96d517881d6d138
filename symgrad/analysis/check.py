"""``--check``: verify symbolic derivatives against numeric differentiation.

Each first and second derivative is estimated from values of the function
alone, by central differences refined with Richardson extrapolation, and
compared with the symbolic derivative's value at the same point.

Why this is trustworthy. A central difference has an error series in even
powers of the step ``h``; halving ``h`` and combining estimates (Richardson)
cancels those terms one by one. The limit on accuracy is then rounding: in
float64 each function value carries a relative error near 1e-16, which a
difference divides by ``h`` (``h**2`` for second derivatives), so even the
best float64 estimate is good to about 1e-10..1e-13 relative. Here every
value is computed with mpmath at :data:`~symgrad.analysis._numeric.DIGITS`
decimal digits instead, so rounding is ~1e-45 and the extrapolated estimate
agrees with a correct derivative to far better than any float64 tolerance.
A wrong derivative disagrees in the leading digits.

Kinks. Where the derivative does not exist (``Abs(x)`` at 0, ``Max(x, y)``
on ``x = y``) a central difference still gives a number, and it can agree
with SymPy's convention (``sign(0) = 0``), so the check looks for kinks
first: an entry holding ``sign``, ``Heaviside``, ``DiracDelta``, ``floor``
or ``ceiling`` whose argument is exactly 0 at the point, or (for first
derivatives) one-sided differences of the function whose gap does not
shrink with the step (a smooth function's gap halves when the step does)
or that grow without bound (a jump). Such an entry fails, and the message
names the kink.

Steps are relative: for a variable at ``a`` the first step is ``|a|/16``
(``2**-20/16`` at least, so ``a = 0`` still moves), so ``x = 1e6`` and
``x = 1e-6`` are both differenced on their own scale. If a step leaves the
function's domain (``log(x)`` near 0), all steps shrink by ``2**-10`` and the
estimate is tried again.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..calculus import Derivatives
from ..errors import EvaluationError
from ..limits import DEFAULT_TOL
from ..parsing import parse_value
from ._numeric import is_finite_real, mp_function, real_part, to_mp, working_precision

#: Random points checked when no ``--at`` point is given.
DEFAULT_SAMPLES = 3
#: Default ``--box``.
DEFAULT_BOX = (-2.0, 2.0)

_LEVELS = 20  # most step halvings in the Richardson table (it stops once converged)
_RETRIES = 4  # times the first step shrinks when it leaves the domain


@dataclass(frozen=True)
class CheckEntry:
    """One derivative entry at one point: symbolic value, numeric estimate, relative error."""

    entry: str  # "df/dx", "d2f/dxdy", "df2/dy", ...
    symbolic: Any  # mpmath number
    numeric: Any  # mpmath number (nan when no estimate could be made)
    relative_error: float
    ok: bool
    #: Why the derivative does not exist at the point ("" when it may): the entry
    #: holds sign, Heaviside or DiracDelta at its jump, or the one-sided
    #: differences of the function disagree. An entry at a kink is not ok.
    kink: str = ""
    #: Which entry: the formula's index (None for a scalar function) and the
    #: variables' indices, as in :class:`symgrad.results.Entry`.
    component: int | None = None
    wrt: tuple[int, ...] = ()


@dataclass(frozen=True)
class CheckPoint:
    """The check at one point; ``random`` when it was drawn from ``--box``."""

    at: tuple[tuple[str, Any], ...]  # (name, SymPy number)
    random: bool
    entries: tuple[CheckEntry, ...]


@dataclass(frozen=True)
class CheckReport:
    """The whole check: the tolerance and every point's entries."""

    tolerance: float
    points: tuple[CheckPoint, ...]

    @property
    def failures(self) -> tuple[tuple[CheckPoint, CheckEntry], ...]:
        return tuple((p, e) for p in self.points for e in p.entries if not e.ok)

    @property
    def passed(self) -> bool:
        return not self.failures


def relative_error(symbolic: Any, numeric: Any, floor: Any = 0) -> float:
    """``|s - n| / max(|s|, |n|, floor)``; 0 when both are 0, inf when either is not finite.

    ``floor`` keeps a derivative that is exactly zero from turning the
    estimate's last-digit noise into a relative error of 1.
    """
    import mpmath

    if not (mpmath.isfinite(symbolic) and mpmath.isfinite(numeric)):
        return float("inf")
    scale = max(abs(symbolic), abs(numeric), floor)
    if scale == 0:
        return 0.0
    return float(abs(symbolic - numeric) / scale)


def richardson(estimate: Callable[[Any], Any], h0: Any, real: bool = True) -> tuple[Any, Any]:
    """Extrapolate ``estimate(h)`` (an even series in ``h``) to ``h = 0``.

    Returns (value, error estimate); the value is nan if the estimates are
    not finite reals (not finite, with ``real=False``).
    """
    import mpmath

    rows: list[list[Any]] = []
    best, best_err = mpmath.nan, mpmath.inf
    for k in range(_LEVELS):
        d = estimate(h0 / 2**k)
        if not _finite(d, real):
            return mpmath.nan, mpmath.inf
        row = [real_part(d) if real else d]
        for m in range(1, k + 1):
            row.append(row[m - 1] + (row[m - 1] - rows[k - 1][m - 1]) / (4**m - 1))
        rows.append(row)
        if k:
            err = abs(row[k] - rows[k - 1][k - 1])
            if err < best_err:
                best, best_err = row[k], err
            if err <= mpmath.mpf(10) ** (15 - mpmath.mp.dps) * max(abs(row[k]), 1):
                break
    return best, best_err


def _steps(at: Sequence[Any]) -> list[Any]:
    import mpmath

    return [max(abs(a), mpmath.mpf(2) ** -20) / 16 for a in at]


def _finite(value: Any, real: bool) -> bool:
    import mpmath

    return is_finite_real(value) if real else bool(mpmath.isfinite(value))


def numeric_derivative(
    f: Callable[[Sequence[Any]], Any], at: Sequence[Any], wrt: Sequence[int], real: bool = True
) -> tuple[Any, Any]:
    """Estimate a first (``wrt=(i,)``) or second (``(i, j)``) partial derivative of ``f`` at ``at``.

    Returns (estimate, floor): ``floor`` is the size of ``f`` near the point
    times 1e-15 divided by the steps, below which a difference counts as zero.
    """
    import mpmath

    at = list(at)
    base = _steps(at)
    for attempt in range(_RETRIES):
        scale = [b * mpmath.mpf(2) ** (-10 * attempt) for b in base]
        sizes: list[Any] = []

        def f_at(shift: Mapping[int, Any]) -> Any:
            point = list(at)
            for index, amount in shift.items():
                point[index] += amount
            value = f(point)
            # f_at is called in this iteration only, so it sees this iteration's list
            sizes.append(abs(value) if _finite(value, real) else mpmath.mpf(0))  # noqa: B023
            return value

        estimate = _stencil(f_at, wrt, scale)
        value, _ = richardson(estimate, mpmath.mpf(1), real)
        if mpmath.isfinite(value):
            steps = 1
            for i in wrt:
                steps *= base[i]
            floor = max(sizes, default=mpmath.mpf(0)) * mpmath.mpf(10) ** -15 / steps
            return value, floor
    return mpmath.nan, mpmath.mpf(0)


def _stencil(f_at: Callable[[Mapping[int, Any]], Any], wrt: Sequence[int], scale: Sequence[Any]) -> Callable[[Any], Any]:
    """The central-difference quotient for ``wrt`` as a function of the relative step."""
    if len(wrt) == 1:
        (i,) = wrt

        def first(h: Any) -> Any:
            hi = h * scale[i]
            return (f_at({i: hi}) - f_at({i: -hi})) / (2 * hi)

        return first
    i, j = wrt
    if i == j:

        def diagonal(h: Any) -> Any:
            hi = h * scale[i]
            return (f_at({i: hi}) - 2 * f_at({}) + f_at({i: -hi})) / (hi * hi)

        return diagonal

    def mixed(h: Any) -> Any:
        hi, hj = h * scale[i], h * scale[j]
        total = f_at({i: hi, j: hj}) - f_at({i: hi, j: -hj}) - f_at({i: -hi, j: hj}) + f_at({i: -hi, j: -hj})
        return total / (4 * hi * hj)

    return mixed


#: Functions that jump where their argument is 0 (their derivative does not exist there).
_JUMPS = ("sign", "Heaviside", "DiracDelta", "floor", "ceiling")


def jump_at(expr: Any, at: Sequence[tuple[str, Any]], variable: Any, kinds: Sequence[str] = _JUMPS) -> str:
    """The first function of ``kinds`` in ``expr`` whose argument depends on ``variable``
    and is exactly 0 at ``at`` (``(name, SymPy number)`` pairs), as a message; "" if none."""
    import sympy as sp

    values = {s.name: s for s in expr.free_symbols}
    point = {values[name]: value for name, value in at if name in values}
    for node in sp.preorder_traversal(expr):
        if type(node).__name__ in kinds and node.args and node.args[0].has(variable):
            u = node.args[0]
            moved = u.xreplace(point)
            if moved.is_number and (moved.is_zero or (moved.is_Float and moved == 0)):
                return f"{type(node).__name__}({u}) has its jump here ({u} = 0)"
    return ""


def one_sided_kink(f: Callable[[Sequence[Any]], Any], at: Sequence[Any], i: int) -> str:
    """A message if the one-sided difference quotients of ``f`` in variable ``i`` at
    ``at`` disagree in the limit (a kink) or grow without bound (a jump); else ""."""
    import mpmath

    base = _steps(at)[i] * mpmath.mpf(2) ** -20

    def quotients(h: Any) -> tuple[Any, Any]:
        ahead, behind = list(at), list(at)
        ahead[i] += h
        behind[i] -= h
        here = f(at)
        return (f(ahead) - here) / h, (here - f(behind)) / h

    (right1, left1), (right2, left2) = quotients(base), quotients(base / 2)
    if not all(_finite(q, True) for q in (right1, left1, right2, left2)):
        return ""  # outside the domain on one side: no verdict here
    gap1, gap2 = abs(right1 - left1), abs(right2 - left2)
    size = max(abs(right2), abs(left2), mpmath.mpf(1))
    if gap2 > mpmath.mpf("1e-6") * size and gap2 > gap1 * 3 / 4:
        return (f"the one-sided derivatives disagree: {mpmath.nstr(right2, 6)} from above, "
                f"{mpmath.nstr(left2, 6)} from below")
    if abs(right2) > 1.5 * abs(right1) > mpmath.mpf(10) ** 6 or abs(left2) > 1.5 * abs(left1) > mpmath.mpf(10) ** 6:
        return "the difference quotients grow without bound (a jump)"
    return ""


def _point_values(derivs: Derivatives, point: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The point's values as SymPy numbers, in symbol order."""
    import sympy as sp

    values = []
    for sym in derivs.parsed.symbols:
        raw = point[sym.name]
        value = parse_value(raw, sym.name) if isinstance(raw, str) else sp.sympify(raw)
        values.append((sym.name, value))
    return tuple(values)


class _Checker:
    def __init__(self, derivs: Derivatives, tolerance: float):
        symbols = derivs.parsed.symbols
        self.derivs = derivs
        self.tolerance = tolerance
        self.entries = list(derivs.entries())
        self.functions = [mp_function(e, symbols) for e in derivs.exprs]
        self.symbolic = [mp_function(e.value, symbols) for e in self.entries]
        self.first = {(e.component, e.wrt[0]): f for e, f in zip(self.entries, self.symbolic) if e.order == 1}
        self.n = len(derivs.variables)
        self.real = derivs.parsed.real  # with --complex, values may be complex

    def defined(self, values: Sequence[Any]) -> bool:
        """Whether the formulas and every symbolic entry are finite reals here."""
        return all(_finite(f(values), self.real) for f in self.functions) and all(
            _finite(s(values), self.real) for s in self.symbolic
        )

    def kink(self, entry: Any, f: Callable[[Sequence[Any]], Any], values: list[Any],
             at: tuple[tuple[str, Any], ...]) -> str:
        """Why ``entry`` has no value at the point ("" if it may have one): what it
        differentiates (``f`` itself, or a first derivative) has a kink or a jump
        along the last variable of ``entry.wrt``."""
        *first, along = entry.wrt
        if first:  # a second derivative: the first derivative along the other variable
            partial = self.first[entry.component, first[0]]
            rest = values[self.n :]

            def f(point: Sequence[Any], partial: Any = partial, rest: Any = rest) -> Any:
                return partial(list(point[: self.n]) + list(rest))

        variable = self.derivs.variables[along]
        found = one_sided_kink(f, values[: self.n], along)
        if found:
            jump = jump_at(entry.value, at, variable)
            return f"{found}; {jump}" if jump else found
        return jump_at(entry.value, at, variable, ("DiracDelta",))

    def at(self, at: tuple[tuple[str, Any], ...], random_point: bool) -> CheckPoint:
        import mpmath

        values = [to_mp(v) for _, v in at]
        results = []
        for entry, symbolic in zip(self.entries, self.symbolic):
            exact = symbolic(values)
            f = self.functions[entry.component or 0]
            rest = values[self.n :]

            def of_variables(point: Sequence[Any], f: Any = f, rest: Any = rest) -> Any:
                return f(list(point[: self.n]) + list(rest))

            numeric, floor = numeric_derivative(of_variables, values[: self.n], entry.wrt, self.real)
            if not _finite(exact, self.real):
                exact_value = mpmath.nan
            else:
                exact_value = real_part(exact) if self.real else exact
            error = relative_error(exact_value, numeric, floor)
            kink = self.kink(entry, of_variables, values, at) if self.real else ""
            results.append(CheckEntry(entry.key, exact_value, numeric, error,
                                      error <= self.tolerance and not kink, kink, entry.component, entry.wrt))
        return CheckPoint(at, random_point, tuple(results))


def check(
    derivs: Derivatives,
    points: Sequence[Mapping[str, Any]] = (),
    *,
    box: tuple[float, float] = DEFAULT_BOX,
    seed: int = 0,
    samples: int = DEFAULT_SAMPLES,
    tolerance: float = DEFAULT_TOL,
) -> CheckReport:
    """Check every first (and, if computed, second) derivative numerically.

    At the given points, or else at ``samples`` random points drawn with
    ``seed`` from ``box`` (the same interval for every symbol, parameters
    included; a point where the formulas or derivatives are not finite reals
    is drawn again).

    >>> from symgrad import hessian
    >>> report = check(hessian("x**3*y"), [{"x": "1", "y": "2"}])
    >>> [(e.entry, float(e.symbolic)) for e in report.points[0].entries]
    [('df/dx', 6.0), ('df/dy', 1.0), ('d2f/dx^2', 12.0), ('d2f/dxdy', 3.0), ('d2f/dy^2', 0.0)]
    >>> report.passed
    True
    """
    with working_precision():
        checker = _Checker(derivs, tolerance)
        if points:
            return CheckReport(
                tolerance, tuple(checker.at(_point_values(derivs, p), False) for p in points)
            )
        return CheckReport(tolerance, tuple(_random_points(derivs, checker, box, seed, samples)))


def _random_points(
    derivs: Derivatives, checker: _Checker, box: tuple[float, float], seed: int, samples: int
) -> list[CheckPoint]:
    import sympy as sp

    rng = random.Random(seed)
    lo, hi = box
    found: list[CheckPoint] = []
    symbols = derivs.parsed.symbols
    for _ in range(200 * samples):
        if len(found) == samples:
            break
        at = tuple((s.name, sp.Float(round(rng.uniform(lo, hi), 4), 15)) for s in symbols)
        if checker.defined([to_mp(v) for _, v in at]):
            found.append(checker.at(at, True))
    if not found:
        raise EvaluationError(
            f"--check: no point in the box [{lo:g}, {hi:g}] where the formulas and their "
            "derivatives are finite real numbers; give one with --at or change --box"
        )
    return found
