"""The special functions of the function table: parsing, values and derivatives.

Every special function is in the corpus (:mod:`special_corpus`); its value
and its gradient at a point are checked against mpmath alone: the value
against mpmath's own implementation of the function, the derivatives
against mpmath's finite differences (``mpmath.diff``) of that function at
40 digits, so neither depends on SymPy's derivative formulas.
"""

from __future__ import annotations

import mpmath as mp
import pytest
import sympy as sp
from special_corpus import ALIASES, CORPUS, function_name

import symgrad
from symgrad.errors import EvaluationError, ExitCode, ParseError, UnknownDerivativeError
from symgrad.limits import MAX_SPECIAL_ORDER, ExactSizeError
from symgrad.parsing import parse
from symgrad.parsing.functions import FUNCTIONS, SPECIAL_FUNCTIONS

SLOW = {"elliptic_pi", "elliptic_f", "expint_real_order", "uppergamma", "lowergamma", "appellf1"}


def cases() -> list[object]:
    return [pytest.param(c, marks=pytest.mark.slow) if c in SLOW else c for c in CORPUS]


def variables(point: dict[str, str]) -> list[str]:
    return [v for v in ("x", "y") if v in point]


def test_corpus_has_every_special_function():
    called = {function_name(formula) for formula, _, _ in CORPUS.values()}
    called |= {function_name(f) for f in ("zeta(x)",)}  # zeta(s): see test_refused
    assert set(SPECIAL_FUNCTIONS) - set(ALIASES) <= called | {"zeta"}
    assert set(ALIASES) <= set(SPECIAL_FUNCTIONS)


@pytest.mark.parametrize("case", cases())
def test_value_and_gradient_match_mpmath(case):
    formula, point, oracle = CORPUS[case]
    wrt = variables(point)
    g = symgrad.gradient(formula, wrt=wrt)
    exact = g.at(point)
    assert exact.exact
    mp.mp.dps = 40
    try:
        args = [mp.mpf(sp.Rational(v).p) / sp.Rational(v).q for v in point.values()]
        names = list(point)
        expected_value = oracle(*args)
        value = mp.mpf(str(sp.N(exact.function[0], 35)))
        assert abs(value - expected_value) <= mp.mpf(10) ** -25 * max(1, abs(expected_value))
        for k, var in enumerate(wrt):
            i = names.index(var)

            def along(t, i=i):
                shifted = list(args)
                shifted[i] = t
                return oracle(*shifted)

            expected = mp.diff(along, args[i])
            got = mp.mpf(str(sp.N(exact.gradient[k], 35)))
            assert abs(got - expected) <= mp.mpf(10) ** -20 * max(1, abs(expected)), (case, var)
    finally:
        mp.mp.dps = 15
    # decimal inputs: the same values in double precision
    floats = g.at({k: float(sp.Rational(v)) for k, v in point.items()})
    for got, want in zip(floats.gradient, exact.gradient):
        assert float(got) == pytest.approx(float(sp.N(want, 20)), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_is_the_same_function(alias):
    with_alias, plain = ALIASES[alias]
    assert parse(with_alias).exprs == parse(plain).exprs


@pytest.mark.parametrize("name", SPECIAL_FUNCTIONS)
def test_argument_counts_are_checked(name):
    known = FUNCTIONS[name]
    too_many = ", ".join(["x"] * ((known.max_args or 9) + 1))
    with pytest.raises(ParseError, match=rf"{name}\(\) takes"):
        parse(f"{name}({too_many})")
    if known.min_args > 1:
        with pytest.raises(ParseError, match=rf"{name}\(\) takes"):
            parse(f"{name}({', '.join(['x'] * (known.min_args - 1))})")


@pytest.mark.parametrize(
    "formula", ["legendre(N, x)", "hermite(N, x)", "besselj(N/2, x)", "polygamma(N, x)", "zeta(N, x)",
                "uppergamma(N, x)", "jacobi(N, 1, 2, x)", "polylog(-N, x)"]
)
def test_orders_beyond_the_limit_are_refused(formula):
    big = formula.replace("N", str(2 * MAX_SPECIAL_ORDER + 1))
    with pytest.raises(ExactSizeError, match="too large"):
        parse(big)
    ok = formula.replace("N", "3")
    parse(ok)  # a small order is fine
    if formula.startswith("uppergamma"):
        return  # its derivative, -x**(n - 1)*exp(-x), holds no uppergamma
    # the same order given at a point, as a parameter's value
    g = symgrad.gradient(formula.replace("N", "n"), wrt="x")
    with pytest.raises(EvaluationError, match="too large to compute exactly"):
        g.at(n=2 * MAX_SPECIAL_ORDER + 1, x=sp.Rational(1, 3))


@pytest.mark.parametrize(
    ("formula", "wrt", "shown", "var"),
    [
        ("besselj(nu, x)", "nu,x", "besselj(nu, x)", "nu"),
        ("besselj(x*y, y)", "x,y", "besselj(x*y, y)", "x"),
        ("zeta(s)", "s", "zeta(s)", "s"),
        ("hyp2f1(a, 1, 2, x)", "a,x", "hyper((1, a), (2,), x)", "a"),
        ("legendre(n, x)", "n,x", "legendre(n, x)", "n"),
        ("LambertW(x, k)", "k,x", "LambertW(x, k)", "k"),
    ],
)
def test_refused_derivatives_name_the_function_and_variable(formula, wrt, shown, var):
    with pytest.raises(UnknownDerivativeError) as info:
        symgrad.gradient(formula, wrt=wrt)
    assert info.value.exit_code == ExitCode.MATH
    assert f"the derivative of {shown} with respect to {var} is not known" in str(info.value)


def test_refusal_on_the_command_line(cli):
    result = cli("besselj(nu, x)")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: the derivative of besselj(nu, x) with respect to nu")
    assert "Derivative(" not in result.stderr
    ok = cli("besselj(nu, x)", "--wrt", "x")
    assert ok.exit_code == 0
    assert "Derivative" not in ok.stdout


def test_hessian_of_a_special_function_matches_mpmath():
    g = symgrad.hessian("besselj(2, x)*airyai(y)")
    h = g.at(x=sp.Rational(3, 2), y=sp.Rational(-1, 2)).hessian
    mp.mp.dps = 40
    try:
        f = lambda x, y: mp.besselj(2, x) * mp.airyai(y)
        x0, y0 = mp.mpf(3) / 2, mp.mpf(-1) / 2
        for i, j, orders in ((0, 0, (2, 0)), (0, 1, (1, 1)), (1, 1, (0, 2))):
            expected = mp.diff(f, (x0, y0), orders)
            assert abs(mp.mpf(str(sp.N(h[i][j], 35))) - expected) < mp.mpf(10) ** -20
    finally:
        mp.mp.dps = 15


def test_a_derivative_of_diracdelta_reads_back_as_symgrad_writes_it():
    """``DiracDelta(x, k)`` (its k-th derivative) is read as written; a bad order is refused."""
    x = sp.Symbol("x", real=True)
    written = str(symgrad.gradient("DiracDelta(x)", wrt="x").first[0][0])
    assert written == "DiracDelta(x, 1)"
    assert parse(written).exprs[0] == sp.DiracDelta(x, 1)
    with pytest.raises(ParseError, match="non-negative integer, y given"):
        parse("DiracDelta(x, y)")
    with pytest.raises(ExactSizeError):
        parse("DiracDelta(x, 500)")
