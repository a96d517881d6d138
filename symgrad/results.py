"""Result types shared by every stage: plain data, no formatting.

:class:`Shaped` is the one layout of every result (m×n first derivatives
and m Hessians) with :meth:`Shaped.entries`; :class:`~symgrad.calculus.Derivatives`
(the symbolic results, in calculus) and :class:`PointValues` (their values
at one point) share it. Renderers turn either into text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

#: A plain Python view of one value: a number when it is a finite real,
#: else a string ("nan", "inf", "-inf", "zoo" or a complex like "1.0+2.0j");
#: a finite real beyond the range of a double is a :class:`LargeReal`.
Plain = int | float | str


class LargeReal(str):
    """A finite real too large for a double, as decimal text: ``"1.6971846509388855e+361"``.

    Exact values may have up to ``MAX_EXACT_BITS`` bits (limits.py), far
    beyond a double's 2**1024; an integer stays an ``int``, any other such
    value is this text (17 significant digits). ``float()`` of it is
    ``±inf``, as a double computation would give.
    """

    @classmethod
    def of(cls, value: Any) -> LargeReal | None:
        """``value`` (a SymPy number, exact or a Float) as a LargeReal, or None unless it is a
        real beyond double range."""
        import mpmath
        import sympy as sp

        if not isinstance(value, sp.Basic) or value.free_symbols:
            return None
        try:
            number = value.evalf(20)
        except (TypeError, ValueError, ArithmeticError):
            return None
        if not isinstance(number, sp.Float) or not number.is_finite:
            return None
        with mpmath.workdps(20):
            big = mpmath.mpf(number)
            if abs(big) < mpmath.mpf(2) ** 1024:
                return None
            return cls(mpmath.nstr(big, 17, min_fixed=0, max_fixed=0))


@dataclass(frozen=True)
class Entry:
    """One entry of a result: a first or second partial derivative of one formula.

    ``component`` is the formula's index for a vector function and None for
    a scalar one; ``wrt`` holds the variables' indices (``(i,)`` for
    ∂f/∂xᵢ, ``(i, j)`` with i ≤ j for a Hessian entry); ``key`` is its text
    name (``df/dx``, ``d2f2/dxdy``: :mod:`symgrad.labels`); ``value`` is the
    expression, or its value at a point.
    """

    component: int | None
    wrt: tuple[int, ...]
    key: str
    value: Any

    @property
    def order(self) -> int:
        return len(self.wrt)

    @property
    def i(self) -> int:
        return self.wrt[0]

    @property
    def j(self) -> int | None:
        return self.wrt[1] if len(self.wrt) > 1 else None


class Shaped:
    """The one layout of every result: m×n first derivatives (+ m Hessians).

    ``first`` has one row per formula (one row for a scalar function),
    ``hessians`` one symmetric n×n matrix per formula when computed, and
    ``vector`` says whether the function is a vector function. ``gradient``
    and ``jacobian`` are the scalar and vector views of ``first``.
    """

    first: tuple[tuple[Any, ...], ...]
    hessians: tuple[tuple[tuple[Any, ...], ...], ...] | None
    vector: bool

    def _names(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def is_vector(self) -> bool:
        return self.vector

    @property
    def first_rows(self) -> tuple[tuple[Any, ...], ...]:
        """The first derivatives as rows: the Jacobian's, or the gradient as one row."""
        return self.first

    @property
    def gradient(self) -> tuple[Any, ...] | None:
        """The gradient of a scalar function (None for a vector function)."""
        return None if self.vector else self.first[0]

    @property
    def jacobian(self) -> tuple[tuple[Any, ...], ...] | None:
        """The Jacobian of a vector function, m×n (None for a scalar function)."""
        return self.first if self.vector else None

    @property
    def hessian(self) -> tuple[tuple[Any, ...], ...] | None:
        """The Hessian of a scalar function (None unless computed)."""
        if self.hessians is None:
            return None
        if self.vector:
            raise AttributeError("a vector function has one Hessian per formula: use .hessians")
        return self.hessians[0]

    def components(self) -> tuple[int | None, ...]:
        """The component index of each formula: ``(None,)`` for a scalar function."""
        return tuple(range(len(self.first))) if self.vector else (None,)

    def entries(self, name: str = "f") -> Iterator[Entry]:
        """Every entry in output order: the first derivatives row by row, then
        each Hessian's upper triangle row by row. ``name`` replaces ``f`` in the keys."""
        from . import labels

        names = self._names()
        components = self.components()
        functions = [labels.function(c, name) for c in components]
        for c, f, row in zip(components, functions, self.first):
            for i, value in enumerate(row):
                yield Entry(c, (i,), labels.derivative(f, (names[i],)), value)
        n = len(names)
        for c, f, h in zip(components, functions, self.hessians or ()):
            for i in range(n):
                for j in range(i, n):
                    yield Entry(c, (i, j), labels.derivative(f, (names[i], names[j])), h[i][j])


