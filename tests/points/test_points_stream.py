"""A large generated stream through the installed ``symgrad`` script.

Rows are generated on the fly and piped into ``symgrad ... --points -``; the
output is read as it arrives. The checks are the row count, a sample of the
values (computed here by hand), and the child's peak memory (from
``os.wait4``, so only this child counts): it must stay modest and must not
grow with the number of rows. Nothing here measures time.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading

import pytest
from helpers import symgrad_script as script

MiB = 1024 * 1024
FORMULA = "x**2*y + sin(z)*x"


def point(i: int) -> tuple[float, float, float]:
    return (i * 1e-3 - 50.0, float(i % 97 - 48), (i % 13) * 0.5)


def expected(i: int) -> list[float]:
    # the value, grad and Hessian upper triangle of x**2*y + sin(z)*x, by hand
    x, y, z = point(i)
    return [x * x * y + math.sin(z) * x, 2 * x * y + math.sin(z), x * x, x * math.cos(z),
            2 * y, 2 * x, math.cos(z), 0.0, 0.0, -x * math.sin(z)]


def run_stream(rows: int, sample_every: int = 997) -> tuple[int, dict[int, list[str]], int, str]:
    """Pipe ``rows`` generated rows through symgrad; (output rows, samples, peak bytes, stderr)."""
    proc = subprocess.Popen(
        [script(), FORMULA, "-H", "--points", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )

    def feed() -> None:
        try:
            proc.stdin.write(b"id,x,y,z\n")
            block = 10_000
            for start in range(0, rows, block):
                text = "".join(
                    "r{},{!r},{!r},{!r}\n".format(i, *point(i))
                    for i in range(start, min(rows, start + block))
                )
                proc.stdin.write(text.encode())
        except BrokenPipeError:
            pass
        finally:
            proc.stdin.close()

    errors: list[bytes] = []
    drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()))
    writer = threading.Thread(target=feed)
    writer.start()
    drain.start()
    header = proc.stdout.readline().decode()
    assert header.rstrip("\n").split(",")[:4] == ["id", "x", "y", "z"], header
    count = 0
    samples: dict[int, list[str]] = {}
    high_water = 0
    for line in proc.stdout:
        if count % sample_every == 0 or count == rows - 1:
            samples[count] = line.decode().rstrip("\n").split(",")
        if count % 4096 == 0:
            high_water = max(high_water, _high_water(proc.pid))
        count += 1
    writer.join()
    drain.join()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, errors
    if high_water:
        peak = high_water
    else:  # no /proc: ru_maxrss (KiB on Linux, bytes on macOS)
        peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return count, samples, peak, errors[0].decode()


def _high_water(pid: int) -> int:
    """The process's own peak resident memory so far (VmHWM), in bytes; 0 if unknown.

    Not ``ru_maxrss``: on Linux a child's ru_maxrss starts from the parent's
    resident size at fork (kept across exec), so a test process that has grown
    to 450 MiB would see every child it starts as at least that big.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@pytest.mark.slow
@pytest.mark.slow
def test_large_stream_through_stdin_in_flat_memory():
    rows = 200_000
    count, samples, peak, stderr = run_stream(rows)
    assert count == rows
    assert stderr == ""  # nothing extra on stderr when piped
    assert len(samples) > 150
    for i, fields in samples.items():
        assert fields[0] == f"r{i}"
        assert [float(v) for v in fields[1:4]] == list(point(i))
        for got, want in zip(fields[4:], expected(i)):
            assert math.isclose(float(got), want, rel_tol=1e-13, abs_tol=1e-12), (i, got, want)
    assert peak < 400 * MiB, f"peak RSS {peak / MiB:.0f} MiB"

    # three times the rows, about the same peak: memory does not grow with the input
    count3, _, peak3, _ = run_stream(3 * rows, sample_every=10**9)
    assert count3 == 3 * rows
    assert peak3 < peak + 48 * MiB, (
        f"peak RSS grew from {peak / MiB:.0f} MiB to {peak3 / MiB:.0f} MiB with 3x the rows")
