"""Reading and writing many points, in chunks, in constant memory.

Inputs (:func:`open_points`): CSV or TSV with a header row naming the
columns, JSON Lines (one object ``{name: number}`` per line), ``.npy`` (a
2-D array whose columns are the job's symbols in order: the variables in
``--wrt`` order, then the parameters) and ``.npz`` (one 1-D array per symbol
name, or a single 2-D array laid out as for ``.npy``). Each reader yields
:class:`Chunk` objects of at most ``chunk_rows`` rows.

Outputs (:func:`open_writer`): CSV (or TSV, for TSV input) that repeats the
input columns untouched and appends one column per entry; JSON Lines in the
layout of a point of the JSON output; ``.npy`` (rows × entries), ``.npz``
(one array per symbol and per entry) and ``.parquet`` (needs pyarrow). The
binary writers stream too: ``.npy`` by rewriting its header at the end,
``.npz`` by writing one ``.npy`` per column and zipping them.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import os
import shutil
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, cast

from .errors import ExitCode, SymgradError
from .results import plain_float

if TYPE_CHECKING:
    import numpy as np

#: Rows per chunk: large enough to amortise per-call costs, small enough
#: that memory stays flat (a few MiB per chunk).
DEFAULT_CHUNK_ROWS = 65_536
#: Characters read from a text input at a time.
READ_CHARS = 1 << 20
#: Longest line a text input may have (a file without newlines is refused,
#: not read into memory whole).
MAX_LINE_CHARS = 1 << 20

INPUT_KINDS = ("csv", "tsv", "jsonl", "npy", "npz")
OUTPUT_KINDS = ("csv", "tsv", "jsonl", "npy", "npz", "parquet")

_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGIC = b"PK\x03\x04"


class PointsError(SymgradError):
    """Bad points input or output: a usage error that names the place."""

    exit_code = ExitCode.USAGE


@dataclass
class Chunk:
    """Some consecutive rows of the input.

    ``values[row, k]`` is symbol ``k``'s value; ``lines`` holds each row's
    line number in the input (1-based; the row index for binary inputs);
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
    #: The raw header line (CSV/TSV), repeated in CSV output.
    header: str | None = None
    delimiter: str = ","
    #: Total number of rows when known in advance (binary inputs).
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
        reader: PointsReader = _BinaryReader(buffered, source, kind, symbols, chunk_rows)
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
        raise _given_twice(clash[0], "a column of the input")
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


def _given_twice(name: str, where: str) -> PointsError:
    return PointsError(f"--points: {name} is given by both --at and {where}")


def _missing(symbols: Sequence[str], have: Sequence[str]) -> PointsError:
    missing = [s for s in symbols if s not in have]
    shown = ", ".join(have) if have else "nothing"
    plural = "s" if len(missing) > 1 else ""
    return PointsError(f"--points: missing column{plural} {', '.join(missing)} (the input has {shown})")


class _TextReader(PointsReader):
    def __init__(self, text: IO[str], size: int | None, raw: IO[bytes]):
        self.text = text
        self.size = size
        self.raw = raw
        self.line_number = 0
        self._pending: list[str] = []  # complete lines read ahead
        self._next = 0  # index of the next of them to hand out
        self._partial = ""  # the start of a line whose end is not read yet

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

    def _next_lines(self, count: int) -> tuple[list[str], np.ndarray]:
        """Up to ``count`` non-empty lines (newline stripped) and their line numbers.

        Empty lines are dropped here; lines of only spaces are left for
        :func:`drop_blank` (checking every line for them would cost more
        than the parsing).
        """
        import numpy as np

        lines: list[str] = []
        numbers: list[np.ndarray] = []
        while len(lines) < count:
            if self._next >= len(self._pending) and not self._fill():
                break
            got = self._pending[self._next : self._next + count - len(lines)]
            self._next += len(got)
            first = self.line_number + 1
            self.line_number += len(got)
            index = np.arange(first, first + len(got))
            if "" in got:
                keep = [k for k, line in enumerate(got) if line]
                got = [got[k] for k in keep]
                index = index[keep]
            lines += got
            numbers.append(index)
        return lines, np.concatenate(numbers) if numbers else np.empty(0, dtype=np.int64)

    def _fill(self) -> bool:
        """Read the next block of complete lines into ``_pending``; False at the end."""
        while True:
            try:
                block = self.text.read(READ_CHARS)
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
            if len(self._partial) > MAX_LINE_CHARS:
                raise PointsError(f"--points: line {self.line_number + len(pending) + 1} is longer "
                                  f"than {MAX_LINE_CHARS:,} characters")
            if pending:
                self._pending, self._next = pending, 0
                return True


