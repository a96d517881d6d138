"""Big results: memoized printing is SymPy's printing, and pretty output folds.

Printing each distinct subexpression once (symgrad.output.memo) must not
change a single character of text, JSON or LaTeX; pretty output of a big
Hessian lists its nonzero entries instead of drawing 40,000 cells, says
what it left out, and draws everything with ``full``.
"""

from __future__ import annotations

import io
import json

import pytest
from helpers import log_sum_exp, rosenbrock
import sympy as sp
from rich.console import Console

import symgrad
from symgrad.jobs import JobSpec, run_job
from symgrad.output import RenderOptions, get_renderer, memo
from symgrad.output import pretty as pretty_module


def entries(derivs):
    yield from derivs.exprs
    yield from derivs.gradient
    for row in derivs.hessian:
        yield from row


CORPUS = [
    "x**2*sin(y) + z",
    log_sum_exp(4, 3),
    "Abs(x)*y + Max(x, y) - 1.5*z**2",
    "sqrt(x**2 + 1)/(x - y)**3 + exp(-x**2/2)",
    "atan2(y, x) + 0.1*x + 1e-30*y + 2.5e12*z",
]


@pytest.mark.parametrize("text", CORPUS)
def test_memo_sstr_is_sympys_sstr(text):
    d = symgrad.hessian(text)
    for e in entries(d):
        assert memo.sstr(e) == sp.sstr(e, full_prec=False)
        assert memo.sstr(e) == sp.sstr(e, full_prec=False)  # from the memo this time


def test_memo_keeps_numbers_of_different_precision_apart():
    low, high = sp.Float("0.1", 15), sp.Float("0.1000000000000000000000001", 30)
    x = sp.Symbol("x")
    for e in (low * x, high * x, sp.Integer(2) * x, sp.Float(2.0) * x, low, high):
        assert memo.sstr(e) == sp.sstr(e, full_prec=False)


def test_memo_forgets_beyond_its_size(monkeypatch):
    monkeypatch.setattr(memo, "MAX_REMEMBERED", 10)
    xs = sp.symbols("a0:40")
    for k in range(1, 40):
        e = sp.Add(*xs[:k]) ** 2
        assert memo.sstr(e) == sp.sstr(e, full_prec=False)
    assert len(memo._STR_PRINTER[0]._memo) <= 10


def _without_memo(monkeypatch):
    def plain_print(self, expr, **kwargs):
        return super(memo.MemoPrinter, self)._print(expr, **kwargs)

    monkeypatch.setattr(memo.MemoPrinter, "_print", plain_print)


#: The memo comparison's cases; the log-sum-exp Hessian takes over a second
#: (marked here, with an id that does not depend on how pytest shortens long ids).
MEMO_CASES = [
    pytest.param(text, marks=pytest.mark.slow, id="log-sum-exp") if text.startswith("log(") else text
    for text in CORPUS
] + [pytest.param(rosenbrock(15), id="rosenbrock-15")]


@pytest.mark.parametrize("fmt", ["latex", "text", "json"])
@pytest.mark.parametrize("text", MEMO_CASES)
def test_memoized_output_is_the_same_as_without_memo(monkeypatch, fmt, text):
    names = [s.name for s in symgrad.parse(text).symbols]
    point = {name: sp.Rational(k + 2, 3) for k, name in enumerate(names)} if len(names) <= 3 else None
    job = run_job([text], JobSpec(hessian=True, points=(point,) if point else ()))
    render = get_renderer(fmt)
    with_memo = render(job, RenderOptions())
    _without_memo(monkeypatch)
    monkeypatch.setattr(memo, "_STR_PRINTER", [])
    assert render(job, RenderOptions()) == with_memo


