"""The README's examples are true: every ``$ ...`` console example is run and
its output compared, the JSON schema and library snippets are checked, and
the quickstart's test command is the one CI runs.

Pipelines in examples may use ``printf`` (as stdin), ``cat``, ``grep`` and
``jq``; ``grep`` and the ``jq`` filters are emulated here so the test needs neither
tool. An example whose output shows pretty drawing is run as on a terminal
(80 columns) and compared without trailing spaces, which Markdown drops.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from symgrad.cli.command import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PRETTY_MARKS = set("┏⎡∇")


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, re.M | re.S)


def console_examples() -> list[tuple[str, str]]:
    """(command, expected output) for every ``$ command`` in console blocks."""
    examples = []
    for block in blocks("console"):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


def jq(filter_text: str, flags: list[str], text: str) -> str:
    """The few jq filters the README uses: ``.a,.b`` and ``.a // .b`` (with -c)."""
    assert flags == ["-c"], f"jq flags {flags} are not emulated"
    out = []
    for line in text.splitlines():
        doc = json.loads(line)
        for term in filter_text.split(","):
            alternatives = [a.strip() for a in term.split("//")]
            assert all(re.fullmatch(r"\.[a-z_]+", a) for a in alternatives), (
                f"jq filter {filter_text!r} is not emulated"
            )
            value = None
            for a in alternatives:
                value = doc.get(a[1:])
                if value not in (None, False):
                    break
            out.append(json.dumps(value, separators=(",", ":"), ensure_ascii=False))
    return "\n".join(out) + "\n"


def split_pipeline(command: str) -> tuple[list[str], str | None, list[list[str]]]:
    """Split a README pipeline: (symgrad's args, its stdin, the later stages)."""
    tokens = shlex.split(command)
    stages, current = [], []
    for token in tokens:
        if token == "|":
            stages.append(current)
            current = []
        else:
            current.append(token)
    stages.append(current)
    stdin = None
    if stages[0][0] == "printf":
        (text,) = stages[0][1:]
        stdin = text.encode().decode("unicode_escape")
        stages = stages[1:]
    first, *rest = stages
    assert first[0] == "symgrad", command
    return first[1:], stdin, rest


def example_params():
    return [pytest.param(command, expected, id=command) for command, expected in console_examples()]


@pytest.mark.parametrize(("command", "expected"), example_params())
def test_console_example(cli, command, expected):
    args, stdin, rest = split_pipeline(command)
    pretty = bool(PRETTY_MARKS & set(expected))
    env = {"COLUMNS": "80", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"} if pretty else {}
    result = cli(*args, input=stdin, env=env)
    shown = result.output  # stdout and stderr, interleaved as on a terminal
    for stage in rest:
        if stage[0] == "grep":
            (pattern,) = stage[1:]
            shown = "".join(line for line in shown.splitlines(True) if pattern in line)
        elif stage == ["cat"]:
            pass
        elif stage[0] == "jq":
            shown = jq(stage[-1], stage[1:-1], result.stdout)
        else:
            raise AssertionError(f"pipeline stage {stage} is not emulated")
    if pretty:
        shown = "\n".join(line.rstrip() for line in ANSI.sub("", shown).splitlines())
    assert shown.rstrip("\n") == expected


def test_console_examples_were_found():
    commands = [c for c, _ in console_examples()]
    assert len(commands) >= 5
    assert 'symgrad "x**2+y*z" --at x=1,y=2,z=3' in commands


def test_quickstart_is_two_commands_and_ci_runs_the_test_command():
    section = README.split("## Quickstart", 1)[1]
    (block,) = re.findall(r"^```sh\n(.*?)^```", section, re.M | re.S)[:1]
    commands = block.strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith('symgrad "x**2+y*z" --at x=1,y=2,z=3')
    assert commands[1].endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci


def test_json_schema_block_is_real_output(cli):
    (schema,) = [b for b in blocks("json") if '"expressions"' in b]
    result = cli("x**2+y*z", "--hessian", "--at", "x=1,y=2,z=3", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(schema)


def test_usage_table_lists_every_option():
    usage = README.split("## Usage", 1)[1].split("\n## ", 1)[0]
    for param in main.params:
        for opt in param.opts + param.secondary_opts:
            if opt.startswith("-"):
                assert re.search(rf"`[^`]*{re.escape(opt)}\b", usage), opt


def test_library_snippet_comments_are_true():
    (code,) = [b for b in blocks("python") if "import symgrad" in b]
    namespace: dict = {}
    checked = 0
    for line in code.splitlines():
        statement, _, comment = line.partition("  #")
        if not statement.strip():
            continue
        comment = comment.strip()
        if comment.startswith("("):
            value = eval(statement.strip(), namespace)  # the README's own code
            assert str(value) == comment.split(" —")[0], line
            checked += 1
        else:
            exec(statement, namespace)
    assert checked >= 4


def test_example_formulas_file_runs(cli):
    text = (ROOT / "examples" / "formulas.txt").read_text(encoding="utf-8")
    result = cli("--json", "-", input=text)
    assert result.exit_code == 0, result.stderr
    jobs = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(result.stdout.splitlines()) == len(jobs)


@pytest.mark.slow
def test_newton_example_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "newton.py")],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "minimum near x=1.000000000000, y=1.000000000000\n"


@pytest.mark.slow
def test_grid_side_by_side_is_the_example_output():
    (block,) = [b for b in blocks("text") if b.startswith("shapes  numpy.gradient")]
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "grid_vs_numpy.py")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == block
