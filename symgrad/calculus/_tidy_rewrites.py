"""The tidy step's own rewrites (those SymPy has no function for).

* :func:`oriented`: a sum in a product gives its common number to the
  product (``y*(2*x - 2)`` is ``2*y*(x - 1)``), and a sum SymPy would print
  with a leading minus (``-mu + x``) is turned around (``mu - x``) where
  that costs nothing: inside an even power, or in a product whose number can
  take the sign (``-2*(-mu + x)*y`` is ``2*(mu - x)*y``). Exact identities,
  valid for any values.
* :func:`pythagorean`: ``a*sin(u)**2 + a*cos(u)**2`` is ``a`` and
  ``a*cosh(u)**2 - a*sinh(u)**2`` is ``a``, for complex ``u`` too.
* :func:`logistic_cosh`: ``exp(u)/(exp(u) + 1)**2`` is ``1/(4*cosh(u/2)**2)``
  (``exp(u) + 1 = 2*exp(u/2)*cosh(u/2)``), for complex ``u`` too.
* :func:`collected_sums`: the terms of each sum grouped by one symbol or
  function (``sympy.collect``), the coefficients factored or not.
* :func:`settled`: an expression none of the tidy step's rewrites can make
  smaller (no sum anywhere, no product of two exponentials), so the job
  skips it at once: ``2*x``, ``x**2*cos(y)``, ``-sin(x3)``; also one that
  holds an unevaluated ``Derivative``, ``Subs`` or ``Integral``.
"""

from __future__ import annotations

from typing import Any


def _leads_negative(add: Any) -> bool:
    """Whether SymPy prints the sum ``add`` with a minus in front (``-mu + x``)."""
    first = add.as_ordered_terms()[0]
    return bool(first.as_coeff_Mul()[0].is_negative)


def oriented(expr: Any) -> Any:
    """``expr`` with sums turned to print without a leading minus where that is free."""
    import sympy as sp

    memo: dict[Any, Any] = {}

    def walk(e: Any) -> Any:
        if e.is_Atom or not e.args:
            return e
        hit = memo.get(e)
        if hit is not None:
            return hit
        args = [walk(a) for a in e.args]
        if e.is_Pow:
            base, exp = args
            if base.is_Add and exp.is_Integer and exp.is_even and _leads_negative(base):
                base = -base
            result = sp.Pow(base, exp)
        elif e.is_Mul and any(a.as_base_exp()[0].is_Add for a in args):
            result = _oriented_product(sp.Mul(*args))
        else:
            result = e.func(*args) if args != list(e.args) else e
        memo[e] = result
        return result

    return walk(expr)


def _oriented_product(product: Any) -> Any:
    """A product whose sums give up their numbers, and its sign to one that leads with a minus.

    ``y*(2*x - 2)`` is ``2*y*(x - 1)``; ``-2*(-mu + x)*y`` is ``2*(mu - x)*y``;
    ``(-x + y)*(x - y)`` is ``-(x - y)**2``.
    """
    import sympy as sp

    if not product.is_Mul:
        return product
    coeff, factors = product.as_coeff_mul()
    powers: dict[Any, Any] = {}
    for factor in factors:
        base, exp = factor.as_base_exp()
        if base.is_Add:
            content, primitive = base.primitive()
            if content != 1 and content.is_Rational and exp.is_Integer:
                coeff *= content**exp
                base = primitive
            if -base in powers and exp.is_Integer:  # (-x + y)*(x - y) is -(x - y)**2
                coeff *= (-1) ** exp
                base = -base
        powers[base] = powers.get(base, 0) + exp
    product = sp.Mul(coeff, *(sp.Pow(b, e) for b, e in powers.items()))
    if not product.is_Mul:
        return product
    coeff, factors = product.as_coeff_mul()
    if not coeff.is_negative:
        return product
    for k, factor in enumerate(factors):
        base, exp = factor.as_base_exp()
        if base.is_Add and exp.is_Integer and exp.is_odd and _leads_negative(base):
            flipped = sp.Pow(-base, exp)
            return sp.Mul(-coeff, *factors[:k], flipped, *factors[k + 1 :])
    return product


