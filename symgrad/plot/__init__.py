"""Pictures of a function: contours and its gradient field, or f, f′ and f″.

:func:`figure` draws one job (a :class:`~symgrad.calculus.Derivatives` of
one formula) as a matplotlib :class:`~matplotlib.figure.Figure`:

* two variables: filled contours of f with a colour bar, the gradient as
  arrows on a grid over the window, and the critical points (from
  :func:`symgrad.analysis.critical_points`) marked and labelled by kind;
* one variable: f and f′ (and f″ when the job has its Hessian) on one chart.

The other symbols of the formula (its parameters: ``--wrt`` picks the two
variables) take the values of ``fixed``. Values come from the compiled batch
evaluator (:class:`~symgrad.evaluation.compiled.CompiledEntries`); points
where f or its gradient is not a finite real are masked, so a singular
point leaves a hole, not a broken picture. :func:`save` writes a figure to
a ``.png``, ``.svg`` or ``.pdf`` file atomically; :func:`terminal` draws a
character plot with plotext.

matplotlib (and plotext) are optional: they are imported only here, and a
missing one raises :class:`PlotError` naming the extra to install.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ExitCode, SymgradError

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.figure import Figure

    from ..analysis.critical import CriticalReport
    from ..calculus import Derivatives

__all__ = ["SUFFIXES", "PlotError", "Window", "figure", "require", "save", "terminal", "window"]

#: The file types :func:`save` writes, by suffix.
SUFFIXES = (".png", ".svg", ".pdf")
#: The window's half-width around a single point, and the window with no point: [-3, 3]².
DEFAULT_HALF_WIDTH = 3.0
#: Arrows per side of the gradient field's grid, and samples per side of the contours.
ARROWS = 20
SAMPLES = 200
#: Contour levels of the filled contours (at most; MaxNLocator picks round values).
LEVELS = 15


class PlotError(SymgradError):
    """The plot cannot be drawn as asked (usage error)."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Window:
    """The ranges drawn: ``(name, lo, hi)`` per plotted variable, in variable order."""

    ranges: tuple[tuple[str, float, float], ...]


def plotted(derivs: Derivatives) -> tuple[Any, ...]:
    """The variables a plot of ``derivs`` draws against (one or two), or :class:`PlotError`."""
    if derivs.is_vector:
        raise PlotError("--plot draws one formula, not a vector function")
    if not derivs.parsed.real:
        raise PlotError("--plot draws functions of real variables; drop --complex")
    count = len(derivs.variables)
    if count == 0:
        raise PlotError("--plot needs a variable to draw against")
    if count > 2:
        names = ", ".join(v.name for v in derivs.variables)
        raise PlotError(
            f"--plot draws functions of one or two variables, not {count} ({names}); "
            "choose two with --wrt and give the others values with --at"
        )
    return tuple(derivs.variables)


def window(
    derivs: Derivatives,
    box: Mapping[str, tuple[float, float]] | None = None,
    common: tuple[float, float] | None = None,
    around: Sequence[Mapping[str, float]] = (),
    holding: Sequence[Mapping[str, float]] = (),
) -> Window:
    """The window of a plot: per variable, ``box`` for it, else ``common``, else a default.

    The default is around the points ``around`` (the ``--at`` points) with a
    margin, or [-3, 3] when there are none, widened to hold the points
    ``holding`` (the critical points) with a margin.

    >>> from symgrad import gradient
    >>> window(gradient("x*y"), {"y": (0, 1)}, around=[{"x": 1.0}]).ranges
    (('x', -2.0, 4.0), ('y', 0, 1))
    >>> window(gradient("x*y"), holding=[{"x": 5.0, "y": 0.0}]).ranges
    (('x', -3.0, 6.2), ('y', -3.0, 3.0))
    """
    import math

    variables = plotted(derivs)
    names = {v.name for v in variables}
    unknown = sorted(set(box or ()) - names)
    if unknown:
        raise PlotError(f"--box: {', '.join(unknown)} is not a variable of the plot "
                        f"(its variables: {', '.join(v.name for v in variables)})")
    ranges = []
    for v in variables:
        if box and v.name in box:
            lo, hi = box[v.name]
        elif common is not None:
            lo, hi = common
        else:
            lo, hi = _around([p[v.name] for p in around if v.name in p])
            held = [p[v.name] for p in holding if v.name in p]
            finite = [float(h) for h in held if math.isfinite(float(h))]
            if finite:
                margin = max(0.15 * (max(hi, *finite) - min(lo, *finite)), 0.5)
                lo, hi = min(lo, min(finite) - margin), max(hi, max(finite) + margin)
        ranges.append((v.name, lo, hi))
    return Window(tuple(ranges))


