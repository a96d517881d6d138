"""Numbers a person reads (issue 12, item 3): one float format, no ``-0``, ``--digits``, exact strings in JSON.

* every double is written as the shortest text that reads back as it, in
  text, JSON, pretty and LaTeX alike (checked for a range of doubles);
* ``-0.0`` is written ``0.0`` everywhere;
* ``--digits N`` rounds the doubles of pretty, text and LaTeX output (exact
  values stay exact; the decimal beside them follows N) and is refused for
  every other format and for ``--points``/``--grid``;
* JSON's ``"exact"`` strings read back with ``sympy.parse_expr`` to the exact values.
"""

from __future__ import annotations

import json
import math
import random
import re
import struct

import pytest
import sympy as sp

import symgrad
from symgrad.output.numbers import float_text, round_float, rounded, value_text
from symgrad.results import plain, plain_float


def run(cli, *args, code=0, input=None):
    result = cli(*args, input=input, env={"COLUMNS": "120"})
    assert result.exit_code == code, result.stderr
    return result.stdout


def doubles(count: int = 40, seed: int = 12) -> list[float]:
    """Edge doubles and random finite ones from their bit patterns (every exponent is as likely)."""
    rng = random.Random(seed)
    found = [0.1, 0.2, 0.3, 1 / 3, 2 / 3, 0.30000000000000004, 1e16, 1e-7, 123456789.123, 5e-324,
             2.2250738585072014e-308, 1.7976931348623157e308, 4.35, -2.5e-8, 9007199254740993.0]
    while len(found) < count:
        x = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(x) and x != 0:
            found.append(x)
    return found


# --- one float format ----------------------------------------------------------


@pytest.mark.parametrize("x", doubles(400, seed=3))
def test_float_text_is_the_shortest_round_trip(x):
    text = float_text(x)
    assert float(text) == x
    assert text == repr(x)  # Python's repr is the shortest string that reads back as x


def tex_number(text: str) -> float:
    """A LaTeX number: ``1.5``, or ``1.5 \\cdot 10^{-7}``."""
    found = re.fullmatch(r"(-?[0-9.]+)(?: \\cdot 10\^\{(-?\d+)\})?", text.strip())
    assert found, text
    mantissa, exponent = found.groups()
    return float(f"{mantissa}e{exponent}") if exponent else float(mantissa)


@pytest.fixture(scope="module")
def points() -> list[float]:
    return doubles(30)


def at_args(values):
    return [arg for x in values for arg in ("--at", f"x={x!r},y=1.0")]


def test_every_form_writes_each_double_so_it_reads_back(cli, points):
    """f = x*y at y = 1 is the double x itself, as are df/dy and the point."""
    args = ["x*y", *at_args(points)]
    text = run(cli, *args, "-f", "text").splitlines()
    shown = [line.split(" = ")[1] for line in text if line.startswith("f(")]
    assert shown == [repr(x) for x in points]

    doc = json.loads(run(cli, *args, "--json"))
    assert [p["value"] for p in doc["points"]] == points
    assert [p["gradient"][1] for p in doc["points"]] == points

    latex = run(cli, *args, "--latex")
    values = re.findall(r"^f\\big\|_\{.*?\} &= (.*?)(?: \\\\)?$", latex, re.MULTILINE)
    assert [tex_number(v) for v in values] == points

    pretty = run(cli, *args, "-f", "pretty")
    cells = re.findall(r"^│ f +│ (\S+) +│", pretty, re.MULTILINE)
    assert [float(c) for c in cells] == points
    assert cells == [repr(x) for x in points]


def test_the_same_double_is_spelled_once(cli):
    """cos(0.3) is f and df/dy at the point: one spelling in text, LaTeX and pretty."""
    expected = symgrad.gradient("cos(x)*y").at(x=0.3, y=1).gradient[1]
    text = run(cli, "cos(x)*y", "--at", "x=0.3,y=1", "-f", "text").splitlines()
    values = dict(line.split(" = ") for line in text)
    assert values["f(x=0.3,y=1)"] == values["df/dy(x=0.3,y=1)"] == repr(float(expected))
    assert float(values["f(x=0.3,y=1)"]) == float(expected) == math.cos(0.3)
    latex = run(cli, "cos(x)*y", "--at", "x=0.3,y=1", "--latex")
    assert latex.count(repr(float(expected))) == 2


def test_values_of_analyses_at_points_are_written_the_same_way(cli):
    """Pretty draws a field's value at a point with SymPy, which writes 15 digits: not here."""
    text = run(cli, "sin(x)*y", "--laplacian", "--at", "x=0.3,y=1.1", "-f", "text").splitlines()
    (lap,) = [line.split(" = ")[1] for line in text if line.startswith("laplacian(")]
    assert lap == "-0.32507222732747354"  # -1.1*sin(0.3): 17 digits, SymPy's 15 do not read back
    pretty = run(cli, "sin(x)*y", "--laplacian", "--at", "x=0.3,y=1.1", "-f", "pretty")
    assert f"Δf at x=0.3, y=1.1 = {lap}" in pretty


