"""Differentiation: gradient, Hessian and Jacobian of parsed formulas.

Derivatives come from SymPy's ``diff`` in its automatic canonical form
(like terms collected, numbers folded), then go through the tidy step
(:mod:`symgrad.calculus.tidy`, ``simplify="tidy"`` by default): a few cheap
rewrites, the smallest kept, each checked to have the same value, within a
budget so big jobs stay fast. ``simplify="off"`` gives ``diff``'s own form,
``"full"`` adds SymPy's ``simplify``. An entry whose variable does not
occur in the expression is zero without calling ``diff``, and a Hessian's
lower triangle is copied from its upper one.

Big formulas are differentiated by symengine (:mod:`symgrad.calculus.engine`), with
SymPy for the parts whose derivative depends on the variables being real;
``engine="sympy"`` or ``"symengine"`` forces one engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..parsing import Parsed, parse
from ..results import PointValues, Shaped
from . import engine as engines
from . import tidy as tidying
from .deltas import tidy_deltas

if TYPE_CHECKING:
    import sympy as sp


@dataclass(frozen=True)
class Derivatives(Shaped):
    """The symbolic derivatives of one job.

    ``first`` is m×n, one row per formula (m = 1 for a scalar function);
    ``hessians`` holds one symmetric n×n matrix per formula when asked for,
    else None. ``gradient`` is the scalar view (None for a vector function)
    and ``jacobian`` the vector view (None for a scalar function).
    """

    parsed: Parsed
    first: tuple[tuple[Any, ...], ...]
    hessians: tuple[tuple[tuple[Any, ...], ...], ...] | None = None
    vector: bool = False
    #: The derivatives as differentiation left them, when these are tidied
    #: (:mod:`symgrad.calculus.tidy`); values at points are taken from them,
    #: so a singularity the tidy form cancelled is still seen (and its limit
    #: sought: :mod:`symgrad.evaluation.removable`). None: these are raw.
    raw: Derivatives | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.vector and len(self.first) != 1:
            raise ValueError("a scalar function has one row of first derivatives")

    def _names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.parsed.variables)

    @property
    def exprs(self) -> tuple[Any, ...]:
        return self.parsed.exprs

    @property
    def variables(self) -> tuple[Any, ...]:
        return self.parsed.variables

    @property
    def parameters(self) -> tuple[Any, ...]:
        return self.parsed.parameters

    def at(self, point: Mapping[str, Any] | None = None, /, **values: Any) -> PointValues:
        """Evaluate at a point given as a mapping or keywords: ``g.at(x=1, y=2)``.

        Values may be ints, floats, fractions, SymPy numbers or strings such
        as ``"pi/4"``. Exact inputs give exact values, decimals give floats.
        """
        from ..evaluation.exact import evaluate

        merged = dict(point or {})
        merged.update(values)
        return evaluate(self, merged)



def diff(expr: Any, var: Any) -> Any:
    """SymPy's ``diff``, finishing ``Derivative(sign(u), x)``.

    SymPy differentiates ``sign(u)`` (met in the second derivative of
    ``Abs(u)``) only if it can prove ``u`` real, and with real ``x`` it cannot
    for ``x/y``, ``1 + 1/x**2`` or ``acos(tanh(x)/2)``: the derivative stayed
    unevaluated and had no value anywhere. ``b**-n`` is real wherever
    ``b**n`` is real and nonzero, so ``u`` with its negative integer powers
    made positive decides whether ``u`` is real wherever it is finite; then
    d sign(u)/dx = 2 DiracDelta(u) du/dx, as SymPy itself gives for real
    ``u``. Otherwise ``sign(u) = u/Abs(u)`` away from ``u = 0`` whatever
    ``u`` is, and that quotient's derivative is used: 0 where ``u`` is real
    and nonzero, the right value where it is complex, undefined at ``u = 0``.
    """
    import sympy as sp

    result = sp.diff(expr, var)
    if any(not p.exp.is_Number for p in expr.atoms(sp.Pow)):
        result = _merged_powers(result)
    if result.has(sp.DiracDelta):  # a kink's derivative, or a real root's (cbrt)
        result = tidy_deltas(result)
    if not result.has(sp.Derivative):
        return result

    def is_sign_derivative(e: Any) -> bool:
        return (isinstance(e, sp.Derivative) and isinstance(e.expr, sp.sign)
                and e.variable_count == ((var, 1),))

    def finished(e: Any) -> Any:
        u = e.expr.args[0]
        positive = u.replace(
            lambda p: p.is_Pow and p.exp.is_Integer and p.exp.is_negative,
            lambda p: p.base ** (-p.exp),
        )
        if positive.is_extended_real is True:
            return 2 * sp.DiracDelta(u) * sp.diff(u, var)
        return sp.diff(u / sp.Abs(u), var)

    return result.replace(is_sign_derivative, finished)


def _merged_powers(expr: Any) -> Any:
    """Products of powers of one base with exponents added: ``x**y/x`` as ``x**(y - 1)``.

    SymPy writes d/dx x**y as ``x**y*y/x``, which is 0/0 at x = 0, although
    the derivative ``y*x**(y - 1)`` has a value there when y >= 1 (1 at y = 1,
    0 at y = 2). ``b**e*b**k = b**(e + k)`` wherever ``b`` is not 0 (with
    SymPy's principal branch, for complex ``b`` too), and at ``b = 0`` the
    merged power is the derivative's limit. Only bases that are not numbers,
    in products where some exponent is not a number, are merged; symengine
    writes its derivatives this way already.
    """
    import sympy as sp

    def mixed_bases(e: Any) -> dict[Any, list[Any]]:
        """Bases (not numbers) met more than once in the product ``e``, some exponent symbolic."""
        exponents: dict[Any, list[Any]] = {}
        for factor in e.args:
            base, exp = factor.as_base_exp()
            if not base.is_Number:
                exponents.setdefault(base, []).append(exp)
        return {base: exps for base, exps in exponents.items()
                if len(exps) > 1 and not all(x.is_Number for x in exps)}

    def mergeable(e: Any) -> bool:
        return isinstance(e, sp.Mul) and bool(mixed_bases(e))

    def merge(e: Any) -> Any:
        mixed = mixed_bases(e)
        kept = [factor for factor in e.args if factor.as_base_exp()[0] not in mixed]
        return sp.Mul(*kept, *(sp.Pow(base, sp.Add(*exps)) for base, exps in mixed.items()))

    return expr.replace(mergeable, merge)


def _gradient_of(expr: Any, variables: Sequence[Any]) -> tuple[Any, ...]:
    """The partial derivatives of ``expr`` with respect to each variable.

    A sum is indexed once by which terms hold which symbol, so each partial
    differentiates only the terms that depend on its variable (SymPy's own
    ``Add`` derivative differentiates every term, which makes a gradient over
    many variables quadratic). A variable that does not occur gives zero
    without calling ``diff``. The results equal SymPy's ``diff``.
    """
    import sympy as sp

    if isinstance(expr, sp.Add):
        terms: dict[Any, list[Any]] = {}
        for term in expr.args:
            for sym in term.free_symbols:
                terms.setdefault(sym, []).append(term)
        return tuple(sp.Add(*[diff(t, v) for t in terms.get(v, ())]) for v in variables)
    free = expr.free_symbols
    return tuple(diff(expr, v) if v in free else sp.S.Zero for v in variables)


def _upper_hessian_of(grad: Sequence[Any], variables: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
    """The Hessian's upper triangle from the gradient (``None`` below the diagonal)."""
    n = len(variables)
    rows: list[list[Any]] = [[None] * n for _ in range(n)]
    for i in range(n):
        rows[i][i:] = _gradient_of(grad[i], variables[i:])
    return tuple(tuple(row) for row in rows)


def _mirrored(upper: Sequence[Sequence[Any]]) -> tuple[tuple[Any, ...], ...]:
    """A symmetric matrix from its upper triangle."""
    n = len(upper)
    return tuple(tuple(upper[min(i, j)][max(i, j)] for j in range(n)) for i in range(n))


def _derivatives_of(
    expr: Any, variables: Sequence[Any], hessian: bool, engine: str
) -> tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...] | None]:
    """The gradient of one formula and, with ``hessian``, its Hessian."""
    if engine == "symengine":
        grad, upper = engines.derivatives(
            expr, variables, hessian=hessian, sympy_gradient=_gradient_of
        )
    else:
        grad = _gradient_of(expr, variables)
        upper = _upper_hessian_of(grad, variables) if hessian else None
    return grad, None if upper is None else _mirrored(upper)


