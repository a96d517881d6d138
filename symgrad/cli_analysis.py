"""The analysis options of the ``symgrad`` command, in one decorator.

:func:`analysis_options` adds ``--check``, ``--tol``, ``--box``, ``--seed``,
``--critical``, ``--taylor``, ``--divergence``, ``--curl``, ``--laplacian``,
``--along`` and ``--diff`` to a click command and hands the command a single
``analysis`` argument (:class:`AnalysisOptions`) instead of eleven.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from .limits import DEFAULT_TOL

#: Formats the analysis results are rendered in.
_ANALYSIS_FORMATS = ("auto", "pretty", "text", "latex", "json")

_OPTIONS = [
    click.option("--check", is_flag=True, help="Verify the derivatives numerically (Richardson-extrapolated central differences) at the --at points, or at 3 random points in --box; exit 1 if a relative error exceeds --tol."),
    click.option("--tol", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TOL, show_default=True, metavar="TOL", help="With --check: largest relative error accepted."),
    click.option("--box", metavar="LO:HI", help="With --check (random points, default -2:2) or --critical (Newton starts, default -10:10): the interval for every variable."),
    click.option("--seed", type=int, default=0, show_default=True, help="With --check/--critical: seed of the random points."),
    click.option("--critical", is_flag=True, help="Solve grad f = 0 (exactly, else Newton from seeded starts in --box) and classify each point: local minimum, local maximum, saddle, degenerate."),
    click.option("--taylor", type=click.IntRange(0, 6), metavar="N", help="With --at: the Taylor polynomial of order N (0..6) around each point."),
    click.option("--divergence", is_flag=True, help="Divergence of the field EXPR... (as many formulas as variables)."),
    click.option("--curl", is_flag=True, help="Curl of a field of 3 formulas in 3 variables."),
    click.option("--laplacian", is_flag=True, help="Laplacian (of each EXPR, for several)."),
    click.option("--along", metavar="1,1,0", help="Directional derivative along this vector, normalised (components in variable order, or x=1,y=1)."),
    click.option("--diff", "diff_wrt", metavar="x,y,y", help="One mixed partial derivative, differentiating in this order."),
]
_NAMES = ("check", "tol", "box", "seed", "critical", "taylor", "divergence", "curl", "laplacian", "along", "diff_wrt")


@dataclass(frozen=True)
class AnalysisOptions:
    """The analysis options as given on the command line."""

    values: dict[str, Any]
    fmt: str
    bulk: bool

    def spec(self) -> Any:
        """The :class:`~symgrad.analysis.AnalysisSpec`, or None when no analysis was asked for.

        Raises :class:`~symgrad.errors.AnalysisError` for options that do not
        fit together and :class:`~symgrad.errors.VariableError` for a bad ``--box``.
        """
        v = self.values
        asked = any(v[n] for n in ("check", "critical", "divergence", "curl", "laplacian")) or any(
            v[n] is not None for n in ("taylor", "along", "diff_wrt", "box")
        )
        if not asked and v["seed"] == 0 and v["tol"] == DEFAULT_TOL:
            return None  # the common case, without importing the analysis package

        from .analysis import AnalysisSpec
        from .errors import AnalysisError

        for option, needs in (("box", ("check", "critical")), ("seed", ("check", "critical"))):
            if v[option] is not None and v[option] != 0 and not any(v[n] for n in needs):
                raise AnalysisError(f"--{option} works with --check or --critical")
        if not math.isfinite(v["tol"]):
            raise AnalysisError(f"--tol must be a finite positive number, not {v['tol']}")
        if v["tol"] != DEFAULT_TOL and not v["check"]:
            raise AnalysisError("--tol works with --check")
        spec = AnalysisSpec(
            check=v["check"],
            tolerance=v["tol"],
            box=parse_box(v["box"]) if v["box"] is not None else None,
            seed=v["seed"],
            critical=v["critical"],
            taylor=v["taylor"],
            divergence=v["divergence"],
            curl=v["curl"],
            laplacian=v["laplacian"],
            along=v["along"],
            diff=v["diff_wrt"],
        )
        if not spec.any:
            return None
        if self.bulk:
            raise AnalysisError("the analysis options do not work with --points or --grid; use --at")
        if self.fmt not in _ANALYSIS_FORMATS:
            raise AnalysisError(f"the analysis options work with the pretty, text, latex and json formats, not {self.fmt}")
        return spec


def parse_box(text: str) -> tuple[float, float]:
    """``"-2:2"`` as ``(-2.0, 2.0)``; each end may be exact (``-pi:pi``)."""
    from .errors import VariableError
    from .parsing import parse_value

    if text.count(":") != 1:
        raise VariableError(f"--box: expected LO:HI such as -2:2, got {text!r}")
    lo_text, hi_text = text.split(":")
    lo, hi = (float(parse_value(t, f"--box {end}")) for t, end in ((lo_text, "LO"), (hi_text, "HI")))
    if not lo < hi:
        raise VariableError(f"--box: LO must be below HI, got {text!r}")
    return lo, hi


def analysis_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the analysis options to ``command``; it receives them as ``analysis``."""

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _NAMES}
        fmt = kwargs.get("fmt", "auto")
        for flag, name in (("latex_flag", "latex"), ("json_flag", "json")):
            if kwargs.get(flag):
                fmt = name
        bulk = kwargs.get("points_file") is not None or kwargs.get("grid") is not None
        kwargs["analysis"] = AnalysisOptions(values, fmt, bulk)
        return command(**kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper
