"""The warning for ``e`` raised to a power reaches stderr in every output form (issue 13)."""

from __future__ import annotations

import subprocess
import sys

import pytest

_E_WARNING = "Warning: e is a variable here; for Euler's number write E or exp(...)"
_FORMATS = ["pretty", "text", "latex", "json", "csv", "c", "fortran", "js", "julia",
            "numpy", "octave", "python", "rust"]


@pytest.mark.parametrize("fmt", _FORMATS)
def test_e_as_a_base_warns_on_stderr_in_every_format(cli, fmt):
    result = cli("e^(x*y)", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines().count(_E_WARNING) == 1
    assert _E_WARNING not in result.stdout


def test_e_as_a_base_warns_with_points_and_grid(cli):
    result = cli("e^x", "--grid", "x=0:1:3,e=1:2:2", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert _E_WARNING in result.stderr.splitlines()


def test_e_as_a_base_warns_per_stdin_line(cli):
    result = cli("-", "--format", "text", input="x^2\ne^x\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"Warning: line 2: {_E_WARNING[len('Warning: '):]}"]


def test_no_warning_without_e_as_a_base_or_with_wrt_e(cli):
    assert "Warning" not in cli("E^x + e*x", "--format", "text").stderr
    assert "Warning" not in cli("e^x", "--wrt", "e,x", "--format", "text").stderr


def test_e_as_a_base_warning_in_a_real_process():
    result = subprocess.run(
        [sys.executable, "-m", "symgrad", "e^x", "--json"],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0
    assert result.stderr == _E_WARNING + "\n"
    assert result.stdout.startswith("{")
