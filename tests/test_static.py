"""Static checks of the package: ruff's lint rules and mypy in strict mode.

Both found real bugs (a JSON error path that crashed with AttributeError),
so they run with the tests. Settings are in pyproject.toml.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def test_ruff_finds_nothing():
    proc = run("ruff", "check", "symgrad")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_mypy_strict_finds_nothing():
    proc = run("mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr
