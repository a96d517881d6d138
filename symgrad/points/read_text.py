"""Text inputs of many points read a block of lines at a time, and the JSON Lines reader.

:class:`Lines` reads a text stream in blocks of
:data:`~symgrad.points.common.READ_CHARS` characters and hands out lines; a
line longer than :data:`~symgrad.points.common.MAX_LINE_CHARS` is refused
after reading at most that much. :class:`TextReader` is the base of the
CSV/TSV reader (:mod:`symgrad.points.read_csv`) and of
:class:`JsonLinesReader` (one object ``{name: number}`` per line).
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from . import common as points_types
from .common import Chunk, PointsError, PointsReader, check_finite, given_twice

if TYPE_CHECKING:
    import numpy as np


class Lines:
    """The lines of a text input, read a block at a time: line ends dropped,
    empty lines kept, ``number`` the count of lines handed out so far.

    ``read(n)`` returns at most ``n`` bytes, waiting only until some arrive
    (``read1``); ``ready()``, when given, says whether more bytes can be read
    without waiting (a pipe): :meth:`take` then hands out the lines that have
    arrived rather than wait for a full chunk from a slow producer.
    """

    def __init__(self, read: Callable[[int], bytes], ready: Callable[[], bool] | None = None):
        self.read = read
        self.ready = ready
        # utf-8-sig: a byte order mark (spreadsheets write one) is not part of the first name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.number = 0
        self._pending: list[str] = []  # complete lines read ahead
        self._next = 0  # index of the next of them to hand out
        self._partial = ""  # text read but not split yet: the start of a line (and whole lines, after take_block)
        self._short = False  # the last read got less than it asked for: the input had no more then

    def take(self, count: int, max_chars: int | None = None) -> list[str]:
        """The next ``count`` lines, fewer at the end of the input, once they
        hold ``max_chars`` characters, or when no more have arrived yet."""
        lines: list[str] = []
        chars = 0
        while len(lines) < count and (max_chars is None or chars < max_chars):
            if self._next >= len(self._pending):
                if lines and not self._more_now():
                    break
                if not self._fill():
                    break
            got = self._pending[self._next : self._next + count - len(lines)]
            if max_chars is not None:
                size = sum(map(len, got))
                if chars + size > max_chars:
                    # as many as fit (at least one line a chunk)
                    fit = bisect.bisect_right(list(itertools.accumulate(map(len, got))), max_chars - chars)
                    got = got[: max(fit, 0 if lines else 1)]
                    size = sum(map(len, got))
                    if not got:
                        break
                chars += size
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

    def _more_now(self) -> bool:
        """Can more be read without waiting for the input?"""
        return not self._short or self.ready is None or self.ready()

    def take_block(self, count: int, max_chars: int, refuse: bytes) -> tuple[bytes, int] | None:
        """The next ``count`` lines as the input's own bytes, each ending in a
        newline, and the number of the first; None where :meth:`take` must
        read them instead (it then will: the bytes read are its lines now).

        That is: an input that may be slow (a pipe), the end of the
        input within ``count`` lines, more than ``max_chars``
        characters in them, or bytes a block must not hold: anything but
        ASCII, a carriage return, or ``refuse`` (the CSV quote). A block is
        then exactly the lines :meth:`take` would hand out, found by
        counting newlines (NumPy) without decoding or splitting them: a
        worker of ``--workers`` does that. The reads are those :meth:`take` makes,
        and a line too long is refused at the same read.
        """
        if self.ready is not None or self.decoder.getstate() != (b"", 0):
            return None
        if self._next < len(self._pending):  # lines read ahead: they are read again, as text
            self._partial = "\n".join(self._pending[self._next :]) + "\n" + self._partial
            self._pending, self._next = [], 0
        if not self._partial.isascii() or "\r" in self._partial or refuse.decode() in self._partial:
            return None
        carried = self._partial.encode("ascii")
        parts, counts = [carried], [_newlines(carried)]
        newlines = counts[0]
        last_line_start = carried.rfind(b"\n") + 1
        size = len(carried)
        while newlines < count:
            want = points_types.READ_CHARS
            data = self.read(want)
            self._short = len(data) < want
            if not data or not data.isascii() or b"\r" in data or refuse in data:
                self._take_in(b"".join(parts[1:]) + data)  # (at the end: the last lines, read by take)
                return None
            parts.append(data)
            counts.append(_newlines(data))
            newlines += counts[-1]
            end = data.rfind(b"\n")
            if end >= 0:
                last_line_start = size + end + 1
            size += len(data)
            if size - last_line_start > points_types.MAX_LINE_CHARS:
                raise PointsError(f"--points: line {self.number + newlines + 1} is longer "
                                  f"than {points_types.MAX_LINE_CHARS:,} characters")
        cut = _end_of_line(parts, counts, count)
        block = b"".join(parts)
        if cut - count > max_chars:  # wide rows: take counts their characters
            self._partial = ""
            self._take_in(block)
            return None
        self._partial = block[cut:].decode("ascii")  # whole lines read ahead, and the start of one
        first = self.number + 1
        self.number += count
        return block[:cut], first

    def _fill(self) -> bool:
        """Read the next block of complete lines into ``_pending``; False at the end."""
        while True:
            want = points_types.READ_CHARS
            data = self.read(want)
            self._short = len(data) < want
            if self._take_in(data):
                return True
            if not data:
                return False

    def _take_in(self, data: bytes) -> bool:
        """Decode ``data`` (read after ``_partial``; empty at the end of the input)
        into ``_pending`` and ``_partial``; whether it made complete lines."""
        try:
            block = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise PointsError("--points: the input is not UTF-8 text "
                              "(for binary data use a .npy or .npz file)") from None
        text = self._partial + block
        if not data:
            # the last line need not end in a newline (``_partial`` may hold
            # several lines, read ahead by :meth:`take_block`)
            pending = text.split("\n") if text else []
            if pending and not pending[-1]:
                pending.pop()
            self._partial = ""
            self._pending, self._next = pending, 0
            return bool(pending)
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        pending = text.split("\n")
        self._partial = pending.pop()
        if len(self._partial) > points_types.MAX_LINE_CHARS:
            raise PointsError(f"--points: line {self.number + len(pending) + 1} is longer "
                              f"than {points_types.MAX_LINE_CHARS:,} characters")
        if pending:
            self._pending, self._next = pending, 0
            return True
        return False


def _newline_positions(data: bytes) -> np.ndarray:
    """The indices of the newlines in ``data``."""
    import numpy as np

    return np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)


def _newlines(data: bytes) -> int:
    """How many newlines ``data`` holds (NumPy counts them several times faster than ``bytes.count``)."""
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == 10))


def _end_of_line(parts: Sequence[bytes], counts: Sequence[int], count: int) -> int:
    """The index just past the ``count``-th newline (``count`` ≥ 1) of the
    ``parts`` joined, of which part ``k`` holds ``counts[k]`` newlines."""
    offset = 0
    for part, held in zip(parts, counts):
        if count <= held:
            return offset + int(_newline_positions(part)[count - 1]) + 1
        count -= held
        offset += len(part)
    raise ValueError("fewer newlines than asked for")


class TextReader(PointsReader):
    def __init__(self, lines: Lines, size: int | None, raw: IO[bytes]):
        self.size = size
        self.raw = raw
        self.lines = lines

    def close(self) -> None:
        if self.size is not None:  # a file we opened, not standard input
            self.raw.close()

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


class JsonLinesReader(TextReader):
    """One JSON object per line: ``{"x": 1, "y": 2.5, "label": "a"}``."""

    kind = "jsonl"

    def __init__(self, lines: Lines, symbols: Sequence[str], chunk_rows: int,
                 size: int | None, raw: IO[bytes]):
        super().__init__(lines, size, raw)
        self.symbols = list(symbols)
        self.chunk_rows = chunk_rows

    def chunks(self) -> Iterator[Chunk]:
        import numpy as np

        wanted = set(self.symbols)
        while True:
            lines = self.lines.take(self.chunk_rows, points_types.MAX_CHUNK_CHARS)
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
