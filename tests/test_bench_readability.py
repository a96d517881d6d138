"""The readability benchmark (benchmarks/bench_readability.py) on a small corpus.

It checks the measure, the table's shape and sums, that a wrong entry (a
peer's or a symgrad mode's) is caught by the numeric check, and how Maxima's
text is read back. Times are printed by the benchmark, never asserted.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from helpers import require_tool

import symgrad
from symgrad.errors import SymgradError
from symgrad.parsing import parse_expression

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))
import bench_readability as bench
import readability_peers as peers

SMALL = ["atan(y/x)", "x*exp(-x^2 - y^2)", "(x - 1)^2*y | x, y"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.txt"
    path.write_text("# three formulas\n" + "\n\n".join(SMALL) + "\n", encoding="utf-8")
    return path


def run_json(corpus: Path, *extra: str, capsys: Any) -> dict[str, Any]:
    assert bench.main(["--corpus", str(corpus), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_measure_counts_operations_then_length():
    raw = parse_expression("-y/(x**2*(1 + y**2/x**2))")
    tidy = parse_expression("-y/(x**2 + y**2)")
    assert peers.size(raw) == (sp.count_ops(raw), len(str(raw)))
    assert peers.size(tidy) < peers.size(raw)
    same_ops = [parse_expression("sinh(x)"), parse_expression("sin(x)")]
    assert sp.count_ops(same_ops[0]) == sp.count_ops(same_ops[1])
    assert min(same_ops, key=peers.size) == same_ops[1]  # the shorter text wins the tie


def test_the_corpus_is_read_with_its_variables():
    rows = bench.read_corpus(bench.CORPUS)
    assert len(rows) >= 40
    assert ("(x - a)**3", "x, a") in rows
    for formula, wrt in rows:
        symgrad.parse(formula, wrt=wrt)  # every line is symgrad syntax


def test_a_wrong_entry_does_not_count():
    points = peers.random_points(["x", "y"], seed=1)
    entry = parse_expression("2*y*(x - 1)")
    reference = [peers.numeric(entry, p) for p in points]
    assert peers.same_value(reference, parse_expression("y*(2*x - 2)"), points)
    assert not peers.same_value(reference, parse_expression("2*y*(x + 1)"), points)
    assert not peers.same_value(reference, parse_expression("2*z*(x - 1)"), points)
    wrong, right = peers.Outcome(parse_expression("y")), peers.Outcome(parse_expression("2*x*y - 2*y"))
    assert bench.pick([wrong, right], reference, points) is right
    assert bench.pick([wrong], reference, points).expr is None


def test_maxima_text_is_read_by_symgrad_parser():
    x, y = parse_expression("x"), parse_expression("y")
    assert peers.from_maxima("%e^-x^2*%pi/sqrt(2)") == sp.exp(-x**2) * sp.pi / sp.sqrt(2)
    assert peers.from_maxima("-y/(y^2+x^2)") == -y / (x**2 + y**2)
    assert peers.from_maxima("signum(x)*%i") == sp.sign(x) * sp.I
    for text in ("'diff(f,x,1)", "__import__('os')", "x; y"):
        with pytest.raises(SymgradError):
            peers.from_maxima(text)


def test_the_maxima_script_assigns_no_name_of_the_formula():
    derivs = symgrad.hessian("r*d*f*cos(theta)")
    script = peers.maxima_script(derivs.exprs[0], derivs.variables)
    assert script is not None
    assigned = set(re.findall(r"^([^:\s]+):", script, flags=re.MULTILINE)) - {"display2d", "linel"}
    assert assigned and all(name.startswith("%") for name in assigned)
    assert "%sgf:d*f*r*cos(theta)$" in script
    assert peers.maxima_script(parse_expression("gamma(x)"), derivs.variables[:1]) is None


@pytest.mark.slow
def test_the_table_on_three_formulas(corpus: Path, capsys: Any):
    out = run_json(corpus, "--maxima", "", capsys=capsys)
    summary, formulas = out["summary"], out["formulas"]
    assert list(summary) == [*bench.COLUMNS, bench.BEST]
    assert [f["formula"] for f in formulas] == [s.split(" |")[0] for s in SMALL]
    assert all(len(f["entries"]) == 5 for f in formulas)  # 2 gradient + 3 Hessian entries
    off_total = sum(
        sp.count_ops(e) for formula, wrt in bench.read_corpus(corpus)
        for e in bench.entries_of(symgrad.hessian(formula, wrt=wrt, simplify="off"))
    )
    assert summary["off"]["total_ops"] == off_total
    assert summary["off"]["total_vs_off"] == summary["off"]["median_ratio_vs_off"] == 1
    best = summary[bench.BEST]
    assert best["total_vs_best_peer"] == 1
    for peer in ("simplify", "factor"):
        assert summary[peer]["failed"] == 0
        assert best["total_ops"] <= summary[peer]["total_ops"] <= off_total
        assert summary[peer]["total_vs_best_peer"] >= 1
    assert best["total_ops"] < off_total  # atan(y/x) and the Gaussian do shrink
    atan_dx = formulas[0]["entries"][0]
    assert atan_dx["entry"] == "d/dx"
    assert parse_expression(atan_dx[bench.BEST]["text"]) == parse_expression("-y/(x**2 + y**2)")
    assert summary["maxima"] == {} and any("Maxima not found" in n for n in out["notes"])
    if not bench.has_modes():
        assert summary["tidy"] == summary["full"] == {}


@pytest.mark.slow
def test_the_maxima_column(tmp_path: Path, capsys: Any):
    """Maxima's entries read back, all with the right value, even for a variable named r."""
    maxima = require_tool("maxima")
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join([*SMALL, "r*d*cos(theta)"]), encoding="utf-8")
    out = run_json(path, "--maxima", maxima, "--skip", "tidy,full,simplify", capsys=capsys)
    summary, formulas = out["summary"], out["formulas"]
    assert summary["maxima"]["failed"] == 0, out["notes"]
    assert summary["maxima"]["total_ops"] < summary["off"]["total_ops"]
    assert summary[bench.BEST]["total_ops"] <= summary["maxima"]["total_ops"]
    atan_dx = formulas[0]["entries"][0]["maxima"]
    assert parse_expression(atan_dx["text"]) == parse_expression("-y/(x**2 + y**2)")
    assert len(formulas[-1]["entries"]) == 3 + 6


