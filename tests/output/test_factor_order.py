"""A product's factors are sorted by symgrad's quick key, and print exactly as SymPy prints them.

``order.sort_key`` mirrors SymPy's ``Expr.sort_key`` with the terms of a
linear form (``x_i + x_j`` inside ``exp``) taken from ``order.linear_order``
instead of SymPy's exponent vectors; the text printers sort a product's
factors with it (``order.QuickFactorOrder``). Checked here over generated
expressions (linear forms, sums, products, powers, ``exp``/``log``/``sin``
and an undefined function of them, rational and negative coefficients,
names such as ``x1``, ``x10``, ``x2``, ``a_b``):

* the key is ``default_sort_key`` of every subexpression;
* the factor order is ``as_ordered_factors()``;
* the text of the ``str`` printers (``sstr``, ``readable_sstr``,
  ``symbolic_text``, also with ``order="none"``) is
  ``StrPrinter({"full_prec": False})``'s, character for character, also
  for the products the printer takes apart around a negative coefficient
  (``-2*...``, ``-5/3*...``, ``-2.5*...``, ``-2*(x1 + y)``), unevaluated
  products, noncommutative factors, ``E**u``, a ``Dummy``, infinities;
* printing ``y*exp(x1 + x2)`` builds no exponent vectors (the point of it).
"""

from __future__ import annotations

import pytest
import sympy as sp
from helpers import log_sum_exp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.core.sorting import default_sort_key
from sympy.printing.str import StrPrinter

import symgrad
from symgrad import term_order as order
from symgrad.output import memo, numbers

NAMES = ["x", "y", "z", "x1", "x2", "x10", "x9", "a_b", "X"]
f = sp.Function("f")

symbols = st.one_of(
    st.sampled_from(NAMES).map(sp.Symbol),
    st.sampled_from(["x", "y1"]).map(lambda name: sp.Symbol(name, positive=True)),  # same name, another symbol
)
rationals = st.sampled_from([1, -1, 2, -3, sp.Rational(1, 2), sp.Rational(-5, 3), sp.Rational(7, 4)]).map(sp.S)
linear_forms = st.lists(st.tuples(rationals, symbols), min_size=1, max_size=5).map(
    lambda terms: sp.Add(*[c * s for c, s in terms])
)


def extend(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    exponents = st.sampled_from([2, 3, -1, -2, sp.Rational(1, 2), sp.Rational(-3, 2)]).map(sp.S) | children
    return st.one_of(
        st.tuples(st.sampled_from([sp.exp, sp.log, sp.sin, f]), children).map(lambda t: t[0](t[1])),
        st.tuples(children, exponents).map(lambda t: t[0] ** t[1]),
        st.lists(children, min_size=2, max_size=4).map(lambda xs: sp.Mul(*xs)),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: sp.Add(*xs)),
        st.tuples(rationals, children).map(lambda t: t[0] * t[1]),
    )


expressions = st.recursive(symbols | linear_forms | rationals, extend, max_leaves=10)


def sympy_text(expr: sp.Basic, **settings: object) -> str:
    return StrPrinter({"full_prec": False, **settings}).doprint(expr)


def fresh_texts(expr: sp.Basic) -> dict[str, str]:
    """The text of each ``str`` printer, with nothing remembered from other expressions."""
    memo.forget()
    numbers.forget()
    return {
        "sstr": memo.sstr(expr),
        "readable_sstr": memo.readable_sstr(expr),
        "symbolic_text": numbers.symbolic_text(expr),
    }


@settings(max_examples=400, deadline=None)
@given(expressions)
def test_the_quick_key_is_sympys_key(expr):
    for sub in sp.preorder_traversal(expr):
        assert order.sort_key(sub) == default_sort_key(sub), sub


@settings(max_examples=400, deadline=None)
@given(st.lists(expressions, min_size=2, max_size=5))
def test_products_order_and_print_as_in_sympy(factors):
    expr = sp.Mul(*factors)
    for sub in sp.preorder_traversal(expr):
        if sub.is_Mul:
            assert order.ordered_factors(sub) == sub.as_ordered_factors(), sub
    want = sympy_text(expr)
    assert fresh_texts(expr) == dict.fromkeys(["sstr", "readable_sstr", "symbolic_text"], want)
    assert numbers.symbolic_text(expr, order="none") == sympy_text(expr, order="none")


@settings(max_examples=200, deadline=None)
@given(expressions)
def test_expressions_print_as_in_sympy(expr):
    want = sympy_text(expr)
    assert fresh_texts(expr) == dict.fromkeys(["sstr", "readable_sstr", "symbolic_text"], want)


