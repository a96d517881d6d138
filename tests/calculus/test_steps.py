"""Step-by-step derivations (symgrad.calculus.steps): the rules named, the steps nested,
every step a true derivative, and the last step exactly symgrad's derivative.

The oracle for each step is SymPy's own ``diff`` of the step's ``before``
(and, for the whole derivation, symgrad's derivative), compared at seeded
random points at 30 digits; the tidy form of symgrad is only the target of
the final step, never the judge of the steps before it.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symgrad
from symgrad.calculus.steps import CONSTANTS, MAX_STEPS, TIDY, Derivation, Step, derivations, derive_steps
from symgrad.errors import AnalysisError


def _tidy_corpus() -> list[str]:
    """The tidy step's corpus (tests/calculus/test_tidy.py): the test corpus of formulas."""
    path = Path(__file__).with_name("test_tidy.py")
    spec = importlib.util.spec_from_file_location("_tidy_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.CORPUS)


CORPUS = _tidy_corpus()
EXTRA = [
    "x^3*sin(x)", "x**x", "sin(x)**cos(x)", "abs(x**2 - 1)", "asin(x/2) + acos(x/3) + atan(x)",
    "sinh(x)*cosh(y) + tanh(x*y)", "asinh(x) + atanh(x/2)", "2**x + 3**(x*y)", "log(x**2 + 1)",
    "sqrt(x**2 + y**2)", "sin(exp(x**2 + y**2))", "1/x", "x/(x + 1)", "5", "y", "cos(tan(sin(x)))",
    "Max(x, y) + x", "erf(x**2)", "sec(x) + csc(x) + cot(x)",
]  # fmt: skip


def rules(steps) -> list[str]:
    return [s.rule for step in steps for s in step.walk()]


def value(expr, point):
    return sp.N(expr.xreplace(point), 30)


def finite(v) -> bool:
    return v.is_number and v.is_finite is not False and not v.has(sp.nan, sp.zoo, sp.oo, -sp.oo)


def assert_same(a, b, what: str, seed: int = 0) -> None:
    """``a`` and ``b`` agree at 4 seeded random points (30 digits) where both are finite."""
    rng = random.Random(seed)
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    compared = 0
    for _ in range(12):
        point = {s: sp.Float(rng.uniform(0.2, 1.8) * rng.choice((-1, 1)), 30) for s in symbols}
        va, vb = value(a, point), value(b, point)
        if not (finite(va) and finite(vb)):
            continue
        assert abs(complex(va - vb)) <= 1e-18 * (1 + abs(complex(va))), (what, a, b, point)
        compared += 1
        if compared == 4:
            return
    assert compared, (what, "no point where both are finite", a, b)


def assert_every_step_true(step: Step, what: str) -> None:
    """Each derivative step's ``after`` is SymPy's derivative of its ``before``."""
    if step.is_derivative:
        assert_same(sp.diff(step.before, step.variable), step.after, f"{what}: {step.rule} {step.before}")
    for sub in step.substeps:
        assert_every_step_true(sub, what)


def assert_derivation(d: Derivation, entry_value, what: str) -> None:
    last = d.steps[-1]
    assert last.rule == TIDY
    assert last.after == entry_value and str(last.after) == str(entry_value)
    assert last.before == d.raw
    assert_same(d.raw, entry_value, f"{what} {d.key}: the rules' result vs symgrad's")
    for step in d.steps[:-1]:
        assert_every_step_true(step, f"{what} {d.key}")


def check_formula(formula: str, hessian: bool) -> None:
    derivs = symgrad.hessian(formula) if hessian else symgrad.gradient(formula)
    found = derivations(derivs)
    entries = list(derivs.entries())
    assert [d.key for d in found] == [e.key for e in entries]
    for d, e in zip(found, entries):
        assert_derivation(d, e.value, formula)


# -- the rules named --------------------------------------------------------


def only(formula: str, wrt: str | None = None, hessian: bool = False) -> Derivation:
    derivs = symgrad.hessian(formula, wrt=wrt) if hessian else symgrad.gradient(formula, wrt=wrt)
    return derivations(derivs)[0]


def test_x3_sin_x_names_product_power_and_trig_rules() -> None:
    d = only("x^3*sin(x)", "x")
    top = d.steps[0]
    assert top.rule == "product rule"
    assert [s.rule for s in top.substeps] == ["power rule", "trig rule"]
    assert top.substeps[0].after == 3 * sp.Symbol("x", real=True) ** 2
    assert d.steps[-1].after == symgrad.gradient("x^3*sin(x)").gradient[0]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("x + 3", {"sum rule", "variable", "constant"}),
        ("5*x**4", {"constant multiple rule", "power rule"}),
        ("(x + 1)/(x - 1)", {"quotient rule", "sum rule"}),
        ("exp(x) + log(x)", {"exponential rule", "logarithm rule"}),
        ("2**x", {"exponential rule"}),
        ("asin(x) + atan(x)", {"inverse trig rule"}),
        ("sinh(x) + tanh(x)", {"hyperbolic rule"}),
        ("asinh(x)", {"inverse hyperbolic rule"}),
        ("Abs(x**2 - 2)", {"abs rule", "chain rule"}),
        ("x**x", {"rewrite a**b as exp(b*log(a))", "exponential rule", "product rule", "logarithm rule"}),
        ("erf(x)", {"derivative of erf"}),
        ("Max(x, 1)", {"derivative of Max"}),
    ],
)
def test_rules_are_named(formula: str, expected: set[str]) -> None:
    d = only(formula)
    assert expected <= set(rules(d.steps)), rules(d.steps)
    assert_derivation(d, symgrad.gradient(formula).gradient[0], formula)


