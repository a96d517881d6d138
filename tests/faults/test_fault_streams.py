"""Streams that go away: ``| head -1`` in every mode, closed stdout, closed stdin, closed stderr.

SPEC: a closed pipe downstream ends the run quietly (exit 141, or 0 when the
output was all written before the reader left); a closed or unusable
stdout or stdin is one ``Error:`` line (exit 2, or 1), never a traceback.
tests/cli/test_exit_codes.py and tests/cli/test_errors.py cover a reader
leaving ``--grid`` CSV and stdin mode's text; these are the other modes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from faultkit import TIMEOUT, code_problems, command, stderr_problems, verdict
from helpers import clean_env

pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes and file descriptors"),
              pytest.mark.slow]  # each case starts symgrad in a real process

#: 800 points: several hundred kB of output in every format, far more than a pipe holds.
MANY_AT = [arg for i in range(800) for arg in ("-a", f"x={i}.5,y={i}.25")]


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "points.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i % 9}\n" for i in range(100_000)), encoding="utf-8")
    return path


HEAD_CASES = {
    "one-job-text": ["x*y"],
    "at-text": ["x*y", "-H", *MANY_AT],
    "at-json": ["x*y", "-H", *MANY_AT, "--format", "json"],
    "at-latex": ["x*y", "-H", *MANY_AT, "--format", "latex"],
    "at-pretty": ["x*y", "-H", *MANY_AT, "--format", "pretty"],
    "at-csv": ["x*y", "-H", *MANY_AT, "--format", "csv"],
    "points-csv": ["x*y", "-H", "--points", "{csv}"],
    "points-jsonl": ["x*y", "-H", "--points", "{csv}", "--format", "json"],
    "points-stdin": ["x*y", "--points", "-"],
    "grid-jsonl": ["x*y", "--grid", "x=0:1:n=500,y=0:1:n=500", "--format", "json"],
    "stdin-json": ["--format", "json", "-"],
    "stdin-latex": ["--format", "latex", "-"],
    "code-python": ["x*y*z", "-H", "-f", "python"],
}


@pytest.mark.parametrize("case", sorted(HEAD_CASES))
def test_head_1_ends_every_mode_quietly(big_csv, tmp_path, case):
    args = [a.format(csv=big_csv) for a in HEAD_CASES[case]]
    if case == "points-stdin":
        feed = big_csv.read_bytes()
    elif case.startswith("stdin"):
        feed = b"".join(b"x%d*y + sin(x)\n" % i for i in range(3000))
    else:
        feed = b""
    source = tmp_path / "stdin"
    source.write_bytes(feed)
    with open(source, "rb") as stdin:
        proc = subprocess.Popen(command(*args), stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=clean_env())
        head = subprocess.Popen(["head", "-1"], stdin=proc.stdout, stdout=subprocess.PIPE)
        assert proc.stdout is not None
        proc.stdout.close()  # head alone reads it now
        first, _ = head.communicate(timeout=TIMEOUT)
        _, stderr = proc.communicate(timeout=TIMEOUT)
    text = stderr.decode("utf-8", "replace")
    verdict(code_problems(proc.returncode, 0, 141), stderr_problems(stderr),
            [f"stderr not quiet: {text[:200]!r}"] if text.strip() else [],
            [] if first.endswith(b"\n") else [f"head read no whole first line: {first[:80]!r}"])


# --- closed stdout, stdin and stderr ---------------------------------------------


def run_closed(args: list[str], closed: str, feed: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``symgrad ARGS`` under bash with one of its standard streams closed (``>&-`` style)."""
    redirect = {"stdout": ">&-", "stdin": "<&-", "stderr": "2>&-"}[closed]
    script = 'exec "$@" ' + redirect
    return subprocess.run(["bash", "-c", script, "bash", *command(*args)],
                          input=feed if closed != "stdin" else None,
                          stdin=subprocess.DEVNULL if closed == "stdin" else None,
                          capture_output=True, env=clean_env(), timeout=TIMEOUT, check=False)


CLOSED_STDOUT = {
    "one-job": (["x*y"], None),
    "at": (["x*y", "--at", "x=1,y=2"], None),
    "json": (["x*y", "--json"], None),
    "latex": (["x*y", "--latex"], None),
    "code": (["x*y", "-f", "c"], None),
    "points": (["x*y", "--points", "-"], b"x,y\n1,2\n3,4\n"),
    "grid": (["x*y", "--grid", "x=0:1:n=3,y=0:1:n=3"], None),
    "stdin-mode": (["-"], b"x*y\nx+y\n"),
    "check": (["x*y", "--check"], None),
}


@pytest.mark.parametrize("case", sorted(CLOSED_STDOUT))
def test_closed_stdout_is_one_error_line(case):
    args, feed = CLOSED_STDOUT[case]
    proc = run_closed(args, "stdout", feed)
    verdict(code_problems(proc.returncode, 2, 1), stderr_problems(proc.stderr, errors=1))


CLOSED_STDIN = {
    "stdin-mode": ["-"],
    "stdin-mode-json": ["--json", "-"],
    "points-stdin": ["x*y", "--points", "-"],
    "no-expr": [],
}


@pytest.mark.parametrize("case", sorted(CLOSED_STDIN))
def test_closed_stdin_when_it_is_read_is_one_error_line(case):
    proc = run_closed(CLOSED_STDIN[case], "stdin")
    verdict(code_problems(proc.returncode, 2, 1), stderr_problems(proc.stderr, errors=1),
            [f"wrote to stdout: {proc.stdout[:80]!r}"] if proc.stdout else [])


@pytest.mark.parametrize("args", [["x*y"], ["x*y", "--at", "x=1,y=2", "--json"]], ids=["one-job", "at-json"])
def test_closed_stdin_when_it_is_not_read_does_not_matter(args):
    proc = run_closed(args, "stdin")
    reference = subprocess.run(command(*args), stdin=subprocess.DEVNULL, capture_output=True, env=clean_env(),
                               timeout=TIMEOUT, check=False)
    verdict(code_problems(proc.returncode, 0), stderr_problems(proc.stderr, errors=0),
            [] if proc.stdout == reference.stdout else [f"output differs: {proc.stdout[:80]!r}"])


@pytest.mark.parametrize(("args", "code"), [(["x*y"], 0), (["x+"], 2), (["1/x", "--at", "x=0"], 1),
                                            (["x", "--qqqq"], 2)],
                         ids=["ok", "parse-error", "math-error", "usage-error"])
def test_closed_stderr_keeps_the_exit_code(args, code):
    proc = run_closed(args, "stderr")
    verdict(code_problems(proc.returncode, code))


# --- a slow producer: rows are answered as they arrive ----------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_points_from_a_slow_pipe_are_answered_before_it_closes(fmt):
    """Issue 11: ``--points -`` held rows back until 1 MiB or EOF arrived from a slow producer.

    A few rows go in and the pipe stays open: their results must come out
    while the producer is still there (within the generous TIMEOUT, a
    does-not-hang bound; the run then ends normally at EOF).
    """
    import select

    proc = subprocess.Popen(command("x*y", "--points", "-", "--format", fmt), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(b"x,y\n1,2\n3,4\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], TIMEOUT)
        answered = bool(ready) and proc.stdout.read1(4096) != b""
        proc.stdin.close()
        proc.wait(timeout=TIMEOUT)
    finally:
        proc.kill()
        proc.wait()
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.stderr.close()
    proc.stdout.close()
    verdict([] if answered else [f"no output for 2 rows within {TIMEOUT} s while the pipe stayed open"],
            code_problems(proc.returncode, 0), stderr_problems(stderr, errors=0))
