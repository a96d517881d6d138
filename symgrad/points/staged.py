"""An output file that takes the place of ``--output PATH`` only when the run succeeds.

Every writer of ``--output`` writes into a :class:`Staged` file: a new
temporary file in the target's folder (``.NAME.XXXX.part``), so that
:meth:`Staged.commit` can put it in place with one ``os.replace`` after
the last row was written and flushed to disk. Until then the old file is
untouched; :meth:`Staged.discard` removes the temporary file on a failure,
Ctrl-C or SIGTERM. Two runs writing one path at once each write their own
temporary file, so the path ends up holding one of the two complete outputs,
never a mix.

* A symlink is followed on purpose: ``-o link.csv`` replaces the file the
  link points to (the link stays a link), as an editor saving through a link
  does. A dangling link creates its target.
* A target that exists but is not a regular file (a folder, a FIFO, a
  device such as ``/dev/null``) is refused: renaming onto it would replace
  the device node or FIFO itself.
* A replaced file keeps its permission bits; a new one gets the usual mode
  of a new file (``0o666`` less the umask).

:func:`discard_all` removes the temporary files of writers that never got
to clean up (the command line calls it on the way out).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator

from .common import PointsError, stop_signals_held

#: The temporary files not yet committed or discarded, for :func:`discard_all`.
_pending: set[str] = set()


class Staged:
    """A temporary file beside ``target``: :meth:`commit` renames it onto
    the target, :meth:`discard` removes it."""

    def __init__(self, target: str, option: str = "--output"):
        self.shown = target
        self.option = option
        self.target = os.path.realpath(target)
        mode = _mode_for(self.target, target, option)
        folder, name = os.path.split(self.target)
        # a stop signal between making the file and listing it would leave it behind
        with stop_signals_held():
            try:
                fd, self.path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
            except OSError as err:
                raise _cannot_write(target, err, option) from None
            _pending.add(self.path)
        try:
            os.fchmod(fd, mode)  # mkstemp's file is private (0600)
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Write the file in this block: any failure in it removes the temporary file (the
        run cannot succeed after it), and an ``OSError`` (a full disk, say) becomes the
        one-line output error."""
        try:
            yield
        except OSError as err:
            self.discard()
            raise _cannot_write(self.shown, err, self.option) from None
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        """Flush the file to disk and rename it onto the target."""
        try:
            _fsync(self.path)
            os.replace(self.path, self.target)
        except OSError as err:
            self.discard()
            raise _cannot_write(self.shown, err, self.option) from None
        _pending.discard(self.path)
        with contextlib.suppress(OSError):  # the rename itself, on file systems that need it
            _fsync(os.path.dirname(self.target))

    def discard(self) -> None:
        """Remove the temporary file (the target is as it was)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        _pending.discard(self.path)


def discard_all() -> None:
    """Remove every temporary file not yet committed or discarded."""
    for path in list(_pending):
        with contextlib.suppress(OSError):
            os.unlink(path)
        _pending.discard(path)


def _cannot_write(shown: str, reason: str | OSError, option: str = "--output") -> PointsError:
    """The one-line output error: ``reason`` is a text, or the OSError that happened."""
    if isinstance(reason, OSError):
        reason = reason.strerror or str(reason)
    return PointsError(f"{option}: cannot write {shown}: {reason}")


def _mode_for(target: str, shown: str, option: str = "--output") -> int:
    """The permission bits of the output: those of the file it replaces, else a new file's."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    except OSError as err:
        raise _cannot_write(shown, err, option) from None
    if stat.S_ISDIR(info.st_mode):
        raise _cannot_write(shown, "it is a folder", option)
    if not stat.S_ISREG(info.st_mode):
        raise _cannot_write(shown, "it is not a regular file "
                            "(a device or FIFO; the output is written to a new file and renamed into place)",
                            option)
    return stat.S_IMODE(info.st_mode)


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
