"""--check: Richardson-extrapolated central differences against symbolic derivatives."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symgrad
from symgrad.analysis._numeric import mp_function, working_precision
from symgrad.analysis.check import check, numeric_derivative, relative_error, richardson
from symgrad.errors import EvaluationError
from symgrad.calculus import Derivatives


def entries(report, point=0):
    return {e.entry: e for e in report.points[point].entries}


def test_gradient_and_hessian_agree_at_a_point():
    # f = x^3 y: grad (3x^2 y, x^3) = (6, 1) at (1, 2); H = [[6xy, 3x^2], [3x^2, 0]] = [[12, 3], [3, 0]]
    report = check(symgrad.hessian("x**3*y"), [{"x": "1", "y": "2"}])
    got = entries(report)
    expected = {"df/dx": 6, "df/dy": 1, "d2f/dx^2": 12, "d2f/dxdy": 3, "d2f/dy^2": 0}
    assert {k: float(e.symbolic) for k, e in got.items()} == expected
    for name, value in expected.items():
        assert abs(float(got[name].numeric) - value) < 1e-12
        assert got[name].relative_error < 1e-30
    assert report.passed and report.failures == ()


def test_jacobian_entries_are_checked():
    # F = (x y, sin(x) + y^2): J = [[y, x], [cos x, 2y]]
    report = check(symgrad.jacobian("x*y", "sin(x) + y**2"), [{"x": "0.5", "y": "-1"}])
    got = entries(report)
    assert list(got) == ["df1/dx", "df1/dy", "df2/dx", "df2/dy"]
    assert float(got["df2/dx"].numeric) == pytest.approx(float(mpmath.cos(0.5)), rel=1e-14)
    assert report.passed


def test_a_wrong_derivative_is_caught_with_its_relative_error():
    good = symgrad.gradient("x**2*y")
    x, y = good.variables
    wrong = Derivatives(good.parsed, ((2 * x * y, x**2 * sp.Rational(10001, 10000)),))
    report = check(wrong, [{"x": "1", "y": "2"}], tolerance=1e-8)
    got = entries(report)
    assert got["df/dx"].ok
    assert not got["df/dy"].ok
    # symbolic 1.0001, numeric 1: |1.0001 - 1| / 1.0001
    assert got["df/dy"].relative_error == pytest.approx(0.0001 / 1.0001, rel=1e-9)
    assert not report.passed
    assert [e.entry for _, e in report.failures] == ["df/dy"]


def test_richardson_matches_mpmath_on_exp():
    with working_precision():
        f = lambda p: mpmath.exp(p[0]) * mpmath.sin(p[1])  # noqa: E731
        for wrt, oracle in (((0,), mpmath.e * mpmath.sin(2)), ((1, 1), -mpmath.e * mpmath.sin(2)),
                            ((0, 1), mpmath.e * mpmath.cos(2))):
            value, _ = numeric_derivative(f, [mpmath.mpf(1), mpmath.mpf(2)], wrt)
            assert abs(value - oracle) < mpmath.mpf(10) ** -35


@pytest.mark.parametrize("x", ["1e-7", "1e6", "-3e-4"])
def test_step_is_relative_to_the_variable(x):
    # d/dx log|x| = 1/x, at scales where a fixed absolute step fails
    report = check(symgrad.gradient("log(Abs(x))"), [{"x": x}])
    (entry,) = report.points[0].entries
    assert float(entry.numeric) == pytest.approx(1 / float(x), rel=1e-14)
    assert entry.ok


def test_richardson_cancels_the_error_series():
    # estimate(h) = 5 + h^2 + h^4 extrapolates to 5 exactly (up to rounding)
    with working_precision():
        value, err = richardson(lambda h: 5 + h**2 + h**4, mpmath.mpf(1))
        assert abs(value - 5) < mpmath.mpf(10) ** -40


def test_relative_error_conventions():
    assert relative_error(mpmath.mpf(0), mpmath.mpf(0)) == 0
    assert relative_error(mpmath.mpf(2), mpmath.mpf(1)) == 0.5
    assert relative_error(mpmath.mpf(0), mpmath.mpf("1e-40"), floor=mpmath.mpf("1e-15")) < 1e-20
    assert relative_error(mpmath.nan, mpmath.mpf(1)) == float("inf")


def test_random_points_are_seeded_and_inside_the_box():
    derivs = symgrad.gradient("x*y + sin(x)")
    a = check(derivs, box=(-1, 3), seed=7)
    b = check(derivs, box=(-1, 3), seed=7)
    c = check(derivs, box=(-1, 3), seed=8)
    where = lambda r: [p.at for p in r.points]  # noqa: E731
    assert where(a) == where(b) != where(c)
    assert len(a.points) == 3
    for p in a.points:
        assert p.random
        assert all(-1 <= float(v) <= 3 for _, v in p.at)


def test_random_points_avoid_where_the_formula_is_undefined():
    report = check(symgrad.gradient("log(x) + sqrt(y)"), seed=1)
    for p in report.points:
        values = dict(p.at)
        assert values["x"] > 0 and values["y"] > 0
    assert report.passed


def test_no_defined_point_is_an_error():
    with pytest.raises(EvaluationError, match="no point in the box"):
        check(symgrad.gradient("sqrt(-1 - x**2)"))


def test_parameters_are_held_fixed():
    # a is a parameter: df/dx = 2 a x = 12 at x=2, a=3
    report = check(symgrad.gradient("a*x**2", wrt="x"), [{"x": "2", "a": "3"}])
    (entry,) = report.points[0].entries
    assert float(entry.symbolic) == 12 and entry.ok


def test_functions_mpmath_lacks_fall_back_to_evalf():
    x = sp.Symbol("x", real=True)
    with working_precision():
        f = mp_function(sp.DiracDelta(x - 5) + x**2, [x])
        assert f([mpmath.mpf(3)]) == 9


def test_complex_variables_check_complex_values():
    # f = e^{ix} y: df/dx = i e^{ix} y = 2i e^{i} at (1, 2)
    report = check(symgrad.gradient("exp(I*x)*y", real=False), [{"x": "1", "y": "2"}])
    got = entries(report)
    expected = 2j * complex(mpmath.exp(1j))
    assert complex(got["df/dx"].numeric) == pytest.approx(expected, rel=1e-14)
    assert got["df/dx"].relative_error < 1e-30 and report.passed
    # with real variables the same formula has no real value to check
    with pytest.raises(EvaluationError):
        check(symgrad.gradient("exp(I*x)*y"))
