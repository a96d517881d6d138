"""Every symbolic string in the JSON output reads back with ``sympy.parse_expr``.

The SPEC promises that ``parse_expr(text)`` (no ``local_dict``: what a user
types) gives back the same expression, whatever the symbols are named. A
name that ``parse_expr`` would misread (a Python keyword such as ``lambda``,
a SymPy name such as ``beta``, ``gamma``, ``N``, ``S``, ``E``, ``I``, ``Q``,
``O``, ``zeta``, ``li``) is written ``Symbol('lambda')``. The expressions are
compared after the parsed symbols are replaced, by name, with symgrad's
(which are real; ``parse_expr``'s carry no assumptions).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symgrad.output import json_
from symgrad.parsing import CONSTANT_NAMES, parse_expression

#: Names parse_expr misreads, names it reads, and Unicode names.
NAMES = (
    "lambda", "if", "for", "class", "None", "beta", "gamma", "N", "S", "E", "I", "Q", "O",
    "zeta", "li", "pi", "oo", "re", "im", "ln", "abs", "max", "sqrt", "Symbol", "var",
    "x", "y", "t", "x_1", "a2", "λ", "α", "é1", "ｘ",
)  # fmt: skip


def symbolic_strings(doc: dict[str, Any]) -> list[str]:
    """Every string in ``doc`` under a key that holds symbolic text."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for key in (
        "expressions",
        "gradient",
        "hessian",
        "jacobian",
        "laplacian",
        "divergence",
        "curl",
    ):
        walk(doc.get(key))
    for t in doc.get("taylor", ()):
        walk(t["polynomial"])
    for p in doc.get("critical_points", ()):
        walk([v for v in p["at"].values() if isinstance(v, str)])
        walk(list((p["exact"] or {}).values()))
        walk(p["value"] if isinstance(p["value"], str) else None)
    for key in ("directional", "along"):
        if isinstance(doc.get(key), dict):
            walk(doc[key]["direction"])
            walk(doc[key]["derivative"])
    return found


def doubles(expr: sp.Basic) -> sp.Basic:
    """``expr`` with each float rounded to a double."""
    return expr.xreplace({f: sp.Float(float(f)) for f in expr.atoms(sp.Float)})


def equal(back: sp.Basic, expr: sp.Basic) -> bool:
    """The same expression: the same tree, or one SymPy's evaluation of the text rearranged
    (``-(2*a - 2*b)/d`` reads back as ``(-2*a + 2*b)/d``), whose difference is zero.
    A float read back is compared as the double it rounds to (``parse_expr`` gives
    ``0.30000000000000004`` 17 digits, symgrad's floats are doubles)."""
    back = doubles(back)
    return bool(back == expr or sp.expand(back - expr) == 0 or sp.simplify(back - expr) == 0)


def same(text: str, expr: sp.Basic) -> bool:
    """``parse_expr(text)`` is ``expr`` once its symbols are symgrad's (matched by name)."""
    back = sp.parse_expr(text)
    by_name = {sp.Symbol(s.name): s for s in expr.free_symbols}
    assert {s.name for s in back.free_symbols} == {s.name for s in expr.free_symbols}, text
    return equal(back.xreplace(by_name), expr)


def run_json(cli, monkeypatch, *args: str) -> tuple[dict[str, Any], dict[str, sp.Basic]]:
    """The JSON of ``symgrad ARGS --json`` and each symbolic string's expression."""
    printed: dict[str, sp.Basic] = {}
    original = json_.readable_text

    def recording(expr: Any) -> str:
        text = original(expr)
        printed[text] = expr
        return text

    def recording_all(exprs: Any) -> list[str]:
        texts = original_all(exprs)
        printed.update(zip(texts, exprs))
        return texts

    original_all = json_.readable_texts
    monkeypatch.setattr(json_, "readable_text", recording)
    monkeypatch.setattr(json_, "readable_texts", recording_all)
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), printed


def check_round_trip(doc: dict[str, Any], printed: dict[str, sp.Basic], real: bool = True) -> None:
    strings = symbolic_strings(doc)
    assert strings
    for text in strings:
        expr = printed[text]  # every symbolic string comes from the readable printer
        assert same(text, expr), (text, expr)
        # symgrad reads its own output back with no --symbols: a variable named like a
        # constant is spelled Symbol('pi'), and plain pi is the constant
        assert equal(parse_expression(text, symbols="", real=real), expr), text


