"""Evaluating derivatives at points: exactness, inputs, errors, problems."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import symgrad
from symgrad import (
    EvaluationError,
    ExitCode,
    PointError,
    SymgradError,
    VariableError,
)
from symgrad.evaluation.exact import evaluate
from symgrad.results import LargeReal, Problem, plain

x, y, z = sp.symbols("x y z", real=True)


def plains(values):
    return [plain(v) for v in values]


# ---------------------------------------------------------------------------
# Exact inputs give exact results


def test_exact_inputs_give_exact_results():
    p = symgrad.gradient("sin(x)*y").at(x="pi/4", y=2)
    assert p.exact is True
    # d/dx = y cos x = 2 * sqrt(2)/2, d/dy = sin x = sqrt(2)/2
    assert p.gradient == (sp.sqrt(2), sp.sqrt(2) / 2)
    assert p.problems == ()
    assert plains(p.gradient) == [pytest.approx(math.sqrt(2)), pytest.approx(math.sqrt(2) / 2)]


def test_ints_stay_ints():
    p = symgrad.gradient("x**2 + y*z").at(x=1, y=2, z=3)
    assert p.gradient == (2, 3, 2)
    values = plains(p.gradient)
    assert values == [2, 3, 2]
    assert all(type(v) is int for v in values)


def test_exact_rational_results():
    p = symgrad.gradient("x**3/3 + x*y").at(x="1/3", y=Fraction(1, 2))
    # d/dx = x^2 + y = 1/9 + 1/2, d/dy = x = 1/3
    assert p.gradient == (sp.Rational(11, 18), sp.Rational(1, 3))
    assert p.exact
    assert plain(p.gradient[0]) == pytest.approx(11 / 18)
    assert isinstance(plain(p.gradient[0]), float)


def test_exact_symbolic_values():
    p = symgrad.gradient("exp(x)*y").at(x="log(2)", y="sqrt(3)")
    assert p.gradient == (2 * sp.sqrt(3), 2)
    assert type(plain(p.gradient[1])) is int


def test_exact_hessian_values():
    p = symgrad.hessian("x**2*y**3").at(x=2, y=-1)
    # fxx = 2y^3, fxy = 6xy^2, fyy = 6x^2 y
    assert p.hessian == ((-2, 12), (12, -24))
    assert p.gradient == (-4, 12)


def test_big_exact_integers_within_limits_stay_exact():
    p = symgrad.gradient("x**1000").at(x=2)
    assert p.gradient == (1000 * sp.Integer(2) ** 999,)
    assert plain(p.gradient[0]) == 1000 * 2**999


# ---------------------------------------------------------------------------
# Decimal inputs give floats


def test_decimal_inputs_give_floats():
    p = symgrad.gradient("x**2 + y*z").at(x=1.5, y=2.5, z=-0.5)
    assert p.exact is False
    assert all(isinstance(v, sp.Float) for v in p.gradient)
    assert plains(p.gradient) == [3.0, -0.5, 2.5]
    assert all(type(v) is float for v in plains(p.gradient))


def test_decimal_results_are_double_precision():
    p = symgrad.gradient("x**3").at(x=0.1)
    value = p.gradient[0]
    assert isinstance(value, sp.Float)
    assert value._prec == 53
    # computed from the binary value of 0.1 with extra digits, then rounded:
    # the correctly rounded 3*x^2, not Python's 3*0.1**2 (0.030000000000000006)
    expected = float(3 * Fraction(0.1) ** 2)
    assert float(value) == expected
    assert expected != 3 * 0.1**2


def test_decimal_string_inputs():
    p = symgrad.gradient("x*y").at(x="0.25", y="1e-3")
    assert p.exact is False
    assert plains(p.gradient) == [pytest.approx(1e-3, rel=1e-15), 0.25]


def test_mixing_int_and_decimal_gives_floats_everywhere():
    p = symgrad.gradient("x**2 + y").at(x=2, y=0.5)
    assert p.exact is False
    # even the entry that depends only on the int, and the constant one
    assert all(isinstance(v, sp.Float) for v in p.gradient)
    assert plains(p.gradient) == [4.0, 1.0]
    assert all(type(v) is float for v in plains(p.gradient))


def test_mixing_exact_expression_and_decimal():
    p = symgrad.gradient("sin(x)*y").at(x="pi/6", y=0.5)
    assert p.exact is False
    assert plains(p.gradient) == [pytest.approx(0.5 * math.cos(math.pi / 6), rel=1e-15), 0.5]


def test_constant_entries_are_floats_in_float_mode():
    p = symgrad.hessian("x**2 + 3*y").at(x=1.0, y=2.0)
    assert p.hessian == ((2.0, 0.0), (0.0, 0.0))
    for row in p.hessian:
        for v in row:
            assert isinstance(v, sp.Float)


@pytest.mark.parametrize(
    "value, exact, expected",
    [
        (3, True, 6),
        (Fraction(3, 4), True, 1.5),
        ("3/4", True, 1.5),
        ("pi/4", True, math.pi / 2),
        (sp.Rational(3, 4), True, 1.5),
        (sp.pi / 4, True, math.pi / 2),
        (sp.sqrt(2), True, 2 * math.sqrt(2)),
        (0.75, False, 1.5),
        ("0.75", False, 1.5),
        ("75e-2", False, 1.5),
        (sp.Float(0.75), False, 1.5),
        (Decimal("0.75"), False, 1.5),
    ],
)
def test_input_types(value, exact, expected):
    p = symgrad.gradient("x**2").at(x=value)
    assert p.exact is exact
    got = plain(p.gradient[0])
    assert got == pytest.approx(expected, rel=1e-15)
    if exact:
        assert not p.gradient[0].has(sp.Float)
    else:
        assert isinstance(p.gradient[0], sp.Float)
        assert type(got) is float


def test_numpy_inputs():
    g = symgrad.gradient("x**2 + y")
    p = g.at(x=np.int64(3), y=np.int32(1))
    assert p.exact is True  # numpy integers are exact integers
    assert p.gradient == (6, 1)
    assert all(type(v) is int for v in plains(p.gradient))
    q = g.at(x=np.float64(1.5), y=np.float32(0.5))
    assert q.exact is False
    assert plains(q.gradient) == [3.0, 1.0]
    for bad in (np.bool_(True), np.float64("nan"), np.float64("inf")):
        with pytest.raises(PointError):
            g.at(x=bad, y=1)


def test_fraction_input_exact_value():
    p = symgrad.gradient("1/x").at(x=Fraction(2, 3))
    assert p.gradient == (sp.Rational(-9, 4),)


def test_point_as_mapping_and_at_echo():
    g = symgrad.gradient("a*x + y", wrt="y,x")
    p = g.at({"x": 2, "a": "1/2"}, y=0.5)
    # variables first (in wrt order), then parameters
    assert [s.name for s, _ in p.at] == ["y", "x", "a"]
    assert p.point == {"y": sp.Float(0.5), "x": 2, "a": sp.Rational(1, 2)}
    assert plains(p.gradient) == [1.0, 0.5]


def test_evaluate_function_matches_at():
    g = symgrad.gradient("x*y")
    assert evaluate(g, {"x": 3, "y": 4}) == g.at(x=3, y=4)


def test_evaluation_of_constant_formula():
    p = symgrad.gradient("2 + 3").at()
    assert p.gradient == ()
    assert p.problems == ()


# ---------------------------------------------------------------------------
# Missing, unknown and bad values


def test_missing_variable_is_named():
    g = symgrad.gradient("x*y + z")
    with pytest.raises(VariableError) as err:
        g.at(x=1, z=2)
    assert "y" in str(err.value)
    assert "x" not in str(err.value).split(":")[-1]
    assert err.value.exit_code == ExitCode.USAGE


def test_unknown_variable_is_named():
    g = symgrad.gradient("x*y")
    with pytest.raises(VariableError) as err:
        g.at(x=1, y=2, w=3)
    assert "'w'" in str(err.value)
    assert err.value.exit_code == 2


def test_parameters_need_values_too():
    g = symgrad.gradient("a*x**2", wrt="x")
    with pytest.raises(VariableError) as err:
        g.at(x=1)
    assert "a" in str(err.value)
    assert g.at(x=1, a=3).gradient == (6,)


def test_absent_wrt_variable_needs_a_value():
    g = symgrad.gradient("x**2", wrt="x,y")
    with pytest.raises(VariableError, match="y"):
        g.at(x=1)
    assert g.at(x=1, y=5).gradient == (2, 0)


@pytest.mark.parametrize(
    "bad",
    [
        "nan",
        "inf",
        "-inf",
        "oo",
        "zoo",
        "abc",
        "x",
        "I",
        "1 + 2*I",
        "sqrt(-1)",
        "1/0",
        "",
        "   ",
        "2 +",
        "__import__('os')",
        float("nan"),
        float("inf"),
        float("-inf"),
        True,
        False,
        None,
        complex(1, 2),
        sp.nan,
        sp.oo,
        sp.zoo,
        sp.I,
        sp.Symbol("t"),
        [1, 2],
    ],
)
def test_bad_values_are_point_errors(bad):
    g = symgrad.gradient("x*y")
    with pytest.raises(PointError) as err:
        g.at(x=bad, y=1)
    # the message names the variable whose value is bad
    assert "x" in str(err.value)
    assert err.value.exit_code == 2
    assert isinstance(err.value, SymgradError)


# ---------------------------------------------------------------------------
# Values that are not finite reals are kept and reported


def test_division_by_zero_is_zoo_with_a_problem():
    for zero in (0, 0.0, "0"):
        p = symgrad.gradient("1/x").at(x=zero)
        assert p.gradient == (sp.zoo,)
        assert plain(p.gradient[0]) == "zoo"
        assert len(p.problems) == 1
        problem = p.problems[0]
        assert isinstance(problem, Problem)
        assert problem.entry == "df/dx"
        assert problem.value == "zoo"
        assert "x=" in problem.reason
        assert "division by zero" in problem.reason


def test_only_bad_entries_are_reported():
    p = symgrad.gradient("log(x) + y**2").at(x=0, y=3)
    assert plain(p.gradient[1]) == 6
    assert [q.entry for q in p.problems] == ["df/dx"]


def test_sqrt_of_negative_gives_complex_problem():
    for point in (-1, -1.0, "-1"):
        p = symgrad.gradient("sqrt(x)").at(x=point)
        # d/dx sqrt(x) = 1/(2 sqrt(x)) = 1/(2i) = -i/2 at x = -1
        assert complex(p.gradient[0]) == pytest.approx(-0.5j)
        assert len(p.problems) == 1
        assert p.problems[0].entry == "df/dx"
        assert p.problems[0].value == "0.0-0.5j"
        assert "not a real number" in p.problems[0].reason


def test_exact_complex_value():
    p = symgrad.gradient("sqrt(x)").at(x=-1)
    assert p.gradient == (-sp.I / 2,)


@pytest.mark.parametrize("point", [0, 0.0])
def test_heaviside_and_diracdelta_at_zero_are_nan_problems(point):
    for text in ("Heaviside(x)", "DiracDelta(x)", "sign(x)"):
        p = symgrad.gradient(text).at(x=point)
        assert plain(p.gradient[0]) == "nan", text
        assert [(q.entry, q.value) for q in p.problems] == [("df/dx", "nan")]
        assert "undefined" in p.problems[0].reason


def test_heaviside_away_from_zero_has_zero_derivative():
    p = symgrad.gradient("Heaviside(x)").at(x=2)
    assert p.gradient == (0,)
    assert p.problems == ()


def test_hessian_problem_names_and_no_duplicates():
    p = symgrad.hessian("y/x").at(x=0, y=1)
    # f = y/x: fx = -y/x^2, fy = 1/x, fxx = 2y/x^3, fxy = -1/x^2, fyy = 0
    assert plain(p.hessian[1][1]) == 0
    entries = [q.entry for q in p.problems]
    assert entries == ["df/dx", "df/dy", "d2f/dx^2", "d2f/dxdy"]
    assert all(q.value == "zoo" for q in p.problems)


def test_jacobian_problem_names():
    p = symgrad.jacobian("x*y", "log(y)").at(x=1, y=0)
    assert p.jacobian == ((0, 1), (0, sp.zoo))
    assert [(q.entry, q.value) for q in p.problems] == [("df2/dy", "zoo")]


def test_vector_hessian_problem_names():
    p = symgrad.jacobian("x**2", "1/y", hessian=True).at(x=1, y=0)
    entries = [q.entry for q in p.problems]
    assert entries == ["df2/dy", "d2f2/dy^2"]


def test_vector_point_values_layout():
    p = symgrad.jacobian("x + y", "2*x", "x*y", hessian=True).at(x=2, y=3)
    assert p.gradient is None
    assert p.jacobian == ((1, 1), (2, 0), (3, 2))
    assert len(p.hessians) == 3
    assert p.hessians[2] == ((0, 1), (1, 0))
    assert p.hessians[0] == ((0, 0), (0, 0))
    with pytest.raises(AttributeError):
        p.hessian  # noqa: B018


# ---------------------------------------------------------------------------
# Outside a function's domain: a reported value, never a crash or a wrong number


@pytest.mark.parametrize("point", [-2, -2.0])
@pytest.mark.parametrize("text", ["y*loggamma(x)", "y*factorial(x)", "y*gamma(x)", "y*digamma(x)"])
def test_gamma_family_at_a_pole_is_reported(text, point):
    p = symgrad.gradient(text, wrt="x,y").at(x=point, y=1)
    # both partials involve the function at its pole
    assert {q.entry for q in p.problems} == {"df/dx", "df/dy"}
    for v in p.gradient:
        assert isinstance(plain(v), str)


@pytest.mark.parametrize("y_value", [1, 1.0])
def test_function_outside_its_domain_in_the_formula(y_value):
    # erfinv is real only on [-1, 1]; erfinv(2) has no real value
    p = symgrad.gradient("y*erfinv(2)").at(y=y_value)
    assert isinstance(plain(p.gradient[0]), str)
    assert [q.entry for q in p.problems] == ["df/dy"]


def test_zero_factor_does_not_hide_a_pole_in_float_mode():
    # d/dx binomial(x, 2) = x - 1/2, which is -1/2 at x = 0; SymPy's form
    # (polygamma difference times binomial) is 0 * pole there.  The answer
    # must be right or reported, never a silent 0.0.
    for point in (0, 0.0):
        p = symgrad.gradient("binomial(x, 2)").at(x=point)
        value = plain(p.gradient[0])
        if isinstance(value, str):
            assert [q.entry for q in p.problems] == ["df/dx"]
        else:
            assert value == pytest.approx(-0.5)
    # away from the integers it is right
    p = symgrad.gradient("binomial(x, 2)").at(x=2.5)
    assert plain(p.gradient[0]) == pytest.approx(2.0)


@pytest.mark.parametrize("text", ["Abs(x)", "re(x)", "conjugate(x)", "sign(x)*y"])
def test_complex_non_holomorphic_formula_is_refused_not_a_crash(text):
    # With complex variables these functions have no complex derivative
    # (SymPy would leave a Derivative object): refused up front, exit 2.
    from symgrad.errors import ParseError

    with pytest.raises(ParseError, match="not holomorphic in x"):
        symgrad.gradient(text, real=False, wrt="x,y")


@pytest.mark.parametrize("point", [(Fraction(3, 2), Fraction(-1, 2)), (1.5, -0.5)])
def test_hessian_of_abs_of_quotient_has_values(point):
    # |x/y| = -x/y near (1.5, -0.5): fx = -1/y, fy = x/y^2, fxx = 0,
    # fxy = 1/y^2, fyy = -2x/y^3
    px, py = point
    p = symgrad.hessian("Abs(x/y)").at(x=px, y=py)
    assert p.problems == ()
    assert plains(p.gradient) == [2, 6]
    assert [plains(row) for row in p.hessian] == [[0, 4], [4, 24]]


def test_hessian_of_abs_with_reciprocal_power():
    # Abs(1 + x**-2) = 1 + x**-2: second derivative 6/x^4, at x = 1: 6 (+2)
    p = symgrad.hessian("x**2 + Abs(1 + x**-2)").at(x=1)
    assert p.problems == ()
    assert p.gradient == (0,)
    assert p.hessian == ((8,),)


# ---------------------------------------------------------------------------
# Huge exact results are refused; floats overflow to inf


def test_huge_exact_power_is_refused():
    g = symgrad.gradient("x**20000")
    with pytest.raises(EvaluationError) as err:
        g.at(x=2)
    assert err.value.exit_code == ExitCode.MATH == 1
    assert "df/dx" in str(err.value)


@pytest.mark.slow
def test_giant_exact_power_is_refused_without_computing_it():
    # x**(10**10) at x = 2 would be a 10-billion-bit integer; the guard must
    # refuse it before Python tries. Run in a child with a memory cap so a
    # missing guard fails this test instead of exhausting the machine.
    code = (
        "import resource, symgrad\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "g = symgrad.gradient('x**(10**10)')\n"
        "try:\n"
        "    g.at(x=2)\n"
        "except symgrad.EvaluationError as err:\n"
        "    print('refused', err.exit_code, str(err))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused 1 "), done.stdout
    assert "df/dx" in done.stdout


def test_giant_power_at_a_decimal_is_inf():
    p = symgrad.gradient("x**(10**10)").at(x=2.0)
    assert p.exact is False
    assert plain(p.gradient[0]) == "inf"
    assert [(q.entry, q.value) for q in p.problems] == [("df/dx", "inf")]
    assert "infinite" in p.problems[0].reason


def test_a_decimal_value_beyond_a_double_is_finite_not_minus_inf():
    # -2*x*exp(x**2) at 40.0 is about -5.95e696: finite, beyond a double's range
    p = symgrad.gradient("-exp(x**2)").at(x=40.0)
    assert plain(p.gradient[0]) == LargeReal("-5.9464946459695845e+696")
    assert p.problems == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("exp(exp(exp(exp(x))))", "inf"),
    ("-exp(exp(exp(exp(x))))", "-inf"),
])
def test_astronomical_decimal_overflow_is_infinite_not_undefined(text, expected):
    # exp(exp(exp(10.0))) has a binary exponent mpmath cannot exponentiate again
    p = symgrad.gradient(text).at(x=10.0)
    assert plain(p.gradient[0]) == expected
    assert [q.value for q in p.problems] == [expected]


def test_astronomically_small_decimal_underflows_to_zero():
    p = symgrad.gradient("y*exp(-exp(exp(exp(x))))", wrt="y").at(x=10.0, y=1.0)
    assert plain(p.gradient[0]) == 0.0
    assert p.problems == ()


def test_high_precision_rescues_intermediate_overflow_of_doubles():
    # exp(1000.0) overflows a double, but the 30-digit product is finite
    p = symgrad.gradient("y*exp(x)*exp(1-x)", wrt="y").at(x=1000.0, y=1.0)
    assert plain(p.gradient[0]) == pytest.approx(math.e, rel=1e-15)


def test_small_decimal_power_is_finite():
    p = symgrad.gradient("x**(10**10)").at(x=0.5)
    # 1e10 * 0.5**(1e10 - 1) underflows to 0 as a double; it is not a problem
    assert plain(p.gradient[0]) == 0.0
    assert p.problems == ()


# ---------------------------------------------------------------------------
# plain()


@pytest.mark.parametrize(
    "value, expected",
    [
        (sp.Integer(7), 7),
        (sp.Integer(-3), -3),
        (sp.Integer(10) ** 30, 10**30),
        (5, 5),
        (sp.Rational(1, 4), 0.25),
        (sp.Float(2.5), 2.5),
        (2.5, 2.5),
        (sp.sqrt(2), math.sqrt(2)),
        (sp.pi, math.pi),
        (sp.E, math.e),
        (sp.nan, "nan"),
        (sp.oo, "inf"),
        (-sp.oo, "-inf"),
        (sp.zoo, "zoo"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (sp.I, "0.0+1.0j"),
        (-sp.I / 2, "0.0-0.5j"),
        (1 + 2 * sp.I, "1.0+2.0j"),
        (sp.Float(1.5) - sp.Float(2.25) * sp.I, "1.5-2.25j"),
        (complex(1, 2), "1.0+2.0j"),
        (complex(1, -2), "1.0-2.0j"),
        (complex(3, 0), 3.0),
        # finite reals beyond a double's range: their decimal text, not "inf"
        (sp.exp(1000), LargeReal("1.970071114017047e+434")),
        (-sp.exp(1000), LargeReal("-1.970071114017047e+434")),
        (sp.Derivative(sp.re(sp.Symbol("w")), sp.Symbol("w")).subs(sp.Symbol("w"), 2), "nan"),
    ],
)
def test_plain(value, expected):
    got = plain(value)
    assert got == expected
    assert type(got) is type(expected)


def test_plain_writes_negative_zero_as_zero_and_keeps_ints():
    assert math.copysign(1, plain(-0.0)) == 1  # -0.0 is shown as 0.0 in every form (issue 12)
    assert type(plain(sp.Integer(0))) is int
    assert type(plain(sp.Rational(4, 2))) is int  # 4/2 is the Integer 2


def test_plain_rounds_rationals_and_long_floats_once():
    # correctly rounded to the nearest double, not through a 20-digit detour
    assert plain(sp.Rational(1, 3)) == 1 / 3
    assert plain(sp.Rational(10**30 + 1, 3 * 10**30)) == float(Fraction(10**30 + 1, 3 * 10**30))
    thirty = sp.Float("0.100000000000000005551115123125782702", 36)  # just above the double 0.1
    assert plain(thirty) == float(Decimal("0.100000000000000005551115123125782702"))
    assert plain(sp.Float("1e400", 30)) == LargeReal("1.0e+400")  # finite, beyond a double
    assert plain(sp.Float("-1e400", 30)) == LargeReal("-1.0e+400")
    assert plain(sp.Float("1e-400", 30)) == 0.0


# ---------------------------------------------------------------------------
# Repeated entries: each expression object is finished once per point


def test_equal_looking_entries_of_different_kinds_keep_their_kinds():
    # 2.0 and 2 are different entries: a float coefficient stays a float
    values = symgrad.gradient("2.0*x + 2*y").at(x=1, y=1).gradient
    assert [(type(v), plain(v)) for v in values] == [(sp.Float, 2.0), (sp.Integer, 2)]


def test_a_repeated_problem_is_reported_for_every_entry():
    # both rows of the Jacobian are the same expression, undefined at x=0
    point = symgrad.jacobian("1/x", "1/x").at(x=0)
    assert [p.entry for p in point.problems] == ["df1/dx", "df2/dx"]


def test_big_hessian_at_a_decimal_point_matches_hand_derived_values():
    n = 60
    text = " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n))
    point = {f"x{i}": (i % 7 - 3) / 4 for i in range(1, n + 1)}
    values = symgrad.hessian(text).at(**{k: str(v) for k, v in point.items()}).hessians[0]
    xs = [point[f"x{i}"] for i in range(1, n + 1)]
    # hand-derived: f = sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2
    expected = np.zeros((n, n))
    for i in range(n - 1):
        expected[i, i] += 1200 * xs[i] ** 2 - 400 * xs[i + 1] + 2
        expected[i + 1, i + 1] += 200
        expected[i, i + 1] = expected[i + 1, i] = -400 * xs[i]
    got = np.array([[plain(v) for v in row] for row in values])
    assert got.dtype == float
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=0)


# ---------------------------------------------------------------------------
# with_parameters: the parameters substituted ahead (for --points/--grid with --at)


def test_with_parameters_substitutes_parameters_only():
    from symgrad.evaluation.exact import with_parameters

    d = symgrad.hessian("a*x**n + b*y", wrt="x,y")
    fixed = with_parameters(d, {"n": 1, "a": "1/2", "x": 5, "unknown": 7})
    assert fixed.gradient == (sp.Rational(1, 2), d.gradient[1])  # x is a variable: left alone
    assert fixed.hessians[0][0][0] == 0  # n*(n - 1)*x**(n - 2) at n = 1
    assert fixed.variables == d.variables and fixed.parameters == d.parameters
    assert with_parameters(d, {}) is d


def test_with_parameters_in_float_mode_uses_thirty_digits():
    from symgrad.evaluation.exact import with_parameters

    fixed = with_parameters(symgrad.gradient("a*x**2", wrt="x"), {"a": "0.1"})
    (entry,) = fixed.gradient
    coefficient = entry.as_coeff_Mul()[0]
    assert isinstance(coefficient, sp.Float) and coefficient._prec > 90  # bits: 30 digits
    twice_the_double = 2 * sp.Rational(Fraction(0.1))  # 0.2000000000000000111...
    assert abs(coefficient - twice_the_double) < 1e-28


def test_with_parameters_keeps_the_size_guards():
    from symgrad.evaluation.exact import with_parameters
    from symgrad.errors import ResourceLimitError

    with pytest.raises(ResourceLimitError, match="factorial"):
        with_parameters(symgrad.gradient("factorial(a)*x", wrt="x"), {"a": 100000})


# ---------------------------------------------------------------------------
# The function's own value at a point


def test_point_carries_the_function_value():
    p = symgrad.gradient("x**2 + y*z").at(x=1, y=2, z=3)
    assert p.value == 7 and p.function == (7,)
    q = symgrad.gradient("sin(x)*y").at(x="pi/4", y=2)
    assert q.value == sp.sqrt(2)  # exact input, exact value
    assert symgrad.gradient("x**2").at(x=0.5).value == pytest.approx(0.25)
    j = symgrad.jacobian("x*y", "x+y").at(x=1, y=2)
    assert j.value == (2, 3)


def test_an_undefined_function_value_is_shown_but_is_not_a_problem():
    # 1/x and its derivative are both zoo at 0; only the derivative is the point's problem
    p = symgrad.gradient("1/x").at(x=0)
    assert p.value == sp.zoo
    assert [problem.entry for problem in p.problems] == ["df/dx"]


def test_a_function_value_too_large_to_compute_exactly_is_none():
    p = symgrad.gradient("x**20000 + y", wrt="y").at(x=2, y=1)
    assert p.gradient == (1,) and p.value is None


def test_free_symbols_are_found_as_sympy_finds_them():
    """The substituter's remembered ``free_symbols`` test agrees with SymPy's on
    every subexpression, bound variables (integrals, sums, lambdas, Subs) included."""
    import sympy as sp

    from symgrad.evaluation.exact import _Substituter

    x, y, t = sp.symbols("x y t", real=True)
    f = sp.Function("f")
    corpus = [
        sp.log(sp.exp(x) + sp.exp(y)) ** 2 / (1 + sp.exp(x + y)),
        sp.Integral(t * x, (t, 0, 1)) + sp.Integral(t**2, (t, 0, 1)),
        sp.Sum(t / 2**t, (t, 1, sp.oo)) * y,
        sp.Subs(f(t).diff(t), t, 1) + sp.Subs(f(t), t, x),
        sp.Derivative(f(x), x) + sp.Lambda(t, t + 1)(y),
        sp.Piecewise((x, y > 0), (sp.pi, True)) + sp.besselj(2, x) + sp.Abs(sp.sqrt(2) - 3),
        sp.Integral(sp.exp(-(t**2)), (t, 0, x)),
    ]
    substituter = _Substituter({})
    for expr in corpus:
        for sub in sp.preorder_traversal(expr):
            if isinstance(sub, sp.Basic):
                assert substituter.has_free_symbols(sub) == bool(sub.free_symbols), sub
