"""Unit tests of symgrad.parsing: formula text -> SymPy objects.

Every expected value is built directly with SymPy (real symbols unless the
test says otherwise) and compared with ``==``, which for SymPy is exact
structural equality: ``Symbol("x", real=True) != Symbol("x")``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp

from symgrad.errors import (
    ParseError,
    PointError,
    ResourceLimitError,
    SymgradError,
    UnknownFunctionError,
    VariableError,
)
from symgrad.parsing import (
    CONSTANT_NAMES,
    FUNCTION_NAMES,
    Parsed,
    natural_key,
    parse,
    parse_expression,
    parse_names,
    parse_point,
    parse_value,
)


def R(name: str) -> sp.Symbol:
    """A real symbol, as symgrad builds them by default."""
    return sp.Symbol(name, real=True)


x, y, z, a = R("x"), R("y"), R("z"), R("a")
P = parse_expression


def parse_error(text: str, error: type[ParseError] = ParseError, **kwargs) -> ParseError:
    with pytest.raises(error) as info:
        P(text, **kwargs)
    return info.value


# ---------------------------------------------------------------------------
# Python syntax


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x", x),
        ("x + y", x + y),
        ("x - y", x - y),
        ("x*y", x * y),
        ("x/y", x / y),
        ("x**2", x**2),
        ("x**y**z", x ** (y**z)),  # right associative, as in Python
        ("-x**2", -(x**2)),  # power binds tighter than the sign
        ("(-x)**2", x**2),
        ("-2**2", sp.Integer(-4)),
        ("2**-1", sp.Rational(1, 2)),
        ("x**-y", x ** (-y)),
        ("2*-x", -2 * x),
        ("+x", x),
        ("--x", x),
        ("-+-x", x),
        ("1/2/3", sp.Rational(1, 6)),  # left associative
        ("x - y - z", x - y - z),
        ("(x + y)*z", (x + y) * z),
        ("  x  +  y  ", x + y),
        ("x\t+\ty", x + y),
        ("1/3", sp.Rational(1, 3)),
        ("10", sp.Integer(10)),
        ("0", sp.Integer(0)),
    ],
)
def test_python_syntax(text, expected):
    assert P(text) == expected


def test_integers_stay_exact():
    result = P("2**100 + 1")
    assert result == sp.Integer(2**100 + 1)
    assert isinstance(result, sp.Integer)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.5", sp.Float("1.5")),
        (".5", sp.Float("0.5")),
        ("5.", sp.Float("5.0")),
        ("1e-3", sp.Float("0.001")),
        ("1E-3", sp.Float("0.001")),
        ("2.5e+2", sp.Float("250.0")),
    ],
)
def test_decimals_are_floats(text, expected):
    result = P(text)
    assert isinstance(result, sp.Float)
    assert result == expected


def test_decimal_times_symbol_keeps_the_float():
    assert P("0.5*x") == sp.Float("0.5") * x


# ---------------------------------------------------------------------------
# ^ and implicit multiplication


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x^2", x**2),
        ("x^y^2", x ** (y**2)),
        ("2^10", sp.Integer(1024)),
        ("-x^2", -(x**2)),
        ("x^-1", 1 / x),
        ("x^2 + y**2", x**2 + y**2),
    ],
)
def test_caret_is_power(text, expected):
    assert P(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2x", 2 * x),
        ("2 x", 2 * x),
        ("2x^2", 2 * x**2),
        ("3(x+1)", 3 * (x + 1)),
        ("(x+1)(x-1)", sp.Mul(x + 1, x - 1)),
        ("(x+1)(x-1)(x+2)", (x + 1) * (x - 1) * (x + 2)),
        ("2sin(x)", 2 * sp.sin(x)),
        ("2sin(x)cos(x)", 2 * sp.sin(x) * sp.cos(x)),
        ("(x)y", x * y),
        ("(x)2", 2 * x),
        ("(x+1)^2(x-1)", (x + 1) ** 2 * (x - 1)),
        ("2(x+1)^2", 2 * (x + 1) ** 2),
        ("1.5x", sp.Float("1.5") * x),
        ("2x2", 2 * R("x2")),  # the name is x2
        ("2/3x", sp.Rational(2, 3) * x),  # left to right, as 2/3*x
        ("x²y", x**2 * y),
        ("2π", 2 * sp.pi),
        ("πx", sp.pi * x),
        ("2√x", 2 * sp.sqrt(x)),
        ("2E", 2 * sp.E),
        ("2e", 2 * R("e")),  # not an exponent: e needs digits after it
    ],
)
def test_implicit_multiplication(text, expected):
    assert P(text) == expected


@pytest.mark.parametrize("text, col", [("x y", 2), ("2 3", 2), ("sin x", 4), ("xπ", 1)])
def test_no_implicit_multiplication_between_names_or_numbers(text, col):
    err = parse_error(text)
    assert err.column == col


def test_multi_letter_name_is_one_symbol():
    result = P("xy")
    assert result == R("xy")
    assert result != x * y
    assert P("alpha*beta") == R("alpha") * R("beta")
    assert P("x_1 + x2") == R("x_1") + R("x2")


# ---------------------------------------------------------------------------
# Names: variables and constants


@pytest.mark.parametrize("name", ["N", "S", "Q", "O", "beta", "gamma", "lambda", "e", "zoo", "nan", "C"])
def test_names_that_sympy_would_misread_are_variables(name):
    result = P(name)
    assert result == R(name)
    assert isinstance(result, sp.Symbol)


def test_keyword_and_function_names_as_variables_in_arithmetic():
    assert P("lambda*x + gamma^2 - beta") == R("lambda") * x + R("gamma") ** 2 - R("beta")
    assert P("sin + cos") == R("sin") + R("cos")  # not followed by '(': plain names


@pytest.mark.parametrize(
    "text, expected",
    [("pi", sp.pi), ("E", sp.E), ("I", sp.I), ("oo", sp.oo), ("π", sp.pi), ("∞", sp.oo)],
)
def test_constants(text, expected):
    assert P(text) is expected


def test_constants_behave_as_numbers():
    assert P("I**2") == -1
    assert P("E**x") == sp.exp(x)
    assert P("e**x") == R("e") ** x
    assert P("cos(pi)") == -1
    assert P("-oo") == sp.S.NegativeInfinity
    assert P("x + I*y") == x + sp.I * y


def test_constant_names_list():
    assert set(CONSTANT_NAMES) == {"pi", "E", "I", "oo"}


@pytest.mark.parametrize("symbols", [("E",), "E", ["E"], "E,I", ("I", "E")])
def test_symbols_option_makes_a_constant_a_variable(symbols):
    assert P("E*x", symbols=symbols) == R("E") * x
    # names not listed stay constants
    assert P("pi*x", symbols=symbols) == sp.pi * x


def test_symbols_option_for_each_constant():
    for name in CONSTANT_NAMES:
        assert P(f"{name} + x", symbols=(name,)) == R(name) + x


def test_symbols_option_with_imaginary_unit():
    assert P("I**2", symbols="I") == R("I") ** 2


@pytest.mark.parametrize("symbols", [("x",), "x", "E,x", ("sin",)])
def test_symbols_option_takes_only_constant_names(symbols):
    with pytest.raises(VariableError):
        P("x", symbols=symbols)


def test_constant_used_as_function_is_an_error_naming_it():
    err = parse_error("1 + pi(x)")
    assert not isinstance(err, UnknownFunctionError)
    assert "'pi'" in err.message
    assert err.column == 4


def test_constant_turned_variable_is_not_a_function():
    err = parse_error("E(x)", UnknownFunctionError, symbols=("E",))
    assert "'E'" in err.message


def test_parsed_reports_constants_used():
    assert parse("pi*x + E + y").constants == ("E", "pi")
    assert parse("π x").constants == ("pi",)
    assert parse("x*y").constants == ()
    assert parse("E*x", symbols="E").constants == ()


# ---------------------------------------------------------------------------
# Functions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sin(x)", sp.sin(x)),
        ("cos(x)", sp.cos(x)),
        ("tan(x)", sp.tan(x)),
        ("asin(x)", sp.asin(x)),
        ("acos(x)", sp.acos(x)),
        ("atan(x)", sp.atan(x)),
        ("sinh(x)", sp.sinh(x)),
        ("cosh(x)", sp.cosh(x)),
        ("tanh(x)", sp.tanh(x)),
        ("asinh(x)", sp.asinh(x)),
        ("acosh(x)", sp.acosh(x)),
        ("atanh(x)", sp.atanh(x)),
        ("exp(x)", sp.exp(x)),
        ("log(x)", sp.log(x)),
        ("log(x, 2)", sp.log(x) / sp.log(2)),
        ("sqrt(x)", sp.sqrt(x)),
        ("cbrt(x)", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),  # the real cube root
        ("real_root(x, 3)", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),
        ("root(x, 5)", x ** sp.Rational(1, 5)),
        ("Abs(x)", sp.Abs(x)),
        ("sign(x)", sp.sign(x)),
        ("erf(x)", sp.erf(x)),
        ("gamma(x)", sp.gamma(x)),
        ("loggamma(x)", sp.loggamma(x)),
        ("digamma(x)", sp.polygamma(0, x)),
        ("factorial(x)", sp.factorial(x)),
        ("binomial(x, 3)", sp.binomial(x, 3)),
        ("beta(x, y)", sp.beta(x, y)),
        ("Heaviside(x)", sp.Heaviside(x)),
        ("Heaviside(x, 1/2)", sp.Heaviside(x, sp.S.Half)),
        ("Max(x, y, z)", sp.Max(x, y, z)),
        ("Min(x, 1)", sp.Min(x, 1)),
        ("atan2(y, x)", sp.atan2(y, x)),
        ("hypot(x, y)", sp.sqrt(x**2 + y**2)),
        # aliases
        ("ln(x)", sp.log(x)),
        ("arcsin(x)", sp.asin(x)),
        ("arccos(x)", sp.acos(x)),
        ("arctan(x)", sp.atan(x)),
        ("log10(x)", sp.log(x) / sp.log(10)),
        ("log2(x)", sp.log(x) / sp.log(2)),
        ("abs(x)", sp.Abs(x)),
        ("max(x, y)", sp.Max(x, y)),
        ("min(x, y)", sp.Min(x, y)),
    ],
)
def test_known_functions_and_aliases(text, expected):
    assert P(text) == expected


@pytest.mark.parametrize(
    "name",
    "sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh exp log sqrt Abs sign erf "
    "gamma Heaviside Max Min atan2 ln arcsin arccos arctan log10 log2 abs".split(),
)
def test_spec_functions_are_known(name):
    assert name in FUNCTION_NAMES


def test_functions_evaluate_exactly():
    assert P("log10(1000)") == 3
    assert P("log2(8)") == 3
    assert P("ln(E)") == 1
    assert P("factorial(5)") == 120
    assert P("gamma(5)") == 24
    assert P("binomial(5, 2)") == 10
    assert P("sqrt(8)") == 2 * sp.sqrt(2)
    assert P("hypot(3, 4)") == 5
    assert P("abs(-3)") == 3
    assert P("exp(2*log(3))") == 9


def test_function_name_as_variable_and_as_function_in_one_formula():
    assert P("gamma*gamma(x)") == R("gamma") * sp.gamma(x)
    assert P("beta + beta(x, y)") == R("beta") + sp.beta(x, y)


@pytest.mark.parametrize(
    "text, name, hint",
    [
        ("foo(x)", "foo", None),
        ("sine(x)", "sine", "sin"),
        ("sqr(x)", "sqr", "sqrt"),
        ("arcsinn(x)", "arcsinn", "arcsin"),
        ("f(x)", "f", None),
        ("x(y)", "x", None),
        ("lambda(x)", "lambda", None),
        ("eval(x)", "eval", None),
        ("Symbol(x)", "Symbol", None),
    ],
)
def test_unknown_function_names_it(text, name, hint):
    err = parse_error(text, UnknownFunctionError)
    assert isinstance(err, ParseError)
    assert f"'{name}'" in err.message
    assert err.column == 0
    if hint is None:
        assert "did you mean" not in err.message
    else:
        assert f"did you mean '{hint}'" in err.message


def test_unknown_function_column_points_at_its_name():
    text = "x + 2*foo(x)"
    err = parse_error(text, UnknownFunctionError)
    assert err.column == text.index("foo")


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("sin()", "sin() takes 1 argument, got 0"),
        ("sin(x, y)", "sin() takes 1 argument, got 2"),
        ("atan2(x)", "atan2() takes 2 arguments, got 1"),
        ("atan2(x, y, z)", "atan2() takes 2 arguments, got 3"),
        ("log(x, 2, 3)", "log() takes 1 to 2 arguments, got 3"),
        ("log()", "log() takes 1 to 2 arguments, got 0"),
        ("Max()", "Max() takes at least 1 argument, got 0"),
        ("binomial(x)", "binomial() takes 2 arguments, got 1"),
        ("beta(x)", "beta() takes 2 arguments, got 1"),
        ("exp(x, y)", "exp() takes 1 argument, got 2"),
    ],
)
def test_wrong_argument_counts(text, wanted):
    err = parse_error(text)
    assert not isinstance(err, UnknownFunctionError)
    assert err.message == wanted
    assert err.column == 0


def test_wrong_argument_count_column_points_at_the_function():
    text = "x + sin(x, y)"
    assert parse_error(text).column == text.index("sin")


@pytest.mark.parametrize("text", ["Max(I, 1)", "Min(x, I*oo)", "Heaviside(I)", "DiracDelta(I)", "erfinv(3.5)"])
def test_arguments_sympy_refuses_are_parse_errors(text):
    err = parse_error(text)
    assert err.column == 0
    assert text.split("(")[0] in err.message


# ---------------------------------------------------------------------------
# Unicode


@pytest.mark.parametrize(
    "text, expected",
    [
        ("π", sp.pi),
        ("2π", 2 * sp.pi),
        ("π²", sp.pi**2),
        ("√x", sp.sqrt(x)),
        ("√(x+1)", sp.sqrt(x + 1)),
        ("√4", sp.Integer(2)),
        ("√x²", sp.Abs(x)),  # √ applies to x², and x is real
        ("x²", x**2),
        ("x³", x**3),
        ("x¹⁰", x**10),
        ("x⁻¹", 1 / x),
        ("x⁻²", x**-2),
        ("2x⁻¹", 2 / x),
        ("(x+1)²", (x + 1) ** 2),
        ("x²y", x**2 * y),
        ("x²(y+1)", x**2 * (y + 1)),
        ("x·y", x * y),
        ("x⋅y", x * y),
        ("x×y", x * y),
        ("x−y", x - y),
        ("−x", -x),
        ("x–y", x - y),
        ("x÷y", x / y),
        ("α + β", R("α") + R("β")),
        ("Δx", R("Δx")),
        ("∞", sp.oo),
    ],
)
def test_unicode(text, expected):
    assert P(text) == expected


def test_superscript_alone_is_an_error():
    err = parse_error("²x")
    assert err.column == 0
    assert "superscript" in err.message


# ---------------------------------------------------------------------------
# Real variables


def test_variables_are_real_by_default():
    result = P("x")
    assert result == sp.Symbol("x", real=True)
    assert result != sp.Symbol("x")
    assert result.is_real is True


def test_sqrt_of_square_is_abs_for_real_variables():
    assert P("sqrt(x**2)") == sp.Abs(x)
    assert sp.diff(P("Abs(x)"), x) == sp.sign(x)
    assert P("re(x)") == x
    assert P("im(x)") == 0
    assert P("conjugate(x)") == x


def test_complex_variables_on_request():
    c = sp.Symbol("x")
    assert P("x", real=False) == c
    assert P("x", real=False).is_real is None
    assert P("sqrt(x**2)", real=False) == sp.sqrt(c**2)
    assert P("sqrt(x**2)", real=False) != sp.Abs(c)
    assert P("re(x)", real=False) == sp.re(c)


def test_same_name_is_the_same_symbol_within_a_formula():
    assert P("x*x") == x**2
    assert P("x - x") == 0


# ---------------------------------------------------------------------------
# Syntax errors: column and caret


@pytest.mark.parametrize(
    "text, col",
    [
        ("x +* y", 3),
        ("x + ", 4),
        ("  x +", 5),
        ("x**", 3),
        ("(x+1", 0),
        ("((x)", 0),
        ("x + (y", 4),
        ("sin(x", 3),
        ("x)", 1),
        ("(x))", 3),
        ("x $ y", 2),
        ("x = 1", 2),
        ("y = 2*x", 2),
        ("2x y", 3),
        ("x.y", 1),
        ("x.__class__", 1),
        ("a[1]", 1),
        ("{x}", 0),
        ("x ;y", 2),
        ("3 + 'a'", 4),
        ('3 + "a"', 4),
        ("x % 2", 2),
        ("x // 2", 3),
        ("x + (y * (z - ))", 14),
        ("x < y", 2),
        ("x & y", 2),
        ("x @ y", 2),
        ("~x", 0),
        ("#x", 0),
        ("x!", 1),
        ("é$", 1),
        ("π + $", 4),
        ("", 0),
        ("   ", 0),
    ],
)
def test_syntax_error_column(text, col):
    err = parse_error(text)
    assert err.column == col
    assert err.source == text


@pytest.mark.parametrize(
    "text, bad",
    [("x +* y", "*"), ("x $ y", "$"), ("x + (y * (z - ))", ")"), ("sin(x", "("), ("2x y", "y"), ("x.y", ".")],
)
def test_column_is_the_offending_character(text, bad):
    err = parse_error(text)
    assert text[err.column] == bad


def test_error_messages():
    assert parse_error("x +* y").message == "unexpected '*'"
    assert parse_error("x + ").message == "unexpected end of formula"
    assert parse_error("").message == "empty formula"
    assert parse_error("(x+1").message == "'(' was never closed"
    assert parse_error("x)").message == "unmatched ')'"
    assert "'$'" in parse_error("x $ y").message
    assert "equation" in parse_error("x = 1").message
    assert "string" in parse_error("'a'").message


@pytest.mark.parametrize("text", ["x +* y", "x + ", "(x+1", "x $ y", "sin(x, y)", "foo(x)"])
def test_caret_lines_put_the_caret_under_the_column(text):
    err = parse_error(text)
    lines = err.caret_lines()
    assert lines == [f"  {text}", "  " + " " * err.column + "^"]


def test_caret_lines_exact():
    assert parse_error("x +* y").caret_lines() == ["  x +* y", "     ^"]
    assert parse_error("2 + foo(x)").caret_lines() == ["  2 + foo(x)", "      ^"]


@pytest.mark.parametrize("position", [5, 100, 250, 399])
def test_caret_lines_window_long_source(position):
    text = "x+" * 200  # 400 characters
    text = text[:position] + "$" + text[position + 1 :]
    err = parse_error(text)
    assert err.column == position
    source_line, caret_line = err.caret_lines()
    assert caret_line.strip() == "^"
    assert source_line[caret_line.index("^")] == "$"
    assert len(source_line) <= 2 + 3 + 120  # a window, not the whole line
    assert source_line.startswith("  ...") == (position > 60)


def test_caret_lines_of_a_multiline_source_are_one_line():
    err = parse_error("x\ny")  # the newline is written as an escape (symgrad.text.printable)
    assert err.caret_lines() == ["  x\\ny", "     ^"]


def test_caret_lines_empty_without_location():
    assert ParseError("boom").caret_lines() == []


# ---------------------------------------------------------------------------
# parse(): variables, parameters, --wrt


def test_parse_returns_parsed():
    p = parse("x**2 + y*z")
    assert isinstance(p, Parsed)
    assert p.exprs == (x**2 + y * z,)
    assert p.sources == ("x**2 + y*z",)
    assert p.variables == (x, y, z)
    assert p.parameters == ()
    assert p.real is True
    assert p.symbols == (x, y, z)


def test_default_variables_in_natural_order():
    assert parse("z + y*x").variables == (x, y, z)
    assert parse("x10 + x2 + x1").variables == (R("x1"), R("x2"), R("x10"))
    assert parse("b + a + c1 + c").variables == (a, R("b"), R("c"), R("c1"))


def test_wrt_orders_variables_and_rest_are_parameters():
    p = parse("a*x**2 + y", wrt="x,y")
    assert p.variables == (x, y)
    assert p.parameters == (a,)
    assert p.symbols == (x, y, a)
    assert parse("a*x**2 + y", wrt="y,x").variables == (y, x)
    assert parse("a*x**2 + y", wrt=" y , x ").variables == (y, x)


def test_parameters_in_natural_order():
    p = parse("b10*x + b2 + b1", wrt="x")
    assert p.parameters == (R("b1"), R("b2"), R("b10"))


def test_wrt_accepts_sequences_of_names_and_symbols():
    assert parse("x*y", wrt=["y", "x"]).variables == (y, x)
    assert parse("x*y", wrt=[y, x]).variables == (y, x)


def test_wrt_variable_absent_from_formula():
    p = parse("x", wrt="x,t")
    assert p.variables == (x, R("t"))
    assert p.variables[1].is_real is True
    assert parse("x", wrt="t", real=False).variables == (sp.Symbol("t"),)


@pytest.mark.parametrize("wrt", ["x,x", "x,y,x", ["x", "x"]])
def test_wrt_repeat_is_an_error_naming_it(wrt):
    with pytest.raises(VariableError, match="'x'"):
        parse("x*y", wrt=wrt)


@pytest.mark.parametrize("name", ["pi", "E", "I", "oo"])
def test_wrt_constant_is_an_error(name):
    with pytest.raises(VariableError, match=f"'{name}'"):
        parse("x", wrt=name)


def test_wrt_constant_allowed_with_symbols():
    p = parse("pi*x", wrt="pi", symbols="pi")
    assert p.variables == (R("pi"),)
    assert p.parameters == (x,)


@pytest.mark.parametrize("wrt", ["", "x,,y", "x,", "1x", "x y", "x-y", "__x", "x.y", "x=1"])
def test_wrt_malformed(wrt):
    with pytest.raises(VariableError):
        parse("x*y", wrt=wrt)


def test_vector_function_shares_variables():
    p = parse("x*y", "y + z")
    assert p.exprs == (x * y, y + z)
    assert p.variables == (x, y, z)
    assert p.sources == ("x*y", "y + z")


def test_parse_strips_source_text():
    assert parse("  x + 1 ").sources == ("x + 1",)


def test_parse_accepts_sympy_expressions():
    p = parse(x**2 + y)
    assert p.exprs == (x**2 + y,)
    assert p.variables == (x, y)


def test_parse_without_formula():
    with pytest.raises(ParseError):
        parse()


def test_parse_complex():
    p = parse("x + y", real=False)
    assert p.real is False
    assert p.variables == (sp.Symbol("x"), sp.Symbol("y"))


def test_parse_error_propagates_from_any_formula():
    with pytest.raises(ParseError) as info:
        parse("x", "y +")
    assert info.value.source == "y +"


@pytest.mark.slow
def test_variable_order_does_not_depend_on_hash_seed():
    """Names equal in natural order (x01, x1) must still sort the same every run."""
    code = (
        "from symgrad.parsing import parse;"
        "print([v.name for v in parse('x1 + x01 + x001 + y + x2').variables])"
    )
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            check=True,
        )
        outputs.add(result.stdout.strip())
    assert len(outputs) == 1
    (only,) = outputs
    assert only == str(["x001", "x01", "x1", "x2", "y"])


# ---------------------------------------------------------------------------
# natural_key, parse_names


@pytest.mark.parametrize(
    "names, ordered",
    [
        (["x10", "x2", "x1"], ["x1", "x2", "x10"]),
        (["z", "y", "x"], ["x", "y", "z"]),
        (["x1", "x"], ["x", "x1"]),
        (["a10b2", "a2b10", "a2b2"], ["a2b2", "a2b10", "a10b2"]),
        (["x100", "x20", "x3", "y1"], ["x3", "x20", "x100", "y1"]),
        (["x1", "x01", "x001"], ["x001", "x01", "x1"]),
    ],
)
def test_natural_key(names, ordered):
    assert sorted(names, key=natural_key) == ordered


def test_natural_key_has_no_ties_between_different_names():
    assert natural_key("x01") != natural_key("x1")
    assert natural_key("x1") == natural_key("x1")


@pytest.mark.parametrize(
    "names, expected",
    [
        ("x,y,z", ("x", "y", "z")),
        ("x", ("x",)),
        (" x , y ", ("x", "y")),
        (["x", "y"], ("x", "y")),
        ("lambda,beta,α", ("lambda", "beta", "α")),
        ("x_1,x2", ("x_1", "x2")),
    ],
)
def test_parse_names(names, expected):
    assert parse_names(names) == expected


@pytest.mark.parametrize("names", ["", " ", "x,", ",x", "x,,y", "1x", "x y", "x+y", "__x", "x,x", "x.y", "x²"])
def test_parse_names_rejects(names):
    with pytest.raises(VariableError):
        parse_names(names)


def test_parse_names_message_names_option_and_name():
    with pytest.raises(VariableError) as info:
        parse_names("x,y,x", "--symbols")
    assert "--symbols" in str(info.value)
    assert "'x'" in str(info.value)
    with pytest.raises(VariableError, match="'1x'"):
        parse_names("1x")


# ---------------------------------------------------------------------------
# parse_point


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x=1", {"x": "1"}),
        ("x=1,y=2,z=3", {"x": "1", "y": "2", "z": "3"}),
        ("x=1,y=atan2(1,2)", {"x": "1", "y": "atan2(1,2)"}),
        ("y=Max(1,2,3),x=pi/4", {"y": "Max(1,2,3)", "x": "pi/4"}),
        (" x = 1 , y = -2 ", {"x": "1", "y": "-2"}),
        ("x=", {"x": ""}),
        ("x=1e-3", {"x": "1e-3"}),
        ("lambda=2", {"lambda": "2"}),
    ],
)
def test_parse_point(text, expected):
    point = parse_point(text)
    assert point == expected
    assert list(point) == list(expected)  # order kept


def test_parse_point_repeated_name():
    with pytest.raises(VariableError, match="'x'"):
        parse_point("x=1,y=2,x=3")


@pytest.mark.parametrize("text", ["", "x=1,,y=2", "x=1,", ",x=1", " , "])
def test_parse_point_empty_entry(text):
    with pytest.raises(VariableError, match="empty"):
        parse_point(text)


@pytest.mark.parametrize("text", ["x", "x=1,y", "=1", "1x=2", "x y=2", "__x=1", "x.y=1"])
def test_parse_point_malformed(text):
    with pytest.raises(VariableError):
        parse_point(text)


def test_parse_point_value_with_equals_sign_fails_later():
    point = parse_point("x==1")
    assert point == {"x": "=1"}
    with pytest.raises(PointError):
        parse_value(point["x"], "x")


# ---------------------------------------------------------------------------
# parse_value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pi/4", sp.pi / 4),
        ("1/3", sp.Rational(1, 3)),
        ("sqrt(2)", sp.sqrt(2)),
        ("-2", sp.Integer(-2)),
        (" 7 ", sp.Integer(7)),
        ("E", sp.E),
        ("atan2(1, 2)", sp.atan(sp.Rational(1, 2))),
        ("2^10", sp.Integer(1024)),
        ("cos(1)", sp.cos(1)),
        ("I**2", sp.Integer(-1)),
        ("0", sp.Integer(0)),
    ],
)
def test_parse_value_exact(text, expected):
    assert parse_value(text, "x") == expected


def test_parse_value_decimal():
    value = parse_value("1e-3", "x")
    assert isinstance(value, sp.Float)
    assert value == sp.Float("0.001")
    assert parse_value("-2.5", "x") == sp.Float("-2.5")


@pytest.mark.parametrize(
    "text",
    ["nan", "inf", "-inf", "abc", "x", "zoo", "sqrt(-1)", "1/0", "0/0", "oo", "-oo", "∞", "I", "1 + I",
     "log(0)", "acos(2)", "", "   ", "1,2", "x=1", "(1", "foo(1)", "'1'"],
)
def test_parse_value_refuses(text):
    with pytest.raises(PointError):
        parse_value(text, "q")


@pytest.mark.parametrize("text", ["nan", "abc", "1/0", "", "foo(1)"])
def test_parse_value_error_names_the_variable(text):
    with pytest.raises(PointError) as info:
        parse_value(text, "speed")
    assert "speed" in str(info.value)


def test_parse_value_too_big_is_a_symgrad_error():
    with pytest.raises(ResourceLimitError):
        parse_value("2**10**10", "x")


def test_parse_value_is_not_affected_by_variable_names():
    # a value is a number: every name in it is refused, even one that is a variable elsewhere
    with pytest.raises(PointError):
        parse_value("x + 1", "x")


# ---------------------------------------------------------------------------
# Sizes at the edges of the limits (see test_hostile.py for the hostile side)


def test_nesting_up_to_the_limit_is_fine():
    from symgrad import limits

    depth = limits.MAX_DEPTH
    assert P("(" * depth + "x" + ")" * depth) == x
    assert P("-" * depth + "x") == x  # an even number of signs
    with pytest.raises(ResourceLimitError):
        P("(" * (depth + 1) + "x" + ")" * (depth + 1))


@pytest.mark.slow
def test_input_length_limit_is_exact():
    from symgrad import limits

    n = limits.MAX_INPUT_LENGTH
    text = "x+" * ((n - 1) // 2) + "x"
    assert len(text) <= n
    assert P(text) == ((n - 1) // 2 + 1) * x
    with pytest.raises(ResourceLimitError):
        P(" " * n + "x")  # n + 1 characters


def test_integer_literal_limit():
    assert P("9" * 3000) == sp.Integer(int("9" * 3000))
    with pytest.raises(ResourceLimitError):
        P("9" * 3001)


def test_moderately_big_exact_numbers_are_fine():
    assert P("2**5000") == sp.Integer(2) ** 5000
    assert P("factorial(1000)") == sp.factorial(1000)
    assert P("binomial(1000, 500)") == sp.binomial(1000, 500)
    assert P("(2/3)**100") == sp.Rational(2**100, 3**100)
    assert P("sqrt(2)**100") == sp.Integer(2) ** 50


def test_symbolic_huge_powers_are_fine():
    assert P("x**(10**10)") == x ** (10**10)
    assert P("exp(10**10)") == sp.exp(10**10)
    assert P("2.0**(10**10)") == sp.Float(2) ** (10**10)


def test_non_str_input_is_a_type_error():
    with pytest.raises(TypeError):
        P(42)  # type: ignore[arg-type]


def test_every_error_is_a_symgrad_error():
    for cls in (ParseError, UnknownFunctionError, VariableError, PointError, ResourceLimitError):
        assert issubclass(cls, SymgradError)
