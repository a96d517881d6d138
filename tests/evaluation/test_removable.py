"""Values at removable singularities: the limit where it provably exists, else undefined.

The oracle is independent of SymPy's ``limit``: each entry's own formula is
evaluated with mpmath at 150 digits at points 1e-25 beside the singular one,
from several sides, and those values must agree with the reported limit.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symgrad
from symgrad.evaluation.exact import _Substituter
from symgrad.evaluation.removable import _cancelled_value

STEP = mpmath.mpf("1e-25")


def near_values(expr, point, directions):
    """``expr`` (SymPy) at ``point + STEP*d`` for each direction ``d``, with mpmath at 150 digits (the formulas cancel catastrophically there)."""
    symbols = sorted(point, key=str)
    function = sp.lambdify(symbols, expr, modules="mpmath")
    with mpmath.workdps(150):
        return [function(*(mpmath.mpf(sp.Rational(point[s])) + STEP * d.get(s.name, 0) for s in symbols))
                for d in directions]


def assert_is_the_limit(entry, value, point, directions):
    for near in near_values(entry, point, directions):
        assert abs(near - mpmath.mpf(sp.N(value, 30))) < mpmath.mpf("1e-10"), (entry, value, near)


ONE_VARIABLE = [
    ("sin(x)/x", {"x": 0}),
    ("sinc(x)", {"x": 0}),
    ("(1 - cos(x))/x**2", {"x": 0}),
    ("(x**2 - 1)/(x - 1)", {"x": 1}),
    ("log(1 + x)/x", {"x": 0}),
    ("atan(x)/x", {"x": 0}),
    pytest.param("x/tan(x)", {"x": 0}, marks=pytest.mark.slow),
    pytest.param("(exp(x) - 1)/x", {"x": 0}, marks=pytest.mark.slow),
]


@pytest.mark.parametrize("formula, at", ONE_VARIABLE)
def test_one_variable_removable_singularity_gives_the_limit(formula, at):
    h = symgrad.hessian(formula)
    p = h.at(**at)
    assert p.problems == ()
    assert "df/dx" in p.limits and set(p.limits) <= {"f", "df/dx", "d2f/dx^2"}
    point = {sp.Symbol("x", real=True): at["x"]}
    sides = [{"x": 1}, {"x": -1}, {"x": 3}]
    assert_is_the_limit(h.parsed.exprs[0], p.value, point, sides)
    assert_is_the_limit(h.gradient[0], p.gradient[0], point, sides)
    assert_is_the_limit(h.hessian[0][0], p.hessian[0][0], point, sides)


def test_limits_are_exact_for_exact_points_and_floats_for_decimals():
    assert symgrad.hessian("sin(x)/x").at(x=0).hessian == ((sp.Rational(-1, 3),),)
    (value,), = symgrad.hessian("sin(x)/x").at(x=0.0).hessian
    assert isinstance(value, sp.Float) and float(value) == pytest.approx(-1 / 3, rel=1e-15)


def test_a_point_where_the_formula_has_a_value_is_no_limit():
    p = symgrad.gradient("sin(x)/x").at(x=1)
    assert p.limits == ()
    assert p.gradient == (sp.cos(1) - sp.sin(1),)


def test_several_variables_separable_product_and_sum():
    # a*sin(x)/x: f -> a, df/da -> 1, df/dx -> 0, d2f/dx2 -> -a/3
    h = symgrad.hessian("a*sin(x)/x", wrt="a,x")
    p = h.at(a=2, x=0)
    assert p.problems == ()
    assert p.value == 2 and p.gradient == (1, 0)
    assert p.hessian == ((0, 0), (0, sp.Rational(-2, 3)))
    # the terms m(a, y) * c(x) are collected by x
    q = symgrad.hessian("a*sin(x)/x + y*(1 - cos(x))/x**2", wrt="a,x,y").at(a=2, x=0, y=1)
    assert q.problems == ()
    assert q.hessian[1][1] == sp.Rational(-3, 4)  # -2/3 - 1/12
    a, x, y = (sp.Symbol(n, real=True) for n in "axy")
    point = {a: 2, x: 0, y: 1}
    entry = symgrad.hessian("a*sin(x)/x + y*(1 - cos(x))/x**2", wrt="a,x,y").hessian[1][1]
    assert_is_the_limit(entry, q.hessian[1][1], point, [{"x": 1}, {"x": -1}, {"x": 1, "y": 1, "a": -1}])


def test_cancelled_rational_function_gives_the_limit_in_several_variables():
    # (x**2 - y**2)/(x - y) = x + y away from x = y
    p = symgrad.gradient("(x**2 - y**2)/(x - y)").at(x=1, y=1)
    assert p.problems == () and p.gradient == (1, 1) and p.value == 2


def test_no_limit_is_not_invented():
    # x*y/(x**2+y**2) has a different limit along every line through 0
    p = symgrad.gradient("x*y/(x**2 + y**2)").at(x=0, y=0)
    assert p.limits == ()
    assert [q.entry for q in p.problems] == ["df/dx", "df/dy"]
    # 1/x is a pole
    assert symgrad.gradient("1/x").at(x=0).limits == ()
    # a cancelled form with sign in it is not trusted to be continuous
    x = sp.Symbol("x", real=True)
    at_one = _Substituter({x: sp.Integer(1)})
    assert _cancelled_value(sp.sign(x) * (x**2 - 1) / (x - 1), at_one) is None
    assert _cancelled_value((x**2 - 1) / (x - 1), at_one) == 2


def test_a_derivative_of_a_function_with_a_jump_is_undefined_although_its_formula_has_a_limit():
    # atan(y/x) jumps from -pi/2 to pi/2 across x = 0; its derivative formula
    # -y/(x**2*(1 + y**2/x**2)) tends to -1 at (0, 1), but f has no value there
    p = symgrad.gradient("atan(y/x)").at(x=0, y=1)
    assert p.limits == ()
    assert {q.entry for q in p.problems} == {"df/dx", "df/dy"}


def test_several_variables_not_separable_stay_undefined():
    # sin(x*y)/(x*y) at (0, 1) does have limit 1, but no rule here proves it: undefined, not guessed
    p = symgrad.gradient("sin(x*y)/(x*y)").at(x=0, y=1)
    assert p.limits == ()
    assert len(p.problems) == 2


def test_parameters_get_their_values_before_the_limit():
    p = symgrad.gradient("a*sin(x)/x", wrt="x").at(x=0, a=5)
    assert p.gradient == (0,) and p.value == 5 and "df/dx" in p.limits


def test_cli_reports_no_error_for_a_limit(cli):
    result = cli("sin(x)/x", "--at", "x=0", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Error" not in result.stderr


def test_when_the_time_for_limits_is_spent_the_entries_stay_undefined(monkeypatch):
    from symgrad.evaluation import exact

    monkeypatch.setattr(exact, "POINT_LIMIT_SECONDS", 0.0)
    p = symgrad.gradient("sin(x)/x").at(x=0)
    assert p.limits == ()
    assert [q.entry for q in p.problems] == ["df/dx"]


def test_cli_says_which_values_are_limits(cli):
    import json

    result = cli("sin(x)/x", "--at", "x=0", "--format", "json")
    (point,) = json.loads(result.stdout)["points"]
    assert point["limits"] == ["f", "df/dx"] and point["value"] == 1 and point["gradient"] == [0]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert any("df/dx at x=0 is a limit" in line for line in warnings)


def test_a_decimal_point_whose_value_is_beyond_a_double_is_finite(cli):
    """exp(1000.0) is about 1.97e434: finite, not 'infinite'; every form writes its digits."""
    import json
    from decimal import Decimal

    p = symgrad.gradient("exp(x)").at(x=1000.0)
    assert p.problems == ()
    doc = json.loads(cli("exp(x)", "--at", "x=1000.0", "--format", "json").stdout, parse_float=Decimal)
    (point,) = doc["points"]
    with mpmath.workdps(30):
        exact = mpmath.exp(1000)
    assert abs(mpmath.mpf(str(point["gradient"][0])) / exact - 1) < 1e-15
    for fmt in ("text", "latex", "pretty"):
        result = cli("exp(x)", "--at", "x=1000.0", "--format", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "inf" not in result.stdout and "1.970071114017047" in result.stdout


def test_an_exact_value_beyond_a_double_has_its_decimal_in_pretty(cli):
    result = cli("exp(x)", "--at", "x=1000", "--format", "pretty", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert "≈ 1.970071114017047e+434" in result.stdout


def test_values_come_from_the_raw_derivatives_so_a_cancelled_singularity_is_seen():
    # tidy writes d/dx atan(y/x) as -y/(x**2 + y**2), which has a value at (0, 1);
    # atan(y/x) has none there, and neither has its derivative
    g = symgrad.gradient("atan(y/x)")
    x, y = g.variables
    assert g.gradient[0] == -y / (x**2 + y**2)
    p = g.at(x=0, y=1)
    assert {q.entry for q in p.problems} == {"df/dx", "df/dy"}
    assert all("f itself has no value there" in q.reason for q in p.problems)
    # a removable one cancelled by tidy is still found, and said to be a limit
    q = symgrad.gradient("(x**2 - 1)/(x - 1)").at(x=1)
    assert q.gradient == (1,) and "df/dx" in q.limits
