"""Values at removable singularities: the limit, where it provably exists.

``sin(x)/x`` and the derivative of ``sinc(x)`` are 0/0 at ``x = 0``, yet
both have a limit there, and that limit is the value a person means (the
derivative of ``sinc`` at 0 is 0). When an entry has no value at a point
(SymPy's substitution gives ``nan`` or ``zoo``), :func:`limit_at` looks for
the limit in two ways, and gives up rather than guess:

1. **Cancelled form** (any number of variables). ``cancel(together(e))``
   removes common factors of the numerator and denominator; it equals ``e``
   wherever ``e`` is defined. If it has a finite real value at the point and
   contains nothing discontinuous (:data:`DISCONTINUOUS`), it is continuous
   there, so its value is the limit of ``e``: ``(x**2 - y**2)/(x - y)`` at
   ``(1, 1)`` is ``2``.
2. **One variable**: when the entry depends on one variable only (the
   parameters already have their values), SymPy's two-sided ``limit``;
   it is kept only when finite, real, and the same from both sides.
3. **Parts in separate variables**: a sum of terms ``m(others)*c(x)``
   (collected by one variable ``x``), a sum whose terms each have a limit,
   or a product of factors in disjoint variables (``a*sin(x)/x``): the
   parts' limits combined.

With several variables and none of these settling it, the entry stays
undefined: a limit along one line (the other variables held at their
values) is no proof that the limit exists (``x*y/(x**2 + y**2)`` at the
origin has a different limit along every line). An expression with a
jump (``sign``, ``Heaviside``, ``DiracDelta``, ...) gets no limit. Each
attempt has a budget of :data:`LIMIT_SECONDS`.

The caller decides where a limit is the value: a derivative's limit is the
derivative only where the function it differentiates is continuous
(:func:`symgrad.evaluation.exact.evaluate`).

Decimal points are taken at the exact binary value of each double, so the
limit is computed exactly and then rounded like any other value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .. import limits

#: Time for one attempt at an entry's limit, in seconds (SymPy's ``limit``
#: of a second derivative can take seconds: ``x/tan(x)`` about 3 s).
LIMIT_SECONDS = 4.0

#: Time for all the limits sought at one point, in seconds: past it, the
#: remaining entries with no value stay undefined. Within the job's default
#: time limit (10 s), so that seeking limits alone does not end the job.
POINT_LIMIT_SECONDS = 6.0

#: Functions that jump (or are no function, ``DiracDelta``): an expression with
#: one of these is given no limit, and is not taken to be continuous where it has a value.
DISCONTINUOUS = frozenset({"sign", "Heaviside", "DiracDelta", "floor", "ceiling", "frac", "Mod", "arg",
                           "Piecewise", "KroneckerDelta", "Derivative", "Subs", "Integral"})


def continuous_where_defined(expr: Any) -> bool:
    """Whether ``expr`` is built only of functions continuous wherever they have a value."""
    import sympy as sp

    return not any(type(e).__name__ in DISCONTINUOUS for e in sp.preorder_traversal(expr))


class _OutOfTime(Exception):
    """The budget for one limit ran out."""


def exact_point(point: Mapping[Any, Any]) -> dict[Any, Any]:
    """The point with each decimal replaced by the exact value of its double."""
    import sympy as sp

    return {s: sp.Rational(float(v)) if v.has(sp.Float) else v for s, v in point.items()}


def limit_at(expr: Any, point: Mapping[Any, Any], substitute: Callable[[Any], Any],
             seconds: float = LIMIT_SECONDS) -> tuple[Any, str] | None:
    """The limit of ``expr`` at ``point`` (exact values of its free symbols), and how it was
    found (``"cancelled form"`` or ``"limit"``); None when no limit is proven to exist.
    ``substitute`` puts the point's values into an expression (with the size guards);
    ``seconds`` is the budget."""

    variables = [s for s in expr.free_symbols if s in point]
    if not variables or expr.free_symbols - set(point) or not continuous_where_defined(expr):
        return None
    try:
        with limits.time_limit(seconds, _OutOfTime):
            found: tuple[Any, str] | None = _limit(expr, point, substitute)
    except (_OutOfTime, ValueError, TypeError, ArithmeticError, NotImplementedError, RecursionError):
        return None
    return found


def _limit(expr: Any, point: Mapping[Any, Any], substitute: Callable[[Any], Any]) -> Any:
    """:func:`limit_at` without its budget."""
    import sympy as sp

    value = _cancelled_value(expr, substitute)
    if value is not None:
        return value, "cancelled form"
    variables = expr.free_symbols
    if len(variables) == 1:
        (x,) = variables
        value = sp.limit(expr, x, point[x], dir="+-")
        return (value, "limit") if _finite_real(value) else None
    found = _collected_limit(expr, point, substitute)
    if found is not None:
        return found
    # A sum (y + sin(x)/x), or a product of factors in separate variables
    # (a*sin(x)/x): the sum or product of the parts' limits, when each exists.
    if isinstance(expr, sp.Add):
        parts, combine = list(expr.args), sp.Add
    else:
        parts, combine = _separate_factors(sp.factor_terms(sp.together(expr))), sp.Mul
        if len(parts) < 2:
            return None
    values = []
    for part in parts:
        value = substitute(part)
        if not _finite_real(value):
            found = _limit(part, point, substitute)
            if found is None:
                return None
            value = found[0]
        values.append(value)
    return combine(*values), "limit"


def _collected_limit(expr: Any, point: Mapping[Any, Any], substitute: Callable[[Any], Any]) -> Any:
    """The limit of a sum of terms ``m(others) * c(x)`` with each ``c`` a function of one
    variable ``x`` that has a limit: ``a*(cos(x)/x - sin(x)/x**2) + y*(...)``."""
    import sympy as sp

    expanded = sp.expand(expr)
    for x in sorted(expr.free_symbols, key=str):
        others = sorted(expr.free_symbols - {x}, key=str)
        terms = sp.collect(expanded, others, evaluate=False)
        if any(m.has(x) or c.free_symbols - {x} for m, c in terms.items()):
            continue
        total = sp.S.Zero
        for m, c in terms.items():
            weight = substitute(m)
            if not _finite_real(weight):
                return None
            value = substitute(c)
            if not _finite_real(value):
                value = sp.limit(c, x, point[x], dir="+-") if c.free_symbols else sp.nan
                if not _finite_real(value):
                    return None
            total += weight * value
        return total, "limit"
    return None


def _separate_factors(expr: Any) -> list[Any]:
    """The factors of a product grouped so that no two groups share a symbol."""
    import sympy as sp

    groups: list[tuple[set[Any], Any]] = []
    for factor in sp.Mul.make_args(expr):
        symbols = set(factor.free_symbols)
        joined = [g for g in groups if g[0] & symbols]
        for g in joined:
            groups.remove(g)
            symbols |= g[0]
            factor *= g[1]
        groups.append((symbols, factor))
    return [factor for _, factor in groups]


def _cancelled_value(expr: Any, substitute: Callable[[Any], Any]) -> Any:
    """The value at ``point`` of ``expr``'s cancelled form, if that form is continuous there."""
    import sympy as sp

    cancelled = sp.cancel(sp.together(expr))
    if cancelled == expr or not continuous_where_defined(cancelled):
        return None
    value = substitute(cancelled)
    return value if _finite_real(value) else None


def _finite_real(value: Any) -> bool:
    import sympy as sp

    return isinstance(value, sp.Expr) and not value.free_symbols and value.is_finite is True \
        and value.is_extended_real is True and not value.has(sp.nan, sp.zoo, sp.oo, -sp.oo)
