"""A full disk: stdout onto ``/dev/full`` in every mode, and ``-o`` into a 64 KiB tmpfs.

SPEC: a failure is one ``Error:`` line, never a traceback or an internal
error (exit 3 is for bugs; a full disk is none); the old ``-o`` file is
untouched and nothing is left behind. Which of 1 and 2 a full disk exits
with is the product's choice; 0 (the output lost silently) and 3 are wrong.

The tmpfs needs ``mount`` and the right to use it (root, usually). Where the
test cannot mount one, the child runs with a file-size limit of the same
64 KiB instead (``RLIMIT_FSIZE``: a write past it fails with EFBIG), which
reaches the writers the same way, as an ``OSError`` mid-write; so the case
runs on every machine, CI included, and is never skipped.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faultkit import (
    OLD,
    SUFFIXES,
    TIMEOUT,
    child_env,
    code_problems,
    command,
    file_problems,
    stderr_problems,
    verdict,
)
from helpers import clean_env

pytestmark = [pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/full and tmpfs are Linux's"),
              pytest.mark.slow]  # each case starts symgrad in a real process

#: Exit codes a full disk may end with.
FULL_DISK_CODES = {1, 2}

ROWS = 20_000  # about 400 kB of CSV output: far beyond the 64 KiB of the tmpfs


@pytest.fixture(scope="module")
def points_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "points.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(ROWS)), encoding="utf-8")
    return path


# --- stdout onto /dev/full ------------------------------------------------------

FULL_STDOUT = {
    "one-job": (["x*y"], None),
    "at": (["x*y", "--at", "x=1,y=2"], None),
    "at-hessian-json": (["x*y", "-H", "--at", "x=1,y=2", "--json"], None),
    "latex": (["x*y", "-H", "--latex"], None),
    "code-c": (["x*y", "-f", "c"], None),
    "points-csv": (["x*y", "--points", "{points}"], None),
    "points-jsonl": (["x*y", "--points", "{points}", "--json"], None),
    "grid": (["x*y", "--grid", "x=0:1:n=300,y=0:1:n=300"], None),
    "stdin-mode": (["-"], b"x*y\nx+y\nsin(x)\n" * 200),
    "stdin-mode-json": (["--json", "-"], b"x*y\nx+y\n" * 200),
    "critical": (["x**2+y**2", "--critical"], None),
}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("case", sorted(FULL_STDOUT))
def test_stdout_onto_a_full_device_is_one_error_line(points_csv, case):
    args, feed = FULL_STDOUT[case]
    args = [a.format(points=points_csv) for a in args]
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(command(*args), input=feed if feed is not None else b"", stdout=full,
                              stderr=subprocess.PIPE, env=clean_env(), timeout=TIMEOUT, check=False)
    verdict(code_problems(proc.returncode, *FULL_DISK_CODES), stderr_problems(proc.stderr, errors=1))


# --- -o into a tiny tmpfs ---------------------------------------------------------


#: The size of the full file system (or, without one, the file-size limit).
TINY = 64 * 1024


def _limit_file_size() -> None:
    """In the child: no file may grow past ``TINY`` bytes (a write past it fails with
    EFBIG; Python ignores SIGXFSZ), which meets the writers as a full disk does."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (TINY, TINY))


@pytest.fixture
def tiny_fs(tmp_path) -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """A 64 KiB tmpfs mounted on a fresh folder (unmounted afterwards), and no set-up for
    the child; where mounting is not allowed, a plain folder and a child limited to files
    of 64 KiB, so that the test runs everywhere, under CI too."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    try:
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TINY // 1024}k,mode=0755", "tmpfs",
                               str(folder)], capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        proc = None
    if proc is None or proc.returncode != 0:
        yield folder, _limit_file_size
        return
    try:
        yield folder, None
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=TIMEOUT, check=False)


@pytest.mark.parametrize("existing", [True, False], ids=["old-file", "new-path"])
@pytest.mark.parametrize("source", ["points", "grid"])
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_output_onto_a_full_filesystem_leaves_it_as_it_was(tiny_fs, tmp_path, points_csv, suffix, source,
                                                           existing):
    folder, preexec = tiny_fs
    out = folder / f"result{suffix}"
    if existing:
        out.write_bytes(OLD)
    tmpdir = tmp_path / "tmp"
    if source == "points":
        args = ["x*y", "--points", str(points_csv)]
    else:
        args = ["x*y", "--grid", "x=0:1:n=1000,y=0:1:n=1000"]  # a million points: even Parquet overflows
    proc = subprocess.run(command(*args, "-o", str(out)), capture_output=True, env=child_env(tmpdir),
                          timeout=TIMEOUT, check=False, preexec_fn=preexec)
    verdict(code_problems(proc.returncode, *FULL_DISK_CODES), stderr_problems(proc.stderr, errors=1),
            file_problems(out, OLD if existing else None, tmpdir=tmpdir))
