"""The one place where the command's failures become an ``Error:`` line and an exit code.

httpie's ``raw_main`` is the model. Every way a run can end is mapped here,
by :meth:`Reporter.code_for`:

* a :class:`~symgrad.errors.SymgradError`: one ``Error:`` line (a parse
  error adds the formula and a caret) and the error's own ``exit_code``;
* click's own usage errors (unknown option, bad choice, bad number): the
  same one-line shape, exit 2;
* ``RecursionError``/``MemoryError``: a :class:`~symgrad.errors.ResourceLimitError`;
* any other exception is a bug: ``Error: internal error (...)``, exit 3;
* a failed write to standard output (a full disk, ``> /dev/full``) and a
  closed standard stream: one ``Error:`` line, exit 2 (:mod:`.streams`);
* a closed pipe downstream (``symgrad ... | head -1``): quiet, exit 141
  (128 + SIGPIPE, as a tool killed by SIGPIPE reports);
* Ctrl-C: 130; SIGTERM: 143; SIGHUP: 129. The signals raise
  :class:`Signalled` (a ``BaseException``, like ``KeyboardInterrupt``), so
  ``finally`` blocks and the writers' ``abort()`` run before the exit.

:meth:`Reporter.job` is the same mapping for one job of stdin mode, which
reports its failure (``line N: ...``) and lets the run go on.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import click

from ..errors import ExitCode, ParseError, ResourceLimitError, SymgradError
from ..text import printable
from .streams import StreamError, stream_failure

#: Appended to click's own usage errors, which name an option but not what the options are.
HELP_HINT = " (symgrad --help lists the options)"

#: The signals that end a run cleanly, with exit status 128 + N.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Signalled(BaseException):
    """A signal asked the run to stop; it unwinds the run as ``KeyboardInterrupt`` would."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


class PipeClosed(BaseException):
    """A broken pipe, carried past click (whose ``Command.main`` would exit 1 on it)."""


@contextmanager
def carried_past_click() -> Iterator[None]:
    """Raise a broken pipe in this block as :class:`PipeClosed`."""
    try:
        yield
    except BrokenPipeError as err:
        raise PipeClosed() from err


def _stop(number: int, frame: FrameType | None) -> None:
    from ..points.common import held_back

    if not held_back(number):  # else raised again once the output's temporary file is listed
        raise Signalled(number)


def install_signal_handlers() -> None:
    """Make SIGINT, SIGTERM and SIGHUP raise :class:`Signalled` (the main thread only)."""
    for number in STOP_SIGNALS:
        signal.signal(number, _stop)


_ABANDONED_THREADS = False


def abandoned_threads() -> None:
    """Say that this run left threads that may never end: the worker pool's,
    after its workers were killed mid-run (a signal, a bad row, a dead
    worker). :func:`leave` then ends the process without waiting for them."""
    global _ABANDONED_THREADS
    _ABANDONED_THREADS = True


def leave(code: int) -> None:
    """End the process with exit status ``code``.

    Normally :func:`sys.exit`. After :func:`abandoned_threads`, at once
    (:func:`os._exit`, after flushing the standard streams): the pool's
    threads can wait forever on a pipe that a killed worker was writing, and
    the interpreter's exit would wait for them. Everything that matters is
    done by then (the error reported) or here: the temporary output files
    still listed are removed, so the output is left as it was.
    """
    if not _ABANDONED_THREADS:
        sys.exit(code)
    # os._exit skips the launcher's clean-up: temporary output files go first
    # (one made just before the signal came, before its writer took charge of it)
    staged = sys.modules.get("symgrad.points.staged")
    if staged is not None:
        staged.discard_all()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def error(message: str) -> None:
    """Write one ``Error:`` line on stderr.

    Every message goes through here (or :func:`warning`), and it may repeat
    the user's text (a formula, a file name, a CSV header): its control
    characters and line breaks are written as escapes
    (:func:`~symgrad.text.printable`), so that the line is one line and
    cannot drive the terminal.
    """
    click.echo(f"Error: {printable(message)}", err=True)


def warning(message: str) -> None:
    """Write one ``Warning:`` line on stderr, escaped as :func:`error` escapes it."""
    click.echo(f"Warning: {printable(message)}", err=True)


def isatty(stream: object) -> bool:
    """Whether ``stream`` is a terminal (False for closed or file-less streams)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # not a real file (tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


class Status:
    """The exit code a :meth:`Reporter.job` scope settled on."""

    def __init__(self) -> None:
        self.code: int = ExitCode.OK


class Reporter:
    """Maps exceptions to ``Error:`` lines and exit codes; ``debug`` lets bugs raise."""

    def __init__(self) -> None:
        self.debug = False

    def code_for(self, err: BaseException, prefix: str = "") -> int:
        """Report ``err`` (one line, or nothing) and return the run's exit code.

        With ``debug``, a bug (and a recursion or memory failure) is raised
        again instead, so that its traceback shows. Call it from an
        ``except`` block.
        """
        if isinstance(err, SymgradError):
            error(prefix + str(err))
            if isinstance(err, ParseError):
                for line in err.caret_lines():
                    click.echo(line, err=True)
            return err.exit_code
        if isinstance(err, click.ClickException):  # click's own usage errors
            error(prefix + err.format_message() + HELP_HINT)
            return ExitCode.USAGE
        if isinstance(err, OSError) and (failure := stream_failure(err)) is not None:
            _silence_stdout()  # the interpreter's last flush would fail again
            return self.code_for(failure, prefix)
        if isinstance(err, (BrokenPipeError, PipeClosed)):
            _silence_stdout()
            return ExitCode.signal(signal.SIGPIPE)
        if isinstance(err, Signalled):
            return ExitCode.signal(err.number)
        if isinstance(err, (KeyboardInterrupt, click.Abort)):
            return ExitCode.signal(signal.SIGINT)
        if isinstance(err, (RecursionError, MemoryError)) and not self.debug:
            deep = isinstance(err, RecursionError)
            return self.code_for(ResourceLimitError("formula is nested too deeply" if deep else "out of memory"), prefix)
        if isinstance(err, Exception) and not self.debug:
            error(f"{prefix}internal error ({type(err).__name__}: {err}); --debug shows the traceback")
            return ExitCode.INTERNAL
        raise err

    def run(self, command: Callable[[], int | None]) -> int:
        """Run the whole command; whatever ends it becomes its exit code."""
        try:
            code = command()
            sys.stdout.flush()  # a closed pipe is reported here, not by the interpreter's exit
        except BaseException as err:  # this is the one place every failure is mapped
            if isinstance(err, SystemExit):
                raise
            return self.code_for(err)
        return int(code or ExitCode.OK)

    @contextmanager
    def job(self, prefix: str = "") -> Iterator[Status]:
        """One job's failure, reported (``prefix`` names its stdin line); the run goes on.

        A closed pipe, an unusable standard output and the signals end the
        whole run: they pass through.
        """
        status = Status()
        try:
            yield status
        except (BrokenPipeError, StreamError):
            raise
        except OSError as err:
            if stream_failure(err) is not None:  # stdout is full: no later job can write either
                raise
            status.code = self.code_for(err, prefix)
        except Exception as err:  # noqa: BLE001  (a bug in one job is reported, and the next job runs)
            status.code = self.code_for(err, prefix)
