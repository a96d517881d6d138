"""Golden files: the exact output of every format for a set of reviewed cases.

Files are ``tests/golden/<case>.<format>``. After ``pytest --update-golden``
each file must be read and checked by hand (derivatives, values, SPEC).
"""

from __future__ import annotations

import pytest

CASES: dict[str, list[str]] = {
    # f = x^2 + yz: grad (2x, z, y) = (2, 3, 2) at (1, 2, 3)
    "main": ["x**2+y*z", "--at", "x=1,y=2,z=3"],
    # Rosenbrock: minimum at (1, 1) (gradient 0, Hessian [[802,-400],[-400,200]]);
    # at (0.5, 0.25) = on the parabola y = x^2: gradient (-1, 0), floats
    "rosenbrock": [
        "(1-x)**2 + 100*(y-x**2)**2", "-H", "--at", "x=1,y=1", "--at", "x=0.5,y=0.25",
    ],
    # F = (xy, x+y): J = [[y, x], [1, 1]] = [[2, 1], [1, 1]] at (1, 2)
    "jacobian": ["x*y", "x+y", "--at", "x=1,y=2"],
    # a, b are parameters: df/dx = 2ax + b = 7 at x=1, a=2, b=3
    "parameters": ["a*x**2+b*x", "--wrt", "x", "--at", "x=1,a=2,b=3"],
    # exact point: (y cos x, sin x) = (sqrt(2), sqrt(2)/2) at (pi/4, 2)
    "exact": ["sin(x)*y", "--at", "x=pi/4,y=2"],
    # F = (x^2 y, x + y^3): J = [[2xy, x^2], [1, 3y^2]], H1 = [[2y, 2x], [2x, 0]],
    # H2 = [[0, 0], [0, 6y]]; at (1, 2): [[4, 1], [1, 12]], [[4, 2], [2, 0]], [[0, 0], [0, 12]]
    "vector_hessian": ["x**2*y", "x+y**3", "-H", "--at", "x=1,y=2"],
    # variables in the order y, x: grad (x^2, 2xy) = (9, 12) at x=3, y=2,
    # H = [[0, 2x], [2x, 2y]] = [[0, 6], [6, 4]]
    "wrt_order": ["x**2*y", "--wrt", "y,x", "-H", "--at", "x=3,y=2"],
}

FORMATS = ["text", "json", "latex", "pretty"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_output(cli, golden, case, fmt):
    result = cli(*CASES[case], "--format", fmt, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout  # not a terminal: no ANSI codes, even for pretty
    golden.check(f"{case}.{fmt}", result.stdout)


def test_pretty_width_follows_columns(cli):
    """The pretty golden files depend on COLUMNS; check that it is really used."""
    formula = " + ".join(f"x{i}**{i}" for i in range(1, 30))
    narrow = cli(formula, "--format", "pretty", env={"COLUMNS": "60"})
    wide = cli(formula, "--format", "pretty", env={"COLUMNS": "200"})
    assert narrow.exit_code == wide.exit_code == 0
    assert max(map(len, narrow.stdout.splitlines())) <= 60
    assert max(map(len, wide.stdout.splitlines())) > 60


# The golden fixture itself: it must be able to fail.


def test_golden_missing_file_fails_with_hint(golden, tmp_path):
    checker = type(golden)(tmp_path, update=False)
    with pytest.raises(pytest.fail.Exception) as failure:
        checker.check("absent.text", "f = x\n")
    assert "--update-golden" in str(failure.value)
    assert not (tmp_path / "absent.text").exists()


def test_golden_mismatch_fails_and_match_passes(golden, tmp_path):
    (tmp_path / "case.text").write_text("f = x\n", encoding="utf-8")
    checker = type(golden)(tmp_path, update=False)
    checker.check("case.text", "f = x\n")
    with pytest.raises(pytest.fail.Exception) as failure:
        checker.check("case.text", "f = y\n")
    assert "-f = x" in str(failure.value)
    assert "+f = y" in str(failure.value)
    with pytest.raises(pytest.fail.Exception):
        checker.check("case.text", "f = x\r\n")  # byte-exact: line endings count


def test_golden_update_rewrites(golden, tmp_path):
    (tmp_path / "case.json").write_text("old\n", encoding="utf-8")
    type(golden)(tmp_path, update=True).check("case.json", "new\n")
    type(golden)(tmp_path, update=True).check("fresh.json", "∇f\n")
    assert (tmp_path / "case.json").read_text(encoding="utf-8") == "new\n"
    assert (tmp_path / "fresh.json").read_text(encoding="utf-8") == "∇f\n"
