"""The analysis options of the ``symgrad`` command, in one decorator.

:func:`analysis_options` adds ``--check``, ``--tol``, ``--box``, ``--seed``,
``--critical``, ``--taylor``, ``--divergence``, ``--curl``, ``--laplacian``,
``--along``, ``--diff`` and ``--steps`` to a click command, as more parameters of it;
:func:`analysis_spec` makes the library's spec of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from ..limits import DEFAULT_TOL

if TYPE_CHECKING:
    from ..analysis import AnalysisSpec

_OPTIONS = [
    click.option("--check", is_flag=True, help="Verify the derivatives numerically (Richardson-extrapolated central differences) at the --at points, or at 3 random points in --box; exit 1 if a relative error exceeds --tol."),
    click.option("--tol", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TOL, show_default=True, metavar="TOL", help="the largest relative error accepted."),
    click.option("--box", metavar="LO:HI|x=LO:HI,...", help="the interval for every variable, or one per variable (x=-2:2,y=-1:3): where --check draws random points (default -2:2), where --critical starts Newton (default -10:10; per-variable intervals: the smallest one holding them all), the window of --plot."),
    click.option("--seed", type=int, default=0, show_default=True, help="seed of the random points."),
    click.option("--critical", is_flag=True, help="Solve grad f = 0 (exactly, else Newton from seeded starts in --box) and classify each point: local minimum, local maximum, saddle, degenerate."),
    click.option("--taylor", type=click.IntRange(0, 6), metavar="N", help="the Taylor polynomial of order N (0..6) around each point."),
    click.option("--divergence", is_flag=True, help="Divergence of the field EXPR... (as many formulas as variables)."),
    click.option("--curl", is_flag=True, help="Curl of a field of 3 formulas in 3 variables."),
    click.option("--laplacian", is_flag=True, help="Laplacian (of each EXPR, for several)."),
    click.option("--along", metavar="1,1,0", help="Directional derivative along this vector, normalised (components in variable order, or x=1,y=1)."),
    click.option("--diff", "diff_wrt", metavar="x,y,y", help="One mixed partial derivative, differentiating in this order."),
    click.option("--steps", is_flag=True, help="Show how each derivative is found, step by step: the rule of each step (sum, product, quotient, power, chain rule with its inner function u, ...), nested as the rules nest, ending with the tidied result; a Hessian entry starts from the first derivative."),
]
#: The command's parameter names of these options.
NAMES = ("check", "tol", "box", "seed", "critical", "taylor", "divergence", "curl", "laplacian", "along", "diff_wrt", "steps")


def analysis_spec(values: Mapping[str, Any]) -> AnalysisSpec | None:
    """The :class:`~symgrad.analysis.AnalysisSpec` the options ask for, or None.

    ``values`` holds the command's parameters (at least :data:`NAMES`);
    whether the options fit together is the plan's question
    (:mod:`symgrad.cli.plan`). Raises :class:`~symgrad.errors.VariableError`
    for a bad ``--box``.
    """
    v = {name: values[name] for name in NAMES}
    asked = any(v[n] for n in ("check", "critical", "divergence", "curl", "laplacian", "steps")) or any(
        v[n] is not None for n in ("taylor", "along", "diff_wrt")
    )
    if not asked:
        return None  # the common case, without importing the analysis package
    from ..analysis import AnalysisSpec

    return AnalysisSpec(
        check=v["check"],
        tolerance=v["tol"],
        box=analysis_box(v["box"]) if v["box"] is not None else None,
        seed=v["seed"],
        critical=v["critical"],
        taylor=v["taylor"],
        divergence=v["divergence"],
        curl=v["curl"],
        laplacian=v["laplacian"],
        along=v["along"],
        diff=v["diff_wrt"],
        steps=v["steps"],
    )


def parse_boxes(text: str) -> tuple[tuple[float, float] | None, dict[str, tuple[float, float]]]:
    """``--box``: one interval for every variable (``"-2:2"``), or one per variable
    (``"x=-2:2,y=-1:3"``), as ``(interval, {})`` or ``(None, {name: interval})``."""
    from ..errors import VariableError

    if "=" not in text:
        return parse_box(text), {}
    boxes: dict[str, tuple[float, float]] = {}
    for part in text.split(","):
        name, _, interval = part.partition("=")
        name = name.strip()
        if not name.isidentifier() or not interval:
            raise VariableError(f"--box: expected x=LO:HI,y=LO:HI such as x=-2:2,y=-1:3, got {text!r}")
        if name in boxes:
            raise VariableError(f"--box: {name} is given twice")
        boxes[name] = parse_box(interval, name)
    return None, boxes


def analysis_box(text: str) -> tuple[float, float]:
    """The one interval ``--check`` and ``--critical`` use: the given one, or the smallest one
    that holds every per-variable interval."""
    common, boxes = parse_boxes(text)
    if common is not None:
        return common
    return min(lo for lo, _ in boxes.values()), max(hi for _, hi in boxes.values())


def parse_box(text: str, name: str | None = None) -> tuple[float, float]:
    """``"-2:2"`` as ``(-2.0, 2.0)``; each end may be exact (``-pi:pi``)."""
    from ..errors import VariableError
    from ..parsing import parse_value

    if text.count(":") != 1:
        raise VariableError(f"--box: expected LO:HI such as -2:2, got {text!r}")
    lo_text, hi_text = text.split(":")
    lo, hi = (float(parse_value(t, f"--box {name + ' ' if name else ''}{end}"))
              for t, end in ((lo_text, "LO"), (hi_text, "HI")))
    if not lo < hi:
        raise VariableError(f"--box: LO must be below HI, got {text!r}")
    return lo, hi


def analysis_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the analysis options to ``command`` (it receives them as :data:`NAMES`)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command
