"""The matplotlib drawing of :mod:`symgrad.plot` (imported only when matplotlib is there).

Figures are made with :class:`matplotlib.figure.Figure` directly, never
through pyplot, so no display or GUI backend is involved; saving goes
through the Agg (PNG), SVG and PDF canvases. :data:`STYLE` fixes the
rcParams that decide how the picture looks (the bundled DejaVu fonts, the
size and DPI), so one formula always gives the same image, and
:data:`METADATA` leaves out dates and versions from the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

if TYPE_CHECKING:
    from . import Window

#: rcParams every picture is drawn with.
STYLE: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": 10,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "svg.hashsalt": "symgrad",
    "svg.fonttype": "path",
    "path.simplify": True,
    "image.cmap": "viridis",
}
#: File metadata without dates or the matplotlib version (the same picture gives the same file).
METADATA: dict[str, dict[str, Any]] = {
    ".png": {"Software": None},
    ".svg": {"Date": None, "Creator": None},
    ".pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}
#: The colours of f, f′ and f″.
CURVE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c")
#: Marker and colour of each kind of critical point.
KINDS = {
    "local minimum": ("o", "white", "min"),
    "local maximum": ("^", "#ff7f0e", "max"),
    "saddle": ("X", "#e41a1c", "saddle"),
    "degenerate": ("s", "#984ea3", "degenerate"),
}


def _levels(values: np.ndarray) -> np.ndarray:
    """Round contour levels over the bulk of the finite values (the 1st to 99th percentile),
    so a pole's huge values do not flatten the rest into one colour."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.array([0.0, 1.0])
    lo, hi = np.percentile(finite, [1, 99])
    if hi - lo <= 1e-12 * max(1.0, abs(lo)):
        lo, hi = lo - 0.5, hi + 0.5
    return np.asarray(MaxNLocator(nbins=15).tick_values(lo, hi))


def field(win: Window, axes: Sequence[np.ndarray], f: np.ndarray, arrows: np.ndarray, title: str,
          places: Sequence[tuple[dict[str, float], str]]) -> Figure:
    """Filled contours of ``f``, the gradient (``arrows[..., 1:3]``) as arrows, critical points."""
    (xname, x0, x1), (yname, y0, y1) = win.ranges
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(7, 5.6), layout="constrained")
        ax = fig.add_subplot()
        levels = _levels(f)
        filled = ax.contourf(axes[0], axes[1], np.ma.masked_invalid(f), levels=levels, extend="both")
        ax.contour(axes[0], axes[1], np.ma.masked_invalid(f), levels=levels, colors="k",
                   linewidths=0.3, alpha=0.5)
        fig.colorbar(filled, ax=ax, label="$f$")
        ax_x = np.linspace(x0, x1, arrows.shape[1])
        ax_y = np.linspace(y0, y1, arrows.shape[0])
        gx, gy = arrows[..., 1], arrows[..., 2]
        size = np.hypot(gx, gy)
        with np.errstate(all="ignore"):
            ux, uy = gx / size, gy / size  # direction only: the colours show the size of f
        ok = np.isfinite(ux) & np.isfinite(uy) & np.isfinite(arrows[..., 0])  # no arrow where f is undefined
        mx, my = np.meshgrid(ax_x, ax_y)
        ax.quiver(mx[ok], my[ok], ux[ok], uy[ok], color="white", alpha=0.8, pivot="mid",
                  angles="xy", scale_units="width", scale=arrows.shape[1] * 1.4, width=0.003)
        shown = set()
        for coords, kind in places:
            x, y = coords[xname], coords[yname]
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                continue
            marker, colour, short = KINDS.get(kind, ("D", "grey", kind))
            ax.plot([x], [y], marker=marker, color=colour, markeredgecolor="black", markersize=9,
                    linestyle="none", label=kind if kind not in shown else None, zorder=5)
            shown.add(kind)
            ax.annotate(short, (x, y), xytext=(6, 6), textcoords="offset points", fontsize=8,
                        color="black", bbox={"boxstyle": "round,pad=0.15", "fc": "white", "alpha": 0.7})
        if shown:
            ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel(f"${xname}$" if xname.isidentifier() and xname.isascii() else xname)
        ax.set_ylabel(f"${yname}$" if yname.isidentifier() and yname.isascii() else yname)
        ax.set_title(title)
    return fig


def curves(win: Window, xs: np.ndarray, values: np.ndarray, keys: Sequence[str], title: str) -> Figure:
    """f, f′ and f″ of one variable on one chart, each masked where it is not finite."""
    from . import _curve_labels

    name, x0, x1 = win.ranges[0]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(7, 4.5), layout="constrained")
        ax = fig.add_subplot()
        for k, label in enumerate(_curve_labels(keys)):
            ax.plot(xs, np.ma.masked_invalid(values[:, k]), label=label, linewidth=1.5,
                    color=CURVE_COLOURS[k % len(CURVE_COLOURS)])
        finite = values[np.isfinite(values)]
        if finite.size:
            lo, hi = np.percentile(finite, [1, 99])
            pad = 0.08 * (hi - lo) if hi > lo else 1.0
            ax.set_ylim(lo - pad, hi + pad)
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.set_xlim(x0, x1)
        ax.set_xlabel(f"${name}$" if name.isidentifier() and name.isascii() else name)
        ax.legend()
        ax.grid(alpha=0.3)
        ax.set_title(title)
    return fig
