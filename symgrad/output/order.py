"""Term order of sums in SymPy's printers, bounded in memory.

SymPy prints a sum's terms in lexicographic order of their monomials
(``Expr.as_ordered_terms``), and builds every term's exponent vector over
*all* the sum's factors to sort them: a sum of 15,000 terms in 15,000
symbols (a 100 kB formula ``x0 + x1 + ...``) takes terms × factors cells,
3-4 GB. A sum whose ordering would take more than :data:`MAX_ORDER_CELLS`
cells prints its terms in the order SymPy stores them (``order="none"``,
canonical and deterministic); every smaller sum prints exactly as before.
"""

from __future__ import annotations

from typing import Any

#: Largest terms × distinct factors a sum may have to be printed in SymPy's
#: sorted order (about 50 MB for the exponent vectors and sort keys).
MAX_ORDER_CELLS = 2_000_000


def costly_to_order(expr: Any) -> bool:
    """Whether sorting the terms of the sum ``expr`` would take more than :data:`MAX_ORDER_CELLS` cells."""
    import sympy as sp

    if not getattr(expr, "is_Add", False):
        return False
    terms = expr.args
    if len(terms) < 100:
        return False  # quick: a small sum is always sorted
    factors: set[Any] = set()
    for term in terms:
        for factor in sp.Mul.make_args(term):
            if factor.is_number:
                continue
            base, exponent = factor.as_base_exp()
            factors.add(base if exponent.is_Rational else factor)
    return len(terms) * len(factors) > MAX_ORDER_CELLS


class BoundedOrder:
    """A mixin for SymPy printers: a sum too costly to sort prints in stored order."""

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> Any:
        if (order or getattr(self, "order", None)) in (None, "lex") and costly_to_order(expr):
            return list(expr.args)
        return super()._as_ordered_terms(expr, order=order)  # type: ignore[misc]


_PRETTY: list[Any] = []


def pretty(expr: Any, **settings: Any) -> str:
    """``sympy.pretty(expr, **settings)``, with :class:`BoundedOrder`."""
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

    if not _PRETTY:

        class Printer(BoundedOrder, PrettyPrinter):  # type: ignore[misc]
            pass

        _PRETTY.append(Printer)
    printer = _PRETTY[0](settings)
    flag = pretty_use_unicode(printer._settings["use_unicode"])
    try:
        return str(printer.doprint(expr))
    finally:
        pretty_use_unicode(flag)