def _around(values: Sequence[float]) -> tuple[float, float]:
    """The interval holding ``values`` with a margin (15% each side, at least 0.5), 3 either
    side of a single value, [-3, 3] for none."""
    import math

    finite = [float(v) for v in values if math.isfinite(float(v))]
    if not finite:
        return -DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        return lo - DEFAULT_HALF_WIDTH, hi + DEFAULT_HALF_WIDTH
    margin = max(0.15 * (hi - lo), 0.5)
    return lo - margin, hi + margin


def critical_places(report: CriticalReport | None) -> list[tuple[dict[str, float], str]]:
    """The isolated real critical points of ``report`` as ``({name: value}, kind)``."""
    if report is None:
        return []
    places = []
    for point in report.points:
        if not point.isolated or any(not isinstance(d, float) for d in point.decimals):
            continue
        coords = {name: float(d) for (name, _), d in zip(point.at, point.decimals)}  # type: ignore[arg-type]
        places.append((coords, point.kind))
    return places


def require(target: str) -> None:
    """Check, before any work, that a plot to ``target`` (a file, or ``-`` for the terminal)
    can be made: a known suffix, and matplotlib (plotext for ``-``) installed."""
    import os

    if target == "-":
        _needs("plotext", "terminal-plot")
        return
    if os.path.splitext(target)[1].lower() not in SUFFIXES:
        raise PlotError(f"--plot: {target!r} is not a picture file; name it .png, .svg or .pdf "
                        "(or - for a character plot)")
    _needs("matplotlib", "plot")
    from . import _draw  # noqa: F401  (matplotlib's import, done before the job's time limit)


