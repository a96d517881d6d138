"""Binary outputs of --points/--grid: one temporary file, whatever the number of entries.

A job with more entries than the process may open files (``ulimit -n``)
writes its ``.npy``/``.npz`` (it used to hold one open file per column);
the output appears under its name only when complete.
"""

from __future__ import annotations

import itertools
import os
import resource
import subprocess
import sys

import numpy as np
import pytest

#: The open-file limit the subprocess runs under (its soft RLIMIT_NOFILE).
FILES = 64
N = 12  # 12 gradient entries + 78 Hessian entries = 90 > FILES


def weighted_square(n: int) -> str:
    """f = (x1 + 2*x2 + ... + n*xn)**2: df/dxi = 2*i*s, d2f/dxidxj = 2*i*j (s the sum)."""
    return "(" + " + ".join(f"{i}*x{i}" for i in range(1, n + 1)) + ")**2"


def run_limited(*args: str) -> subprocess.CompletedProcess[str]:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = FILES if hard == resource.RLIM_INFINITY else min(FILES, hard)

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))

    return subprocess.run([sys.executable, "-m", "symgrad", *args], capture_output=True, text=True, check=False,
                          preexec_fn=lower, timeout=600)


def expected_entries(points: np.ndarray) -> list[np.ndarray]:
    """The 90 entries at each point (rows of ``points``), in output order, by hand."""
    weights = np.arange(1, N + 1)
    s = points @ weights
    first = [2 * i * s for i in weights]
    second = [np.full(len(points), 2.0 * i * j) for i, j in itertools.combinations_with_replacement(weights, 2)]
    return first + second


def test_more_entries_than_open_files_the_process_may_hold():
    assert N + N * (N + 1) // 2 > FILES


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".npy", ".npz"])
def test_grid_with_more_entries_than_open_files(tmp_path, suffix):
    path = tmp_path / f"g{suffix}"
    grid = ",".join(f"x{i}=0:1:1" for i in range(1, N + 1))
    result = run_limited(weighted_square(N), "-H", "--grid", grid, "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    mesh = np.meshgrid(*[np.array([0.0, 1.0])] * N, indexing="ij")
    points = np.column_stack([m.ravel() for m in mesh])
    want = [e.reshape((2,) * N) for e in expected_entries(points)]
    value = ((points @ np.arange(1, N + 1)) ** 2).reshape((2,) * N)
    if suffix == ".npy":
        saved = np.load(path)
        assert saved.shape == (1 + len(want), *(2,) * N)
        for got, expected in zip(saved, [value, *want]):
            assert np.array_equal(got, expected)
    else:
        with np.load(path) as saved:
            assert len(saved.files) == 1 + len(want) + N
            assert np.array_equal(saved["f"], value)
            assert np.array_equal(saved["d2f/dx1dx12"], want[N + 11])
            assert np.array_equal(saved["df/dx12"], want[11])
            assert saved["x3"].tolist() == [0, 1]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.slow
def test_points_npz_with_more_entries_than_open_files(tmp_path):
    points = np.random.default_rng(1).integers(-5, 6, size=(300, N)).astype(float)
    source = tmp_path / "p.npy"
    np.save(source, points)
    path = tmp_path / "o.npz"
    result = run_limited(weighted_square(N), "-H", "--points", str(source), "-o", str(path),
                         "--chunk-rows", "64")
    assert result.returncode == 0, result.stderr
    want = expected_entries(points)
    with np.load(path) as saved:
        assert len(saved.files) == N + 1 + len(want)
        assert np.array_equal(saved["x5"], points[:, 4])
        assert np.array_equal(saved["f"], (points @ np.arange(1, N + 1)) ** 2)
        names = [f"df/dx{i}" for i in range(1, N + 1)] + [
            f"d2f/dx{i}^2" if i == j else f"d2f/dx{i}dx{j}"
            for i, j in itertools.combinations_with_replacement(range(1, N + 1), 2)]
        for name, expected in zip(names, want):
            assert np.array_equal(saved[name], expected), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.npz", "p.npy"]


@pytest.mark.parametrize("suffix", [".npy", ".npz"])
@pytest.mark.parametrize("source", ["points", "grid"])
def test_a_failed_run_leaves_the_output_as_it_was(cli, tmp_path, suffix, source):
    path = tmp_path / f"o{suffix}"
    if source == "points":  # row 4 is bad: rows 1-3 are written before the error
        path.write_bytes(b"the old contents")
        result = cli("x**2", "--points", "-", "-o", str(path), "--chunk-rows", "1",
                     input="x\n1\n2\n3\nbad\n")
    else:  # the output name is a folder's: nothing can be put there
        path = tmp_path / f"folder{suffix}"
        path.mkdir()
        result = cli("x**2", "--grid", "x=0:1:1", "-o", str(path))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ")
    if source == "points":
        assert path.read_bytes() == b"the old contents"
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    else:
        assert list(path.iterdir()) == []
        assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize("suffix", [".npy", ".npz"])
def test_the_output_replaces_an_old_file_and_gets_the_usual_mode(cli, tmp_path, suffix):
    path = tmp_path / f"o{suffix}"
    path.write_bytes(b"old")
    umask = os.umask(0o022)
    try:
        result = cli("x**2", "--points", "-", "-o", str(path), input="x\n1\n2\n")
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.stderr
    saved = np.load(path)
    values = saved[:, 1] if suffix == ".npy" else saved["df/dx"]  # .npy: f, df/dx
    assert values.ravel().tolist() == [2.0, 4.0]
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
