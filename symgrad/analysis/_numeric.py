"""High-precision numeric evaluation of SymPy expressions with mpmath.

:func:`mp_function` turns an expression into a function of mpmath numbers.
It is built by SymPy's ``lambdify`` from the *parsed* expression tree (never
from user text), with every argument replaced by a dummy, so no user name
reaches the generated code. Functions mpmath lacks (``DiracDelta``, ...) fall
back to SymPy's own ``evalf`` at the same precision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

#: Working precision of the analysis, in decimal digits.
DIGITS = 50


@contextmanager
def working_precision(digits: int = DIGITS) -> Iterator[None]:
    """mpmath at ``digits`` decimal digits inside the block."""
    import mpmath

    with mpmath.workdps(digits):
        yield


def to_mp(value: Any) -> Any:
    """A SymPy number (or int/float) as an mpmath number at the working precision."""
    import mpmath
    import sympy as sp

    if isinstance(value, (int, float)):
        return mpmath.mpf(value)
    number = sp.sympify(value).evalf(mpmath.mp.dps + 5) if isinstance(value, sp.Basic) else value
    return from_sympy_number(number)


def from_sympy_number(number: Any) -> Any:
    """An evaluated SymPy number as mpmath (``nan``/``inf`` for SymPy's specials)."""
    import mpmath
    import sympy as sp

    if number is sp.zoo or number is sp.nan:
        return mpmath.nan
    if number is sp.oo:
        return mpmath.inf
    if number is sp.S.NegativeInfinity:
        return -mpmath.inf
    if isinstance(number, (sp.Float, sp.Rational)):
        return mpmath.mpmathify(sp.Float(number, mpmath.mp.dps + 5))
    re, im = number.as_real_imag()
    if re.is_Number and im.is_Number:
        return mpmath.mpc(from_sympy_number(re), from_sympy_number(im))
    return mpmath.nan


def mp_function(expr: Any, symbols: Sequence[Any]) -> Callable[[Sequence[Any]], Any]:
    """``expr`` as a function of a sequence of mpmath values (one per symbol).

    A value that cannot be computed (a pole, a domain error) is ``nan``.
    """
    import sympy as sp

    symbols = tuple(symbols)
    if not (expr.free_symbols & set(symbols)) and not expr.free_symbols:
        constant = _evalf(expr, symbols, ())
        return lambda values: constant
    compiled: list[Any] = [sp.lambdify(symbols, expr, modules="mpmath", dummify=True)]

    def call(values: Sequence[Any]) -> Any:
        import mpmath

        if compiled[0] is not None:
            try:
                return mpmath.mpmathify(compiled[0](*values))
            except (NameError, AttributeError, TypeError):
                compiled[0] = None  # a function mpmath lacks: use evalf from now on
            except (ValueError, ArithmeticError):
                return mpmath.nan
        return _evalf(expr, symbols, values)

    return call


def _evalf(expr: Any, symbols: Sequence[Any], values: Sequence[Any]) -> Any:
    import mpmath
    import sympy as sp

    digits = mpmath.mp.dps
    replaced = expr.xreplace(
        {s: sp.Float(v, digits) if not isinstance(v, mpmath.mpc) else sp.Float(v.real, digits)
         + sp.I * sp.Float(v.imag, digits) for s, v in zip(symbols, values)}
    )
    try:
        number = replaced.evalf(digits)
    except (ValueError, ArithmeticError, TypeError):
        return mpmath.nan
    return from_sympy_number(number)


def is_finite_real(value: Any, scale: Any = None) -> bool:
    """Whether an mpmath value is a finite real (a negligible imaginary part allowed)."""
    import mpmath

    if isinstance(value, mpmath.mpc):
        if not (mpmath.isfinite(value.real) and mpmath.isfinite(value.imag)):
            return False
        size = max(abs(value.real), abs(scale) if scale is not None else 0, 1)
        return bool(abs(value.imag) <= mpmath.mpf(10) ** (10 - mpmath.mp.dps) * size)
    return bool(mpmath.isfinite(value))


def real_part(value: Any) -> Any:
    import mpmath

    return value.real if isinstance(value, mpmath.mpc) else value
