"""The output layer: renderers dispatch on the result's type, compute
nothing, and load no calculus when imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from symgrad.analysis import AnalysisSpec, Laplacian, Partial
from symgrad.jobs import JobSpec, run_job
from symgrad.output import RenderOptions, get_renderer
from symgrad.output.common import Printer
from symgrad.output.json_ import JsonPrinter
from symgrad.output.text import TextPrinter

ANALYSIS = AnalysisSpec(check=True, critical=True, taylor=3, laplacian=True, along="1,2", diff="x,y,y")


def analysed_job():
    return run_job(["x^3*y - 3x*y + y^2"], JobSpec(hessian=True, points=({"x": "1", "y": "2"},), analysis=ANALYSIS))


class Shapes(Printer):
    def _render_int(self, obj):
        return f"int {obj}"

    def _render_object(self, obj):
        return "something"


def test_dispatch_walks_the_mro():
    assert Shapes().render(3) == "int 3"
    assert Shapes().render(True) == "int True"  # bool is an int
    assert Shapes().render("x") == "something"
    with pytest.raises(TypeError, match="cannot render a str"):
        Printer().render("x")


def test_each_result_type_renders_by_itself():
    job = analysed_job()
    text = TextPrinter()
    a = job.analysis
    assert text.render(job.points[0]) == [line for line in text.render(job) if "(x=1,y=2) =" in line][:6]
    (lap,) = [f for f in a.fields if isinstance(f, Laplacian)]
    (part,) = [f for f in a.fields if isinstance(f, Partial)]
    assert text.render(lap, a.points) == ["laplacian = 6*x*y + 2", "laplacian(x=1,y=2) = 14"]
    assert text.render(part, a.points)[0] == "d3f/dxdy^2 = 0"
    assert JsonPrinter().render(part) == {"wrt": ["x", "y", "y"], "name": "d3f/dxdy^2", "expression": "0"}
    assert JsonPrinter().render(a.taylor[0])["order"] == 3
    # a library user renders a single result in any format
    assert get_renderer("latex")(a.taylor[0], RenderOptions()).startswith("\\begin{align*}\nT_{3}(x, y)")
    assert json.loads(get_renderer("json")(a.check, RenderOptions()))["passed"] is True


@pytest.mark.parametrize("fmt", ["text", "json", "latex", "pretty"])
def test_rendering_computes_nothing(fmt, monkeypatch):
    """Rendering twice, or with expansion and 50-digit evaluation disabled, gives the same output."""
    import io

    import mpmath
    import sympy as sp
    from rich.console import Console

    import symgrad.analysis._numeric as numeric

    def show(job):
        out = get_renderer(fmt)(job, RenderOptions())
        if fmt != "pretty":
            return out
        console = Console(file=io.StringIO(), width=100)
        console.print(out)
        return console.file.getvalue()

    job = analysed_job()
    first = show(job)
    assert show(job) == first

    def refuse(*args, **kwargs):
        raise AssertionError("computed while rendering")

    monkeypatch.setattr(sp, "expand", refuse)
    monkeypatch.setattr(numeric, "to_mp", refuse)
    monkeypatch.setattr(numeric, "working_precision", refuse)
    monkeypatch.setattr(mpmath, "workdps", refuse)
    assert show(job) == first


@pytest.mark.parametrize("module", ["text", "json_", "csv_", "latex", "pretty", "code"])
def test_importing_a_renderer_loads_no_calculus(module):
    code = (
        f"import sys, symgrad.output.{module}; "
        "print(sorted(m for m in ('symgrad.calculus', 'symgrad.calculus.engine', 'symgrad.parsing', "
        "'symgrad.jobs', 'symgrad.codegen', 'symgrad.analysis', 'symgrad.evaluation.exact') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert proc.stdout == "[]\n"


@pytest.mark.parametrize(("fmt", "mark"), [("latex", r"\partial"), ("pretty", "∂"), ("text", "d2f")])
def test_every_derivative_label_comes_from_labels(fmt, mark, monkeypatch):
    """With symgrad.labels.derivative replaced, no derivative name is left in any output."""
    import io

    from rich.console import Console

    import symgrad.labels as labels

    monkeypatch.setattr(labels, "derivative", lambda f, wrt, style="text", ordinary=False: f"<{style} {f}>")
    jobs = [
        run_job(["x^2*y", "x*y^3"], JobSpec(hessian=True, points=({"x": "1", "y": "2"},),
                                         analysis=AnalysisSpec(check=True, laplacian=True, diff="x,y,y"))),
        run_job(["x^2*y"], JobSpec(hessian=True, points=({"x": "1", "y": "2"},),
                                   analysis=AnalysisSpec(check=True, diff="x,x", taylor=2))),
    ]
    for job in jobs:
        for style in ("vector", "components", "table"):
            out = get_renderer(fmt)(job, RenderOptions(latex_style=style))
            if fmt == "pretty":
                console = Console(file=io.StringIO(), width=200)
                console.print(out)
                out = console.file.getvalue()
            assert mark not in out
            assert f"<{fmt}" in out
