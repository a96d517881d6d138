"""The one result shape: m×n first derivatives, Hessians, and entries() in output order."""

from __future__ import annotations

import pytest
import sympy as sp

import symgrad
from symgrad import labels


def test_scalar_result_is_one_row_with_gradient_view():
    d = symgrad.hessian("x**2*y")
    x, y = d.variables
    assert d.first == ((2 * x * y, x**2),)
    assert d.gradient == d.first[0] and d.jacobian is None
    assert [(e.component, e.wrt, e.key) for e in d.entries()] == [
        (None, (0,), "df/dx"), (None, (1,), "df/dy"),
        (None, (0, 0), "d2f/dx^2"), (None, (0, 1), "d2f/dxdy"), (None, (1, 1), "d2f/dy^2"),
    ]
    assert [e.value for e in d.entries()] == [2 * x * y, x**2, 2 * y, 2 * x, 0]


def test_vector_result_entries_are_row_by_row_then_each_hessian():
    d = symgrad.jacobian("x*y", "x+y", hessian=True)
    assert d.gradient is None and d.jacobian == d.first
    keys = [e.key for e in d.entries("V")]
    assert keys[:4] == ["dV1/dx", "dV1/dy", "dV2/dx", "dV2/dy"]
    assert keys[4:] == ["d2V1/dx^2", "d2V1/dxdy", "d2V1/dy^2", "d2V2/dx^2", "d2V2/dxdy", "d2V2/dy^2"]
    assert {e.component for e in d.entries()} == {0, 1}


def test_point_values_have_the_same_entries_as_the_derivatives():
    d = symgrad.jacobian("x*y", "x**2", hessian=True)
    v = d.at(x=2, y=3)
    assert [e.key for e in v.entries()] == [e.key for e in d.entries()]
    assert [e.value for e in v.entries()] == [3, 2, 4, 0, 0, 1, 0, 2, 0, 0]
    assert v.jacobian == ((3, 2), (4, 0))
    assert v.hessians[1] == ((2, 0), (0, 0))


def test_scalar_derivatives_refuse_two_rows():
    d = symgrad.gradient("x")
    with pytest.raises(ValueError):
        type(d)(d.parsed, ((1,), (2,)))


@pytest.mark.parametrize(
    ("wrt", "text", "pretty", "latex"),
    [
        (["x"], "df/dx", "∂f/∂x", r"\frac{\partial f}{\partial x}"),
        (["x", "y"], "d2f/dxdy", "∂²f/∂x∂y", r"\frac{\partial^{2} f}{\partial x \partial y}"),
        (["x", "x"], "d2f/dx^2", "∂²f/∂x²", r"\frac{\partial^{2} f}{\partial x^{2}}"),
        (["x", "y", "y"], "d3f/dxdy^2", "∂³f/∂x∂y²", r"\frac{\partial^{3} f}{\partial x \partial y^{2}}"),
    ],
)
def test_one_label_per_style(wrt, text, pretty, latex):
    assert labels.derivative("f", wrt) == text
    assert labels.derivative("f", wrt, "pretty") == pretty
    assert labels.derivative("f", wrt, "latex") == latex


def test_latex_ordinary_derivative_and_unknown_style():
    assert labels.derivative("f", ["x"], "latex", ordinary=True) == r"\frac{d f}{d x}"
    with pytest.raises(ValueError):
        labels.derivative("f", ["x"], "html")


def test_entries_agree_with_sympy_diff():
    d = symgrad.hessian("sin(x*y) + exp(y)")
    names = {v.name: v for v in d.variables}
    f = d.exprs[0]
    for e in d.entries():
        expected = f
        for k in e.wrt:
            expected = sp.diff(expected, d.variables[k])
        assert sp.simplify(e.value - expected) == 0, e.key
    assert set(names) == {"x", "y"}


def test_library_errors_speak_of_variables_not_options():
    with pytest.raises(symgrad.VariableError) as caught:
        symgrad.gradient("x**2").at(q=1)
    err = caught.value
    assert str(err) == "unknown variable 'q' (the formula's symbols: x)"
    assert err.names == ("q",) and err.known == ("x",)
    assert str(err.about("--at")).startswith("--at: unknown variable 'q'")
    assert str(err.about("--grid")).startswith("--at: ")  # the first option named stays


def test_every_format_says_what_it_supports():
    from symgrad.output import available_formats, format_info

    infos = {name: format_info(name) for name in available_formats()}
    assert {n for n, i in infos.items() if i.code} == {
        "python", "numpy", "c", "fortran", "julia", "rust", "js", "octave"}
    assert {n for n, i in infos.items() if i.analysis} == {"text", "pretty", "json", "latex"}
    assert all(not i.points for i in infos.values() if i.code)


def test_library_functions_are_not_shadowed_by_subpackages():
    # symgrad.evaluate was the evaluate *module* once any point had been evaluated
    # (importing a submodule sets the package attribute of that name); no stage
    # package is named like a library function.
    code = (
        "import symgrad; g = symgrad.gradient('x**2'); g.at(x=1); "
        "import symgrad.evaluation.exact, symgrad.parsing; "
        "print(callable(symgrad.evaluate), callable(symgrad.parse), "
        "symgrad.evaluate(g, {'x': 3}).gradient)"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "(6,)"]
