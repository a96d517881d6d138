"""``Symbol('name')``, the JSON output's spelling of a misreadable name, is read back as that variable."""

from __future__ import annotations

import pytest
import sympy as sp

import symgrad
from symgrad.errors import ParseError


@pytest.mark.parametrize("name", ["lambda", "beta", "N", "E", "I", "pi", "oo", "x_1", "α"])
def test_the_spelling_is_the_variable(name: str) -> None:
    parsed = symgrad.parse(f"2*Symbol('{name}')*x")
    assert sorted(s.name for s in parsed.symbols) == sorted([name, "x"])
    (expr,) = parsed.exprs
    var = next(s for s in parsed.symbols if s.name == name)
    assert expr == 2 * var * next(s for s in parsed.symbols if s.name == "x")


def test_a_constant_stays_a_constant_beside_its_spelling_as_a_variable() -> None:
    (expr,) = symgrad.parse("Symbol('pi')*x + pi + E*Symbol(\"E\")").exprs
    names = {s.name for s in expr.free_symbols}
    assert names == {"pi", "x", "E"}
    assert expr.subs({s: 0 for s in expr.free_symbols}) == sp.pi  # the constant pi is not a variable


def test_symbol_alone_is_still_an_ordinary_name() -> None:
    (expr,) = symgrad.parse("Symbol*x").exprs
    assert {s.name for s in expr.free_symbols} == {"Symbol", "x"}


@pytest.mark.parametrize(
    "text",
    ["Symbol('a b')", "Symbol('__x')", "Symbol('x')(y)", "Symbol(x)", "Symbol('1x')", "Symbol('x\")",
     "Symbol('x', real=True)", "Symbol('')", "'x'"],
)
def test_anything_else_quoted_is_refused(text: str) -> None:
    with pytest.raises(ParseError):
        symgrad.parse(text)


def test_json_output_reads_back_with_symgrad(cli) -> None:
    import json

    result = cli("lambda*x^2 + E*x", "--symbols", "E", "-H", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    original = symgrad.hessian("lambda*x^2 + E*x", symbols="E")
    for text, expr in zip(doc["gradient"], original.gradient):
        (back,) = symgrad.parse(text, symbols="").exprs
        assert sp.simplify(back - expr) == 0, text