def drop_blank(lines: list[str], numbers: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``lines`` without those holding only whitespace."""
    keep = [k for k, line in enumerate(lines) if line.strip()]
    return [lines[k] for k in keep], numbers[keep]


class _DelimitedReader(_TextReader):
    """CSV or TSV with a header row."""

    def __init__(self, text: IO[str], kind: str, symbols: Sequence[str], chunk_rows: int,
                 size: int | None, raw: IO[bytes]):
        super().__init__(text, size, raw)
        self.kind = kind
        self.delimiter = "\t" if kind == "tsv" else ","
        self.chunk_rows = chunk_rows
        header: list[str] = []
        while not header:
            got, numbers = self._next_lines(1)
            if not got:
                break  # end of input
            header, _ = drop_blank(got, numbers)
        if not header:
            raise PointsError("--points: the input is empty (expected a header row naming the columns)")
        self.header = header[0]
        self.columns = [name.strip() for name in next(csv.reader([self.header], delimiter=self.delimiter))]
        self.names = self.columns
        self.width = len(self.columns)
        self.usecols = []
        for name in symbols:
            found = [i for i, column in enumerate(self.columns) if column == name]
            if len(found) > 1:
                raise PointsError(f"--points: column {name} appears {len(found)} times in the header")
            if not found:
                raise _missing(symbols, self.columns)
            self.usecols.append(found[0])
        self.symbols = list(symbols)

    def chunks(self) -> Iterator[Chunk]:

        while True:
            lines, numbers = self._next_lines(self.chunk_rows)
            if not lines:
                return
            try:
                values = self._parse(lines)
            except ValueError:
                lines, numbers = drop_blank(lines, numbers)
                if not lines:
                    continue
                try:
                    values = self._parse(lines)
                except ValueError:
                    raise self._explain(lines, numbers) from None
            _check_finite(values, numbers, self.symbols)
            yield Chunk(values, numbers, raw=lines)

    def _parse(self, lines: list[str]) -> np.ndarray:
        import numpy as np

        # NumPy reads only the columns it is asked for: a row with too many
        # or too few fields must be caught here (the csv module splits only
        # the rows whose delimiters do not add up: quoted fields, bad rows)
        d = self.delimiter
        counts = list(map(str.count, lines, itertools.repeat(d)))
        if counts.count(self.width - 1) != len(lines):
            for line, count in zip(lines, counts):
                if count != self.width - 1 and \
                        len(next(csv.reader([line], delimiter=d))) != self.width:
                    raise ValueError("field count")
        if not self.usecols:
            # no symbol comes from the file; still every row must be a row
            for line in lines:
                if not line.strip():
                    raise ValueError("blank line")
            return np.empty((len(lines), 0))
        values = np.loadtxt(lines, delimiter=self.delimiter, usecols=self.usecols,
                            dtype=float, ndmin=2, comments=None, quotechar='"')
        if values.shape[0] != len(lines):
            raise ValueError("row count")
        return values

    def _explain(self, lines: list[str], numbers: Sequence[int] | np.ndarray) -> PointsError:
        """The first bad row of a chunk NumPy refused, as an error naming it."""
        for line, number in zip(lines, numbers):
            fields = next(csv.reader([line], delimiter=self.delimiter))
            if len(fields) != self.width:
                return PointsError(f"--points: line {number}: expected {self.width} columns, "
                                   f"found {len(fields)}")
            for name, index in zip(self.symbols, self.usecols):
                try:
                    float(fields[index])
                except ValueError:
                    return PointsError(f"--points: line {number}: value of {name} is not a number: "
                                       f"{fields[index].strip()!r}")
        return PointsError(f"--points: cannot read the rows from line {numbers[0]} on")


def _check_finite(values: np.ndarray, numbers: Sequence[int] | np.ndarray, symbols: Sequence[str],
                  where: str = "line") -> None:
    import numpy as np

    finite = np.isfinite(values)
    if not finite.all():
        row, column = np.argwhere(~finite)[0]
        raise PointsError(f"--points: {where} {numbers[row]}: value of {symbols[column]} is not a "
                          f"finite real number: {float(values[row, column])!r}")


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
            lines, numbers = self._next_lines(self.chunk_rows)
            if not lines:
                return
            lines, numbers = drop_blank(lines, numbers)
            values = np.empty((len(lines), len(self.symbols)))
            extra: list[dict[str, Any]] = []
            for row, (line, number) in enumerate(zip(lines, numbers)):
                try:
                    record = json.loads(line)
                except ValueError as err:  # bad JSON, or an integer too long to convert
                    reason = err.msg if isinstance(err, json.JSONDecodeError) else str(err).split(":")[0]
                    raise PointsError(f"--points: line {number}: not JSON ({reason})") from None
                except RecursionError:
                    raise PointsError(f"--points: line {number}: JSON nested too deeply") from None
                if not isinstance(record, dict):
                    raise PointsError(f"--points: line {number}: expected a JSON object")
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
                    raise _given_twice(clash, f"line {number} of the input")
                extra.append({key: v for key, v in record.items() if key not in wanted})
            _check_finite(values, numbers, self.symbols)
            yield Chunk(values, numbers, extra=extra)


class _BinaryReader(PointsReader):
    """``.npy`` (memory-mapped when it is a file, read row block by row block
    from stdin) or ``.npz`` (read whole: a zip archive needs random access)."""

    def __init__(self, stream: IO[bytes], source: str, kind: str, symbols: Sequence[str],
                 chunk_rows: int):
        import numpy as np

        self.kind = kind
        self.chunk_rows = chunk_rows
        self.symbols = list(symbols)
        self._stream: IO[bytes] | None = None
        if kind == "npy" and source == "-":
            self._open_stream(stream)
            return
        try:
            if kind == "npy" and source != "-":
                array = np.load(source, mmap_mode="r", allow_pickle=False)
            else:
                data = stream if source != "-" else io.BytesIO(stream.read())
                array = np.load(data, allow_pickle=False)
                if kind == "npz":
                    # an archive reads its members from the open file
                    array = self._from_npz(array)
        except PointsError:
            raise
        except Exception as err:  # noqa: BLE001 - NumPy's reader of a hostile file raises many kinds
            raise PointsError(f"--points: cannot read {source} as .{kind}: {_reason(err)}") from None
        finally:
            if source != "-":
                stream.close()
        if kind != "npz":
            array = self._check_matrix(array, source)
        self.array = array
        self.rows = array.shape[0]

    def _from_npz(self, archive: Any) -> Any:
        import numpy as np

        with archive:
            names = list(archive.files)
            self.names = names
            if all(name in names for name in self.symbols) and self.symbols:
                columns = [np.asarray(archive[name], dtype=float) for name in self.symbols]
                lengths = {c.shape for c in columns}
                if any(c.ndim != 1 for c in columns) or len(lengths) != 1:
                    raise PointsError("--points: the .npz arrays of the symbols must be 1-D and "
                                      "of one length")
                return np.column_stack(columns) if columns else np.empty((0, 0))
            if len(names) == 1:
                return self._check_matrix(archive[names[0]], f"the .npz array {names[0]}")
            raise _missing(self.symbols, names)

    def _open_stream(self, stream: IO[bytes]) -> None:
        """Read a ``.npy`` header from stdin and get ready to read its rows.

        A C-ordered array (what ``np.save`` writes) is then read block by
        block, so a pipe of any length takes constant memory; a
        Fortran-ordered one can only be read whole.
        """
        import numpy as np
        from numpy.lib import format as npy

        try:
            version = npy.read_magic(stream)
            if version == (1, 0):
                shape, fortran_order, dtype = npy.read_array_header_1_0(stream)
            elif version == (2, 0):
                shape, fortran_order, dtype = npy.read_array_header_2_0(stream)
            else:
                raise PointsError(f"--points: cannot read - as .npy (format version {version[0]}.{version[1]})")
        except PointsError:
            raise
        except Exception as err:  # noqa: BLE001 - NumPy's header parser raises many kinds
            raise PointsError(f"--points: cannot read - as .npy: {_reason(err)}") from None
        self._shape = self._check_layout(dtype, tuple(shape), "the .npy array")
        self._dtype = dtype
        self.rows = self._shape[0]
        if fortran_order and len(shape) > 1:
            size = math.prod(shape) * dtype.itemsize
            data = _read_up_to(stream, size)
            if len(data) < size:
                raise PointsError("--points: the .npy data from stdin ends early")
            self.array = np.frombuffer(data, dtype=dtype).reshape(self._shape, order="F")
        else:
            self._stream = stream

    def _check_layout(self, dtype: Any, shape: tuple[int, ...], what: str) -> tuple[int, int]:
        """``shape`` as (rows, symbols), or an error saying what is wrong with the array."""
        import numpy as np

        if dtype.names:
            raise PointsError(f"--points: {what} is a structured array; use a plain 2-D float array")
        if len(shape) == 1 and len(self.symbols) == 1:
            shape = (shape[0], 1)
        if len(shape) != 2 or shape[1] != len(self.symbols):
            raise PointsError(
                f"--points: {what} has shape {shape}; expected (rows, {len(self.symbols)}) "
                f"with columns {', '.join(self.symbols)}"
            )
        if not np.issubdtype(dtype, np.number) or np.issubdtype(dtype, np.complexfloating):
            raise PointsError(f"--points: {what} holds {dtype}, not real numbers")
        return shape[0], shape[1]

    def _check_matrix(self, array: Any, what: str) -> Any:
        return array.reshape(self._check_layout(array.dtype, array.shape, what))

    def chunks(self) -> Iterator[Chunk]:
        if self._stream is not None:
            yield from self._streamed_chunks(self._stream)
            return
        import numpy as np

        for start in range(0, self.array.shape[0], self.chunk_rows):
            # a copy: memory-mapped input is read-only, and the chunk is small
            values = np.array(self.array[start : start + self.chunk_rows], dtype=float)
            numbers = np.arange(start + 1, start + 1 + values.shape[0])
            _check_finite(values, numbers, self.symbols, "row")
            yield Chunk(values, numbers)

    def _streamed_chunks(self, stream: IO[bytes]) -> Iterator[Chunk]:
        import numpy as np

        rows, width = self._shape
        row_bytes = width * self._dtype.itemsize
        start = 0
        while start < rows:
            count = min(self.chunk_rows, rows - start)
            data = _read_up_to(stream, count * row_bytes)
            got = len(data) // row_bytes if row_bytes else count  # no columns: nothing to read
            if got < count:
                raise PointsError(f"--points: the .npy data from stdin ends after {start + got:,} "
                                  f"of {rows:,} rows")
            values = np.frombuffer(data, dtype=self._dtype).reshape(count, width).astype(float)
            numbers = np.arange(start + 1, start + 1 + count)
            _check_finite(values, numbers, self.symbols, "row")
            yield Chunk(values, numbers)
            start += count


def _read_up_to(stream: IO[bytes], size: int, piece: int = 1 << 24) -> bytes:
    """``size`` bytes of ``stream``, or fewer at its end; memory grows only with what arrives.

    (A header may claim any size: one ``read(size)`` would reserve it all.)
    """
    parts = []
    left = size
    while left > 0:
        block = stream.read(min(left, piece))
        if not block:
            break
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


def _reason(err: BaseException) -> str:
    """An exception from NumPy's reader as one line for the user."""
    from tokenize import TokenError

    if isinstance(err, (SyntaxError, TokenError)):
        return "its header is not a valid .npy header"
    text = str(err).splitlines()[0] if str(err) else ""
    return text or type(err).__name__


# -- writers -------------------------------------------------------------


class PointsWriter:
    """Writes the values of each chunk; :meth:`close` finishes the output."""

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the output (write headers, zip members)."""

    def abort(self) -> None:
        """Stop after an error: release files, finish nothing."""


def output_kind(path: str) -> str:
    """The output format of ``--output PATH``, from its suffix."""
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    aliases = {"tab": "tsv", "ndjson": "jsonl", "json": "jsonl"}
    kind = aliases.get(suffix, suffix)
    if kind not in OUTPUT_KINDS:
        raise PointsError(
            f"--output: cannot tell the format of {path!r} from its suffix; use one of "
            + ", ".join(f".{k}" for k in OUTPUT_KINDS)
        )
    return kind


@dataclass(frozen=True)
class Columns:
    """What the writers need to know about the columns."""

    symbols: list[str]
    entries: list[str]
    #: A function turning one row of entry values into the JSON point layout.
    layout: Any = None


def open_writer(kind: str, stream: IO[str] | None, path: str | None, reader: PointsReader,
                columns: Columns) -> PointsWriter:
    """A writer of ``kind`` to a text ``stream`` (csv/tsv/jsonl) or to ``path``."""
    if kind in ("csv", "tsv", "jsonl"):
        if stream is None:
            assert path is not None
            try:
                stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by close()
            except OSError as err:
                raise PointsError(f"--output: cannot write {path}: {err.strerror}") from None
            owned = True
        else:
            owned = False
        if kind == "jsonl":
            return _JsonLinesWriter(stream, reader, columns, owned)
        delimiter = "\t" if kind == "tsv" else ","
        return _DelimitedWriter(stream, reader, columns, delimiter, owned)
    assert path is not None
    if kind == "npy":
        return _NpyWriter(path, len(columns.entries))
    if kind == "npz":
        return _NpzWriter(path, columns.symbols + columns.entries)
    return _ParquetWriter(path, columns)


class _DelimitedWriter(PointsWriter):
    def __init__(self, stream: IO[str], reader: PointsReader, columns: Columns, delimiter: str,
                 owned: bool):
        self.stream = stream
        self.owned = owned
        self.passthrough = reader.header is not None
        self.delimiter = delimiter
        # The input's own lines go out untouched when the delimiters match;
        # otherwise (CSV in, -o FILE.tsv out) their fields are re-delimited.
        self.source_delimiter = reader.delimiter
        if self.passthrough:
            head = self._passed([reader.header or ""])
        else:
            head = list(columns.symbols)
        self.header: str | None = delimiter.join([*head, *columns.entries]) + "\n"
        self.width = len(columns.entries)

    def _passed(self, lines: list[str]) -> list[str]:
        """Input lines as they go out: untouched, or re-delimited."""
        if self.source_delimiter == self.delimiter:
            return lines
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter, lineterminator="\n").writerows(
            csv.reader(lines, delimiter=self.source_delimiter))
        return out.getvalue().split("\n")[:-1]

    def _write_header(self) -> None:
        if self.header is not None:
            self.stream.write(self.header)
            self.header = None

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self._write_header()
        row_format = self.delimiter.join(["%.17g"] * self.width)
        rows = [row_format % tuple(row) for row in values.tolist()]
        if self.passthrough:
            assert chunk.raw is not None
            d = self.delimiter
            raws = self._passed(chunk.raw)
            text = "\n".join([f"{raw}{d}{row}" if row else raw for raw, row in zip(raws, rows)])
        else:
            inputs = self.delimiter.join(["%.17g"] * chunk.values.shape[1])
            text = "\n".join(
                self.delimiter.join(filter(None, (inputs % tuple(point), row)))
                for point, row in zip(chunk.values.tolist(), rows)
            )
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        self._write_header()  # an input without rows still gets its header
        self.abort()

    def abort(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()


class FirstRowsWriter(PointsWriter):
    """Holds back the first ``limit`` rows: if the input ends there, ``small``
    shows them all at once (a table); otherwise they and the rest go to
    ``large``."""

    def __init__(self, limit: int, large: PointsWriter, small: Any):
        self.limit = limit
        self.large = large
        self.small = small
        self.held: list[tuple[Chunk, Any]] = []
        self.rows = 0
        self.overflowed = False

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        if not self.overflowed:
            self.rows += values.shape[0]
            self.held.append((chunk, values))
            if self.rows <= self.limit:
                return
            self.overflowed = True
            for held_chunk, held_values in self.held:
                self.large.write(held_chunk, held_values)
            self.held = []
            return
        self.large.write(chunk, values)

    def close(self) -> None:
        if not self.overflowed:
            self.small(self.held)
        else:
            self.large.close()

    def abort(self) -> None:
        self.large.abort()


class _JsonLinesWriter(PointsWriter):
    """One JSON object a row: ``at``, the entries, and the input's other fields under ``extra``.

    JSON Lines input brings its other keys with their JSON values; CSV/TSV
    input its other columns, as the strings they are in the file.
    """

    def __init__(self, stream: IO[str], reader: PointsReader, columns: Columns, owned: bool):
        self.stream = stream
        self.columns = columns
        self.owned = owned
        self.delimiter = reader.delimiter
        self.other_columns = []
        if reader.header is not None:  # CSV/TSV: pass the columns that are not symbols
            self.other_columns = [(k, name) for k, name in enumerate(reader.names)
                                  if name not in columns.symbols]

    def _extras(self, chunk: Chunk) -> Iterable[dict[str, Any] | None]:
        if chunk.extra is not None:
            return chunk.extra
        if not self.other_columns or chunk.raw is None:
            return itertools.repeat(None)
        rows = csv.reader(chunk.raw, delimiter=self.delimiter)
        return ({name: row[k] for k, name in self.other_columns} for row in rows)

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        symbols = self.columns.symbols
        out = []
        extras = self._extras(chunk)
        for point, row, extra in zip(chunk.values.tolist(), values.tolist(), extras):
            record: dict[str, Any] = {"at": dict(zip(symbols, point))}
            record.update(self.columns.layout([plain_float(v) for v in row]))
            if extra:
                record["extra"] = extra
            out.append(json.dumps(record, separators=(", ", ": ")))
        self.stream.write("\n".join(out) + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.owned:
            self.stream.close()

    abort = close


class NpyStream:
    """A ``.npy`` file of float64 values written as they come.

    The header is written first with room for any shape and rewritten with
    the real shape at the end (the format allows trailing spaces in the
    header), so values never have to be held in memory. ``row`` is the
    shape of one row: ``(width,)`` for a table, ``()`` for a 1-D column.
    """

    _HEADER_LEN = 256

    def __init__(self, path: str, row: tuple[int, ...] = ()):
        self.path = path
        self.row = row
        self.size = 0
        try:
            self.file = open(path, "wb")  # noqa: SIM115 - closed by close()
        except OSError as err:
            raise PointsError(f"--output: cannot write {path}: {err.strerror}") from None
        self.file.write(self._header((0, *row)))

    def _header(self, shape: tuple[int, ...]) -> bytes:
        text = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
        body_len = self._HEADER_LEN - len(_NPY_MAGIC) - 4
        if len(text) >= body_len:
            raise PointsError(f"--output: an array of shape {shape} is beyond this writer")
        return _NPY_MAGIC + b"\x01\x00" + body_len.to_bytes(2, "little") + (
            text.ljust(body_len - 1) + "\n"
        ).encode("latin1")

    def write(self, values: np.ndarray) -> None:
        import numpy as np

        block = np.ascontiguousarray(values, dtype="<f8")
        self.file.write(block.tobytes())
        self.size += block.size

    def close(self, shape: tuple[int, ...] | None = None) -> None:
        """Finish the file; ``shape`` defaults to ``(rows, *row)``."""
        if shape is None:
            shape = (self.size // max(1, math.prod(self.row)), *self.row)
        if math.prod(shape) != self.size:
            raise ValueError(f"{self.size} values do not fill the shape {shape}")
        self.file.seek(0)
        self.file.write(self._header(shape))
        self.file.close()


class _NpyWriter(PointsWriter):
    def __init__(self, path: str, width: int):
        self.stream = NpyStream(path, (width,))

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self.stream.write(values)

    def close(self) -> None:
        self.stream.close()

    def abort(self) -> None:
        self.stream.file.close()


class NpzStream:
    """An ``.npz`` of named float64 arrays, written chunk by chunk.

    Each streamed column goes into its own ``.npy`` in a temporary folder;
    closing zips them under their names (``np.load(path)["df/dx"]``), with
    any whole arrays added by :meth:`add`.
    """

    def __init__(self, path: str, names: Sequence[str]):
        self.path = path
        self.folder = tempfile.mkdtemp(prefix="symgrad-")
        # fail early, before any work, if the target cannot be written
        try:
            open(path, "wb").close()
        except OSError as err:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise PointsError(f"--output: cannot write {path}: {err.strerror}") from None
        self.streams = [NpyStream(os.path.join(self.folder, f"{i}.npy")) for i in range(len(names))]
        self.members = [(name, stream.path) for name, stream in zip(names, self.streams)]

    def write(self, columns: Sequence[np.ndarray]) -> None:
        for stream, column in zip(self.streams, columns):
            stream.write(column)

    def add(self, name: str, array: np.ndarray) -> None:
        """Add a whole array as member ``name``."""
        import numpy as np

        path = os.path.join(self.folder, f"{len(self.members)}.npy")
        np.save(path, array)
        self.members.append((name, path))

    def close(self, shape: tuple[int, ...] | None = None) -> None:
        """Finish: the streamed columns get ``shape`` (default: 1-D)."""
        try:
            for stream in self.streams:
                stream.close(shape)
            with zipfile.ZipFile(self.path, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                for name, path in self.members:
                    archive.write(path, arcname=f"{name}.npy")
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary column files."""
        for stream in self.streams:
            stream.file.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class _NpzWriter(PointsWriter):
    def __init__(self, path: str, names: Sequence[str]):
        self.stream = NpzStream(path, names)

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self.stream.write([*chunk.values.T, *values.T])

    def close(self) -> None:
        self.stream.close()

    def abort(self) -> None:
        self.stream.discard()


def require_pyarrow() -> Any:
    """pyarrow's parquet module, or a usage error saying how to get it."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise PointsError(
            "--output .parquet needs pyarrow, which is not installed "
            "(pip install 'symgrad[parquet]' or pip install pyarrow)"
        ) from None
    return pa, pq


class _ParquetWriter(PointsWriter):
    def __init__(self, path: str, columns: Columns):
        self.pa, pq = require_pyarrow()
        self.names = columns.symbols + columns.entries
        schema = self.pa.schema([(name, self.pa.float64()) for name in self.names])
        try:
            self.writer = pq.ParquetWriter(path, schema)
        except OSError as err:
            raise PointsError(f"--output: cannot write {path}: {err}") from None

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        arrays = [self.pa.array(column) for column in [*chunk.values.T, *values.T]]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, names=self.names))

    def close(self) -> None:
        self.writer.close()

    abort = close
