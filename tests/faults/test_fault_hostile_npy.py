"""Hostile ``.npy``/``.npz`` inputs: one ``Error:`` line, bounded memory, no code run.

Issue 11: a 778 KB ``.npz`` bomb took 1.7 GB; a 128-byte ``.npy`` of shape
(10**15, 0) streamed output forever. Each file here is refused with exit 2
and one ``Error:`` line, or (for the legitimate variants: Fortran order,
big-endian) gives the right values, in a real subprocess whose own peak
resident memory (``os.wait4``) stays under ``faultkit.MEMORY_BOUND``.
tests/points/test_pointsio.py covers the reader's unit cases (object
dtype refused, bad headers, a huge shape claimed on stdin).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from faultkit import MEMORY_BOUND, code_problems, names, run_measured, stderr_problems, verdict
from helpers import npy_bytes, npz_bytes

#: Each case starts symgrad in a real process (a second or more).
pytestmark = pytest.mark.slow

#: Bytes each member of the bomb decompresses to (1.5 GB of zeros, about 1.5 MB compressed).
BOMB_BYTES = 1_500 * 2**20


def npy_header(shape: tuple[int, ...], descr: str = "<f8", fortran: bool = False) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, {"descr": descr, "fortran_order": fortran, "shape": shape})
    return out.getvalue()


def deflated_zeros(prefix: bytes, count: int) -> tuple[bytes, int, int]:
    """Raw deflate of ``prefix`` and ``count`` zero bytes: (data, crc32, size), made quickly.

    After a full flush the compressor forgets its history, so every block of
    zeros compresses to the same bytes: one block is compressed and repeated.
    """
    block = bytes(2**20)
    assert count % len(block) == 0
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    body = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count // len(block)):
        crc = zlib.crc32(block, crc)
    return head + body * (count // len(block)) + tail, crc, len(prefix) + count


def zip_of(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip file of already deflated members (name -> (data, crc32, size))."""
    out = io.BytesIO()
    central = []
    for name, (data, crc, size) in members.items():
        offset = out.tell()
        raw = name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(raw))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + raw + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


class Touch:
    """Unpickling this runs ``touch PWNED``: an object-dtype file must never be unpickled."""

    def __reduce__(self):
        import os

        return (os.system, ("touch PWNED",))


def pickled_npy() -> bytes:
    out = io.BytesIO()
    np.save(out, np.array([[Touch(), 1.0]], dtype=object), allow_pickle=True)
    return out.getvalue()


def hostile_files() -> dict[str, bytes]:
    rows = BOMB_BYTES // 8
    member = deflated_zeros(npy_header((rows,)), BOMB_BYTES)
    valid_npz = npz_bytes(x=np.arange(1000.0), y=np.arange(1000.0))
    return {
        "bomb.npz": zip_of({"x.npy": member, "y.npy": member}),
        "zero-width.npy": npy_header((10**15, 0)),
        "lying-shape.npy": npy_header((10**6, 2)) + np.zeros((10, 2)).tobytes(),
        "lying-huge-shape.npy": npy_header((10**12, 2)) + np.zeros((10, 2)).tobytes(),
        "truncated.npz": valid_npz[: len(valid_npz) // 2],
        "not-npy-member.npz": zip_of({"x.npy": (zlib.compress(b"garbage" * 100)[2:-4],
                                                zlib.crc32(b"garbage" * 100), 700),
                                      "y.npy": (zlib.compress(b"garbage" * 100)[2:-4],
                                                zlib.crc32(b"garbage" * 100), 700)}),
        "pickle.npy": pickled_npy(),
        "pickle.npz": npz_bytes(x=np.array([Touch()], dtype=object), y=np.array([1.0])),
        "long-header.npy": b"\x93NUMPY\x02\x00" + struct.pack("<I", 2**20) + b" " * (2**20 - 1) + b"\n",
    }


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in hostile_files().items():
        (folder / name).write_bytes(data)
    return folder


def formula_for(name: str) -> str:
    return "2" if name == "zero-width.npy" else "x*y"


REFUSED = [
    "bomb.npz", "zero-width.npy", "lying-shape.npy", "lying-huge-shape.npy", "truncated.npz",
    "not-npy-member.npz", "pickle.npy", "pickle.npz", "long-header.npy",
]


@pytest.mark.parametrize("via", ["path", "stdin"])
@pytest.mark.parametrize("name", REFUSED)
def test_a_hostile_file_is_one_error_line_in_bounded_memory(files, tmp_path, name, via):
    work = tmp_path / "work"
    work.mkdir()
    source = files / name
    points = str(source) if via == "path" else "-"
    run = run_measured(formula_for(name), "--points", points, "-o", str(work / "out.csv"), folder=tmp_path,
                       stdin=source if via == "stdin" else None, cwd=work, keep_stdout=False)
    problems = [*code_problems(run.returncode, 2), *stderr_problems(run.stderr, errors=1)]
    if run.peak_rss > MEMORY_BOUND:
        problems.append(f"peak RSS {run.peak_rss / 2**20:.0f} MB > {MEMORY_BOUND / 2**20:.0f} MB")
    if names(work):
        problems.append(f"files in the working folder: {names(work)}")  # PWNED, or a partial output
    verdict(problems)


POINTS = np.array([[1.0, 2.0], [3.0, -4.0], [0.5, 8.0]])


@pytest.mark.parametrize("variant", ["fortran", "big-endian", "float32-big-endian"])
@pytest.mark.parametrize("via", ["path", "stdin"])
def test_a_legitimate_npy_variant_gives_the_right_values(tmp_path, variant, via):
    array = {
        "fortran": np.asfortranarray(POINTS),
        "big-endian": POINTS.astype(">f8"),
        "float32-big-endian": POINTS.astype(">f4"),
    }[variant]
    if variant == "fortran":
        assert array.flags.f_contiguous and not array.flags.c_contiguous
    source = tmp_path / "in.npy"
    source.write_bytes(npy_bytes(array))
    out = tmp_path / "out.npy"
    run = run_measured("x*y", "--points", str(source) if via == "path" else "-", "-o", str(out), folder=tmp_path,
                       stdin=source if via == "stdin" else None)
    verdict(code_problems(run.returncode, 0), stderr_problems(run.stderr, errors=0))
    xy = array.astype(float)
    assert np.load(out).tolist() == np.column_stack([xy[:, 0] * xy[:, 1], xy[:, 1], xy[:, 0]]).tolist()
    assert run.peak_rss < MEMORY_BOUND


def test_the_peak_is_the_commands_own_however_large_this_process_is(tmp_path):
    """Linux counts the memory of the process a command was forked from in
    the command's peak; the measurement must not (it did once the test
    process passed the bound late in a full run)."""
    ballast = bytearray(1 << 30)  # this process: over 1 GB, every page touched
    run = run_measured("x**2", folder=tmp_path)
    assert run.returncode == 0 and run.stdout.startswith(b"f = x**2")
    assert run.peak_rss < 300 * 2**20
    del ballast