def differentiate(
    parsed: Parsed,
    *,
    hessian: bool = False,
    vector: bool | None = None,
    engine: str = "auto",
    simplify: str = "tidy",
) -> Derivatives:
    """Differentiate a parsed job.

    With one formula (and ``vector`` not set) the result has a gradient,
    with several a Jacobian; ``hessian=True`` adds one Hessian per formula.
    ``engine`` is ``"auto"`` (symengine for big formulas), ``"sympy"`` or
    ``"symengine"``; all give the same derivatives, possibly written
    differently. ``simplify`` is the tidy step's mode: ``"tidy"``,
    ``"off"`` or ``"full"`` (:mod:`symgrad.calculus.tidy`); an unknown one
    is an :class:`~symgrad.errors.OptionError`.
    """
    tidying.check_mode(simplify)
    variables = parsed.variables
    if vector is None:
        vector = len(parsed.exprs) > 1
    chosen = engines.choose(engine, parsed.exprs, hessian=hessian)
    results = [_derivatives_of(expr, variables, hessian, chosen) for expr in parsed.exprs]
    # Only a special function leaves a derivative to refuse: a formula
    # without one skips the search through every entry (a second of a dense
    # 100-variable Hessian's time).
    if any(expr.has(*_special_classes()) for expr in parsed.exprs):
        for grad, hess in results:
            _refuse_unknown(grad, variables)
            for row in hess or ():
                _refuse_unknown(row, variables)
    grads = [grad for grad, _ in results]
    hessians = tuple(h for _, h in results if h is not None) if hessian else None
    if not vector and len(grads) != 1:
        raise ValueError("a gradient needs exactly one formula; use jacobian() for several")
    return tidying.tidy_derivatives(Derivatives(parsed, tuple(grads), hessians, vector), simplify)


