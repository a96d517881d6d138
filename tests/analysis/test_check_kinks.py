"""--check at kinks: a derivative that does not exist fails, with a message naming the kink.

A central difference at a kink can agree with SymPy's convention (|x| at 0:
(h - h)/2h = 0 = sign(0)), so the check compares one-sided differences, and
names a sign/Heaviside/DiracDelta at its jump.
"""

from __future__ import annotations

import pytest

import symgrad
from symgrad.analysis.check import check

KINKS = [
    ("Abs(x)", {"x": "0"}, "df/dx"),
    ("Max(x, y)", {"x": "1", "y": "1"}, "df/dx"),
    ("Min(x, 2*y)", {"x": "2", "y": "1"}, "df/dy"),
    ("sqrt(x**2 + y**2)", {"x": "0", "y": "0"}, "df/dx"),
    ("Abs(x - 1)*exp(y)", {"x": "1", "y": "0"}, "df/dx"),
    ("y*Heaviside(x)", {"x": "0", "y": "1"}, "df/dx"),  # a jump
    ("x*Abs(x)", {"x": "0"}, "d2f/dx^2"),  # f' = 2|x| has the kink
    ("Abs(x)", {"x": "0.0"}, "df/dx"),  # a decimal point too
]


@pytest.mark.parametrize("formula, at, entry", KINKS)
def test_a_kink_fails_the_check(formula, at, entry):
    report = check(symgrad.hessian(formula), [at])
    failed = {e.entry: e for _, e in report.failures}
    assert entry in failed, report
    assert failed[entry].kink


SMOOTH = [
    ("Abs(x)", {"x": "1/3"}),
    ("Abs(x)**3", {"x": "0"}),  # C2 at 0: 6|x| is its second derivative
    ("x**2", {"x": "0"}),
    ("x**3 + y**2*x", {"x": "0", "y": "0"}),
    ("Max(x, y)", {"x": "2", "y": "1"}),
    ("y*Heaviside(x)", {"x": "1", "y": "0"}),
    ("exp(-x**2)*cos(y)", {"x": "0", "y": "0"}),
    ("sqrt(x)", {"x": "0"}),  # one side outside the domain: no verdict of a kink
]


@pytest.mark.parametrize("formula, at", SMOOTH)
def test_no_kink_is_reported_where_the_derivative_exists(formula, at):
    report = check(symgrad.hessian(formula), [at])
    assert not any(e.kink for p in report.points for e in p.entries), report


def test_abs_cubed_has_second_derivative_zero_at_zero():
    # the DiracDelta term of SymPy's second derivative vanishes as a distribution
    p = symgrad.hessian("Abs(x)**3").at(x=0)
    assert p.problems == () and p.hessian == ((0,),)


def test_cli_names_the_kink_and_exits_1(cli):
    result = cli("Abs(x)", "--check", "--at", "x=0", "--format", "text")
    assert result.exit_code == 1
    line = next(line for line in result.stderr.splitlines() if "check df/dx" in line)
    assert line.startswith("Error: ")
    assert "not differentiable at x=0" in line and "one-sided" in line and "sign(x)" in line


def test_cli_smooth_point_still_passes(cli):
    result = cli("Abs(x)", "--check", "--at", "x=2", "--format", "text")
    assert result.exit_code == 0, result.stderr