_SQUARES = {"sin": "cos", "cosh": "sinh"}


def pythagorean(expr: Any) -> Any:
    """``expr`` with ``sin(u)**2 + cos(u)**2`` and ``cosh(u)**2 - sinh(u)**2`` (times any ``a``) as ``a``."""
    import sympy as sp

    kinds = (sp.sin, sp.cos, sp.sinh, sp.cosh)

    def square_of(factor: Any) -> tuple[str, Any] | None:
        if factor.is_Pow and factor.exp == 2 and isinstance(factor.base, kinds):
            return type(factor.base).__name__, factor.base.args[0]
        return None

    def merged(add: Any) -> Any:
        found: dict[tuple[str, Any, Any], int] = {}
        for index, term in enumerate(add.args):
            factors = sp.Mul.make_args(term)
            for k, factor in enumerate(factors):
                square = square_of(factor)
                if square is not None:
                    rest = sp.Mul(*factors[:k], *factors[k + 1 :])
                    found.setdefault((square[0], square[1], rest), index)
        used: set[int] = set()
        extra: list[Any] = []
        for (kind, arg, rest), index in found.items():
            partner = _SQUARES.get(kind)
            if partner is None or index in used:
                continue
            other = found.get((partner, arg, rest if kind == "sin" else -rest))
            if other is not None and other not in used and other != index:
                used.update((index, other))
                extra.append(rest)
        if not used:
            return add
        return sp.Add(*(t for i, t in enumerate(add.args) if i not in used), *extra)

    if not expr.has(*kinds):
        return expr
    return expr.replace(lambda e: e.is_Add, merged)


def sines_and_cosines(expr: Any) -> Any:
    """``expr`` with ``tan``, ``cot``, ``sec`` and ``csc`` written by ``sin`` and ``cos``."""
    import sympy as sp

    spelled = {
        sp.tan: lambda u: sp.sin(u) / sp.cos(u),
        sp.cot: lambda u: sp.cos(u) / sp.sin(u),
        sp.sec: lambda u: 1 / sp.cos(u),
        sp.csc: lambda u: 1 / sp.sin(u),
    }
    return expr.replace(lambda e: type(e) in spelled, lambda e: spelled[type(e)](e.args[0]))


def factorable(expr: Any) -> bool:
    """Whether some sum in ``expr`` has terms that share a number or a factor (``factor_terms`` may act)."""
    import sympy as sp

    for add in expr.atoms(sp.Add) if not expr.is_Atom else ():
        coeffs = [t.as_coeff_Mul()[0] for t in add.args]
        if all(c.is_Rational for c in coeffs) and sp.gcd_list(coeffs) not in (0, 1):
            return True
        common: set[Any] | None = None
        for term in add.args:
            bases = {f.as_base_exp()[0] for f in sp.Mul.make_args(term) if not f.is_Number}
            common = bases if common is None else common & bases
            if not common:
                break
        if common:
            return True
    return False


def evaluated(expr: Any) -> Any:
    """``expr`` in SymPy's evaluated form: a number times a sum distributed (``2*(x + 1)`` is ``2*x + 2``).

    ``factor_terms`` and its kin leave ``2*(x + 1)`` as an unevaluated
    product, which SymPy itself never builds: reading the printed result
    back would give another expression.
    """
    import sympy as sp

    def unevaluated(e: Any) -> bool:
        return e.is_Mul and len(e.args) == 2 and e.args[0].is_Number and e.args[1].is_Add

    if not any(unevaluated(e) for e in sp.preorder_traversal(expr)):
        return expr
    return expr.replace(unevaluated, lambda e: sp.Mul(*e.args))


def _negative_power(e: Any) -> bool:
    return bool(e.is_Pow and e.exp.is_negative)


