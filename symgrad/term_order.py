"""Term order of sums in SymPy's printers, bounded in memory.

SymPy prints a sum's terms in lexicographic order of their monomials
(``Expr.as_ordered_terms``), and builds every term's exponent vector over
*all* the sum's factors to sort them: a sum of 15,000 terms in 15,000
symbols (a 100 kB formula ``x0 + x1 + ...``) takes terms × factors cells,
3-4 GB. A sum whose ordering would take more than :data:`MAX_ORDER_CELLS`
cells prints its terms in the order SymPy stores them (``order="none"``,
canonical and deterministic); every smaller sum prints exactly as before.

A product's factors are sorted by their SymPy sort keys, and the key of
``exp(x_i + x_j)`` orders the sum inside; the ``str`` printers
(:class:`QuickFactorOrder`) find the same keys without SymPy's exponent
vectors for a sum of symbols times rationals (:func:`sort_key`).

SymPy compares symbol names as strings, so ``x10 + x8`` prints in that
order. :class:`NaturalOrder` (LaTeX only: text and JSON keep SymPy's order)
sorts terms and factors as SymPy does with the symbols in natural order
(:func:`symgrad.parsing.natural_key`, ``x8`` before ``x10``).

It lives outside :mod:`symgrad.output` because the code printers of
:mod:`symgrad.codegen` order sums with :class:`BoundedOrder` too, and
codegen imports nothing of the renderers.
"""

from __future__ import annotations

import functools
import itertools
import re
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


def linear_order(expr: Any) -> list[Any] | None:
    """The terms of a sum of distinct commutative symbols, each alone or times
    a rational (``x1 + 2*x2 - x3``), in SymPy's lex order
    (``expr.as_ordered_terms()``); ``None`` for any other sum.

    Each term's monomial is one symbol to the first power, so SymPy's lex
    order of the monomials is the order of the symbols themselves
    (:func:`~sympy.core.sorting.default_sort_key`); sorting by that alone
    skips building an exponent vector for every term, which is most of the
    time of printing a dense Hessian's thousands of ``exp(x_i + x_j)``.
    A noncommutative symbol is no monomial to SymPy (it sorts after every
    commutative term: ``b + A``), so a sum with one is left to SymPy. A
    symbol's ``sort_key(order=None)`` is its ``default_sort_key`` (that of
    any SymPy object is), called without the import and type tests around
    it (this runs twice for every ``exp(x_i + x_j)`` printed) and as that
    function calls it, so SymPy's cache of keys serves both.
    """
    keyed = []
    for term in expr.args:
        symbol = term
        if term.is_Mul:
            if len(term.args) != 2 or not term.args[0].is_Rational:
                return None
            symbol = term.args[1]
        if not (symbol.is_Symbol and symbol.is_commutative):
            return None
        keyed.append((symbol.sort_key(order=None), term))
    keyed.sort(key=lambda pair: pair[0])
    if any(a[0] == b[0] for a, b in itertools.pairwise(keyed)):
        return None
    return [term for _, term in keyed]


def sort_key(expr: Any) -> Any:
    """``default_sort_key(expr)``, without ordering the terms of a sum by exponent vectors where :func:`linear_order` can.

    SymPy sorts a product's factors by their sort keys
    (``Mul.as_ordered_factors``), and the key of ``exp(x_i + x_j)`` holds the
    keys of ``x_i + x_j``'s terms in ``as_ordered_terms`` order, which SymPy
    finds by building the terms' exponent vectors (``Expr.as_terms``, a
    ``complex()`` of every coefficient): most of the time of printing a dense
    Hessian. This is ``Expr.sort_key`` step for step, with the terms of a
    linear form taken from :func:`linear_order` (the same list); an
    expression whose class has a ``sort_key`` of its own, a power of ``E``
    (SymPy keys it as ``exp``), a sum that is not a linear form and a sum
    or product of a class derived from ``Add`` or ``Mul`` get SymPy's own key
    (cached by SymPy; asked for as ``Mul.as_ordered_factors`` asks,
    ``sort_key(order=None)``, so one cache entry serves both). Only the
    default order is mirrored: the one ``as_ordered_factors()`` uses in the
    printers. Keys are remembered in
    SymPy's cache (``cacheit``, emptied by ``clear_cache``), as SymPy
    remembers its own: a factor shared by many entries
    (``sin(x2*cos(x1 + x2)*...)``) is keyed once, not once per entry.
    """
    return _sort_key()(expr)


