"""Partitions on a Dask cluster: ``--points FOLDER`` with ``--workers N`` or ``--scheduler``.

A ``LocalCluster`` of 2 worker processes (small memory) evaluates Parquet
and CSV partitions; each output partition must equal, bit for bit, the
single-process run of that partition (``run_bulk`` into one Parquet file),
the values must match the hand-derived gradient, ``_SUCCESS`` must appear
only after a complete run, and a worker killed mid-run must leave the same
output (Dask runs its partition again; every partition is written once,
no temporary file is left).
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import clean_env

pytest.importorskip("dask.distributed")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

FORMULA = "x^2*y + sin(x*y)"


def gradient(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """By hand: df/dx = 2xy + y cos(xy), df/dy = x^2 + x cos(xy)."""
    return 2 * x * y + y * np.cos(x * y), x**2 + x * np.cos(x * y)


def make_partitions(folder: Path, sizes: list[int], seed: int = 0) -> list[Path]:
    """Parquet and CSV partitions (every third a CSV) with columns x, y and an extra one."""
    rng = np.random.default_rng(seed)
    folder.mkdir()
    paths = []
    for k, rows in enumerate(sizes):
        points = rng.normal(size=(rows, 2))
        if k % 3 == 1:
            path = folder / f"p{k:02d}.csv"
            lines = [f"{a!r},{b!r},note" for a, b in points.tolist()]
            path.write_text("x,y,other\n" + "\n".join(lines) + "\n")
        else:
            path = folder / f"p{k:02d}.parquet"
            pq.write_table(pa.table({"y": points[:, 1], "other": np.arange(rows), "x": points[:, 0]}), path)
        paths.append(path)
    return paths


def single_process(tmp_path: Path, source: Path, name: str) -> Path:
    """The partition run by the single-process loop, in this process."""
    from symgrad.cli.points import BulkOptions, build_compiled
    from symgrad.jobs import JobSpec
    from symgrad.points.cluster import run_partition

    options = BulkOptions(str(source), None, None, False, "auto", 500, "f")
    target = tmp_path / name
    build = functools.partial(build_compiled, (FORMULA,), JobSpec(simplify="off"), options)
    run_partition(build, str(source), str(target), {}, 500)
    return target


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "symgrad", *args], capture_output=True, env=clean_env(),
                          timeout=300, check=False)


@pytest.mark.slow
def test_a_local_cluster_gives_the_single_process_output_bit_for_bit(tmp_path):
    sources = make_partitions(tmp_path / "in", [3000, 2000, 1, 2500])
    out = tmp_path / "out"
    done = run(FORMULA, "--points", str(tmp_path / "in"), "--workers", "2", "--chunk-rows", "500",
               "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    names = [f"part-{k:05d}.parquet" for k in range(len(sources))]
    assert sorted(os.listdir(out)) == sorted([*names, "_SUCCESS"])
    assert (out / "_SUCCESS").read_text().split() == names
    for k, (source, name) in enumerate(zip(sources, names)):
        got = pq.read_table(out / name)
        want = pq.read_table(single_process(tmp_path, source, f"ref{k}.parquet"))
        assert got.schema.names == ["x", "y", "f", "df/dx", "df/dy"]
        assert got.equals(want)
        for column in got.schema.names:  # bit for bit, nan included
            assert got[column].to_numpy().tobytes() == want[column].to_numpy().tobytes()
        x, y = got["x"].to_numpy(), got["y"].to_numpy()
        dx, dy = gradient(x, y)
        np.testing.assert_allclose(got["df/dx"].to_numpy(), dx, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(got["df/dy"].to_numpy(), dy, rtol=1e-12, atol=1e-12)


@pytest.mark.slow
def test_a_failed_partition_leaves_no_marker_and_no_half_partition(tmp_path):
    make_partitions(tmp_path / "in", [1000, 1000, 1000])
    bad = tmp_path / "in" / "p01.csv"
    bad.write_text(bad.read_text().replace("\n", "\nnope,1,x\n", 1))
    out = tmp_path / "out"
    out.mkdir()
    (out / "_SUCCESS").write_text("an old run\n")
    done = run(FORMULA, "--points", str(tmp_path / "in"), "--workers", "2", "-o", str(out))
    assert done.returncode == 2
    assert done.stderr == b"Error: --points: line 2: value of x is not a number: 'nope'\n"
    names = os.listdir(out)
    assert "_SUCCESS" not in names
    assert not [n for n in names if n.startswith(".")]  # no temporary file
    for name in names:  # whatever partition was written is whole
        assert pq.read_table(out / name).num_rows == 1000


def test_without_dask_the_message_says_how_to_get_it(tmp_path):
    (tmp_path / "in.csv").write_text("x,y\n1,2\n")
    script = ("import sys; sys.modules['dask'] = None; sys.modules['dask.distributed'] = None; "
              "from symgrad.cli.launch import main; main()")
    done = subprocess.run([sys.executable, "-c", script, FORMULA, "--points", str(tmp_path / "in.csv"),
                           "--scheduler", "tcp://127.0.0.1:1", "-o", str(tmp_path / "out")],
                          capture_output=True, env=clean_env(), timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr == b"Error: --scheduler needs the 'dask' extra: pip install 'symgrad[dask]'\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_worker_killed_mid_run_leaves_the_same_output(tmp_path):
    """Kill a worker process while partitions run: Dask runs them again; the output is whole."""
    from dask.distributed import Client, LocalCluster

    from symgrad.cli.points import BulkOptions, build_compiled
    from symgrad.jobs import JobSpec
    from symgrad.points.cluster import run_cluster

    sources = make_partitions(tmp_path / "in", [40_000] * 6, seed=5)
    options = BulkOptions(str(tmp_path / "in"), None, None, False, "auto", 2000, "f")
    build = functools.partial(build_compiled, (FORMULA,), JobSpec(simplify="off"), options)
    # our own scheduler, so that the test can see and kill a worker while the run goes on
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="600MiB") as cluster, Client(cluster) as client:
        killed: list[int] = []

        def kill_one() -> None:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                processing = client.processing()
                busy = [w for w, keys in processing.items() if keys]
                if busy:
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    time.sleep(0.2)  # mid-task
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
                time.sleep(0.05)

        killer = threading.Thread(target=kill_one)
        killer.start()
        out = tmp_path / "out"
        report = run_cluster(build, ["f", "df/dx", "df/dy"], [str(s) for s in sources], str(out), {}, 2000,
                             scheduler=cluster.scheduler_address)
        killer.join()
    assert killed, "no worker was killed"
    assert report.rows == 6 * 40_000
    names = [f"part-{k:05d}.parquet" for k in range(6)]
    assert sorted(os.listdir(out)) == sorted([*names, "_SUCCESS"])  # each once, no temporary file
    for k, (source, name) in enumerate(zip(sources, names)):
        want = pq.read_table(single_process(tmp_path, source, f"ref{k}.parquet"))
        assert pq.read_table(out / name).equals(want)

