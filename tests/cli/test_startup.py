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
from symgrad.cli.command import main
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
    "symgrad.output.pretty",
    "symgrad.output.latex",
    "symgrad.output.text",
    "symgrad.codegen",
    "symgrad.evaluation.compiled",
    "symgrad.analysis",
    "symgrad.output.latex_analysis",
    "symgrad.output.pretty_analysis",
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


@pytest.mark.slow
def test_small_json_job_imports_nothing_heavy():
    proc, modules = run("x**2+y*z", "--at", "x=1,y=2,z=3", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["gradient"] == ["2*x", "z", "y"]
    assert doc["points"][0]["gradient"] == [2, 3, 2]
    assert "sympy" in modules  # the probe itself works
    assert [name for name in HEAVY if imported(modules, name)] == []


@pytest.mark.slow
def test_small_hessian_in_json_stays_on_sympy():
    proc, modules = run("x**2*sin(y)+z", "-H", "--json")
    assert proc.returncode == 0, proc.stderr
    assert not imported(modules, "symengine")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "latex"])
def test_other_formats_import_only_their_renderer(fmt):
    proc, modules = run("x**2+y*z", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    assert imported(modules, f"symgrad.output.{fmt}")
    assert not imported(modules, "rich") and not imported(modules, "numpy")


@pytest.mark.slow
def test_a_big_job_brings_symengine_in():
    text = " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, 40))
    proc, modules = run(text, "-H", "--json")
    assert proc.returncode == 0, proc.stderr
    assert imported(modules, "symengine")  # which imports NumPy itself
    assert not imported(modules, "rich")


@pytest.mark.slow
def test_stdin_mode_uses_symengine_for_all_jobs():
    proc, modules = run("--json", "-", stdin="x**2*sin(y)+z\nx*y\n")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["gradient"] for line in proc.stdout.splitlines()] == [
        ["2*x*sin(y)", "x**2*cos(y)", "1"],
        ["y", "x"],
    ]
    assert imported(modules, "symengine")


#: Runs the launcher the console script runs and reports the collector's state.
LAUNCH_PROBE = """
import gc, json, sys
from symgrad.cli.launch import main
try:
    main()
except SystemExit as exit:
    code = exit.code
state = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
print("GC " + json.dumps(state), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.slow
def test_the_launcher_pauses_the_collector_only_for_imports():
    proc = subprocess.run(
        [sys.executable, "-c", LAUNCH_PROBE, "x**2+y*z", "--at", "x=1,y=2,z=3", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["points"][0]["gradient"] == [2, 3, 2]
    (report,) = [line for line in proc.stderr.splitlines() if line.startswith("GC ")]
    state = json.loads(report[len("GC ") :])
    assert state["enabled"] is True  # the job itself ran with the collector on
    assert state["frozen"] > 10_000  # SymPy's and the command's objects were set aside for shutdown


@pytest.mark.slow
def test_python_dash_m_runs_the_launcher():
    proc = subprocess.run(
        [sys.executable, "-m", "symgrad", "x*y", "--at", "x=2,y=3", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["points"][0]["gradient"] == [3, 2]


def test_the_console_script_is_the_launcher():
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "symgrad"]
    assert script.value == "symgrad.cli.launch:main"


@pytest.mark.slow
def test_the_package_loads_its_modules_on_first_use():
    code = (
        "import sys, symgrad; before = sorted(m for m in sys.modules if m.startswith('symgrad.')); "
        "names = [getattr(symgrad, n) for n in symgrad.__all__]; "
        "print(before, symgrad.gradient('x*y').gradient, sorted(set(symgrad.__all__) - set(dir(symgrad))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert proc.stdout == "[] (y, x) []\n"
