"""Writing many points: :func:`open_writer` and the text writers.

Outputs: CSV (or TSV, for TSV input) that repeats the input rows untouched
and appends the computed columns (the function's value, when asked for, then
one column per entry); JSON Lines in the layout of a point of the
JSON output; ``.npy`` and ``.npz`` (:mod:`symgrad.points.write_npy`) and
``.parquet`` (needs pyarrow). Every double is written as
:data:`~symgrad.results.float_text` writes it, the shortest text that reads
back as the same double, as the CSV output of ``--at`` writes it too.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from ..results import float_text, plain_float
from .common import (
    OUTPUT_KINDS,
    Chunk,
    Columns,
    PointsError,
    PointsReader,
    PointsWriter,
    check_distinct,
    whole,
)
from .staged import Staged

if TYPE_CHECKING:
    import numpy as np


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


def open_writer(kind: str, stream: IO[str] | None, path: str | None, reader: PointsReader,
                columns: Columns) -> PointsWriter:
    """A writer of ``kind`` to a text ``stream`` (csv/tsv/jsonl) or to ``path``.

    Outputs that name their columns (all but JSON Lines and ``.npy``) refuse
    a symbol named as a computed column (:func:`~symgrad.points.common.check_distinct`).
    """
    if kind not in ("jsonl", "npy"):
        check_distinct(columns.symbols, columns.entries)
    if kind in ("csv", "tsv", "jsonl"):
        staged = None
        if stream is None:
            assert path is not None
            staged = Staged(path)
            with staged.writing():
                stream = open(staged.path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by close()
        if kind == "jsonl":
            return _JsonLinesWriter(_Sink(stream, staged), reader, columns)
        delimiter = "\t" if kind == "tsv" else ","
        return _DelimitedWriter(_Sink(stream, staged), reader, columns, delimiter)
    assert path is not None
    if kind in ("npy", "npz"):
        from .write_npy import NpyWriter, NpzWriter

        if kind == "npy":
            return NpyWriter(path, len(columns.entries))
        return NpzWriter(path, columns.symbols + columns.entries)
    return _ParquetWriter(path, columns)


class _Sink:
    """Where a text writer's rows go: a stream it was given (stdout), or a
    :class:`~symgrad.points.staged.Staged` file it owns, put in place by
    :meth:`close` and removed by :meth:`abort`."""

    def __init__(self, stream: IO[str], staged: Staged | None):
        self.stream = stream
        self.staged = staged

    def write(self, text: str | bytes) -> None:
        """Write rows' text; as UTF-8 bytes (a worker's, encoded there) straight to
        the file under a UTF-8 text stream, skipping this process's encoding."""
        if self.staged is None:
            self._put(text)
            self.stream.flush()
            return
        with self.staged.writing():
            self._put(text)

    def _put(self, text: str | bytes) -> None:
        if isinstance(text, str):
            self.stream.write(text)
            return
        binary = getattr(self.stream, "buffer", None)
        utf8 = codecs.lookup(getattr(self.stream, "encoding", None) or "ascii").name == "utf-8"
        if binary is None or not utf8 or os.linesep != "\n":  # (a Windows stdout translates "\n")
            self.stream.write(text.decode("utf-8"))  # the stream's own encoding and error handling
            return
        self.stream.flush()  # what the text layer holds (the header) goes first
        binary.write(text)

    def close(self) -> None:
        if self.staged is None:
            self.stream.flush()
            return
        with self.staged.writing():
            self.stream.close()  # closes the file even when its last flush fails
        self.staged.commit()

    def abort(self) -> None:
        if self.staged is None:
            self.stream.flush()
            return
        with contextlib.suppress(OSError):  # a full disk fails the last flush too
            self.stream.close()
        self.staged.discard()


def delimited_rows(values: np.ndarray, delimiter: str) -> Iterator[str]:
    """Each row of ``values`` as text: its doubles as :data:`float_text` writes them, delimited."""
    rows, width = values.shape
    if width == 0:
        return itertools.repeat("", rows)
    texts = map(float_text, values.ravel().tolist())
    # one iterator, ``width`` times over: zip takes its values a row at a time
    return map(delimiter.join, zip(*[texts] * width))


class _DelimitedWriter(PointsWriter):
    def __init__(self, sink: _Sink, reader: PointsReader, columns: Columns, delimiter: str):
        self.sink = sink
        self.rows = DelimitedRows(reader.header is not None, delimiter, reader.delimiter,
                                  len(columns.entries))
        if self.rows.passthrough:
            head = self.rows.passed([reader.header or ""])
        else:
            head = list(columns.symbols)
        self.header: str | None = delimiter.join([*head, *columns.entries]) + "\n"

    def _write_header(self) -> None:
        if self.header is not None:
            self.sink.write(self.header)
            self.header = None

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self.write_rendered(self.rows(chunk, values))

    def renderer(self) -> DelimitedRows:
        return self.rows

    def write_rendered(self, rendered: Any) -> None:
        self._write_header()
        self.sink.write(rendered)

    def close(self) -> None:
        try:
            self._write_header()  # an input without rows still gets its header
        except BaseException:
            self.sink.abort()
            raise
        self.sink.close()

    def abort(self) -> None:
        self.sink.abort()


