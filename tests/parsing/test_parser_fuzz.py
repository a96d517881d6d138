"""Property tests of the parser with hypothesis.

1. Any text either parses to a SymPy expression or raises a SymgradError:
   never another exception (no TypeError, ValueError, RecursionError, ...).
2. Printing a parsed formula with ``sympy.sstr`` and parsing that text again
   gives back an equal expression (for a grammar of valid formulas whose
   printed form only uses names the parser reads back the same way).
"""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symgrad.errors import SymgradError
from symgrad.parsing import FUNCTION_NAMES, parse, parse_expression, parse_point, parse_value

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def parses_or_refuses(text: str, **kwargs: object) -> sp.Expr | None:
    """Parse ``text``; a SymgradError is fine, anything else fails the test."""
    try:
        result = parse_expression(text, **kwargs)
    except SymgradError as err:
        assert str(err)
        return None
    assert isinstance(result, sp.Expr), type(result)
    return result


# ---------------------------------------------------------------------------
# 1. Random text

ALPHABET = "xyz0123456789+-*/^()., eEpiIπ√²³⁻¹·×−∞_=[]'\"!;:\n\t"
TOKENS = [
    *FUNCTION_NAMES,
    *(f"{name}(" for name in FUNCTION_NAMES),
    "pi", "E", "I", "oo", "x", "y", "z", "lambda", "gamma", "beta", "N", "S",
    "**", "^", "(", ")", ",", "+", "-", "*", "/", "1/0", "0/0", "10**", "1e", "1e308", ".5",
    "2", "3", "10", "1000", "0", "√", "²", "⁻¹", "π", "__", ".", " ",
]

formulaish = st.one_of(
    st.text(alphabet=ALPHABET, max_size=40),
    st.lists(st.sampled_from(TOKENS), max_size=25).map("".join),
)


@pytest.mark.slow
@FUZZ
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_a_symgrad_error(text):
    parses_or_refuses(text)


@pytest.mark.slow
@FUZZ
@given(formulaish)
def test_formula_like_text_parses_or_raises_a_symgrad_error(text):
    parses_or_refuses(text)


@FUZZ
@given(formulaish, st.booleans(), st.sampled_from([(), ("E",), ("I", "pi"), ("oo",)]))
def test_options_do_not_change_the_error_contract(text, real, symbols):
    parses_or_refuses(text, real=real, symbols=symbols)


@FUZZ
@given(formulaish)
def test_values_and_points_raise_only_symgrad_errors(text):
    try:
        value = parse_value(text, "x")
    except SymgradError:
        pass
    else:
        assert isinstance(value, sp.Expr)
        assert not value.free_symbols
        assert value.is_real is not False
    try:
        point = parse_point(text)
    except SymgradError:
        pass
    else:
        assert isinstance(point, dict)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in point.items())


@FUZZ
@given(formulaish, st.text(alphabet="xyzab,= 1_", max_size=12))
def test_parse_with_wrt_raises_only_symgrad_errors(text, wrt):
    try:
        parsed = parse(text, wrt=wrt)
    except SymgradError:
        return
    names = [v.name for v in parsed.variables]
    assert len(set(names)) == len(names)
    free = set().union(*(e.free_symbols for e in parsed.exprs))
    assert free <= set(parsed.variables) | set(parsed.parameters)


# ---------------------------------------------------------------------------
# 2. sstr round trip on a grammar of valid formulas

# Names that print as themselves and read back as the same real variable.
NAMES = ["x", "y", "z", "t", "xy", "x1", "x10", "alpha", "lambda", "gamma", "beta", "N", "S", "e"]
ONE_ARG = ["sin", "cos", "tan", "asin", "atan", "sinh", "cosh", "tanh", "asinh", "exp", "log",
           "sqrt", "Abs", "sign", "erf", "gamma", "factorial", "Heaviside", "atan", "acot"]
TWO_ARG = ["atan2", "Max", "Min", "binomial", "beta", "log"]


def _leaf() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NAMES),
        st.integers(min_value=0, max_value=50).map(str),
        st.sampled_from(["pi", "E", "I", "1/2", "2/3", "oo"]),
    )


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]}){t[1]}({t[2]})"
        ),
        st.tuples(inner, st.integers(min_value=-3, max_value=4)).map(lambda t: f"({t[0]})**({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]})^({t[1]})"),
        st.tuples(st.sampled_from(ONE_ARG), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(TWO_ARG), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        inner.map(lambda s: f"-({s})"),
        st.tuples(st.integers(min_value=2, max_value=9), inner).map(lambda t: f"{t[0]}({t[1]})"),
    )


formulas = st.recursive(_leaf(), _extend, max_leaves=8)

#: Objects whose printed names the parser would read as something else.
# zoo and nan print as names parse_expression does not read; an infinite
# exponent is kept unevaluated by SymPy (pi**(-oo)) but its printed form
# 1/pi**oo evaluates (to 0), so such expressions cannot round-trip.
_UNPRINTABLE = (sp.zoo, sp.nan, sp.EulerGamma, sp.Catalan, sp.GoldenRatio, sp.AccumBounds)


@pytest.mark.slow
@FUZZ
@given(formulas)
def test_sstr_round_trip(text):
    expr = parses_or_refuses(text)
    assume(expr is not None)
    assume(not expr.has(*_UNPRINTABLE))
    assume(not expr.atoms(sp.polygamma, sp.loggamma, sp.LambertW))
    assume(not any(p.exp.has(sp.oo, -sp.oo) for p in expr.atoms(sp.Pow)))
    printed = sp.sstr(expr)
    again = parse_expression(printed)
    # SymPy keeps some forms unevaluated that its printed text does not
    # reproduce ((1/2)**(-x) prints as 1/2**(-x), which reads back as 2**x):
    # then the two must still be the same function
    assert again == expr or sp.simplify(again - expr) == 0, (text, printed)


@pytest.mark.parametrize(
    "text",
    [
        "2x^2 + 3(x+1)",
        "sin(x)**2 + cos(x)**2",
        "sqrt(x**2 + y**2)",
        "exp(-x/2)/sqrt(2*pi)",
        "atan2(y, x) + Max(x, y, 1)",
        "x**(1/3) - y**(-2/3)",
        "(x+1)(x-1)/(x**2+1)",
        "lambda*exp(-lambda*t)",
        "gamma*gamma(x) + beta(x, y)",
        "log(x, 2) + log10(y)",
        "Abs(x - y) + sign(x)",
        "I*x + E**y + pi",
        "x/oo + oo*y",
        "binomial(x, 3) + factorial(y)",
        "-x**2 + (-x)**3",
        "Heaviside(x - 1, 1/2)",
    ],
)
def test_sstr_round_trip_examples(text):
    expr = parse_expression(text)
    assert parse_expression(sp.sstr(expr)) == expr
