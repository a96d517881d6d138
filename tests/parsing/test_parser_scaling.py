"""The parser scales: long sums and products are read without deep recursion.

Python's own compiler (and so ``sympy.parse_expr``) recurses once per ``+``
and fails near a few thousand terms; symgrad's parser reads a chain of
``+``/``-``/``*`` in a loop and builds the sum or product in one SymPy call.
These tests run it under a recursion limit far below the chain length, so a
recursive implementation fails them. (Timing is a benchmark's business:
``benchmarks/bench_symbolic.py``.)
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import pytest
from helpers import rosenbrock as rosenbrock_text
import sympy as sp

import symgrad
from symgrad import limits
from symgrad.errors import ResourceLimitError
from symgrad.parsing import parse_expression

TERMS = 60_000
#: Far below TERMS, and below the depth of any recursive chain parser.
SHALLOW = 400


@contextmanager
def recursion_limit(limit: int):
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@pytest.fixture
def long_inputs(monkeypatch):
    """Lift the 100 kB input limit (a safety limit, not the parser's) for these tests."""
    monkeypatch.setattr(limits, "MAX_INPUT_LENGTH", 2_000_000)


@pytest.mark.slow
@pytest.mark.parametrize("op, kind", [("+", sp.Add), ("*", sp.Mul)])
def test_sixty_thousand_term_sum_and_product(long_inputs, op, kind):
    text = op.join(f"x{i}" for i in range(TERMS))
    with recursion_limit(SHALLOW):
        expr = parse_expression(text)
    assert isinstance(expr, kind)
    assert len(expr.args) == TERMS
    assert {s.name for s in expr.free_symbols} == {f"x{i}" for i in range(TERMS)}


@pytest.mark.slow
def test_sixty_thousand_signed_terms_with_like_terms_collected(long_inputs):
    text = "".join(f"{'-' if i % 3 == 1 else '+'}{i % 7}*x{i % 50}**2" for i in range(TERMS))
    with recursion_limit(SHALLOW):
        expr = parse_expression(text)
    xs = [sp.Symbol(f"x{k}", real=True) for k in range(50)]
    sign = [1, -1, 1]
    want = {
        xs[k] ** 2: sum(sign[i % 3] * (i % 7) for i in range(TERMS) if i % 50 == k)
        for k in range(50)
    }
    assert expr.as_coefficients_dict() == {key: c for key, c in want.items() if c}


@pytest.mark.slow
def test_extended_rosenbrock_n500_is_read_exactly():
    text = rosenbrock_text(500)
    assert len(text) > 20_000  # the 20 kB string
    with recursion_limit(SHALLOW):
        expr = parse_expression(text)
    xs = sp.symbols("x1:501", real=True)
    want = sp.Add(*[100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(499)])
    assert expr == want


@pytest.mark.slow
def test_gradient_of_a_long_sum(long_inputs):
    # 1000 variables, 2000 terms, through both engines
    n = 1000
    text = " + ".join(f"x{i}**3 - {i}*x{i}" for i in range(n))
    for engine in ("sympy", "symengine"):
        d = symgrad.gradient(text, engine=engine)
        assert len(d.gradient) == n
        for i in (0, 1, n - 1):
            x = sp.Symbol(f"x{i}", real=True)
            assert d.gradient[i] == 3 * x**2 - i


def test_nesting_is_still_limited():
    depth = limits.MAX_DEPTH
    assert parse_expression("(" * depth + "x" + ")" * depth) == sp.Symbol("x", real=True)
    with pytest.raises(ResourceLimitError, match="nested"):
        parse_expression("(" * (depth + 1) + "x" + ")" * (depth + 1))
    with pytest.raises(ResourceLimitError, match="nested"):
        parse_expression("x" + "**x" * (depth + 1))


def test_the_input_limit_still_applies_without_lifting_it():
    text = "+".join(f"x{i}" for i in range(TERMS))
    with pytest.raises(ResourceLimitError, match="characters long"):
        parse_expression(text)
