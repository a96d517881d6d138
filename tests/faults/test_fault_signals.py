"""SIGINT, SIGTERM and SIGHUP in the middle of writing ``-o``: 128 + N after cleanup.

SPEC: a run ended by signal N exits 128 + N after cleanup (130, 143, 129);
the old ``-o`` file is untouched and nothing is left behind. The run reads
``--points -`` from a pipe this test keeps open, so it is certainly in the
middle of its stream (rows evaluated and written, more to come) when the
signal arrives. tests/cli/test_exit_codes.py covers the exit codes of a run
blocked before any output; this is the cleanup of a run that has written.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultkit import (
    OLD,
    SIGNAL_CODES,
    SUFFIXES,
    TIMEOUT,
    child_env,
    code_problems,
    command,
    file_problems,
    names,
    stderr_problems,
    verdict,
)

pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"), pytest.mark.slow]

#: About 3 MB of rows: more than any read-ahead buffer, so rows are evaluated and written.
ROWS = b"x,y\n" + b"".join(b"%d,%d\n" % (i, i % 5) for i in range(400_000))

#: Seconds to wait for a sign that the run writes before signalling it anyway.
STARTED_WITHIN = 10.0


def started_writing(out: Path, tmpdir: Path, old: bytes | None) -> bool:
    """Whether anything appeared in the output's folder or TMPDIR, or the old file changed."""
    others = [name for name in names(out.parent) if name != out.name]
    if others or names(tmpdir):
        return True
    if old is None:
        return out.exists()
    try:
        return out.read_bytes() != old
    except FileNotFoundError:
        return True


def interrupt(args: list[str], out: Path, tmpdir: Path, old: bytes | None, number: int,
              feed: bytes | None) -> tuple[int, bytes]:
    """Start ``symgrad ARGS``, send ``number`` once it writes; its exit code and stderr."""
    proc = subprocess.Popen(command(*args), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=child_env(tmpdir))
    assert proc.stdin is not None and proc.stderr is not None
    try:
        if feed is not None:
            proc.stdin.write(feed)  # more than a pipe holds: returns once most rows are read
            proc.stdin.flush()
        deadline = time.monotonic() + STARTED_WITHIN
        while time.monotonic() < deadline and proc.poll() is None:
            if started_writing(out, tmpdir, old):
                break
            time.sleep(0.02)
        time.sleep(0.3)  # a few more chunks
        assert proc.poll() is None, f"the run ended before the signal: {proc.stderr.read()!r}"
        proc.send_signal(number)
        code = proc.wait(timeout=TIMEOUT)
        return code, proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
        proc.stdin.close()
        proc.stderr.close()


CASES = [
    *[("points", name, suffix, True) for name in SIGNAL_CODES for suffix in SUFFIXES],
    *[("points", "SIGINT", suffix, False) for suffix in SUFFIXES],
    *[("grid", name, suffix, True) for name in SIGNAL_CODES for suffix in (".npz", ".parquet")],
]


@pytest.mark.parametrize(("source", "name", "suffix", "existing"), CASES,
                         ids=[f"{s}-{n}-{x}-{'old' if e else 'new'}" for s, n, x, e in CASES])
def test_a_signal_mid_stream_leaves_the_output_as_it_was(tmp_path, source, name, suffix, existing):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"result{suffix}"
    old = OLD if existing else None
    if old is not None:
        out.write_bytes(old)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    if source == "points":
        # small chunks: many writes before the signal; the pipe stays open, so the run waits for more
        args = ["x*y", "--points", "-", "-o", str(out), "--chunk-rows", "1000"]
        feed: bytes | None = ROWS
    else:  # 16 million points: seconds of work in chunks
        args = ["x*y", "--grid", "x=0:1:n=4000,y=0:1:n=4000", "-o", str(out), "--chunk-rows", "10000"]
        feed = None
    number = getattr(signal, name)
    code, stderr = interrupt(args, out, tmpdir, old, number, feed)
    assert SIGNAL_CODES[name] == 128 + number
    lines = stderr.splitlines()
    verdict(code_problems(code, SIGNAL_CODES[name]), stderr_problems(stderr),
            [f"{len(lines)} lines on stderr: {stderr[:200]!r}"] if len(lines) > 1 else [],
            file_problems(out, old, tmpdir=tmpdir))
