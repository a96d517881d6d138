"""Vector calculus: divergence, curl, Laplacian, directional and mixed partials.

* divergence of a field F = (F1, …, Fn) of n variables: Σ ∂Fi/∂xi;
* curl of a field of 3 components in 3 variables (x, y, z in ``--wrt``
  order): (∂F3/∂y − ∂F2/∂z, ∂F1/∂z − ∂F3/∂x, ∂F2/∂x − ∂F1/∂y);
* Laplacian of a scalar: Σ ∂²f/∂xi²;
* directional derivative of a scalar along v: ∇f · v/|v| (v is normalised);
* one mixed partial ∂ᵏf/∂xi∂xj… in the order given.

The last three apply to a vector function F = (f1, …, fm) component by
component, and then give a tuple: ΔF = (Δf1, …), D_u F = J·u, and
∂ᵏF/∂xi… = (∂ᵏf1/∂xi…, …).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import labels
from ..calculus import Derivatives
from ..errors import AnalysisError, VariableError
from ..parsing import parse_names, parse_point, parse_value

#: Highest order ``--diff`` accepts.
MAX_DIFF_ORDER = 20


def divergence(derivs: Derivatives) -> Any:
    """Σ ∂Fi/∂xi of a field with as many components as variables.

    >>> from symgrad import jacobian
    >>> divergence(jacobian("x*y", "y*z", "z*x"))
    x + y + z
    """
    import sympy as sp

    m, n = len(derivs.exprs), len(derivs.variables)
    if m != n or n < 1:
        raise AnalysisError(
            f"--divergence needs as many formulas (field components) as variables; "
            f"got {m} formula{'s' if m != 1 else ''} and {n} variable{'s' if n != 1 else ''}"
        )
    rows = derivs.first_rows
    return sp.Add(*[rows[i][i] for i in range(n)])


def curl(derivs: Derivatives) -> tuple[Any, Any, Any]:
    """The curl of a field of 3 components in 3 variables.

    >>> from symgrad import jacobian
    >>> curl(jacobian("-y", "x", "0", wrt="x,y,z"))
    (0, 0, 2)
    """
    m, n = len(derivs.exprs), len(derivs.variables)
    if m != 3 or n != 3:
        raise AnalysisError(
            f"--curl needs a field of 3 formulas in 3 variables; got {m} formula{'s' if m != 1 else ''} "
            f"and {n} variable{'s' if n != 1 else ''} (name them with --wrt x,y,z)"
        )
    j = derivs.first_rows
    return (j[2][1] - j[1][2], j[0][2] - j[2][0], j[1][0] - j[0][1])


def _per_component(derivs: Derivatives, values: Sequence[Any]) -> Any:
    """One value for a scalar function, the tuple of them for a vector function."""
    return tuple(values) if derivs.is_vector else values[0]


def laplacian(derivs: Derivatives) -> Any:
    """Σ ∂²f/∂xi² of a scalar function; per component (a tuple) for a vector function.

    >>> from symgrad import gradient, jacobian
    >>> laplacian(gradient("x**2*y + y**3"))
    8*y
    >>> laplacian(jacobian("x**2*y", "x*y**3"))
    (2*y, 6*x*y)
    """
    import sympy as sp

    from ..calculus import diff

    n = len(derivs.variables)
    results = []
    for k, row in enumerate(derivs.first_rows):
        if derivs.hessians is not None:
            diagonal = [derivs.hessians[k][i][i] for i in range(n)]
        else:
            diagonal = [diff(g, v) for g, v in zip(row, derivs.variables)]
        results.append(sp.Add(*diagonal))
    return _per_component(derivs, results)


def parse_direction(text: str, variables: Sequence[Any]) -> tuple[Any, ...]:
    """The vector of ``--along``, one exact component per variable.

    ``1,1,0`` lists components in variable order (a label such as ``v=1,1,0``
    may lead); ``x=1,y=1`` names them, and unnamed components are 0.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> parse_direction("3,4", [x, y]), parse_direction("y=2", [x, y]), parse_direction("v=1,1", [x, y])
    ((3, 4), (0, 2), (1, 1))
    """
    names = [v.name for v in variables]
    items = _top_level_items(text)
    if all("=" in item for item in items) and not (
        len(items) == 1 and items[0].split("=", 1)[0].strip() not in names
    ):
        given = parse_point(text)
        for name in given:
            if name not in names:
                raise VariableError(
                    f"--along: {name!r} is not a variable (variables: {', '.join(names) or 'none'})"
                )
        return tuple(parse_value(given[n], f"--along {n}") if n in given else _zero() for n in names)
    if "=" in items[0]:
        label, items[0] = items[0].split("=", 1)
        if label.strip() in names:
            raise VariableError(f"--along: name every component (x=1,y=2) or none (1,2): {text!r}")
    if any("=" in item for item in items):
        raise VariableError(f"--along: name every component (x=1,y=2) or none (1,2): {text!r}")
    if len(items) != len(names):
        raise VariableError(
            f"--along: {len(items)} component{'s' if len(items) != 1 else ''} given, "
            f"but there {'is' if len(names) == 1 else 'are'} {len(names)} variable"
            f"{'s' if len(names) != 1 else ''} ({', '.join(names)})"
        )
    return tuple(parse_value(item, f"--along component {k + 1}") for k, item in enumerate(items))


def _zero() -> Any:
    import sympy as sp

    return sp.S.Zero


def _top_level_items(text: str) -> list[str]:
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return items


def normalised(direction: Sequence[Any]) -> tuple[Any, ...]:
    """``v/|v|``, exactly for exact components.

    >>> normalised((3, 4))
    (3/5, 4/5)
    """
    import sympy as sp

    norm = sp.sqrt(sp.Add(*[sp.sympify(c, strict=True) ** 2 for c in direction]))
    if norm == 0:
        raise AnalysisError("--along: the direction is the zero vector")
    return tuple(sp.sympify(c, strict=True) / norm for c in direction)


def directional(derivs: Derivatives, unit: Sequence[Any]) -> Any:
    """∇f · u for a unit vector ``u``; J·u (a tuple) for a vector function.

    >>> from symgrad import gradient, jacobian
    >>> directional(gradient("x**2 + 3*y"), (0, 1))
    3
    >>> directional(jacobian("x*y", "x + 3*y"), (0, 1))
    (x, 3)
    """
    import sympy as sp

    return _per_component(derivs, [sp.Add(*[g * u for g, u in zip(row, unit)])
                                   for row in derivs.first_rows])


def parse_partial(text: str, derivs: Derivatives) -> tuple[Any, ...]:
    """The variables of ``--diff x,y,y``, in order (repeats allowed)."""
    by_name = {v.name: v for v in derivs.variables}
    items = text.split(",")
    if len(items) > MAX_DIFF_ORDER:
        raise AnalysisError(f"--diff: at most {MAX_DIFF_ORDER} differentiations, not {len(items)}")
    chosen = []
    for item in items:
        (name,) = parse_names(item, "--diff")
        if name not in by_name:
            raise VariableError(
                f"--diff: {name!r} is not a variable (variables: {', '.join(by_name) or 'none'})"
            )
        chosen.append(by_name[name])
    return tuple(chosen)


def partial(derivs: Derivatives, wrt: Sequence[Any]) -> Any:
    """∂ᵏf/∂wrt[0]…∂wrt[k-1]; per component (a tuple) for a vector function.

    >>> from symgrad import gradient
    >>> g = gradient("x**2*y**3")
    >>> partial(g, g.variables[:1] + g.variables[1:] * 2)
    12*x*y
    """
    from ..calculus import diff

    results = []
    for expr in derivs.exprs:
        for v in wrt:
            expr = diff(expr, v)
        results.append(expr)
    return _per_component(derivs, results)


def runs(wrt: Sequence[Any]) -> list[tuple[Any, int]]:
    """Consecutive repeats counted: (x, y, y) -> [(x, 1), (y, 2)]."""
    by_name = {v.name: v for v in wrt}
    return [(by_name[name], k) for name, k in labels.runs([v.name for v in wrt])]


def partial_name(wrt: Sequence[Any], f: str = "f") -> str:
    """``d3f/dxdy^2`` for (x, y, y): consecutive repeats as powers."""
    return labels.derivative(f, [v.name for v in wrt])
