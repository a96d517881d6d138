"""Reading many points: :func:`open_points` and the text readers.

Inputs: CSV or TSV with a header row naming the columns, JSON Lines (one
object ``{name: number}`` per line), ``.npy`` and ``.npz``
(:mod:`symgrad.points_read_npy`). Each reader yields
:class:`~symgrad.points_types.Chunk` objects of at most ``chunk_rows`` rows,
reading the input a block at a time, so memory stays flat.

CSV rows are the csv module's: a quoted field may hold the delimiter, a
doubled quote or a newline, and such a row spans several lines (a row is
numbered by the line it starts on, as csv's ``line_num`` counts lines). A
block of lines without any quote character is what ``csv.reader`` would
split at every delimiter, and NumPy reads it without the csv module; NumPy
also turns the fields into doubles, for every block. A line longer than
:data:`~symgrad.points_types.MAX_LINE_CHARS`, and a field or row that grows
past it (a quote left open), is refused after reading at most that much.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import math
import operator
import os
import warnings
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, cast

from . import points_types as limits
from .points_types import (
    DEFAULT_CHUNK_ROWS,
    INPUT_KINDS,
    Chunk,
    PointsError,
    PointsReader,
    check_finite,
    given_twice,
    missing_columns,
)

if TYPE_CHECKING:
    import numpy as np

_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGIC = b"PK\x03\x04"
_QUOTE = '"'


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
    if source == "-":
        # a pipe may deliver its first line in pieces: read up to the first
        # newline (or 512 bytes) to tell the format, then put it back
        head = _read_head(buffered)
        buffered = io.BufferedReader(_Prefixed(head, buffered))
    else:
        head = buffered.peek(512)[:512]
    kind = kind or detect_kind(source, head)
    if kind not in INPUT_KINDS:
        raise PointsError(f"unknown points format {kind!r}; choose one of {', '.join(INPUT_KINDS)}")
    if kind in ("npy", "npz"):
        from .points_read_npy import BinaryReader

        reader: PointsReader = BinaryReader(buffered, source, kind, symbols, chunk_rows)
    else:
        # utf-8-sig: a byte order mark (spreadsheets write one) is not part of the first name
        text = io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")
        if kind == "jsonl":
            reader = _JsonLinesReader(text, symbols, chunk_rows, size, buffered)
        else:
            reader = _DelimitedReader(text, kind, symbols, chunk_rows, size, buffered)
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


class _Lines:
    """The lines of a text input, read a block at a time: line ends dropped,
    empty lines kept, ``number`` the count of lines handed out so far."""

    def __init__(self, text: IO[str]):
        self.text = text
        self.number = 0
        self._pending: list[str] = []  # complete lines read ahead
        self._next = 0  # index of the next of them to hand out
        self._partial = ""  # the start of a line whose end is not read yet

    def take(self, count: int) -> list[str]:
        """The next ``count`` lines (fewer only at the end of the input)."""
        lines: list[str] = []
        while len(lines) < count:
            if self._next >= len(self._pending) and not self._fill():
                break
            got = self._pending[self._next : self._next + count - len(lines)]
            self._next += len(got)
            self.number += len(got)
            lines += got
        return lines

    def next_line(self) -> str | None:
        """The next line, or None at the end of the input."""
        if self._next >= len(self._pending) and not self._fill():
            return None
        line = self._pending[self._next]
        self._next += 1
        self.number += 1
        return line

    def _fill(self) -> bool:
        """Read the next block of complete lines into ``_pending``; False at the end."""
        while True:
            try:
                block = self.text.read(limits.READ_CHARS)
            except UnicodeDecodeError:
                raise PointsError("--points: the input is not UTF-8 text "
                                  "(for binary data use a .npy or .npz file)") from None
            if not block:
                pending = [self._partial] if self._partial else []
                self._partial = ""
                self._pending, self._next = pending, 0
                return bool(pending)
            text = self._partial + block
            if "\r" in text:
                text = text.replace("\r\n", "\n")
            pending = text.split("\n")
            self._partial = pending.pop()
            if len(self._partial) > limits.MAX_LINE_CHARS:
                raise PointsError(f"--points: line {self.number + len(pending) + 1} is longer "
                                  f"than {limits.MAX_LINE_CHARS:,} characters")
            if pending:
                self._pending, self._next = pending, 0
                return True


class _TextReader(PointsReader):
    def __init__(self, text: IO[str], size: int | None, raw: IO[bytes]):
        self.text = text
        self.size = size
        self.raw = raw
        self.lines = _Lines(text)

    def close(self) -> None:
        if self.size is not None:  # a file we opened, not standard input
            self.text.close()

    def progress(self) -> tuple[int, int] | None:
        if not self.size:
            return None
        try:
            return self.raw.tell(), self.size
        except (OSError, ValueError):
            return None


def drop_blank(lines: list[str], numbers: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``lines`` without those holding only whitespace."""
    keep = [k for k, line in enumerate(lines) if line.strip()]
    return [lines[k] for k in keep], numbers[keep]


