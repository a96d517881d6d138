"""An independent oracle: random formulas, differentiated numerically.

Hypothesis builds random expression trees over x, y, z from operations that
are smooth wherever the tree's own guards hold (denominators and bases of
negative powers kept away from zero, logarithms and square roots of
``1 + u**2``). Each tree is turned into formula *text* for symgrad and, on
the other side, evaluated by a tiny interpreter using mpmath at 50 digits.
symgrad's gradient/Hessian at a point (given as decimals, or exactly) is
compared with mpmath's high-precision central differences of that
interpreter. SymPy plays no part in the oracle.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import symgrad
from symgrad.results import plain

mp = mpmath.mp
VARIABLES = ("x", "y", "z")
DIGITS = 50

# ---------------------------------------------------------------------------
# Expression trees: ("var", name) | ("int", n) | ("frac", p, q)
#   | (op, a, b) for op in + - * / | ("pow", a, k) | ("fn", name, a)
#   | ("spow", a, b): (1 + a**2)**b, a power with a symbolic exponent


class Unsafe(Exception):
    """The tree is singular, or nearly so, at this point."""


# name -> (how symgrad reads it, how the oracle computes it)
FUNCTIONS = {
    "sin": ("sin({})", lambda u: mpmath.sin(u)),
    "cos": ("cos({})", lambda u: mpmath.cos(u)),
    "atan": ("atan({})", lambda u: mpmath.atan(u)),
    "tanh": ("tanh({})", lambda u: mpmath.tanh(u)),
    "sinh": ("sinh({})", lambda u: mpmath.sinh(u)),
    "cosh": ("cosh({})", lambda u: mpmath.cosh(u)),
    "asinh": ("asinh({})", lambda u: mpmath.asinh(u)),
    "erf": ("erf({})", lambda u: mpmath.erf(u)),
    "exp": ("exp({})", lambda u: mpmath.exp(u)),
    "gauss": ("exp(-({})**2)", lambda u: mpmath.exp(-(u**2))),
    "log1p2": ("log(1 + ({})**2)", lambda u: mpmath.log(1 + u**2)),
    "sqrt1p2": ("sqrt(1 + ({})**2)", lambda u: mpmath.sqrt(1 + u**2)),
    "recip1p2": ("1/(1 + ({})**2)", lambda u: 1 / (1 + u**2)),
    "asin_half_tanh": ("asin(tanh({})/2)", lambda u: mpmath.asin(mpmath.tanh(u) / 2)),
    "acos_half_tanh": ("acos(tanh({})/2)", lambda u: mpmath.acos(mpmath.tanh(u) / 2)),
    "atan2_pos": ("atan2({}, 2)", lambda u: mpmath.atan2(u, 2)),
    "abs_shift": ("Abs(({})**2 + 1)", lambda u: abs(u**2 + 1)),
    # kept away from its kink by the guard in value_of
    "abs": ("Abs({})", lambda u: abs(u)),
}

variable_leaves = st.sampled_from(VARIABLES).map(lambda v: ("var", v))
leaves = st.one_of(
    variable_leaves,
    variable_leaves,  # variables twice as likely as each kind of constant
    st.integers(1, 5).map(lambda n: ("int", n)),
    st.tuples(st.integers(-3, 3), st.sampled_from([2, 3, 4])).map(lambda t: ("frac", *t)),
)


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.tuples(st.just("pow"), children, st.sampled_from([2, 3, 4, -1, -2])),
        st.tuples(st.just("fn"), st.sampled_from(sorted(FUNCTIONS)), children),
        st.tuples(st.just("spow"), children, children),
    )


trees = st.recursive(leaves, _extend, max_leaves=10)
# A formula that certainly involves at least one variable, usually several.
formulas = st.tuples(trees, trees).map(lambda t: ("+", ("*", ("var", "x"), t[0]), t[1]))


def text_of(tree) -> str:
    kind = tree[0]
    if kind == "var":
        return tree[1]
    if kind == "int":
        return str(tree[1])
    if kind == "frac":
        return f"({tree[1]}/{tree[2]})"
    if kind in ("+", "-", "*", "/"):
        return f"({text_of(tree[1])} {kind} {text_of(tree[2])})"
    if kind == "pow":
        return f"({text_of(tree[1])})**({tree[2]})"
    if kind == "fn":
        return "(" + FUNCTIONS[tree[1]][0].format(text_of(tree[2])) + ")"
    if kind == "spow":
        return f"((1 + ({text_of(tree[1])})**2)**({text_of(tree[2])}))"
    raise AssertionError(tree)


LIMIT = mpmath.mpf(10) ** 8  # no intermediate value beyond this
NEAR_ZERO = mpmath.mpf("0.05")  # no division by anything closer to 0


def value_of(tree, env, guard=True):
    """The tree at ``env`` (name -> mpf), with mpmath only."""
    kind = tree[0]
    if kind == "var":
        result = env[tree[1]]
    elif kind == "int":
        result = mpmath.mpf(tree[1])
    elif kind == "frac":
        result = mpmath.mpf(tree[1]) / tree[2]
    elif kind in ("+", "-", "*", "/"):
        a = value_of(tree[1], env, guard)
        b = value_of(tree[2], env, guard)
        if kind == "+":
            result = a + b
        elif kind == "-":
            result = a - b
        elif kind == "*":
            result = a * b
        else:
            if guard and abs(b) < NEAR_ZERO:
                raise Unsafe
            result = a / b
    elif kind == "pow":
        base = value_of(tree[1], env, guard)
        if guard and tree[2] < 0 and abs(base) < NEAR_ZERO:
            raise Unsafe
        result = base ** tree[2]
    elif kind == "fn":
        arg = value_of(tree[2], env, guard)
        if guard and tree[1] == "abs" and abs(arg) < NEAR_ZERO:
            raise Unsafe
        result = FUNCTIONS[tree[1]][1](arg)
    elif kind == "spow":
        base = 1 + value_of(tree[1], env, guard) ** 2
        result = mpmath.power(base, value_of(tree[2], env, guard))
    else:
        raise AssertionError(tree)
    if guard and not (mpmath.isfinite(result) and abs(result) < LIMIT):
        raise Unsafe
    return result


def oracle(tree, point, orders):
    """Partial derivative of the tree, of the given orders, by mpmath."""
    with mpmath.workdps(DIGITS):
        args = [mpmath.mpf(point[v]) for v in VARIABLES]

        def f(*xs):
            return value_of(tree, dict(zip(VARIABLES, xs)), guard=False)

        return mpmath.diff(f, args, orders)


def is_safe(tree, point) -> bool:
    """The tree is finite, moderate and far from its singularities near ``point``."""
    with mpmath.workdps(DIGITS):
        env = {v: mpmath.mpf(point[v]) for v in VARIABLES}
        try:
            value_of(tree, env)
            # also a little way off, where the difference quotients look
            for shift in ("1e-3", "-1e-3"):
                value_of(tree, {v: env[v] + mpmath.mpf(shift) for v in VARIABLES})
        except (Unsafe, ZeroDivisionError, ValueError, OverflowError):
            return False
    return True


#: symgrad computes decimal points with 30 digits and rounds to doubles, and
#: the oracle works at 50 digits, so agreement is far better than this; it
#: is tight enough to catch results computed or rounded to single precision.
TOLERANCE = 1e-10


def close(got, want, scale=1.0) -> bool:
    """Relative agreement, guarded by an absolute ``TOLERANCE * scale`` near 0."""
    want = float(want)
    return abs(got - want) <= TOLERANCE * max(abs(want), scale)


def as_float(value):
    number = plain(value)
    assert isinstance(number, (int, float)), f"not a finite real: {number!r}"
    return float(number)


coordinate = st.floats(min_value=-2.5, max_value=2.5, allow_nan=False, allow_infinity=False)
points = st.fixed_dictionaries({v: coordinate for v in VARIABLES})
exact_coordinate = st.fractions(min_value=-2, max_value=2, max_denominator=8)
exact_points = st.fixed_dictionaries({v: exact_coordinate for v in VARIABLES})

SETTINGS = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# ---------------------------------------------------------------------------
# The properties


@pytest.mark.slow
@settings(max_examples=100, **SETTINGS)
@given(tree=formulas, point=points)
def test_gradient_matches_mpmath_differences(tree, point):
    assume(is_safe(tree, point))
    text = text_of(tree)
    derivs = symgrad.gradient(text, wrt="x,y,z")
    values = derivs.at(**point)
    assert values.exact is False
    assert values.problems == ()
    for i, v in enumerate(VARIABLES):
        orders = [0, 0, 0]
        orders[i] = 1
        want = oracle(tree, point, orders)
        got = as_float(values.gradient[i])
        assert close(got, want), f"d/d{v} of {text} at {point}: got {got}, mpmath {want}"


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["auto", "symengine"])  # auto: SymPy for these small formulas
@settings(max_examples=40, **SETTINGS)
@given(tree=formulas, point=points)
def test_hessian_matches_mpmath_differences(tree, point, engine):
    assume(is_safe(tree, point))
    text = text_of(tree)
    derivs = symgrad.hessian(text, wrt="x,y,z", engine=engine)
    values = derivs.at(**point)
    assert values.problems == ()
    hessian = values.hessian
    for i in range(3):
        for j in range(i, 3):
            orders = [0, 0, 0]
            orders[i] += 1
            orders[j] += 1
            want = oracle(tree, point, orders)
            got = as_float(hessian[i][j])
            assert close(got, want), (
                f"d2/d{VARIABLES[i]}d{VARIABLES[j]} of {text} at {point}: "
                f"got {got}, mpmath {want}"
            )
            assert as_float(hessian[j][i]) == got


@settings(max_examples=30, **SETTINGS)
@given(tree=formulas, point=exact_points)
def test_exact_points_match_mpmath_differences(tree, point):
    assume(is_safe(tree, {v: mpmath.mpf(q.numerator) / q.denominator for v, q in point.items()}))
    text = text_of(tree)
    values = symgrad.gradient(text, wrt="x,y,z").at(**point)
    assert values.exact is True
    with mpmath.workdps(DIGITS):
        at = {v: mpmath.mpf(q.numerator) / q.denominator for v, q in point.items()}
        for i, v in enumerate(VARIABLES):
            orders = [0, 0, 0]
            orders[i] = 1
            want = oracle(tree, at, orders)
            got = as_float(values.gradient[i])
            assert close(got, want), f"d/d{v} of {text} at {point}: got {got}, mpmath {want}"


@settings(max_examples=30, **SETTINGS)
@given(tree=formulas, point=points)
def test_jacobian_rows_are_gradients(tree, point):
    # A vector function's Jacobian row k is the gradient of formula k, and
    # its second row (x*y*z) is known in closed form.
    assume(is_safe(tree, point))
    text = text_of(tree)
    values = symgrad.jacobian(text, "x*y*z", wrt="x,y,z").at(**point)
    assert len(values.jacobian) == 2
    assert values.gradient is None
    with mpmath.workdps(DIGITS):
        mx, my, mz = (mpmath.mpf(point[v]) for v in VARIABLES)
        expected_row = (my * mz, mx * mz, mx * my)
    for i in range(3):
        orders = [0, 0, 0]
        orders[i] = 1
        assert close(as_float(values.jacobian[0][i]), oracle(tree, point, orders))
        assert close(as_float(values.jacobian[1][i]), expected_row[i])


@settings(max_examples=60, **SETTINGS)
@given(
    coefficients=st.lists(st.integers(-9, 9), min_size=1, max_size=6),
    point=exact_coordinate,
)
def test_polynomial_derivatives_are_exact(coefficients, point):
    # sum c_k x^k: derivative sum k c_k x^(k-1), computed with Fractions.
    text = " + ".join(f"({c})*x**{k}" for k, c in enumerate(coefficients))
    values = symgrad.hessian(text, wrt="x").at(x=point)
    first = sum(k * c * point ** (k - 1) for k, c in enumerate(coefficients) if k >= 1)
    second = sum(k * (k - 1) * c * point ** (k - 2) for k, c in enumerate(coefficients) if k >= 2)
    assert values.exact is True
    assert Fraction(str(values.gradient[0])) == Fraction(first)
    assert Fraction(str(values.hessian[0][0])) == Fraction(second)


def test_the_oracle_itself_is_right():
    # x*sin(y) + y**2 at (1, 2): d/dx = sin(2), d/dy = cos(2) + 4,
    # d2/dy2 = 2 - sin(2), d2/dxdy = cos(2)
    tree = ("+", ("*", ("var", "x"), ("fn", "sin", ("var", "y"))), ("pow", ("var", "y"), 2))
    point = {"x": 1.0, "y": 2.0, "z": 0.0}
    assert text_of(tree) == "((x * (sin(y))) + (y)**(2))"
    with mpmath.workdps(30):
        assert abs(oracle(tree, point, [1, 0, 0]) - mpmath.sin(2)) < mpmath.mpf(10) ** -25
        assert abs(oracle(tree, point, [0, 1, 0]) - (mpmath.cos(2) + 4)) < mpmath.mpf(10) ** -25
        assert abs(oracle(tree, point, [0, 2, 0]) - (2 - mpmath.sin(2))) < mpmath.mpf(10) ** -20
        assert abs(oracle(tree, point, [1, 1, 0]) - mpmath.cos(2)) < mpmath.mpf(10) ** -20
        assert abs(oracle(tree, point, [0, 0, 1])) < mpmath.mpf(10) ** -20
    assert is_safe(tree, point)
    assert not is_safe(("/", ("int", 1), ("var", "x")), {"x": 0.01, "y": 0.0, "z": 0.0})


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_oracle_function_agrees_with_symgrad_at_one_point(name):
    # Each building block on its own, so a wrong rule cannot hide behind
    # hypothesis not drawing it.
    # u = x/z - y/2: a quotient inside, so Abs(u) is not provably real to SymPy
    tree = ("fn", name, ("-", ("/", ("var", "x"), ("var", "z")), ("*", ("frac", 1, 2), ("var", "y"))))
    point = {"x": 0.3, "y": -0.7, "z": 1.1}
    assert is_safe(tree, point)
    values = symgrad.hessian(text_of(tree), wrt="x,y,z").at(**point)
    for i in range(3):
        orders = [0, 0, 0]
        orders[i] = 1
        assert close(as_float(values.gradient[i]), oracle(tree, point, orders)), name
        for j in range(i, 3):
            orders = [0, 0, 0]
            orders[i] += 1
            orders[j] += 1
            assert close(as_float(values.hessian[i][j]), oracle(tree, point, orders)), name
