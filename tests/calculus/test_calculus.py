"""Symbolic derivatives against results derived by hand.

Every expected derivative below was worked out on paper and written as a
SymPy expression; it is compared with symgrad's result by
``simplify(got - expected) == 0`` (or by equality where the form is the
contract itself, such as ``Abs(x)`` -> ``sign(x)``).
"""

from __future__ import annotations

import pytest
import sympy as sp

import symgrad
from symgrad.errors import ParseError
from symgrad.calculus import differentiate
from symgrad.parsing import parse

# The parser makes real symbols by default; build the expected results from
# the same symbols so that equality is meaningful.
x, y, z, a = sp.symbols("x y z a", real=True)


def assert_same(got, expected):
    """``got`` is mathematically ``expected`` and is a finished derivative."""
    assert not got.has(sp.Derivative), f"unevaluated derivative in {got}"
    difference = sp.simplify(got - expected)
    assert difference == 0, f"got {got}, expected {expected} (difference {difference})"


def assert_all_same(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert_same(g, e)


def assert_matrix_same(got, expected):
    assert len(got) == len(expected)
    for got_row, expected_row in zip(got, expected):
        assert_all_same(got_row, expected_row)


# ---------------------------------------------------------------------------
# Elementary rules


def test_polynomial_gradient():
    g = symgrad.gradient("3*x**4 - 2*x**2*y + y**3 - 7")
    assert g.variables == (x, y)
    assert g.parameters == ()
    assert_all_same(g.gradient, (12 * x**3 - 4 * x * y, -2 * x**2 + 3 * y**2))
    assert g.jacobian is None
    assert g.hessians is None
    assert g.hessian is None


def test_polynomial_gradient_is_canonical():
    # The documented example: canonical forms, so plain equality holds.
    g = symgrad.gradient("x**2 + y*z")
    assert g.gradient == (2 * x, z, y)
    assert g.variables == (x, y, z)


def test_product_rule():
    g = symgrad.gradient("x*sin(y)*exp(z)")
    assert_all_same(
        g.gradient,
        (sp.sin(y) * sp.exp(z), x * sp.cos(y) * sp.exp(z), x * sp.sin(y) * sp.exp(z)),
    )


def test_quotient_rule():
    g = symgrad.gradient("(x**2 + 1)/(x - y)")
    expected_x = (2 * x * (x - y) - (x**2 + 1)) / (x - y) ** 2
    expected_y = (x**2 + 1) / (x - y) ** 2
    assert_all_same(g.gradient, (expected_x, expected_y))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sin(x**2*y)", (2 * x * y * sp.cos(x**2 * y), x**2 * sp.cos(x**2 * y))),
        ("exp(x*y)", (y * sp.exp(x * y), x * sp.exp(x * y))),
        ("log(1 + x**2 + y**4)", (2 * x / (1 + x**2 + y**4), 4 * y**3 / (1 + x**2 + y**4))),
        ("(x + 2*y)**5", (5 * (x + 2 * y) ** 4, 10 * (x + 2 * y) ** 4)),
        ("cos(sin(x) + y)", (-sp.sin(sp.sin(x) + y) * sp.cos(x), -sp.sin(sp.sin(x) + y))),
        ("sqrt(x**2 + y**2)", (x / sp.sqrt(x**2 + y**2), y / sp.sqrt(x**2 + y**2))),
    ],
)
def test_chain_rule(text, expected):
    assert_all_same(symgrad.gradient(text).gradient, expected)


