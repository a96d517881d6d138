"""helpers.require_tool: a missing system tool skips a test, except under CI,
where it fails it; a tool on PATH is found and the test runs.

Each case runs pytest in a subprocess on a tiny generated test file, with
PATH set to an empty folder or to one holding a stand-in for the tool.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import TOOLS, missing_tool_message

HELPERS_DIR = Path(__file__).parent

TEST_FILE = '''
from helpers import require_tool


def test_needs_pdflatex():
    path = require_tool("pdflatex")
    print("found", path)
'''


def run_pytest(tmp_path: Path, path_dir: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_tiny.py").write_text(TEST_FILE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env["PATH"] = str(path_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(HELPERS_DIR), env.get("PYTHONPATH", "")])
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rfEs", "-s", "-p", "no:cacheprovider",
         "test_tiny.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


@pytest.mark.slow
def test_missing_tool_skips_with_its_package_outside_ci(tmp_path, empty_dir):
    run = run_pytest(tmp_path, empty_dir, ci=None)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    assert "failed" not in run.stdout
    (reason,) = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert reason.endswith(missing_tool_message("pdflatex"))
    assert "texlive-latex-base" in reason


@pytest.mark.slow
def test_missing_tool_fails_under_ci(tmp_path, empty_dir):
    run = run_pytest(tmp_path, empty_dir, ci="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed" in run.stdout
    assert "skipped" not in run.stdout
    assert missing_tool_message("pdflatex") in run.stdout


@pytest.mark.slow
def test_tool_on_path_runs_the_test(tmp_path, empty_dir):
    stand_in = empty_dir / "pdflatex"
    stand_in.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    stand_in.chmod(0o755)
    run = run_pytest(tmp_path, empty_dir, ci="true")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    assert f"found {stand_in}" in run.stdout


def test_every_tool_names_its_debian_package():
    for name, package in TOOLS.items():
        message = missing_tool_message(name)
        assert "\n" not in message
        assert name in message and f"apt-get install {package}" in message


def test_ci_script_installs_every_tool():
    """.ci/run installs, where missing, the Debian package of every tool in TOOLS."""
    import re

    script = (HELPERS_DIR.parent / ".ci" / "run").read_text(encoding="utf-8")
    installs = dict(re.findall(r"command -v (\S+) >/dev/null 2>&1 \|\| missing\+=\((\S+)\)", script))
    assert installs == TOOLS


def test_tests_find_tools_only_through_require_tool():
    """No test file looks a program up itself: each goes through require_tool."""
    import re

    offenders = []
    for path in sorted(HELPERS_DIR.rglob("*.py")):
        if path.name == "helpers.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"shutil\.which\(|\bwhich\(", line):
                offenders.append(f"{path.relative_to(HELPERS_DIR)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.slow
def test_slow_cases_are_collected_and_deselected_by_not_slow():
    """Each case in conftest.SLOW_CASES exists, and ``-m "not slow"`` leaves it out."""
    from conftest import SLOW_CASES

    root = HELPERS_DIR.parent
    files = sorted({case.split("::")[0] for case in SLOW_CASES})

    def collected(*options: str) -> set[str]:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", *options, *files],
            cwd=root, capture_output=True, text=True, timeout=600,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        return {line for line in run.stdout.splitlines() if "::" in line}

    assert SLOW_CASES <= collected()
    assert not SLOW_CASES & collected("-m", "not slow")


def test_readme_lists_every_tool_and_its_package():
    """The README's Tests section names each tool in TOOLS with its Debian package."""
    import re

    readme = (HELPERS_DIR.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Tests\n", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", section, re.M))
    assert rows == TOOLS
    assert 'python -m pytest -m "not slow"' in section
