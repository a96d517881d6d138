"""Many points in bounded memory, by bytes: wide rows, ``.npz`` bombs, inputs
without columns and huge grids, each through a real ``python -m symgrad``.

The child's peak memory is its ``ru_maxrss``, taken by a small fresh Python
that starts it (``RUSAGE_CHILDREN``): a child's ``ru_maxrss`` starts from its
parent's resident size at fork, so the parent must be small, not this test
process. Nothing here measures time; a timeout only stops a run that would
go on for ever (as inputs without columns did).
"""

from __future__ import annotations

import io
import itertools
import os
import signal
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pytest
from helpers import clean_env, npy_bytes
from numpy.lib import format as npy

from symgrad import limits

pytestmark = pytest.mark.slow  # each test starts a Python that imports SymPy

MiB = 1024 * 1024
#: Far above what a bounded run takes (about 100 MiB), far below what the
#: unbounded ones took (0.7 to 2.4 GiB).
BOUND = 600 * MiB

_MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


@dataclass
class Run:
    code: int
    stdout: bytes
    stderr: str
    peak: int  # bytes

    def one_error_line(self, *needles: str) -> str:
        assert self.code == 2, (self.code, self.stderr)
        lines = self.stderr.strip("\n").split("\n")
        assert len(lines) == 1 and lines[0].startswith("Error: "), self.stderr
        for needle in needles:
            assert needle in lines[0], (needle, lines[0])
        return lines[0]


