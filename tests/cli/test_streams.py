"""Closed and full standard streams, and overlong stdin lines (symgrad.cli.streams).

Each case runs the command in a real process with the stream closed by the
shell (``>&-``, ``<&-``) or pointed at ``/dev/full``, as a user's script would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import clean_env, symgrad_script

MODES = {
    "one job": "'x**2' --at x=1",
    "json": "'x**2' --at x=1 -f json",
    "latex": "'x**2' --latex",
    "code": "'x**2' -f python",
    "points": "'x*y' --points in.csv",
    "grid": "'x*y' --grid x=0:1:5,y=0:1:5",
    "stdin mode": "- < formulas.txt",
}


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=clean_env(), capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "in.csv").write_text("x,y\n" + "".join(f"{k},{k + 1}\n" for k in range(3000)))
    (tmp_path / "formulas.txt").write_text("x**2\n" * 3000)
    return tmp_path


def one_error(stderr: str, words: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0], stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("mode", MODES)
def test_full_stdout_is_one_error(folder: Path, mode: str) -> None:
    done = shell(f"{symgrad_script()} {MODES[mode]} > /dev/full", folder)
    assert done.returncode == 2
    one_error(done.stderr, "cannot write standard output")


@pytest.mark.parametrize("mode", MODES)
def test_closed_stdout_is_one_error(folder: Path, mode: str) -> None:
    done = shell(f"{symgrad_script()} {MODES[mode]} >&-", folder)
    assert done.returncode == 2
    one_error(done.stderr, "standard output is closed")


def test_closed_stdout_is_fine_when_output_goes_to_a_file(folder: Path) -> None:
    done = shell(f"{symgrad_script()} 'x*y' --points in.csv -o out.csv >&-", folder)
    assert done.returncode == 0, done.stderr
    assert (folder / "out.csv").read_text().count("\n") == 3001


@pytest.mark.parametrize("args", ["-", "", "'x*y' --points -"])
def test_closed_stdin_is_one_error(folder: Path, args: str) -> None:
    done = shell(f"{symgrad_script()} {args} <&-", folder)
    assert done.returncode == 2
    one_error(done.stderr, "standard input is closed")


def test_closed_stdin_is_fine_when_not_read(folder: Path) -> None:
    done = shell(f"{symgrad_script()} 'x**2' --at x=3 <&-", folder)
    assert done.returncode == 0, done.stderr
    assert "df/dx(x=3) = 6" in done.stdout


@pytest.mark.slow
def test_overlong_stdin_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    """A 200 MB line is one error for its line; the lines after it still run."""
    source = tmp_path / "lines.txt"
    with source.open("w") as f:
        f.write("x**2\n")
        f.write("x+" * 100_000_000 + "x\n")
        f.write("y**3\n")
    script = (
        "import resource, subprocess, sys\n"
        f"done = subprocess.run([{symgrad_script()!r}], stdin=open({str(source)!r}), capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, peak, sep='\\n'); print(done.stdout); print(done.stderr, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=clean_env(), capture_output=True, text=True, timeout=300)
    code, peak_kib, *out = done.stdout.split("\n")
    assert int(code) == 2
    assert "df/dx = 2*x" in out and "df/dy = 3*y**2" in out
    assert done.stderr.strip() == "Error: line 2: the line is longer than a formula may be (limit: 100000)"
    # read whole, the line alone would take 200 MB; read in pieces, symgrad stays near its usual ~80 MB
    assert int(peak_kib) < 200_000
