"""Every option is in ``--help`` (in its section) and in the README (sqlite-utils' test_docs idea)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from symgrad.cli import plan as cli_plan
from symgrad.cli.command import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SPELLINGS = sorted(
    {o for p in main.params if isinstance(p, click.Option) for o in (*p.opts, *p.secondary_opts)}
    | {"-h", "--help"}
)


def appears(option: str, text: str) -> bool:
    return re.search(rf"(^|[\s,`(/]){re.escape(option)}($|[\s,`)/=\]])", text, re.M) is not None


@pytest.fixture(scope="module")
def help_text() -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["--help"], prog_name="symgrad")
    assert result.exit_code == 0
    return result.stdout


def sections(text: str) -> dict[str, str]:
    """``--help``'s sections: title -> its lines."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if re.fullmatch(r"[A-Z][A-Za-z ]*:", line):
            current = line[:-1]
            found[current] = []
        elif current is not None and line.startswith("  "):
            found[current].append(line)
        elif line.strip():
            current = None
    return {title: "\n".join(lines) for title, lines in found.items()}


@pytest.mark.parametrize("option", SPELLINGS)
def test_every_option_is_in_the_help(help_text, option):
    assert appears(option, help_text), option


@pytest.mark.parametrize("option", SPELLINGS)
def test_every_option_is_in_the_readme(option):
    assert appears(option, README), f"{option} is not documented in README.md"


def test_help_has_the_plans_sections_in_order(help_text):
    titles = list(sections(help_text))
    assert titles == [title for title, _ in cli_plan.SECTIONS]


@pytest.mark.parametrize(("title", "options"), cli_plan.SECTIONS)
def test_each_option_is_listed_in_its_section(help_text, title, options):
    body = sections(help_text)[title]
    listed = [line for line in body.splitlines() if re.match(r"  -", line)]
    for option in options:
        assert any(appears(option, line) for line in listed), (title, option)


def test_every_option_has_a_section():
    placed = {name for _, names in cli_plan.SECTIONS for name in names}
    from symgrad.cli.help import long_name

    assert {long_name(p) for p in main.params if isinstance(p, click.Option)} <= placed


@pytest.mark.parametrize(
    ("option", "says"),
    [("--tol", "With --check:"), ("--output", "With --points or --grid:"),
     ("--standalone", "With --format latex:"), ("--taylor", "With --at:")],
)
def test_what_an_option_needs_is_written_from_the_plan(help_text, option, says):
    assert cli_plan.needs(option) == says[len("With "):-1]
    unwrapped = " ".join(help_text.split())
    assert re.search(rf"{re.escape(option)}(?: \S+)? {re.escape(says)}", unwrapped), option


def test_help_keeps_the_examples_and_documents_the_exit_codes(help_text):
    assert "Examples:" in help_text and 'symgrad "x**2+y*z" --at x=1,y=2,z=3' in help_text
    unwrapped = " ".join(help_text.split())
    assert "3 a bug in symgrad" in unwrapped and "141" in unwrapped
