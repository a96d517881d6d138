"""The time limit holds: it cannot be swallowed, and odd --timeout values are handled.

Tests never assert on wall-clock time: a run must *end*, with the limit's
error, well inside a generous subprocess timeout.
"""

from __future__ import annotations

import gc
import signal
import subprocess
import sys
import time

import pytest
from helpers import clean_env

from symgrad import limits
from symgrad.errors import JobTimeoutError
from symgrad.limits import time_limit

TIMEOUT_ERROR = "time limit of {} s exceeded (raise it with --timeout)"


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def symgrad(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "symgrad", *args], input=stdin, check=False,
                          capture_output=True, text=True, timeout=120, env=clean_env())


def test_a_swallowed_alarm_fires_again():
    # A library's broad ``except`` catches the first alarm; the limit still ends the block.
    swallowed = 0
    with pytest.raises(JobTimeoutError), time_limit(0.05):
        for _ in range(400):  # 4 s at most: far longer than the limit
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001 - the hostile code under test
                swallowed += 1
                if swallowed > 1:
                    break
    assert swallowed >= 1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_block_that_swallows_every_alarm_still_fails():
    # Work that catches every exception runs to its end, but is not a success.
    with pytest.raises(JobTimeoutError), time_limit(0.05):
        for _ in range(30):
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001, S110
                pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


class _SlowFinaliser:
    def __del__(self) -> None:
        spin(0.3)  # far past the limit below: the first alarm fires in here


def test_an_alarm_in_a_finaliser_is_not_lost(capsys):
    # An exception raised in __del__ is "ignored" by Python: the alarm must fire again,
    # and no "Exception ignored" report reaches stderr.
    hook = sys.unraisablehook
    gc.disable()
    try:
        with pytest.raises(JobTimeoutError), time_limit(0.05):
            _SlowFinaliser()  # deleted at once
            for _ in range(200):  # 2 s at most
                spin(0.01)
    finally:
        gc.enable()
    assert "Exception ignored" not in capsys.readouterr().err
    assert sys.unraisablehook is hook


def test_a_limit_that_does_not_fire_leaves_nothing_behind():
    previous = signal.getsignal(signal.SIGALRM)
    with time_limit(5):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


@pytest.mark.parametrize("value", [float("inf"), 1e300, 1e20, 0, None])
def test_no_limit_values(value):
    assert limits.timeout_seconds(value) is None
    with time_limit(value):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize("value", [float("nan"), -1.0, float("-inf")])
def test_bad_limit_values(value):
    with pytest.raises(ValueError):
        limits.timeout_seconds(value)


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan"])
def test_timeout_nan_is_a_usage_error(value):
    proc = symgrad("x**2", "--timeout", value)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: Invalid value for '--timeout'"), proc.stderr


@pytest.mark.parametrize("value", ["inf", "1e300", "1e20"])
def test_timeout_inf_or_huge_means_no_limit(value):
    proc = symgrad("x**2", "--timeout", value, "--at", "x=3")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert "df/dx(x=3) = 6" in proc.stdout


@pytest.mark.slow
def test_timeout_inf_in_stdin_and_points_modes(tmp_path):
    proc = symgrad("--timeout", "inf", "-", stdin="x**2\n")
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    points = tmp_path / "p.csv"
    points.write_text("x\n1\n2\n")
    proc = symgrad("x**2", "--points", str(points), "--timeout", "inf")
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert proc.stdout.splitlines()[1:] == ["1,1.0,2.0", "2,4.0,4.0"]  # x, f, df/dx


def thirty_variables() -> str:
    return " + ".join(f"sin(x{i})*exp(-x{i}**2) + x{i}*x{(i + 1) % 30}" for i in range(30))


@pytest.mark.slow
@pytest.mark.parametrize("seconds", ["1", "2.5"])
def test_critical_on_thirty_variables_ends_at_the_limit(seconds):
    # solve, the Groebner count, lambdify and Newton all run under the job's limit
    proc = symgrad(thirty_variables(), "--critical", "--timeout", seconds)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == f"Error: {TIMEOUT_ERROR.format(seconds)}\n"


@pytest.mark.slow
def test_points_job_on_a_heavy_formula_ends_at_the_limit(tmp_path):
    n = 600  # 6 s without a limit on the 2-core machine: well past the 2 s limit
    formula = " + ".join(f"sin(x{i}*x{(i + 1) % n})*exp(x{(i + 3) % n}**2 + x{(i + 7) % n})/(1 + x{(i + 2) % n}**2)"
                         for i in range(n))
    points = tmp_path / "p.csv"
    points.write_text(",".join(f"x{i}" for i in range(n)) + "\n" + ",".join("0.5" for _ in range(n)) + "\n")
    proc = symgrad(formula, "-H", "--points", str(points), "--timeout", "2")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == f"Error: {TIMEOUT_ERROR.format(2)}\n"
