"""Printing a huge sum takes bounded memory (SymPy's term ordering is quadratic).

A sum of 10,000 distinct symbols (a 59 kB formula) took 1.7 GB to print in
SymPy's sorted term order (4 GB at the 100 kB input limit); it must print
within a 1 GB address-space limit in every format.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp
from helpers import clean_env
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad import term_order as order
from symgrad.output.memo import sstr

resource = pytest.importorskip("resource")  # POSIX only

HUGE_SUM = "+".join(f"x{i}" for i in range(10_000))


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json", "latex", "pretty"])
def test_a_huge_sum_prints_within_a_memory_limit(fmt):
    proc = subprocess.run([sys.executable, "-m", "symgrad", HUGE_SUM, "-f", fmt, "--timeout", "0"],
                          capture_output=True, text=True, timeout=600, env=clean_env(),
                          preexec_fn=limit_memory, check=False)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert "x9999" in proc.stdout or "x_{9999}" in proc.stdout


def test_a_huge_sum_keeps_every_term():
    expr = sp.Add(*sp.symbols("x0:3000"))
    assert order.costly_to_order(expr)
    text = sstr(expr)
    assert sorted(text.split(" + ")) == sorted(f"x{i}" for i in range(3000))


def test_normal_sums_keep_sympy_order():
    x, y, z = sp.symbols("x y z")
    exprs = [x**2 + 3 * x * y - z + 1, sp.Add(*sp.symbols("a0:200")), sum(x**k * y for k in range(150))]
    for expr in exprs:
        assert not order.costly_to_order(expr)
        assert sstr(expr) == sp.sstr(expr, full_prec=False)
        assert order.pretty(expr, use_unicode=True) == sp.pretty(expr, use_unicode=True)


NAMES = ["x", "y", "z", "x1", "x2", "x10", "x_1", "alpha", "B", "a0", "mu", "sigma_k", "X", "_t", "x9"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.booleans(),
                          st.sampled_from([1, -1, 2, -3, sp.Rational(1, 3), sp.Rational(-5, 2)])),
                min_size=2, max_size=8))
def test_the_quick_order_of_a_linear_form_is_sympys(terms):
    """A sum of symbols times rationals is sorted by the symbols alone: the same order as SymPy's."""
    expr = sp.Add(*[c * sp.Symbol(name, real=real) for name, real, c in terms])
    quick = order.linear_order(expr) if expr.is_Add else None
    if quick is not None:
        assert quick == expr.as_ordered_terms()
        assert sstr(expr) == sp.sstr(expr, full_prec=False)


def test_the_quick_order_takes_only_linear_forms():
    x, y = sp.symbols("x y")
    nc = sp.Symbol("A", commutative=False)  # SymPy prints b + A: no monomial, after the commutative terms
    for expr in (x**2 + y, x * y + x, x + 1, sp.sin(x) + y, sp.Symbol("x", real=True) + x, nc + y, 2 * nc + y):
        assert order.linear_order(expr) is None
        assert sstr(expr) == sp.sstr(expr, full_prec=False)
    assert order.linear_order(2 * y - x / 3) == [-x / 3, 2 * y]