def _special_classes() -> tuple[type, ...]:
    """The SymPy classes of the special functions (:data:`~symgrad.parsing.functions.SPECIAL_FUNCTIONS`)."""
    import sympy as sp

    from ..parsing.functions import SPECIAL_FUNCTIONS

    names = {"polygamma", "hyper", "appellf1"}
    names |= {n for n in SPECIAL_FUNCTIONS if isinstance(getattr(sp, n, None), type)}
    return tuple(getattr(sp, n) for n in sorted(names))


def _refuse_unknown(entries: Sequence[Any], variables: Sequence[Any]) -> None:
    """Refuse entries SymPy left as ``Derivative(...)`` of a special function.

    SymPy knows the derivatives of the special functions with respect to
    their main arguments, but not (mostly) with respect to an order, degree,
    branch or parameter: ``d/dnu besselj(nu, x)`` stays ``Derivative(...)``,
    which has no value anywhere and cannot become code. Such an entry is an
    :class:`~symgrad.errors.UnknownDerivativeError` (exit code 1) naming the
    function and the variable; other unevaluated derivatives (``re(z)`` of
    a complex ``z``) keep their own handling.
    """
    import sympy as sp

    from ..errors import UnknownDerivativeError

    special = None
    for var, entry in zip(variables, entries):
        if entry is None or not isinstance(entry, sp.Basic) or not entry.has(sp.Derivative, sp.Subs):
            continue
        if special is None:
            special = _special_classes()
        # a Subs holds Derivative(f(_xi, x), _xi) at _xi = the order's expression
        undone: list[tuple[Any, dict[Any, Any]]] = [
            (s.expr, dict(zip(s.variables, s.point))) for s in entry.atoms(sp.Subs)
            if isinstance(s.expr, sp.Derivative)]
        undone += [(d, {}) for d in entry.atoms(sp.Derivative)]
        for node, back in undone:
            calls: list[Any] = [f for f in node.expr.atoms(sp.Function) if isinstance(f, special)]
            if calls:
                text = sp.sstr(calls[0].xreplace(back))
                call = text if len(text) <= 80 else type(calls[0]).__name__
                raise UnknownDerivativeError(
                    f"the derivative of {call} with respect to {var} is not known in closed form: "
                    "SymPy knows it only with respect to the function's main argument, not its "
                    "order or parameters (keep the variable out of those, or leave it out of --wrt)"
                )


def _parse(
    formulas: Sequence[str | sp.Expr], wrt: str | Sequence[Any] | None, symbols: str | Iterable[str], real: bool
) -> Parsed:
    return parse(*formulas, wrt=wrt, symbols=symbols, real=real)


def gradient(
    formula: str | sp.Expr,
    *,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
    engine: str = "auto",
    simplify: str = "tidy",
) -> Derivatives:
    """The gradient of one formula.

    >>> g = gradient("x**2 + y*z")
    >>> g.gradient
    (2*x, z, y)
    >>> g.at(x=1, y=2, z=3).gradient
    (2, 3, 2)
    """
    return differentiate(_parse([formula], wrt, symbols, real), engine=engine, simplify=simplify)


def hessian(
    formula: str | sp.Expr,
    *,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
    engine: str = "auto",
    simplify: str = "tidy",
) -> Derivatives:
    """The gradient and Hessian of one formula.

    >>> hessian("x**2*y").hessian
    ((2*y, 2*x), (2*x, 0))
    """
    return differentiate(
        _parse([formula], wrt, symbols, real), hessian=True, engine=engine, simplify=simplify
    )


def jacobian(
    *formulas: str | sp.Expr,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
    hessian: bool = False,
    engine: str = "auto",
    simplify: str = "tidy",
) -> Derivatives:
    """The Jacobian of a vector function, one row per formula.

    >>> jacobian("x*y", "x+y").jacobian
    ((y, x), (1, 1))
    """
    return differentiate(
        _parse(formulas, wrt, symbols, real),
        hessian=hessian,
        vector=True,
        engine=engine,
        simplify=simplify,
    )
