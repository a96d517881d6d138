"""--critical calls its list complete only when that is proven.

SymPy's ``solve`` can return some of the solutions of ∇f = 0 (four of
Himmelblau's nine critical points): the search must not trust it, must run
Newton's method, and must say "found N" unless the count is proven.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy as sp
from helpers import clean_env

import symgrad
from symgrad.analysis._complete import covers, distinct_solutions
from symgrad.analysis.critical import critical_points
from symgrad.output.common import critical_summary

HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"


def first_solutions(count, monkeypatch):
    """Make SymPy's solve return only its first ``count`` solutions."""
    solve = sp.solve

    def some(*args, **kwargs):
        return solve(*args, **kwargs)[:count]

    monkeypatch.setattr(sp, "solve", some)


def test_a_subset_from_solve_is_not_complete_and_newton_runs(monkeypatch):
    # x^3 - 3x + y^2 has two critical points; solve "finds" only one of them
    first_solutions(1, monkeypatch)
    report = critical_points(symgrad.gradient("x**3 - 3*x + y**2"))
    assert report.exact_outcome == "found"
    assert report.newton_used
    assert sorted(round(float(p.at[0][1]), 9) for p in report.points) == [-1.0, 1.0]
    assert report.complete  # Newton's point brings the list to the proven count, 2


def test_a_subset_newton_cannot_finish_says_found(monkeypatch):
    # the second critical point, (-1, 0), is outside the box Newton searches
    first_solutions(1, monkeypatch)
    solve = sp.solve
    monkeypatch.setattr(sp, "solve", lambda *a, **k: [s for s in solve(*a, **k) if s[sp.Symbol("x", real=True)] == 1])
    report = critical_points(symgrad.gradient("x**3 - 3*x + y**2"), box=(0.0, 5.0))
    assert (report.exact_outcome, report.complete, len(report.points)) == ("found", False, 1)
    summary = critical_summary(report)
    assert summary.startswith("found 1: 1 local minimum (")
    assert "not proven" in summary


def test_nothing_from_solve_is_not_complete(monkeypatch):
    monkeypatch.setattr(sp, "solve", lambda *a, **k: [])
    report = critical_points(symgrad.gradient("x**2 + y**2 - x*y + x"))
    assert report.exact_outcome == "found" and report.newton_used
    assert len(report.points) == 1 and report.complete  # Newton finds the one point: proven by the count


def test_a_simple_quadratic_stays_complete():
    report = critical_points(symgrad.gradient("x**2 + 3*y**2 - x*y + 2*x"))
    assert (report.exact_outcome, report.complete, report.newton_used) == ("complete", True, False)
    assert critical_summary(report) == "1 local minimum (exact: SymPy solved the system)"


@pytest.mark.parametrize(
    ("formula", "complete"),
    [
        ("x**3/3 + x", True),  # no real critical point: solve returns none, and there are none
        ("x**4 + y**4", True),  # one point of multiplicity 9
        ("x**2*y**2", True),  # the two axes
        ("(x - y)**2", True),  # a line
        ("sqrt(2)*x**3 - x + y**2", True),  # algebraic coefficients: real roots by Sturm's theorem
        ("pi*x**4 - E*x**2 + y**2", True),
    ],
)
def test_what_is_proven(formula, complete):
    assert critical_points(symgrad.gradient(formula)).complete is complete


@pytest.mark.slow
def test_a_transcendental_gradient_is_never_proven_complete():
    report = critical_points(symgrad.gradient("sin(x) + x**2/10"))
    assert (report.exact_outcome, report.complete, report.newton_used) == ("failed", False, True)
    assert critical_summary(report).startswith(f"found {len(report.points)}: ")


@pytest.mark.slow
@pytest.mark.parametrize("path", ["subset", "timed out", "as is"])
def test_himmelblau_reports_nine_whichever_path(monkeypatch, path):
    kwargs = {}
    if path == "subset":
        first_solutions(4, monkeypatch)  # what solve returns on a fast machine
    elif path == "timed out":
        kwargs["exact_budget"] = 1e-6
    report = critical_points(symgrad.gradient(HIMMELBLAU), **kwargs)
    assert report.counts == {"local minimum": 4, "local maximum": 1, "saddle": 4}
    assert report.complete and report.newton_used
    assert not critical_summary(report).startswith("found")


def test_distinct_solutions_counts():
    x, y, z = sp.symbols("x y z")
    h = (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
    grad = [h.diff(x), h.diff(y)]
    assert distinct_solutions(grad, [x, y]) == 9
    assert distinct_solutions(grad, [x, y], real=True) == 9
    assert distinct_solutions([x**2 + 1, y**2 - 2], [x, y], real=True) == 0
    assert distinct_solutions([x**2 - 2, y**2 - 2, z * (z - 1)], [x, y, z], real=True) == 8
    assert distinct_solutions([x**2 - 2 * x + 1, y], [x, y]) == 1  # a double root counts once
    assert distinct_solutions([x * y], [x, y]) is None
    assert distinct_solutions([x, x - 1], [x]) == 0
    # algebraic and transcendental coefficients: x = ±(3*sqrt(2))**(-1/2), y = 0; none
    assert distinct_solutions([3 * sp.sqrt(2) * x**2 - 1, y], [x, y], real=True) == 2
    assert distinct_solutions([sp.pi * x**2 + 1, y], [x, y], real=True) == 0


def test_covers_needs_every_curve():
    x, y = sp.symbols("x y")
    grad = [2 * x * y**2, 2 * x**2 * y]
    assert covers(grad, [x, y], [{x: 0}, {y: 0}])
    assert not covers(grad, [x, y], [{y: 0}])


@pytest.mark.slow
def test_json_says_whether_complete(tmp_path):
    def search(*args):
        proc = subprocess.run([sys.executable, "-m", "symgrad", *args, "--critical", "--json"],
                              capture_output=True, text=True, timeout=120, env=clean_env(), check=False)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)["critical_search"]

    assert search("x^3-3x+y^2") == {"exact": "complete", "newton": False, "box": [-10.0, 10.0],
                                    "complete": True}
    transcendental = search("sin(x)+x^2/10")
    assert transcendental["complete"] is False and transcendental["newton"] is True