def test_chain_rule_names_the_inner_function() -> None:
    d = only("sin(x**2 + y**2)", "x,y")
    assert d.steps[0].rule == CONSTANTS
    assert [v.name for v in d.steps[0].inner] == ["y"]
    chain = d.steps[1]
    assert chain.rule == "chain rule" and chain.name == "u"
    x, y = sp.symbols("x y", real=True)
    assert chain.inner == x**2 + y**2
    outer, inner = chain.substeps
    assert outer.rule == "trig rule" and outer.before == sp.sin(outer.variable)
    assert outer.variable.name == "u" and inner.before == x**2 + y**2


def test_nested_chains_are_nested_with_their_own_names() -> None:
    d = only("cos(tan(sin(x**2)))")
    first = d.steps[0]
    assert first.rule == "chain rule" and first.name == "u"
    second = first.substeps[1]
    assert second.rule == "chain rule" and second.name == "v"
    third = second.substeps[1]
    assert third.rule == "chain rule" and third.name == "w"
    assert [s.rule for s in third.substeps] == ["trig rule", "power rule"]  # d/dw sin(w), d/dx x**2


def test_inner_names_avoid_the_formulas_symbols() -> None:
    d = only("sin(u**2 + v)", "u")
    names = [s.name for s in d.steps[1].walk() if s.rule == "chain rule"]
    assert names and not {"u", "v"} & set(names)


def test_one_variable_has_no_constants_step_and_parameters_do() -> None:
    assert CONSTANTS not in rules(only("x**2").steps)
    assert CONSTANTS in rules(only("a*x**2", "x").steps)


def test_hessian_entries_start_from_the_first_derivative() -> None:
    derivs = symgrad.hessian("x**2*sin(y)")
    found = derivations(derivs)
    by_key = {d.key: d for d in found}
    mixed = by_key["d2f/dxdy"]
    assert mixed.start_key == "df/dx"
    assert mixed.start == derivs.gradient[0]
    assert mixed.variable.name == "y"
    assert mixed.result == derivs.hessian[0][1]
    assert by_key["d2f/dy^2"].start == derivs.gradient[1]


def test_vector_function_has_one_derivation_per_jacobian_entry() -> None:
    derivs = symgrad.jacobian("x*y", "sin(x) + y")
    found = derivations(derivs)
    assert [d.key for d in found] == [e.key for e in derivs.entries()]
    for d, e in zip(found, derivs.entries()):
        assert_derivation(d, e.value, "jacobian")


def test_a_derivation_too_long_is_refused() -> None:
    formula = "*".join(f"sin(x + {k})" for k in range(MAX_STEPS // 4))
    with pytest.raises(AnalysisError, match="--steps"):
        derive_steps(symgrad.parse(formula).exprs[0], symgrad.parse(formula).variables[0])


def test_complex_variables() -> None:
    derivs = symgrad.gradient("exp(x**2)*sin(x)/(x + 1) + x**x", real=False)
    for d, e in zip(derivations(derivs), derivs.entries()):
        assert_derivation(d, e.value, "complex")


# -- every formula of the corpus --------------------------------------------


@pytest.mark.parametrize("formula", EXTRA)
def test_extra_formulas(formula: str) -> None:
    check_formula(formula, hessian=False)


def test_corpus_gradients_quick() -> None:
    for formula in CORPUS[:5]:
        check_formula(formula, hessian=False)


@pytest.mark.slow
def test_corpus_gradients() -> None:
    for formula in [*CORPUS, *EXTRA]:
        check_formula(formula, hessian=False)


@pytest.mark.slow
def test_corpus_hessians() -> None:
    for formula in CORPUS:
        check_formula(formula, hessian=True)


# -- random formulas --------------------------------------------------------

_X, _Y = sp.symbols("x y", real=True)
_FUNCS = [sp.sin, sp.cos, sp.exp, sp.atan, sp.tanh, sp.sinh, sp.asinh, sp.erf,
          lambda u: sp.log(1 + u**2), lambda u: sp.sqrt(1 + u**2), sp.Abs]  # fmt: skip

leaves = st.one_of(st.sampled_from([_X, _Y, _X, _Y]), st.integers(-3, 4).map(sp.Integer),
                   st.sampled_from([sp.Rational(1, 2), sp.Rational(-2, 3), sp.pi]))  # fmt: skip


def _extend(children):
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, children).map(lambda t: t[0] / (2 + t[1] ** 2)),
        st.tuples(children, st.sampled_from([2, 3, -1, sp.Rational(1, 2)])).map(lambda t: (1 + t[0] ** 2) ** t[1]),
        st.tuples(st.sampled_from(_FUNCS), children).map(lambda t: t[0](t[1])),
        st.tuples(children, children).map(lambda t: (2 + t[0] ** 2) ** t[1]),
    )


formulas = st.recursive(leaves, _extend, max_leaves=8).map(lambda e: _X * e + e)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas)
def test_random_formulas(expr) -> None:
    derivs = symgrad.gradient(expr, wrt="x,y")
    for d, e in zip(derivations(derivs), derivs.entries()):
        assert_derivation(d, e.value, str(expr))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(leaves, _extend, max_leaves=5).map(lambda e: _X * _Y * e))
def test_random_hessians(expr) -> None:
    derivs = symgrad.hessian(expr, wrt="x,y")
    for d, e in zip(derivations(derivs), derivs.entries()):
        assert_derivation(d, e.value, str(expr))


def test_a_negative_exponent_of_exp_is_a_factor_not_a_quotient() -> None:
    d = only("x*exp(-x)")
    assert d.steps[0].rule == "product rule"
    assert "quotient rule" not in rules(d.steps)
    assert_derivation(d, symgrad.gradient("x*exp(-x)").gradient[0], "x*exp(-x)")