_SORT_KEY: list[Any] = []


def _sort_key() -> Any:
    """The function behind :func:`sort_key`, made on first use: it runs for
    every factor printed, and SymPy's names are looked up once instead of imported on each call."""
    if _SORT_KEY:
        return _SORT_KEY[0]
    from sympy.core.add import Add
    from sympy.core.basic import Basic
    from sympy.core.cache import cacheit
    from sympy.core.expr import Expr
    from sympy.core.mul import Mul
    from sympy.core.singleton import S
    from sympy.core.sorting import default_sort_key

    expr_sort_key, one, exp1 = Expr.sort_key, S.One, S.Exp1

    def uncached(expr: Any) -> Any:
        if not isinstance(expr, Basic):
            return default_sort_key(expr)
        if type(expr).sort_key is not expr_sort_key:
            return expr.sort_key(order=None)  # atoms, numbers, symbols, non-expressions: cheap, their own
        coeff, core = expr.as_coeff_Mul()
        exponent = one
        if core.is_Pow:
            core, exponent = core.as_base_exp()
            if core is exp1:
                return expr.sort_key(order=None)
        args: Any
        if core.is_Dummy:
            args = (core.sort_key(),)
        elif core.is_Atom:
            args = (str(core),)
        else:
            if core.is_Add:
                terms = linear_order(core) if type(core) is Add else None
                if terms is None:
                    return expr.sort_key(order=None)
            elif core.is_Mul:
                if type(core) is not Mul:
                    return expr.sort_key(order=None)
                terms = ordered_factors(core)
            else:
                terms = core.args
            args = tuple([key(term) for term in terms])
        return core.class_key(), (len(args), args), key(exponent), coeff

    key: Any = cacheit(uncached)  # uncached's calls for the parts go through the cache too
    _SORT_KEY.append(key)
    return key


def ordered_factors(expr: Any) -> list[Any]:
    """``expr.as_ordered_factors()`` of a product ``expr``, its commutative factors sorted by :func:`sort_key`."""
    commutative, noncommutative = expr.args_cnc()  # two new lists
    commutative.sort(key=_sort_key())
    return commutative + noncommutative  # type: ignore[no-any-return]


_QUICK_MUL: list[Any] = []


def quick_mul(expr: Any) -> Any:
    """The product ``expr`` (the same factors, stored in the same order) as a
    ``Mul`` whose ``as_ordered_factors()`` is :func:`ordered_factors`; anything
    but a plain ``Mul`` as it is.

    ``StrPrinter._print_Mul`` splits a negative coefficient off a product
    (``c, e = expr.as_coeff_Mul()``), rebuilds the product without the sign
    (``_keep_coeff(-c, e)``), takes the factor order from that product's
    ``as_ordered_factors()`` and prints the factors, never the product
    itself. This product answers each of those calls with what the printer
    would get from ``expr``, as a product of this class where it would get a
    product: its coefficient and the rest (``as_coeff_Mul`` keeps the class);
    for a coefficient ``c < 0`` other than ``-1``, the coefficient ``-1`` and
    the product the printer would rebuild (``-c`` times the rest), which
    ``_keep_coeff(1, ...)`` hands back as it is (``Mul.as_coeff_Mul(rational=True)``
    splits a negative float the same way). Its precedence is found from its
    bases (``Mul``), its factors are the same objects, and their order is
    SymPy's, so it prints exactly as ``expr``.
    """
    if not _QUICK_MUL:
        from sympy.core.mul import Mul, _keep_coeff
        from sympy.core.singleton import S

        class QuickOrderMul(Mul):  # type: ignore[misc]
            """A ``Mul`` that sorts its factors with :func:`sort_key` (made only to be printed)."""

            def as_ordered_factors(self, order: Any = None) -> list[Any]:
                return ordered_factors(self) if order is None else super().as_ordered_factors(order)

            def as_coeff_Mul(self, rational: bool = False) -> tuple[Any, Any]:
                coeff, rest = super().as_coeff_Mul(rational)
                if rational or coeff is S.NegativeOne or not (coeff.is_Number and coeff.is_extended_negative):
                    return coeff, rest
                return S.NegativeOne, quick_mul(_keep_coeff(-coeff, rest))

        _QUICK_MUL.append((Mul, QuickOrderMul))
    mul, quick = _QUICK_MUL[0]
    return quick._from_args(expr.args, expr.is_commutative) if type(expr) is mul else expr