@dataclass
class _Rows:
    """Rows of a CSV/TSV input: each row's text, the line it starts on and,
    for rows the csv module read, its fields."""

    texts: list[str]
    numbers: np.ndarray
    fields: list[list[str]] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def split(self, k: int, delimiter: str) -> list[str]:
        """Row ``k``'s fields (a row without quotes splits at every delimiter)."""
        return self.fields[k] if self.fields is not None else self.texts[k].split(delimiter)

    def nonblank(self) -> _Rows:
        """The rows that hold more than whitespace (the csv module's rows hold no others)."""
        if self.fields is not None:
            return self
        texts, numbers = drop_blank(self.texts, self.numbers)
        return _Rows(texts, numbers)


class _DelimitedReader(_TextReader):
    """CSV or TSV with a header row."""

    def __init__(self, text: IO[str], kind: str, symbols: Sequence[str], chunk_rows: int,
                 size: int | None, raw: IO[bytes]):
        super().__init__(text, size, raw)
        self.kind = kind
        self.delimiter = "\t" if kind == "tsv" else ","
        self.chunk_rows = chunk_rows
        header = _Rows([], _no_lines())
        while not header:
            rows = self._rows(1)
            if rows is None:
                raise PointsError("--points: the input is empty (expected a header row naming the columns)")
            header = rows.nonblank()
        self.header = header.texts[0]
        self.columns = [name.strip() for name in header.split(0, self.delimiter)]
        self.names = self.columns
        self.width = len(self.columns)
        self.usecols = []
        for name in symbols:
            found = [i for i, column in enumerate(self.columns) if column == name]
            if len(found) > 1:
                raise PointsError(f"--points: column {name} appears {len(found)} times in the header")
            if not found:
                raise missing_columns(symbols, self.columns)
            self.usecols.append(found[0])
        self.symbols = list(symbols)

    def chunks(self) -> Iterator[Chunk]:
        while True:
            rows = self._rows(self.chunk_rows)
            if rows is None:
                return
            if not rows:
                continue
            try:
                values = self._parse(rows)
            except ValueError:
                # lines of only spaces are dropped here: checking every line
                # for them would cost more than the parsing
                rows = rows.nonblank()
                if not rows:
                    continue
                try:
                    values = self._parse(rows)
                except ValueError:
                    raise self._explain(rows) from None
            check_finite(values, rows.numbers, self.symbols)
            yield Chunk(values, rows.numbers, raw=rows.texts)

    def _rows(self, count: int) -> _Rows | None:
        """The next ``count`` lines as rows (without empty lines); None at the end."""
        import numpy as np

        lines = self.lines.take(count)
        if not lines:
            return None
        first = self.lines.number - len(lines) + 1
        if any(map(operator.contains, lines, itertools.repeat(_QUOTE))):
            return self._quoted_rows(lines, first)
        numbers = np.arange(first, first + len(lines))
        if "" in lines:
            keep = [k for k, line in enumerate(lines) if line]
            lines, numbers = [lines[k] for k in keep], numbers[keep]
        return _Rows(lines, numbers)

    def _quoted_rows(self, lines: list[str], first: int) -> _Rows:
        """Rows as ``csv.reader`` reads them from ``lines`` on; the last may go
        on past them (a quoted field holding a newline), and its lines are read."""
        import numpy as np

        start = 0  # the index in ``lines`` of the row being read
        given = len(lines)

        def feed() -> Iterator[str]:
            for k in range(given):
                yield lines[k] + "\n"
            size = sum(map(len, lines[start:])) + given - start
            while (line := self.lines.next_line()) is not None:
                size += len(line) + 1
                if size > limits.MAX_LINE_CHARS:
                    raise PointsError(f"--points: the row from line {first + start} on is longer than "
                                      f"{limits.MAX_LINE_CHARS:,} characters (is a closing quote missing?)")
                lines.append(line)
                yield line + "\n"
            # csv reads on past a line only inside a quoted field
            raise PointsError(f"--points: line {first + start}: a quoted field is not closed "
                              "by the end of the input")

        reader = csv.reader(feed(), delimiter=self.delimiter)
        texts: list[str] = []
        numbers: list[int] = []
        fields: list[list[str]] = []
        with _field_size_limit(limits.MAX_LINE_CHARS):
            while reader.line_num < given:
                try:
                    row = next(reader)
                except csv.Error as err:
                    raise _csv_error(err, first + start) from None
                end = reader.line_num
                text = lines[start] if end == start + 1 else "\n".join(lines[start:end])
                if row and text.strip():
                    texts.append(text)
                    numbers.append(first + start)
                    fields.append(row)
                start = end
        return _Rows(texts, np.array(numbers, dtype=np.int64), fields)

    def _parse(self, rows: _Rows) -> np.ndarray:
        import numpy as np

        # NumPy reads only the columns it is asked for: a row with too many
        # or too few fields must be caught here
        if rows.fields is not None:
            if list(map(len, rows.fields)).count(self.width) != len(rows):
                raise ValueError("field count")
        else:
            counts = map(str.count, rows.texts, itertools.repeat(self.delimiter))
            if list(counts).count(self.width - 1) != len(rows):
                raise ValueError("field count")
        if not self.usecols:
            # no symbol comes from the file; still every row must be a row
            if not all(map(str.strip, rows.texts)):
                raise ValueError("blank line")
            return np.empty((len(rows), 0))
        values = np.loadtxt(rows.texts, delimiter=self.delimiter, usecols=self.usecols,
                            dtype=float, ndmin=2, comments=None, quotechar=_QUOTE)
        if values.shape[0] != len(rows):
            raise ValueError("row count")
        return values

    def _explain(self, rows: _Rows) -> PointsError:
        """The first bad row of a chunk NumPy refused, as an error naming it."""
        for k, number in enumerate(rows.numbers):
            fields = rows.split(k, self.delimiter)
            if len(fields) != self.width:
                return PointsError(f"--points: line {number}: expected {self.width} columns, "
                                   f"found {len(fields)}")
            for name, index in zip(self.symbols, self.usecols):
                if not self._is_number(fields[index]):
                    return PointsError(f"--points: line {number}: value of {name} is not a number: "
                                       f"{fields[index].strip()!r}")
        return PointsError(f"--points: cannot read the rows from line {rows.numbers[0]} on")

    def _is_number(self, field: str) -> bool:
        """Does NumPy read ``field`` as one number (as it reads the rows)?"""
        import numpy as np

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an empty field: "input contained no data"
            try:
                value = np.loadtxt([field], delimiter=self.delimiter, dtype=float, ndmin=1,
                                   comments=None)
            except ValueError:
                return False
        return bool(value.size == 1)