@pytest.mark.slow
def test_200_by_200_hessian_in_json_and_text():
    job = run_job([rosenbrock(200)], JobSpec(hessian=True))
    doc = json.loads(get_renderer("json")(job, RenderOptions()))
    h = doc["hessian"]
    assert len(h) == 200 and all(len(row) == 200 for row in h)
    assert h[0][0] == "1200*x1**2 - 400*x2 + 2"
    assert h[0][1] == h[1][0] == "-400*x1"
    assert h[0][2] == "0"
    assert sum(v != "0" for row in h for v in row) == 200 + 2 * 199
    text = get_renderer("text")(job, RenderOptions())
    assert text.count("\nd2f/d") == 200 * 201 // 2
    assert "\nd2f/dx199dx200 = -400*x199\n" in text


def draw(job, **options) -> str:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None, force_terminal=False).print(
        get_renderer("pretty")(job, RenderOptions(width=100, **options))
    )
    return out.getvalue()


def test_pretty_lists_a_big_hessian_and_says_what_it_left_out():
    n = 30
    job = run_job([rosenbrock(n)], JobSpec(hessian=True))
    shown = draw(job)
    assert "⎡" not in shown  # no matrix drawing
    assert "f(x1, …, x30)" in shown
    assert f"∇²f: {n}×{n}; {n + n - 1} nonzero entries in the upper triangle (symmetric)" in shown
    assert "∂²f/∂x1² = 1200*x1**2 - 400*x2 + 2" in shown
    assert "∂²f/∂x1∂x2 = -400*x1" in shown
    left_out = n + n - 1 - pretty_module.MAX_LISTED
    assert f"… {left_out} more nonzero entries not shown; --full shows everything" in shown
    assert f"∇f: {n} entries; {n} nonzero entries" in shown


def test_pretty_full_draws_everything():
    job = run_job([rosenbrock(14)], JobSpec(hessian=True))
    shown = draw(job, full=True)
    assert "⎡" in shown and "not shown" not in shown
    assert "f(x1, x2, x3" in shown


def test_pretty_small_results_are_drawn_as_before():
    job = run_job(["x**2*sin(y) + z"], JobSpec(hessian=True))
    assert draw(job) == draw(job, full=True)


@pytest.mark.slow
def test_pretty_shortens_long_formulas_and_entries():
    job = run_job([log_sum_exp(30, 30)], JobSpec())
    shown = draw(job)
    assert "f(x1, …, x30) = log(" in shown  # as text, not drawn
    assert "more characters; --full shows everything" in shown
    assert "entries over 2,000 characters are shortened; --full shows everything" in shown
    full = draw(job, full=True)
    assert "more characters" not in full and "shortened" not in full


def test_pretty_table_of_values_keeps_its_first_rows():
    n = 20
    point = {f"x{i}": 1 for i in range(1, n + 1)}
    job = run_job([rosenbrock(n)], JobSpec(hessian=True, points=(point,)))
    rows = 1 + n + n * (n + 1) // 2  # the function's value, the gradient, the Hessian's upper triangle
    shown = draw(job)
    assert f"… {rows - pretty_module.MAX_TABLE_ROWS} more entries not shown" in shown
    assert "∂²f/∂x20²" not in shown.split("at x1=1")[1]
    assert "∂²f/∂x20²" in draw(job, full=True).split("at x1=1")[1]


def test_pretty_lists_a_big_jacobian():
    job = run_job([f"x{i}*x{i + 1}" for i in range(1, 16)], JobSpec(hessian=True))
    shown = draw(job)
    assert "F(x1, …, x16): 15 entries; 15 nonzero entries, 0 zeros" in shown
    assert "J_F: 15×16; 30 nonzero entries, 210 zeros" in shown
    assert "  ∂f₁₅/∂x16 = x15\n" in shown
    assert "∇²f₃: 16×16; 1 nonzero entry in the upper triangle (symmetric), 135 zeros" in shown
    assert "  ∂²f₃/∂x3∂x4 = 1\n" in shown


@pytest.mark.slow
def test_cli_full_option(cli):
    args = [rosenbrock(40), "-H", "--format", "pretty"]
    folded = cli(*args)
    full = cli(*args, "--full")
    assert folded.exit_code == full.exit_code == 0
    assert "--full shows everything" in folded.stdout
    assert "--full shows everything" not in full.stdout
