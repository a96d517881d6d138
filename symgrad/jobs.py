"""One job: formulas in, derivatives and their values at points out.

This is what the command line runs for each ``EXPR`` set (or stdin line);
it is library code, so scripts can run jobs the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .calculus import differentiate
from .evaluate import evaluate
from .parsing import parse
from .results import Derivatives, PointValues, Problem


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """What to compute, independent of the formulas."""

    wrt: str | Sequence[str] | None = None
    symbols: str | Iterable[str] = ()
    real: bool = True
    hessian: bool = False
    points: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    #: Differentiation engine: "auto", "sympy" or "symengine" (see symgrad.engine).
    engine: str = "auto"


@dataclass(frozen=True)
class Job:
    """A computed job: the derivatives and their values at each point."""

    derivatives: Derivatives
    points: tuple[PointValues, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for values in self.points for p in values.problems)


def run_job(formulas: Sequence[str], spec: JobSpec) -> Job:
    """Parse, differentiate and evaluate one job."""
    parsed = parse(*formulas, wrt=spec.wrt, symbols=spec.symbols, real=spec.real)
    derivs = differentiate(parsed, hessian=spec.hessian, engine=spec.engine)
    return Job(derivs, tuple(evaluate(derivs, point) for point in spec.points))
