"""CSV/TSV rows as the csv module reads them (symgrad.points.read).

A quoted field may hold the delimiter, a doubled quote or a newline; a row
spanning lines is numbered by the line it starts on; fields and rows are
capped at MAX_LINE_CHARS, through csv's own field size limit.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad.points import common as points_types
from symgrad.points.read import open_points
from symgrad.points.common import Columns, PointsError
from symgrad.points.write import open_writer


def read(text: str, symbols, chunk_rows=65_536):
    reader = open_points("-", symbols, stdin=io.BytesIO(text.encode()), chunk_rows=chunk_rows)
    chunks = list(reader.chunks())
    values = [row for c in chunks for row in c.values.tolist()]
    lines = [int(n) for c in chunks for n in c.lines]
    raw = [r for c in chunks for r in c.raw]
    return reader, values, lines, raw


def error_of(text: str, symbols, **kw) -> str:
    with pytest.raises(PointsError) as info:
        read(text, symbols, **kw)
    return str(info.value)


@pytest.mark.parametrize("chunk_rows", [1, 2, 1000])
def test_a_quoted_newline_is_part_of_its_field(chunk_rows):
    text = 'x,note,y\n1,"two\nlines",2\n3,"a\n\nb, c",4\n5,plain,6\n'
    _, values, lines, raw = read(text, ["x", "y"], chunk_rows=chunk_rows)
    assert values == [[1, 2], [3, 4], [5, 6]]
    # each row is numbered by the line it starts on (as csv's line_num counts lines)
    assert lines == [2, 4, 7]
    assert raw == ['1,"two\nlines",2', '3,"a\n\nb, c",4', "5,plain,6"]


def test_a_quoted_newline_in_the_header():
    reader, values, _, _ = read('x,"a\nb",y\n1,q,2\n', ["x", "y"])
    assert reader.names == ["x", "a\nb", "y"]
    assert reader.header == 'x,"a\nb",y'
    assert values == [[1, 2]]


def test_errors_after_a_row_spanning_lines_name_the_right_line():
    text = 'x,note\n1,"a\nb\nc"\nbad,d\n'
    assert "line 5: value of x is not a number: 'bad'" in error_of(text, ["x"])
    text = 'x,note\n1,"a\nb"\n2,"c\nd",extra\n'
    assert "line 4: expected 2 columns, found 3" in error_of(text, ["x"])


def test_a_quote_left_open_at_the_end_is_an_error():
    assert "line 3: a quoted field is not closed" in error_of('x,n\n1,a\n2,"open\n3,b\n', ["x"])


def test_fields_up_to_the_cap_are_read_past_csvs_default_limit():
    long = "w" * 200_000  # csv's own default limit is 131,072 characters
    _, values, _, raw = read(f'x,note\n1,"{long}\n{long}"\n', ["x"])
    assert values == [[1]]
    assert len(raw[0]) == 2 * len(long) + 5


def test_the_field_size_limit_of_the_process_is_left_alone():
    before = csv.field_size_limit()
    read('x,n\n1,"a\nb"\n', ["x"])
    assert csv.field_size_limit() == before


class Endless(io.RawIOBase):
    """A quote left open, then short lines for ever: must be refused after a bounded read."""

    def __init__(self):
        self.served = 0
        self.head = b'x,note\n1,"open\n'

    def readable(self):
        return True

    def readinto(self, buffer):
        data = (self.head + b"more text\n" * len(buffer))[: len(buffer)]
        self.head = b""
        buffer[: len(data)] = data
        self.served += len(data)
        return len(data)


def test_a_quote_left_open_over_endless_lines_is_refused():
    stream = Endless()
    reader = open_points("-", ["x"], stdin=stream)
    with pytest.raises(PointsError, match=r"row from line 2 on is longer than 1,048,576 characters"):
        list(reader.chunks())
    assert stream.served < 8 * points_types.MAX_LINE_CHARS


def test_a_field_longer_than_the_cap_is_refused_by_csvs_limit():
    # all of its lines are in one chunk: the csv module's field size limit refuses it
    text = 'x,note\n1,"' + ("a" * 99 + "\n") * 11_000 + '"\n'
    message = error_of(text, ["x"])
    assert "line 2: a field is longer than 1,048,576 characters" in message


def test_a_row_of_many_multiline_fields_is_capped(monkeypatch):
    monkeypatch.setattr(points_types, "MAX_LINE_CHARS", 200)
    fields = ",".join(['"a\nb"'] * 100)
    text = "x," + ",".join(f"c{k}" for k in range(100)) + f"\n1,{fields}\n"
    message = error_of(text, ["x"], chunk_rows=1)
    assert "the row from line 2 on is longer than 200 characters" in message


def columns(symbols, entries):
    return Columns(list(symbols), list(entries), lambda row: {"gradient": list(row)})


def test_rows_spanning_lines_go_out_untouched_in_csv_and_as_extra_in_json():
    text = 'id,x\n"a\nb",1\n"c, d",2\n'
    for kind in ("csv", "tsv", "jsonl"):
        reader = open_points("-", ["x"], stdin=io.BytesIO(text.encode()))
        out = io.StringIO()
        writer = open_writer(kind, out, None, reader, columns(["x"], ["df/dx"]))
        for chunk in reader.chunks():
            writer.write(chunk, chunk.values * 2)
        writer.close()
        if kind == "csv":
            assert out.getvalue() == 'id,x,df/dx\n"a\nb",1,2.0\n"c, d",2,4.0\n'
        elif kind == "tsv":
            rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter="\t"))
            assert rows == [["id", "x", "df/dx"], ["a\nb", "1", "2.0"], ["c, d", "2", "4.0"]]
        else:
            docs = [json.loads(line) for line in out.getvalue().splitlines()]
            assert [d["extra"] for d in docs] == [{"id": "a\nb"}, {"id": "c, d"}]


# ---------------------------------------------------------------------------
# A property: the rows and fields are csv.reader's, whatever the chunk size

label = st.text(alphabet='ab ,"\n', max_size=6)


@st.composite
def quoted_tables(draw):
    rows = draw(st.lists(st.tuples(st.integers(-99, 99), label, st.integers(-99, 99)), max_size=12))
    return rows, draw(st.integers(1, 5))


@settings(max_examples=100, deadline=None)
@given(quoted_tables())
def test_rows_are_what_csv_reads(table):
    rows, chunk_rows = table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["x", "label", "y"])
    writer.writerows(rows)
    text = out.getvalue()
    expected = list(csv.reader(io.StringIO(text)))[1:]
    _, values, _, raw = read(text, ["x", "y"], chunk_rows=chunk_rows)
    assert values == [[float(r[0]), float(r[2])] for r in expected]
    # each row's text is its own: csv reads it back to the same fields
    assert [next(csv.reader([r])) for r in raw] == expected
    assert np.array_equal(np.array(values).reshape(-1, 2), np.array([[x, y] for x, _, y in rows]).reshape(-1, 2))
