"""SymPy values given to ``.at()`` are held to the rules of formula text, as formulas are."""

from __future__ import annotations

import pytest
import sympy as sp

import symgrad
from symgrad.errors import PointError, ResourceLimitError

t = sp.Symbol("t")


@pytest.mark.parametrize(
    "value",
    [sp.Integral(t, (t, 0, 1)), sp.Function("f")(1), sp.Symbol("x); system('ls')") + 1],
)
def test_what_a_formula_could_not_hold_is_refused(value: sp.Basic) -> None:
    with pytest.raises(PointError, match="value of x is not a number"):
        symgrad.gradient("x**2").at(x=value)


def test_an_exact_value_beyond_the_size_limit_is_refused() -> None:
    with pytest.raises(ResourceLimitError, match="value of x is too large"):
        symgrad.gradient("x**2").at(x=sp.Integer(10) ** 5000)


def test_exact_values_stay_exact() -> None:
    assert symgrad.gradient("x**2").at(x=sp.sqrt(2)).gradient == (2 * sp.sqrt(2),)
    assert symgrad.gradient("x**2").at(x=sp.Rational(1, 3)).gradient == (sp.Rational(2, 3),)
