"""The code printers sort a product's factors quickly, and print exactly as before.

Every language's printer (``languages.CodeOrder``: ``QuickFactorOrder`` on
top of ``BoundedOrder``) must write the same code as the same SymPy printer
with ``BoundedOrder`` alone, on generated expressions: products of
exponentials of linear forms (a dense Hessian's entries), negative and
rational coefficients, powers in denominators, functions, and C's constants
written as macros (``2/pi`` is ``M_2_PI``, a product looked up by itself).
"""

from __future__ import annotations

import importlib

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad.codegen.languages import TABLE
from symgrad.term_order import BoundedOrder

NAMES = ["x", "y", "x1", "x2", "x10", "t0", "t12"]
symbols = st.sampled_from([sp.Symbol(n, real=True) for n in NAMES])
coefficients = st.sampled_from([1, -1, 2, -3, sp.Rational(1, 2), sp.Rational(-5, 3), sp.Float(2.5)]).map(sp.S)
linear = st.lists(st.tuples(coefficients, symbols), min_size=1, max_size=3).map(lambda ts: sp.Add(*[c * s for c, s in ts]))


def extend(children):
    exponents = st.sampled_from([2, -1, -2, sp.Rational(1, 2), sp.Rational(-3, 2)]).map(sp.S)
    return st.one_of(
        st.tuples(st.sampled_from([sp.exp, sp.sin, sp.log, sp.cos]), children).map(lambda t: t[0](t[1])),
        st.tuples(children, exponents).map(lambda t: t[0] ** t[1]),
        st.lists(children, min_size=2, max_size=4).map(lambda xs: sp.Mul(*xs)),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: sp.Add(*xs)),
        st.tuples(coefficients, children).map(lambda t: t[0] * t[1]),
    )


constants = st.sampled_from([sp.pi, 1 / sp.pi, 2 / sp.pi, sp.pi / 2, sp.sqrt(2), 1 / sp.sqrt(2), sp.E, sp.log(2)])
expressions = st.recursive(symbols | linear | constants | linear.map(sp.exp), extend, max_leaves=8)


def plain_printer(language):
    """The language's printer class with ``BoundedOrder`` only, as before the quick factor order."""
    printer = TABLE[language].code_printer()
    for klass in type(printer).__mro__:
        if klass.__module__.startswith("sympy.printing"):
            module = importlib.import_module(klass.__module__)
            sympy_class = getattr(module, klass.__name__)
            break
    own = {k: v for k, v in vars(type(printer)).items() if not k.startswith("__")}
    if "_print_Mul" in own:  # Rust's: SymPy's CodePrinter._print_Mul on the product as it is
        from sympy.printing.codeprinter import CodePrinter

        own["_print_Mul"] = lambda self, expr, **settings: str(CodePrinter._print_Mul(self, expr))
    plain = type("Plain", (BoundedOrder, sympy_class), own)(printer._settings)
    for name, value in vars(printer).items():  # what the language sets on its printer (Fortran's constants)
        vars(plain).setdefault(name, value)
    return printer, plain


@pytest.mark.parametrize("language", sorted(TABLE))
@settings(max_examples=150, deadline=None)
@given(expr=expressions)
def test_code_is_the_same_as_with_sympys_factor_order(language, expr):
    quick, plain = plain_printer(language)
    prepared = TABLE[language].prepare(expr)
    try:
        expected = plain.doprint(prepared)
    except Exception as err:  # noqa: BLE001 (a function the language cannot write)
        with pytest.raises(type(err)):
            quick.doprint(prepared)
        return
    assert quick.doprint(prepared) == expected


@pytest.mark.parametrize("expr", [2 / sp.pi, 1 / sp.pi, -2 / sp.pi, sp.pi / 2, 2 * sp.Symbol("x", real=True) / sp.pi])
def test_c_macros_are_kept(expr):
    quick, plain = plain_printer("c")
    assert quick.doprint(expr) == plain.doprint(expr)
    if expr == 2 / sp.pi:
        assert "M_2_PI" in quick.doprint(expr)
