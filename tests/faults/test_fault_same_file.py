"""``-o`` that is the input, however it is spelled, is refused and the input kept.

Issue 11: ``symgrad 'x*y' --points - -o in.csv < in.csv`` destroyed the input
(the same-file check skipped ``-``). Every way the output can name the
input's file (stdin redirected from it, the same path, another spelling, a
symlink, a hard link) must end with exit 2, one ``Error:`` line, the input
byte-identical and nothing new in its folder.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from faultkit import TIMEOUT, child_env, code_problems, command, names, stderr_problems, verdict
from helpers import npy_bytes

#: Each case starts symgrad in a real process (a second or more).
pytestmark = pytest.mark.slow

CSV = b"x,y\n" + b"".join(b"%d,%d\n" % (i, i % 4) for i in range(5000))


def output_spelling(folder: Path, source: Path, how: str) -> str:
    """The ``-o`` argument that names ``source`` in the way ``how``."""
    if how == "same":
        return str(source)
    if how == "dotted":
        (folder / "sub").mkdir()
        return str(folder / "sub" / ".." / source.name)
    if how == "symlink":
        link = folder / f"link{source.suffix}"
        link.symlink_to(source.name)
        return str(link)
    if how == "hardlink":
        link = folder / f"hard{source.suffix}"
        os.link(source, link)
        return str(link)
    raise AssertionError(how)


CASES = [
    ("stdin", "same"), ("stdin", "symlink"), ("stdin", "hardlink"),
    ("path", "same"), ("path", "dotted"), ("path", "symlink"), ("path", "hardlink"),
    ("npy-path", "same"), ("npy-stdin", "same"),
]


@pytest.mark.parametrize(("via", "how"), CASES, ids=[f"{v}-{h}" for v, h in CASES])
def test_output_onto_the_input_is_refused(tmp_path, via, how):
    folder = tmp_path / "data"
    folder.mkdir()
    data = npy_bytes(np.arange(20.0).reshape(10, 2)) if via.startswith("npy") else CSV
    source = folder / ("in.npy" if via.startswith("npy") else "in.csv")
    source.write_bytes(data)
    target = output_spelling(folder, source, how)
    before = names(folder)
    points = "-" if via.endswith("stdin") else str(source)
    with open(source, "rb") as stdin:
        proc = subprocess.run(command("x*y", "--points", points, "-o", target), stdin=stdin, capture_output=True,
                              env=child_env(tmp_path / "tmp"), timeout=TIMEOUT, check=False)
    problems = [*code_problems(proc.returncode, 2), *stderr_problems(proc.stderr, errors=1)]
    if source.read_bytes() != data:
        problems.append(f"the input changed ({len(source.read_bytes())} bytes, starts {source.read_bytes()[:24]!r})")
    if names(folder) != before:
        problems.append(f"the folder changed: {before} -> {names(folder)}")
    if how == "symlink" and not Path(target).is_symlink():
        problems.append("the symlink was replaced by a file")
    verdict(problems)


# --- odd targets: a FIFO, a folder, a file as the parent ------------------------


@pytest.mark.parametrize("suffix", [".csv", ".npy", ".parquet"])
@pytest.mark.parametrize("target", ["fifo", "folder", "under-a-file"])
def test_an_odd_output_target_is_one_error_line_and_never_blocks(tmp_path, target, suffix):
    """``-o`` onto a FIFO (nobody reads it: writing would block for ever), a folder, or under a file.

    The run refuses (exit 2, one ``Error:`` line) or, for the FIFO only,
    succeeds by replacing it; it never hangs, and leaves nothing else behind.
    """
    folder = tmp_path / "data"
    folder.mkdir()
    source = folder / "in.csv"
    source.write_bytes(CSV)
    if target == "fifo":
        out = folder / f"out{suffix}"
        os.mkfifo(out)
    elif target == "folder":
        out = folder / f"out{suffix}"
        out.mkdir()
    else:
        (folder / "plain").write_bytes(b"a file")
        out = folder / "plain" / f"out{suffix}"
    before = names(folder)
    proc = subprocess.run(command("x*y", "--points", str(source), "-o", str(out)), capture_output=True,
                          env=child_env(tmp_path / "tmp"), timeout=TIMEOUT, check=False)
    allowed = (0, 2) if target == "fifo" else (2,)
    problems = [*code_problems(proc.returncode, *allowed),
                *stderr_problems(proc.stderr, errors=0 if proc.returncode == 0 else 1)]
    if names(folder) != before:
        problems.append(f"the folder changed: {before} -> {names(folder)}")
    if source.read_bytes() != CSV:
        problems.append("the input changed")
    if names(tmp_path / "tmp"):
        problems.append(f"left behind in TMPDIR: {names(tmp_path / 'tmp')}")
    verdict(problems)
