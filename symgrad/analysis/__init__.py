"""Beyond the gradient: verify it, find critical points, expand, vector calculus.

Each analysis is a library function of a :class:`~symgrad.results.Derivatives`:

* :func:`check` — derivatives against Richardson-extrapolated central differences;
* :func:`critical_points` — solve ∇f = 0 (exactly, else Newton) and classify;
* :func:`taylor` — the Taylor polynomial of order N at a point;
* :func:`divergence`, :func:`curl`, :func:`laplacian`, :func:`directional`,
  :func:`partial` — vector calculus.

:func:`run_analysis` runs what an :class:`AnalysisSpec` asks for; the command
line calls it through :func:`symgrad.jobs.run_job`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import labels
from ..calculus import Derivatives
from ..limits import DEFAULT_TOL
from ..results import Problem
from .check import CheckEntry, CheckPoint, CheckReport, check
from .critical import CriticalReport, critical_points
from .taylor import Taylor, taylor
from .vector import (
    curl,
    directional,
    divergence,
    laplacian,
    normalised,
    parse_direction,
    parse_partial,
    partial,
    partial_name,
)

__all__ = [
    "Analysis",
    "AnalysisSpec",
    "Curl",
    "Directional",
    "Divergence",
    "Field",
    "Laplacian",
    "Partial",
    "check",
    "critical_points",
    "curl",
    "directional",
    "divergence",
    "laplacian",
    "partial",
    "run_analysis",
    "taylor",
]


@dataclass(frozen=True, kw_only=True)
class AnalysisSpec:
    """Which analyses to run, with their settings (the CLI's options)."""

    check: bool = False
    tolerance: float = DEFAULT_TOL
    box: tuple[float, float] | None = None  # None: each analysis' own default
    seed: int = 0
    critical: bool = False
    taylor: int | None = None
    divergence: bool = False
    curl: bool = False
    laplacian: bool = False
    along: str | None = None  # "1,1,0" or "x=1,y=1"
    diff: str | None = None  # "x,y,y"
    steps: bool = False  # step-by-step derivations (symgrad.calculus.steps)

    @property
    def any(self) -> bool:
        return bool(
            self.check or self.critical or self.taylor is not None or self.divergence
            or self.curl or self.laplacian or self.along or self.diff or self.steps
        )


@dataclass(frozen=True)
class Field:
    """One vector-calculus result: its symbolic form and its value at each point.

    ``value`` is one expression, or a tuple of them (the curl, and a vector
    function's Laplacian, directional derivative or partial); ``points``
    holds the values in the same shape, one per ``--at`` point. ``names``
    names a tuple's components, in text output and in problems. Each kind
    of result is its own subclass, so renderers dispatch on the type.
    """

    #: The JSON key of the kind.
    key: ClassVar[str] = "field"

    label: str  # the text label: "div F", "curl F", "Δf", "D_u f", "d3f/dxdy^2"
    value: Any
    points: tuple[Any, ...] = ()
    names: tuple[str, ...] = ()  # "curl_x", ...; "laplacian_f1", ...; "d3f1/dxdy^2", ...


@dataclass(frozen=True)
class Divergence(Field):
    """``--divergence``: Σ ∂Fi/∂xi."""

    key: ClassVar[str] = "divergence"


@dataclass(frozen=True)
class Curl(Field):
    """``--curl``: the curl of a field of 3 components in 3 variables."""

    key: ClassVar[str] = "curl"


@dataclass(frozen=True)
class Laplacian(Field):
    """``--laplacian``: Σ ∂²f/∂xi² (per component for a vector function)."""

    key: ClassVar[str] = "laplacian"


@dataclass(frozen=True)
class Directional(Field):
    """``--along``: the derivative along the unit vector ``direction``."""

    key: ClassVar[str] = "directional"
    direction: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Partial(Field):
    """``--diff``: one mixed partial derivative, by the variables ``wrt`` in order."""

    key: ClassVar[str] = "derivative"
    wrt: tuple[Any, ...] = ()


def _component_names(key: str, count: int, derivs: Derivatives, wrt: Sequence[Any] | None) -> tuple[str, ...]:
    """The curl's components by variable; a vector function's results by function."""
    if key == "curl":
        return tuple(f"curl_{v.name}" for v in derivs.variables[:count])
    if key == "derivative":
        assert wrt is not None
        return tuple(partial_name(wrt, labels.function(k)) for k in range(count))
    return tuple(f"{key}_{labels.function(k)}" for k in range(count))


@dataclass(frozen=True)
class Analysis:
    """Everything the analysis options computed for one job."""

    check: CheckReport | None = None
    critical: CriticalReport | None = None
    taylor: tuple[Taylor, ...] = ()
    fields: tuple[Field, ...] = ()
    direction: tuple[Any, ...] | None = None  # the unit vector of --along
    diff: tuple[Any, ...] | None = None  # the variables of --diff
    points: tuple[tuple[tuple[Any, Any], ...], ...] = ()  # the --at points fields were evaluated at
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    #: One derivation per entry with --steps (symgrad.calculus.steps.Derivation).
    steps: tuple[Any, ...] = ()


def run_analysis(
    derivs: Derivatives, spec: AnalysisSpec, points: Sequence[Mapping[str, Any]] = ()
) -> Analysis:
    """Run every analysis ``spec`` asks for on one job's derivatives."""
    from ..evaluation.exact import PointSubstitution

    problems: list[Problem] = []
    fields: list[tuple[type[Field], str, Any, dict[str, Any]]] = []
    unit = wrt = None
    if spec.divergence:
        fields.append((Divergence, "div F", divergence(derivs), {}))
    if spec.curl:
        fields.append((Curl, "curl F", curl(derivs), {}))
    f = "F" if derivs.is_vector else "f"  # the function's name in labels
    if spec.laplacian:
        fields.append((Laplacian, f"Δ{f}", laplacian(derivs), {}))
    if spec.along:
        unit = normalised(parse_direction(spec.along, derivs.variables))
        fields.append((Directional, f"D_u {f}", directional(derivs, unit), {"direction": unit}))
    if spec.diff:
        wrt = parse_partial(spec.diff, derivs)
        fields.append((Partial, partial_name(wrt, f), partial(derivs, wrt), {"wrt": wrt}))
    if spec.taylor is not None and not points:
        from ..errors import AnalysisError

        raise AnalysisError("--taylor needs a point to expand around: add --at")
    evaluated: list[Field] = []
    substitutions = [PointSubstitution(derivs, p) for p in points] if fields else []
    for kind, label, value, extra in fields:
        at_points = []
        names = _component_names(kind.key, len(value), derivs, wrt) if isinstance(value, tuple) else ()
        for sub in substitutions:
            if isinstance(value, tuple):
                at_points.append(sub.values(value, names))
            else:
                at_points.append(sub.value(value, label))
        evaluated.append(kind(label, value, tuple(at_points), names, **extra))
    for sub in substitutions:
        problems += sub.problems
    expansions: tuple[Taylor, ...] = ()
    if spec.taylor is not None:
        expansions = tuple(taylor(derivs, p, spec.taylor) for p in points)
        problems += [p for t in expansions for p in t.problems]
    report = None
    if spec.check:
        box = spec.box or (-2.0, 2.0)
        report = check(derivs, points, box=box, seed=spec.seed, tolerance=spec.tolerance)
        problems += [_check_problem(point, entry, spec.tolerance) for point, entry in report.failures]
    critical = None
    if spec.critical:
        if spec.box:
            critical = critical_points(derivs, seed=spec.seed, box=spec.box)
        else:
            critical = critical_points(derivs, seed=spec.seed)
    derivations: tuple[Any, ...] = ()
    if spec.steps:
        from ..calculus.steps import derivations as derive_steps

        derivations = derive_steps(derivs)
    return Analysis(
        steps=derivations,
        check=report,
        critical=critical,
        taylor=expansions,
        fields=tuple(evaluated),
        direction=unit,
        diff=wrt,
        points=tuple(sub.at for sub in substitutions),
        problems=tuple(problems),
    )


def _check_problem(point: CheckPoint, entry: CheckEntry, tolerance: float) -> Problem:
    where = ", ".join(f"{name}={value}" for name, value in point.at)
    if entry.kink:
        return Problem(f"check {entry.entry}", _short(entry.symbolic),
                       f"not differentiable at {where}: {entry.kink}")
    return Problem(
        f"check {entry.entry}",
        _short(entry.symbolic),
        f"numeric estimate {_short(entry.numeric)}, relative error {entry.relative_error:.3g} "
        f"exceeds --tol {tolerance:g} at {where}",
    )


def _short(value: Any) -> str:
    import mpmath

    return str(mpmath.nstr(value, 15))
