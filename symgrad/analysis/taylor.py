"""``--taylor N``: the Taylor polynomial of order N around a point.

    T_N(x) = Σ_{|α| ≤ N} ∂^α f(a) / α! · (x − a)^α

which for N = 2 is ``f(a) + ∇f(a)·(x−a) + ½ (x−a)ᵀ ∇²f(a) (x−a)``. The
coefficients are exact at an exact point and floats at a decimal one.
Parameters take their values from the point; the polynomial is in the
variables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations_with_replacement
from typing import Any

from ..calculus import Derivatives
from ..errors import AnalysisError
from ..evaluation.exact import PointSubstitution
from ..results import Problem

#: Highest order ``--taylor`` accepts.
MAX_ORDER = 6
#: Most partial derivatives a Taylor polynomial may need (variables and order).
MAX_TERMS = 5_000


@dataclass(frozen=True)
class Taylor:
    """A Taylor polynomial around ``at``.

    ``coefficients`` maps each exponent tuple α (one exponent per variable)
    to ∂^α f(a)/α!, every α with |α| ≤ ``order`` (zeros included), by degree.
    The forms renderers show are computed once, when the polynomial is made:
    ``value`` f(a), ``gradient`` ∇f(a) (order ≥ 1), ``hessian`` ∇²f(a)
    (order ≥ 2), ``displacement`` x − a, ``degree_parts`` (the homogeneous
    part of each degree, in powers of x − a), ``structured`` (their sum, to
    print with ``order='none'``) and ``polynomial`` (expanded in the variables).
    """

    order: int
    variables: tuple[Any, ...]
    at: tuple[tuple[Any, Any], ...]  # (symbol, value), variables then parameters
    coefficients: tuple[tuple[tuple[int, ...], Any], ...]
    problems: tuple[Problem, ...] = ()
    value: Any = field(init=False)
    gradient: tuple[Any, ...] = field(init=False)
    hessian: tuple[tuple[Any, ...], ...] = field(init=False)
    displacement: tuple[Any, ...] = field(init=False)
    degree_parts: tuple[Any, ...] = field(init=False)
    structured: Any = field(init=False)
    polynomial: Any = field(init=False)

    def __post_init__(self) -> None:
        import sympy as sp

        n = len(self.variables)
        first = self.derivative_values(1)
        second = self.derivative_values(2)
        unit = [tuple(int(i == k) for i in range(n)) for k in range(n)]
        displacement = tuple(
            v if a == 0 else sp.Add(v, -a, evaluate=False) for v, a in zip(self.variables, self.center)
        )
        computed = {
            "value": self.derivative_values(0)[(0,) * n],
            "gradient": tuple(first[u] for u in unit) if self.order >= 1 else (),
            "hessian": tuple(
                tuple(second[tuple(a + b for a, b in zip(r, c))] for c in unit) for r in unit
            ) if self.order >= 2 else (),
            "displacement": displacement,
        }
        for name, value in computed.items():
            object.__setattr__(self, name, value)
        parts = tuple(self._degree_part(k) for k in range(self.order + 1))
        object.__setattr__(self, "degree_parts", parts)
        nonzero = [p for p in parts if p != 0]
        terms = [t for p in nonzero for t in (p.args if isinstance(p, sp.Add) else (p,))]
        if not terms:
            structured = sp.S.Zero
        else:
            structured = terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)
        object.__setattr__(self, "structured", structured)
        object.__setattr__(self, "polynomial", sp.expand(structured.doit()))

    @property
    def center(self) -> tuple[Any, ...]:
        values = dict(self.at)
        return tuple(values[v] for v in self.variables)

    def degree_part(self, k: int) -> Any:
        """The homogeneous part of degree ``k``, in powers of ``x − a`` (unevaluated)."""
        return self.degree_parts[k]

    def _degree_part(self, k: int) -> Any:
        import sympy as sp

        d = self.displacement
        terms = []
        for powers, c in self.coefficients:
            if sum(powers) != k or c == 0:
                continue
            factors = [d[i] if e == 1 else sp.Pow(d[i], e, evaluate=False) for i, e in enumerate(powers) if e]
            if c != 1 or not factors:
                factors[:0] = c.args if isinstance(c, sp.Mul) else [c]
            terms.append(factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False))
        if not terms:
            return sp.S.Zero
        return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)

    def derivative_values(self, k: int) -> dict[tuple[int, ...], Any]:
        """∂^α f(a) (not divided by α!) for |α| = k."""
        return {
            p: c * math.prod(math.factorial(e) for e in p) for p, c in self.coefficients if sum(p) == k
        }


def taylor(derivs: Derivatives, point: Mapping[str, Any], order: int) -> Taylor:
    """The Taylor polynomial of a scalar function of order ``order`` (0..6) at ``point``.

    >>> from symgrad import gradient
    >>> t = taylor(gradient("exp(x)*y"), {"x": "0", "y": "1"}, 2)
    >>> t.polynomial
    x**2/2 + x*y + y
    """
    from ..calculus import diff

    if derivs.is_vector:
        raise AnalysisError("--taylor needs one formula (a scalar function), not a vector")
    if not 0 <= order <= MAX_ORDER:
        raise AnalysisError(f"--taylor: the order must be 0 to {MAX_ORDER}, not {order}")
    n = len(derivs.variables)
    if math.comb(n + order, order) > MAX_TERMS:
        raise AnalysisError(
            f"--taylor {order} of {n} variables needs {math.comb(n + order, order)} "
            f"partial derivatives (limit: {MAX_TERMS})"
        )
    at = PointSubstitution(derivs, point)
    names = [v.name for v in derivs.variables]
    derivatives: dict[tuple[int, ...], Any] = {(): derivs.exprs[0]}
    coefficients: list[tuple[tuple[int, ...], Any]] = []
    for k in range(order + 1):
        for combo in combinations_with_replacement(range(n), k):
            if combo not in derivatives:
                derivatives[combo] = diff(derivatives[combo[:-1]], derivs.variables[combo[-1]])
            powers = tuple(combo.count(i) for i in range(n))
            entry = "f" if not combo else f"d{k}f/" + "".join(f"d{names[i]}" for i in combo)
            value = at.value(derivatives[combo], f"taylor {entry}")
            coefficients.append((powers, value / math.prod(math.factorial(e) for e in powers)))
    return Taylor(order, derivs.variables, at.at, tuple(coefficients), tuple(at.problems))
