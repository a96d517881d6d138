"""Start-up: a one-shot JSON job imports nothing it does not need.

``import sympy`` is the floor of symgrad's start-up (about 0.3 s); NumPy,
Rich, symengine and the renderers of other formats each add to it, so a
small JSON job must not import them. These tests run the command in a fresh
interpreter and look at ``sys.modules`` afterwards: a test of what is
imported, not of time (``benchmarks/bench_startup.py`` measures time).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Runs the command in-process and reports the modules it imported on stderr.
PROBE = """
import json, sys
from symgrad.cli import main
try:
    main(sys.argv[1:], prog_name="symgrad")
except SystemExit as exit:
    code = exit.code
print("MODULES " + json.dumps(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""

#: Modules a small JSON job must not import.
HEAVY = (
    "numpy",
    "rich",
    "pygments",
    "symengine",
    "scipy",
    "symgrad.render.pretty",
    "symgrad.render.latex",
    "symgrad.render.text",
    "symgrad.codegen",
    "symgrad.batch",
    "symgrad.analysis",
    "symgrad.render.analysis",
)


def run(*args: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = proc.stderr.splitlines()
    (report,) = [line for line in lines if line.startswith("MODULES ")]
    return proc, set(json.loads(report[len("MODULES ") :]))


def imported(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_small_json_job_imports_nothing_heavy():
    proc, modules = run("x**2+y*z", "--at", "x=1,y=2,z=3", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["gradient"] == ["2*x", "z", "y"]
    assert doc["points"][0]["gradient"] == [2, 3, 2]
    assert "sympy" in modules  # the probe itself works
    assert [name for name in HEAVY if imported(modules, name)] == []


def test_small_hessian_in_json_stays_on_sympy():
    proc, modules = run("x**2*sin(y)+z", "-H", "--json")
    assert proc.returncode == 0, proc.stderr
    assert not imported(modules, "symengine")


@pytest.mark.parametrize("fmt", ["text", "latex"])
def test_other_formats_import_only_their_renderer(fmt):
    proc, modules = run("x**2+y*z", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    assert imported(modules, f"symgrad.render.{fmt}")
    assert not imported(modules, "rich") and not imported(modules, "numpy")


def test_a_big_job_brings_symengine_in():
    text = " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, 40))
    proc, modules = run(text, "-H", "--json")
    assert proc.returncode == 0, proc.stderr
    assert imported(modules, "symengine")  # which imports NumPy itself
    assert not imported(modules, "rich")


def test_stdin_mode_uses_symengine_for_all_jobs():
    proc, modules = run("--json", "-", stdin="x**2*sin(y)+z\nx*y\n")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["gradient"] for line in proc.stdout.splitlines()] == [
        ["2*x*sin(y)", "x**2*cos(y)", "1"],
        ["y", "x"],
    ]
    assert imported(modules, "symengine")
