"""``unevaluated.call`` builds what ``cls(*args, evaluate=False)`` builds."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad import unevaluated

X, Y = sp.symbols("x y", real=True)
ARGUMENTS = [X, Y, X + Y, 2 * X, sp.Integer(0), sp.Integer(1), sp.Rational(1, 2), sp.Float(0.25), sp.pi, X * Y, sp.exp(X)]

#: Function classes of every kind: plain ones (built quickly), ones with
#: several numbers of arguments, and ones with their own construction.
CLASSES = [
    sp.exp, sp.log, sp.sin, sp.cos, sp.tanh, sp.asin, sp.atan2, sp.erf, sp.gamma, sp.polygamma, sp.besselj,
    sp.LambertW, sp.DiracDelta, sp.Heaviside, sp.Abs, sp.sign, sp.floor, sp.re, sp.Max, sp.Min, sp.Function("f"),
]  # fmt: skip


def same(built, expected):
    return (
        type(built) is type(expected)
        and built == expected
        and built.args == expected.args
        and getattr(built, "__dict__", {}) == getattr(expected, "__dict__", {})
    )


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CLASSES), st.lists(st.sampled_from(ARGUMENTS), min_size=1, max_size=2), st.integers(1, 3))
def test_the_same_object_as_sympys_unevaluated_call(cls, args, repeat):
    try:
        expected = cls(*args, evaluate=False)
    except (TypeError, ValueError) as err:  # a wrong number of arguments stays an error
        with pytest.raises(type(err)):
            unevaluated.call(cls, args)
        return
    for _ in range(repeat):  # the first of a kind is SymPy's own; the later ones are quick
        assert same(unevaluated.call(cls, args), expected)


def test_plain_functions_take_the_quick_way_and_others_do_not():
    assert unevaluated._plain(sp.exp) and unevaluated._plain(sp.atan2)
    for cls in (sp.Piecewise, sp.Heaviside, sp.Max, sp.Function("g")):
        assert not unevaluated._plain(cls)
    unevaluated.call(sp.exp, (X,))
    built = unevaluated.call(sp.exp, (Y,))
    assert same(built, sp.exp(Y, evaluate=False)) and built.nargs == sp.FiniteSet(1)
