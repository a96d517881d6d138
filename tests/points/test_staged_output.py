"""``--output`` is replaced only when the run succeeds (symgrad.points.staged).

The library tests check the staged file itself (links, permissions, files
that are not regular, the clean-up of stragglers); the subprocess tests run
the command as a user does and check the old file and the folder afterwards.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import clean_env

from symgrad.points import PointsError
from symgrad.points.staged import Staged, discard_all


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# ---------------------------------------------------------------------------
# The staged file


def test_commit_replaces_and_discard_keeps(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    kept = Staged(str(target))
    Path(kept.path).write_text("new")
    kept.discard()
    assert target.read_text() == "old"
    assert leftovers(tmp_path, {"out.csv"}) == []
    done = Staged(str(target))
    Path(done.path).write_text("new")
    done.commit()
    assert target.read_text() == "new"
    assert leftovers(tmp_path, {"out.csv"}) == []


def test_symlink_target_is_replaced_and_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    staged = Staged(str(link))
    assert os.path.dirname(staged.path) == str(real.parent)  # the rename stays on one file system
    Path(staged.path).write_text("new")
    staged.commit()
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    staged = Staged(str(link))
    Path(staged.path).write_text("made")
    staged.commit()
    assert link.is_symlink() and (tmp_path / "new.csv").read_text() == "made"


def test_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    staged = Staged(str(target))
    Path(staged.path).write_text("new")
    staged.commit()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        staged = Staged(str(tmp_path / "out.csv"))
        staged.commit()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o640


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out.npy"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    with pytest.raises(PointsError, match="folder" if kind == "folder" else "not a regular file"):
        Staged(str(target))
    assert leftovers(tmp_path, {"out.npy"}) == []


def test_discard_all_removes_stragglers(tmp_path: Path) -> None:
    staged = Staged(str(tmp_path / "out.csv"))
    assert Path(staged.path).exists()
    discard_all()
    assert leftovers(tmp_path, set()) == []


def test_unwritable_folder_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(PointsError, match="cannot write"):
        Staged(str(tmp_path / "missing" / "out.csv"))


# ---------------------------------------------------------------------------
# The command


def run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "symgrad", *args], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload]


FORMATS = ["csv", "tsv", "jsonl", "npy", "npz", "parquet"]


@pytest.fixture
def bad_late(tmp_path: Path) -> Path:
    """A CSV whose row after 30,000 good ones is not a number."""
    path = tmp_path / "in.csv"
    rows = "".join(f"{k / 7},{k / 3}\n" for k in range(30_000))
    path.write_text("x,y\n" + rows + "1,oops\n")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("ext", FORMATS)
def test_failed_run_keeps_the_old_output(tmp_path: Path, bad_late: Path, ext: str) -> None:
    out = tmp_path / f"out.{ext}"
    out.write_bytes(b"old contents\n")
    done = run(["x*y", "--points", bad_late.name, "--chunk-rows", "1000", "-o", out.name], tmp_path)
    assert done.returncode == 2, done.stderr
    assert out.read_bytes() == b"old contents\n"
    assert leftovers(tmp_path, {"in.csv", out.name}) == []


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_failed_run_leaves_no_new_file(tmp_path: Path, bad_late: Path, ext: str) -> None:
    done = run(["x*y", "--points", bad_late.name, "--chunk-rows", "1000", "-o", f"new.{ext}"], tmp_path)
    assert done.returncode == 2, done.stderr
    assert leftovers(tmp_path, {"in.csv"}) == []


def test_output_through_a_link_replaces_the_linked_file(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("x,y\n1,2\n")
    (tmp_path / "real.csv").write_text("old")
    (tmp_path / "link.csv").symlink_to("real.csv")
    done = run(["x*y", "--points", "in.csv", "-o", "link.csv"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "link.csv").is_symlink()
    assert (tmp_path / "real.csv").read_text().splitlines() == ["x,y,f,df/dx,df/dy", "1,2,2.0,2.0,1.0"]


@pytest.mark.parametrize("how", ["stdin", "path", "link"])
def test_output_that_is_the_input_is_refused(tmp_path: Path, how: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x,y\n1,2\n")
    if how == "link":
        (tmp_path / "link.csv").symlink_to("in.csv")
    out = {"stdin": "in.csv", "path": "in.csv", "link": "link.csv"}[how]
    points = "-" if how == "stdin" else "in.csv"
    with source.open() as stdin:
        done = run(["x*y", "--points", points, "-o", out], tmp_path, stdin=stdin)
    assert done.returncode == 2
    assert done.stderr.startswith("Error: --output") and "its own input" in done.stderr
    assert source.read_text() == "x,y\n1,2\n"


def test_piped_stdin_may_write_any_file(tmp_path: Path) -> None:
    (tmp_path / "out.csv").write_text("old")
    done = run(["x*y", "--points", "-", "-o", "out.csv"], tmp_path, input="x,y\n1,2\n")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.csv").read_text().startswith("x,y,f,df/dx")


def test_fifo_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("x,y\n1,2\n")
    os.mkfifo(tmp_path / "out.npy")
    done = run(["x*y", "--points", "in.csv", "-o", "out.npy"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not a regular file" in done.stderr


def limited_file_size(limit: int) -> None:
    """In the child: files may grow to ``limit`` bytes; past it a write fails with EFBIG
    (Python ignores SIGXFSZ), as on a full disk."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.slow
@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("source", ["points", "grid"])
def test_a_file_size_limit_mid_run_keeps_the_old_output(tmp_path: Path, ext: str, source: str) -> None:
    (tmp_path / "in.csv").write_text("x,y\n" + "".join(f"{k / 7},{k / 3}\n" for k in range(20_000)))
    out = tmp_path / f"out.{ext}"
    out.write_bytes(b"old contents\n")
    given = ["--points", "in.csv"] if source == "points" else ["--grid", "x=0:1:n=150,y=0:1:n=150"]
    done = run(["sin(x)*exp(y)", *given, "-o", out.name], tmp_path, preexec_fn=lambda: limited_file_size(20_000))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Error: --output: cannot write out.") and done.stderr.count("\n") == 1
    assert out.read_bytes() == b"old contents\n"
    assert leftovers(tmp_path, {"in.csv", out.name}) == []