@pytest.mark.slow
def test_the_text_table_and_a_wrong_mode(corpus: Path, capsys: Any, monkeypatch: Any):
    real = symgrad.hessian

    def with_modes(formula: str, *, wrt: Any = None, simplify: str = "tidy") -> Any:
        derivs = real(formula, wrt=wrt)
        if simplify == "off":
            return derivs
        grad = tuple(sp.factor(e) for e in derivs.first[0])
        if simplify == "full":  # a wrong first entry, which the check must catch
            grad = (grad[0] + 1, *grad[1:])
        return dataclasses.replace(derivs, first=(grad,))

    monkeypatch.setattr(symgrad, "hessian", with_modes)
    assert bench.main(["--corpus", str(corpus), "--maxima", "", "--per-formula",
                       "--skip", "simplify"]) == 0
    text = capsys.readouterr().out
    table = [line for line in text.splitlines() if line.startswith("| ")]
    head, rows = table[0], table[1:1 + len(bench.COLUMNS) + 1]
    assert head.count("|") == 8
    assert [r.split(" | ")[0][2:] for r in rows] == [*bench.COLUMNS, bench.BEST]
    cells = {r.split(" | ")[0][2:]: r.strip("| ").split(" | ")[1:] for r in rows}
    assert all(c == "n/a" for c in cells["maxima"] + cells["simplify"])
    assert cells["factor"][4] == "0" and cells["factor"][0] != "n/a"
    assert cells["tidy"][4] == "0" and cells["full"][4] == "3"  # failed entries
    assert "Maxima not found" in text
    assert sum("WRONG: full d/dx differs from off" in line for line in text.splitlines()) == 3
    per_formula = [line for line in table if line.startswith("| `")]
    assert len(per_formula) == len(SMALL)
