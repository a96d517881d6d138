"""A bad input row ends a ``--points`` run: the ``-o`` file is as it was, nothing left behind.

SPEC (Errors and exit codes): output files are replaced only when the run
succeeds; on any failure the old file is untouched and nothing is left
behind. Each case is a real subprocess per output format, with the bad row
after ~200,000 good ones (several chunks already written) or as the very
first row, onto an existing ``-o`` file or a new path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import (
    OLD,
    SUFFIXES,
    child_env,
    code_problems,
    file_problems,
    run,
    stderr_problems,
    verdict,
)

GOOD_ROWS = 200_000


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    rows = "".join(f"{i * 0.001!r},{i % 7}\n" for i in range(GOOD_ROWS))
    (folder / "late.csv").write_text("x,y\n" + rows + "1,abc\n" + "1,2\n" * 100, encoding="utf-8")
    (folder / "first.csv").write_text("x,y\nabc,1\n" + rows, encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("existing", [True, False], ids=["old-file", "new-path"])
@pytest.mark.parametrize("bad", ["late", "first"], ids=["bad-row-200002", "bad-first-row"])
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_bad_row_leaves_the_output_as_it_was(inputs, tmp_path, suffix, bad, existing):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"result{suffix}"
    if existing:
        out.write_bytes(OLD)
    tmpdir = tmp_path / "tmp"
    proc = run("x*y", "--points", str(inputs / f"{bad}.csv"), "-o", str(out), env=child_env(tmpdir))
    verdict(code_problems(proc.returncode, 2), stderr_problems(proc.stderr, errors=1),
            file_problems(out, OLD if existing else None, tmpdir=tmpdir),
            [f"wrote to stdout: {proc.stdout[:60]!r}"] if proc.stdout else [])