class QuickFactorOrder:
    """A mixin for SymPy printers: a product's factors are sorted with :func:`sort_key` (:func:`quick_mul`).

    The order, and so the text, is SymPy's; keying ``exp(x_i + x_j)`` by
    :func:`linear_order` is what makes it quick. C's printer writes a product
    that is one of its constants (``2/pi``, ``M_2_PI``) as the macro, looked up
    by the product itself: such a product is printed as it is.
    """

    def _print_Mul(self, expr: Any, **settings: Any) -> Any:
        if expr in getattr(self, "math_macros", ()):
            return super()._print_Mul(expr, **settings)  # type: ignore[misc]
        return super()._print_Mul(quick_mul(expr), **settings)  # type: ignore[misc]


class BoundedOrder:
    """A mixin for SymPy printers: a sum too costly to sort prints in stored order."""

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> Any:
        if (order or getattr(self, "order", None)) in (None, "lex") and getattr(expr, "is_Add", False):
            quick = linear_order(expr)
            if quick is not None:
                return quick
            if costly_to_order(expr):
                return list(expr.args)
        return super()._as_ordered_terms(expr, order=order)  # type: ignore[misc]


class NaturalOrder(BoundedOrder):
    """:class:`BoundedOrder`, with symbols in natural order: ``x8 + x10``, ``x2*y + x10``, ``x8*x10``.

    SymPy's own order is computed with the symbols of the sum (or product)
    renamed by :func:`natural_name`, whose names compare as strings in
    natural order; the degrees and everything else sort as SymPy sorts them.
    Where the names are in natural order already, nothing is renamed. A
    printer with this mixin prints a renamed symbol by its own name
    (:func:`own_name`).
    """

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> Any:
        if (order or getattr(self, "order", None)) not in (None, "lex") or costly_to_order(expr):
            return super()._as_ordered_terms(expr, order=order)
        renames = natural_renames(expr)
        if not renames:
            return super()._as_ordered_terms(expr, order=order)
        import sympy as sp

        renamed = {term.xreplace(renames): term for term in expr.args}  # back to the sum's own terms, not copies
        return [renamed[term] for term in super()._as_ordered_terms(sp.Add(*renamed), order=order)]

    def _print_Mul(self, expr: Any) -> Any:
        renames = natural_renames(expr) if getattr(expr, "is_Mul", False) else {}
        return super()._print_Mul(expr.xreplace(renames) if renames else expr)  # type: ignore[misc]


#: Ends the sort name of a renamed symbol, before its own name (no name has it).
NAME_MARK = "\x00"


def natural_name(name: str) -> str:
    """A name that compares as a string as ``name`` does in natural order (``x8`` before ``x10``), then ``name``.

    A run of digits becomes its length and value (``x10`` is
    ``x\\x01000210\\x0110``), so runs compare by value, then as written
    (``x01`` before ``x1``), as :func:`symgrad.parsing.natural_key` orders them.
    """
    parts = []
    for part in re.split(r"(\d+)", name):
        if part.isdigit():
            value = str(int(part))
            parts.append(f"\x01{len(value):04d}{value}\x01{part}")
        else:
            parts.append(part)
    return "".join(parts) + NAME_MARK + name


def own_name(name: str) -> str:
    """The name a :func:`natural_name` was made from (any other name as it is)."""
    return name.rpartition(NAME_MARK)[2]


def natural_renames(expr: Any) -> dict[Any, Any]:
    """The symbols of the sum or product ``expr`` renamed by :func:`natural_name`; ``{}`` if in natural order already."""
    import sympy as sp

    if not (getattr(expr, "is_Add", False) or getattr(expr, "is_Mul", False)):
        return {}
    symbols = [s for s in expr.free_symbols if type(s) is sp.Symbol]
    if len(symbols) < 2:
        return {}
    symbols.sort(key=lambda s: s.sort_key())
    natural = sorted(symbols, key=lambda s: _natural_key(own_name(s.name)))  # stable: equal names keep SymPy's order
    if natural == symbols:
        return {}
    return {s: sp.Symbol(natural_name(s.name), **s.assumptions0) for s in symbols}


@functools.lru_cache(maxsize=65536)
def _natural_key(name: str) -> Any:
    from .parsing.values import natural_key

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