def _needs(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise PlotError(f"--plot needs {module.split('.')[0]}: pip install 'symgrad[{extra}]'") from None


def sample(
    derivs: Derivatives, win: Window, fixed: Mapping[str, float], samples: int
) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """f and its derivatives on a ``samples``-per-side mesh of ``win``: (axes, values, entry keys).

    ``values[..., k]`` is column ``k`` (f first, then each entry), non-finite values as nan.
    """
    import numpy as np

    from ..evaluation.compiled import CompiledEntries

    missing = [p.name for p in derivs.parameters if p.name not in fixed]
    if missing:
        raise PlotError(f"--plot: give {', '.join(missing)} a value with --at (the plot varies "
                        f"{', '.join(name for name, _, _ in win.ranges)})")
    compiled = CompiledEntries(derivs, backend="auto", value=True)
    axes = [np.linspace(lo, hi, samples) for _, lo, hi in win.ranges]
    mesh = np.meshgrid(*axes, indexing="xy")
    rows = mesh[0].size
    columns = []
    for symbol in compiled.symbols:
        index = next((i for i, (name, _, _) in enumerate(win.ranges) if name == symbol.name), None)
        columns.append(mesh[index].ravel() if index is not None else np.full(rows, float(fixed[symbol.name])))
    block = compiled(np.column_stack(columns) if columns else np.empty((rows, 0)))
    values = np.where(np.isfinite(block.values), block.values, np.nan)
    return axes, values.reshape(*mesh[0].shape, len(compiled.names)), list(compiled.names)


def title_of(expr: Any) -> str:
    """The formula as matplotlib mathtext (SymPy's LaTeX, as symgrad prints it), or as plain
    text when mathtext cannot typeset that LaTeX."""
    from matplotlib.mathtext import MathTextParser

    from ..output.latex_math import _printer_class

    tex = f"${_printer_class()({}).doprint(expr)}$"
    try:
        MathTextParser("path").parse(tex)
    except (ValueError, RuntimeError, KeyError):  # mathtext typesets only part of LaTeX
        return str(expr)
    return tex


def figure(
    derivs: Derivatives,
    *,
    fixed: Mapping[str, float] | None = None,
    box: Mapping[str, tuple[float, float]] | None = None,
    common: tuple[float, float] | None = None,
    around: Sequence[Mapping[str, float]] = (),
    critical: CriticalReport | None = None,
) -> Figure:
    """The picture of a job of one formula in one or two variables (see the module's text).

    ``fixed`` gives the parameters' values; ``box``, ``common`` and ``around`` make the
    :func:`window`, which also holds the critical points of ``critical``.
    """
    _needs("matplotlib", "plot")
    from . import _draw

    places = critical_places(critical)
    win = window(derivs, box, common, around, [coords for coords, _ in places])
    title = title_of(derivs.exprs[0])
    if len(win.ranges) == 1:
        axes, values, keys = sample(derivs, win, fixed or {}, 801)
        return _draw.curves(win, axes[0], values, keys, title)
    axes, values, _ = sample(derivs, win, fixed or {}, SAMPLES)
    _, arrows, _ = sample(derivs, win, fixed or {}, ARROWS)
    return _draw.field(win, axes, values[..., 0], arrows, title, places)


def save(fig: Figure, path: str) -> None:
    """Write ``fig`` to ``path`` (its suffix picks PNG, SVG or PDF), replacing a file only when
    the whole picture was written (a temporary file beside it, renamed into place)."""
    import os

    from ..points.staged import Staged

    require(path)
    suffix = os.path.splitext(path)[1].lower()
    import matplotlib

    from ._draw import METADATA, STYLE

    staged = Staged(path, option="--plot")
    with staged.writing(), matplotlib.rc_context(STYLE):
        fig.savefig(staged.path, format=suffix[1:], metadata=METADATA[suffix])
    staged.commit()


def terminal(
    derivs: Derivatives,
    *,
    fixed: Mapping[str, float] | None = None,
    box: Mapping[str, tuple[float, float]] | None = None,
    common: tuple[float, float] | None = None,
    around: Sequence[Mapping[str, float]] = (),
    critical: CriticalReport | None = None,
    width: int = 80,
    height: int = 24,
    color: bool = False,
) -> str:
    """A character plot (plotext) of the job: f (and f′, f″ with the Hessian) of one
    variable, or f's quarters (lowest to highest: ``· : + #``) over two variables, with
    the critical points marked by kind (m, M, S, D). ``color`` keeps plotext's colours."""
    plotext = _needs("plotext", "terminal-plot")
    import numpy as np

    places = critical_places(critical)
    win = window(derivs, box, common, around, [coords for coords, _ in places])
    fig = plotext.figure
    fig.clear()
    fig.plot_size(width, height)
    if len(win.ranges) == 1:
        axes, values, keys = sample(derivs, win, fixed or {}, 2 * width)
        for k, label in enumerate(_curve_labels(keys, plain=True)):
            finite = np.isfinite(values[:, k])
            xs, ys = axes[0][finite].tolist(), values[finite, k].tolist()
            if xs:
                fig.draw(fig.signal(xs, ys, marker="hd").label(label).lines())
    else:
        (xs, ys), values, _ = sample(derivs, win, fixed or {}, 30)
        f = values[..., 0]
        finite = np.isfinite(f)
        if finite.any():
            edges = np.nanpercentile(f, [25, 50, 75])
            bands = np.digitize(f, edges)  # 0 lowest quarter .. 3 highest
            for band, marker in enumerate(_BAND_MARKERS):
                rows, cols = np.nonzero(finite & (bands == band))
                if rows.size:
                    legend = {0: "f lowest 25%", 3: "f highest 25%"}.get(band)
                    signal = fig.signal(xs[cols].tolist(), ys[rows].tolist(), marker=marker)
                    fig.draw(signal.label(legend) if legend else signal)
        for kind in dict.fromkeys(kind for _, kind in places):
            at = [coords for coords, k in places if k == kind]
            fig.draw(fig.signal([c[win.ranges[0][0]] for c in at], [c[win.ranges[1][0]] for c in at],
                                marker=_KIND_MARKERS.get(kind, "?")).label(kind))
        fig.label(win.ranges[1][0], axis="y")
    fig.label(win.ranges[0][0], axis="x")
    fig.title(str(derivs.exprs[0]))
    return str(fig.build().string(colorless=not color))


#: Markers of the terminal plot: f's quarters (low to high), and the critical points by kind.
_BAND_MARKERS = ("·", ":", "+", "#")
_KIND_MARKERS = {"local minimum": "m", "local maximum": "M", "saddle": "S", "degenerate": "D"}


def _curve_labels(keys: Sequence[str], plain: bool = False) -> list[str]:
    """f, then f′ and f″ (the columns' order: value, then entries by order)."""
    marks = ["", "'", "''"] if plain else ["", "\u2032", "\u2033"]
    return [f"f{marks[k]}" for k in range(len(keys))]
