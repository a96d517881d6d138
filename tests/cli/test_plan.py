"""The plan: every option check is a row of one table, with one message shape and exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symgrad.cli import plan as cli_plan
from symgrad.cli.command import main
from symgrad.cli.help import long_name
from symgrad.errors import OptionError
from symgrad.output import available_formats, format_info

PACKAGE = Path(cli_plan.__file__).parents[1]  # symgrad/

#: (arguments, stdin, the one Error line); together they break every row of the table.
CASES = [
    (["x", "--latex", "--json"], None, "choose one output format, not json and latex"),
    (["x", "--latex-env", "pmatrix"], None, "--latex-env works with --format latex"),
    (["x", "--latex-style", "table", "--json"], None, "--latex-style works with --format latex"),
    (["x", "--standalone"], None, "--standalone works with --format latex"),
    (["x", "--name", "g"], None, "--name works with --format latex, a code format or --points or --grid"),
    (["x", "--digits", "3", "--json"], None, "--digits works with --format pretty, text or latex"),
    (["x", "--shared-terms", "--latex"], None, "--shared-terms works with --format text or json"),
    (["x", "--grid", "x=0:1:1", "--shared-terms", "-f", "json"], None,
     "--shared-terms does not work with --points or --grid; values at many points show no derivative"),
    (["x", "--grid", "x=0:1:1", "--digits", "3", "-f", "text"], None,
     "--digits does not work with --points or --grid; it rounds the values at --at points"),
    (["x*y", "--grid", "x=0:1:1,y=0:1:1", "--simplify", "off"], None,
     "--simplify does not work with --points or --grid; values at many points are computed from the raw derivatives"),
    (["x", "--latex", "--name", "two words"], None,
     "--name 'two words': use a letter followed by up to 31 letters, digits or underscores"),
    (["-", "x"], None, "'-' (read stdin) must be the only EXPR"),
    (["x", "--points", "-", "--grid", "x=0:1:1"], None, "--points does not work with --grid"),
    (["--points", "p.csv"], "x\n", "--points does not work with formulas on stdin; give the formula as EXPR"),
    (["x", "--points", "-", "--at", "x=1", "--at", "x=2"], None,
     "--at may be given once with --points or --grid (the values of the other symbols)"),
    (["x", "--grid", "x=0:1:1", "--latex"], None,
     "--format latex does not work with --points or --grid; use csv, json or --output"),
    (["x", "-o", "out.csv"], None, "--output works with --points or --grid"),
    (["x", "--strict"], None, "--strict works with --points or --grid"),
    (["x", "--backend", "numpy"], None, "--backend works with --points or --grid"),
    (["x", "--chunk-rows", "10"], None, "--chunk-rows works with --points or --grid"),
    (["x", "--at", "x=1", "-f", "c"], None,
     "--at does not work with --format c; generated code takes the point as arguments"),
    (["-", "--latex", "--standalone"], "x\n", "--standalone does not work with formulas on stdin; "
     "it makes one document: give the formulas as EXPR"),
    (["x", "--box", "-1:1"], None, "--box works with --check, --critical or --plot"),
    (["x", "--grid", "x=0:1:1", "-f", "csv", "--plot", "p.png"], None,
     "--plot does not work with --points or --grid; use --at for the values of the other symbols"),
    (["--plot", "p.png"], "x\n", "--plot does not work with formulas on stdin; give the formula as EXPR"),
    (["x", "--seed", "0"], None, "--seed works with --check or --critical"),
    (["x", "--tol", "1e-6"], None, "--tol works with --check"),
    (["x", "--check", "--tol", "inf"], None, "--tol inf: use a finite positive number"),
    (["x", "--taylor", "1"], None, "--taylor works with --at"),
    (["x", "--grid", "x=0:1:1", "--laplacian"], None, "--laplacian does not work with --points or --grid; use --at"),
    (["x", "--critical", "-f", "csv"], None,
     "--critical does not work with --format csv; the formats that show analyses: json, latex, pretty, text"),
]


@pytest.mark.parametrize(("args", "stdin", "message"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_each_broken_rule_is_one_error_line_and_exit_2(cli, args, stdin, message):
    result = cli(*args, input=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_the_cases_break_every_row(cli, monkeypatch):
    """Each row of the table is reached by some case above: none is dead."""
    hit: set[int] = set()

    def spy(inv: cli_plan.Invocation) -> None:
        for index, rule in enumerate(cli_plan.RULES):
            message = rule.broken(inv)
            if message is not None:
                hit.add(index)
                raise OptionError(message)

    monkeypatch.setattr(cli_plan, "check", spy)
    for args, stdin, _ in CASES:
        cli(*args, input=stdin)
    from symgrad.cli import command as cli_module

    monkeypatch.setattr(cli_module, "isatty", lambda stream: True)
    cli("--json")  # no EXPR, stdin a terminal (test_the_missing_expr_row)
    assert sorted(set(range(len(cli_plan.RULES))) - hit) == []


def test_the_missing_expr_row(runner, monkeypatch):
    from symgrad.cli import command as cli_module

    monkeypatch.setattr(cli_module, "isatty", lambda stream: True)
    result = runner.invoke(main, ["--json"])
    assert result.exit_code == 2
    assert result.stderr == 'Error: missing EXPR (a formula such as "x**2+y*z")\n'


def test_an_option_at_its_default_value_still_counts_as_given(cli):
    # --backend auto is the default, but on the command line without --points it is a mistake
    assert cli("x", "--backend", "auto").stderr == "Error: --backend works with --points or --grid\n"
    assert cli("x").exit_code == 0


def test_rows_name_only_options_the_command_has():
    names = {long_name(p) for p in main.params}
    for rule in cli_plan.RULES:
        options = getattr(rule, "options", None) or (getattr(rule, "option", None),)
        for option in options:
            if option is not None:
                assert option in names, option
    for _, options in cli_plan.SECTIONS:
        assert set(options) <= names | {"--help"}


def test_format_capabilities_come_from_the_registry():
    shown = [f for f in available_formats() if format_info(f).analysis]
    assert cli_plan.ANALYSIS_FORMATS == ", ".join(shown)


def test_no_option_check_outside_the_plan():
    """No click.UsageError, no hand-written 'Error:' line: the plan and the reporter are the one path."""
    for path in sorted(PACKAGE.glob("*.py")) + sorted(PACKAGE.glob("*/*.py")):
        text = path.read_text(encoding="utf-8")
        assert "UsageError" not in text, path.name
        if path.relative_to(PACKAGE).as_posix() != "cli/report.py":
            assert not re.search(r"""["']Error: """, text), path.name


def test_no_import_back_from_the_bulk_and_analysis_modules():
    for name in ("points.py", "analysis.py", "plan.py", "help.py", "report.py"):
        text = (PACKAGE / "cli" / name).read_text(encoding="utf-8")
        assert not re.search(r"from \.command import|from \. import command\b|symgrad\.cli\.command\b", text), name
