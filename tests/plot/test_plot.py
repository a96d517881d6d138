"""``symgrad.plot`` and ``--plot``: the figure's artists, the files, a baseline image.

The figures are checked through their artists (how many arrows, which
contour levels, the critical points' markers and labels, the curves'
values against hand-derived derivatives), the files through their bytes
(size, not blank, the same bytes twice), and one picture against a stored
baseline with matplotlib's ``compare_images`` (``pytest --update-golden``
rewrites it: look at it before committing it).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import under_ci

# the test extra installs matplotlib (.ci/run); under CI its absence fails the tests
matplotlib = __import__("matplotlib") if under_ci() else pytest.importorskip("matplotlib")

import numpy as np
from matplotlib.contour import ContourSet
from matplotlib.quiver import Quiver

import symgrad
from symgrad import plot
from symgrad.analysis import critical_points

BASELINE = Path(__file__).parent / "baseline"
ROOT = Path(__file__).resolve().parents[2]
#: x³ - 3x + y²: a local minimum at (1, 0), a saddle at (-1, 0) (solved exactly, quickly).
CUBIC = "x**3 - 3*x + y**2"


def _artists(fig, kind):
    return [a for ax in fig.axes for a in ax.get_children() if isinstance(a, kind)]


@pytest.fixture(scope="module")
def cubic():
    derivs = symgrad.hessian(CUBIC)
    return derivs, critical_points(derivs)


def test_two_variables_contours_arrows_critical_points_labels(cubic):
    derivs, report = cubic
    fig = plot.figure(derivs, critical=report)
    main, bar = fig.axes  # the chart and its colour bar
    assert main.get_xlabel() == "$x$" and main.get_ylabel() == "$y$"
    assert main.get_xlim() == (-3.0, 3.0) and main.get_ylim() == (-3.0, 3.0)  # no --at, --box: [-3, 3]²
    assert main.get_title().startswith("$") and "x^{3}" in main.get_title()
    assert bar.get_ylabel() == "$f$"
    (arrows,) = _artists(fig, Quiver)
    assert arrows.N == plot.ARROWS**2  # f and its gradient are finite everywhere
    filled = [c for c in _artists(fig, ContourSet) if c.filled]
    assert len(filled) == 1
    levels = filled[0].levels
    # round levels spanning the bulk of f on the window: f runs from -3**3+9-... to 27-9+9
    assert 5 <= len(levels) <= plot.LEVELS + 2 and np.all(np.diff(levels) > 0)
    f = np.array([[x**3 - 3 * x + y**2 for x in np.linspace(-3, 3, 200)] for y in np.linspace(-3, 3, 200)])
    lo, hi = np.percentile(f, [1, 99])
    assert levels[0] <= lo and levels[-1] >= hi and levels[1] > lo and levels[-2] < hi
    # the arrows point along the gradient (2 of its components at a grid point, by hand)
    u, v = arrows.U[0], arrows.V[0]
    x, y = arrows.X[0], arrows.Y[0]
    gx, gy = 3 * x**2 - 3, 2 * y
    assert math.isclose(u, gx / math.hypot(gx, gy)) and math.isclose(v, gy / math.hypot(gx, gy))
    markers = {line.get_label(): line.get_xydata()[0].tolist() for line in main.get_lines()}
    assert markers == {"local minimum": [1.0, 0.0], "saddle": [-1.0, 0.0]}
    texts = sorted(t.get_text() for t in main.texts)
    assert texts == ["min", "saddle"]


def test_window_from_box_and_from_points():
    derivs = symgrad.gradient("x*y")
    assert plot.window(derivs, {"x": (-2, 2), "y": (-1, 3)}).ranges == (("x", -2, 2), ("y", -1, 3))
    assert plot.window(derivs, common=(0, 1)).ranges == (("x", 0, 1), ("y", 0, 1))
    one = plot.window(derivs, around=[{"x": 1.0, "y": 2.0}]).ranges
    assert one == (("x", -2.0, 4.0), ("y", -1.0, 5.0))  # 3 either side of one point
    two = plot.window(derivs, around=[{"x": 0.0, "y": 0.0}, {"x": 10.0, "y": 1.0}]).ranges
    assert two[0] == ("x", -1.5, 11.5)  # the points with a 15% margin
    held = plot.window(derivs, holding=[{"x": -1.0, "y": 0.0}, {"x": 1.0, "y": 0.0}]).ranges
    assert held == (("x", -3.0, 3.0), ("y", -3.0, 3.0))  # [-3, 3]² holds them
    wide = plot.window(derivs, holding=[{"x": -4.0, "y": 0.0}]).ranges
    assert wide[0] == pytest.approx(("x", -5.05, 3.0))  # widened to hold (-4, 0), margin 15% of 7
    with pytest.raises(plot.PlotError, match="--box: z is not a variable"):
        plot.window(derivs, {"z": (0, 1)})


def test_singular_points_are_masked():
    """log(x) + y is undefined for x <= 0: no arrows there, f masked, the picture still drawn."""
    fig = plot.figure(symgrad.gradient("log(x) + y"))
    (arrows,) = _artists(fig, Quiver)
    assert arrows.N == plot.ARROWS**2 // 2  # linspace(-3, 3, 20): 10 columns have x < 0
    assert np.all(arrows.X > 0)
    fig2 = plot.figure(symgrad.gradient("1/(x^2+y^2)"), box={"x": (-1, 1), "y": (-1, 1)})
    (filled,) = [c for c in _artists(fig2, ContourSet) if c.filled]
    assert np.all(np.isfinite(filled.levels))  # the pole does not make the levels infinite


def test_one_variable_f_and_its_derivatives(tmp_path):
    fig = plot.figure(symgrad.hessian("x^3*sin(x)"), box={"x": (-2, 4)})
    (ax,) = fig.axes
    curves = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert sorted(curves) == ["f", "f′", "f″"]
    xs = curves["f"].get_xdata()
    assert xs[0] == -2 and xs[-1] == 4 and ax.get_xlabel() == "$x$"
    # hand-derived: (x³ sin x)' = 3x² sin x + x³ cos x, '' = 6x sin x + 6x² cos x - x³ sin x
    s, c = np.sin(xs), np.cos(xs)
    np.testing.assert_allclose(curves["f"].get_ydata(), xs**3 * s, atol=1e-9)
    np.testing.assert_allclose(curves["f′"].get_ydata(), 3 * xs**2 * s + xs**3 * c, atol=1e-9)
    np.testing.assert_allclose(curves["f″"].get_ydata(), 6 * xs * s + 6 * xs**2 * c - xs**3 * s, atol=1e-9)
    without = plot.figure(symgrad.gradient("x^3*sin(x)"))
    assert sorted(li.get_label() for li in without.axes[0].get_lines() if li.get_label()[0] != "_") == ["f", "f′"]


def test_three_variables_refused():
    with pytest.raises(plot.PlotError, match="one or two variables, not 3"):
        plot.figure(symgrad.gradient("x*y*z"))


def test_parameters_take_at_values():
    derivs = symgrad.gradient("a*x^2 + y", wrt="x,y")
    fig = plot.figure(derivs, fixed={"a": -1.0})
    (arrows,) = _artists(fig, Quiver)
    x, u = arrows.X, arrows.U  # ∂f/∂x = -2x: arrows point towards x = 0
    assert np.all(np.sign(u[x != 0]) == -np.sign(x[x != 0]))
    with pytest.raises(plot.PlotError, match="give a a value with --at"):
        plot.figure(derivs)


def test_title_falls_back_to_plain_text(monkeypatch):
    import sympy as sp

    from symgrad.output import latex_math

    x = sp.Symbol("x")
    assert plot.title_of(x**2) == "$x^{2}$"

    class Unreadable:
        def __init__(self, settings):
            pass

        def doprint(self, expr):
            return r"\begin{cases} x \end{cases}"  # beyond mathtext

    monkeypatch.setattr(latex_math, "_printer_class", lambda: Unreadable)
    assert plot.title_of(x**2) == "x**2"


def _pixels(path):
    from matplotlib.image import imread

    return imread(str(path))


def test_png_file_size_not_blank_and_baseline(cubic, tmp_path, request):
    from matplotlib.testing.compare import compare_images

    derivs, report = cubic
    out = tmp_path / "cubic.png"
    plot.save(plot.figure(derivs, critical=report), str(out))
    image = _pixels(out)
    assert image.shape[:2] == (560, 700)  # 7 × 5.6 inches at 100 dpi
    assert image[..., :3].std() > 0.1  # not one colour
    assert len(np.unique(image[..., :3].reshape(-1, 3), axis=0)) > 100
    baseline = BASELINE / "cubic.png"
    if request.config.getoption("--update-golden"):
        baseline.write_bytes(out.read_bytes())
    assert compare_images(str(baseline), str(out), tol=2) is None
    # a different picture is not within the tolerance (the comparison can fail)
    other = tmp_path / "other.png"
    plot.save(plot.figure(derivs, critical=report, box={"x": (-2, 2)}), str(other))
    assert compare_images(str(baseline), str(other), tol=2) is not None


@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_svg_and_pdf_are_deterministic(cubic, tmp_path, suffix, magic):
    derivs, report = cubic
    paths = [tmp_path / f"{n}{suffix}" for n in (1, 2)]
    for path in paths:
        plot.save(plot.figure(derivs, critical=report), str(path))
    data = [p.read_bytes() for p in paths]
    assert data[0].startswith(magic) and len(data[0]) > 10_000
    assert data[0] == data[1]


def test_cli_writes_the_file_and_the_output(cli, tmp_path):
    out = tmp_path / "p.svg"
    result = cli("x^2 - y^2", "--critical", "--plot", str(out), "--box", "x=-2:2,y=-1:3")
    assert result.exit_code == 0, result.stderr
    assert "saddle" in result.stdout and out.read_bytes().startswith(b"<?xml")
    assert os.listdir(tmp_path) == ["p.svg"]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x*y*z", "--plot", "P"], ("Error: --plot draws functions of one or two variables, not 3 (x, y, z); "
                                    "choose two with --wrt and give the others values with --at")),
        (["x*y", "--plot", "p.jpg"], ("Error: --plot: 'p.jpg' is not a picture file; name it .png, .svg or .pdf "
                                      "(or - for a character plot)")),
        (["x*y", "--box", "0:1"], "Error: --box works with --check, --critical or --plot"),
        (["x*y", "--grid", "x=0:1:n=2,y=0:1:n=2", "--plot", "P"],
         "Error: --plot does not work with --points or --grid; use --at for the values of the other symbols"),
        (["x*y", "y", "--plot", "P"], "Error: --plot draws one formula, not a vector function"),
        (["x*y", "--complex", "--at", "x=I,y=1", "--plot", "P"],
         "Error: --plot draws functions of real variables; drop --complex"),
        (["x*y", "--plot", "P", "--box", "x=1:0"], "Error: --box: LO must be below HI, got '1:0'"),
    ],
)
def test_cli_refusals_leave_the_file_untouched(cli, tmp_path, args, message):
    target = tmp_path / "p.png"
    target.write_bytes(b"the user's picture")
    args = [str(target) if a == "P" else a for a in args]
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert target.read_bytes() == b"the user's picture"
    assert sorted(os.listdir(tmp_path)) == ["p.png"]


def test_cli_box_per_variable_reaches_critical(cli):
    """--box x=...,y=... also bounds --critical's Newton starts (their hull)."""
    from symgrad.cli.analysis import analysis_box, parse_boxes

    assert parse_boxes("x=-2:2,y=-1:3") == (None, {"x": (-2.0, 2.0), "y": (-1.0, 3.0)})
    assert parse_boxes("-pi:pi")[0] == (-math.pi, math.pi)
    assert analysis_box("x=-2:2,y=-1:3") == (-2.0, 3.0)
    result = cli("x^2 + y^2", "--critical", "--box", "x=-2:2,y=-1:3", "--json")
    assert result.exit_code == 0
    import json

    assert json.loads(result.stdout)["critical_search"]["box"] == [-2.0, 3.0]


