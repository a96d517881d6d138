"""Shared subexpressions (symgrad.subexpressions): the rewritten entries have the entries' values.

Each job's entries are split into temporaries and reduced entries; the
temporaries are computed in order with mpmath at 50 digits and the reduced
entries evaluated from them, at random points, and compared with the plain
entries evaluated the same way. Shapes: dense (log-sum-exp, every entry holds
the whole sum), sparse (Rosenbrock, each entry two or three variables) and a
mix of functions and a name that looks like a temporary.
"""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp

from symgrad.jobs import JobSpec, derive
from symgrad.subexpressions import Replacer, distinct_nodes, expand_terms, shared_terms

N = 12
LOGSUMEXP = "log(" + " + ".join(f"exp(x{i})" for i in range(1, N + 1)) + ")"
ROSENBROCK = " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, N))
CASES = {
    "dense": LOGSUMEXP,
    "sparse": ROSENBROCK,
    "mixed": "sin(x*y)*exp(x*y) + t0*log(1 + x**2) + tanh(x - y)*sqrt(x**2 + y**2) + atan2(y, x)",
}


def entries_of(formula: str) -> list[sp.Expr]:
    derivs = derive([formula], JobSpec(hessian=True))
    return [e.value for e in derivs.entries()]


def mp_value(expr: sp.Expr, point: dict[sp.Symbol, mpmath.mpf]) -> mpmath.mpf:
    fn = sp.lambdify(list(point), expr, modules="mpmath")
    return fn(*point.values())


def random_point(symbols, rng: random.Random) -> dict:
    return {s: mpmath.mpf(rng.uniform(-1.5, 1.5)) for s in sorted(symbols, key=lambda s: s.name)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_reduced_entries_equal_the_plain_ones_at_random_points(case):
    entries = entries_of(CASES[case])
    temps, reduced = shared_terms(entries)
    assert len(reduced) == len(entries)
    symbols = {n for n in distinct_nodes(entries) if isinstance(n, sp.Symbol)}
    rng = random.Random(16)
    with mpmath.workdps(50):
        for _ in range(3):
            point = random_point(symbols, rng)
            values = dict(point)
            for symbol, value in temps:  # in order: each uses earlier ones only
                assert value.free_symbols <= set(values), (symbol, value)
                values[symbol] = mp_value(value, {s: values[s] for s in value.free_symbols} or {})
            for entry, red in zip(entries, reduced):
                want = mp_value(entry, {s: point[s] for s in entry.free_symbols})
                got = mp_value(red, {s: values[s] for s in red.free_symbols})
                assert abs(got - want) <= mpmath.mpf(10) ** -40 * max(1, abs(want)), (entry, red)


def test_the_dense_sum_is_one_temporary_used_by_every_hessian_entry():
    entries = entries_of(LOGSUMEXP)
    total = sp.Add(*[sp.exp(sp.Symbol(f"x{i}", real=True)) for i in range(1, N + 1)])
    temps, reduced = shared_terms(entries)
    sums = [t for t, value in temps if isinstance(value, sp.Add) and len(value.args) == N]
    assert len(sums) == 1
    # no reduced entry (nor temporary) spells the whole sum out again
    for expr in [*reduced, *(v for _, v in temps)]:
        assert total not in set(distinct_nodes([expr]))
    assert expand_terms(temps, reduced) == entries


def test_temporaries_skip_names_the_entries_use():
    t0, x = sp.symbols("t0 x", real=True)
    entries = [sp.exp(x) * t0 + sp.sin(sp.exp(x)), sp.exp(x) ** 2]
    temps, reduced = shared_terms(entries)
    assert [str(t) for t, _ in temps] == ["t1"]
    assert expand_terms(temps, reduced) == entries


def test_nothing_shared_leaves_the_entries_as_they_are():
    x, y = sp.symbols("x y", real=True)
    entries = [x * y, sp.sin(x) + y]
    assert shared_terms(entries) == ([], entries)


def test_inside_a_derivative_nothing_is_replaced():
    x = sp.Symbol("x", real=True)
    f = sp.Function("f")
    d = sp.Derivative(f(x**2 + 1), x)
    temps, reduced = shared_terms([d * sp.sin(x**2 + 1), d + x**2 + 1])
    for _, value in temps:
        assert not any(isinstance(n, sp.Derivative) and n != d for n in distinct_nodes([value]))
    assert expand_terms(temps, reduced) == [d * sp.sin(x**2 + 1), d + x**2 + 1]


def test_replacer_gives_the_values_of_xreplace():
    """Without evaluation (what code generation and compiled evaluation use): the same values."""
    entries = entries_of(LOGSUMEXP)
    mapping = {s: sp.Symbol(f"_{s.name}", real=True)
               for s in {n for n in distinct_nodes(entries) if isinstance(n, sp.Symbol)}}
    rename = Replacer(mapping, evaluate=False)
    renamed = [rename(e) for e in entries]
    point = random_point(mapping.values(), random.Random(3))
    with mpmath.workdps(50):
        for new, old in zip(renamed, [e.xreplace(mapping) for e in entries]):
            assert new.free_symbols == old.free_symbols
            got = mp_value(new, {s: point[s] for s in new.free_symbols})
            want = mp_value(old, {s: point[s] for s in old.free_symbols})
            assert abs(got - want) <= mpmath.mpf(10) ** -40 * max(1, abs(want))
