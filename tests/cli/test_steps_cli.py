"""``symgrad ... --steps``: the option wired, and its rules with the other options."""

from __future__ import annotations

import json

import pytest


def test_done_when_product_power_trig(cli) -> None:
    result = cli("x^3*sin(x)", "--steps", "--wrt", "x", "--format", "text")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "1. product rule: d/dx[x**3*sin(x)]" in out
    assert "1.1. power rule: d/dx[x**3] = 3*x**2" in out
    assert "1.2. trig rule: d/dx[sin(x)] = cos(x)" in out
    derivative = next(line for line in out.splitlines() if line.startswith("df/dx = ")).split(" = ")[1]
    assert out.rstrip().splitlines()[-1].endswith(f"= {derivative}")  # ends with the tidied result


def test_wrt_picks_the_entries(cli) -> None:
    out = cli("x*y + y**2", "--steps", "--wrt", "y", "--format", "text").stdout
    assert "steps df/dy:" in out and "steps df/dx:" not in out
    assert "1. other variables are constants: x" in out


def test_hessian_steps(cli) -> None:
    out = cli("x**2*y", "-H", "--steps", "--format", "text").stdout
    assert "steps d2f/dxdy = d/dy[df/dx]:" in out


def test_json_and_stdin_lines(cli) -> None:
    result = cli("-", "--steps", "--json", input="x**2\nsin(y)\n")
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["steps"][0]["entry"] for d in docs] == ["df/dx", "df/dy"]
    assert docs[1]["steps"][0]["substeps"][0]["rule"] == "trig rule"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv"], "--steps does not work with --format csv"),
        (["--format", "python"], "--steps does not work with --format python"),
        (["--points", "pts.csv"], "--steps does not work with --points or --grid"),
    ],
)
def test_rules(cli, args, message) -> None:
    result = cli("x**2", "--steps", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}"), result.stderr


def test_too_many_steps_is_a_clear_error(cli) -> None:
    formula = " + ".join(f"sin(x + {k})" for k in range(90))
    result = cli(formula, "--steps", "--format", "text")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --steps: the derivation has more than")
    assert "Traceback" not in result.stderr


def test_help_lists_steps(cli) -> None:
    out = cli("--help").stdout
    assert "--steps" in out
