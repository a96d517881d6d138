"""--simplify off|tidy|full on the command line: how derivatives are written, never what they are."""

from __future__ import annotations

import sympy as sp


def entries(text: str) -> dict[str, str]:
    return dict(line.split(" = ", 1) for line in text.splitlines() if line.startswith("d"))


def test_tidy_is_the_default_and_off_is_the_raw_diff(cli):
    tidy = cli("atan(y/x)", "--format", "text")
    off = cli("atan(y/x)", "--simplify", "off", "--format", "text")
    assert tidy.exit_code == off.exit_code == 0
    assert entries(tidy.stdout)["df/dx"] == "-y/(x**2 + y**2)"
    assert entries(off.stdout)["df/dx"] == "-y/(x**2*(1 + y**2/x**2))"
    assert cli("atan(y/x)", "--simplify", "tidy", "--format", "text").stdout == tidy.stdout


def test_every_mode_gives_the_same_values(cli):
    x, y = sp.symbols("x y", real=True)
    by_mode = {}
    for mode in ("off", "tidy", "full"):
        result = cli("x*exp(-x^2-y^2) + atan(y/x)", "-H", "--simplify", mode, "--format", "text")
        assert result.exit_code == 0, result.stderr
        by_mode[mode] = {k: sp.parse_expr(v, {"x": x, "y": y}) for k, v in entries(result.stdout).items()}
    point = {x: sp.Rational(3, 7), y: sp.Rational(-5, 11)}
    for key, off in by_mode["off"].items():
        for mode in ("tidy", "full"):
            assert abs(sp.N(by_mode[mode][key].subs(point) - off.subs(point), 40)) < 1e-35, (mode, key)


def test_an_unknown_mode_is_a_usage_error(cli):
    result = cli("x**2", "--simplify", "most", "--format", "text")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "most" in result.stderr


def test_many_points_compile_the_raw_derivatives(cli):
    result = cli("x*y", "--grid", "x=0:1:1,y=0:1:1", "--simplify", "full")
    assert result.exit_code == 2
    assert result.stderr == ("Error: --simplify does not work with --points or --grid; "
                             "values at many points are computed from the raw derivatives\n")
