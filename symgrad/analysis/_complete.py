"""Whether the critical points found are all of them, for a polynomial gradient.

SymPy's ``solve`` may return only some solutions of ∇f = 0 (four of the nine
critical points of Himmelblau's function), so a list is called complete
only when it is proven to be. For isolated solutions that is a count: the
number of distinct complex solutions of a polynomial system is the
dimension of ``C[x]/√I`` (``I`` the ideal of the gradient's components),
the number of standard monomials of a Groebner basis of the radical; the
radical of a zero-dimensional ideal is ``I`` plus the square-free part of
each variable's eliminant (Seidenberg). Real solutions are counted as the
real roots of the eliminant of a separating linear form. Curves of critical
points are proven to be all of them when every product of their equations
(one from each) lies in ``√I`` (Rabinowitsch's test: 1 is in ``I + (1 - t·p)``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..errors import SymgradError
from ..limits import time_limit
from ._numeric import is_finite_real, mp_function, real_part, to_mp

#: Most standard monomials counted (beyond: not proven, the count would be slow).
MAX_COUNT = 100_000
#: Most products of solution equations tested for curves of critical points.
MAX_PRODUCTS = 64


class SolverTimeout(BaseException):
    """The exact solver's (or the proof's) own budget ran out (not the job's time limit)."""


def _groebner_errors() -> tuple[type[Exception], ...]:
    """What SymPy raises for a system its Groebner bases cannot handle."""
    from sympy.polys.polyerrors import BasePolynomialError

    return (BasePolynomialError, ValueError, TypeError, ArithmeticError, NotImplementedError)


def count_solutions(grad: Sequence[Any], variables: Sequence[Any], real: bool, budget: float) -> int | None:
    """:func:`distinct_solutions` of ``grad = 0`` within ``budget`` seconds (None: unknown)."""
    try:
        with time_limit(budget, error=SolverTimeout):
            return distinct_solutions(list(grad), list(variables), real)
    except SolverTimeout:
        return None
    except SymgradError:
        raise  # the job's own time limit
    except _groebner_errors():
        return None


def covered(grad: Sequence[Any], variables: Sequence[Any], solutions: Sequence[Mapping[Any, Any]],
            budget: float) -> bool:
    """:func:`covers` within ``budget`` seconds (False: unknown)."""
    try:
        with time_limit(budget, error=SolverTimeout):
            return covers(list(grad), list(variables), solutions)
    except SolverTimeout:
        return False
    except SymgradError:
        raise
    except _groebner_errors():
        return False


def complex_key(numbers: Iterable[Any]) -> tuple[complex, ...]:
    """A point as complex numbers rounded to 9 decimals: points with the same key are one point."""
    key = []
    for number in numbers:
        z = complex(number)
        key.append(complex(round(z.real, 9) + 0.0, round(z.imag, 9) + 0.0))  # + 0.0: no -0.0
    return tuple(key)


def solution_keys(
    solutions: Iterable[Mapping[Any, Any]], variables: Sequence[Any],
    grad: Sequence[Callable[[Any], Any]], real: bool,
) -> set[tuple[complex, ...]]:
    """The distinct isolated (``real``) solutions at which ∇f (``grad``, mpmath functions) vanishes."""
    import mpmath

    keys = set()
    for solution in solutions:
        values = [solution.get(v, v) for v in variables]
        if any(getattr(value, "free_symbols", None) for value in values):
            continue
        numbers = [to_mp(value) for value in values]
        if not all(mpmath.isfinite(x) for x in numbers):
            continue
        size = max([1, *(abs(x) for x in numbers)])
        if real and not all(is_finite_real(x, size) for x in numbers):
            continue
        tolerance = mpmath.mpf(10) ** (20 - mpmath.mp.dps) * size**4
        if all(mpmath.isfinite(v) and abs(v) <= tolerance for v in (g(numbers) for g in grad)):
            keys.add(complex_key([real_part(x) for x in numbers] if real else numbers))
    return keys


def on_family(family: Mapping[Any, Any], variables: Sequence[Any], numbers: Sequence[Any]) -> bool:
    """Whether the point ``numbers`` lies on a curve of solutions ``{x: y**2, ...}``."""
    at = dict(zip(variables, numbers))
    for var, value in family.items():
        there = mp_function(value, variables)(list(numbers))
        if not is_finite_real(there) or abs(real_part(there) - at[var]) > 1e-9 * max(1, abs(at[var])):
            return False
    return True


def distinct_solutions(polys: Sequence[Any], gens: Sequence[Any], real: bool = False) -> int | None:
    """How many distinct complex (or ``real``) solutions ``polys = 0`` has; None if unknown.

    ``polys`` are polynomials in ``gens``; None when there are infinitely
    many solutions, or (``real``) when no linear form tried separates them.
    The solutions of a real system come in conjugate pairs, so a linear form
    ``u`` that separates them is real at exactly the real ones: their count
    is the number of real roots of ``u``'s eliminant.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> distinct_solutions([x**3, y**2 - 1], [x, y]), distinct_solutions([x - y], [x, y])
    (2, None)
    >>> distinct_solutions([x**2 + 1, y**3 - y], [x, y]), distinct_solutions([x**2 + 1, y], [x, y], real=True)
    (6, 0)
    """
    import sympy as sp

    basis = sp.groebner(list(polys), *gens, order="grevlex")
    if basis.exprs == [1]:
        return 0
    if not basis.is_zero_dimensional:
        return None
    eliminants = [_eliminant(basis.exprs, gens, var) for var in gens]
    radical = sp.groebner([*basis.exprs, *(e.as_expr() for e in eliminants)], *gens, order="grevlex")
    leading = [sp.Poly(p, *gens).monoms(order="grevlex")[0] for p in radical.exprs]
    # each standard monomial's degree in a variable is below its eliminant's degree
    bounds = [e.degree() for e in eliminants]
    if math.prod(bounds) > MAX_COUNT:
        return None
    count = sum(
        1
        for monomial in itertools.product(*(range(b) for b in bounds))
        if not any(all(m >= lm for m, lm in zip(monomial, lead)) for lead in leading)
    )
    if not real:
        return count
    u = sp.Dummy("u")
    for k in range(1, 6):  # linear forms x + k*y + k**2*z + ...: one of the first few separates
        form = sum(k**i * g for i, g in enumerate(gens))
        eliminant = _eliminant([*radical.exprs, u - form], [*gens, u], u)
        if eliminant.degree() == count:
            return _real_roots(eliminant)
    return None


def _real_roots(poly: Any) -> int:
    """How many distinct real roots the square-free ``poly`` has (Sturm's theorem).

    SymPy counts them over the rationals; with algebraic or transcendental
    coefficients (``sqrt(2)``, ``pi``) the Sturm sequence is built here and
    the signs of its leading coefficients decided exactly where SymPy can,
    else by a 60-digit value far from 0 (a ValueError when neither decides).
    """
    import sympy as sp
    from sympy.polys.polyerrors import DomainError

    try:
        return int(poly.count_roots())
    except DomainError:
        pass
    sequence = sp.sturm(poly)
    leading = [_sign(p.LC()) for p in sequence]
    at_minus_infinity = [sign * (-1) ** p.degree() for sign, p in zip(leading, sequence)]
    return _sign_changes(at_minus_infinity) - _sign_changes(leading)


def _sign(number: Any) -> int:
    import sympy as sp

    number = sp.sympify(number)
    if number.is_zero:
        return 0
    if number.is_positive:
        return 1
    if number.is_negative:
        return -1
    value = number.evalf(60)
    if value.is_real and abs(value) > sp.Float(10) ** -40:
        return 1 if value > 0 else -1
    raise ValueError(f"cannot decide the sign of {number}")


def _sign_changes(signs: Sequence[int]) -> int:
    nonzero = [s for s in signs if s]
    return sum(1 for a, b in itertools.pairwise(nonzero) if a != b)


def _eliminant(basis: Sequence[Any], gens: Sequence[Any], var: Any) -> Any:
    """The square-free polynomial in ``var`` alone of a zero-dimensional ideal."""
    import sympy as sp

    others = [g for g in gens if g != var]
    lex = sp.groebner(list(basis), *others, var, order="lex")
    univariate = [p for p in lex.exprs if p.free_symbols <= {var}]
    return sp.sqf_part(sp.Poly(univariate[-1], var))


def covers(polys: Sequence[Any], gens: Sequence[Any], solutions: Sequence[Mapping[Any, Any]]) -> bool:
    """Whether ``solutions`` (as ``solve`` returns them: ``{x: y**2}``, ``{x: 1, y: 2}``) are all solutions.

    They solve ``polys = 0``; they are all of them when every product of
    their equations (``x - y**2``, one from each solution) vanishes wherever
    the polynomials do.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> covers([x*y**2, x**2*y], [x, y], [{x: 0}, {y: 0}]), covers([x*y**2, x**2*y], [x, y], [{x: 0}])
    (True, False)
    """
    import sympy as sp

    equations = [[var - value for var, value in solution.items()] for solution in solutions]
    if not all(sp.sympify(e).is_polynomial(*gens) for eqs in equations for e in eqs):
        return False
    if math.prod(len(eqs) for eqs in equations) > MAX_PRODUCTS:
        return False
    t = sp.Dummy("t")
    for factors in itertools.product(*equations):
        product = sp.expand(math.prod(factors))
        if sp.groebner([*polys, 1 - t * product], *gens, t, order="grevlex").exprs != [1]:
            return False
    return True
