"""The renderers of --steps: numbered text, pretty drawings, LaTeX rows that compile, JSON data."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import sympy as sp
from helpers import require_tool

import symgrad
from symgrad.analysis import Analysis
from symgrad.calculus.steps import derivations
from symgrad.jobs import Job
from symgrad.output import RenderOptions, get_renderer


def _compile_tex():
    path = Path(__file__).with_name("test_latex_compiles.py")
    spec = importlib.util.spec_from_file_location("_latex_compiles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compile_tex


compile_tex = _compile_tex()


def job(formula: str, hessian: bool = False, **kw) -> Job:
    derivs = symgrad.hessian(formula, **kw) if hessian else symgrad.gradient(formula, **kw)
    return Job(derivs, analysis=Analysis(steps=derivations(derivs)))


def render(fmt: str, j: Job, **options) -> str:
    return get_renderer(fmt)(j, RenderOptions(**options))


# -- text ----------------------------------------------------------------------


def test_text_numbers_each_rule() -> None:
    j = job("x^3*sin(x)")
    df = j.derivatives.gradient[0]
    lines = render("text", j).splitlines()
    start = lines.index("steps df/dx:")
    assert lines[start + 1] == "1. product rule: d/dx[x**3*sin(x)] = x**3*cos(x) + 3*x**2*sin(x)"
    assert lines[start + 2] == "   1.1. power rule: d/dx[x**3] = 3*x**2"
    assert lines[start + 3] == "   1.2. trig rule: d/dx[sin(x)] = cos(x)"
    assert lines[start + 4] == f"2. tidy: x**3*cos(x) + 3*x**2*sin(x) = {df}"
    assert f"df/dx = {df}" in lines  # the derivative itself is still there, as before


def test_text_nested_chain_rules_are_nested() -> None:
    lines = render("text", job("sin(exp(x**2 + y**2))", wrt="x,y")).splitlines()
    assert "1. other variables are constants: y" in lines
    assert any(line.startswith("2. chain rule, let u = exp(x**2 + y**2): d/dx[") for line in lines)
    assert "   2.1. trig rule: d/du[sin(u)] = cos(u)" in lines
    assert any(line.startswith("   2.2. chain rule, let v = x**2 + y**2: d/dx[exp(x**2 + y**2)]") for line in lines)
    assert "      2.2.1. exponential rule: d/dv[exp(v)] = exp(v)" in lines


def test_text_hessian_entry_starts_from_the_first_derivative() -> None:
    j = job("x**2*sin(y)", hessian=True)
    lines = render("text", j).splitlines()
    k = lines.index("steps d2f/dxdy = d/dy[df/dx]:")
    assert lines[k + 1] == f"df/dx = {j.derivatives.gradient[0]}"


# -- pretty ----------------------------------------------------------------------


def test_pretty_draws_the_formulas() -> None:
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render("pretty", job("x^3*sin(x)"), width=100))
    out = console.export_text()
    assert "Steps for df/dx:" in out
    assert "1. product rule" in out and "1.1. power rule" in out and "1.2. trig rule" in out
    # SymPy's drawing: d over dx, the cube as a raised 3
    drawn = out[out.index("1. product rule"):]
    assert "──" in drawn and "dx" in drawn and "⎛ 3" in drawn


# -- LaTeX -----------------------------------------------------------------------


def test_latex_is_rows_of_the_one_align_block() -> None:
    tex = render("latex", job("sin(x**2 + y**2)"))
    assert tex.count(r"\begin{align*}") == 1 and tex.endswith(r"\end{align*}")
    assert r"&\text{Steps for } \frac{\partial f}{\partial x}\colon" in tex
    assert r"\text{2. chain rule}\text{, let }u = x^{2} + y^{2}\colon\ " in tex
    assert r"\frac{d}{d u}\left[\sin{\left(u \right)}\right] = \cos{\left(u \right)}" in tex
    one = render("latex", job("x^3*sin(x)"))
    assert r"\frac{d}{d x}\left[x^{3}\right] = 3 x^{2}" in one  # one variable: d, not partial


def test_latex_text_is_escaped() -> None:
    from symgrad.output.steps_latex import text

    assert text("a_b & 50% #1 {x} ^~") == r"\text{a\_b \& 50\% \#1 \{x\} \textasciicircum{}\textasciitilde{}}"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["x^3*sin(x)", "--steps"],
        ["sin(exp(x**2 + y**2))*alpha", "--wrt", "x,y", "-H", "--steps"],
        ["x**x + Max(x, 1) + Abs(x - 2) + erf(x)/(x**2 + 1)", "--steps", "--name", "g"],
        ["x*y", "sin(x_1*y)", "--steps", "--latex-env", "pmatrix"],
    ],
)
def test_latex_steps_compile(cli, tmp_path, args) -> None:
    pdflatex = require_tool("pdflatex")
    result = cli(*args, "--latex", "--standalone")
    assert result.exit_code == 0, result.stderr
    assert "Steps for" in result.stdout
    run, log = compile_tex(pdflatex, result.stdout, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Undefined control sequence" not in log and "Missing" not in log


# -- JSON ------------------------------------------------------------------------


def walk(step):
    yield step
    for sub in step["substeps"]:
        yield from walk(sub)


def test_json_steps_key() -> None:
    j = job("x^3*sin(x) + y", wrt="x,y")
    doc = json.loads(render("json", j))
    assert list(doc)[:4] == ["expressions", "variables", "gradient", "points"]  # the SPEC's keys first
    steps = doc["steps"]
    assert [s["entry"] for s in steps] == ["df/dx", "df/dy"]
    dx = steps[0]
    assert dx["rule"] == "differentiate with respect to x" and dx["wrt"] == "x"
    assert dx["before"] == "x**3*sin(x) + y" and dx["after"] == doc["gradient"][0]
    assert dx["substeps"][0] == {"rule": "other variables are constants", "before": dx["before"],
                                 "after": dx["before"], "substeps": [], "variable": "x", "constants": ["y"]}
    assert dx["substeps"][-1]["rule"] == "tidy" and dx["substeps"][-1]["after"] == doc["gradient"][0]
    rules = [s["rule"] for s in walk(dx)]
    assert {"sum rule", "product rule", "power rule", "trig rule", "constant"} <= set(rules)
    for s in walk(dx):
        assert {"rule", "before", "after", "substeps"} <= set(s)
        sp.parse_expr(s["before"]), sp.parse_expr(s["after"])  # noqa: B018 - each reads back


def test_json_chain_rule_inner_and_hessian_from() -> None:
    doc = json.loads(render("json", job("exp(x**2 + y)", hessian=True)))
    chain = next(s for s in walk(doc["steps"][0]) if s["rule"] == "chain rule")
    assert chain["inner"] == {"name": "u", "expression": "x**2 + y"}
    mixed = next(s for s in doc["steps"] if s["entry"] == "d2f/dxdy")
    assert mixed["from"] == "df/dx" and mixed["before"] == doc["gradient"][0] and mixed["wrt"] == "y"
    assert mixed["after"] == doc["hessian"][0][1]


def test_json_without_steps_has_no_key() -> None:
    derivs = symgrad.gradient("x**2")
    assert "steps" not in json.loads(render("json", Job(derivs)))
