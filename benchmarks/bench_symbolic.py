"""Symbolic speed: parse, gradient, Hessian, JSON and LaTeX of big formulas.

Workloads, n variables:

* ``rosenbrock``: the extended Rosenbrock function
  ``sum 100*(x[i+1] - x[i]**2)**2 + (1 - x[i])**2`` (sparse Hessian);
* ``logsumexp``: ``log(sum_k exp(a_k . x))`` over n linear forms, form k
  holding x[k], x[k+1], x[k+2] (cyclically) with small integer
  coefficients (dense Hessian: every entry holds the whole sum).

For each, in this one process, it times symgrad's steps (default engine)
and two baselines on the same formula:

* naive SymPy: ``parse_expr`` + ``sympy.hessian`` (what a SymPy user writes).
  It grows about as n**3 and takes minutes beyond n = 50 to 100, so it only
  runs up to ``--naive-up-to`` (default 50); larger n show ``-``;
* raw symengine: convert the parsed SymPy formula to symengine, its
  gradient, the Jacobian of the gradient, convert back to SymPy (the floor
  for any symengine-based tool, with no real-variable care and no sparsity).

Times are the best of 3 runs for n <= 50, one run above; ``hessian`` is
symgrad's gradient + Hessian from the parsed formula; ``at`` is the
gradient and Hessian evaluated at a decimal point (30-digit working
precision) and written as JSON, like ``--at ... --json``;
``x naive`` is naive SymPy's time over symgrad's parse + Hessian, and
``/ raw`` symgrad's Hessian over raw symengine's (below 1: faster). SymPy's
cache is cleared before each timing. JSON and LaTeX of a log-sum-exp
Hessian grow as n**3 characters (each entry holds the whole sum), so they
run only up to n = 50 there, and (*) log-sum-exp stops at n = 200 (MAX_N).
Run:

    python benchmarks/bench_symbolic.py                  # n = 10, 50, 100, 200, 500 (*)
    python benchmarks/bench_symbolic.py --naive-up-to 100
    python benchmarks/bench_symbolic.py --sizes 10,50
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import symengine as se
import sympy as sp
from sympy.parsing.sympy_parser import parse_expr

from symgrad.calculus import differentiate
from symgrad.evaluation.exact import evaluate
from symgrad.jobs import Job
from symgrad.parsing import parse
from symgrad.output import RenderOptions, get_renderer, memo

#: Largest n whose log-sum-exp Hessian is printed (JSON/LaTeX grow as n**3).
LSE_OUTPUT_UP_TO = 50
#: Largest n per workload: a log-sum-exp Hessian at n = 500 takes symgrad
#: about 1.5 minutes (raw symengine about 4), far over a minute.
MAX_N = {"rosenbrock": 500, "logsumexp": 200}


def rosenbrock(n: int) -> str:
    return " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n))


def logsumexp(n: int) -> str:
    forms = []
    for k in range(n):
        terms = [f"{(3 * k + j) % 5 - 2 or 1}*x{(k + j) % n + 1}" for j in range(3)]
        forms.append("exp(" + " + ".join(terms) + ")")
    return "log(" + " + ".join(forms) + ")"


WORKLOADS: dict[str, Callable[[int], str]] = {"rosenbrock": rosenbrock, "logsumexp": logsumexp}


REPEATS = 1


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    """The best of REPEATS runs, each with SymPy's cache cleared first."""
    best = float("inf")
    for _ in range(REPEATS):
        sp.core.cache.clear_cache()
        memo.forget()
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
    return best, result


def raw_symengine(expr: Any, variables: tuple[Any, ...]) -> Any:
    f = se.sympify(expr)
    xs = [se.Symbol(v.name) for v in variables]
    grad = se.Matrix([f.diff(x) for x in xs])
    hess = grad.jacobian(se.Matrix(xs))
    return [[hess[i, j]._sympy_() for j in range(len(xs))] for i in range(len(xs))]


def naive_sympy(text: str) -> Any:
    f = parse_expr(text)
    xs = sorted(f.free_symbols, key=lambda s: int(s.name[1:]))
    return sp.hessian(f, xs)


def seconds(t: float | None) -> str:
    if t is None:
        return "-"
    return f"{t:.3f}" if t < 10 else f"{t:.1f}"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "-"
    return f"{a / b:.2f}" if a / b < 10 else f"{a / b:.0f}"


def run(name: str, n: int, naive_up_to: int) -> list[str]:
    global REPEATS
    REPEATS = 3 if n <= 50 else 1  # the machine is noisy; big runs take long
    text = WORKLOADS[name](n)
    t_parse, parsed = timed(lambda: parse(text))
    t_grad, _ = timed(lambda: differentiate(parsed))
    t_hess, derivs = timed(lambda: differentiate(parsed, hessian=True))
    job = Job(derivs)
    t_json = t_latex = t_at = None
    if name != "logsumexp" or n <= LSE_OUTPUT_UP_TO:
        options = RenderOptions()
        t_json, _ = timed(lambda: get_renderer("json")(job, options))
        t_latex, _ = timed(lambda: get_renderer("latex")(job, options))
        point = {v.name: f"{(i % 7 - 3) / 8}" for i, v in enumerate(derivs.variables)}
        t_at, _ = timed(lambda: get_renderer("json")(Job(derivs, (evaluate(derivs, point),)), options))
    t_raw, _ = timed(lambda: raw_symengine(parsed.exprs[0], parsed.variables))
    t_naive = None
    if n <= naive_up_to:
        t_naive, _ = timed(lambda: naive_sympy(text))
    return [
        name,
        str(n),
        f"{len(text) / 1000:.1f}",
        seconds(t_parse),
        seconds(t_grad),
        seconds(t_hess),
        seconds(t_json),
        seconds(t_latex),
        seconds(t_at),
        seconds(t_raw),
        ratio(t_hess, t_raw),
        seconds(t_naive),
        ratio(t_naive, None if t_naive is None else t_parse + t_hess),
    ]


HEADER = [
    "workload", "n", "kB", "parse", "gradient", "hessian", "json", "latex", "at",
    "raw symengine", "/ raw", "naive sympy", "x naive",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,50,100,200,500", help="comma-separated n")
    parser.add_argument("--naive-up-to", type=int, default=50, help="largest n for naive SymPy")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # warm up: first calls into SymPy's printers and assumptions cost extra
    warm = parse(rosenbrock(3))
    get_renderer("latex")(Job(differentiate(warm, hessian=True, engine="symengine")), RenderOptions())
    get_renderer("json")(Job(differentiate(warm, hessian=True, engine="sympy")), RenderOptions())
    print(f"sympy {sp.__version__}, symengine {se.__version__}; times in seconds")
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for name in args.workloads.split(","):
        for n in sizes:
            if n > MAX_N[name]:
                continue
            print("| " + " | ".join(run(name, n, args.naive_up_to)) + " |", flush=True)


if __name__ == "__main__":
    main()