x1, x2, x10, y, a_b = sp.symbols("x1 x2 x10 y a_b")
A, B = sp.symbols("A B", commutative=False)
d = sp.Dummy("d")
SPECIAL = [
    -sp.exp(x1 + x10) / (sp.exp(x1) + sp.exp(x2) + sp.exp(x10)) ** 2,  # a log-sum-exp Hessian entry
    -2 * sp.exp(x2 - x10 / 3) * y / (a_b + 1),  # a coefficient other than -1: rebuilt by _keep_coeff
    -2 * sp.exp(x2 + x10),  # ... around a single factor
    sp.Rational(-5, 3) * sp.exp(x2 + x1) / (y * sp.exp(x10 - x2)),
    sp.Mul._from_args((sp.Integer(-2), x1 + y)),  # ... around a sum
    sp.Mul._from_args((sp.Integer(-2), x1 + y, sp.exp(x10 + x1))),
    sp.Mul._from_args((sp.Rational(-1, 2), 2 * x1 + 4 * y)),  # the sum keeps the coefficient (_keep_coeff's clear)
    -sp.oo * x1 * sp.exp(x2 + y),
    sp.Float(-2.5) * sp.exp(x2 + y) * sp.exp(x1 + 3 * x2),
    sp.Float(-1.0) * sp.exp(x2 + y) * x10,
    sp.Mul(2, 3, x1, evaluate=False),  # unevaluated: printed as stored
    sp.Mul(sp.S.One, x1, sp.exp(x2 + x1), evaluate=False),
    # E**u (unevaluated) keys as exp(u): between exp(x10) and exp(x10 + x2)
    sp.Mul(y, sp.Pow(sp.E, x1 + x2, evaluate=False), sp.exp(x10 + x2), sp.Pow(sp.E, x2, evaluate=False), evaluate=False),
    sp.exp(x1 + d) * sp.exp(2 * x2 + d) * d,  # a Dummy
    A * sp.exp(x1 + x2) * B * y,  # noncommutative factors keep their place
    sp.exp(A + x1) * sp.exp(x2 + y),
    sp.exp(sp.Float(1.5) * x1 + x2) * sp.exp(x2 + x10) * sp.Float(-2.5),
    x1 ** (x2 + x10) * x2 ** (x1 - y) * sp.exp(y + x10),  # linear forms in exponents
    sp.sqrt(x1 + x2) * sp.exp(-x1 - x2) * sp.sin(x10 + 2 * y) ** 2 * sp.log(a_b + y),
    sp.Rational(-3, 7) * sp.exp(x1 + x2) * sp.exp(x10) / (y * a_b),
    sp.oo * x1 * sp.exp(x2 + y),
    sp.zoo * x1 * sp.exp(x2 + y),
    sp.I * sp.exp(x1 + x2) * sp.exp(y - x1),
]


@pytest.mark.parametrize("expr", SPECIAL, ids=range(len(SPECIAL)))
def test_special_products_print_as_in_sympy(expr):
    for sub in sp.preorder_traversal(expr):
        assert order.sort_key(sub) == default_sort_key(sub), sub
    want = sympy_text(expr)
    assert fresh_texts(expr) == dict.fromkeys(["sstr", "readable_sstr", "symbolic_text"], want)
    assert numbers.symbolic_text(expr, order="none") == sympy_text(expr, order="none")


def test_a_log_sum_exp_hessian_prints_as_in_sympy():
    derivs = symgrad.hessian(log_sum_exp(12, 4))
    numbers.forget()
    for row in derivs.hessian:
        for entry in row:
            assert numbers.symbolic_text(entry) == sympy_text(entry)


def test_a_product_of_exponentials_of_linear_forms_builds_no_exponent_vectors(monkeypatch):
    """The exponentials are keyed by their linear forms' symbols, not by SymPy's ``Expr.as_terms``."""
    expr = y * sp.exp(x1 + x2) * sp.sin(3 * x10 - x2) * sp.exp(-x1 / 2 + a_b)
    want = sympy_text(expr)
    sp.core.cache.clear_cache()  # SymPy remembers the keys it computed above

    def refuse(self):
        raise AssertionError(f"as_terms({self})")

    monkeypatch.setattr(sp.Expr, "as_terms", refuse)
    assert fresh_texts(expr) == dict.fromkeys(["sstr", "readable_sstr", "symbolic_text"], want)
