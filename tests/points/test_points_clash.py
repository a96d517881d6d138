"""A symbol may come from --at or from the points input, not from both."""

from __future__ import annotations

import numpy as np


def test_json_lines_row_holding_an_at_symbol_is_refused_with_its_line(cli):
    text = '{"x": 1}\n{"x": 2, "a": 5}\n'
    result = cli("a*x", "--wrt", "x", "--at", "a=2", "--points", "-", input=text)
    assert result.exit_code == 2
    assert result.stderr == "Error: --points: a is given by both --at and line 2 of the input\n"


def test_npz_member_named_like_an_at_symbol_is_refused(cli, tmp_path):
    path = tmp_path / "p.npz"
    np.savez(path, x=np.arange(3.0), a=np.ones(3))
    result = cli("a*x", "--wrt", "x", "--at", "a=2", "--points", str(path))
    assert result.exit_code == 2
    assert result.stderr == "Error: --points: a is given by both --at and a column of the input\n"


def test_at_for_a_symbol_the_input_lacks_is_used(cli):
    result = cli("a*x", "--wrt", "x", "--at", "a=2", "--points", "-", input="x\n1\n4\n")
    assert result.exit_code == 0, result.stderr
    # a*x = 2x and d(a*x)/dx = a = 2 on every row
    assert result.stdout.splitlines() == ["x,f,df/dx", "1,2.0,2.0", "4,8.0,2.0"]