# d/dx of one-argument functions, from a table of derivatives.
ONE_VARIABLE = [
    ("exp(x)", sp.exp(x)),
    ("log(x)", 1 / x),
    ("ln(x)", 1 / x),
    ("sin(x)", sp.cos(x)),
    ("cos(x)", -sp.sin(x)),
    ("tan(x)", 1 / sp.cos(x) ** 2),
    ("cot(x)", -1 / sp.sin(x) ** 2),
    ("sec(x)", sp.sin(x) / sp.cos(x) ** 2),
    ("csc(x)", -sp.cos(x) / sp.sin(x) ** 2),
    ("sinh(x)", sp.cosh(x)),
    ("cosh(x)", sp.sinh(x)),
    ("tanh(x)", 1 / sp.cosh(x) ** 2),
    ("asin(x)", 1 / sp.sqrt(1 - x**2)),
    ("arcsin(x)", 1 / sp.sqrt(1 - x**2)),
    ("acos(x)", -1 / sp.sqrt(1 - x**2)),
    ("atan(x)", 1 / (1 + x**2)),
    ("arctan(x)", 1 / (1 + x**2)),
    ("acot(x)", -1 / (1 + x**2)),
    ("asinh(x)", 1 / sp.sqrt(x**2 + 1)),
    # principal branch: 1/sqrt(x**2 - 1) for x > 1, written so it also
    # holds for complex x
    ("acosh(x)", 1 / (sp.sqrt(x - 1) * sp.sqrt(x + 1))),
    ("atanh(x)", 1 / (1 - x**2)),
    ("erf(x)", 2 / sp.sqrt(sp.pi) * sp.exp(-(x**2))),
    ("sqrt(x)", 1 / (2 * sp.sqrt(x))),
    ("x**(1/3)", sp.Rational(1, 3) * x ** sp.Rational(-2, 3)),
    ("1/x", -1 / x**2),
    ("x**-3", -3 / x**4),
    ("x^7", 7 * x**6),
    ("2**x", 2**x * sp.log(2)),
    ("E**x", sp.exp(x)),
    ("x**x", x**x * (sp.log(x) + 1)),
    ("log(x, 2)", 1 / (x * sp.log(2))),
    ("log2(x)", 1 / (x * sp.log(2))),
    ("log10(x)", 1 / (x * sp.log(10))),
    ("exp(-x**2/2)", -x * sp.exp(-(x**2) / 2)),
    ("pi*x", sp.pi),
]


@pytest.mark.parametrize("text, expected", ONE_VARIABLE, ids=[t for t, _ in ONE_VARIABLE])
def test_derivative_table(text, expected):
    g = symgrad.gradient(text)
    assert g.variables == (x,)
    assert len(g.gradient) == 1
    assert_same(g.gradient[0], expected)


def test_log_with_base_is_log_over_log_of_base():
    # d/dx log_b(x) = 1/(x ln b), also with the base a parameter
    g = symgrad.gradient("log(x, a)", wrt="x")
    assert g.parameters == (a,)
    assert_same(g.gradient[0], 1 / (x * sp.log(a)))


# ---------------------------------------------------------------------------
# Non-smooth functions of real variables


def test_abs_differentiates_to_sign_for_real_variables():
    g = symgrad.gradient("Abs(x)")
    assert g.gradient == (sp.sign(x),)
    assert g.variables[0].is_real


def test_abs_alias_and_abs_of_expression():
    assert symgrad.gradient("abs(x)").gradient == (sp.sign(x),)
    g = symgrad.gradient("Abs(x*y)")
    assert_all_same(g.gradient, (y * sp.sign(x * y), x * sp.sign(x * y)))


def test_sqrt_of_square_is_abs_for_real_variables():
    g = symgrad.gradient("sqrt(x**2)")
    assert g.gradient == (sp.sign(x),)
    assert g.exprs == (sp.Abs(x),)


def test_sign_and_heaviside():
    assert_same(symgrad.gradient("sign(x)").gradient[0], 2 * sp.DiracDelta(x))
    assert_same(symgrad.gradient("Heaviside(x)").gradient[0], sp.DiracDelta(x))


def test_hessian_of_abs_of_a_quotient_is_finished():
    # |x/y|: gradient sign(x/y) * (1/y, -x/y^2); differentiating sign(u)
    # gives 2 DiracDelta(u) u', which vanishes away from x = 0.
    h = symgrad.hessian("Abs(x/y)")
    u = x / y
    s, d = sp.sign(u), sp.DiracDelta(u)
    assert_all_same(h.gradient, (s / y, -x * s / y**2))
    expected = (
        (2 * d / y**2, -s / y**2 - 2 * x * d / y**3),
        (-s / y**2 - 2 * x * d / y**3, 2 * x * s / y**3 + 2 * x**2 * d / y**4),
    )
    assert_matrix_same(h.hessian, expected)


def test_derivative_of_sign_of_real_valued_expressions():
    # sign(1/x) and sign(x + 1/y) are real wherever finite
    assert_same(symgrad.gradient("sign(1/x)").gradient[0], -2 * sp.DiracDelta(1 / x) / x**2)
    g = symgrad.gradient("sign(x + 1/y)")
    d = sp.DiracDelta(x + 1 / y)
    assert_all_same(g.gradient, (2 * d, -2 * d / y**2))


