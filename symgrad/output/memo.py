"""Memoized printing: each distinct subexpression is printed once.

SymPy's printers walk a tree without remembering what they printed, so a
subexpression shared by many entries is printed again in each: every entry
of a log-sum-exp Hessian holds the same sum of exponentials, and every
exponential's linear form is sorted again each time it is printed. A
Hessian also repeats each off-diagonal entry, and a sparse one is mostly
zeros. :class:`MemoPrinter` remembers what ``_print`` returned for each
expression (when called without printer-specific keywords), which leaves
the output exactly as SymPy's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Most remembered subexpressions per printer; the memo is cleared beyond.
MAX_REMEMBERED = 200_000


class MemoPrinter:
    """A mixin for SymPy printers: ``class P(MemoPrinter, LatexPrinter)``."""

    _memo: dict[Any, str]

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if kwargs:
            return super()._print(expr, **kwargs)  # type: ignore[misc,no-any-return]
        memo = self.__dict__.get("_memo")
        if memo is None:
            memo = self._memo = {}
        try:
            return memo[expr]
        except KeyError:
            pass
        except TypeError:  # unhashable (a mutable matrix): print it every time
            return super()._print(expr)  # type: ignore[misc,no-any-return]
        text: str = super()._print(expr)  # type: ignore[misc]
        if len(memo) >= MAX_REMEMBERED:
            memo.clear()
        memo[expr] = text
        return text


_STR_PRINTER: list[Any] = []


def sstr(expr: Any) -> str:
    """``sympy.sstr(expr, full_prec=False)``, remembering subexpressions across calls."""
    if not _STR_PRINTER:
        from sympy.printing.str import StrPrinter

        from ..term_order import BoundedOrder, QuickFactorOrder

        class Printer(MemoPrinter, QuickFactorOrder, BoundedOrder, StrPrinter):  # type: ignore[misc]
            pass

        _STR_PRINTER.append(Printer({"full_prec": False}))
    return str(_STR_PRINTER[0].doprint(expr))


_READABLE_PRINTER: list[Any] = []


def readable_sstr(expr: Any) -> str:
    """:func:`sstr`, but a symbol ``parse_expr`` would misread is spelled ``Symbol('name')``.

    ``sympy.parse_expr`` (without a ``local_dict``) reads a name as a new
    symbol only if it is a Python identifier, not a keyword and not a name
    of SymPy's namespace or a builtin function: ``lambda`` is a syntax
    error, ``beta``, ``gamma``, ``N``, ``S``, ``E``, ``I``, ``Q``, ``O``,
    ``pi``, ``zeta``, ``li``, ``abs`` ... are SymPy's functions and
    constants. Such a symbol is printed as the call ``Symbol('lambda')``,
    which ``parse_expr`` evaluates to the symbol of that name; every other
    symbol is printed by its name, as :func:`sstr` prints it. A double
    whose 15 digits would read back as another double (``x/3.0``:
    ``0.333333333333333``) gets the digits that read back as it
    (``0.3333333333333333``, :func:`double_text`).
    """
    return str(_readable_printer().doprint(expr))


def readable_sstrs(exprs: Sequence[Any]) -> list[str]:
    """:func:`readable_sstr` of each of ``exprs``, the entries of one shape
    printed once (:func:`symgrad.print_by_shape.print_all`)."""
    from ..print_by_shape import print_all

    return [str(text) for text in print_all(_readable_printer(), exprs)]


def _readable_printer() -> Any:
    """The printer of :func:`readable_sstr`, made on first use."""
    if not _READABLE_PRINTER:
        from sympy.printing.str import StrPrinter

        from ..term_order import BoundedOrder, QuickFactorOrder

        class Printer(MemoPrinter, QuickFactorOrder, BoundedOrder, StrPrinter):  # type: ignore[misc]
            def _print_Symbol(self, expr: Any) -> str:
                text: str = super()._print_Symbol(expr)
                return text if text == expr.name and reads_as_symbol(text) else f"Symbol({expr.name!r})"

            def _print_Float(self, expr: Any) -> str:
                text: str = super()._print_Float(expr)
                return text if expr._prec != 53 else double_text(text, float(expr))

        _READABLE_PRINTER.append(Printer({"full_prec": False}))
    return _READABLE_PRINTER[0]


def double_text(text: str, value: float) -> str:
    """Digits of the double ``value`` that SymPy reads back as it: ``text``
    (SymPy's own digits) if they do, else ``repr(value)``, else 17, 18, ... significant digits.

    ``parse_expr`` makes ``Float(digits)`` with as many decimal digits of
    precision as are written, so the digits must survive being rounded to
    that precision and then to a double (``0.1411200080598672`` does not).
    """
    import math

    from sympy import Float

    if not math.isfinite(value):
        return text
    for digits in (text, repr(value), *(f"{value:.{n}g}" for n in range(17, 25))):
        if float(Float(digits)) == value:
            return digits
    return text  # not reached: 24 digits are 80 bits, far more than a double's 53


_TAKEN: set[str] = set()


def reads_as_symbol(name: str) -> bool:
    """Whether ``sympy.parse_expr(name)`` (no ``local_dict``) is ``Symbol(name)``.

    The names it takes otherwise are those of its default global namespace
    (``from sympy import *``, Python's builtin functions, ``max``, ``min``),
    Python's keywords and ``True``/``False``/``None``; a name that is not
    an identifier in Python's own (NFKC) form is not trusted either.
    """
    import keyword
    import unicodedata

    if not _TAKEN:
        import builtins
        import types

        import sympy

        _TAKEN.update(sympy.__all__)  # what ``from sympy import *`` binds
        _TAKEN.update(n for n, obj in vars(builtins).items() if isinstance(obj, types.BuiltinFunctionType))
        _TAKEN.update(("max", "min", "True", "False", "None"))
    return (
        name.isidentifier()
        and unicodedata.normalize("NFKC", name) == name
        and not keyword.iskeyword(name)
        and name not in _TAKEN
    )


def forget() -> None:
    """Empty the memos of :func:`sstr` and :func:`readable_sstr` (benchmarks time printing from scratch)."""
    for printer in (*_STR_PRINTER, *_READABLE_PRINTER):
        printer._memo = {}
