"""The function's own value at every --at point, in every output form (issue 12, item 2).

Scalar and vector functions, exact and float values, a value that is not
finite (``1/x`` at 0) and one too large to compute exactly (None) are each
rendered by text, JSON, pretty and LaTeX (three styles); ``--name`` names
the function where a format names it; stdin mode and the analyses still
render. Derivative text is asserted only for formulas whose derivatives are
as simple as they get (``x*y``, ``sin(x)*y``, ``x**2+y*z``).
"""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp


def run(cli, *args, code=0, input=None):
    result = cli(*args, input=input, env={"COLUMNS": "100"})
    assert result.exit_code == code, result.stderr
    return result.stdout


# --- text --------------------------------------------------------------------


def test_text_value_line_comes_before_the_derivatives_of_its_point(cli):
    lines = run(cli, "x**2+y*z", "--at", "x=1,y=2,z=3", "-f", "text").splitlines()
    at = [line for line in lines if "(x=1,y=2,z=3)" in line]
    assert at[0] == "f(x=1,y=2,z=3) = 7"
    assert [line.split("(")[0] for line in at] == ["f", "df/dx", "df/dy", "df/dz"]


def test_text_value_of_each_point_in_order(cli):
    lines = run(cli, "x*y", "--at", "x=1,y=2", "--at", "x=0.5,y=3", "-f", "text").splitlines()
    assert "f(x=1,y=2) = 2" in lines and "f(x=0.5,y=3) = 1.5" in lines
    assert lines.index("f(x=1,y=2) = 2") < lines.index("df/dx(x=1,y=2) = 2") < lines.index("f(x=0.5,y=3) = 1.5")


def test_text_vector_function_has_one_value_per_formula(cli):
    lines = run(cli, "x*y", "x+y", "--at", "x=1,y=2.5", "-f", "text").splitlines()
    at = [line for line in lines if "(x=1,y=2.5)" in line]
    assert at[:2] == ["f1(x=1,y=2.5) = 2.5", "f2(x=1,y=2.5) = 3.5"]
    assert at[2].startswith("df1/dx(")


def test_text_exact_value_stays_exact_and_reads_back(cli):
    lines = run(cli, "sin(x)*y", "--at", "x=pi/4,y=2", "-f", "text").splitlines()
    (line,) = [line for line in lines if line.startswith("f(")]
    name, value = line.split(" = ")
    assert name == "f(x=pi/4,y=2)"
    assert sp.parse_expr(value) == sp.sqrt(2)  # no decimal beside it: the line stays machine-friendly


def test_text_value_that_is_not_finite_is_shown_and_is_not_a_problem(cli):
    result = cli("1/x", "--at", "x=0", "-f", "text")
    assert result.exit_code == 1  # the derivative's problem
    assert "f(x=0) = zoo" in result.stdout.splitlines()
    assert result.stderr == "Error: df/dx = zoo: division by zero (complex infinity) at x=0\n"  # f is not named


def test_text_value_too_large_to_compute_has_no_line(cli):
    lines = run(cli, "x**20000 + y", "--wrt", "y", "--at", "x=2,y=1", "-f", "text").splitlines()
    assert not any(line.startswith("f(") for line in lines)
    assert "df/dy(y=1,x=2) = 1" in lines


# --- JSON --------------------------------------------------------------------


def json_points(cli, *args, code=0):
    return json.loads(run(cli, *args, "--json", code=code))["points"]


def test_json_value_is_a_number_after_at(cli):
    (point,) = json_points(cli, "x**2+y*z", "--at", "x=1,y=2,z=3")
    assert point["value"] == 7 and type(point["value"]) is int
    assert list(point)[:3] == ["at", "value", "gradient"]


def test_json_value_float(cli):
    (point,) = json_points(cli, "x*y", "--at", "x=0.5,y=3")
    assert point["value"] == 1.5 and type(point["value"]) is float
    assert "exact" not in point  # a decimal input: nothing exact to keep


