"""``--workers N``: the same output as one process, byte for byte, in input order; faults.

Every run is a real ``python -m symgrad`` subprocess (the workers are forked
processes). Small ``--chunk-rows`` make many chunks, so that the workers
finish them out of order and the main process must put them back in order.
The identity checks compare ``--workers 2`` with ``--workers 1`` (today's
single-process path); the values themselves are checked against the
hand-derived gradient, and the faults (a worker killed, the main process
signalled) must leave an ``-o`` file as it was.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import clean_env

#: A does-not-hang bound for each subprocess.
TIMEOUT = 120
OLD = b"the old contents, which no failed run may change\n"
FORMULA = "log(x)*y + x^2"  # df/dx = y/x + 2x, df/dy = log(x); nan where x < 0


def run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "symgrad", *args], input=input, capture_output=True,
                          env=clean_env(), timeout=TIMEOUT, check=False)


@pytest.fixture(scope="module")
def points_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3000 rows with a text column passed through; x < 0 on some rows (nan entries)."""
    rng = np.random.default_rng(16)
    x = rng.uniform(-0.5, 3, 3000)
    y = rng.normal(size=3000)
    path = tmp_path_factory.mktemp("workers") / "in.csv"
    rows = [f"{a!r},row {k},{b!r}" for k, (a, b) in enumerate(zip(x.tolist(), y.tolist()))]
    path.write_text("x,label,y\n" + "\n".join(rows) + "\n")
    return path


def both(tmp_path: Path, args: list[str], suffix: str | None) -> tuple[bytes, bytes]:
    """The outputs (file or stdout) of ``--workers 1`` and ``--workers 2``, after checking stderr
    and the exit code are the same."""
    outs, errs, codes = [], [], []
    for workers in (1, 2):
        extra = ["-o", str(tmp_path / f"out{workers}{suffix}")] if suffix else []
        done = run(*args, *extra, "--workers", str(workers))
        codes.append(done.returncode)
        errs.append(done.stderr)
        outs.append((tmp_path / f"out{workers}{suffix}").read_bytes() if suffix else done.stdout)
    assert codes[0] == codes[1] == 0, errs
    assert errs[0] == errs[1]
    assert outs[0] == outs[1]
    return outs[0], errs[0]


