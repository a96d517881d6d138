"""What the readers and writers of many points share: chunks, the two base
classes, the error they raise and the limits they keep.

A reader (:mod:`symgrad.points.read`, :mod:`symgrad.points.read_npy`,
:class:`symgrad.points.grid.GridReader`) yields :class:`Chunk` objects of at most
``chunk_rows`` rows, and fewer when the rows are wide: at most
:data:`MAX_CHUNK_BYTES` of doubles and :data:`MAX_CHUNK_CHARS` of input text
(:mod:`symgrad.points.run` evaluates at most that many bytes at a time too); a writer (:mod:`symgrad.points.write`,
:mod:`symgrad.points.write_npy`, the grid writers) gets each chunk with the
values computed for it, and :meth:`PointsWriter.close` finishes the output.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import limits
from ..errors import ExitCode, SymgradError

if TYPE_CHECKING:
    import numpy as np

#: Rows per chunk: large enough to amortise per-call costs, small enough
#: that memory stays flat (a few MiB per chunk).
DEFAULT_CHUNK_ROWS = 65_536
#: Bytes read from a text input at a time (at most: a pipe gives what has arrived).
READ_CHARS = 1 << 20
#: Longest line a text input may have, and longest CSV field (a file without
#: newlines, or a quote left open, is refused rather than read into memory whole).
MAX_LINE_CHARS = 1 << 20

#: Most characters of input text one chunk keeps, and most bytes of doubles
#: (:mod:`symgrad.limits`; read here by the readers, so a test may change them).
MAX_CHUNK_CHARS = limits.MAX_CHUNK_CHARS
MAX_CHUNK_BYTES = limits.MAX_CHUNK_BYTES

INPUT_KINDS = ("csv", "tsv", "jsonl", "npy", "npz")
OUTPUT_KINDS = ("csv", "tsv", "jsonl", "npy", "npz", "parquet")


class PointsError(SymgradError):
    """Bad points input or output: a usage error that names the place."""

    exit_code = ExitCode.USAGE


@dataclass
class Chunk:
    """Some consecutive rows of the input.

    ``values[row, k]`` is symbol ``k``'s value; ``lines`` holds each row's
    line number in the input (1-based; where a CSV row spans several lines,
    the line it starts on; the row index for binary inputs and grids);
    ``raw`` the untouched text of each row (CSV/TSV) and ``extra`` the other
    fields of each row (JSON Lines), for passing them through.
    """

    values: np.ndarray
    lines: np.ndarray
    raw: list[str] | None = None
    extra: list[dict[str, Any]] | None = None


class PointsReader:
    """An input of points: its kind, its columns and its chunks."""

    kind: str
    #: The raw header row (CSV/TSV), repeated in CSV output.
    header: str | None = None
    delimiter: str = ","
    #: Total number of rows when known in advance (binary inputs, grids).
    rows: int | None = None
    #: The input's column names, where it names them.
    names: Sequence[str] = ()
    #: Symbols given elsewhere (``--at``), which rows must not hold too.
    given: frozenset[str] = frozenset()

    def chunks(self) -> Iterator[Chunk]:
        raise NotImplementedError

    def progress(self) -> tuple[int, int] | None:
        """(bytes read, total bytes) for a file input of known size."""
        return None

    def close(self) -> None:
        """Close the input file (standard input stays open)."""

    def pieces(self) -> Iterator[Any]:
        """The input in order as pieces that :meth:`parser` turns into chunks.

        The run loop's workers (:mod:`symgrad.points.run`, ``--workers``)
        parse the pieces in other processes: a CSV/TSV reader hands out its
        rows' text, which the workers turn into doubles; other readers hand
        out their chunks, which the parser returns as they are.
        """
        return self.chunks()

    def parser(self) -> Callable[[Any], Chunk | None]:
        """A function (picklable) from a piece of :meth:`pieces` to its chunk (None: no rows)."""
        return as_chunk


def as_chunk(piece: Any) -> Chunk | None:
    """A piece that is already a chunk."""
    assert isinstance(piece, Chunk)
    return piece


def values_only(chunk: Chunk, values: np.ndarray) -> tuple[Chunk, np.ndarray]:
    """What a binary writer needs of a chunk: its points and values (not the input's text)."""
    return Chunk(chunk.values, chunk.lines), values


def whole(chunk: Chunk, values: np.ndarray) -> tuple[Chunk, np.ndarray]:
    return chunk, values


class PointsWriter:
    """Writes the values of each chunk; :meth:`close` finishes the output.

    :meth:`write` is :meth:`renderer` (the part that may run in a worker
    process: turning values into the output's text) followed by
    :meth:`write_rendered` (the part in the main process: writing it out).
    """

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        raise NotImplementedError

    def renderer(self) -> Callable[[Chunk, np.ndarray], Any]:
        """A function (picklable, free of files) from a chunk and its values to
        what :meth:`write_rendered` takes."""
        return values_only

    def write_rendered(self, rendered: Any) -> None:
        """Write what :meth:`renderer` made of a chunk."""
        self.write(*rendered)

    def close(self) -> None:
        """Finish the output (write headers, zip members)."""

    def abort(self) -> None:
        """Stop after an error: release files, finish nothing."""


@dataclass(frozen=True)
class Columns:
    """What the writers need to know about the columns."""

    symbols: list[str]
    #: The computed columns: the function's value (when asked for), then the entries.
    entries: list[str]
    #: A function turning one row of computed values into the JSON point layout
    #: (:func:`symgrad.points.run.json_layout`).
    layout: Callable[[Sequence[Any]], dict[str, Any]] | None = None


def check_distinct(symbols: Sequence[str], computed: Sequence[str]) -> None:
    """Refuse an output whose columns would have one name twice: a symbol
    named as the function's value column (``f``, ``f1``, or the ``--name``),
    since a derivative's name (``df/dx``) is never a symbol's."""
    have = set(symbols)
    for name in computed:
        if name in have:
            raise PointsError(f"the column of the function's value, {name}, would have the name of the "
                              f"symbol {name}; name the function otherwise with --name, or leave the "
                              "value out with --no-value")


def given_twice(name: str, where: str) -> PointsError:
    return PointsError(f"--points: {name} is given by both --at and {where}")


def missing_columns(symbols: Sequence[str], have: Sequence[str]) -> PointsError:
    missing = [s for s in symbols if s not in have]
    shown = ", ".join(have) if have else "nothing"
    plural = "s" if len(missing) > 1 else ""
    return PointsError(f"--points: missing column{plural} {', '.join(missing)} (the input has {shown})")


def check_finite(values: np.ndarray, numbers: Sequence[int] | np.ndarray, symbols: Sequence[str],
                 where: str = "line") -> None:
    """Refuse a value that is not a finite real, naming its row and symbol."""
    import numpy as np

    finite = np.isfinite(values)
    if not finite.all():
        row, column = np.argwhere(~finite)[0]
        raise PointsError(f"--points: {where} {numbers[row]}: value of {symbols[column]} is not a "
                          f"finite real number: {float(values[row, column])!r}")


#: Stop signals held back (:func:`stop_signals_held`): how deep the blocks go, and those that came.
_HELD: dict[str, Any] = {"depth": 0, "came": []}


@contextlib.contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold a stop signal (SIGINT, SIGTERM, SIGHUP) back in this block: one
    that comes in it is raised again when the block ends.

    For what must not be cut in two: a temporary output file made but not yet
    listed for removal. The command line's handler asks :func:`held_back`
    first (Python runs signal handlers in the main thread, whichever thread
    the signal reached, so blocking it in one thread would not do).
    """
    _HELD["depth"] += 1
    try:
        yield
    finally:
        _HELD["depth"] -= 1
        if not _HELD["depth"] and _HELD["came"]:
            number = _HELD["came"][0]
            _HELD["came"].clear()
            signal.raise_signal(number)


def held_back(number: int) -> bool:
    """For a stop signal's handler: whether the signal ``number`` is held back
    (it is raised again at the end of the :func:`stop_signals_held` block)."""
    if _HELD["depth"]:
        _HELD["came"].append(number)
        return True
    return False