def test_sign_of_possibly_complex_expression_is_left_alone():
    # x**y is complex for x < 0, so d sign(x**y)/dx is not 2 DiracDelta(...)...
    g = symgrad.gradient("sign(x**y)")
    assert not g.gradient[0].has(sp.DiracDelta)
    # ...and sqrt(x) likewise
    assert not symgrad.gradient("sign(sqrt(x))").gradient[0].has(sp.DiracDelta)


def test_atan2():
    # atan2(y, x) is the polar angle: d/dx = -y/r^2, d/dy = x/r^2
    g = symgrad.gradient("atan2(y, x)")
    assert g.variables == (x, y)
    r2 = x**2 + y**2
    assert_all_same(g.gradient, (-y / r2, x / r2))


def test_atan2_matches_atan_where_x_is_positive():
    # For x > 0, atan2(y, x) = atan(y/x): the two gradients agree there.
    g2 = symgrad.gradient("atan2(y, x)").at(x=3, y=-2).gradient
    g1 = symgrad.gradient("atan(y/x)").at(x=3, y=-2).gradient
    assert g2 == g1 == (sp.Rational(2, 13), sp.Rational(3, 13))


def test_max_and_min():
    g = symgrad.gradient("Max(x, y)")
    assert_all_same(g.gradient, (sp.Heaviside(x - y), sp.Heaviside(y - x)))
    assert g.at(x=3, y=1).gradient == (1, 0)
    assert g.at(x=1, y=3).gradient == (0, 1)
    h = symgrad.gradient("Min(x, y)")
    assert_all_same(h.gradient, (sp.Heaviside(y - x), sp.Heaviside(x - y)))
    assert h.at(x=3, y=1).gradient == (0, 1)
    assert h.at(x=1, y=3).gradient == (1, 0)


def test_max_of_three_picks_the_active_argument():
    g = symgrad.gradient("Max(x, y, x*y)")
    assert g.at(x=3, y=2).gradient == (2, 3)  # x*y = 6 is the largest
    assert g.at(x=5, y=-1).gradient == (1, 0)  # x = 5 is the largest
    assert g.at(x=-1, y=5).gradient == (0, 1)


# ---------------------------------------------------------------------------
# Hessians

ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"


def test_rosenbrock_gradient():
    g = symgrad.gradient(ROSENBROCK)
    assert_all_same(
        g.gradient,
        (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
    )


def test_rosenbrock_hessian():
    h = symgrad.hessian(ROSENBROCK)
    assert_all_same(h.gradient, (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)))
    assert_matrix_same(
        h.hessian,
        ((1200 * x**2 - 400 * y + 2, -400 * x), (-400 * x, sp.Integer(200))),
    )
    assert h.hessians is not None and len(h.hessians) == 1


def test_rosenbrock_at_minimum_and_origin():
    h = symgrad.hessian(ROSENBROCK)
    at_min = h.at(x=1, y=1)
    assert at_min.gradient == (0, 0)
    assert at_min.hessian == ((802, -400), (-400, 200))
    at_origin = h.at(x=0, y=0)
    assert at_origin.gradient == (-2, 0)
    assert at_origin.hessian == ((2, 0), (0, 200))


def test_hessian_entries_by_hand_and_symmetry():
    f = "x**2*y**3*z + sin(x*z)"
    h = symgrad.hessian(f).hessian
    fxx = 2 * y**3 * z - z**2 * sp.sin(x * z)
    fxy = 6 * x * y**2 * z
    fxz = 2 * x * y**3 + sp.cos(x * z) - x * z * sp.sin(x * z)
    fyy = 6 * x**2 * y * z
    fyz = 3 * x**2 * y**2
    fzz = -(x**2) * sp.sin(x * z)
    expected = ((fxx, fxy, fxz), (fxy, fyy, fyz), (fxz, fyz, fzz))
    assert_matrix_same(h, expected)
    for i in range(3):
        for j in range(3):
            assert sp.simplify(h[i][j] - h[j][i]) == 0


def test_hessian_is_symmetric_for_mixed_partials_computed_both_ways():
    # The mixed partial taken in either order is the same function.
    f = sp.exp(x * y) * sp.cos(x + y**2) / (1 + x**2)
    h = symgrad.hessian(f).hessian
    assert_same(h[0][1], sp.diff(sp.diff(f, y), x))
    assert_same(h[1][0], sp.diff(sp.diff(f, x), y))