# --- no -0 -----------------------------------------------------------------------


def test_negative_zero_helpers():
    assert float_text(-0.0) == "0.0"
    assert value_text(-0.0) == "0.0"
    assert math.copysign(1, plain(-0.0)) == 1 and math.copysign(1, plain_float(-0.0)) == 1
    assert plain(complex(-0.0, 1.0)) == "0.0+1.0j"
    assert round_float(-1e-300, 3) == -1e-300  # rounding keeps tiny values, and their sign
    assert float_text(-0.0, 3) == "0.0"


@pytest.mark.parametrize("fmt", ["text", "json", "pretty", "latex"])
def test_no_negative_zero_at_a_point(cli, fmt):
    out = run(cli, "x*y", "-H", "--at", "x=-0.0,y=1.0", "-f", fmt)
    assert not re.search(r"(?<![\w.])-0(\.0)?(?![\d.])", out), out


def test_no_negative_zero_in_a_points_table(cli):
    out = run(cli, "x*y", "--points", "-", "-f", "pretty", input="x,y\n-0.0,1.0\n")
    assert not re.search(r"(?<![\w.])-0(\.0)?(?![\d.])", out), out


def test_no_negative_zero_in_json_values_of_points(cli):
    out = run(cli, "x*y", "--points", "-", "-f", "json", input="x,y\n-0.0,1.0\n")
    gradient = json.loads(out)["gradient"]
    assert gradient == [1.0, 0.0] and math.copysign(1, gradient[1]) == 1
    assert '"gradient": [1.0, 0.0]' in out


# --- --digits --------------------------------------------------------------------


def test_round_float_and_float_text_with_digits():
    assert float_text(math.cos(0.3), 3) == "0.955"
    assert float_text(123456789.0, 3) == "123000000.0"
    assert float_text(1.23456789e-7, 3) == "1.23e-07"
    assert float_text(4.0, 1) == "4.0"
    assert float_text(1.7976931348623157e308, 1) == "2e+308"  # rounding up would overflow: its digits
    for x in doubles(100):
        assert float_text(x, 17) == float_text(x)  # 17 digits always read back: the default


def test_rounded_keeps_exact_parts():
    value = sp.sqrt(2) + sp.Float(0.123456) * sp.I
    assert rounded(value, 2) == sp.sqrt(2) + sp.Float(0.12) * sp.I
    assert rounded(sp.Rational(1, 3), 2) == sp.Rational(1, 3)


def test_digits_in_text(cli):
    out = run(cli, "cos(x)*y", "--at", "x=0.3,y=1", "-f", "text", "--digits", "3").splitlines()
    assert "f(x=0.3,y=1) = 0.955" in out
    assert "df/dx(x=0.3,y=1) = -0.296" in out
    assert "f = y*cos(x)" in out  # the formula and its derivatives are not numbers at a point


def test_digits_leave_exact_values_exact(cli):
    plain_run = run(cli, "sin(x)*y", "--at", "x=pi/4,y=2", "-f", "text")
    assert run(cli, "sin(x)*y", "--at", "x=pi/4,y=2", "-f", "text", "--digits", "3") == plain_run


def test_digits_in_pretty_round_floats_and_the_decimal_beside_exact_values(cli):
    out = run(cli, "sin(x)*y", "--at", "x=pi/4,y=2", "-f", "pretty", "--digits", "4")
    assert "≈ 1.414 " in out and "≈ 0.7071 " in out and "√2" in out
    out = run(cli, "cos(x)*y", "--at", "x=0.3,y=1", "-f", "pretty", "--digits", "2")
    assert re.search(r"│ f +│ 0\.96 +│", out)


def test_digits_in_latex(cli):
    out = run(cli, "cos(x)*y", "--at", "x=0.3,y=1", "--latex", "--digits", "3")
    assert r"f\big|_{x=0.3,\ y=1} &= 0.955" in out
    assert r"\begin{bmatrix} -0.296 \\ 0.955 \end{bmatrix}" in out
    out = run(cli, "x*y", "--at", "x=1.23456789e-7,y=1.0", "--latex", "--digits", "3", "--latex-style", "table")
    assert r"1.23 \cdot 10^{-7}" in out
    assert r"1.23456789 \cdot 10^{-7}" in out  # the point is kept as given


def test_digits_in_analyses_at_points(cli):
    out = run(cli, "sin(x)*y", "--laplacian", "--at", "x=0.3,y=1.1", "-f", "text", "--digits", "3")
    assert "laplacian(x=0.3,y=1.1) = -0.325" in out.splitlines()
    out = run(cli, "sin(x)*y", "--laplacian", "--at", "x=0.3,y=1.1", "--latex", "--digits", "3")
    assert r"\Delta f\big|_{x=0.3,\ y=1.1} &= -0.325" in out