def cancellable(expr: Any) -> bool:
    """Whether ``expr`` has a quotient that ``together``/``cancel``/``factor`` may shrink.

    That is: a sum with two terms holding denominators, a fraction inside
    a denominator (``1/(x**2*(1 + y**2/x**2))``), or a product of a sum and
    a power of a sum below the line (a common factor may cancel). A lone
    ``-49/(7*y + z)**2`` is none of these.
    """
    import sympy as sp

    for node in sp.preorder_traversal(expr):
        if node.is_Add:
            if sum(1 for t in node.args if any(map(_negative_power, sp.preorder_traversal(t)))) > 1:
                return True
        elif _negative_power(node) and not node.base.is_Atom:
            if any(map(_negative_power, sp.preorder_traversal(node.base))):
                return True
        elif node.is_Mul:
            bases = [f.as_base_exp() for f in node.args]
            if any(b.is_Add and x.is_negative for b, x in bases) and any(
                b.is_Add and x.is_positive for b, x in bases
            ):
                return True
    return False


def expandable_product(expr: Any) -> bool:
    """Whether ``expr`` holds a power of a sum or a product with a sum in it (``expand`` may act)."""
    import sympy as sp

    for node in sp.preorder_traversal(expr):
        if node.is_Pow and node.base.is_Add and node.exp.is_Integer and node.exp > 1:
            return True
        if node.is_Mul and any(f.is_Add for f in node.args):
            return True
    return False


def tangents(expr: Any) -> Any:
    """``expr`` with ``sin(u)**k/cos(u)**k`` as ``tan(u)**k`` and ``sinh(u)**k/cosh(u)**k`` as ``tanh(u)**k``.

    Where the powers differ only the common part becomes a tangent:
    ``sinh(u)**3/cosh(u)**2`` is ``sinh(u)*tanh(u)**2``. Exact wherever the
    quotient is defined, for complex ``u`` too.
    """
    import sympy as sp

    pairs = ((sp.sin, sp.cos, sp.tan), (sp.sinh, sp.cosh, sp.tanh))

    def merged(product: Any) -> Any:
        powers = _powers(product)
        changed = False
        for top, bottom, tangent in pairs:
            for base in list(powers):
                if not isinstance(base, top):
                    continue
                partner = bottom(*base.args)
                up, down = powers.get(base, 0), -powers.get(partner, 0)
                if up.is_Integer and down.is_Integer and up > 0 and down > 0:
                    k = min(up, down)
                    powers[base] = up - k
                    powers[partner] = -(down - k)
                    twin = tangent(*base.args)
                    powers[twin] = powers.get(twin, 0) + k
                    changed = True
        if not changed:
            return product
        return _product(powers)

    if not (expr.has(sp.sin, sp.sinh) and expr.has(sp.cos, sp.cosh)):
        return expr
    return expr.replace(lambda e: e.is_Mul, merged)


def settled(expr: Any) -> bool:
    """Whether no tidy rewrite can shrink ``expr``: it holds no sum and no product of exponentials."""
    import sympy as sp

    if isinstance(expr, sp.Basic) and expr.has(sp.Derivative, sp.Subs, sp.Integral):
        return True  # unfinished calculus: left exactly as it is
    stack = [expr]
    while stack:
        node = stack.pop()
        if node.is_Add:
            return False
        if node.is_Mul and (sum(isinstance(f, sp.exp) for f in node.args) > 1
                            or _trig_pair(node)):
            return False
        stack.extend(node.args)
    return True


def merged_exponentials(expr: Any) -> Any:
    """``expr`` with products of exponentials merged (``exp(x)*exp(-z)`` is ``exp(x - z)``)
    and the common factors of each exponent pulled out (``exp(x*(a + b))``).

    ``powsimp`` merges only what SymPy's assumptions allow, so it holds for
    complex symbols too; pulling factors out of a sum changes no value.
    """
    import sympy as sp

    merged = sp.powsimp(expr, deep=True, combine="exp") if has_exponential_product(expr) else expr
    return merged.replace(lambda e: isinstance(e, sp.exp) and e.args[0].is_Add,
                          lambda e: sp.exp(sp.factor_terms(e.args[0])))