def test_hessian_of_quadratic_form():
    # f = x^T A x / 2 + b.x with A = [[4, 1], [1, 3]] has Hessian A.
    h = symgrad.hessian("2*x**2 + x*y + 3*y**2/2 - 5*x + 7*y")
    assert h.hessian == ((4, 1), (1, 3))
    assert_all_same(h.gradient, (4 * x + y - 5, x + 3 * y + 7))


# ---------------------------------------------------------------------------
# Variables: order, parameters, absent variables


def test_wrt_order_reorders_gradient():
    g = symgrad.gradient("x**2*y", wrt="y,x")
    assert g.variables == (y, x)
    assert_all_same(g.gradient, (x**2, 2 * x * y))
    default = symgrad.gradient("x**2*y")
    assert default.variables == (x, y)
    assert_all_same(default.gradient, (2 * x * y, x**2))


def test_wrt_order_reorders_hessian():
    h = symgrad.hessian("x**2*y + y**3*z", wrt="z,y,x")
    assert h.variables == (z, y, x)
    assert_matrix_same(
        h.hessian,
        (
            (0, 3 * y**2, 0),
            (3 * y**2, 6 * y * z, 2 * x),
            (0, 2 * x, 2 * y),
        ),
    )


def test_wrt_as_sequence():
    g = symgrad.gradient("x*y**2", wrt=["y", "x"])
    assert g.variables == (y, x)
    assert_all_same(g.gradient, (2 * x * y, y**2))


def test_natural_variable_order():
    g = symgrad.gradient("x10 + 2*x2 + 3*x1")
    assert [v.name for v in g.variables] == ["x1", "x2", "x10"]
    assert g.gradient == (3, 2, 1)


def test_parameters():
    g = symgrad.gradient("a*x**2", wrt="x")
    assert g.variables == (x,)
    assert g.parameters == (a,)
    assert_all_same(g.gradient, (2 * a * x,))
    h = symgrad.hessian("a*x**2 + b*x*y", wrt="x,y")
    b = sp.Symbol("b", real=True)
    assert h.parameters == (a, b)
    assert_matrix_same(h.hessian, ((2 * a, b), (b, 0)))


def test_wrt_variable_absent_from_formula_gives_zero():
    g = symgrad.gradient("x**2", wrt="x,y")
    assert g.variables == (x, y)
    assert g.gradient == (2 * x, 0)
    assert g.gradient[1] == sp.S.Zero
    h = symgrad.hessian("x**3", wrt="x,w")
    assert h.hessian == ((6 * x, 0), (0, 0))


def test_constant_formula_has_empty_gradient_unless_variables_are_named():
    g = symgrad.gradient("2 + 3")
    assert g.variables == ()
    assert g.gradient == ()
    g = symgrad.gradient("7", wrt="x")
    assert g.gradient == (0,)


def test_symbols_option_makes_constant_a_variable():
    g = symgrad.gradient("E*x", symbols="E")
    assert [v.name for v in g.variables] == ["E", "x"]
    e = g.variables[0]
    assert g.gradient == (x, e)
    # without it, E is Euler's number
    assert symgrad.gradient("E*x").gradient == (sp.E,)


def test_sympy_expression_input():
    g = symgrad.gradient(sp.sin(x) * y)
    assert_all_same(g.gradient, (y * sp.cos(x), sp.sin(x)))


def test_implicit_multiplication_and_caret():
    g = symgrad.gradient("2x^3 + 3(x+1)(y-1)")
    assert_all_same(g.gradient, (6 * x**2 + 3 * (y - 1), 3 * (x + 1)))


# ---------------------------------------------------------------------------
# Jacobians


def test_jacobian_shape_and_entries():
    j = symgrad.jacobian("x*y", "x + y")
    assert j.gradient is None
    assert j.is_vector
    assert j.jacobian == ((y, x), (1, 1))


def test_jacobian_is_m_by_n():
    j = symgrad.jacobian("x*y*z", "sin(x) + z**2")
    assert len(j.jacobian) == 2
    assert all(len(row) == 3 for row in j.jacobian)
    assert_matrix_same(j.jacobian, ((y * z, x * z, x * y), (sp.cos(x), 0, 2 * z)))

    tall = symgrad.jacobian("x", "y", "x*y", "x**2 - y**2")
    assert len(tall.jacobian) == 4 and all(len(row) == 2 for row in tall.jacobian)
    assert tall.jacobian == ((1, 0), (0, 1), (y, x), (2 * x, -2 * y))


