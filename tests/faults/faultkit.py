"""Shared pieces of the fault-injection suite (``tests/faults/``).

Every fault test runs ``python -m symgrad`` in a real subprocess (PYTHONPATH
is inherited, so the checkout under test runs) with a generous hard timeout:
a run that hangs fails the test instead of hanging it, and nothing asserts
on wall-clock time otherwise.

The contract checked here is the SPEC's "Errors and exit codes":

* stderr holds no Python traceback, no "internal error", at most one line
  starting ``Error:`` (a parse error adds the formula and a caret line), and
  no raw control character that a terminal would act on;
* an ``-o`` file is replaced only when the run succeeds: after a failed or
  interrupted run the old file is byte-identical and nothing else (no
  temporary file or folder) is left beside it or in ``TMPDIR``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from helpers import clean_env

#: Seconds before a subprocess is killed: a does-not-hang bound, far above any normal run.
TIMEOUT = 60

#: The child's peak resident memory must stay below this (bytes); a bare run takes ~150 MB.
MEMORY_BOUND = 800 * 2**20

#: Every output format of ``-o``.
SUFFIXES = (".csv", ".tsv", ".jsonl", ".npy", ".npz", ".parquet")

#: The exit codes of the signals that end a run cleanly (SPEC: 128 + N).
SIGNAL_CODES = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}

#: Bytes of the old ``-o`` file, in no format symgrad writes: any write changes them.
OLD = b"the old contents of this file, which no failed run may change\n"


def command(*args: str) -> list[str]:
    """The argv of ``symgrad ARGS`` run by this Python."""
    return [sys.executable, "-m", "symgrad", *args]


def child_env(tmpdir: Path | None = None) -> dict[str, str]:
    """:func:`helpers.clean_env`, with ``TMPDIR`` pointed at ``tmpdir`` when given.

    A private ``TMPDIR`` lets a test see temporary files a writer puts
    outside the output's folder (and would leak there).
    """
    env = clean_env()
    if tmpdir is not None:
        tmpdir.mkdir(exist_ok=True)
        env["TMPDIR"] = str(tmpdir)
    return env


def run(*args: str, input: bytes | None = b"", cwd: Path | None = None,
        env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[bytes]:
    """Run ``symgrad ARGS`` to the end; stdout and stderr as bytes."""
    return subprocess.run(
        command(*args), input=input, capture_output=True, cwd=cwd,
        env=env if env is not None else clean_env(), timeout=timeout, check=False,
    )


# --- stderr -------------------------------------------------------------------

#: Characters that may not reach a terminal raw: C0 controls but the newline,
#: DEL, the C1 controls (U+009B is a one-character CSI) and the bidi overrides.
_FORBIDDEN = {chr(c) for c in range(0x20) if c != 0x0A} | {chr(0x7F)} | {
    chr(c) for c in range(0x80, 0xA0)} | {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                          "\u2066", "\u2067", "\u2068", "\u2069"}


def raw_controls(text: str) -> list[str]:
    """The forbidden control characters in ``text``, in order, as ``repr``s."""
    return [repr(c) for c in text if c in _FORBIDDEN]


def stderr_problems(stderr: bytes, *, errors: int | None = None, many_errors: bool = False) -> list[str]:
    """What is wrong with stderr by the SPEC's shape (an empty list: nothing).

    ``errors``: the exact number of ``Error:`` lines wanted (default: at most
    one, or any number with ``many_errors``, for math failures and stdin
    mode, which report each failed entry or line). Every other line is a
    ``Warning:`` or one of the two caret lines right after an ``Error:``.
    """
    text = stderr.decode("utf-8", errors="replace")
    shown = repr(text[:300])
    problems = []
    if "Traceback" in text:
        problems.append(f"a traceback on stderr: {text[-300:]!r}")
    if "internal error" in text.lower():
        problems.append(f"an internal error: {shown}")
    controls = raw_controls(text)
    if controls:
        problems.append(f"raw control characters {' '.join(dict.fromkeys(controls))} on stderr: {shown}")
    lines = text.removesuffix("\n").split("\n") if text else []  # a raw CR is no line end here
    error_lines = [line for line in lines if line.startswith("Error:")]
    if errors is not None and len(error_lines) != errors:
        problems.append(f"{len(error_lines)} Error: lines, want {errors}: {shown}")
    elif errors is None and not many_errors and len(error_lines) > 1:
        problems.append(f"{len(error_lines)} Error: lines, want at most 1: {shown}")
    since_error = None  # lines since the last Error: line
    for line in lines:
        if line.startswith("Error:"):
            since_error = 0
        elif line.startswith("Warning:"):
            since_error = None
        elif since_error is not None and since_error < 2:
            since_error += 1
        elif "Traceback" not in text:
            problems.append(f"a stray stderr line {line[:100]!r}: {shown}")
            break
    if text and not text.endswith("\n"):
        problems.append(f"stderr does not end with a newline: {shown}")
    return problems


def code_problems(code: int, *allowed: int) -> list[str]:
    """A problem when the exit code ``code`` is not one of ``allowed``."""
    if code in allowed:
        return []
    want = " or ".join(str(a) for a in allowed)
    return [f"exit {code} (killed by signal {-code})" if code < 0 else f"exit {code}, want {want}"]


def verdict(*problems: list[str]) -> None:
    """Fail with every problem found, one clause each, or pass when there is none."""
    found = [p for group in problems for p in group]
    assert not found, "; ".join(found)


def assert_clean_stderr(stderr: bytes, *, errors: int | None = None, many_errors: bool = False) -> str:
    """Assert :func:`stderr_problems` finds nothing; return stderr as text."""
    verdict(stderr_problems(stderr, errors=errors, many_errors=many_errors))
    return stderr.decode("utf-8", errors="replace")


# --- files ----------------------------------------------------------------------


def names(folder: Path) -> list[str]:
    """The entries of ``folder`` (hidden ones too), sorted."""
    return sorted(os.listdir(folder))


def file_problems(out: Path, old: bytes | None, others: list[str] | tuple[str, ...] = (),
                  tmpdir: Path | None = None) -> list[str]:
    """After a failed run: ``out`` must hold ``old`` (or be absent when ``old`` is None),
    its folder only ``out`` and ``others``, and ``tmpdir`` (the child's TMPDIR) nothing."""
    problems = []
    folder = out.parent
    expected = {*others, *([out.name] if old is not None else [])}
    extra = sorted(set(names(folder)) - expected - {out.name})
    if extra:
        problems.append(f"left behind beside the output: {extra}")
    if old is None and out.exists():
        problems.append(f"the new path {out.name} exists after the failed run ({out.stat().st_size} bytes)")
    elif old is not None:
        if out.is_symlink() or not out.exists():
            problems.append(f"{out.name} is gone or no longer a plain file")
        else:
            now = out.read_bytes()
            if now != old:
                problems.append(f"{out.name} changed ({len(now)} bytes, starts {now[:24]!r})")
    if tmpdir is not None and names(tmpdir):
        problems.append(f"left behind in TMPDIR: {names(tmpdir)}")
    return problems


def assert_left_as_it_was(out: Path, old: bytes | None, others: list[str] | tuple[str, ...] = (),
                          tmpdir: Path | None = None) -> None:
    """Assert :func:`file_problems` finds nothing."""
    verdict(file_problems(out, old, others, tmpdir))


# --- peak memory --------------------------------------------------------------


@dataclass
class Measured:
    returncode: int
    stdout: bytes
    stderr: bytes
    peak_rss: int  # bytes


#: Runs ``argv[2:]`` as its child and writes the child's peak RSS to ``argv[1]``;
#: exits as the child did. Linux counts in a process's peak the memory of the
#: process it was forked from, up to its exec: a command forked straight from
#: this test process (hundreds of MB late in a run) would report that. This
#: small interpreter (no site, no imports beyond ``os``) is what it forks from.
_MEASURE = """
import os, signal, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
os._exit(code)
"""


def run_measured(*args: str, folder: Path, stdin: Path | None = None, keep_stdout: bool = True,
                 cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``symgrad ARGS``; its exit code, output and peak resident memory.

    The peak is the command's own (its ``wait4`` rusage, taken by the small
    :data:`_MEASURE` process it is forked from), not that of this test
    process nor of every child it ever waited for. stdout goes to a file in
    ``folder`` (or to /dev/null unless ``keep_stdout``: a run that streams
    without end then fills no disk); a run still going after ``TIMEOUT``
    seconds is killed and reported as ``returncode`` -9.
    """
    out_path, err_path = folder / ".measured.stdout", folder / ".measured.stderr"
    rss_path = folder / ".measured.rss"
    with open(err_path, "wb") as err, open(out_path if keep_stdout else os.devnull, "wb") as out, \
            open(stdin if stdin is not None else os.devnull, "rb") as inp:
        proc = subprocess.Popen([sys.executable, "-S", "-c", _MEASURE, str(rss_path), *command(*args)],
                                stdin=inp, stdout=out, stderr=err, cwd=cwd, start_new_session=True,
                                env=env if env is not None else clean_env())
        killer = threading.Timer(TIMEOUT, lambda: os.killpg(proc.pid, signal.SIGKILL))
        killer.start()
        try:
            proc.wait()
        finally:
            killer.cancel()
    stdout = out_path.read_bytes() if keep_stdout else b""
    stderr = err_path.read_bytes()
    out_path.unlink(missing_ok=True)
    err_path.unlink()
    rss = int(rss_path.read_text()) if rss_path.exists() else 0  # none if killed: the run failed anyway
    rss_path.unlink(missing_ok=True)
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    peak = rss if sys.platform == "darwin" else rss * 1024
    return Measured(proc.returncode, stdout, stderr, peak)