def positive_exponentials(expr: Any) -> Any:
    """``expr`` with each ``exp(-u)`` written ``1/exp(u)`` and the quotient cancelled:
    ``exp(-u)/(exp(-u) + 1)**2`` is ``exp(u)/(exp(u) + 1)**2``, and
    ``exp(-u)/(1 + exp(-u))`` is ``1/(exp(u) + 1)``. Exact where ``expr`` is defined."""
    import sympy as sp

    inverses: dict[Any, Any] = {}
    back: dict[Any, Any] = {}
    for power in sorted(expr.atoms(sp.exp), key=sp.default_sort_key):  # the dummies in a fixed order
        if power.args[0].could_extract_minus_sign():
            dummy = sp.Dummy()
            inverses[power] = 1 / dummy
            back[dummy] = sp.exp(-power.args[0])
    if not inverses:
        return expr
    return sp.factor(sp.together(expr.xreplace(inverses))).xreplace(back)


def expanded_coefficient(expr: Any) -> Any:
    """A product with its polynomial factors multiplied out and the rest kept:
    ``2*x*(2*x**2 - 3)*exp(u)`` is ``(4*x**3 - 6*x)*exp(u)``."""
    import sympy as sp

    if not expr.is_Mul:
        return expr
    symbols = expr.free_symbols
    polynomial = [f for f in expr.args if f.is_polynomial(*symbols)]
    rest = [f for f in expr.args if not f.is_polynomial(*symbols)]
    if len(polynomial) < 2 or not rest:
        return expr
    return sp.Mul(sp.expand(sp.Mul(*polynomial)), *rest)


def has_exponential_product(expr: Any) -> bool:
    """Whether some product in ``expr`` has two exponentials (:func:`merged_exponentials` may act)."""
    import sympy as sp

    return any(sum(isinstance(f, sp.exp) for f in m.args) > 1 for m in expr.atoms(sp.Mul))


def abs_merged(expr: Any) -> Any:
    """``expr`` with ``u**m*Abs(u)**k`` (``m`` even, ``u`` real) written as one power of ``Abs(u)``.

    For real ``u``, ``u**2`` is ``Abs(u)**2``, so ``y**2/Abs(y)`` is ``Abs(y)``.
    Where the exponents add up to an even number the power is of ``u`` itself.
    """
    import sympy as sp

    def merged(product: Any) -> Any:
        powers = _powers(product)
        changed = False
        for base in [b for b in powers if isinstance(b, sp.Abs)]:
            inner = base.args[0]
            m = powers.get(inner, 0)
            if not (inner.is_extended_real and m != 0 and m.is_Integer and m.is_even):
                continue
            total = powers[base] + m
            if not total.is_Integer:
                continue
            del powers[inner]
            if total.is_even:
                powers[base] = 0
                powers[inner] = total
            else:
                powers[base] = total
            changed = True
        if not changed:
            return product
        return _product(powers)

    if not expr.has(sp.Abs):
        return expr
    return expr.replace(lambda e: e.is_Mul, merged)


def signed(expr: Any) -> Any:
    """``expr`` with each product's sign moved between its number and a sum in it with an
    odd exponent, where that is shorter: ``-(mu - x)/sigma**2`` is
    ``(x - mu)/sigma**2``, ``-1/(1 - p)`` is ``1/(p - 1)`` and
    ``(-x**2 - y**2)/s**2`` is ``-(x**2 + y**2)/s**2``.

    Exact: ``-a*s**k`` is ``a*(-s)**k`` for odd ``k``.
    """
    import sympy as sp

    def flipped(product: Any) -> Any:
        coeff, factors = product.as_coeff_mul()
        choices = [product]
        for k, factor in enumerate(factors):
            base, exp = factor.as_base_exp()
            if base.is_Add and exp.is_Integer and exp.is_odd:
                choices.append(sp.Mul(-coeff, *factors[:k], sp.Pow(-base, exp), *factors[k + 1 :]))
        if len(choices) == 1:
            return product
        # on a tie the one with fewer minus signs: -(x**2 + y**2) inside a
        # product counts as one operation fewer than (-x**2 - y**2) outside it
        return min(choices, key=lambda c: (sp.count_ops(c, visual=False), str(c).count("-")))

    return expr.replace(lambda e: e.is_Mul, flipped)


