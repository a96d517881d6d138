"""Derivatives of kinks and real roots, without the terms that vanish.

Differentiating ``Abs``, ``sign``, ``Heaviside`` or ``Max`` brings in
``DiracDelta``, which is 0 wherever its argument is not and has no value
where it is (symgrad's convention, in every evaluator and code language).
A ``DiracDelta`` multiplied by a factor that vanishes there fast enough is
0 as a distribution, and dropping it gives the derivative the value it
really has at the kink: the second derivative of ``Abs(x)**3`` is
``4*x*sign(x) + 2*Abs(x)`` (0 at 0), not ``… + 2*x**2*DiracDelta(x)``
(undefined at 0). ``cbrt(x)`` of a real ``x`` is ``sign(x)*Abs(x)**(1/3)``
(``cbrt(-8) = -2``), and its derivative ``1/(3*Abs(x)**(2/3))``.

The two rules, each a value-preserving identity wherever ``u != 0``:

* a term ``DiracDelta(u, k)*g*…`` is dropped when a factor ``g`` vanishes at
  ``u = 0`` to an order above ``k``: ``u**m``, ``Abs(u)**m`` or
  ``Max(0, u)**m`` (or ``Min``) with ``m > k`` (``g*DiracDelta(u, k)`` is
  the zero distribution; at ``u = 0`` the term had no value);
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


def _vanishing_order(factor: Any, u: Any) -> Any:
    """The order to which ``factor`` vanishes at ``u = 0`` (0 if it need not)."""
    import sympy as sp

    base, exp = factor.as_base_exp()
    if not (exp.is_Number and exp > 0):
        return 0
    if base in (u, -u):
        return exp
    if isinstance(base, sp.Abs) and base.args[0] in (u, -u):
        return exp
    if isinstance(base, (sp.Max, sp.Min)) and len(base.args) == 2 and sp.S.Zero in base.args:
        other = base.args[0] if base.args[1] == 0 else base.args[1]
        return exp if other in (u, -u) else 0
    return 0


def _vanishing_delta_term(term: Any) -> bool:
    """Whether the product ``term`` has a ``DiracDelta(u, k)`` and a factor vanishing
    at ``u = 0`` to an order above ``k``."""
    import sympy as sp

    factors = list(sp.Mul.make_args(term))
    for delta in factors:
        if isinstance(delta, sp.DiracDelta):
            u, k = delta.args[0], (delta.args[1] if len(delta.args) > 1 else 0)
            if any(_vanishing_order(f, u) > k for f in factors if f is not delta):
                return True
    return False


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


def tidy_deltas(expr: Any) -> Any:
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
