"""Every way a run ends maps to one exit code, through one error path.

Real subprocesses (``python -m symgrad``, PYTHONPATH inherited) for what
only a process shows: a reader that goes away (141), signals (130, 143,
129); in-process runs for the rest (a bug is 3, click's own usage errors
are one ``Error:`` line and 2).
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest

import symgrad.jobs
from symgrad.cli.report import HELP_HINT, Signalled
from symgrad.errors import ExitCode

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pipes")


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        env.pop(name, None)
    return env


def symgrad_process(*args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "symgrad", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(),
        **kwargs,  # type: ignore[call-overload]
    )


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    """Wait for ``proc``; its exit status and its stderr."""
    try:
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.returncode, stderr


# --- a closed pipe: quiet, 128 + SIGPIPE -------------------------------------


def test_grid_into_a_reader_that_stops_after_one_line_is_quiet_141(tmp_path):
    # a million rows of CSV: far more than any pipe buffer holds
    proc = symgrad_process("x^2*y", "--grid", "x=0:999:1,y=0:999:1", cwd=tmp_path)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.close()
    assert proc.stdout.readline() == b"x,y,f,df/dx,df/dy\n"
    proc.stdout.close()
    code, stderr = finish(proc)
    assert stderr == ""
    assert code == ExitCode.signal(signal.SIGPIPE) == 141


def test_stdin_mode_into_a_reader_that_stops_after_one_line_is_quiet_141(tmp_path):
    proc = symgrad_process("-", cwd=tmp_path)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"x*y*z\n" * 5000)
    proc.stdin.close()
    assert proc.stdout.readline() == b"f = x*y*z\n"
    proc.stdout.close()
    code, stderr = finish(proc)
    assert stderr == ""
    assert code == 141


# --- signals: 128 + N, after the run unwinds ---------------------------------


def blocked_on_points(tmp_path) -> subprocess.Popen[bytes]:
    """A run that has read its header row and waits for more rows on a pipe kept open."""
    proc = symgrad_process("x*y", "--points", "-", cwd=tmp_path)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"x,y\n")
    proc.stdin.flush()
    # it has started when it is blocked reading: give it the time to get there
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.2)
        assert not ready, "symgrad wrote to stderr before the signal"
        assert proc.poll() is None
        if _blocked_reading(proc.pid):
            break
    return proc


def _blocked_reading(pid: int) -> bool:
    """Whether the process sleeps in a read (Linux: /proc), else after a pause."""
    try:
        with open(f"/proc/{pid}/wchan") as f:
            wchan = f.read()
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        time.sleep(3)
        return True
    return state == "S" and ("pipe" in wchan or "read" in wchan) and _imported_numpy(pid)


def _imported_numpy(pid: int) -> bool:
    """The points loop runs after numpy is loaded: look for it among the mapped files."""
    try:
        with open(f"/proc/{pid}/maps") as f:
            return "numpy" in f.read()
    except OSError:
        return True


@pytest.mark.parametrize(
    ("number", "expected"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
)
def test_a_signal_ends_the_run_with_128_plus_its_number(tmp_path, number, expected):
    proc = blocked_on_points(tmp_path)
    proc.send_signal(number)
    code, stderr = finish(proc)
    assert proc.stdin is not None
    proc.stdin.close()
    assert code == expected == ExitCode.signal(number)
    assert len(stderr.splitlines()) <= 1
    assert "Traceback" not in stderr


def test_a_signal_is_a_base_exception_so_cleanup_runs(cli, monkeypatch):
    """``Signalled`` passes ``except Exception`` (a job's error scope) and still maps to 128+N."""
    def stopped(formulas, spec):
        raise Signalled(signal.SIGTERM)

    monkeypatch.setattr(symgrad.jobs, "run_job", stopped)
    assert not issubclass(Signalled, Exception)
    result = cli("x")
    assert result.exit_code == 143
    assert result.stdout == result.stderr == ""


def test_ctrl_c_in_process_is_130_without_a_message(cli, monkeypatch):
    def interrupted(formulas, spec):
        raise KeyboardInterrupt

    monkeypatch.setattr(symgrad.jobs, "run_job", interrupted)
    result = cli("x")
    assert result.exit_code == 130
    assert len(result.stderr.splitlines()) <= 1 and "Error" not in result.stderr


# --- bugs: 3, one line ---------------------------------------------------------


def test_a_bug_in_stdin_mode_is_exit_3_and_names_the_line(cli, monkeypatch):
    def boom(formulas, spec):
        raise KeyError("boom")

    monkeypatch.setattr(symgrad.jobs, "run_job", boom)
    result = cli("-", input="x\n")
    assert result.exit_code == ExitCode.INTERNAL
    assert result.stderr == "Error: line 1: internal error (KeyError: 'boom'); --debug shows the traceback\n"


def test_a_bug_in_points_mode_is_exit_3(cli, monkeypatch):
    def boom(formulas, spec):
        raise KeyError("boom")

    monkeypatch.setattr(symgrad.jobs, "derive", boom)
    result = cli("x*y", "--points", "-", input="x,y\n1,2\n")
    assert result.exit_code == 3
    assert result.stderr == "Error: internal error (KeyError: 'boom'); --debug shows the traceback\n"


# --- click's own usage errors: the same one line, exit 2 -----------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--qqqq"], "No such option '--qqqq'."),
        (["x", "--chunk-rows", "many", "--points", "-"], "Invalid value for '--chunk-rows': 'many' is not a valid integer range."),
        (["x", "--engine", "gpu"], "Invalid value for '--engine': 'gpu' is not one of 'auto', 'sympy', 'symengine'."),
        (["x", "--at"], "Option '--at' requires an argument."),
    ],
)
def test_click_usage_errors_are_one_error_line(cli, args, message):
    result = cli(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}{HELP_HINT}\n"


def test_plan_errors_and_click_errors_share_the_shape(cli):
    ours = cli("x", "--tol", "1e-3")
    clicks = cli("x", "--tol", "big")
    for result in (ours, clicks):
        assert result.exit_code == 2
        (line,) = result.stderr.splitlines()
        assert line.startswith("Error: --tol") or line.startswith("Error: Invalid value for '--tol'")
        assert "Usage:" not in result.stderr and "Try " not in result.stderr
