"""Text inputs are read in bounded blocks: a line without an end is refused."""

from __future__ import annotations

import io
import itertools

import pytest

from symgrad.points import common as points_types
from symgrad.points.read import open_points
from symgrad.points.common import PointsError


class Endless(io.RawIOBase):
    """An endless stream of one byte, like /dev/zero: it must not be read whole."""

    def __init__(self, byte: bytes):
        self.byte = byte
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = self.byte * len(buffer)
        self.served += len(buffer)
        return len(buffer)


@pytest.mark.parametrize("byte", [b"\0", b"x"])
def test_an_endless_line_is_refused_after_a_bounded_read(byte):
    stream = Endless(byte)
    with pytest.raises(PointsError, match=r"line 1 is longer than 1,048,576 characters"):
        open_points("-", ["x"], stdin=stream)
    assert stream.served < 8 * points_types.MAX_LINE_CHARS


def test_the_long_line_is_named_by_its_number(monkeypatch):
    monkeypatch.setattr(points_types, "MAX_LINE_CHARS", 100)
    monkeypatch.setattr(points_types, "READ_CHARS", 64)
    text = "x\n1\n2\n" + "3" * 500 + "\n4\n"
    reader = open_points("-", ["x"], stdin=io.BytesIO(text.encode()))
    with pytest.raises(PointsError, match=r"line 4 is longer than 100 characters"):
        list(reader.chunks())


@pytest.mark.parametrize("read_chars", [1, 2, 3, 7, 64, 1 << 20])
def test_lines_split_across_blocks_come_back_whole(monkeypatch, read_chars):
    monkeypatch.setattr(points_types, "READ_CHARS", read_chars)
    rows = [f"{i},{i * 0.5}" for i in range(50)]
    text = "x,y\r\n" + "\r\n".join(itertools.chain(rows[:20], [""], rows[20:])) + "\r\n"
    reader = open_points("-", ["x", "y"], stdin=io.BytesIO(text.encode()), chunk_rows=9)
    chunks = list(reader.chunks())
    values = [row for c in chunks for row in c.values.tolist()]
    assert values == [[float(i), i * 0.5] for i in range(50)]
    lines = [int(n) for c in chunks for n in c.lines]
    # header is line 1, the blank line is line 22
    assert lines == [*range(2, 22), *range(23, 53)]
    assert [raw for c in chunks for raw in c.raw] == rows


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"x": ' + "1" * 5000 + "}", r"line 2: not JSON \(Exceeds the limit \(4300 digits\)"),
        ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", r"line 2: JSON nested too deeply"),
        ('{"x": 1,', r"line 2: not JSON \(Expecting property name"),
    ],
)
def test_json_lines_that_python_cannot_read_are_input_errors(line, reason):
    text = '{"x": 1}\n' + line + "\n"
    reader = open_points("-", ["x"], stdin=io.BytesIO(text.encode()))
    with pytest.raises(PointsError, match=reason):
        list(reader.chunks())
