"""``--name`` names the entries of ``--points``/``--grid`` output (``dV/dx``)."""

from __future__ import annotations

import numpy as np


def test_grid_npz_keys_follow_the_name(cli, tmp_path):
    out = tmp_path / "g.npz"
    result = cli("2*x**2 + 3*y**2", "--grid", "x=-1:1:1,y=0:1:1", "--name", "V", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with np.load(out) as saved:
        assert sorted(saved.files) == ["V", "dV/dx", "dV/dy", "x", "y"]
        x, y = np.meshgrid(saved["x"], saved["y"], indexing="ij")
        assert np.array_equal(saved["V"], 2 * x**2 + 3 * y**2)
        assert np.array_equal(saved["dV/dx"], 4 * x)
        assert np.array_equal(saved["dV/dy"], 6 * y)


def test_csv_header_of_a_named_vector_function(cli):
    result = cli("x*y", "x+y", "--name", "F", "-H", "--points", "-", input="x,y\n1,2\n")
    assert result.exit_code == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert header.split(",") == [
        "x", "y", "F1", "F2", "dF1/dx", "dF1/dy", "dF2/dx", "dF2/dy",
        "d2F1/dx^2", "d2F1/dxdy", "d2F1/dy^2", "d2F2/dx^2", "d2F2/dxdy", "d2F2/dy^2",
    ]
    # hand-derived: F = (2, 3); J = [[y, x], [1, 1]]; H1 = [[0, 1], [1, 0]]; H2 = 0
    assert [float(v) for v in row.split(",")] == [1, 2, 2, 3, 2, 1, 1, 1, 0, 1, 0, 0, 0, 0]


def test_a_name_that_would_break_the_columns_is_refused(cli):
    result = cli("x", "--grid", "x=0:1:1", "--name", "a,b")
    assert result.exit_code == 2
    assert "--name 'a,b'" in result.stderr