def collected_radicals(expr: Any) -> Any:
    """``expr`` with the terms of each sum that share a root of a sum collected, the
    coefficient factored: ``x**2*sqrt(r) + y**2*sqrt(r)`` with ``r = x**2 + y**2`` is
    ``r**(3/2)``."""
    import sympy as sp

    radicals = [p for p in expr.atoms(sp.Pow)
                if p.base.is_Add and p.exp.is_Rational and not p.exp.is_Integer]
    if not radicals:
        return expr

    def collected(add: Any) -> Any:
        present = [r for r in radicals if sum(1 for t in add.args if t.has(r)) > 1]
        return sp.collect(add, present, func=sp.factor) if present else add

    return expr.replace(lambda e: e.is_Add, collected)


def _trig_pair(product: Any) -> bool:
    """Whether ``product`` has two trigonometric or hyperbolic factors of one argument
    (``cos(x)*tan(x)`` is ``sin(x)``, ``2*sin(x)*cos(x)`` is ``sin(2*x)``)."""
    import sympy as sp

    kinds = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sinh, sp.cosh, sp.tanh)
    seen: set[Any] = set()
    for factor in product.args:
        base = factor.as_base_exp()[0]
        if isinstance(base, kinds):
            if base.args[0] in seen:
                return True
            seen.add(base.args[0])
    return False


def sech_squares(expr: Any) -> Any:
    """``expr`` with ``a - a*tanh(u)**2`` as ``a/cosh(u)**2`` (and ``a - a*tan(u)**2``
    left alone: it has no shorter form). Exact wherever ``tanh(u)`` is defined."""
    import sympy as sp

    def merged(add: Any) -> Any:
        terms = list(add.args)
        for k, term in enumerate(terms):
            for factor in sp.Mul.make_args(term):
                if factor.is_Pow and factor.exp == 2 and isinstance(factor.base, sp.tanh):
                    rest = -term / factor
                    if rest in terms[:k] + terms[k + 1 :]:
                        others = [t for j, t in enumerate(terms) if j not in (k, terms.index(rest))]
                        return sp.Add(*others, rest / sp.cosh(factor.base.args[0]) ** 2)
        return add

    if not expr.has(sp.tanh):
        return expr
    return expr.replace(lambda e: e.is_Add, merged)


def _powers(product: Any) -> dict[Any, Any]:
    """The exponent of each base in ``product`` (``x**2*y/x`` gives ``{x: 1, y: 1}``)."""
    return _powers_of(product.args)


def _powers_of(factors: tuple[Any, ...]) -> dict[Any, Any]:
    """The exponent of each base in the product of ``factors``."""
    powers: dict[Any, Any] = {}
    for factor in factors:
        base, exp = factor.as_base_exp()
        powers[base] = powers.get(base, 0) + exp
    return powers


def _product(powers: dict[Any, Any]) -> Any:
    """The product of ``base**exp`` over ``powers`` (the inverse of :func:`_powers`)."""
    import sympy as sp

    return sp.Mul(*(sp.Pow(b, e) for b, e in powers.items()))


def _logistic_power(base: Any, exp: Any) -> Any:
    """The argument ``u`` of a power ``(exp(u) + 1)**-q`` (``q`` a positive integer), or None."""
    import sympy as sp

    if not (base.is_Add and len(base.args) == 2 and exp.is_Integer and exp < 0):
        return None
    one, other = sorted(base.args, key=lambda a: not a.is_Number)
    if one == 1 and isinstance(other, sp.exp):
        return other.args[0]
    return None