def test_jacobian_of_polar_coordinates():
    # (r cos t, r sin t): the classic Jacobian, determinant r
    r, t = sp.symbols("r t", real=True)
    j = symgrad.jacobian("r*cos(t)", "r*sin(t)", wrt="r,t")
    expected = ((sp.cos(t), -r * sp.sin(t)), (sp.sin(t), r * sp.cos(t)))
    assert_matrix_same(j.jacobian, expected)
    m = sp.Matrix(j.jacobian)
    assert sp.simplify(m.det() - r) == 0


def test_jacobian_with_wrt_and_parameters_and_absent_variable():
    j = symgrad.jacobian("a*x", "y**2", wrt="y,x,z")
    assert j.variables == (y, x, sp.Symbol("z", real=True))
    assert j.parameters == (a,)
    assert j.jacobian == ((0, a, 0), (2 * y, 0, 0))


def test_jacobian_of_one_formula_is_one_row():
    j = symgrad.jacobian("x*y")
    assert j.gradient is None
    assert j.jacobian == ((y, x),)


def test_vector_hessians_one_per_formula():
    j = symgrad.jacobian("x**2*y", "sin(x*y)", "z", hessian=True)
    assert j.hessians is not None
    assert len(j.hessians) == 3
    for h in j.hessians:
        assert len(h) == 3 and all(len(row) == 3 for row in h)
    zero = sp.S.Zero
    assert_matrix_same(j.hessians[0], ((2 * y, 2 * x, zero), (2 * x, zero, zero), (zero,) * 3))
    s, c = sp.sin(x * y), sp.cos(x * y)
    assert_matrix_same(
        j.hessians[1],
        ((-(y**2) * s, c - x * y * s, zero), (c - x * y * s, -(x**2) * s, zero), (zero,) * 3),
    )
    assert j.hessians[2] == ((0, 0, 0),) * 3
    with pytest.raises(AttributeError):
        j.hessian  # noqa: B018 - a vector function has several Hessians


def test_jacobian_without_hessian_flag():
    j = symgrad.jacobian("x", "y")
    assert j.hessians is None


def test_differentiate_refuses_gradient_of_several_formulas():
    parsed = parse("x", "y")
    with pytest.raises(ValueError):
        differentiate(parsed, vector=False)
    assert differentiate(parsed).jacobian == ((1, 0), (0, 1))


# ---------------------------------------------------------------------------
# Complex variables


def test_complex_variables_do_not_turn_abs_into_sign():
    g = symgrad.gradient("x**2", real=False)
    xc = g.variables[0]
    assert xc.is_real is None  # a complex symbol
    assert xc != x
    # |x| is not holomorphic: no complex derivative, refused (not sign(x))
    with pytest.raises(ParseError, match="not holomorphic"):
        symgrad.gradient("Abs(x)", real=False)
    # the real default does give sign(x)
    assert symgrad.gradient("Abs(x)").gradient == (sp.sign(x),)


def test_complex_variables_keep_sqrt_of_square():
    g = symgrad.gradient("sqrt(x**2)", real=False)
    xc = g.variables[0]
    assert g.exprs == (sp.sqrt(xc**2),)
    assert sp.simplify(g.gradient[0] - sp.sqrt(xc**2) / xc) == 0


def test_complex_variables_holomorphic_functions_unchanged():
    g = symgrad.gradient("exp(x)*sin(y)", real=False)
    xc, yc = g.variables
    assert not xc.is_real and not yc.is_real
    assert_all_same(g.gradient, (sp.exp(xc) * sp.sin(yc), sp.exp(xc) * sp.cos(yc)))


@pytest.mark.parametrize("engine", ["sympy", "symengine"])
@pytest.mark.parametrize(("text", "point"), [
    ("x*x + Abs(acos(tanh(x)/2))", 0.0),   # acos(...) is real, but SymPy cannot prove it
    ("x*x + Abs(acos(tanh(x)/2))", 0.7),
    ("Abs(sqrt(x))", -2.0),                  # sqrt(x) is imaginary here: |sqrt(x)| = sqrt(-x)
    ("Abs(sqrt(x))", 2.0),
])
def test_second_derivative_of_abs_of_an_unprovably_real_argument(text, point, engine):
    import mpmath as mp

    h = symgrad.hessian(text, engine=engine)
    value = h.at(x=point).hessian[0][0]
    f = {"x*x + Abs(acos(tanh(x)/2))": lambda x: x * x + abs(mp.acos(mp.tanh(x) / 2)),
         "Abs(sqrt(x))": lambda x: abs(mp.sqrt(x))}[text]
    with mp.workdps(40):
        expected = mp.diff(f, point, 2)
    assert float(value) == pytest.approx(float(expected), rel=1e-12)


