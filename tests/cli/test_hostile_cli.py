"""Hostile input through the installed ``symgrad`` script, in real processes.

No input may execute code, touch files, print a traceback or run without
bound (SPEC: Errors and exit codes). Each case runs in its own empty working
directory, which must still be empty afterwards.

The processes are started a few at a time from one module fixture so that
the ~30 interpreter start-ups overlap; the time bound (``ELAPSED_BOUND``) is a
does-not-hang check, far above the normal second or two, not a benchmark.
"""

from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import clean_env, symgrad_script

#: Every test reads the results of one module-wide run of all the cases.
pytestmark = pytest.mark.slow

ELAPSED_BOUND = 15.0  # seconds
HARD_TIMEOUT = 120  # seconds; subprocess.run kills the process after this

PAYLOADS = {
    "os_system": "__import__('os').system('touch PWNED')",
    "open": "open('PWNED','w')",
    "dunder_class": "x.__class__",
    "subclasses": "().__class__.__bases__[0].__subclasses__()",
    "lambda": "lambda: 0",
}

ONE_MB_FORMULA = "+".join(["x"] * 500_000)  # 999,999 characters
#: Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN), so the
#: megabyte formula goes through stdin and a 120 kB one through argv.
BIG_ARGV_FORMULA = "+".join(["x"] * 60_000)  # 119,999 characters
NESTED_PARENS = "(" * 10_000 + "x" + ")" * 10_000


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    input: str | None = None


CODE_CASES: dict[str, Case] = {}
for _name, _payload in PAYLOADS.items():
    CODE_CASES[f"expr-{_name}"] = Case((_payload,))
    CODE_CASES[f"at-{_name}"] = Case(("x", "--at", f"x={_payload}"))
    CODE_CASES[f"wrt-{_name}"] = Case(("x", "--wrt", _payload))
    CODE_CASES[f"symbols-{_name}"] = Case(("x", "--symbols", _payload))
CODE_CASES["stdin-os_system"] = Case(("-",), PAYLOADS["os_system"] + "\n")
CODE_CASES["stdin-all"] = Case(("--json", "-"), "\n".join(PAYLOADS.values()) + "\nx**2\n")

RESOURCE_CASES: dict[str, tuple[Case, int, str]] = {
    "giant-power": (
        Case(("2**10**10",)),
        1,
        "Error: the power (2)**(10000000000) is too large to compute exactly"
        " (limit: 10000 bits); use decimal values for a floating-point result",
    ),
    "giant-power-in-at": (
        Case(("x", "--at", "x=2**10**10")),
        1,
        "Error: --at: the power (2)**(10000000000) is too large to compute exactly"
        " (limit: 10000 bits); use decimal values for a floating-point result",
    ),
    "giant-factorial": (
        Case(("factorial(10**6)",)),
        1,
        "Error: factorial(1000000) is too large to compute exactly"
        " (limit: 10000 bits); use decimal values for a floating-point result",
    ),
    "megabyte-stdin": (
        Case(("-",), ONE_MB_FORMULA + "\n"),
        2,
        "Error: line 1: the line is longer than a formula may be (limit: 100000)",
    ),
    "big-argv": (
        Case((BIG_ARGV_FORMULA,)),
        2,
        "Error: formula is 119999 characters long (limit: 100000)",
    ),
    "nested-parens": (
        Case((NESTED_PARENS,)),
        2,
        "Error: formula is nested more than 100 levels deep",
    ),
    "huge-exact-value": (
        Case(("x**(10**10)", "--at", "x=2")),
        1,
        "Error: df/dx at x=2: the power (2)**(9999999999) is too large to compute exactly"
        " (limit: 10000 bits); use decimal values for a floating-point result",
    ),
}


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    cwd: Path


def run_case(exe: str, case: Case, cwd: Path) -> Run:
    start = time.monotonic()
    proc = subprocess.run(
        [exe, *case.args],
        input=case.input if case.input is not None else "",
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(),
        timeout=HARD_TIMEOUT,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start, cwd)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    exe = symgrad_script()
    assert exe is not None, "the symgrad console script is not on PATH"
    cases = {**CODE_CASES, **{k: v[0] for k, v in RESOURCE_CASES.items()}}
    dirs = {name: tmp_path_factory.mktemp(name) for name in cases}
    workers = (os.cpu_count() or 2) + 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(run_case, exe, cases[name], dirs[name]) for name in cases}
        return {name: future.result() for name, future in futures.items()}


def assert_untouched(run: Run) -> None:
    assert not (run.cwd / "PWNED").exists()
    assert list(run.cwd.iterdir()) == []
    assert "Traceback" not in run.stderr
    assert "Traceback" not in run.stdout


@pytest.mark.parametrize("name", sorted(n for n in CODE_CASES if not n.startswith("stdin")))
def test_code_payload_is_a_usage_error(runs, name):
    run = runs[name]
    assert_untouched(run)
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("Error: ")
    assert run.elapsed < ELAPSED_BOUND


def test_expr_payload_errors_point_at_the_offending_character(runs):
    assert runs["expr-os_system"].stderr.splitlines() == [
        "Error: unexpected character \"'\" (strings are not part of a formula)",
        "  __import__('os').system('touch PWNED')",
        "             ^",
    ]
    assert runs["expr-dunder_class"].stderr.splitlines() == [
        "Error: unexpected character '.' (attribute access is not part of a formula)",
        "  x.__class__",
        "   ^",
    ]
    assert runs["expr-lambda"].stderr.splitlines() == [
        "Error: unexpected character ':'",
        "  lambda: 0",
        "        ^",
    ]


def test_option_payload_errors_name_the_option_or_value(runs):
    assert runs["wrt-dunder_class"].stderr == (
        "Error: --wrt: 'x.__class__' is not a valid variable name\n"
    )
    assert runs["symbols-lambda"].stderr == (
        "Error: --symbols: 'lambda: 0' is not a valid variable name\n"
    )
    assert runs["at-open"].stderr == (
        "Error: --at: value of x is not a number: \"open('PWNED','w')\" "
        "(unexpected character \"'\" (strings are not part of a formula))\n"
    )


def test_stdin_payload_is_reported_and_skipped(runs):
    run = runs["stdin-os_system"]
    assert_untouched(run)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines()[0] == (
        "Error: line 1: unexpected character \"'\" (strings are not part of a formula)"
    )


def test_stdin_payloads_do_not_stop_the_stream(runs):
    run = runs["stdin-all"]
    assert_untouched(run)
    assert run.returncode == 2
    # every payload line fails on its own; the good last line still runs
    assert run.stdout == (
        '{"expressions": ["x**2"], "variables": ["x"], "gradient": ["2*x"], "points": []}\n'
    )
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert [e.split(":")[1] for e in errors] == [f" line {n}" for n in range(1, len(PAYLOADS) + 1)]


@pytest.mark.parametrize("name", sorted(RESOURCE_CASES))
def test_resource_attack_ends_quickly_with_one_error_line(runs, name):
    _, code, message = RESOURCE_CASES[name]
    run = runs[name]
    assert_untouched(run)
    assert run.elapsed < ELAPSED_BOUND
    assert run.returncode == code, run.stderr
    assert run.stdout == ""
    assert run.stderr == message + "\n"