def test_json_vector_value_is_a_list(cli):
    (point,) = json_points(cli, "x*y", "x+y", "x**2", "--at", "x=3,y=2")
    assert point["value"] == [6, 5, 9]


def test_json_exact_value_is_its_float_with_the_exact_string_beside(cli):
    (point,) = json_points(cli, "sin(x)*y", "--at", "x=pi/4,y=2")
    assert point["value"] == math.sqrt(2)
    assert point["exact"]["value"] == "sqrt(2)"


@pytest.mark.parametrize(
    ("formula", "point", "value"),
    [("1/x", "x=0", "zoo"), ("log(x)", "x=0.0", "zoo"), ("x**(10**10)", "x=2.0", "inf"), ("sin(1/x)", "x=0", "nan")],
)
def test_json_value_not_finite_is_the_specs_string(cli, formula, point, value):
    (shown,) = json_points(cli, formula, "--at", point, code=1)
    assert shown["value"] == value


def test_json_complex_value_is_a_string(cli):
    (point,) = json_points(cli, "sqrt(x)", "--at", "x=-4.0", code=1)
    assert complex(point["value"]) == 2j


def test_json_value_too_large_to_compute_is_null(cli):
    (point,) = json_points(cli, "x**20000 + y", "--wrt", "y", "--at", "x=2,y=1")
    assert point["value"] is None and point["exact"]["value"] is None
    assert point["gradient"] == [1]


def test_json_vector_value_with_one_too_large_has_null_in_its_place(cli):
    (point,) = json_points(cli, "x**20000 + y", "y", "--wrt", "y", "--at", "x=2,y=1")
    assert point["value"] == [None, 1]


def test_json_lines_from_stdin_have_values(cli):
    out = run(cli, "--json", "-", "--at", "x=2,y=3", input="x*y\nx+y; x\n")
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["points"][0]["value"] for d in docs] == [6, [5, 2]]


# --- pretty --------------------------------------------------------------------


def pretty_rows(out: str) -> dict[str, list[str]]:
    """The pretty point table's rows: first cell -> the other cells."""
    rows = {}
    for line in out.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                rows[cells[0]] = cells[1:]
    return rows


def test_pretty_table_has_the_function_row_first(cli):
    out = run(cli, "x**2+y*z", "--at", "x=1,y=2,z=3", "-f", "pretty")
    rows = pretty_rows(out)
    assert next(iter(rows)) == "f"
    assert rows["f"] == ["7"]


def test_pretty_exact_value_has_its_decimal_beside(cli):
    rows = pretty_rows(run(cli, "sin(x)*y", "--at", "x=pi/4,y=2", "-f", "pretty"))
    assert rows["f"] == ["√2", f"≈ {math.sqrt(2)!r}"]
    assert rows["∂f/∂x"] == ["√2", f"≈ {math.sqrt(2)!r}"]


def test_pretty_vector_rows(cli):
    rows = pretty_rows(run(cli, "x*y", "x+y", "--at", "x=1,y=2.5", "-f", "pretty"))
    assert rows["f₁"] == ["2.5"] and rows["f₂"] == ["3.5"]
    assert list(rows)[:3] == ["f₁", "f₂", "∂f₁/∂x"]


def test_pretty_not_finite_and_too_large(cli):
    assert pretty_rows(run(cli, "1/x", "--at", "x=0", "-f", "pretty", code=1))["f"] == ["zoo"]
    rows = pretty_rows(run(cli, "x**20000 + y", "--wrt", "y", "--at", "x=2,y=1", "-f", "pretty"))
    assert rows["f"] == ["too large to compute exactly"]


# --- LaTeX ---------------------------------------------------------------------


def test_latex_vector_style_value_line(cli):
    out = run(cli, "x**2+y*z", "--at", "x=1,y=2,z=3", "--latex")
    lines = out.splitlines()
    value = r"f\big|_{x=1,\ y=2,\ z=3} &= 7 \\"
    assert value in lines
    assert lines.index(value) + 1 == next(i for i, line in enumerate(lines) if line.startswith(r"\nabla f\big|"))


