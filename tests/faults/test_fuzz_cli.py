"""A fuzz run over the option space: whatever the options, no traceback and an honest exit code.

Hypothesis draws a formula (valid, invalid or hostile) and a random set of
options with values from sensible and hostile pools, and runs the command
in-process (the ``runner`` fixture: the console script's code path, without
an interpreter start per example). Every run must end with

* no exception escaping the command and no traceback in its output,
* exit 0, 1 or 2 (never 3, the internal-error code),
* stderr in the SPEC's shape (``faultkit.stderr_problems``): exit 2 is one
  ``Error:`` line (a parse error adds its caret lines), exit 0 has none,
  exit 1 may name each failed entry,
* nothing written outside the test's own folder (no ``PWNED``).

The examples are derandomized (tests/conftest.py's default profile), so a
red run replays; ``--hypothesis-profile explore`` hunts with fresh ones.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import numpy as np
import pytest
from faultkit import stderr_problems, verdict
from helpers import npy_bytes, npz_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VALID = ["x*y", "x**2 + y**2", "sin(x)*y", "(x - 1)**2*(y + 2)**2", "x", "1/x", "sqrt(-x)*y", "2", "-x**2+y",
         "x*y*z", "exp(x)/y"]
FORMULAS = [
    *VALID,
    # invalid
    "x+", "(", "x y z ^", "foo(x)", "x,,y", "",
    # hostile
    "__import__('os').system('touch PWNED')", "x.__class__", "lambda: 0", "x+\x1b]0;T\x07\x1b[2J",
    "2**10**10", "factorial(10**6)", "x**(10**10)", "(" * 200 + "x" + ")" * 200, "x*\nmax(x, 2)",
]

#: option -> the values drawn for it (None: a flag).
OPTIONS: dict[str, list[str] | None] = {
    "--at": ["x=1,y=2", "x=0,y=0", "x=pi/4,y=1/3", "x=1e-3,y=2,z=3", "x=nan,y=1", "x=inf,y=1", "x=1",
             "z=1", "x=1,x=2", "x=abc,y=1", "x=2**10**10,y=1", "=", "", "x=\x1b[2J"],
    "-H": None,
    "--format": ["auto", "c", "csv", "fortran", "js", "json", "julia", "latex", "numpy", "octave", "pretty",
                 "python", "rust", "text", "bogus"],
    "--json": None,
    "--latex": None,
    "--points": ["{csv}", "{tsv}", "{jsonl}", "{npy}", "{npz}", "{empty}", "{missing}", "-", "{folder}"],
    "--grid": ["x=0:1:n=3,y=0:1:n=3", "x=0:1:0.5", "x=0:1:n=0", "x=1:0:0.1", "x=0:1:n=" + "9" * 5000,
               "x=0:1:n=100000,y=0:1:n=100000,z=0:1:n=100000", "x=0:1:nan", "bogus", "x=0:1:n=2,q=0:1:n=2"],
    "-o": ["{out}.csv", "{out}.tsv", "{out}.jsonl", "{out}.npy", "{out}.npz", "{out}.parquet", "{out}.xyz",
           "{folder}", "{nofolder}/o.csv", "{csv}"],
    "--timeout": ["0", "1", "nan", "-1", "inf", "1e308", "abc"],
    "--critical": None,
    "--taylor": ["0", "2", "7", "-1", "x"],
    "--check": None,
    "--tol": ["1e-3", "0", "-1"],
    "--box": ["-1:1", "1:-1", "a:b", "0:0"],
    "--seed": ["3", "-1"],
    "--name": ["g", "", "1bad", "a b", "\x1b[2J", "grad"],
    "--latex-env": ["bmatrix", "pmatrix", "vmatrix", "array", "bogus"],
    "--latex-style": ["vector", "components", "table", "bogus"],
    "--standalone": None,
    "--full": None,
    "--wrt": ["x", "x,y", "z", "x,x", "y,x", ""],
    "--symbols": ["E,I", "x", "pi"],
    "--complex": None,
    "--strict": None,
    "--backend": ["numpy", "symengine", "auto"],
    "--chunk-rows": ["1", "0", "7"],
    "--divergence": None,
    "--curl": None,
    "--laplacian": None,
    "--along": ["1,1", "0,0", "1", "x=1,y=2"],
    "--diff": ["x,y", "x,x,x", "q"],
    "--engine": ["sympy", "symengine"],
    "--qqqq": None,
    "-Z": None,
}

POINTS_CSV = "x,y,z\n1,2,3\n0,0,0\n-1,0.5,2\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("fuzz-inputs")
    (folder / "p.csv").write_text(POINTS_CSV, encoding="utf-8")
    (folder / "p.tsv").write_text(POINTS_CSV.replace(",", "\t"), encoding="utf-8")
    (folder / "p.jsonl").write_text('{"x": 1, "y": 2, "z": 3}\n{"x": 0, "y": -1, "z": 0}\n', encoding="utf-8")
    (folder / "p.npy").write_bytes(npy_bytes(np.array([[1.0, 2.0], [3.0, 4.0]])))
    (folder / "p.npz").write_bytes(npz_bytes(x=np.array([1.0, 2.0]), y=np.array([0.5, 0.0]), z=np.ones(2)))
    (folder / "empty.csv").write_bytes(b"")
    (folder / "dir").mkdir()
    return {"csv": str(folder / "p.csv"), "tsv": str(folder / "p.tsv"), "jsonl": str(folder / "p.jsonl"),
            "npy": str(folder / "p.npy"), "npz": str(folder / "p.npz"), "empty": str(folder / "empty.csv"),
            "missing": str(folder / "missing.csv"), "folder": str(folder / "dir")}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    formula = draw(st.sampled_from(VALID) | st.sampled_from(FORMULAS))  # valid ones more often
    chosen = draw(st.lists(st.sampled_from(sorted(OPTIONS)), unique=True, max_size=5))
    args = [formula] if formula.startswith("-") is False else ["--", formula]
    options: list[str] = []
    for option in chosen:
        values = OPTIONS[option]
        options += [option] if values is None else [option, draw(st.sampled_from(values))]
    if draw(st.booleans()):
        return [*options, *args]
    return [*args[-1:], *options] if args[0] != "--" else [*options, *args]


@pytest.mark.slow
@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(args=command_lines())
def test_no_option_combination_ends_in_a_traceback(runner, files, tmp_path, args):
    from symgrad.cli.command import main

    work = tmp_path / f"run{len(os.listdir(tmp_path))}"
    work.mkdir()
    places = {**files, "out": str(work / "out"), "nofolder": str(work / "no" / "such")}
    args = [a.format(**places) if "{" in a else a for a in args]
    saved = list(gc.callbacks)  # hypothesis's own gc callback would swallow the time limit's alarm
    gc.callbacks.clear()
    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = runner.invoke(main, args, input=POINTS_CSV, prog_name="symgrad")
    finally:
        os.chdir(cwd)
        gc.callbacks[:] = saved
    problems = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problems.append(f"raised {type(result.exception).__name__}: {str(result.exception)[:200]}")
    code = result.exit_code
    if code not in (0, 1, 2):
        problems.append(f"exit {code}")
    wanted = {0: 0, 2: 1}.get(code)
    problems += stderr_problems(result.stderr.encode(), errors=wanted, many_errors=code == 1)
    if "Traceback" in result.stdout:
        problems.append("a traceback on stdout")
    if Path(work, "PWNED").exists():
        problems.append("PWNED was created")
    shown = [a if len(a) <= 60 else f"{a[:40]}...({len(a)} characters)" for a in args]
    verdict([f"symgrad {shown!r}: " + "; ".join(problems)] if problems else [])
