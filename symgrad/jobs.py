"""One job: formulas in, derivatives and their values at points out.

This is what the command line runs for each ``EXPR`` set (or stdin line);
it is library code, so scripts can run jobs the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .calculus import Derivatives, differentiate
from .errors import PointError, VariableError
from .evaluation.exact import evaluate
from .parsing import parse
from .results import PointValues, Problem


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """What to compute, independent of the formulas."""

    wrt: str | Sequence[str] | None = None
    symbols: str | Iterable[str] = ()
    real: bool = True
    #: How formula text is written: "auto", "text" or "latex" (symgrad.parsing.SYNTAXES).
    syntax: str = "auto"
    hessian: bool = False
    #: Points ``{name: value}``; values as SymPy numbers (parsed once), or
    #: anything :func:`symgrad.evaluation.exact.evaluate` takes.
    points: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    #: Differentiation engine: "auto", "sympy" or "symengine" (see symgrad.calculus.engine).
    engine: str = "auto"
    #: The tidy step's mode: "tidy", "off" or "full" (see symgrad.calculus.tidy).
    simplify: str = "tidy"
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


def derive(formulas: Sequence[str], spec: JobSpec) -> Derivatives:
    """Parse and differentiate one job's formulas (``spec.engine`` differentiates, ``spec.simplify`` tidies)."""
    parsed = parse(*formulas, wrt=spec.wrt, symbols=spec.symbols, real=spec.real, syntax=spec.syntax)
    return differentiate(parsed, hessian=spec.hessian, engine=spec.engine, simplify=spec.simplify)


def run_job(formulas: Sequence[str], spec: JobSpec) -> Job:
    """Parse, differentiate and evaluate one job.

    An error about a point's values (a name the formula does not have, a
    symbol with no value) has ``input`` ``"point"``.
    """
    derivs = derive(formulas, spec)
    try:
        values = tuple(evaluate(derivs, point) for point in spec.points)
    except (VariableError, PointError) as err:
        err.input = "point"
        raise
    if spec.analysis is None or not spec.analysis.any:
        return Job(derivs, values)
    from .analysis import run_analysis

    return Job(derivs, values, run_analysis(derivs, spec.analysis, spec.points))
