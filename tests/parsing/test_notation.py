"""Notation people type (issue 13): powers written on a function's name, vulgar
fractions, ``e`` used as a base, division by an exact zero.

Expected values are built directly with SymPy (real symbols) and compared with
``==``; command-line cases run in-process (the ``cli`` fixture) and, once each,
as a real ``python -m symgrad`` subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy as sp

import symgrad
from symgrad.errors import ParseError, PointError
from symgrad.parsing import parse, parse_expression

x, y, e = sp.symbols("x y e", real=True)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "symgrad", *args],
        check=False, capture_output=True, text=True, timeout=120,
    )


def _error(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse(text)
    return info.value


# -- sin^2(x): a power written on a function's name --------------------------


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("sin^2(x)", sp.sin(x) ** 2),
        ("sin**2(x)", sp.sin(x) ** 2),
        ("sin²(x)", sp.sin(x) ** 2),
        ("cos²(x)", sp.cos(x) ** 2),
        ("tan³(x)", sp.tan(x) ** 3),
        ("sin^(2)(x)", sp.sin(x) ** 2),
        ("sin^2(x) + cos^2(x)", sp.sin(x) ** 2 + sp.cos(x) ** 2),
        ("sin²(x)cos(y)", sp.sin(x) ** 2 * sp.cos(y)),
        ("2sin^2(x)", 2 * sp.sin(x) ** 2),
        ("ln^2(x)", sp.log(x) ** 2),
        ("sin^2(x)^3", sp.sin(x) ** 6),
        ("sinh^2(x*y)", sp.sinh(x * y) ** 2),
    ],
)
def test_a_power_on_a_functions_name_is_a_power_of_the_call(text, wanted):
    assert parse_expression(text) == wanted
    assert not any(s.name in ("sin", "cos", "tan", "ln", "sinh") for s in parse(text).symbols)


@pytest.mark.parametrize("text", ["sin^-1(x)", "sin**-1(x)", "sin⁻¹(x)", "cos^(-1)(x)"])
def test_a_negative_power_on_a_functions_name_is_refused_naming_the_inverse(text):
    err = _error(text)
    name = text[:3]
    assert f"a{name}(" in err.message
    assert "ambiguous" in err.message
    assert err.column == 0


@pytest.mark.parametrize("text", ["sin^0(x)", "sin^(1/2)(x)", "sin^0.5(x)"])
def test_a_power_on_a_functions_name_must_be_a_positive_integer(text):
    assert "positive integer" in _error(text).message


@pytest.mark.parametrize(
    ("text", "column"),
    [("sin^2 x", 6), ("sin²x", 4), ("sin^2 2", 6), ("cos**3 π", 7), ("sin² √x", 5)],
)
def test_a_power_on_a_functions_name_without_parentheses_is_refused(text, column):
    err = _error(text)
    assert err.column == column
    assert "write" in err.message and text[:3] in err.message


def test_a_functions_name_raised_with_nothing_applied_is_still_a_variable():
    sin = sp.Symbol("sin", real=True)
    assert parse_expression("sin^2 + 1") == sin**2 + 1
    assert parse_expression("sin² * x") == sin**2 * x


def test_cli_sin_squared_plus_cos_squared(cli):
    result = cli("sin^2(x) + cos^2(x)", "--format", "text")
    assert result.exit_code == 0, result.output
    assert result.stdout == "f = sin(x)**2 + cos(x)**2\ndf/dx = 0\n"
    doc = json.loads(cli("cos²(x)", "--json").stdout)
    assert doc["variables"] == ["x"]
    # the tidy step may write -2*sin(x)*cos(x) as -sin(2*x): the same function
    assert sp.simplify(sp.sympify(doc["gradient"][0]) - sp.sympify("-2*sin(x)*cos(x)")) == 0


def test_cli_sin_inverse_is_a_usage_error_with_one_error_line():
    result = _run("sin^-1(x)")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: sin to a negative power is ambiguous; write asin(")
    assert "Traceback" not in result.stderr


# -- vulgar fractions ---------------------------------------------------------

_VULGAR = "".join(map(chr, [*range(0xBC, 0xBF), *range(0x2150, 0x215F)]))


@pytest.mark.parametrize("ch", list(_VULGAR))
def test_every_vulgar_fraction_is_its_exact_rational(ch):
    import unicodedata

    value = parse_expression(ch)
    assert isinstance(value, sp.Rational) and not value.is_Integer
    assert float(value) == pytest.approx(unicodedata.numeric(ch), abs=1e-15)
    assert parse_expression(f"{ch}x") == value * x


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("½x", x / 2),
        ("¼", sp.Rational(1, 4)),
        ("¾x^2", sp.Rational(3, 4) * x**2),
        ("⅓(x+1)", (x + 1) / 3),
        ("½sin(x)", sp.sin(x) / 2),
        ("½π", sp.pi / 2),
        ("x + ⅞", x + sp.Rational(7, 8)),
        ("½²", sp.Rational(1, 4)),
        ("(x)½", x / 2),
    ],
)
def test_vulgar_fractions_multiply_as_digits_do(text, wanted):
    assert parse_expression(text) == wanted


def test_a_number_beside_a_fraction_is_refused():
    err = _error("2½")
    assert "ambiguous" in err.message and err.column == 1


def test_a_fraction_inside_a_name_ends_the_name():
    assert _error("a½").column == 1


def test_a_vulgar_fraction_is_a_point_value():
    assert symgrad.gradient("x*y").at(x="½", y="¾") is not None
    assert symgrad.parsing.parse_value("⅔", "x") == sp.Rational(2, 3)


def test_cli_vulgar_fraction():
    result = _run("½x^2", "--at", "x=⅓", "--format", "text")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "f = x**2/2\ndf/dx = x\nf(x=1/3) = 1/18\ndf/dx(x=1/3) = 1/3\n"


# -- e used as a base ---------------------------------------------------------

_E_WARNING = "e is a variable here; for Euler's number write E or exp(...)"


@pytest.mark.parametrize("text", ["e^x", "e**(x*y)", "e^(x*y)", "2*e^x + e^y", "e²", "(x + e^x)"])
def test_e_as_a_base_is_a_variable_with_a_warning(text):
    parsed = parse(text)
    assert e in parsed.symbols
    assert parsed.warnings == (_E_WARNING,)
    assert "E" in parsed.warnings[0] and "exp" in parsed.warnings[0]


def test_e_as_a_base_is_parsed_as_before():
    assert parse_expression("e^(x*y)") == e ** (x * y)


@pytest.mark.parametrize("text", ["E^x", "exp(x)", "e*x", "x^e", "(e)^x", "e + x^2", "x^2"])
def test_no_warning_where_e_is_not_a_base(text):
    assert parse(text).warnings == ()


def test_no_warning_when_wrt_names_e():
    assert parse("e^x", wrt="e,x").warnings == ()
    assert parse("e^x", wrt="x").warnings == (_E_WARNING,)


def test_the_warning_is_given_once_for_several_formulas():
    assert parse("e^x", "e^y").warnings == (_E_WARNING,)


# -- division by an exact zero ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column"),
    [("x/0", 2), ("1/(2-2)", 2), ("x/(x-x)", 2), ("x/0.0", 2), ("0^-1", 0), ("y + 0**(-2)", 4),
     ("x/sin(0)", 2), ("0⁻¹", 0)],
)
def test_division_by_an_exact_zero_is_a_parse_error(text, column):
    err = _error(text)
    assert err.message == "division by zero: the formula is undefined"
    assert err.column == column


@pytest.mark.parametrize("text", ["0/x", "x/(x-1)", "0^2", "0^x", "x/(0+y)"])
def test_zero_elsewhere_is_fine(text):
    parse(text)


def test_a_point_value_dividing_by_zero_is_not_a_finite_real():
    with pytest.raises(PointError, match="not a finite real number: '1/0'"):
        symgrad.parsing.parse_value("1/0", "x")


@pytest.mark.parametrize("formula", ["x/0", "1/(2-2)"])
def test_cli_division_by_zero_exits_2_with_a_caret(formula):
    result = _run(formula)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: division by zero: the formula is undefined"
    assert lines[1].strip() == formula
    assert lines[2].index("^") == lines[1].index(formula) + 2


def test_cli_division_by_zero_in_json_mode_exits_2(cli):
    result = cli("x/0", "--json")
    assert result.exit_code == 2
    assert "division by zero" in result.stderr


@pytest.mark.parametrize("text, what", [
    ("x*cot(0)", "complex infinity"), ("log(0)*x + y", "complex infinity"), ("x*(oo - oo)", "undefined"),
    ("x + 0*oo", "undefined"),
])
def test_a_formula_with_a_part_that_has_no_value_is_refused(cli, text, what):
    result = cli(text, "--format", "text")
    assert result.exit_code == 2, result.stdout
    assert result.stderr.splitlines()[0].startswith(f"Error: the formula has no value as written: a part of it is {what} (as ")
    assert "zoo" not in result.stdout


def test_a_function_power_that_is_a_name_says_what_to_write(cli):
    result = cli("sin^x(y)", "--format", "text")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "Error: a power written on a function's name must be a positive integer; write sin(...)^x")
    # a known function as the power is still read as one (and then refused as no integer)
    assert "positive integer" in cli("sin^exp(1)(y)", "--format", "text").stderr
