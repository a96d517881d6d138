"""--taylor: Taylor polynomials against hand-derived expansions and SymPy's series."""

from __future__ import annotations

import pytest
import sympy as sp

import symgrad
from symgrad.analysis.taylor import taylor
from symgrad.errors import AnalysisError, VariableError

x, y, a = sp.symbols("x y a", real=True)


def test_order_two_by_hand():
    # f = e^x y at (0, 1): f = 1, f_x = 1, f_y = 1, f_xx = 1, f_xy = 1, f_yy = 0
    t = taylor(symgrad.gradient("exp(x)*y"), {"x": "0", "y": "1"}, 2)
    assert sp.sstr(t.structured, order="none") == "1 + x + (y - 1) + x**2/2 + x*(y - 1)"
    assert sp.expand(t.polynomial - (x**2 / 2 + x * y + y)) == 0
    assert dict(t.coefficients)[(1, 1)] == 1
    assert dict(t.coefficients)[(0, 2)] == 0


def test_a_polynomial_is_its_own_taylor_polynomial():
    f = "x**3*y + 2*y**2 - x + 7"
    t = taylor(symgrad.gradient(f), {"x": "2", "y": "-1"}, 4)
    assert sp.expand(t.polynomial - (x**3 * y + 2 * y**2 - x + 7)) == 0
    # one order short loses exactly the degree-4 term x^3 y, rewritten around (2, -1)
    t3 = taylor(symgrad.gradient(f), {"x": "2", "y": "-1"}, 3)
    assert sp.expand(t.polynomial - t3.polynomial - (x - 2) ** 3 * (y + 1)) == 0


@pytest.mark.parametrize("order", range(0, 7))
def test_one_variable_matches_sympy_series(order):
    center = sp.pi / 3
    t = taylor(symgrad.gradient("cos(x)"), {"x": "pi/3"}, order)
    series = sp.series(sp.cos(x), x, center, order + 1).removeO()
    assert sp.simplify(t.polynomial - series) == 0


def test_sine_at_zero():
    t = taylor(symgrad.gradient("sin(x)"), {"x": "0"}, 5)
    assert t.polynomial == x - x**3 / 6 + x**5 / 120


def test_order_zero_is_the_value():
    t = taylor(symgrad.gradient("x*y + 1"), {"x": "2", "y": "3"}, 0)
    assert t.polynomial == 7


def test_parameters_take_their_values():
    # a x^2 at x=1, a=2: 2 + 4 (x-1) + 2 (x-1)^2 = 2 x^2
    t = taylor(symgrad.gradient("a*x**2", wrt="x"), {"x": "1", "a": "2"}, 2)
    assert sp.expand(t.polynomial) == 2 * x**2
    assert t.variables == (x,)


def test_decimal_point_gives_floats():
    t = taylor(symgrad.gradient("exp(x)"), {"x": "0.5"}, 1)
    coefficients = dict(t.coefficients)
    assert isinstance(coefficients[(0,)], sp.Float)
    assert float(coefficients[(1,)]) == pytest.approx(1.6487212707001282, rel=1e-15)


def test_undefined_coefficients_are_problems():
    t = taylor(symgrad.gradient("1/x + y"), {"x": "0", "y": "1"}, 1)
    assert [p.entry for p in t.problems] == ["taylor f", "taylor d1f/dx"]


def test_errors():
    with pytest.raises(AnalysisError, match="scalar"):
        taylor(symgrad.jacobian("x", "y"), {"x": "0", "y": "0"}, 1)
    with pytest.raises(AnalysisError, match="0 to 6"):
        taylor(symgrad.gradient("x"), {"x": "0"}, 7)
    with pytest.raises(VariableError, match="no value for y"):
        taylor(symgrad.gradient("x*y"), {"x": "0"}, 1)


def test_taylor_of_a_power_with_a_parameter_exponent_at_zero():
    # x**n with n = 2 is x**2: its expansion at 0 is itself. The derivatives
    # are merged powers (n*(n-1)*x**(n-2)), not 0/0 at x = 0.
    t = taylor(symgrad.gradient("x**n", wrt="x"), {"x": "0", "n": "2"}, 3)
    assert t.problems == ()
    assert t.polynomial == sp.Symbol("x", real=True) ** 2
