"""Term order of sums in SymPy's printers, bounded in memory.

SymPy prints a sum's terms in lexicographic order of their monomials
(``Expr.as_ordered_terms``), and builds every term's exponent vector over
*all* the sum's factors to sort them: a sum of 15,000 terms in 15,000
symbols (a 100 kB formula ``x0 + x1 + ...``) takes terms × factors cells,
3-4 GB. A sum whose ordering would take more than :data:`MAX_ORDER_CELLS`
cells prints its terms in the order SymPy stores them (``order="none"``,
canonical and deterministic); every smaller sum prints exactly as before.

SymPy compares symbol names as strings, so ``x10 + x8`` prints in that
order. :class:`NaturalOrder` (LaTeX only: text and JSON keep SymPy's order)
sorts the terms as SymPy does with the symbols in natural order
(:func:`symgrad.parsing.natural_key`, ``x8`` before ``x10``).
"""

from __future__ import annotations

import functools
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


class NaturalOrder(BoundedOrder):
    """:class:`BoundedOrder`, with the symbols of a sum in natural order: ``x8 + x10``, ``x2*y + x10``.

    SymPy's own order is computed for the sum with its symbols renamed by
    their natural rank; the degrees and everything else sort as SymPy sorts
    them. A sum whose symbols are already in natural order as strings is
    SymPy's order unchanged.
    """

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> Any:
        if (order or getattr(self, "order", None)) not in (None, "lex") or costly_to_order(expr):
            return super()._as_ordered_terms(expr, order=order)
        ranks = natural_ranks(expr)
        if not ranks:
            return super()._as_ordered_terms(expr, order=order)
        import sympy as sp

        renamed = {term.xreplace(ranks): term for term in expr.args}  # back to the sum's own terms, not copies
        return [renamed[term] for term in super()._as_ordered_terms(sp.Add(*renamed), order=order)]


def natural_ranks(expr: Any) -> dict[Any, Any]:
    """Symbols of ``expr`` renamed so that names compared as strings are in natural order; ``{}`` if they are already."""
    import sympy as sp

    if not getattr(expr, "is_Add", False):
        return {}
    symbols = sorted((s for s in expr.free_symbols if type(s) is sp.Symbol), key=lambda s: s.sort_key())
    natural = sorted(symbols, key=lambda s: _natural_key(s.name))  # stable: equal names keep SymPy's order
    if natural == symbols:
        return {}
    width = len(str(len(natural)))
    return {s: sp.Symbol(f"_{i:0{width}d}", **s.assumptions0) for i, s in enumerate(natural)}


@functools.lru_cache(maxsize=65536)
def _natural_key(name: str) -> Any:
    from ..parsing.values import natural_key

    return natural_key(name)


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
