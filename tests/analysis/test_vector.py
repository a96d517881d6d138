"""Vector calculus: divergence, curl, Laplacian, directional and mixed partials."""

from __future__ import annotations

import pytest
import sympy as sp

import symgrad
from symgrad.analysis.vector import (
    curl,
    directional,
    divergence,
    laplacian,
    normalised,
    parse_direction,
    parse_partial,
    partial,
    partial_name,
)
from symgrad.errors import AnalysisError, PointError, VariableError

x, y, z = sp.symbols("x y z", real=True)


def test_divergence_by_hand():
    assert divergence(symgrad.jacobian("x*y", "y*z", "z*x")) == x + y + z
    assert divergence(symgrad.jacobian("x**2", "x*y")) == 3 * x


def test_curl_of_a_rotation():
    # F = (-y, x, 0): curl F = (0, 0, 2)
    assert curl(symgrad.jacobian("-y", "x", "0", wrt="x,y,z")) == (0, 0, 2)


def test_curl_by_hand():
    # F = (x^2 y, y z, x): (dF3/dy - dF2/dz, dF1/dz - dF3/dx, dF2/dx - dF1/dy) = (-y, -1, -x^2)
    assert curl(symgrad.jacobian("x**2*y", "y*z", "x")) == (-y, -1, -(x**2))


def test_identities():
    # curl grad = 0 and div curl = 0
    f = x * y * z**2 + sp.sin(x * y)
    grad = [sp.diff(f, v) for v in (x, y, z)]
    assert all(sp.simplify(c) == 0 for c in curl(symgrad.jacobian(*grad)))
    field = symgrad.jacobian("x*y*z", "sin(x)*z", "exp(y)*x")
    c = curl(field)
    div_curl = sum(sp.diff(c[i], v) for i, v in enumerate((x, y, z)))
    assert sp.simplify(div_curl) == 0


def test_laplacian():
    assert laplacian(symgrad.gradient("x**2 + y**2 + z**2")) == 6
    assert laplacian(symgrad.gradient("x**2 - y**2")) == 0
    assert sp.simplify(laplacian(symgrad.gradient("log(x**2 + y**2)"))) == 0
    assert laplacian(symgrad.hessian("x**3*y")) == 6 * x * y  # from the Hessian's diagonal


def test_directional_derivative_is_normalised():
    # f = x^2 + 3y along (3, 4): u = (3/5, 4/5), grad f . u = (6x + 12)/5
    unit = normalised(parse_direction("3,4", [x, y]))
    assert unit == (sp.Rational(3, 5), sp.Rational(4, 5))
    d = directional(symgrad.gradient("x**2 + 3*y"), unit)
    assert sp.expand(d - (6 * x + 12) / 5) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,1,0", (1, 1, 0)), ("v=1,1,0", (1, 1, 0)), ("x=1,z=2", (1, 0, 2)), ("y=sqrt(2)", (0, sp.sqrt(2), 0))],
)
def test_direction_forms(text, expected):
    assert parse_direction(text, [x, y, z]) == expected


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("1,2", VariableError, "2 components given, but there are 3 variables"),
        ("x=1,w=1", VariableError, "'w' is not a variable"),
        ("w=1", VariableError, "1 component given"),  # w= read as a label
        ("x=1,2,3", VariableError, "name every component"),
        ("1,abc,0", PointError, "component 2 is not a finite real number"),
    ],
)
def test_direction_errors(text, error, message):
    with pytest.raises(error, match=message):
        parse_direction(text, [x, y, z])


def test_zero_direction_is_an_error():
    with pytest.raises(AnalysisError, match="zero vector"):
        normalised((0, 0))


def test_mixed_partial():
    g = symgrad.gradient("x**2*y**3")
    wrt = parse_partial("x,y,y", g)
    assert partial(g, wrt) == 12 * x * y  # d/dx 2xy^3 ... = 2x * 6y
    assert partial_name(wrt) == "d3f/dxdy^2"
    assert partial_name(parse_partial("y", g)) == "df/dy"
    with pytest.raises(VariableError, match="'q' is not a variable"):
        parse_partial("x,q", g)


def test_shapes_are_checked():
    with pytest.raises(AnalysisError, match="3 formulas in 3 variables"):
        curl(symgrad.jacobian("x", "y"))
    with pytest.raises(AnalysisError, match="as many formulas"):
        divergence(symgrad.jacobian("x*y*z", "y"))


# ---------------------------------------------------------------------------
# Several formulas: Laplacian, directional derivative and partial per component


def test_laplacian_of_each_component_by_hand():
    F = symgrad.jacobian("x**2*y + z", "x*y**3", "sin(x)*z**2")
    # Δ(x²y + z) = 2y; Δ(xy³) = 6xy; Δ(sin(x) z²) = -sin(x) z² + 2 sin(x)
    expected = (2 * y, 6 * x * y, -sp.sin(x) * z**2 + 2 * sp.sin(x))
    for got, want in zip(laplacian(F), expected):
        assert sp.simplify(got - want) == 0
    # the same from the Hessians when they were computed
    FH = symgrad.jacobian("x**2*y + z", "x*y**3", "sin(x)*z**2", hessian=True)
    assert all(sp.simplify(a - b) == 0 for a, b in zip(laplacian(FH), laplacian(F)))


def test_directional_derivative_of_a_vector_function_is_the_jacobian_times_u():
    F = symgrad.jacobian("x*y", "x + 3*y", "x**2")
    u = normalised(parse_direction("3,4", F.variables))
    assert u == (sp.Rational(3, 5), sp.Rational(4, 5))
    # J = [[y, x], [1, 3], [2x, 0]]; J·u by hand
    assert directional(F, u) == (3 * y / 5 + 4 * x / 5, sp.Rational(3, 5) + sp.Rational(12, 5), 6 * x / 5)


def test_partial_of_each_component_by_hand():
    F = symgrad.jacobian("x**2*y**3", "exp(x*y)")
    wrt = parse_partial("x,y,y", F)
    got = partial(F, wrt)
    # ∂³/∂x∂y² of x²y³ is 12xy; of exp(xy), step by step: ∂/∂x gives y e^{xy},
    # then ∂/∂y (1 + xy) e^{xy}, then ∂/∂y (2x + x²y) e^{xy}
    assert got[0] == 12 * x * y
    assert sp.simplify(got[1] - (2 * x + x**2 * y) * sp.exp(x * y)) == 0
    assert partial_name(wrt, "F") == "d3F/dxdy^2"


def test_scalar_results_stay_single_expressions():
    g = symgrad.gradient("x**2*y")
    assert laplacian(g) == 2 * y
    assert directional(g, (1, 0)) == 2 * x * y
    assert partial(g, (x,)) == 2 * x * y


def test_fields_at_zero_of_a_power_with_a_parameter_exponent():
    # the analysis values substitute parameters first, like --at, and use merged powers
    from symgrad.analysis import AnalysisSpec, run_analysis

    derivs = symgrad.gradient("x**n", wrt="x")  # no Hessian: the Laplacian differentiates itself
    spec = AnalysisSpec(laplacian=True, diff="x,x")
    for n, value in (("1", 0), ("2", 2), ("3", 0)):
        result = run_analysis(derivs, spec, [{"x": "0", "n": n}])
        assert result.problems == ()
        assert [f.points[0] for f in result.fields] == [value, value]
