"""Numbers as a person reads them: one format for a double, in every output form.

A double is written as the shortest text that reads back as the same
double (Python's ``repr``: ``0.3``, ``1e-07``, ``4.0``, ``nan``, ``inf``),
and ``-0.0`` as ``0.0``. ``--digits N`` (:attr:`RenderOptions.digits`)
first rounds it to N significant digits and then writes that double the
same way, so ``--digits 17`` is the default and ``--digits 3`` writes
``0.955336489125606`` as ``0.955``. Exact values are never rounded.

:func:`float_text` writes one double; :func:`rounded` rounds the doubles
inside a SymPy value (for printers that write a double's ``repr``, LaTeX);
:func:`symbolic_text`, :func:`value_text` and :func:`pretty_text` write a
SymPy expression or value whose doubles are written by :func:`float_text`
(SymPy's own ``str`` and pretty printers write 15 digits, which need not read
back as the same double: ``0.333333333333333`` for ``1/3.0``). LaTeX's
printer writes a double's ``repr`` itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..results import LargeReal

if TYPE_CHECKING:
    from ..results import PointValues

#: The precision (bits) of a SymPy Float that holds a double.
_DOUBLE_BITS = 53


def float_text(x: float, digits: int | None = None) -> str:
    """``x`` as text: its shortest round-trip ``repr``, ``-0.0`` as ``0.0``, rounded to ``digits`` first."""
    if digits is not None and math.isfinite(x):
        text = f"{x:.{digits}g}"
        rounded_x = float(text)
        if math.isinf(rounded_x):  # rounding the largest doubles up overflows: keep the digits
            return text
        x = rounded_x
    return repr(x + 0.0)  # -0.0 + 0.0 is 0.0; nan and inf stay


def round_float(x: float, digits: int | None) -> float:
    """``x`` rounded to ``digits`` significant digits (itself when ``digits`` is None or it would overflow)."""
    if digits is None or not math.isfinite(x):
        return x
    rounded_x = float(f"{x:.{digits}g}")
    return x if math.isinf(rounded_x) else rounded_x + 0.0


def _is_double(value: Any) -> bool:
    import sympy as sp

    return isinstance(value, sp.Float) and value._prec == _DOUBLE_BITS and math.isfinite(float(value))


def rounded(value: Any, digits: int | None) -> Any:
    """A SymPy value (or a tuple of them, nested) with each double in it rounded to
    ``digits`` significant digits; exact parts are untouched."""
    import sympy as sp

    if isinstance(value, tuple):
        return tuple(rounded(v, digits) for v in value)
    if digits is None or not isinstance(value, sp.Basic) or not value.has(sp.Float):
        return value
    if isinstance(value, sp.Float):
        return sp.Float(round_float(float(value), digits)) if _is_double(value) else value
    doubles = {f: sp.Float(round_float(float(f), digits)) for f in value.atoms(sp.Float) if _is_double(f)}
    return value.xreplace(doubles)


def rounded_values(values: PointValues, digits: int | None) -> PointValues:
    """The values at a point with their doubles rounded to ``digits`` (the point itself is kept as given)."""
    if digits is None:
        return values
    import dataclasses

    done: dict[int, Any] = {}  # a big Hessian repeats its entries (its zeros are one object)

    def each(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(each(v) for v in value)
        if id(value) not in done:
            done[id(value)] = rounded(value, digits)
        return done[id(value)]

    hessians = None if values.hessians is None else each(values.hessians)
    return dataclasses.replace(values, first=each(values.first), hessians=hessians, function=each(values.function))


_PRINTERS: dict[tuple[str, int | None], Any] = {}
_SYMBOLIC: list[Any] = []


def _printer(kind: str, digits: int | None) -> Any:
    """A SymPy printer class (``str`` or ``pretty``) whose doubles are written by :func:`float_text`
    (made once); the ``str`` one remembers the subexpressions it printed (:class:`~.memo.MemoPrinter`)."""
    key = (kind, digits)
    if key in _PRINTERS:
        return _PRINTERS[key]
    from ..term_order import BoundedOrder, QuickFactorOrder
    from .memo import MemoPrinter

    base: Any
    mixins: tuple[type, ...]
    if kind == "str":
        from sympy.printing.str import StrPrinter

        base, mixins = StrPrinter, (MemoPrinter, QuickFactorOrder, BoundedOrder)
    else:
        from sympy.printing.pretty.pretty import PrettyPrinter

        base, mixins = PrettyPrinter, (BoundedOrder,)

    def _print_Float(self: Any, expr: Any) -> Any:
        if _is_double(expr):
            text = float_text(float(expr), digits)
        elif expr._prec == _DOUBLE_BITS and (large := LargeReal.of(expr)) is not None:
            text = str(large)  # exp(1000.0): a double's digits, beyond a double's range
        else:
            return base._print_Float(self, expr)
        if kind == "str":
            return text
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(text)

    printer = type("Printer", (*mixins, base), {"_print_Float": _print_Float})
    _PRINTERS[key] = printer
    return printer


def symbolic_text(expr: Any, order: str | None = None) -> str:
    """SymPy's string form (``sstr`` with short floats), each double written by :func:`float_text`.

    A subexpression shared by many entries (or jobs) is printed once, as by
    :func:`symgrad.output.memo.sstr`; ``order="none"`` keeps a sum's terms as stored.
    """
    if order is not None:
        return str(_printer("str", None)({"full_prec": False, "order": order}).doprint(expr))
    return str(_symbolic_printer().doprint(expr))


def symbolic_texts(exprs: Sequence[Any]) -> list[str]:
    """:func:`symbolic_text` of each of ``exprs``, the entries of one shape
    printed once (:func:`symgrad.print_by_shape.print_all`)."""
    from ..print_by_shape import print_all

    return [str(text) for text in print_all(_symbolic_printer(), exprs)]


def _symbolic_printer() -> Any:
    """The printer of :func:`symbolic_text`, made on first use."""
    if not _SYMBOLIC:
        _SYMBOLIC.append(_printer("str", None)({"full_prec": False}))
    return _SYMBOLIC[0]


def forget() -> None:
    """Empty the memo of :func:`symbolic_text` (benchmarks time printing from scratch)."""
    for printer in _SYMBOLIC:
        printer._memo = {}


def value_text(value: Any, digits: int | None = None) -> str:
    """A value at a point as text: a double by :func:`float_text`, anything else in SymPy's syntax."""
    import sympy as sp

    if isinstance(value, float) or _is_double(value):  # a Python float too (a library caller's)
        return float_text(float(value), digits)
    if digits is not None and isinstance(value, sp.Basic) and value.has(sp.Float):
        return str(_printer("str", digits)({"full_prec": False}).doprint(value))
    return symbolic_text(value)


def pretty_text(expr: Any, digits: int | None = None, **settings: Any) -> str:
    """``sympy.pretty(expr, **settings)`` (with :class:`~.order.BoundedOrder`), doubles written by :func:`float_text`."""
    from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

    printer = _printer("pretty", digits)(settings)
    flag = pretty_use_unicode(printer._settings["use_unicode"])
    try:
        return str(printer.doprint(expr))
    finally:
        pretty_use_unicode(flag)