def symgrad(tmp_path: Path, *args: str, stdin: bytes | Path | Callable[[IO[bytes]], None] = b"",
            timeout: float = 300) -> Run:
    """Run ``python -m symgrad ARGS``; ``stdin`` is bytes, a file, or a function writing a pipe.

    Of stdout only the first MiB is kept (a run that never ends would fill memory).
    """
    peak_file = tmp_path / "peak"
    command = [sys.executable, "-c", _MEASURE, str(peak_file), sys.executable, "-m", "symgrad", *args]
    source = stdin.open("rb") if isinstance(stdin, Path) else subprocess.PIPE
    try:
        # a session of its own: a run that must be stopped is stopped with its child
        proc = subprocess.Popen(command, stdin=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=clean_env(), start_new_session=True)
    finally:
        if isinstance(stdin, Path):
            source.close()  # type: ignore[union-attr]
    kept: dict[str, bytes] = {}

    def read(name: str, stream: IO[bytes], limit: int) -> None:
        data = b""
        while block := stream.read1(1 << 16):  # type: ignore[attr-defined]
            if len(data) < limit:
                data += block
        kept[name] = data

    def feed() -> None:
        assert proc.stdin is not None
        try:
            if callable(stdin):
                stdin(proc.stdin)
            else:
                assert isinstance(stdin, bytes)
                proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:  # the child stopped reading (it refused the input)
            pass

    threads = [threading.Thread(target=read, args=("out", proc.stdout, MiB)),
               threading.Thread(target=read, args=("err", proc.stderr, 16 * MiB))]
    if proc.stdin is not None:
        threads.append(threading.Thread(target=feed))
    for thread in threads:
        thread.start()
    try:
        proc.wait(timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the measuring parent and symgrad
            proc.wait()
        for thread in threads:
            thread.join()
    err = kept["err"].decode()
    assert "Traceback" not in err and "internal error" not in err, err
    return Run(proc.returncode, kept["out"], err, int(peak_file.read_text()) * 1024)


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    """The bytes of a ``.npy`` header alone: an array of ``shape`` with no data after it."""
    out = io.BytesIO()
    npy.write_array_header_1_0(out, {"descr": descr, "fortran_order": False, "shape": shape})
    return out.getvalue()


# ---------------------------------------------------------------------------
# 1. Wide rows: a chunk is capped by bytes as well as by rows


def formula(width: int) -> str:
    return "+".join(f"x{k}" for k in range(width))


def test_wide_npy_rows_from_stdin_take_bounded_memory(tmp_path):
    # 65,536 rows (one chunk by rows) of 300 symbols: 157 MB in, 157 MB of results
    width = 300
    data = npy_bytes(np.ones((65_536, width)))
    run = symgrad(tmp_path, formula(width), "--points", "-", "-o", str(tmp_path / "out.npy"), stdin=data)
    assert run.code == 0, run.stderr
    out = np.load(tmp_path / "out.npy")
    # the value (the sum of 300 ones), then 300 derivatives of 1
    assert out.shape == (65_536, 1 + width) and (out[:, 0] == width).all() and (out[:, 1:] == 1).all()
    assert run.peak < BOUND, f"peak {run.peak / MiB:.0f} MiB"


def test_wide_csv_rows_take_bounded_memory(tmp_path):
    width = 300
    rows = 65_536
    line = ",".join(["2"] * width) + "\n"

    def write(pipe: IO[bytes]) -> None:
        pipe.write((",".join(f"x{k}" for k in range(width)) + "\n").encode())
        block = (line * 4096).encode()
        for _ in range(rows // 4096):
            pipe.write(block)

    # CSV out: each row repeated, then its 300 values (1.4 GB at the peak before)
    run = symgrad(tmp_path, formula(width), "--points", "-", stdin=write)
    assert run.code == 0, run.stderr
    lines = run.stdout.decode().split("\n")[:-1]  # the first MiB of the output, whole lines
    assert len(lines) > 100
    assert lines[0].split(",")[width:] == ["f", *[f"df/dx{k}" for k in range(width)]]
    assert all(line == line_out for line, line_out in zip(
        lines[1:], itertools.repeat(line.rstrip("\n") + f",{2.0 * width}," + ",".join(["1.0"] * width))))
    assert run.peak < BOUND, f"peak {run.peak / MiB:.0f} MiB"


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_long_text_rows_are_not_all_kept(tmp_path, kind):
    # 2,000 rows of 200 kB: 400 MB of text that the output repeats (CSV) or keeps (JSON extra)
    rows, pad = 2_000, "a" * 200_000

    def write(pipe: IO[bytes]) -> None:
        if kind == "csv":
            pipe.write(b"x,pad\n")
        for i in range(rows):
            line = f"{i},{pad}\n" if kind == "csv" else f'{{"x": {i}, "pad": "{pad}"}}\n'
            pipe.write(line.encode())

    run = symgrad(tmp_path, "x**2", "--points", "-", "-o", str(tmp_path / "out.npy"), stdin=write)
    assert run.code == 0, run.stderr
    out = np.load(tmp_path / "out.npy")
    np.testing.assert_array_equal(out[:, 0], np.arange(rows) ** 2.0)
    np.testing.assert_array_equal(out[:, 1], 2.0 * np.arange(rows))
    # less than the input itself: it is not held in memory
    assert run.peak < 400 * MiB, f"peak {run.peak / MiB:.0f} MiB"


# ---------------------------------------------------------------------------
# 2. .npz bombs: members are checked before they are read


def npz_member(path: Path, name: str, header: bytes, data_bytes: int) -> None:
    """An .npz holding one member: ``header``, then ``data_bytes`` zero bytes, deflated."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open(name, "w", force_zip64=True) as member:
        member.write(header)
        block = bytes(MiB)
        left = data_bytes
        while left:
            member.write(block[: min(left, MiB)])
            left -= min(left, MiB)


def test_npz_bomb_is_refused_before_it_is_read(tmp_path):
    rows = 40_000_000  # 320 MB of doubles in an archive of some 300 kB
    bomb = tmp_path / "bomb.npz"
    npz_member(bomb, "x.npy", npy_header((rows,)), rows * 8)
    assert bomb.stat().st_size < 2 * MiB
    run = symgrad(tmp_path, "x**2", "--points", str(bomb), "-o", str(tmp_path / "out.npy"))
    run.one_error_line("array x", f"{limits.MAX_NPZ_BYTES:,}")
    assert run.peak < BOUND, f"peak {run.peak / MiB:.0f} MiB"
    assert not (tmp_path / "out.npy").exists()

    # the same archive on standard input
    run = symgrad(tmp_path, "x**2", "--points", "-", "-o", str(tmp_path / "out.npy"), stdin=bomb)
    run.one_error_line("array x", f"{limits.MAX_NPZ_BYTES:,}")
    assert run.peak < BOUND, f"peak {run.peak / MiB:.0f} MiB"


def test_npz_member_larger_than_its_header_says_is_refused(tmp_path):
    # a small header, and the archive says the member decompresses to 300 MB
    bomb = tmp_path / "liar.npz"
    npz_member(bomb, "x.npy", npy_header((10,)), limits.MAX_NPZ_BYTES + MiB)
    run = symgrad(tmp_path, "x**2", "--points", str(bomb))
    run.one_error_line("array x, decompressed", f"{limits.MAX_NPZ_BYTES:,}")


def test_npz_members_of_the_symbols_are_checked_together(tmp_path):
    # two members, each under the limit, whose matrix of doubles is over it
    rows = limits.MAX_NPZ_BYTES // 8 // 2 + 1
    path = tmp_path / "two.npz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in "xy":
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                member.write(npy_header((rows,), "<f4"))
                member.write(bytes(rows * 4))
    run = symgrad(tmp_path, "x*y", "--points", str(path))
    run.one_error_line("arrays of the symbols", f"{limits.MAX_NPZ_BYTES:,}")


def test_a_large_npz_on_stdin_is_refused_after_a_bounded_read(tmp_path):
    def write(pipe: IO[bytes]) -> None:
        pipe.write(b"PK\x03\x04")
        block = bytes(MiB)
        for _ in range(limits.MAX_NPZ_BYTES // MiB + 8):
            pipe.write(block)

    run = symgrad(tmp_path, "x**2", "--points", "-", stdin=write)
    run.one_error_line(".npz on standard input is larger than the limit")
    assert run.peak < BOUND, f"peak {run.peak / MiB:.0f} MiB"


# ---------------------------------------------------------------------------
# 3. Inputs without columns: no data bounds their rows, the limit does


ZERO_WIDTH = (10**15, 0)


@pytest.mark.parametrize("args", [("1",), ("x", "--at", "x=1")])
@pytest.mark.parametrize("source", ["file", "stdin"])
def test_npy_without_columns_and_endless_rows_is_refused(tmp_path, args, source):
    path = tmp_path / "empty.npy"
    path.write_bytes(npy_header(ZERO_WIDTH))
    assert path.stat().st_size == 128
    where = [str(path)] if source == "file" else ["-"]
    run = symgrad(tmp_path, *args, "--points", *where, stdin=path if source == "stdin" else b"",
                  timeout=120)
    run.one_error_line("1,000,000,000,000,000 rows and no columns",
                       f"{limits.MAX_ROWS_WITHOUT_COLUMNS:,} rows")
    assert run.stdout == b""


def test_npz_member_without_columns_and_endless_rows_is_refused(tmp_path):
    path = tmp_path / "empty.npz"
    npz_member(path, "a.npy", npy_header(ZERO_WIDTH), 0)
    run = symgrad(tmp_path, "1", "--points", str(path), timeout=120)
    run.one_error_line("no columns", f"{limits.MAX_ROWS_WITHOUT_COLUMNS:,} rows")


def test_npy_without_columns_within_the_limit_still_works(tmp_path):
    path = tmp_path / "empty.npy"
    path.write_bytes(npy_header((3, 0)))
    run = symgrad(tmp_path, "x", "--at", "x=2", "--points", str(path))
    assert run.code == 0, run.stderr
    assert run.stdout.decode().splitlines() == ["x,f,df/dx", "2.0,2.0,1.0", "2.0,2.0,1.0", "2.0,2.0,1.0"]


# ---------------------------------------------------------------------------
# 4. Grids: the size is checked before any axis is built


@pytest.mark.parametrize("grid, needle", [
    ("x=0:1:n=100000000,y=0:1:n=100000000", "10,000,000,000,000,000 points is more than the limit"),
    ("x=0:1:1e-8,y=0:1:1e-8", "points is more than the limit"),
    ("x=0:1:n=500000000", "500,000,000 values together, more than the limit of 10,000,000"),
])
def test_a_huge_grid_is_refused_before_it_is_built(tmp_path, grid, needle):
    run = symgrad(tmp_path, "x*y" if "y=" in grid else "x", "--grid", grid, timeout=120)
    run.one_error_line(needle)
    assert run.peak < 300 * MiB, f"peak {run.peak / MiB:.0f} MiB"


@pytest.mark.parametrize("count", ["9" * 5000, "0" * 5000 + "1" * 11, "1" * 4301])
def test_a_grid_count_of_thousands_of_digits_is_a_usage_error(tmp_path, count):
    run = symgrad(tmp_path, "x", "--grid", f"x=0:1:n={count}", timeout=120)
    line = run.one_error_line("--grid: x: n=", "is more than the limit of 1,000,000,000")
    assert len(line) < 200


@pytest.mark.parametrize("count", ["²", "1²"])
def test_a_grid_count_in_other_digits_is_a_usage_error(tmp_path, count):
    run = symgrad(tmp_path, "x", "--grid", f"x=0:1:n={count}", timeout=120)
    run.one_error_line("n must be a positive whole number")
