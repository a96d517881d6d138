"""Entries of one shape evaluated together (symgrad/evaluation/templates.py).

The grouped evaluation must give the same doubles as evaluating each entry
alone (one ``lambdify`` of the entries), and the right values: the dense
log-sum-exp Hessian is checked against its hand-derived form
``diag(p) - p pᵀ`` computed with mpmath at 40 digits.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symgrad
from symgrad.evaluation import templates
from symgrad.evaluation.compiled import CompiledEntries
from symgrad.subexpressions import shared_terms


def one_by_one(derivs: symgrad.Derivatives, points: np.ndarray) -> np.ndarray:
    """The entries evaluated by symgrad's one-``lambdify`` path (grouping turned off)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(templates, "MAX_SHAPES", -1)
        return CompiledEntries(derivs, "numpy")(points).values


def spy_on_grouping(patch: pytest.MonkeyPatch) -> list[bool]:
    """Each later compile_templates call's answer: whether it grouped the entries."""
    used: list[bool] = []
    real = templates.compile_templates

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        used.append(result is not None)
        return result

    patch.setattr(templates, "compile_templates", spy)
    return used


def grouped(derivs: symgrad.Derivatives, points: np.ndarray) -> np.ndarray:
    """The entries evaluated a shape at a time, however few entries share a shape."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(templates, "MIN_PER_SHAPE", 0)
        patch.setattr(templates, "MAX_SHAPES", 10**6)
        used = spy_on_grouping(patch)
        compiled_entries = CompiledEntries(derivs, "numpy")
        values = compiled_entries(points).values
    assert used == ([True] if compiled_entries._varying else [])
    return values


def lse(n: int) -> str:
    return "log(" + " + ".join(f"exp(x{i})" for i in range(1, n + 1)) + ")"


def rosenbrock(n: int) -> str:
    return " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n))


def test_a_dense_hessian_has_few_shapes():
    derivs = symgrad.hessian(lse(30))
    exprs = [e.value for e in derivs.entries("f")]
    temps, reduced = shared_terms(exprs)
    items = [value for _, value in temps] + reduced
    shapes = templates.shapes_of(items, [*derivs.variables, *(t for t, _ in temps)])
    # the exponentials, the sum, the gradient, the diagonal, the off-diagonal entries...
    assert len(shapes.members) < 12
    assert sorted(i for m in shapes.members.values() for i in m) == list(range(len(items)))
    off_diagonal = max(shapes.members.values(), key=len)
    assert len(off_diagonal) == 30 * 29 // 2


@pytest.mark.parametrize("formula", [lse(12), rosenbrock(12)])
def test_grouped_values_are_the_hand_derived_hessian(formula):
    """Against diag(p) - p pᵀ (log-sum-exp) and the Rosenbrock band, in mpmath."""
    mp.mp.dps = 40
    n = 12
    derivs = symgrad.hessian(formula)
    c = CompiledEntries(derivs, "numpy")
    rng = np.random.default_rng(3)
    points = rng.uniform(-1.5, 1.5, size=(300, n))
    block = c(points).values
    names = c.names
    for row, x in zip(block[:25], points[:25]):
        if formula.startswith("log"):
            z = [mp.exp(mp.mpf(v)) for v in x]
            total = mp.fsum(z)
            p = [v / total for v in z]

            def entry(i, j, p=p):
                return (p[i] if i == j else 0) - p[i] * p[j]
        else:
            def entry(i, j, x=x):
                xi = mp.mpf(x[i])
                if i == j:
                    return (2 + 1200 * xi**2 - 400 * mp.mpf(x[i + 1]) if i < n - 1 else 0) + (200 if i > 0 else 0)
                if abs(i - j) == 1:
                    return -400 * mp.mpf(x[min(i, j)])
                return 0
        for i in range(n):
            for j in range(i, n):
                label = f"d2f/dx{i + 1}^2" if i == j else f"d2f/dx{i + 1}dx{j + 1}"
                got = row[names.index(label)]
                assert got == pytest.approx(float(entry(i, j)), rel=1e-12, abs=1e-12), label


@pytest.mark.parametrize("formula", [
    lse(20), rosenbrock(20),
    "exp(x + x*y) * sin(y) + exp(y + x*y)*sin(x) + x**2*y**2",  # exp(a + a*b) and repeated slots
    "Max(x, y)**2 + Min(x, z)*y + Abs(x - y)*z",
    "sqrt(2)*pi*(x**2 + y**2 + z**2) + sqrt(2)*pi*x*y*z",  # a shared constant: a temporary with no symbol
    "(x**2 + y**2)**(3/2) + (y**2 + z**2)**(3/2) + (z**2 + x**2)**(3/2)",
    "erf(x*y) + erf(y*z) + erf(z*x)",  # SciPy, or point by point without it
    "x*polylog(2, y/3) + y*polylog(2, z/3)",  # always point by point
])
def test_grouped_evaluation_gives_the_same_doubles_as_each_entry_alone(formula):
    derivs = symgrad.hessian(formula)
    rng = np.random.default_rng(11)
    points = rng.uniform(-2, 2, size=(700, len(derivs.variables)))  # several passes of rows
    assert np.array_equal(grouped(derivs, points), one_by_one(derivs, points), equal_nan=True)


def test_a_job_of_distinct_entries_is_not_grouped(monkeypatch):
    """A small gradient of distinct entries keeps the one-lambdify path."""
    calls = spy_on_grouping(monkeypatch)
    CompiledEntries(symgrad.gradient("sin(x)*y + log(y)*z**3 + exp(z)"), "numpy")  # distinct entries
    CompiledEntries(symgrad.hessian(lse(10)), "numpy")
    assert calls == [False, True]


LEAF = st.sampled_from(["x", "y", "z"])


@st.composite
def small_formulas(draw, depth=3):
    if depth == 0 or draw(st.booleans()):
        return draw(st.one_of(LEAF, st.sampled_from(["2", "3", "1/2", "pi"])))
    op = draw(st.sampled_from(["+", "*", "-", "exp", "sin", "log", "**2", "sqrt"]))
    a = draw(small_formulas(depth=depth - 1))
    if op in ("exp", "sin", "log", "sqrt"):
        return f"{op}({a})"
    if op == "**2":
        return f"({a})**2"
    b = draw(small_formulas(depth=depth - 1))
    return f"({a}) {op} ({b})"


@settings(max_examples=40, deadline=None)
@given(st.lists(small_formulas(), min_size=1, max_size=4))
def test_random_sums_give_the_same_doubles_grouped_or_not(parts):
    """A sum of random small formulas (each repeated over the variables' permutations, so that
    shapes repeat): grouped and one-by-one evaluation agree bit for bit."""
    swaps = [{"x": "x", "y": "y", "z": "z"}, {"x": "y", "y": "z", "z": "x"}, {"x": "z", "y": "x", "z": "y"}]
    terms = []
    for part in parts:
        for swap in swaps:
            terms.append("".join(swap.get(ch, ch) if ch in "xyz" else ch for ch in part))
    formula = " + ".join(f"({t})" for t in terms)
    try:
        derivs = symgrad.hessian(formula, wrt=["x", "y", "z"])
    except symgrad.SymgradError:
        return
    points = np.random.default_rng(5).uniform(0.1, 2, size=(40, 3))
    assert np.array_equal(grouped(derivs, points), one_by_one(derivs, points), equal_nan=True)