def _no_lines() -> np.ndarray:
    import numpy as np

    return np.empty(0, dtype=np.int64)


@contextlib.contextmanager
def _field_size_limit(limit: int) -> Iterator[None]:
    """csv's field size limit (a process-wide setting) at ``limit`` for a while."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _csv_error(err: csv.Error, line: int) -> PointsError:
    if "field limit" in str(err):
        return PointsError(f"--points: line {line}: a field is longer than {limits.MAX_LINE_CHARS:,} "
                           "characters (is a closing quote missing?)")
    return PointsError(f"--points: line {line}: not CSV ({err})")


class _JsonLinesReader(_TextReader):
    """One JSON object per line: ``{"x": 1, "y": 2.5, "label": "a"}``."""

    kind = "jsonl"

    def __init__(self, text: IO[str], symbols: Sequence[str], chunk_rows: int,
                 size: int | None, raw: IO[bytes]):
        super().__init__(text, size, raw)
        self.symbols = list(symbols)
        self.chunk_rows = chunk_rows

    def chunks(self) -> Iterator[Chunk]:
        import numpy as np

        wanted = set(self.symbols)
        while True:
            lines = self.lines.take(self.chunk_rows)
            if not lines:
                return
            first = self.lines.number - len(lines) + 1
            lines, numbers = drop_blank(lines, np.arange(first, first + len(lines)))
            if not lines:
                continue
            values = np.empty((len(lines), len(self.symbols)))
            extra: list[dict[str, Any]] = []
            for row, (line, number) in enumerate(zip(lines, numbers)):
                record = _json_object(line, number)
                for k, name in enumerate(self.symbols):
                    if name not in record:
                        raise PointsError(f"--points: line {number}: no value for {name}")
                    value = record[name]
                    if isinstance(value, bool) or not isinstance(value, (int, float)):
                        raise PointsError(f"--points: line {number}: value of {name} is not a "
                                          f"number: {json.dumps(value)}")
                    try:
                        values[row, k] = value
                    except OverflowError:
                        values[row, k] = math.inf
                if self.given and not self.given.isdisjoint(record):
                    clash = min(self.given.intersection(record))
                    raise given_twice(clash, f"line {number} of the input")
                extra.append({key: v for key, v in record.items() if key not in wanted})
            check_finite(values, numbers, self.symbols)
            yield Chunk(values, numbers, extra=extra)


def _json_object(line: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError as err:  # bad JSON, or an integer too long to convert
        reason = err.msg if isinstance(err, json.JSONDecodeError) else str(err).split(":")[0]
        raise PointsError(f"--points: line {number}: not JSON ({reason})") from None
    except RecursionError:
        raise PointsError(f"--points: line {number}: JSON nested too deeply") from None
    if not isinstance(record, dict):
        raise PointsError(f"--points: line {number}: expected a JSON object")
    return record
