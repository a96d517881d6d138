"""The README's main example, in-process and through the installed script."""

import json
import subprocess

import pytest
from click.testing import CliRunner
from helpers import symgrad_script

from symgrad.cli.command import main


def test_main_example_json():
    result = CliRunner().invoke(main, ["x**2+y*z", "--at", "x=1,y=2,z=3", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["gradient"] == ["2*x", "z", "y"]
    assert doc["points"] == [{"at": {"x": 1, "y": 2, "z": 3}, "value": 7, "gradient": [2, 3, 2],
                              "exact": {"value": "7", "gradient": ["2", "3", "2"]}}]


@pytest.mark.slow
def test_installed_console_script_runs():
    exe = symgrad_script()
    assert exe is not None, "symgrad console script is not installed"
    proc = subprocess.run(
        [exe, "x**2+y*z", "--at", "x=1,y=2,z=3"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "df/dx(x=1,y=2,z=3) = 2" in proc.stdout.splitlines()
