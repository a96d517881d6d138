"""Real odd roots: cbrt(-8) = -2 for real variables, and their derivatives as a person writes them.

The oracle is mpmath: the real cube root built from ``mpmath.root(|x|, 3)``
with the sign put back, differentiated numerically at 40 digits.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symgrad
from symgrad.calculus.deltas import tidy_deltas


def real_root(v, n):
    return mpmath.sign(v) * mpmath.root(abs(v), n)


@pytest.mark.parametrize("formula, n", [("cbrt(x)", 3), ("real_root(x, 3)", 3), ("real_root(x, 5)", 5)])
@pytest.mark.parametrize("x0", ["-8", "-1/3", "2", "27/4"])
def test_real_odd_root_and_its_derivatives_match_mpmath(formula, n, x0):
    h = symgrad.hessian(formula)
    p = h.at(x=x0)
    assert p.problems == ()
    with mpmath.workdps(40):
        x = mpmath.mpf(sp.Rational(x0))
        assert abs(mpmath.mpf(sp.N(p.value, 40)) - real_root(x, n)) < mpmath.mpf("1e-30")
        d1 = mpmath.diff(lambda t: real_root(t, n), x)
        d2 = mpmath.diff(lambda t: real_root(t, n), x, 2)
    assert float(p.gradient[0]) == pytest.approx(float(d1), rel=1e-12)
    assert float(p.hessian[0][0]) == pytest.approx(float(d2), rel=1e-10)


def test_cbrt_of_a_negative_number_is_real():
    assert symgrad.parse("cbrt(-8)*x").exprs[0] == -2 * sp.Symbol("x", real=True)
    assert symgrad.gradient("cbrt(x)").at(x=-8).value == -2
    assert symgrad.gradient("cbrt(x)").at(x=-8.0).value == pytest.approx(-2.0)


def test_derivative_of_cbrt_is_written_as_a_person_would():
    (d,) = symgrad.gradient("cbrt(x)").gradient
    x = sp.Symbol("x", real=True)
    assert d == 1 / (3 * sp.Abs(x) ** sp.Rational(2, 3))
    assert not d.has(sp.DiracDelta, sp.sign)


def test_principal_roots_stay_principal():
    # x**(1/3) and root(x, 3) are SymPy's (and Python's) principal roots: complex at x < 0
    for formula in ("x**(1/3)", "root(x, 3)"):
        p = symgrad.gradient(formula).at(x=-8)
        assert p.problems and "not a real number" in p.problems[0].reason
    # an even real_root is the principal root too
    assert symgrad.parse("real_root(x, 2)").exprs[0] == sp.sqrt(sp.Symbol("x", real=True))


def test_complex_mode_cbrt_is_the_principal_root():
    z = sp.Symbol("z")
    assert symgrad.parse("cbrt(z)", real=False).exprs[0] == z ** sp.Rational(1, 3)


def test_real_root_needs_a_positive_integer(cli):
    for n in ("1/2", "0", "-3", "y"):
        result = cli(f"real_root(x, {n})", "--format", "text")
        assert result.exit_code == 2, (n, result.stdout)
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


X, Y = sp.symbols("x y", real=True)
REWRITTEN = [
    2 * sp.Abs(X) ** sp.Rational(1, 3) * sp.DiracDelta(X) + sp.sign(X) ** 2 / (3 * sp.Abs(X) ** sp.Rational(2, 3)),
    Y * sp.DiracDelta(X * Y, 1) * sp.Abs(X * Y) ** sp.Rational(1, 5) + sp.sign(X * Y) ** 3 / sp.Abs(X * Y),
    sp.sin(sp.sign(X) ** 2 * sp.Abs(X) ** -1 + X),
]


@pytest.mark.parametrize("expr", REWRITTEN)
def test_the_rewrites_change_no_value(expr):
    tidied = tidy_deltas(expr)
    assert tidied != expr
    for point in [(-2, 3), (sp.Rational(1, 3), -5), (7, sp.Rational(1, 2))]:
        values = dict(zip((X, Y), point))
        assert sp.N(tidied.subs(values) - expr.subs(values), 30) == pytest.approx(0, abs=1e-25)
    # at u = 0 both are undefined (or both 0)
    at_zero = {X: 0, Y: 1}
    before, after = expr.subs(at_zero), tidied.subs(at_zero)
    assert (before.is_finite is True) == (after.is_finite is True)
    if before.is_finite:
        assert before == after