@dataclass(frozen=True)
class DelimitedRows:
    """The text of a chunk's rows in CSV/TSV output (it holds no file: a
    worker of ``--workers`` writes the text, the main process writes it out)."""

    #: Does the output repeat the input's rows (CSV/TSV input)?
    passthrough: bool
    delimiter: str
    #: The input's delimiter. The input's own rows go out untouched when the
    #: delimiters match; otherwise (CSV in, -o FILE.tsv out) their fields are re-delimited.
    source_delimiter: str
    #: How many computed columns there are.
    width: int

    def passed(self, rows: list[str]) -> list[str]:
        """Input rows as they go out: untouched, or re-delimited (a row may hold a quoted newline)."""
        if self.source_delimiter == self.delimiter:
            return rows
        out = io.StringIO()
        # "\n" as the line end: csv quotes a field holding one
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator="\n")
        passed = []
        for fields in csv.reader(rows, delimiter=self.source_delimiter):
            out.seek(0)
            out.truncate()
            writer.writerow(fields)
            passed.append(out.getvalue()[:-1])
        return passed

    def __call__(self, chunk: Chunk, values: np.ndarray) -> str:
        import numpy as np

        if not self.passthrough:
            rows: Iterable[str] = delimited_rows(np.hstack([chunk.values, values]), self.delimiter)
        elif self.width:
            assert chunk.raw is not None
            rows = map(self.delimiter.join,
                       zip(self.passed(chunk.raw), delimited_rows(values, self.delimiter)))
        else:
            assert chunk.raw is not None
            rows = self.passed(chunk.raw)
        return "\n".join(rows) + "\n"


class FirstRowsWriter(PointsWriter):
    """Holds back the first ``limit`` rows: if the input ends there, ``small``
    shows them all at once (a table); otherwise they and the rest go to
    ``large``."""

    def __init__(self, limit: int, large: PointsWriter,
                 small: Callable[[list[tuple[Chunk, np.ndarray]]], None]):
        self.limit = limit
        self.large = large
        self.small = small
        self.held: list[tuple[Chunk, np.ndarray]] = []
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

    def renderer(self) -> Callable[[Chunk, np.ndarray], Any]:
        return whole

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
    input its other columns, as the strings they are in the file. Doubles
    are written by the JSON encoder, which writes them as float_text does.
    """

    def __init__(self, sink: _Sink, reader: PointsReader, columns: Columns):
        assert columns.layout is not None, "JSON Lines output needs the JSON layout of a row"
        self.sink = sink
        other_columns: list[tuple[int, str]] = []
        if reader.header is not None:  # CSV/TSV: pass the columns that are not symbols
            other_columns = [(k, name) for k, name in enumerate(reader.names)
                             if name not in columns.symbols]
        self.rows = JsonRows(tuple(columns.symbols), columns.layout, reader.delimiter,
                             tuple(other_columns))

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self.write_rendered(self.rows(chunk, values))

    def renderer(self) -> JsonRows:
        return self.rows

    def write_rendered(self, rendered: Any) -> None:
        self.sink.write(rendered)

    def close(self) -> None:
        self.sink.close()

    def abort(self) -> None:
        self.sink.abort()


@dataclass(frozen=True)
class JsonRows:
    """The text of a chunk's rows in JSON Lines output (it holds no file)."""

    symbols: tuple[str, ...]
    layout: Callable[[Sequence[Any]], dict[str, Any]]
    delimiter: str
    other_columns: tuple[tuple[int, str], ...]

    def _extras(self, chunk: Chunk) -> Iterable[dict[str, Any] | None]:
        if chunk.extra is not None:
            return chunk.extra
        if not self.other_columns or chunk.raw is None:
            return itertools.repeat(None)
        rows = csv.reader(chunk.raw, delimiter=self.delimiter)
        return ({name: row[k] for k, name in self.other_columns} for row in rows)

    def __call__(self, chunk: Chunk, values: np.ndarray) -> str:
        out = []
        extras = self._extras(chunk)
        for point, row, extra in zip(chunk.values.tolist(), values.tolist(), extras):
            record: dict[str, Any] = {"at": dict(zip(self.symbols, point))}
            record.update(self.layout([plain_float(v) for v in row]))
            if extra:
                record["extra"] = extra
            out.append(json.dumps(record, separators=(", ", ": ")))
        return "\n".join(out) + "\n"


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
        self.staged = Staged(path)
        with self.staged.writing():
            self.writer = pq.ParquetWriter(self.staged.path, schema)

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        arrays = [self.pa.array(column) for column in [*chunk.values.T, *values.T]]
        with self.staged.writing():
            self.writer.write_table(self.pa.Table.from_arrays(arrays, names=self.names))

    def close(self) -> None:
        with self.staged.writing():
            self.writer.close()
        self.staged.commit()

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.writer.close()
        self.staged.discard()
