"""Reading many points: :func:`open_points` picks the reader of an input.

Inputs: CSV or TSV with a header row naming the columns
(:mod:`symgrad.points.read_csv`, rows as the csv module reads them), JSON
Lines (:mod:`symgrad.points.read_text`), ``.npy`` and ``.npz``
(:mod:`symgrad.points.read_npy`). Each reader yields
:class:`~symgrad.points.common.Chunk` objects of at most ``chunk_rows`` rows
(fewer for wide rows: the chunk limits are in bytes too), reading the input
a block at a time, so memory stays flat. A text input on standard input is
handed on as it arrives: a chunk ends early when the pipe has nothing more
for now, so a slow producer's rows are not held back. The kind comes from
the file's suffix, or is sniffed from the first bytes of standard input.
"""

from __future__ import annotations

import io
import os
import select
from collections.abc import Callable, Collection, Sequence
from typing import IO, Any, cast

from .common import DEFAULT_CHUNK_ROWS, INPUT_KINDS, PointsError, PointsReader, given_twice
from .read_csv import DelimitedReader
from .read_npy import BinaryReader
from .read_text import JsonLinesReader, Lines

_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGIC = b"PK\x03\x04"


def detect_kind(path: str, head: bytes) -> str:
    """The input kind from the file name, else from its first bytes."""
    suffix = os.path.splitext(path)[1].lower()
    by_suffix = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
                 ".ndjson": "jsonl", ".json": "jsonl", ".npy": "npy", ".npz": "npz"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    if head.startswith(_NPY_MAGIC):
        return "npy"
    if head.startswith(_ZIP_MAGIC):
        return "npz"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "jsonl"
    first = text.split(b"\n", 1)[0]
    if b"\t" in first and b"," not in first:
        return "tsv"
    return "csv"


def open_points(
    source: str,
    symbols: Sequence[str],
    *,
    stdin: IO[bytes] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    kind: str | None = None,
    given: Collection[str] = (),
) -> PointsReader:
    """Open ``source`` (a path, or ``-`` for ``stdin``) as points for ``symbols``.

    ``given`` names symbols whose values come from elsewhere (``--at``): an
    input that has them too is an error rather than silently overridden.
    Raises :class:`PointsError` for a missing file, an unreadable header or
    missing columns (named).
    """
    if chunk_rows < 1:
        raise PointsError("chunk size must be at least 1 row")
    if source == "-":
        if stdin is None:
            raise PointsError("--points -: no standard input")
        stream: IO[bytes] = stdin
        size = None
    else:
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed by the reader
        except OSError as err:
            raise PointsError(f"--points: cannot read {source}: {err.strerror}") from None
        size = os.fstat(stream.fileno()).st_size
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(cast(Any, stream))
    prefixed = None
    if source == "-":
        # a pipe may deliver its first line in pieces: read up to the first
        # newline (or 512 bytes) to tell the format, then put it back
        head = _read_head(buffered)
        prefixed = _Prefixed(head, buffered)
    else:
        head = buffered.peek(512)[:512]
    kind = kind or detect_kind(source, head)
    if kind not in INPUT_KINDS:
        raise PointsError(f"unknown points format {kind!r}; choose one of {', '.join(INPUT_KINDS)}")
    if kind in ("npy", "npz"):
        binary = buffered if prefixed is None else io.BufferedReader(prefixed)
        reader: PointsReader = BinaryReader(binary, source, kind, symbols, chunk_rows)
    else:
        # text is read as it arrives: from a pipe, what it holds now
        lines = Lines(buffered.read1) if prefixed is None else Lines(prefixed.read1, _ready(buffered))
        if kind == "jsonl":
            reader = JsonLinesReader(lines, symbols, chunk_rows, size, buffered)
        else:
            reader = DelimitedReader(lines, kind, symbols, chunk_rows, size, buffered)
    reader.given = frozenset(given)
    clash = sorted(reader.given.intersection(reader.names))
    if clash:
        reader.close()
        raise given_twice(clash[0], "a column of the input")
    return reader


def _read_head(stream: IO[bytes], limit: int = 512) -> bytes:
    """The first line of ``stream`` (at most ``limit`` bytes), however slowly it arrives."""
    head = b""
    while len(head) < limit and b"\n" not in head:
        more = stream.read1(limit - len(head))  # type: ignore[attr-defined]
        if not more:
            break
        head += more
    return head


def _ready(stream: IO[bytes]) -> Callable[[], bool] | None:
    """A test of whether ``stream``'s file has bytes to read now (None: not a file).

    Asked only after a read gave less than it asked for, when ``stream``'s
    own buffer is empty: then the file alone holds what can be read.
    """
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
        return None

    def ready() -> bool:
        try:
            return bool(select.select([fd], [], [], 0)[0])
        except (OSError, ValueError):
            return True  # cannot tell: read on (and wait) as before

    return ready


class _Prefixed(io.RawIOBase):
    """``head`` followed by the rest of ``stream``: bytes read ahead, put back."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head = memoryview(head)
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head.nbytes:
            count = min(len(buffer), self.head.nbytes)
            buffer[:count] = self.head[:count]
            self.head = self.head[count:]
            return count
        return cast(int, self.stream.readinto(buffer))  # type: ignore[attr-defined]

    def read1(self, size: int = -1) -> bytes:
        """At most ``size`` bytes, waiting only until some arrive (a text input's reads)."""
        if self.head.nbytes:
            count = self.head.nbytes if size < 0 else min(size, self.head.nbytes)
            part = bytes(self.head[:count])
            self.head = self.head[count:]
            return part
        return cast(bytes, self.stream.read1(size))  # type: ignore[attr-defined]