def test_cli_terminal_plot(cli):
    if not under_ci():
        pytest.importorskip("plotext")
    result = cli("x^3 - 3*x + y^2", "--critical", "--plot", "-")
    assert result.exit_code == 0, result.stderr
    chart = result.stdout
    assert chart.startswith("f = x**3 - 3*x + y**2\ndf/dx = 3*x**2 - 3\n")  # the result, then the chart
    assert "local minimum" in chart and "saddle" in chart and "f highest 25%" in chart
    one = cli("x^2", "-H", "--plot", "-", "--box", "-1:1")
    assert one.exit_code == 0 and "f''" in one.stdout and "x**2" in one.stdout
    assert "\x1b[" not in one.stdout  # not a terminal: no colours


def _without(module, args, tmp_path):
    code = (f"import sys; sys.modules[{module!r}] = None; sys.argv = ['symgrad', *{args!r}]; "
            "from symgrad.cli.command import run; run()")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)


@pytest.mark.slow
def test_without_matplotlib_says_what_to_install(tmp_path):
    result = _without("matplotlib", ["x*y", "--plot", "p.png"], tmp_path)
    assert result.returncode == 2
    assert result.stderr == "Error: --plot needs matplotlib: pip install 'symgrad[plot]'\n"
    assert result.stdout == "" and os.listdir(tmp_path) == []
    result = _without("plotext", ["x*y", "--plot", "-"], tmp_path)
    assert result.returncode == 2
    assert result.stderr == "Error: --plot needs plotext: pip install 'symgrad[terminal-plot]'\n"


@pytest.mark.slow
def test_himmelblau_example_script(tmp_path):
    """examples/plot_himmelblau.py (the README's picture) runs and draws the 9 critical points."""
    out = tmp_path / "h.png"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "plot_himmelblau.py"), "--output", str(out)],
                            check=False, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "9 critical points (1 local maximum, 4 local minimum, 4 saddle)" in result.stdout
    image = _pixels(out)
    assert image.shape[:2] == (560, 700) and image[..., :3].std() > 0.1


@pytest.mark.slow
def test_himmelblau_figure_shows_the_nine_points():
    derivs = symgrad.hessian("(x^2+y-11)^2+(x+y^2-7)^2")
    fig = plot.figure(derivs, critical=critical_points(derivs))
    ax = fig.axes[0]
    points = [line for line in ax.get_lines()]
    assert len(points) == 9
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert all(x0 < p.get_xdata()[0] < x1 and y0 < p.get_ydata()[0] < y1 for p in points)
    assert sorted(t.get_text() for t in ax.texts) == ["max"] + ["min"] * 4 + ["saddle"] * 4
    (arrows,) = _artists(fig, Quiver)
    assert arrows.N == plot.ARROWS**2