# ---------------------------------------------------------------------------
# Symbolic exponents: x**y/x is merged to x**(y - 1), which has a value at x = 0

n = sp.Symbol("n", real=True)


@pytest.mark.parametrize("engine", ["sympy", "symengine"])
def test_power_with_symbolic_exponent_is_one_power(engine):
    d = symgrad.hessian("a*x**n", wrt="x", engine=engine)
    assert d.gradient == (a * n * x ** (n - 1),)
    assert d.hessians[0][0][0] == a * n * (n - 1) * x ** (n - 2)


@pytest.mark.parametrize("engine", ["sympy", "symengine"])
@pytest.mark.parametrize(
    "exponent, first, second",
    [  # hand-derived: d/dx x**n = n*x**(n-1), d2/dx2 = n*(n-1)*x**(n-2), at x = 0
        ("2", 0, 2),
        ("3", 0, 0),
        ("5/2", 0, 0),
    ],
)
def test_power_with_symbolic_exponent_at_zero(engine, exponent, first, second):
    d = symgrad.hessian("x**n", wrt="x", engine=engine)
    point = d.at(x=0, n=exponent)
    assert point.problems == ()
    assert point.gradient == (first,)
    assert point.hessians[0][0][0] == second


@pytest.mark.parametrize("engine", ["sympy", "symengine"])
@pytest.mark.parametrize("value, one, zero", [("1", 1, 0), ("1.0", 1.0, 0.0)])
def test_power_with_symbolic_exponent_one_at_zero(engine, value, one, zero):
    point = symgrad.hessian("x**n", wrt="x", engine=engine).at(x=0, n=value)
    assert point.problems == ()
    assert point.gradient == (one,)
    # n*(n - 1)*x**(n - 2): the parameter n is substituted first, so at n = 1
    # the entry is 0, as for the formula x, and not 0*oo at x = 0
    assert point.hessians[0][0][0] == zero


def test_variables_together_are_still_undefined_at_zero_times_infinity():
    # x and y are both variables: y*(y - 1)*x**(y - 2) at (0, 1) is 0*oo, reported
    point = symgrad.hessian("x**y").at(x=0, y=1)
    assert "d2f/dx^2" in [p.entry for p in point.problems]


def test_power_with_symbolic_exponent_keeps_its_singularity():
    # d/dx sqrt(x) = 1/(2 sqrt(x)) is infinite at 0: still reported
    point = symgrad.gradient("x**n", wrt="x").at(x=0, n="1/2")
    assert [p.entry for p in point.problems] == ["df/dx"]


def test_merged_powers_of_an_expression_base():
    d = symgrad.gradient("(x + 1)**y*sin(x)")
    assert_same(d.gradient[0], y * (x + 1) ** (y - 1) * sp.sin(x) + (x + 1) ** y * sp.cos(x))
    assert d.at(x=-1, y=2).gradient[0] == 0  # was 0/0 before merging


@pytest.mark.slow
def test_merged_powers_equal_sympys_diff_away_from_zero():
    # the rewrite is an identity wherever the base is not 0
    f = x**y * sp.exp(x * y) + (x**2 + 1) ** (y / 3) * x ** (-y) + x**z / (1 + x)
    got = symgrad.hessian(str(f), wrt="x,y,z")
    entries = list(got.gradient) + [e for row in got.hessians[0] for e in row]
    direct = [sp.diff(f, v) for v in (x, y, z)]
    direct += [sp.diff(f, v, w) for v in (x, y, z) for w in (x, y, z)]
    for point in ({x: 0.7, y: 1.3, z: -0.4}, {x: 2.5, y: -0.6, z: 1.9}):
        for mine, theirs in zip(entries, direct):
            assert abs(complex(mine.subs(point)) - complex(theirs.subs(point))) < 1e-12 * (
                1 + abs(complex(theirs.subs(point)))
            )


def test_batch_evaluation_of_a_merged_power_at_zero():
    from symgrad.evaluation.compiled import CompiledEntries

    import numpy as np

    compiled = CompiledEntries(symgrad.gradient("x**y"))
    values = compiled(np.array([[0.0, 1.0], [0.0, 2.0], [2.0, 3.0]])).values
    assert values[:, 0].tolist() == [1.0, 0.0, 12.0]