def test_digits_in_stdin_mode(cli):
    out = run(cli, "-", "--at", "x=0.3", "-f", "text", "--digits", "2", input="cos(x)\nsin(x)\n").splitlines()
    assert "f(x=0.3) = 0.96" in out and "f(x=0.3) = 0.3" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "c", "python"])
def test_digits_refused_for_other_formats(cli, fmt):
    result = cli("x*y", "--digits", "3", "-f", fmt)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: --digits works with --format pretty, text or latex\n"


def test_digits_refused_with_points(cli):
    result = cli("x*y", "--digits", "3", "-f", "text", "--grid", "x=0:1:1,y=0:1:1")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: --digits does not work with --points or --grid; it rounds the values at --at points\n"


@pytest.mark.parametrize("digits", ["0", "18", "-1", "three"])
def test_digits_out_of_range(cli, digits):
    result = cli("x*y", "--at", "x=1,y=1", "--digits", digits)
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: Invalid value for '--digits'")


def test_digits_in_render_options_is_checked():
    from symgrad.output.options import RenderOptions

    with pytest.raises(ValueError, match="digits"):
        RenderOptions(digits=0)
    assert RenderOptions(digits=17).digits == 17


# --- JSON's exact strings --------------------------------------------------------


EXACT_CASES = [
    ("sin(x)*y", "x=pi/4,y=2"),
    ("exp(x)*log(y)", "x=1/3,y=E"),
    ("atan(y/x)", "x=sqrt(3),y=1"),
    ("x**2*y + z", "x=2/7,y=-3,z=pi"),
    ("sqrt(x)", "x=-2"),  # complex: I*sqrt(2)
    ("x**200", "x=3"),  # a big integer, beyond a double's exact integers
]


@pytest.mark.parametrize(("formula", "point"), EXACT_CASES)
def test_json_exact_strings_parse_back_to_the_exact_values(cli, formula, point):
    result = cli(formula, "-H", "--at", point, "--json")
    assert result.exit_code in (0, 1), result.stderr  # 1: sqrt(-2) is not real (a warning)
    (shown,) = json.loads(result.stdout)["points"]
    expected = symgrad.hessian(formula).at(**dict(part.split("=") for part in point.split(",")))
    exact = shown["exact"]
    assert set(exact) == {"value", "gradient", "hessian"}
    parse = sp.parse_expr
    assert parse(exact["value"]) == expected.value
    assert [parse(s) for s in exact["gradient"]] == list(expected.gradient)
    assert [[parse(s) for s in row] for row in exact["hessian"]] == [list(row) for row in expected.hessian]
    # and the float beside each exact string is its value
    for s, number in zip([exact["value"], *exact["gradient"]], [shown["value"], *shown["gradient"]]):
        if isinstance(number, float):
            assert float(parse(s)) == number


def test_json_exact_value_of_a_vector_function(cli):
    doc = json.loads(run(cli, "x*y", "sin(x)", "--at", "x=pi/6,y=2", "--json"))
    exact = doc["points"][0]["exact"]
    assert [sp.parse_expr(s) for s in exact["value"]] == [sp.pi / 3, sp.Rational(1, 2)]
    assert [[sp.parse_expr(s) for s in row] for row in exact["jacobian"]] == [
        [2, sp.pi / 6], [sp.sqrt(3) / 2, 0]
    ]


def test_a_double_in_a_formula_is_spelled_as_its_values_are(cli):
    """x/3.0: the coefficient 1/3.0 is df/dx and its value at every point; SymPy alone writes
    0.333333333333333 (15 digits, another double) in the formula, 0.3333333333333333 at the point."""
    third = repr(1 / 3.0)
    text = dict(line.split(" = ") for line in run(cli, "x/3.0 + 1e-7*y", "--at", "x=1,y=2", "-f", "text").splitlines())
    assert text["df/dx"] == text["df/dx(x=1,y=2)"] == third
    assert text["df/dy"] == text["df/dy(x=1,y=2)"] == "1e-07"
    assert text["f"] == f"{third}*x + 1e-07*y"
    assert sp.parse_expr(text["f"]).coeff(sp.Symbol("x")) == sp.Float(third)
    pretty = run(cli, "x/3.0", "--at", "x=1", "-f", "pretty")
    assert f"f(x) = {third}⋅x" in pretty and "0.333333333333333⋅" not in pretty
    csv = run(cli, "x/3.0", "--at", "x=1", "-f", "csv").splitlines()
    assert csv[1].split(",")[-1] == third  # the formula's row
    taylor = run(cli, "y*exp(x)/3.0", "--taylor", "1", "--at", "x=0,y=1", "-f", "text").splitlines()
    assert f"taylor1(x=0,y=1) = {third} + {third}*x + {third}*(y - 1)" in taylor