def test_latex_exact_value(cli):
    out = run(cli, "sin(x)*y", "--at", "x=pi/4,y=2", "--latex")
    assert r"f\big|_{x=\frac{\pi}{4},\ y=2} &= \sqrt{2}" in out


def test_latex_vector_function_value_is_a_column_named_by_name(cli):
    out = run(cli, "x*y", "x+y", "--at", "x=1,y=2", "--latex", "--name", "g")
    assert r"g\big|_{x=1,\ y=2} &= \begin{bmatrix} 2 \\ 3 \end{bmatrix}" in out
    assert r"J_{g}\big|_{x=1,\ y=2}" in out


def test_latex_components_style_value_per_formula(cli):
    out = run(cli, "x*y", "x+y", "--at", "x=1,y=2", "--latex", "--latex-style", "components")
    assert r"\left.f_{1}\right|_{x=1,\ y=2} &= 2" in out
    assert r"\left.f_{2}\right|_{x=1,\ y=2} &= 3" in out
    out = run(cli, "x*y", "--at", "x=1,y=2", "--latex", "--latex-style", "components", "--name", "V")
    assert r"\left.V\right|_{x=1,\ y=2} &= 2" in out


def test_latex_table_style_has_a_value_column(cli):
    out = run(cli, "x*y", "--at", "x=1,y=2", "--at", "x=0.5,y=3", "--latex", "--latex-style", "table")
    table = out.split(r"\end{align*}")[1]
    head, body = table.split(r"\hline")
    assert head.strip().endswith(r"x & y & f & \frac{\partial f}{\partial x} & \frac{\partial f}{\partial y} \\")
    rows = body.split(r"\end{array}")[0].strip().split(" \\\\\n")
    assert [row.split(" & ")[2] for row in rows] == ["2", "1.5"]


def test_latex_value_too_large_is_said(cli):
    out = run(cli, "x**20000 + y", "--wrt", "y", "--at", "x=2,y=1", "--latex")
    assert r"f\big|_{y=1,\ x=2} &= \text{(too large to compute exactly)}" in out
    out = run(cli, "x**20000 + y", "--wrt", "y", "--at", "x=2,y=1", "--latex", "--latex-style", "table")
    assert r"\text{(too large to compute exactly)} & 1" in out


def test_latex_not_finite_value(cli):
    out = run(cli, "1/x", "--at", "x=0", "--latex", code=1)
    assert r"f\big|_{x=0} &= \tilde{\infty}" in out


# --- the rest still renders ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "pretty", "latex"])
def test_analyses_still_render_with_the_value(cli, fmt):
    out = run(cli, "x**3*y", "-H", "--check", "--laplacian", "--taylor", "1", "--at", "x=1,y=2", "-f", fmt)
    assert "2" in out
    if fmt == "json":
        doc = json.loads(out)
        assert doc["points"][0]["value"] == 2 and doc["check"]["passed"] is True
    elif fmt == "text":
        assert "f(x=1,y=2) = 2" in out.splitlines() and "check = passed" in out
    elif fmt == "latex":
        assert r"f\big|_{x=1,\ y=2} &= 2" in out and "check: passed" in out
    else:
        assert pretty_rows(out)["f"] == ["2"] and "check passed" in out


@pytest.mark.parametrize("fmt", ["text", "pretty", "latex"])
def test_stdin_mode_renders_the_value(cli, fmt):
    out = run(cli, "-", "--at", "x=2,y=3", "-f", fmt, input="x*y\nx+y\n")
    if fmt == "text":
        assert "f(x=2,y=3) = 6" in out.splitlines() and "f(x=2,y=3) = 5" in out.splitlines()
    elif fmt == "latex":
        assert r"f\big|_{x=2,\ y=3} &= 6" in out and r"f\big|_{x=2,\ y=3} &= 5" in out
    else:
        assert out.count("│ f     │ 6") + out.count("│ f     │ 5") == 2
