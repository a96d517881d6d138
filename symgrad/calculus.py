"""Differentiation: gradient, Hessian and Jacobian of parsed formulas.

Derivatives come straight from SymPy's ``diff`` in its automatic canonical
form (like terms collected, numbers folded). No ``simplify``, ``expand`` or
``factor`` is run, so the cost stays predictable on big formulas. An entry
whose variable does not occur in the expression is zero without calling
``diff``, and a Hessian's lower triangle is copied from its upper one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .parsing import Parsed, parse
from .results import Derivatives


def _partial(expr: Any, var: Any) -> Any:
    import sympy as sp

    if var not in expr.free_symbols:
        return sp.S.Zero
    return sp.diff(expr, var)


def _gradient_of(expr: Any, variables: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_partial(expr, v) for v in variables)


def _hessian_of(grad: Sequence[Any], variables: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
    n = len(variables)
    rows: list[list[Any]] = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            rows[i][j] = rows[j][i] = _partial(grad[i], variables[j])
    return tuple(tuple(row) for row in rows)


def differentiate(parsed: Parsed, *, hessian: bool = False, vector: bool | None = None) -> Derivatives:
    """Differentiate a parsed job.

    With one formula (and ``vector`` not set) the result has a gradient,
    with several a Jacobian; ``hessian=True`` adds one Hessian per formula.
    """
    variables = parsed.variables
    if vector is None:
        vector = len(parsed.exprs) > 1
    grads = [_gradient_of(expr, variables) for expr in parsed.exprs]
    hessians = tuple(_hessian_of(g, variables) for g in grads) if hessian else None
    if vector:
        return Derivatives(parsed, gradient=None, jacobian=tuple(grads), hessians=hessians)
    if len(grads) != 1:
        raise ValueError("a gradient needs exactly one formula; use jacobian() for several")
    return Derivatives(parsed, gradient=grads[0], jacobian=None, hessians=hessians)


def _parse(
    formulas: Sequence[Any], wrt: str | Sequence[Any] | None, symbols: str | Iterable[str], real: bool
) -> Parsed:
    return parse(*formulas, wrt=wrt, symbols=symbols, real=real)


def gradient(
    formula: Any,
    *,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
) -> Derivatives:
    """The gradient of one formula.

    >>> g = gradient("x**2 + y*z")
    >>> g.gradient
    (2*x, z, y)
    >>> g.at(x=1, y=2, z=3).gradient
    (2, 3, 2)
    """
    return differentiate(_parse([formula], wrt, symbols, real))


def hessian(
    formula: Any,
    *,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
) -> Derivatives:
    """The gradient and Hessian of one formula.

    >>> hessian("x**2*y").hessian
    ((2*y, 2*x), (2*x, 0))
    """
    return differentiate(_parse([formula], wrt, symbols, real), hessian=True)


def jacobian(
    *formulas: Any,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
    hessian: bool = False,
) -> Derivatives:
    """The Jacobian of a vector function, one row per formula.

    >>> jacobian("x*y", "x+y").jacobian
    ((y, x), (1, 1))
    """
    return differentiate(_parse(formulas, wrt, symbols, real), hessian=hessian, vector=True)
