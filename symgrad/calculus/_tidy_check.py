"""The tidy step's safety net: a rewrite is kept only if its value is the input's.

Both expressions are evaluated at a few seeded random points, the symbols
replaced by exact rationals and the result evaluated by SymPy's ``evalf``
to :data:`DIGITS` digits (exact inputs, so ``evalf`` controls its own
error, cancellation included). A real symbol gets real values of both
signs (one point all positive, one all negative, then mixed signs: so a
rewrite that holds only for positive values, like ``sqrt(x**2) = x``, is
caught); a symbol that is not known to be real (``--complex``) gets complex
values, so a rewrite that holds only for real values (``log(exp(x)) = x``)
is caught too. Points where either value is not a finite number are
skipped; the candidate is rejected on the first point where the two differ
by more than :data:`RELATIVE_TOLERANCE` of the larger, and also when no
point could be used at all.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

#: Digits of each value (mpmath numbers from ``evalf``).
DIGITS = 30
#: Points where both values must agree (fewer if no more can be evaluated).
POINTS = 3
#: Points tried at most to find :data:`POINTS` usable ones.
MAX_TRIES = 8
#: Largest relative difference of two values taken as equal.
RELATIVE_TOLERANCE = 1e-15
#: Values this close in absolute terms are equal too (both 0 up to ``evalf``'s noise).
ABSOLUTE_TOLERANCE = 1e-25
#: The seed of the points: the same job always gets the same check.
SEED = 12


def _magnitude(rng: random.Random) -> Any:
    import sympy as sp

    return sp.Rational(rng.randint(7, 40), rng.choice((7, 9, 11, 13)))


def _value_for(symbol: Any, rng: random.Random, k: int) -> Any:
    """A value of ``symbol`` for point ``k``: the sign pattern depends on ``k``."""
    import sympy as sp

    magnitude = _magnitude(rng)
    if symbol.is_integer:
        magnitude = sp.Integer(rng.randint(1, 4))
    if symbol.is_positive or symbol.is_nonnegative:
        return magnitude
    if symbol.is_negative or symbol.is_nonpositive:
        return -magnitude
    sign = 1 if k == 0 else -1 if k == 1 else rng.choice((1, -1))
    if symbol.is_real:
        return sign * magnitude
    return sign * magnitude + rng.choice((1, -1)) * _magnitude(rng) * sp.I


def points(symbols: Iterable[Any]) -> list[dict[Any, Any]]:
    """The :data:`MAX_TRIES` seeded points at which ``symbols`` are checked."""
    ordered = sorted(symbols, key=lambda s: s.sort_key())
    rng = random.Random(SEED)
    return [{s: _value_for(s, rng, k) for s in ordered} for k in range(MAX_TRIES)]


def value(expr: Any, point: dict[Any, Any]) -> Any:
    """``expr`` at ``point`` as an mpmath complex number, or None if it is not a finite number."""
    import mpmath
    import sympy as sp

    from ..errors import SymgradError

    try:
        result = expr.xreplace(point).evalf(DIGITS)
        if not result.is_number or result.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return None
        re, im = result.as_real_imag()  # may evaluate parts again (erfinv outside [-1, 1] raises)
    except SymgradError:
        raise  # the job's own time limit
    except Exception:  # noqa: BLE001 - SymPy cannot evaluate it there: no value to compare
        return None
    if not (re.is_Number and im.is_Number):
        return None
    with mpmath.workdps(DIGITS + 5):
        return mpmath.mpc(sp.Float(re, DIGITS)._mpf_, sp.Float(im, DIGITS)._mpf_)


def close(a: Any, b: Any) -> bool:
    """Whether two values agree within the tolerances (compared at :data:`DIGITS` digits)."""
    import mpmath

    with mpmath.workdps(DIGITS + 5):
        gap = abs(a - b)
        return bool(gap <= max(RELATIVE_TOLERANCE * max(abs(a), abs(b)), ABSOLUTE_TOLERANCE))


class Checker:
    """Compares candidates with one input at the same points (the input's values computed once)."""

    def __init__(self, original: Any) -> None:
        self.original = original
        self.points = points(original.free_symbols)
        self._values: dict[int, Any] = {}

    def _original_at(self, k: int) -> Any:
        if k not in self._values:
            self._values[k] = value(self.original, self.points[k])
        return self._values[k]

    def same(self, candidate: Any) -> bool:
        """Whether ``candidate`` has the input's value at every usable point (one at least)."""
        extra = candidate.free_symbols - self.original.free_symbols
        if extra:
            return False  # a rewrite never brings in a symbol
        agreed = 0
        for k in range(MAX_TRIES):
            a = self._original_at(k)
            if a is None:
                continue
            b = value(candidate, self.points[k])
            if b is None:
                continue
            if not close(a, b):
                return False
            agreed += 1
            if agreed == POINTS:
                break
        return agreed > 0
