"""Standard input and output that are closed or full: one ``Error:`` line, not a traceback.

A process started with a standard stream closed (``symgrad x >&-``,
``<&-``) gets ``None`` for ``sys.stdout``/``sys.stdin``; :func:`guard_closed`
puts a :class:`ClosedStream` there, which fails with a :class:`StreamError`
only when the run actually reads or writes it (``-o FILE`` needs no
standard output). A write to a full disk or a broken device
(``symgrad x > /dev/full``) raises an ``OSError`` with no file name;
:func:`stream_failure` turns it into the same kind of error.
"""

from __future__ import annotations

import errno
import sys
from typing import NoReturn

from ..errors import ExitCode, SymgradError


class StreamError(SymgradError):
    """Standard input or output cannot be used."""

    exit_code = ExitCode.USAGE


class ClosedStream:
    """Stands in for a closed standard stream: looks empty and not a terminal; reading
    or writing it raises :class:`StreamError`."""

    def __init__(self, name: str):
        self.name = name

    def _fail(self, *args: object) -> NoReturn:
        raise StreamError(f"{self.name} is closed")

    read = read1 = readline = readable = write = writelines = fileno = __iter__ = _fail

    @property
    def buffer(self) -> ClosedStream:
        return self

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:  # nothing was written
        pass


def guard_closed() -> None:
    """Put a :class:`ClosedStream` in place of a closed ``sys.stdin``/``sys.stdout``."""
    if sys.stdin is None:
        sys.stdin = ClosedStream("standard input")
    if sys.stdout is None:
        sys.stdout = ClosedStream("standard output")


#: The errors of a write to standard output that are the system's, not symgrad's.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def stream_failure(err: OSError) -> StreamError | None:
    """The one-line error for a failed write to standard output, or None if ``err`` is not one.

    Files symgrad opens report their own errors with their names; an
    ``OSError`` without a file name and with one of these codes comes from
    writing standard output.
    """
    if err.filename is not None or err.errno not in _WRITE_ERRNOS:
        return None
    return StreamError(f"cannot write standard output: {err.strerror}")
