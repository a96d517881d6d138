"""Result types: plain data, no formatting.

:class:`Derivatives` holds a job's symbolic results; :class:`PointValues`
holds their values at one point. Renderers turn either into text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .parsing import Parsed

#: A plain Python view of one value: a number when it is a finite real,
#: else a string ("nan", "inf", "-inf", "zoo" or a complex like "1.0+2.0j").
Plain = int | float | str


@dataclass(frozen=True)
class Derivatives:
    """The symbolic derivatives of one job.

    For a scalar function ``gradient`` holds one entry per variable and
    ``jacobian`` is None; for a vector function it is the other way round
    (``jacobian`` is m×n, one row per formula). ``hessians`` holds one
    symmetric n×n matrix per formula when asked for, else None.
    """

    parsed: Parsed
    gradient: tuple[Any, ...] | None
    jacobian: tuple[tuple[Any, ...], ...] | None
    hessians: tuple[tuple[tuple[Any, ...], ...], ...] | None = None

    @property
    def exprs(self) -> tuple[Any, ...]:
        return self.parsed.exprs

    @property
    def variables(self) -> tuple[Any, ...]:
        return self.parsed.variables

    @property
    def parameters(self) -> tuple[Any, ...]:
        return self.parsed.parameters

    @property
    def is_vector(self) -> bool:
        return self.jacobian is not None

    @property
    def first_rows(self) -> tuple[tuple[Any, ...], ...]:
        """The first derivatives as rows: the Jacobian's, or the gradient as one row."""
        if self.jacobian is not None:
            return self.jacobian
        assert self.gradient is not None
        return (self.gradient,)

    @property
    def hessian(self) -> tuple[tuple[Any, ...], ...] | None:
        """The Hessian of a scalar function (None unless computed)."""
        if self.hessians is None:
            return None
        if self.is_vector:
            raise AttributeError("a vector function has one Hessian per formula: use .hessians")
        return self.hessians[0]

    def at(self, point: Mapping[str, Any] | None = None, /, **values: Any) -> PointValues:
        """Evaluate at a point given as a mapping or keywords: ``g.at(x=1, y=2)``.

        Values may be ints, floats, fractions, SymPy numbers or strings such
        as ``"pi/4"``. Exact inputs give exact values, decimals give floats.
        """
        from .evaluate import evaluate

        merged = dict(point or {})
        merged.update(values)
        return evaluate(self, merged)


@dataclass(frozen=True)
class Problem:
    """An entry whose value at a point is not a finite real number."""

    entry: str  # e.g. "df/dx", "d2f/dxdy", "df2/dy"
    value: str  # plain form of the value: "zoo", "nan", "1.0+2.0j", ...
    reason: str  # e.g. "division by zero"


@dataclass(frozen=True)
class PointValues:
    """The derivatives of one job at one point.

    Entries are SymPy numbers: exact (``sqrt(2)/2``) when every input was
    exact, SymPy Floats when any input was a decimal. ``at`` lists every
    symbol's value, variables first. ``problems`` names the entries that are
    not finite reals (undefined, infinite or complex).
    """

    at: tuple[tuple[Any, Any], ...]
    exact: bool
    gradient: tuple[Any, ...] | None
    jacobian: tuple[tuple[Any, ...], ...] | None
    hessians: tuple[tuple[tuple[Any, ...], ...], ...] | None
    problems: tuple[Problem, ...] = ()

    @property
    def hessian(self) -> tuple[tuple[Any, ...], ...] | None:
        if self.hessians is None:
            return None
        if self.jacobian is not None:
            raise AttributeError("a vector function has one Hessian per formula: use .hessians")
        return self.hessians[0]

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
        return plain_float(float(value))  # finite, or nan/inf for a Float
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
        return "inf"
    if number.imag == 0:
        return plain_float(number.real)
    return _complex_text(number)


def plain_float(x: float) -> float | str:
    """A double as symgrad shows it in JSON: itself, or "nan", "inf", "-inf"."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _complex_text(z: complex) -> str:
    sign = "-" if z.imag < 0 or (z.imag == 0 and math.copysign(1, z.imag) < 0) else "+"
    return f"{z.real!r}{sign}{abs(z.imag)!r}j"


def function_name(index: int | None) -> str:
    """``f`` for a scalar function, ``f1``, ``f2``, ... for a vector's components."""
    return "f" if index is None else f"f{index + 1}"


def first_name(f: str, var: str) -> str:
    """``df/dx``."""
    return f"d{f}/d{var}"


def second_name(f: str, a: str, b: str) -> str:
    """``d2f/dx^2`` or ``d2f/dxdy``."""
    return f"d2{f}/d{a}^2" if a == b else f"d2{f}/d{a}d{b}"
