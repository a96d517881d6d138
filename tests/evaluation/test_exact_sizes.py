"""Exact numbers: "too large to compute exactly" is exit code 1 everywhere, and
exact values beyond a double's range (up to the 10,000-bit limit) are finite reals.
"""

from __future__ import annotations

import decimal
import json
import subprocess
import sys

import pytest
import sympy as sp
from helpers import clean_env

import symgrad
from symgrad.errors import ResourceLimitError
from symgrad.results import LargeReal, plain

TOO_LARGE = "is too large to compute exactly (limit: 10000 bits)"


def symgrad_run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "symgrad", *args], input=stdin, check=False,
                          capture_output=True, text=True, timeout=120, env=clean_env())


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (("2**10**10",), None),  # in the formula
        (("factorial(5000)*x",), None),
        (("x", "--at", "x=2**10**10"), None),  # in a point's value
        (("x**(10**10)", "--at", "x=2"), None),  # while evaluating
        (("-",), "2**10**10\n"),  # a stdin line
        (("factorial(a)*x", "--wrt", "x", "--points", "-", "--at", "a=100000"), "x\n1\n"),  # --points
    ],
)
def test_too_large_to_compute_exactly_is_exit_1(args, stdin):
    proc = symgrad_run(*args, stdin=stdin)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and TOO_LARGE in lines[0], proc.stderr


@pytest.mark.parametrize("formula", ["(10**2500 + 1)**(1/3)*x", "binomial(pi + E, 300)*x"])
def test_too_slow_to_compute_exactly_is_exit_1(formula):
    proc = symgrad_run(formula)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("Error: ") and len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize("args", [("1" * 3001,), ("(" * 101 + "x" + ")" * 101,)])
def test_input_size_limits_stay_usage_errors(args):
    proc = symgrad_run(*args)
    assert proc.returncode == 2, proc.stderr


def test_library_error_is_still_a_resource_limit_error():
    with pytest.raises(ResourceLimitError) as caught:
        symgrad.gradient("2**10**10")
    assert caught.value.exit_code == 1


@pytest.mark.slow
def test_exact_value_beyond_double_range_is_not_infinite():
    # df/dy = x**2/(2*sqrt(y)) = 2**1199*sqrt(2)/... : about 6.1e+360, exact in 1,200 bits
    proc = symgrad_run("x**2*sqrt(y)", "--at", "x=2**600,y=2", "--json")
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    doc = json.loads(proc.stdout, parse_float=decimal.Decimal)
    dx, dy = doc["points"][0]["gradient"]
    assert dy == decimal.Decimal("6.0876517926658114e+360")  # a JSON number, as for every finite real
    assert "warnings" not in doc
    # and the text output prints the exact value
    proc = symgrad_run("x**2*sqrt(y)", "--at", "x=2**600,y=2")
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    exact = sp.Integer(2) ** 1200 / (2 * sp.sqrt(2))
    assert proc.stdout.splitlines()[-1].endswith(f"= {sp.sstr(exact)}")


def test_rational_beyond_double_range():
    value = sp.Rational(2**1300, 3)
    assert plain(value) == LargeReal("7.2756719393016113e+390")
    assert plain(-value) == LargeReal("-7.2756719393016113e+390")
    assert float(plain(value)) == float("inf")  # a double computation overflows
    assert plain(sp.Integer(2**1300)) == 2**1300  # integers stay exact ints
    assert plain(sp.Float("1e400")) == LargeReal("1.0e+400")  # finite, beyond a double's range
    g = symgrad.gradient("x**2").at(x=sp.Rational(2**1100, 3))
    assert g.gradient[0] == sp.Rational(2**1101, 3) and not g.problems
