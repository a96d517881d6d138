"""Two runs writing one ``-o`` path at once: the file ends as one run's complete output.

Two ``--points`` runs of different inputs start together on the same output
path. Whatever their order, the file afterwards must be exactly one run's
whole output (every row, every value; it parses from start to end), never
rows of both or a torn end; nothing may be left beside it. A run may refuse
to share the path (exit 2, one ``Error:`` line) but not fail otherwise, and
a run that fails (a bad row) must not damage the other's output.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from faultkit import (
    SUFFIXES,
    TIMEOUT,
    child_env,
    code_problems,
    command,
    names,
    stderr_problems,
    verdict,
)

pytestmark = pytest.mark.slow

SIZES = {"a": 200_000, "b": 150_000}
COLUMNS = ["x", "y", "f", "df/dx", "df/dy"]


def points(run: str) -> np.ndarray:
    """The input rows of run ``run``: columns x, y (distinct between the runs)."""
    i = np.arange(SIZES[run], dtype=float)
    if run == "a":
        return np.column_stack([i, i % 7])
    return np.column_stack([-i - 0.5, np.full_like(i, 3.0)])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    for run in SIZES:
        rows = "".join(f"{x!r},{y!r}\n" for x, y in points(run).tolist())
        (folder / f"{run}.csv").write_text("x,y\n" + rows, encoding="utf-8")
        (folder / f"{run}-bad.csv").write_text("x,y\n" + rows + "1,oops\n", encoding="utf-8")
    return folder


def read_output(path: Path, suffix: str) -> np.ndarray:
    """The output as rows of x, y, df/dx, df/dy; raises when it does not parse completely.

    (``.npy`` holds the derivatives only: its x and y are nan.)
    """
    if suffix in (".csv", ".tsv"):
        delimiter = "," if suffix == ".csv" else "\t"
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines[0].split(delimiter) != COLUMNS:
            raise ValueError(f"header {lines[0][:60]!r}")
        if lines[-1] != "":
            raise ValueError(f"the last line is cut: {lines[-1][:40]!r}")
        rows = [line.split(delimiter) for line in lines[1:-1]]
        if not all(len(row) == 5 for row in rows):
            raise ValueError("a row without its 5 fields")
        return np.array(rows, dtype=float)
    if suffix == ".jsonl":
        rows = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                point = json.loads(line)
                rows.append([point["at"]["x"], point["at"]["y"], point["value"], *point["gradient"]])
        return np.array(rows, dtype=float)
    if suffix == ".npy":
        entries = np.load(path)  # the computed columns only: f, df/dx, df/dy per row
        if not (entries.ndim == 2 and entries.shape[1] == 3):
            raise ValueError(f"shape {entries.shape}")
        return np.column_stack([np.full((len(entries), 2), np.nan), entries])
    if suffix == ".npz":
        with np.load(path) as saved:
            if sorted(saved.files) != sorted(COLUMNS):
                raise ValueError(f"members {saved.files}")
            return np.column_stack([saved[k] for k in COLUMNS])
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    if table.column_names != COLUMNS:
        raise ValueError(f"columns {table.column_names}")
    return np.column_stack([table.column(k).to_numpy() for k in table.column_names])


def whole_output_of(rows: np.ndarray, run: str) -> bool:
    """Whether ``rows`` is every row of ``run``'s output, right."""
    xy = points(run)
    if rows.shape != (len(xy), 5):
        return False
    expected = np.column_stack([xy, xy[:, 0] * xy[:, 1], xy[:, 1], xy[:, 0]])  # x, y, f = xy, df/dx = y, df/dy = x
    known = ~np.isnan(rows)
    return bool(np.array_equal(rows[known], expected[known]))


@pytest.mark.parametrize("second", ["b", "b-bad"], ids=["both-succeed", "second-fails"])
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_two_runs_onto_one_path_leave_one_complete_output(inputs, tmp_path, suffix, second):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"result{suffix}"
    env = child_env(tmp_path / "tmp")
    procs = {
        run: subprocess.Popen(command("x*y", "--points", str(inputs / f"{run}.csv"), "-o", str(out),
                                      "--chunk-rows", "5000"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        for run in ("a", second)
    }
    ends = {run: proc.communicate(timeout=TIMEOUT) for run, proc in procs.items()}
    codes = {run: proc.returncode for run, proc in procs.items()}
    problems = []
    for run in procs:
        problems += [f"run {run}: {p}" for p in code_problems(codes[run], 0, 2)]
        problems += [f"run {run}: {p}" for p in stderr_problems(ends[run][1])]
    if second == "b-bad" and codes["b-bad"] == 0:
        problems.append("the run with a bad row exited 0")
    succeeded = [run for run in ("a", "b") if codes.get(run) == 0]
    if not succeeded:
        problems.append(f"no run succeeded: {codes}")
    elif not out.exists():
        problems.append(f"{out.name} does not exist after runs {succeeded} succeeded")
    else:
        try:
            rows = read_output(out, suffix)
        except Exception as err:  # noqa: BLE001 - a torn file fails in many ways; each is the finding
            problems.append(f"{out.name} does not parse: {type(err).__name__}: {str(err)[:120]}")
        else:
            if not any(whole_output_of(rows, run) for run in succeeded):
                problems.append(f"{out.name} is not one complete output of {succeeded}: {rows.shape[0]} rows"
                                f" (want {' or '.join(str(SIZES[r]) for r in succeeded)})")
    extra = [name for name in names(out_dir) if name != out.name]
    if extra:
        problems.append(f"left behind beside the output: {extra}")
    if names(tmp_path / "tmp"):
        problems.append(f"left behind in TMPDIR: {names(tmp_path / 'tmp')}")
    verdict(problems)
