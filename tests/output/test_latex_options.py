"""LaTeX options: environments, styles, names, long entries, symbol names.

Whether the output compiles is tested in tests/output/test_latex_compiles.py;
here the LaTeX text itself is checked.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp

from symgrad.jobs import JobSpec, run_job
from symgrad.output.latex import LONG_ENTRY, TexPrinter, printed_width, render_latex
from symgrad.output.options import LATEX_ENVS, RenderOptions


def latex(formulas, hessian=False, points=(), wrt=None, **options):
    job = run_job(list(formulas), JobSpec(hessian=hessian, points=tuple(points), wrt=wrt))
    return render_latex(job, RenderOptions(**options))


@pytest.mark.parametrize("env", ["bmatrix", "pmatrix", "vmatrix"])
def test_matrix_environment(env):
    out = latex(["x*y"], hessian=True, latex_env=env)
    assert rf"\nabla^{{2}} f &= \begin{{{env}}} 0 & 1 \\ 1 & 0 \end{{{env}}}" in out
    assert out.count(rf"\begin{{{env}}}") == 2  # gradient and Hessian


def test_array_environment_is_bracketed():
    out = latex(["x*y"], hessian=True, latex_env="array")
    assert r"\left[ \begin{array}{cc} 0 & 1 \\ 1 & 0 \end{array} \right]" in out
    assert r"\left[ \begin{array}{c} y \\ x \end{array} \right]" in out


@pytest.mark.parametrize(("env", "left", "right"), [("bmatrix", "[", "]"), ("pmatrix", "(", ")"), ("vmatrix", "|", "|"), ("array", "[", "]")])
def test_wider_than_ten_columns_becomes_an_array(env, left, right):
    formula = "*".join(f"x{i}" for i in range(1, 12))  # 11 variables
    out = latex([formula], hessian=True, latex_env=env)
    hessian = out.split(r"\nabla^{2} f &= ")[1]
    assert hessian.startswith(rf"\left{left} \begin{{array}}{{{'c' * 11}}}")
    assert hessian.split(r"\end{array}")[1].startswith(rf" \right{right}")
    assert r"\begin{bmatrix}" not in hessian and r"\begin{pmatrix}" not in hessian
    # the gradient is one column wide: it keeps the chosen environment
    if env != "array":
        assert rf"\nabla f &= \begin{{{env}}}" in out


def test_ten_columns_keep_the_matrix_environment():
    formula = "*".join(f"x{i}" for i in range(1, 11))
    out = latex([formula], hessian=True)
    assert r"\begin{array}" not in out


def test_components_style_one_equation_per_entry():
    out = latex(["x**2*y + z"], hessian=True, latex_style="components")
    assert r"\frac{\partial f}{\partial x} &= 2 x y" in out
    assert r"\frac{\partial f}{\partial z} &= 1" in out
    assert r"\frac{\partial^{2} f}{\partial x^{2}} &= 2 y" in out
    assert r"\frac{\partial^{2} f}{\partial x \partial y} &= 2 x" in out
    assert len(re.findall(r"\\partial\^\{2\}", out)) == 6  # upper triangle of 3x3
    assert r"\begin{bmatrix}" not in out


def test_components_style_at_points_are_aligned_equations():
    out = latex(["x*y"], points=[{"x": "1", "y": "2"}], latex_style="components")
    assert r"\left.\frac{\partial f}{\partial x}\right|_{x=1,\ y=2} &= 2" in out
    assert r"\left.\frac{\partial f}{\partial y}\right|_{x=1,\ y=2} &= 1" in out


def test_table_style_one_row_per_point():
    points = [{"x": "1", "y": "2"}, {"x": "3", "y": "0.5"}]
    out = latex(["x*y"], points=points, latex_style="table")
    table = out.split(r"\end{align*}")[1]
    assert table.strip().startswith("\\[\n\\begin{array}{cc|ccc}")
    rows = table.split(r"\hline")[1].split(r"\end{array}")[0].strip().split(" \\\\\n")
    assert rows == ["1 & 2 & 2 & 2 & 1", "3 & 0.5 & 1.5 & 0.5 & 3.0"]  # the point as given, f, the entries
    assert r"x & y & f & \frac{\partial f}{\partial x} & \frac{\partial f}{\partial y}" in table


def test_vector_style_has_left_hand_sides():
    out = latex(["x**2+y*z"], hessian=True)
    assert out.startswith("\\begin{align*}\nf(x, y, z) &= x^{2} + y z \\\\\n")
    assert r"\nabla f &= " in out
    assert r"\nabla^{2} f &= " in out
    vector = latex(["x*y", "x+y"], hessian=True)
    assert r"F(x, y) &= \begin{bmatrix} x y \\ x + y \end{bmatrix}" in vector
    assert r"J_{F} &= " in vector
    assert r"\nabla^{2} f_{1} &= " in vector and r"\nabla^{2} f_{2} &= " in vector


def test_name_option():
    out = latex(["x*y"], hessian=True, name="energy", latex_style="components")
    # a word is one italic name, not the product e n e r g y
    assert out.splitlines()[1].startswith(r"\mathit{energy}(x, y) &=")
    assert r"\frac{\partial \mathit{energy}}{\partial x}" in out
    assert latex(["phi_k*x"], wrt="x", name="phi").startswith("\\begin{align*}\n\\phi(x)")
    vector = latex(["x*y", "x"], name="g")
    assert r"g(x, y) &=" in vector and r"J_{g} &=" in vector
    assert r"\frac{\partial g_{2}}{\partial x}" in latex(["x*y", "x"], name="g", latex_style="components")


def test_one_variable_uses_d_not_partial():
    out = latex(["sin(x)"], hessian=True, points=[{"x": "0"}])
    assert r"\frac{d f}{d x} &= \cos{\left(x \right)}" in out
    assert r"\frac{d^{2} f}{d x^{2}} &= - \sin{\left(x \right)}" in out
    assert r"\frac{d f}{d x}\big|_{x=0} &= 1" in out
    assert r"\partial" not in out and r"\begin{bmatrix}" not in out
    assert r"\partial" in latex(["sin(x)*y"], latex_style="components")


@pytest.mark.parametrize(
    ("name", "tex"),
    [("alpha", r"\alpha"), ("x_1", "x_{1}"), ("sigma_k", r"\sigma_{k}"), ("x1", "x_{1}"),
     ("Omega", r"\Omega"), ("α", r"\alpha"), ("Δx", r"\Delta"), ("é", "e"), ("lambda", r"\lambda")],
)
def test_symbol_names(name, tex):
    out = latex([f"{name}**2"], latex_style="components")
    assert tex in out
    assert out.isascii()


def test_long_sum_is_split_at_top_level_signs():
    formula = " + ".join(f"sin(x*y{i})" for i in range(12)) + " - exp(x)"
    out = latex([formula], wrt="x")
    first = out.split("\n")[2]  # the gradient line
    assert first.startswith(r"\frac{d f}{d x} &= ")
    parts = first.split(r" \\ &\quad ")
    assert len(parts) > 2
    for part in parts[1:]:
        assert part.startswith(("+ ", "- "))
    for part in parts:
        assert printed_width(part.split("&= ")[-1]) <= LONG_ENTRY


def test_split_terms_join_to_sympys_latex():
    x, y = sp.symbols("x y", real=True)
    tex = TexPrinter(RenderOptions())
    for expr in [x - y + 2, -x**2 * y + (x + 1) ** 3 - sp.sin(x) * 3, sp.Rational(1, 2) - x / 3 - 4 * y]:
        assert " ".join(tex.terms(expr)) == sp.latex(expr)


def test_short_entries_and_products_stay_on_one_line():
    assert r"\\ &\quad" not in latex(["x**2 + y"])
    product = "*".join(f"sin(x + y{i})" for i in range(12))
    out = latex([product], wrt="x")
    assert r"&\quad" not in out.split("\n")[1]  # a product has no top-level sign to split at


def test_long_matrix_entries_become_aligned_blocks():
    # no factor common to the terms of d/dx, so the tidy step leaves the entry long
    formula = " + ".join(f"sin(x*y{i})*y{i}" for i in range(12))
    out = latex([formula], wrt="x,y0")
    assert r"\begin{aligned} &" in out


def test_standalone_is_a_minimal_document():
    out = latex(["x*y"], standalone=True)
    assert out.startswith("\\documentclass{article}\n\\usepackage{amsmath}\n")
    assert out.endswith("\\end{document}")
    assert out.count(r"\usepackage") == 1
    assert r"\begin{document}" in out


def test_options_are_validated():
    with pytest.raises(ValueError, match="latex_env"):
        RenderOptions(latex_env="matrix")
    with pytest.raises(ValueError, match="latex_style"):
        RenderOptions(latex_style="rows")
    with pytest.raises(ValueError, match="name"):
        RenderOptions(name="1x")
    assert set(LATEX_ENVS) == {"bmatrix", "pmatrix", "vmatrix", "array"}


# --- the command line ------------------------------------------------------


def test_cli_latex_options(cli):
    result = cli("x*y", "-H", "--latex", "--latex-env", "pmatrix", "--name", "g")
    assert result.exit_code == 0, result.stderr
    assert r"\nabla^{2} g &= \begin{pmatrix}" in result.stdout
    assert cli("x*y", "--latex", "--latex-style", "components").stdout.count(r"\frac") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--json", "--latex-env", "pmatrix"], "Error: --latex-env works with --format latex"),
        (["--format", "text", "--latex-style", "components"], "Error: --latex-style works with --format latex"),
        (["--format", "text", "--standalone"], "Error: --standalone works with --format latex"),
        (["--json", "--name", "g"], "Error: --name works with --format latex, a code format or --points or --grid"),
        (["--latex", "--name", "x-y"], "Error: --name 'x-y': use a letter"),
        (["--latex", "--latex-env", "matrix"], "Error: Invalid value for '--latex-env'"),
    ],
)
def test_cli_rejects_options_the_format_ignores(cli, args, message):
    result = cli("x*y", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_standalone_needs_one_job(cli):
    result = cli("--latex", "--standalone", "-", input="x*y\n")
    assert result.exit_code == 2
    assert "--standalone does not work with formulas on stdin; it makes one document" in result.stderr