def has_logistic_power(expr: Any) -> bool:
    """Whether ``expr`` holds a power ``(exp(u) + 1)**-q`` (:func:`logistic_cosh` may act)."""
    import sympy as sp

    return any(_logistic_power(p.base, p.exp) is not None for p in expr.atoms(sp.Pow))


def logistic_cosh(expr: Any) -> Any:
    """``expr`` with each product ``exp(q*u/2)/(exp(u) + 1)**q`` written ``1/(2*cosh(u/2))**q``:
    ``exp(u)/(exp(u) + 1)**2`` (the logistic function's derivative) is
    ``1/(4*cosh(u/2)**2)``. Products whose exponentials do not cancel so
    (``exp(u)/(exp(u) + 1)``) are left as they are.

    Exact for complex ``u`` too: ``exp(u) + 1 = 2*exp(u/2)*cosh(u/2)``, and ``q`` is an integer.
    """
    import sympy as sp

    def merged(factors: tuple[Any, ...]) -> Any:
        powers = _powers_of(factors)
        exponent = sp.Integer(0)
        changed = False
        for base, k in list(powers.items()):
            u = _logistic_power(base, k)
            if u is None:
                continue
            del powers[base]
            half = u / 2
            cosh = sp.cosh(half)
            powers[cosh] = powers.get(cosh, 0) + k
            powers[sp.Integer(2)] = powers.get(sp.Integer(2), 0) + k
            exponent += k * half
            changed = True
        if not changed:
            return sp.Mul(*factors)
        for base in [b for b in powers if isinstance(b, sp.exp) or b == sp.E]:
            k = powers.pop(base)  # exp(v) reads as E**v
            exponent += k if base == sp.E else k * base.args[0]
        if sp.expand(exponent) != 0:
            return sp.Mul(*factors)  # exp(u/2)/cosh(u/2) would be no one's form
        return _product(powers)

    memo: dict[Any, Any] = {}

    def walk(e: Any) -> Any:
        if e.is_Atom or not e.args:
            return e
        hit = memo.get(e)
        if hit is None:
            if e.is_Mul or (e.is_Pow and _logistic_power(e.base, e.exp) is not None):
                factors = e.args if e.is_Mul else (e,)
                # a logistic power's base is walked, the power itself kept for merged
                hit = merged(tuple(sp.Pow(walk(f.base), f.exp)
                                   if f.is_Pow and _logistic_power(f.base, f.exp) is not None
                                   else walk(f) for f in factors))
            else:
                hit = e.func(*(walk(a) for a in e.args))
            memo[e] = hit
        return hit

    if not has_logistic_power(expr):
        return expr
    return walk(expr)


#: Fewest terms a sum must have for :func:`collected_sums` to collect it.
COLLECTED_TERMS = 3


def collection_generators(expr: Any) -> list[Any]:
    """What :func:`collected_sums` may collect in: the symbols and the functions (``exp(w*x)``)
    of the sums of ``expr`` with :data:`COLLECTED_TERMS` terms or more, in a fixed order."""
    import sympy as sp

    found: set[Any] = set()
    for add in expr.atoms(sp.Add):
        if len(add.args) >= COLLECTED_TERMS:
            found |= add.free_symbols | add.atoms(sp.Function)
    return sorted(found, key=lambda g: (not g.is_Symbol, sp.default_sort_key(g)))


def collected_sums(expr: Any, generator: Any, factored: bool) -> Any:
    """``expr`` with each sum of :data:`COLLECTED_TERMS` terms or more collected in
    ``generator``, the coefficients factored if ``factored``:
    ``2*y*e**2 - 2*e**2 + 2*y*e - 2*e`` (``e = exp(u)``) is ``2*(y - 1)*e**2 + 2*(y - 1)*e``.
    Exact: only the terms are grouped."""
    import sympy as sp

    def collected(add: Any) -> Any:
        if len(add.args) < COLLECTED_TERMS or not add.has(generator):
            return add
        return sp.collect(add, generator, func=sp.factor if factored else None)

    return expr.replace(lambda e: e.is_Add, collected)
