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
    with pytest.raises(AnalysisError, match="scalar"):
        laplacian(symgrad.jacobian("x", "y"))
    with pytest.raises(AnalysisError, match="scalar"):
        partial(symgrad.jacobian("x", "y"), (x,))
