"""CSV and TSV inputs of many points, read as the csv module reads them.

A quoted field may hold the delimiter, a doubled quote or a newline, and
such a row spans several lines: it is numbered by the line it starts on
(csv's ``line_num`` counts the lines read). A block of lines without any
quote character is what ``csv.reader`` would split at every delimiter, and
NumPy reads it without the csv module (several times faster); NumPy also
turns the fields into doubles, for every block. csv's field size limit is
:data:`~symgrad.points.common.MAX_LINE_CHARS` while a block is read, and a
row going on past it (a quote left open) is refused as soon as it does.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import operator
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from . import common as points_types
from .common import Chunk, PointsError, check_finite, missing_columns
from .read_text import Lines, TextReader, drop_blank

if TYPE_CHECKING:
    import numpy as np

_QUOTE = '"'


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


def _plain_rows(lines: list[str], first: int) -> _Rows:
    """Lines without quotes, the first numbered ``first``, as rows (empty lines left out)."""
    import numpy as np

    numbers = np.arange(first, first + len(lines))
    if "" in lines:
        keep = [k for k, line in enumerate(lines) if line]
        lines, numbers = [lines[k] for k in keep], numbers[keep]
    return _Rows(lines, numbers)


@dataclass
class _Block:
    """Lines of a CSV/TSV input as its bytes: ASCII, no quote or carriage
    return, each line ending in a newline; ``first`` is the first's number."""

    data: bytes
    first: int

    def rows(self) -> _Rows:
        lines = self.data.decode("ascii").split("\n")
        lines.pop()  # after the last newline
        return _plain_rows(lines, self.first)


class DelimitedReader(TextReader):
    """CSV or TSV with a header row."""

    def __init__(self, lines: Lines, kind: str, symbols: Sequence[str], chunk_rows: int,
                 size: int | None, raw: IO[bytes]):
        super().__init__(lines, size, raw)
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
        parse = self.parser()
        for rows in self.pieces():
            chunk = parse(rows)
            if chunk is not None:
                yield chunk

    def pieces(self) -> Iterator[_Rows | _Block]:
        """The rows' text, a chunk at a time (their fields are read by :meth:`parser`).

        A chunk of a file without quotes, carriage returns or anything but
        ASCII is a :class:`_Block` of its bytes, which :meth:`parser` splits
        into rows (in a worker of ``--workers``, not in the process reading
        the file); any other chunk is read here, as :meth:`_rows` reads it.
        """
        while True:
            block = self.lines.take_block(self.chunk_rows, points_types.MAX_CHUNK_CHARS, _QUOTE.encode())
            if block is not None:
                yield _Block(*block)
                continue
            rows = self._rows(self.chunk_rows)
            if rows is None:
                return
            if rows:
                yield rows

    def parser(self) -> RowParser:
        return RowParser(self.delimiter, self.width, tuple(self.usecols), tuple(self.symbols))

    def _rows(self, count: int) -> _Rows | None:
        """The next ``count`` lines as rows (without empty lines); None at the end."""
        lines = self.lines.take(count, points_types.MAX_CHUNK_CHARS)
        if not lines:
            return None
        first = self.lines.number - len(lines) + 1
        if any(map(operator.contains, lines, itertools.repeat(_QUOTE))):
            return self._quoted_rows(lines, first)
        return _plain_rows(lines, first)

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
                if size > points_types.MAX_LINE_CHARS:
                    raise PointsError(f"--points: the row from line {first + start} on is longer than "
                                      f"{points_types.MAX_LINE_CHARS:,} characters (is a closing quote missing?)")
                lines.append(line)
                yield line + "\n"
            # csv reads on past a line only inside a quoted field
            raise PointsError(f"--points: line {first + start}: a quoted field is not closed "
                              "by the end of the input")

        reader = csv.reader(feed(), delimiter=self.delimiter)
        texts: list[str] = []
        numbers: list[int] = []
        fields: list[list[str]] = []
        with _field_size_limit(points_types.MAX_LINE_CHARS):
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


@dataclass(frozen=True)
class RowParser:
    """Turns the rows of a CSV/TSV input into a chunk of doubles (in the main
    process, or in a worker of ``--workers``: it holds no file)."""

    delimiter: str
    width: int
    usecols: tuple[int, ...]
    symbols: tuple[str, ...]

    def __call__(self, rows: _Rows | _Block) -> Chunk | None:
        """The chunk of ``rows``; None if they are all blank."""
        if isinstance(rows, _Block):
            rows = rows.rows()
            if not rows:
                return None  # only empty lines
        try:
            values = self._parse(rows)
        except ValueError:
            # lines of only spaces are dropped here: checking every line
            # for them would cost more than the parsing
            rows = rows.nonblank()
            if not rows:
                return None
            try:
                values = self._parse(rows)
            except ValueError:
                raise self._explain(rows) from None
        check_finite(values, rows.numbers, self.symbols)
        return Chunk(values, rows.numbers, raw=rows.texts)

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
        values = np.loadtxt(rows.texts, delimiter=self.delimiter, usecols=list(self.usecols),
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
        return PointsError(f"--points: line {line}: a field is longer than {points_types.MAX_LINE_CHARS:,} "
                           "characters (is a closing quote missing?)")
    return PointsError(f"--points: line {line}: not CSV ({err})")
