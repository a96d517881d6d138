"""Derivatives of real odd roots, written as a person would.

``cbrt(x)`` of a real ``x`` is ``sign(x)*Abs(x)**(1/3)`` (the real root:
``cbrt(-8) = -2``). SymPy's product rule gives its derivative as
``2*Abs(x)**(1/3)*DiracDelta(x) + sign(x)**2/(3*Abs(x)**(2/3))``; this
module rewrites that to ``1/(3*Abs(x)**(2/3))`` with two rules that change
no value symgrad computes, at any point:

* a term ``DiracDelta(u, k)*Abs(u)**p*…`` with ``p > 0`` is dropped: it is 0
  wherever ``u != 0`` (``DiracDelta`` is), and at ``u = 0`` too, since
  ``Abs(0)**p`` is 0 and SymPy's product with 0 is 0;
* ``sign(u)**n`` beside ``Abs(u)**p`` with ``p < 0`` becomes ``sign(u)**(n mod 2)``:
  ``sign(u)**2`` is 1 wherever ``u != 0``, and at ``u = 0`` the product is
  undefined either way (``0*zoo`` or ``zoo``).
"""

from __future__ import annotations

from typing import Any


def _abs_powers(factors: list[Any]) -> dict[Any, Any]:
    """``{u: p}`` for each factor ``Abs(u)**p`` (or ``Abs(u)``) of a product."""
    import sympy as sp

    powers: dict[Any, Any] = {}
    for f in factors:
        base, exp = f.as_base_exp()
        if isinstance(base, sp.Abs) and exp.is_Number:
            powers[base.args[0]] = powers.get(base.args[0], 0) + exp
    return powers


def _vanishing_delta_term(term: Any) -> bool:
    """Whether ``term`` is a product with ``DiracDelta(u, …)`` and ``Abs(u)**p``, ``p > 0``."""
    import sympy as sp

    factors = list(sp.Mul.make_args(term))
    powers = _abs_powers(factors)
    return any(
        isinstance(f, sp.DiracDelta) and powers.get(f.args[0], 0) > 0 for f in factors
    )


def _without_even_signs(term: Any) -> Any:
    """``term`` with ``sign(u)**n`` reduced mod 2 where it stands beside ``Abs(u)**p``, ``p < 0``."""
    import sympy as sp

    factors = list(sp.Mul.make_args(term))
    powers = _abs_powers(factors)
    kept = []
    changed = False
    for f in factors:
        base, exp = f.as_base_exp()
        if (isinstance(base, sp.sign) and exp.is_Integer and exp > 1
                and powers.get(base.args[0], 0) < 0):
            changed = True
            if exp % 2:
                kept.append(base)
            continue
        kept.append(f)
    return sp.Mul(*kept) if changed else term


def tidy_real_roots(expr: Any) -> Any:
    """``expr`` with the two rules of this module applied to each of its sums and products."""
    import sympy as sp

    if not expr.has(sp.sign, sp.DiracDelta):
        return expr

    def rewrite(e: Any) -> Any:
        if isinstance(e, sp.Add):
            terms = [t for t in e.args if not _vanishing_delta_term(t)]
            if len(terms) != len(e.args):
                return sp.Add(*terms)
        elif isinstance(e, sp.Mul):
            return sp.S.Zero if _vanishing_delta_term(e) else _without_even_signs(e)
        return e

    previous = None
    while previous != expr:  # a dropped term can leave a product to reduce
        previous = expr
        expr = expr.replace(lambda e: isinstance(e, (sp.Add, sp.Mul)), rewrite)
    return expr