def test_csv_output_is_the_same_in_input_order_and_right(tmp_path, points_csv):
    out, err = both(tmp_path, [FORMULA, "--points", str(points_csv), "--chunk-rows", "97"], ".csv")
    lines = out.decode().splitlines()
    assert lines[0] == "x,label,y,f,df/dx,df/dy"
    source = points_csv.read_text().splitlines()[1:]
    assert len(lines) - 1 == len(source) == 3000
    nans = 0
    for k, (line, given) in enumerate(zip(lines[1:], source)):
        fields = line.split(",")
        assert ",".join(fields[:3]) == given  # each input row, untouched, in its place
        x, y = float(fields[0]), float(fields[2])
        dfdx, dfdy = float(fields[4]), float(fields[5])
        if x <= 0:
            nans += 1
            assert math.isnan(dfdy)
            continue
        assert dfdx == pytest.approx(y / x + 2 * x, rel=1e-12, abs=1e-12), k
        assert dfdy == pytest.approx(math.log(x), rel=1e-12, abs=1e-15), k
    assert nans > 0
    # the warnings name the first bad row and count them all, as one process does
    assert f"at {nans} of 3000 rows".encode() in err


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".tsv", ".jsonl", ".npy", ".npz", ".parquet", None])
def test_other_outputs_are_the_same(tmp_path, points_csv, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    both(tmp_path, [FORMULA, "-H", "--points", str(points_csv), "--chunk-rows", "101"], suffix)


@pytest.mark.slow
def test_json_lines_to_stdout_is_the_same(tmp_path, points_csv):
    out, _ = both(tmp_path, [FORMULA, "--points", str(points_csv), "--chunk-rows", "333", "--json"], None)
    assert out.count(b"\n") == 3000


@pytest.mark.parametrize("suffix", [".npz", None])
def test_grid_is_the_same(tmp_path, suffix):
    out, _ = both(tmp_path, ["x*exp(y) + y^3", "-H", "--grid", "x=-1:1:n=101,y=0:2:n=53",
                             "--chunk-rows", "211"], suffix)
    if suffix is None:
        rows = out.decode().splitlines()[1:]
        assert len(rows) == 101 * 53
        first, last = rows[0].split(","), rows[-1].split(",")
        assert (float(first[0]), float(first[1])) == (-1.0, 0.0)
        assert (float(last[0]), float(last[1])) == (1.0, 2.0)


def test_npy_input_with_a_fixed_symbol_is_the_same(tmp_path):
    points = np.random.default_rng(3).normal(size=(2000, 2))
    path = tmp_path / "in.npy"
    np.save(path, points)
    both(tmp_path, ["a*x*y + sin(y)", "--points", str(path), "--at", "a=3", "--chunk-rows", "64"], ".npz")


def test_a_bad_row_fails_as_in_one_process(tmp_path, points_csv):
    rows = points_csv.read_text().splitlines()
    rows[2500] = "1.5,row,not-a-number"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n")
    results = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.csv"
        out.write_bytes(OLD)
        done = run(FORMULA, "--points", str(bad), "--chunk-rows", "50", "-o", str(out),
                   "--workers", str(workers))
        assert out.read_bytes() == OLD
        results.append((done.returncode, done.stderr))
    assert results[0] == results[1]
    assert results[0][0] == 2
    assert results[0][1] == b"Error: --points: line 2501: value of y is not a number: 'not-a-number'\n"


# --- faults: real processes, real signals ---------------------------------------------

#: Rows fed through a pipe that stays open: the run is mid-stream when the fault comes.
ROWS = b"x,y\n" + b"".join(b"%d,%d\n" % (i, i % 5) for i in range(200_000))


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux: /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
        found += [int(t) for t in text]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def start_mid_stream(out: Path, tmpdir: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A run with 2 workers that has written to its temporary output and waits for more rows."""
    env = clean_env()
    env["TMPDIR"] = str(tmpdir)
    proc = subprocess.Popen([sys.executable, "-m", "symgrad", "x*y", "--points", "-", "-o", str(out),
                             "--chunk-rows", "1000", "--workers", "2"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None
    proc.stdin.write(ROWS)
    proc.stdin.flush()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        if [n for n in os.listdir(out.parent) if n != out.name] and len(children(proc.pid)) >= 2:
            break
        time.sleep(0.05)
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
    workers = children(proc.pid)
    assert len(workers) >= 2
    return proc, workers


def left_as_it_was(out: Path, tmpdir: Path) -> None:
    assert out.read_bytes() == OLD
    assert os.listdir(out.parent) == [out.name]
    assert os.listdir(tmpdir) == []


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_worker_ends_the_run_and_leaves_the_output(tmp_path):
    out, tmpdir = tmp_path / "out" / "result.csv", tmp_path / "tmp"
    out.parent.mkdir()
    tmpdir.mkdir()
    out.write_bytes(OLD)
    proc, workers = start_mid_stream(out, tmpdir)
    try:
        os.kill(workers[0], signal.SIGKILL)
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the run may have ended already
            proc.stdin.write(ROWS[4:])  # more rows for the dead pool
            proc.stdin.close()
        code = proc.wait(timeout=TIMEOUT)
        assert proc.stderr is not None
        stderr = proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    assert code == 3, stderr
    assert stderr.startswith(b"Error: a worker process ended") and stderr.count(b"\n") == 1, stderr
    left_as_it_was(out, tmpdir)
    assert not [pid for pid in workers if alive(pid)]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_a_signal_to_the_main_process_leaves_the_output_and_ends_the_workers(tmp_path, name):
    out, tmpdir = tmp_path / "out" / "result.npz", tmp_path / "tmp"
    out.parent.mkdir()
    tmpdir.mkdir()
    out.write_bytes(OLD)
    proc, workers = start_mid_stream(out, tmpdir)
    number = getattr(signal, name)
    try:
        proc.send_signal(number)
        code = proc.wait(timeout=TIMEOUT)
        assert proc.stderr is not None
        stderr = proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
        if proc.stdin is not None:
            proc.stdin.close()
    assert code == 128 + number, stderr
    assert b"Traceback" not in stderr and stderr.count(b"\n") <= 1, stderr
    left_as_it_was(out, tmpdir)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and [pid for pid in workers if alive(pid)]:
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("wait", [0.0, 0.5, 1.0])
def test_a_signal_to_a_grid_run_with_workers_ends_it(tmp_path, name, wait):
    """A grid with workers: the workers' results are large, so a signal often comes while one is
    sent; the run must still end with the signal's status (it once waited forever at exit)."""
    out, tmpdir = tmp_path / "out" / "result.npz", tmp_path / "tmp"
    out.parent.mkdir()
    tmpdir.mkdir()
    out.write_bytes(OLD)
    env = clean_env()
    env["TMPDIR"] = str(tmpdir)
    proc = subprocess.Popen([sys.executable, "-m", "symgrad", "x*y", "--grid", "x=0:1:n=4000,y=0:1:n=4000",
                             "-o", str(out), "--chunk-rows", "10000", "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    number = getattr(signal, name)
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None and len(children(proc.pid)) < 2:
            time.sleep(0.02)
        time.sleep(wait)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
        workers = children(proc.pid)
        proc.send_signal(number)
        code = proc.wait(timeout=30)
        assert proc.stderr is not None
        stderr = proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    assert code == 128 + number, stderr
    assert b"Traceback" not in stderr and stderr.count(b"\n") <= 1, stderr
    left_as_it_was(out, tmpdir)
    assert not [pid for pid in workers if alive(pid)]


def test_leaving_at_once_removes_the_temporary_output_files(tmp_path):
    """A signal that comes after the output's temporary file is made, before its
    writer takes charge of it: the quick exit of a run with workers (os._exit,
    which skips the launcher's clean-up) removes the file itself."""
    out = tmp_path / "out" / "result.npz"
    out.parent.mkdir()
    out.write_bytes(OLD)
    code = (
        "from symgrad.points import staged\n"
        "from symgrad.cli import report\n"
        f"staged.Staged({str(out)!r})\n"
        "report.abandoned_threads()\n"
        "report.leave(129)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=clean_env(), capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 129, done.stderr
    assert out.read_bytes() == OLD
    assert os.listdir(out.parent) == [out.name]


def test_a_stop_signal_held_back_takes_effect_at_the_end_of_the_block():
    from symgrad.cli import report
    from symgrad.points.common import stop_signals_held

    seen: list[str] = []
    previous = signal.signal(signal.SIGHUP, report._stop)
    try:
        with pytest.raises(report.Signalled):
            with stop_signals_held():
                os.kill(os.getpid(), signal.SIGHUP)
                time.sleep(0.05)
                seen.append("end of block")
        with pytest.raises(report.Signalled):  # not held: at once
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(0.05)
            seen.append("not reached")
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert seen == ["end of block"]