def test_lambda_reads_back(cli, monkeypatch) -> None:
    doc, printed = run_json(cli, monkeypatch, "lambda*x^2")
    assert doc["gradient"] == ["x**2", "2*Symbol('lambda')*x"]
    check_round_trip(doc, printed)
    lam, x = sp.symbols("lambda x")
    assert sp.parse_expr(doc["gradient"][1]) == 2 * lam * x


@pytest.mark.parametrize("name", NAMES)
def test_each_name_reads_back(cli, monkeypatch, name: str) -> None:
    symbols = name if name in CONSTANT_NAMES else ""
    formula = f"{name}^2*y + sin({name})"
    doc, printed = run_json(
        cli, monkeypatch, formula, "--hessian", *(("--symbols", symbols) if symbols else ())
    )
    check_round_trip(doc, printed)
    (back,) = (sp.parse_expr(e) for e in doc["expressions"])
    assert {s.name for s in back.free_symbols} == {name, "y"}


def test_floats_read_back_as_the_same_doubles(cli, monkeypatch) -> None:
    doc, printed = run_json(cli, monkeypatch, "0.1*x^3 + x/3.0 + 2.5")
    (df,) = doc["gradient"]
    assert sorted(float(f) for f in sp.parse_expr(df).atoms(sp.Float)) == [0.1 * 3, 1 / 3.0]
    check_round_trip(doc, printed)
    assert doc["expressions"] == [
        "0.1*x**3 + 0.3333333333333333*x + 2.5"
    ]  # digits as short as they can be


def test_ordinary_names_are_written_as_they_are(cli, monkeypatch) -> None:
    doc, _ = run_json(cli, monkeypatch, "α*x^2 + x_1")
    assert doc["gradient"] == ["2*x*α", "1", "x**2"]


def test_analysis_keys_read_back(cli, monkeypatch) -> None:
    doc, printed = run_json(
        cli, monkeypatch, "lambda*x^2*y", "beta*y", "--wrt", "x,y", "--divergence", "--laplacian"
    )
    assert "divergence" in doc and "jacobian" in doc
    check_round_trip(doc, printed)
    doc, printed = run_json(
        cli, monkeypatch, "exp(gamma*x)", "--taylor", "2", "--at", "x=0,gamma=1"
    )
    assert "Symbol('gamma')" in doc["taylor"][0]["polynomial"]
    check_round_trip(doc, printed)
    doc, printed = run_json(cli, monkeypatch, "(N - 1)^2 + (S - 2)^2", "--critical")
    assert doc["critical_points"]
    check_round_trip(doc, printed)


def _formulas(names: list[str]) -> st.SearchStrategy[str]:
    leaves = (
        st.sampled_from(names)
        | st.integers(1, 3).map(str)
        | st.sampled_from(["0.1", "2.5", "1e-3", "3.0"])
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
                lambda t: f"({t[0]}{t[1]}{t[2]})"
            ),
            st.tuples(inner, st.integers(2, 3)).map(lambda t: f"({t[0]})^{t[1]}"),
            st.tuples(st.sampled_from(["sin", "exp", "cos", "atan"]), inner).map(
                lambda t: f"{t[0]}({t[1]})"
            ),
        ),
        max_leaves=5,
    )


@st.composite
def jobs(draw: st.DrawFn) -> tuple[list[str], str, bool]:
    ordinary = st.from_regex(r"[a-zA-Z][a-z0-9_]{0,2}", fullmatch=True)
    names = draw(st.lists(st.sampled_from(NAMES) | ordinary, min_size=1, max_size=3, unique=True))
    formulas = draw(st.lists(_formulas(names), min_size=1, max_size=2))
    symbols = ",".join(n for n in names if n in CONSTANT_NAMES)
    return formulas, symbols, draw(st.booleans())


@pytest.mark.slow
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(jobs())
def test_every_symbolic_string_reads_back(
    cli, monkeypatch, job: tuple[list[str], str, bool]
) -> None:
    formulas, symbols, complex_ = job
    args = (
        [*formulas, "--hessian"]
        + (["--symbols", symbols] if symbols else [])
        + (["--complex"] if complex_ else [])
    )
    doc, printed = run_json(cli, monkeypatch, *args)
    check_round_trip(doc, printed, real=not complex_)
    if len(formulas) == 1:  # the gradient is the derivative of the expression read back
        f = sp.parse_expr(doc["expressions"][0])
        by_name = {s.name: s for s in f.free_symbols}
        for name, df in zip(doc["variables"], doc["gradient"]):
            wrt = by_name.get(name, sp.Symbol(name))
            assert equal(sp.parse_expr(df), doubles(sp.diff(f, wrt))), (name, df)
