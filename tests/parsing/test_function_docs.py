"""The README's list of functions is the parser's table, and every special function prints in LaTeX."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from special_corpus import CORPUS

from symgrad.parsing import FUNCTION_NAMES
from symgrad.parsing.functions import SPECIAL_FUNCTIONS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def listed() -> tuple[list[str], list[str]]:
    section = README.split("\n### Functions\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"^```text\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 2
    return blocks[0].split(), blocks[1].split()


def test_readme_lists_every_function_of_the_table():
    elementary, special = listed()
    assert sorted(elementary + special) == sorted(FUNCTION_NAMES)
    assert set(special) == set(SPECIAL_FUNCTIONS)
    assert len(set(elementary + special)) == len(elementary + special)


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_special_functions_print_in_latex(case, cli):
    formula, point, _ = CORPUS[case]
    result = cli(formula, "--wrt", ",".join(v for v in ("x", "y") if v in point), "--latex")
    assert result.exit_code == 0, result.stderr
    tex = result.stdout
    assert tex.count("{") == tex.count("}")
    assert "appellf" not in tex and "Derivative" not in tex
