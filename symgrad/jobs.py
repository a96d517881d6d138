"""One job: formulas in, derivatives and their values at points out.

This is what the command line runs for each ``EXPR`` set (or stdin line);
it is library code, so scripts can run jobs the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .calculus import differentiate
from .errors import VariableError
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
    #: Analyses beyond the gradient (--check, --critical, ...): a symgrad.analysis.AnalysisSpec.
    analysis: Any = None


@dataclass(frozen=True)
class Job:
    """A computed job: the derivatives and their values at each point."""

    derivatives: Derivatives
    points: tuple[PointValues, ...] = ()
    #: What the analysis options computed (a symgrad.analysis.Analysis), if any.
    analysis: Any = None
    #: The stdin line the job came from (stdin mode), else None.
    line: int | None = None

    @property
    def problems(self) -> tuple[Problem, ...]:
        extra = self.analysis.problems if self.analysis is not None else ()
        return tuple(p for values in self.points for p in values.problems) + extra


def run_job(formulas: Sequence[str], spec: JobSpec) -> Job:
    """Parse, differentiate and evaluate one job."""
    parsed = parse(*formulas, wrt=spec.wrt, symbols=spec.symbols, real=spec.real)
    derivs = differentiate(parsed, hessian=spec.hessian, engine=spec.engine)
    try:
        values = tuple(evaluate(derivs, point) for point in spec.points)
    except VariableError as err:
        raise err.about("--at") from None
    if spec.analysis is None or not spec.analysis.any:
        return Job(derivs, values)
    from .analysis import run_analysis

    return Job(derivs, values, run_analysis(derivs, spec.analysis, spec.points))
