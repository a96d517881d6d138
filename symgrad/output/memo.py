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

        from .order import BoundedOrder

        class Printer(MemoPrinter, BoundedOrder, StrPrinter):  # type: ignore[misc]
            pass

        _STR_PRINTER.append(Printer({"full_prec": False}))
    return str(_STR_PRINTER[0].doprint(expr))


def forget() -> None:
    """Empty the memo of :func:`sstr` (benchmarks time printing from scratch)."""
    if _STR_PRINTER:
        _STR_PRINTER[0]._memo = {}
