"""The functions :mod:`symgrad.codegen` writes for a job, and their layout.

A job's first derivatives are m×n (:attr:`Derivatives.first`, one row per
formula): a scalar function's one row is written as a gradient of n entries,
a vector function's rows as an m×n Jacobian. Its Hessians, when computed,
are written whole (both triangles): n×n for a scalar function, m×n×n for a
vector function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..calculus import Derivatives


@dataclass(frozen=True)
class Function:
    """One function to write: its name, what it computes and its entries."""

    name: str
    title: str  # "gradient", "Jacobian", ...
    layout: str  # "[i] = d f / d x_i", ...
    shape: tuple[int, ...]
    entries: tuple[Any, ...]  # SymPy expressions, flat, row-major


#: Per kind of function (scalar, vector): the first derivatives' name prefix,
#: title and layout, then the Hessians' layout.
_KINDS = {
    False: ("grad", "gradient", "[i] = d f / d x_i", "[i][j] = d2 f / d x_i d x_j"),
    True: ("jac", "Jacobian", "[i][j] = d f_i / d x_j", "[k][i][j] = d2 f_k / d x_i d x_j"),
}


def functions(derivs: Derivatives, name: str = "f") -> list[Function]:
    """The functions a job needs: gradient (or Jacobian), then Hessian(s)."""
    n = len(derivs.variables)
    prefix, title, first_layout, hessian_layout = _KINDS[derivs.vector]
    # a vector function's results have one more axis: the formula
    formulas = (len(derivs.first),) if derivs.vector else ()
    first = tuple(v for row in derivs.first for v in row)
    out = [Function(f"{prefix}_{name}", title, first_layout, (*formulas, n), first)]
    if derivs.hessians is not None:
        flat = tuple(v for h in derivs.hessians for row in h for v in row)
        out.append(Function(f"hess_{name}", "Hessian", hessian_layout, (*formulas, n, n), flat))
    return out


__all__ = ["Function", "functions"]