@dataclass(frozen=True)
class Problem:
    """An entry whose value at a point is not a finite real number."""

    entry: str  # e.g. "df/dx", "d2f/dxdy", "df2/dy"
    value: str  # plain form of the value: "zoo", "nan", "1.0+2.0j", ...
    reason: str  # e.g. "division by zero"


@dataclass(frozen=True)
class PointValues(Shaped):
    """The derivatives of one job at one point, in the layout of :class:`~symgrad.calculus.Derivatives`.

    Entries are SymPy numbers: exact (``sqrt(2)/2``) when every input was
    exact, SymPy Floats when any input was a decimal. ``at`` lists every
    symbol's value, variables first. ``problems`` names the entries that are
    not finite reals (undefined, infinite or complex).
    """

    at: tuple[tuple[Any, Any], ...]
    exact: bool
    first: tuple[tuple[Any, ...], ...]
    hessians: tuple[tuple[tuple[Any, ...], ...], ...] | None
    vector: bool = False
    problems: tuple[Problem, ...] = ()
    #: The entries whose value is a limit: the formula has no value there (0/0),
    #: but its limit provably exists (symgrad.evaluation.removable).
    limits: tuple[str, ...] = ()
    #: The names of the variables (the first ``n`` symbols of ``at``).
    variable_names: tuple[str, ...] = ()
    #: The function's own value at the point, one per formula (one for a
    #: scalar function), exact or float as the entries are.
    function: tuple[Any, ...] = ()

    def _names(self) -> tuple[str, ...]:
        return self.variable_names

    @property
    def value(self) -> Any:
        """The function's value: a number for a scalar function, a tuple for a vector one."""
        if self.vector:
            return self.function
        return self.function[0] if self.function else None

    @property
    def point(self) -> dict[str, Any]:
        """The point as ``{name: value}``."""
        return {sym.name: value for sym, value in self.at}


def plain(value: Any) -> Plain:
    """A SymPy number as a plain Python value (see :data:`Plain`).

    Exact integers stay ints; other finite reals become floats.
    """
    import sympy as sp

    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return plain_float(float(value)) if isinstance(value, float) else value
    if isinstance(value, complex):
        return plain_float(value.real) if value.imag == 0 else _complex_text(value)
    if isinstance(value, sp.Integer):
        return int(value)
    if isinstance(value, (sp.Float, sp.Rational)):
        x = float(value)  # finite, or nan/inf for a Float
        if math.isinf(x) and (isinstance(value, sp.Rational) or value.is_finite):
            # exp(1000) at x=1000.0 is a finite number beyond a double, not infinite
            return LargeReal.of(value) or plain_float(x)
        return plain_float(x)
    if value is sp.nan:
        return "nan"
    if value is sp.zoo:
        return "zoo"
    if value is sp.oo:
        return "inf"
    if value is sp.S.NegativeInfinity:
        return "-inf"
    if isinstance(value, sp.Basic) and value.has(sp.Derivative, sp.Subs):
        return "nan"  # an unevaluated derivative has no value (its evalf recurses forever)
    try:
        number = complex(value.evalf(20))
    except (TypeError, ValueError, AttributeError):
        return "nan"
    except OverflowError:
        return LargeReal.of(value) or "inf"
    if number.imag == 0:
        if math.isinf(number.real):
            return LargeReal.of(value) or plain_float(number.real)
        return plain_float(number.real)
    return _complex_text(number)


def plain_float(x: float) -> float | str:
    """A double as symgrad shows it in JSON: itself (``-0.0`` as ``0.0``), or "nan", "inf", "-inf"."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x + 0.0  # -0.0 + 0.0 is 0.0


#: A double as symgrad writes it as text (CSV and TSV cells; JSON's encoder
#: writes floats with this same function): the shortest text that reads back
#: as the same double, ``0.2`` (not ``0.20000000000000001``), ``1e-07``,
#: ``4.0``, ``nan``, ``inf``, ``-inf``. The method itself, so that a writer
#: mapping it over a million values calls no Python code per value.
float_text: Callable[[float], str] = float.__repr__


def _complex_text(z: complex) -> str:
    sign = "-" if z.imag < 0 or (z.imag == 0 and math.copysign(1, z.imag) < 0) else "+"
    return f"{z.real + 0.0!r}{sign}{abs(z.imag)!r}j"  # -0.0 + 0.0 is 0.0
