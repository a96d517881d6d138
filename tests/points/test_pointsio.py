"""Reading and writing many points (symgrad.points), without the CLI.

Inputs are given as bytes on a fake stdin (``-``) or as files; every test
derives its expected values from the input it wrote, never from symgrad.
"""

from __future__ import annotations

import builtins
import csv
import io
import json
import math
import sys
import zipfile

import numpy as np
import pytest
from helpers import npy_bytes, npz_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad.points import (
    Chunk,
    Columns,
    FirstRowsWriter,
    NpyStream,
    NpzStream,
    PointsError,
    detect_kind,
    open_points,
    open_writer,
    output_kind,
    require_pyarrow,
)
from symgrad.results import plain_float


def read(data: bytes | str, symbols, chunk_rows=65_536, kind=None, source="-"):
    """All chunks of ``data`` read as stdin: (values, line numbers, chunks)."""
    if isinstance(data, str):
        data = data.encode()
    reader = open_points(source, symbols, stdin=io.BytesIO(data), chunk_rows=chunk_rows, kind=kind)
    chunks = list(reader.chunks())
    if chunks:
        values = np.concatenate([c.values for c in chunks])
        lines = np.concatenate([c.lines for c in chunks]).tolist()
    else:
        values, lines = np.empty((0, len(symbols))), []
    return values, lines, chunks


def error_of(data, symbols, **kw) -> str:
    with pytest.raises(PointsError) as info:
        read(data, symbols, **kw)
    return str(info.value)


# ---------------------------------------------------------------------------
# Format detection


@pytest.mark.parametrize(
    "path, kind",
    [("a.csv", "csv"), ("a.TSV", "tsv"), ("a.tab", "tsv"), ("a.jsonl", "jsonl"),
     ("a.ndjson", "jsonl"), ("a.npy", "npy"), ("a.npz", "npz")],
)
def test_kind_from_suffix(path, kind):
    assert detect_kind(path, b"whatever") == kind


@pytest.mark.parametrize(
    "head, kind",
    [(b"\x93NUMPY\x01\x00", "npy"), (b"PK\x03\x04rest", "npz"), (b'{"x": 1}\n', "jsonl"),
     (b'  \n{"x": 1}', "jsonl"), (b"x\ty\n1\t2\n", "tsv"), (b"x,y\n1,2\n", "csv"),
     (b"x\n1\n", "csv"), (b"a,b\tc\n", "csv")],
)
def test_kind_sniffed_from_content(head, kind):
    assert detect_kind("-", head) == kind


# ---------------------------------------------------------------------------
# CSV and TSV


def test_csv_columns_in_any_order_and_extra_columns():
    values, lines, chunks = read("label,y,note,x\na,1,n1,2\nb,3,n2,4\n", ["x", "y"])
    assert values.tolist() == [[2.0, 1.0], [4.0, 3.0]]
    assert lines == [2, 3]
    assert chunks[0].raw == ["a,1,n1,2", "b,3,n2,4"]


def test_tsv():
    reader = open_points("-", ["x", "y"], stdin=io.BytesIO(b"y\tx\tlab\n1\t2\tq r\n"))
    assert reader.kind == "tsv" and reader.delimiter == "\t"
    (chunk,) = reader.chunks()
    assert chunk.values.tolist() == [[2.0, 1.0]]
    assert chunk.raw == ["1\t2\tq r"]


def test_header_names_are_stripped_and_may_be_quoted():
    values, _, _ = read('" x ", y\n1, 2\n', ["x", "y"])
    assert values.tolist() == [[1.0, 2.0]]


def test_numbers_in_many_spellings():
    text = "x\n1\n-2.5\n1e-3\n+4E+2\n 7 \n.5\n"
    values, _, _ = read(text, ["x"])
    assert values[:, 0].tolist() == [1.0, -2.5, 1e-3, 400.0, 7.0, 0.5]


def test_csv_values_are_read_exactly():
    rng = np.random.default_rng(0)
    data = rng.standard_normal((50, 2)) * 10.0 ** rng.integers(-300, 300, size=(50, 2))
    text = "x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in data.tolist())
    values, _, _ = read(text, ["x", "y"])
    assert np.array_equal(values, data)


def test_blank_lines_are_skipped_and_lines_counted():
    text = "\n\nx,y\n1,2\n\n   \n3,4\r\n\t\n5,6\n\n"
    values, lines, _ = read(text, ["x", "y"])
    assert values.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert lines == [4, 7, 9]


def test_crlf_line_endings():
    values, lines, chunks = read("x,y\r\n1,2\r\n3,4\r\n", ["x", "y"])
    assert values.tolist() == [[1, 2], [3, 4]]
    assert chunks[0].raw == ["1,2", "3,4"]


def test_missing_columns_are_named():
    message = error_of("a,y\n1,2\n", ["x", "y", "z"])
    assert "missing columns x, z" in message
    assert "a, y" in message  # and what the input has


def test_missing_single_column():
    assert "missing column x " in error_of("y\n1\n", ["x", "y"])


def test_duplicate_symbol_column_is_refused():
    assert "column x appears 2 times" in error_of("x,y,x\n1,2,3\n", ["x", "y"])


def test_duplicate_other_columns_pass_through():
    values, _, chunks = read("n,x,n\na,1,b\n", ["x"])
    assert values.tolist() == [[1.0]]
    assert chunks[0].raw == ["a,1,b"]


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_empty_input_is_an_error(text):
    assert "empty" in error_of(text, ["x"])


def test_header_only_gives_no_rows():
    _, lines, chunks = read("x,y\n", ["x", "y"])
    assert chunks == [] and lines == []


@pytest.mark.parametrize(
    "text, line, name, shown",
    [
        ("x,y\n1,2\n3,abc\n", 3, "y", "'abc'"),
        ("x,y\n1,2\n\n,4\n", 4, "x", "''"),
        ("y,x\n1,0x10\n", 2, "x", "'0x10'"),
        ("x,y\n1,2\n3,4\n5,six\n", 4, "y", "'six'"),
    ],
)
def test_bad_numbers_name_the_line_and_column(text, line, name, shown):
    message = error_of(text, ["x", "y"])
    assert f"line {line}:" in message
    assert f"value of {name} is not a number" in message
    assert shown in message


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e999", "-1e400"])
def test_non_finite_values_are_refused(value):
    message = error_of(f"x,y\n1,2\n3,{value}\n", ["x", "y"])
    assert "line 3: value of y is not a finite real number" in message
    assert "np.float64" not in message


@pytest.mark.parametrize(
    "text, line, found",
    [
        ("x,y\n1,2\n3\n", 3, 1),           # a symbol's field missing
        ("x,y,z\n1,2,3\n1,2\n", 3, 2),      # a pass-through field missing
        ("x,y,z\n1,2,3,4\n", 2, 4),         # one field too many
        ("x,y\n1,2,\n", 2, 3),              # a trailing delimiter is a field
    ],
)
def test_wrong_field_counts_name_the_line(text, line, found):
    message = error_of(text, ["x", "y"])
    assert f"line {line}: expected" in message
    assert f"found {found}" in message


def test_field_count_errors_that_cancel_out_in_a_chunk():
    # one row too long and one too short: the chunk's total is right
    message = error_of("x,y,z\n1,2,3\n1,2,3,4\n1,2\n", ["x", "y"])
    assert "line 3: expected 3 columns, found 4" in message


def test_quoted_fields_with_delimiters_are_one_field():
    values, _, chunks = read('x,label,y\n1,"a, b",2\n3,"c",4\n', ["x", "y"])
    assert values.tolist() == [[1, 2], [3, 4]]
    assert chunks[0].raw[0] == '1,"a, b",2'


def test_no_symbol_from_the_file_still_counts_rows():
    # every symbol given elsewhere (--at): the file only supplies rows
    values, lines, _ = read("label\na\n\nb\n", [])
    assert values.shape == (2, 0)
    assert lines == [2, 4]


@pytest.mark.parametrize(
    "data, kind",
    [(b"x,y\n1,2\n", "csv"), (b"x\ty\n1\t2\n", "tsv"), (b'{"x": 1, "y": 2}\n', "jsonl")],
)
def test_byte_order_mark_is_not_part_of_the_first_name(data, kind):
    # spreadsheets save "UTF-8 CSV" with a byte order mark
    reader = open_points("-", ["x", "y"], stdin=io.BytesIO(b"\xef\xbb\xbf" + data))
    assert reader.kind == kind
    assert [c.values.tolist() for c in reader.chunks()] == [[[1.0, 2.0]]]
    if kind != "jsonl":
        assert reader.header == data.decode().splitlines()[0]


def test_not_utf8_is_a_clear_error():
    message = error_of(b"x,y\n1,\xff\n", ["x", "y"])
    assert message.startswith("--points")


def test_missing_file(tmp_path):
    with pytest.raises(PointsError, match="cannot read"):
        open_points(str(tmp_path / "nope.csv"), ["x"])


def test_file_source_by_suffix(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("x\ty\n1\t2\n")
    reader = open_points(str(path), ["y", "x"])
    assert reader.kind == "tsv"
    assert [c.values.tolist() for c in reader.chunks()] == [[[2.0, 1.0]]]


def test_chunk_rows_must_be_positive():
    with pytest.raises(PointsError):
        open_points("-", ["x"], stdin=io.BytesIO(b"x\n1\n"), chunk_rows=0)


# ---------------------------------------------------------------------------
# Chunking: same values, right line numbers, whatever the chunk size

ROWS = 23
TEXT = "x,tag,y\n" + "".join(
    f"{i},t{i},{i * 0.5}\n" + ("\n" if i % 5 == 0 else "") for i in range(ROWS)
)


def expected_lines():
    lines, number = [], 1
    for i in range(ROWS):
        number += 1
        lines.append(number)
        if i % 5 == 0:
            number += 1
    return lines


@pytest.mark.parametrize("chunk_rows", [1, 2, 7, 23, 24, 1000])
def test_chunking_keeps_values_and_line_numbers(chunk_rows):
    values, lines, chunks = read(TEXT, ["x", "y"], chunk_rows=chunk_rows)
    assert values.tolist() == [[i, i * 0.5] for i in range(ROWS)]
    assert lines == expected_lines()
    assert all(len(c.values) <= chunk_rows for c in chunks)
    assert [r for c in chunks for r in c.raw] == [f"{i},t{i},{i * 0.5}" for i in range(ROWS)]


@pytest.mark.parametrize("chunk_rows", [1, 3, 7, 1000])
def test_error_line_numbers_across_chunk_boundaries(chunk_rows):
    bad = TEXT.replace("t17,8.5", "t17,oops")
    line = expected_lines()[17]
    assert f"line {line}: value of y is not a number: 'oops'" in error_of(
        bad, ["x", "y"], chunk_rows=chunk_rows)
    short = TEXT.replace("12,t12,6.0", "12,6.0")
    line = expected_lines()[12]
    assert f"line {line}: expected 3 columns, found 2" in error_of(
        short, ["x", "y"], chunk_rows=chunk_rows)


def test_errors_come_only_when_their_chunk_is_read():
    # streaming: the rows before a bad one are delivered first
    text = "x\n" + "".join(f"{i}\n" for i in range(10)) + "bad\n"
    reader = open_points("-", ["x"], stdin=io.BytesIO(text.encode()), chunk_rows=4)
    chunks = reader.chunks()
    assert next(chunks).values[:, 0].tolist() == [0, 1, 2, 3]
    assert next(chunks).values[:, 0].tolist() == [4, 5, 6, 7]
    with pytest.raises(PointsError, match="line 12"):
        next(chunks)


def test_blank_only_chunks_are_silent(recwarn):
    values, lines, _ = read("x\n1\n \n\n  \n2\n", ["x"], chunk_rows=1)
    assert values[:, 0].tolist() == [1, 2]
    assert lines == [2, 6]
    assert not [w for w in recwarn if "loadtxt" in str(w.message)]


# ---------------------------------------------------------------------------
# JSON Lines


def test_json_lines_with_extra_keys_and_blank_lines():
    text = '{"y": 2, "x": 1, "id": "a"}\n\n{"x": -1.5e3, "y": 0}\n'
    values, lines, chunks = read(text, ["x", "y"])
    assert values.tolist() == [[1, 2], [-1500, 0]]
    assert lines == [1, 3]
    assert chunks[0].extra == [{"id": "a"}, {}]


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"x": 1}', "line 2: no value for y"),
        ('{"x": 1, "y": "2"}', 'line 2: value of y is not a number: "2"'),
        ('{"x": 1, "y": true}', "line 2: value of y is not a number: true"),
        ('{"x": 1, "y": null}', "line 2: value of y is not a number: null"),
        ('{"x": 1, "y": [2]}', "line 2: value of y is not a number"),
        ("[1, 2]", "line 2: expected a JSON object"),
        ('{"x": 1, "y": 2', "line 2: not JSON"),
        ('{"x": 1, "y": NaN}', "line 2: value of y is not a finite real number"),
        ('{"x": 1, "y": 1e999}', "line 2: value of y is not a finite real number"),
        ('{"x": 1, "y": -Infinity}', "line 2: value of y is not a finite real number"),
    ],
)
def test_json_lines_errors_name_the_line(line, message):
    text = '{"x": 0, "y": 0}\n' + line + "\n"
    assert message in error_of(text, ["x", "y"], kind="jsonl")


def test_json_lines_huge_integer_is_not_finite():
    assert "not a finite real number" in error_of('{"x": ' + "9" * 400 + "}\n", ["x"])


def test_json_lines_chunked_line_numbers():
    text = "".join(('{"x": %d}\n' % i) + ("\n" if i % 3 == 0 else "") for i in range(10))
    values, lines, _ = read(text, ["x"], chunk_rows=4)
    assert values[:, 0].tolist() == list(range(10))
    assert lines == [1, 3, 4, 5, 7, 8, 9, 11, 12, 13]


# ---------------------------------------------------------------------------
# .npy and .npz


@pytest.mark.parametrize("via", ["stdin", "file"])
def test_npy_columns_in_symbol_order(via, tmp_path):
    data = np.arange(12.0).reshape(6, 2)
    if via == "file":
        path = tmp_path / "p.npy"
        np.save(path, data)
        reader = open_points(str(path), ["x", "y"], chunk_rows=4)
    else:
        reader = open_points("-", ["x", "y"], stdin=io.BytesIO(npy_bytes(data)), chunk_rows=4)
    assert reader.kind == "npy" and reader.rows == 6
    chunks = list(reader.chunks())
    assert [len(c.values) for c in chunks] == [4, 2]
    assert np.array_equal(np.concatenate([c.values for c in chunks]), data)
    assert np.concatenate([c.lines for c in chunks]).tolist() == [1, 2, 3, 4, 5, 6]


def test_npy_integer_and_float32_are_accepted():
    values, _, _ = read(npy_bytes(np.array([[1, 2], [3, 4]], dtype=np.int32)), ["x", "y"])
    assert values.dtype == np.float64 and values.tolist() == [[1, 2], [3, 4]]
    values, _, _ = read(npy_bytes(np.array([[0.5]], dtype=np.float32)), ["x"])
    assert values.tolist() == [[0.5]]


def test_npy_one_dimensional_for_one_symbol():
    values, _, _ = read(npy_bytes(np.array([1.0, 2.0, 3.0])), ["x"])
    assert values.tolist() == [[1], [2], [3]]


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros((3, 3)), r"shape \(3, 3\); expected \(rows, 2\) with columns x, y"),
        (np.zeros(3), r"shape \(3,\)"),
        (np.zeros((2, 2, 2)), "shape"),
        (np.zeros((2, 2), dtype=complex), "complex128, not real numbers"),
        (np.array([["a", "b"]]), "not real numbers"),
        (np.zeros(2, dtype=[("x", float), ("y", float)]), "structured array"),
    ],
)
def test_npy_bad_arrays(array, message):
    with pytest.raises(PointsError, match=message):
        read(npy_bytes(array), ["x", "y"])


@pytest.mark.parametrize("via", ["stdin", "file"])
def test_npy_object_arrays_are_not_unpickled(via, tmp_path):
    data = npy_bytes(np.array([[1, None]], dtype=object))
    # the header is enough to refuse it, from a file as from stdin
    if via == "file":
        path = tmp_path / "p.npy"
        path.write_bytes(data)
        with pytest.raises(PointsError, match="holds object, not real numbers"):
            open_points(str(path), ["x", "y"])
    else:
        with pytest.raises(PointsError, match="holds object, not real numbers"):
            read(data, ["x", "y"])


class Counting(io.RawIOBase):
    """A pipe that counts the bytes read from it."""

    def __init__(self, data: bytes):
        self.data = memoryview(data)
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), len(self.data) - self.served, 4096)  # a pipe's small pieces
        buffer[:count] = self.data[self.served : self.served + count]
        self.served += count
        return count


def test_npy_from_stdin_is_read_block_by_block():
    data = np.random.default_rng(3).uniform(-1, 1, size=(20_000, 2))
    pipe = Counting(npy_bytes(data))
    reader = open_points("-", ["x", "y"], stdin=pipe, chunk_rows=500)
    assert reader.rows == 20_000
    chunks = reader.chunks()
    first = next(chunks)
    assert first.values.shape == (500, 2)
    assert pipe.served < 50_000  # 8 kB of rows and some read-ahead, not the 320 kB
    rest = list(chunks)
    assert np.array_equal(np.concatenate([first.values, *[c.values for c in rest]]), data)
    assert rest[-1].lines[-1] == 20_000


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int16])
def test_npy_from_stdin_any_order_and_number_type(order, dtype):
    data = np.asarray(np.arange(30).reshape(10, 3) - 7, dtype=dtype, order=order)
    values, lines, _ = read(npy_bytes(data), ["x", "y", "z"])
    assert values.dtype == np.float64 and values.tolist() == data.astype(float).tolist()
    assert lines == list(range(1, 11))


def test_npy_from_stdin_that_ends_early_names_the_rows():
    data = npy_bytes(np.ones((1000, 2)))
    with pytest.raises(PointsError, match="ends after 993 of 1,000 rows"):
        read(data[:-100], ["x", "y"])


def test_npy_non_finite_rows_are_named():
    data = np.ones((10, 2))
    data[7, 1] = np.nan
    message = error_of(npy_bytes(data), ["x", "y"], chunk_rows=3)
    assert "row 8: value of y is not a finite real number: nan" in message


def test_corrupt_npy():
    with pytest.raises(PointsError, match="cannot read"):
        read(b"\x93NUMPY garbage", ["x"])


def test_npz_one_array_per_symbol():
    data = npz_bytes(y=np.array([1.0, 2.0]), x=np.array([3.0, 4.0]), other=np.zeros(5))
    values, lines, _ = read(data, ["x", "y"])
    assert values.tolist() == [[3, 1], [4, 2]]
    assert lines == [1, 2]


def test_npz_single_matrix():
    data = npz_bytes(np.array([[1.0, 2.0], [3.0, 4.0]]))
    values, _, _ = read(data, ["x", "y"])
    assert values.tolist() == [[1, 2], [3, 4]]


def test_npz_from_file(tmp_path):
    path = tmp_path / "p.npz"
    np.savez(path, x=np.arange(5.0))
    reader = open_points(str(path), ["x"], chunk_rows=2)
    assert reader.kind == "npz"
    assert np.concatenate([c.values for c in reader.chunks()])[:, 0].tolist() == [0, 1, 2, 3, 4]


def test_npz_missing_names_are_named():
    data = npz_bytes(x=np.zeros(2), q=np.zeros(2))
    with pytest.raises(PointsError, match="missing column y"):
        read(data, ["x", "y"])


def test_npz_columns_of_different_lengths():
    data = npz_bytes(x=np.zeros(2), y=np.zeros(3))
    with pytest.raises(PointsError, match="1-D and of one length"):
        read(data, ["x", "y"])


# ---------------------------------------------------------------------------
# Writers


def columns(symbols=("x", "y"), entries=("df/dx", "df/dy")):
    def layout(row):
        return {"gradient": list(row)}

    return Columns(list(symbols), list(entries), layout)


class FakeReader:
    kind = "npy"
    header = None
    delimiter = ","


def csv_reader_of(text: str, symbols):
    return open_points("-", symbols, stdin=io.BytesIO(text.encode()))


def write_all(writer, reader, compute):
    for chunk in reader.chunks():
        writer.write(chunk, compute(chunk.values))
    writer.close()


def grad_xy(values):
    # f = x**2 * y: df/dx = 2xy, df/dy = x**2
    x, y = values[:, 0], values[:, 1]
    return np.column_stack([2 * x * y, x**2])


def test_csv_writer_passes_input_lines_through_untouched():
    text = 'name, y ,x,comment\n"A, B", 2 ,1.50,  spaced  \nC,-1,3e0,"q"\n'
    reader = csv_reader_of(text, ["x", "y"])
    out = io.StringIO()
    write_all(open_writer("csv", out, None, reader, columns()), reader, grad_xy)
    lines = out.getvalue().splitlines()
    assert lines[0] == "name, y ,x,comment,df/dx,df/dy"
    assert lines[1] == '"A, B", 2 ,1.50,  spaced  ,6.0,2.25'
    assert lines[2] == 'C,-1,3e0,"q",-6.0,9.0'


def test_csv_writer_values_round_trip_exactly():
    rng = np.random.default_rng(5)
    data = rng.uniform(-1e3, 1e3, size=(40, 2))
    text = "x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in data.tolist())
    reader = csv_reader_of(text, ["x", "y"])
    out = io.StringIO()
    write_all(open_writer("csv", out, None, reader, columns()), reader, grad_xy)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    got = np.array([[float(v) for v in row[2:]] for row in rows[1:]])
    assert np.array_equal(got, grad_xy(data))


def test_csv_writer_nan_and_inf():
    reader = csv_reader_of("x,y\n1,2\n", ["x", "y"])
    out = io.StringIO()
    write_all(open_writer("csv", out, None, reader, columns()), reader,
              lambda v: np.array([[np.nan, -np.inf]]))
    assert out.getvalue().splitlines()[1] == "1,2,nan,-inf"


def test_csv_writer_header_without_rows():
    reader = csv_reader_of("x,y\n", ["x", "y"])
    out = io.StringIO()
    write_all(open_writer("csv", out, None, reader, columns()), reader, grad_xy)
    assert out.getvalue() == "x,y,df/dx,df/dy\n"


@pytest.mark.parametrize("kind, delimiter", [("csv", ","), ("tsv", "\t")])
def test_delimited_writer_from_binary_input_writes_symbols(kind, delimiter):
    out = io.StringIO()
    writer = open_writer(kind, out, None, FakeReader(), columns())
    writer.write(Chunk(np.array([[1.0, 2.0], [0.1, 3.0]]), np.array([1, 2])),
                 np.array([[4.0, 1.0], [0.6000000000000001, 0.01]]))
    writer.close()
    rows = [line.split(delimiter) for line in out.getvalue().splitlines()]
    assert rows[0] == ["x", "y", "df/dx", "df/dy"]
    assert [[float(v) for v in r] for r in rows[1:]] == [[1, 2, 4, 1], [0.1, 3, 0.6000000000000001, 0.01]]


@pytest.mark.parametrize(
    "source, target, text",
    [("csv", "tsv", 'x,y,lab\n1,2,"a,b"\n'), ("tsv", "csv", "x\ty\tlab\n1\t2\ta,b\n")],
)
def test_delimited_writer_converts_the_delimiter(source, target, text):
    # CSV input written to a .tsv file (and back): a real TSV, not CSV
    reader = csv_reader_of(text, ["x", "y"])
    assert reader.kind == source
    out = io.StringIO()
    write_all(open_writer(target, out, None, reader, columns()), reader, grad_xy)
    delimiter = "\t" if target == "tsv" else ","
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter))
    assert rows == [["x", "y", "lab", "df/dx", "df/dy"], ["1", "2", "a,b", "4.0", "1.0"]]


def test_delimited_writer_to_a_file(tmp_path):
    path = tmp_path / "o.csv"
    reader = csv_reader_of("x,y\n1,2\n", ["x", "y"])
    write_all(open_writer("csv", None, str(path), reader, columns()), reader, grad_xy)
    assert path.read_text() == "x,y,df/dx,df/dy\n1,2,4.0,1.0\n"


def test_json_lines_writer():
    reader = open_points("-", ["x", "y"], stdin=io.BytesIO(b'{"x": 1, "y": 2, "k": [1]}\n{"x": 0, "y": 0}\n'))
    out = io.StringIO()
    write_all(open_writer("jsonl", out, None, reader, columns()), reader,
              lambda v: np.array([[4.0, 1.0], [np.nan, np.inf]]))
    docs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert docs == [
        {"at": {"x": 1, "y": 2}, "gradient": [4, 1], "extra": {"k": [1]}},
        {"at": {"x": 0, "y": 0}, "gradient": ["nan", "inf"]},
    ]


def test_json_lines_values_use_plain_float():
    assert plain_float(1.5) == 1.5
    assert plain_float(math.nan) == "nan"
    assert plain_float(math.inf) == "inf"
    assert plain_float(-math.inf) == "-inf"


def test_npy_writer_streams_rows(tmp_path):
    path = tmp_path / "o.npy"
    writer = open_writer("npy", None, str(path), FakeReader(), columns())
    parts = [np.arange(6.0).reshape(3, 2), np.arange(6.0, 10.0).reshape(2, 2)]
    for part in parts:
        writer.write(Chunk(part, np.arange(len(part))), part * 10)
    writer.close()
    saved = np.load(path)
    assert saved.shape == (5, 2) and saved.dtype == np.float64
    assert np.array_equal(saved, np.concatenate(parts) * 10)


def test_npy_writer_without_rows(tmp_path):
    path = tmp_path / "o.npy"
    open_writer("npy", None, str(path), FakeReader(), columns()).close()
    assert np.load(path).shape == (0, 2)


def test_npy_stream_large_shape_header(tmp_path):
    path = tmp_path / "big.npy"
    stream = NpyStream(str(path))
    stream.write(np.arange(4.0))
    with pytest.raises(ValueError):
        stream.close((3,))  # the values must fill the shape
    stream = NpyStream(str(path))
    stream.write(np.arange(24.0))
    stream.close((2, 3, 4))
    assert np.array_equal(np.load(path), np.arange(24.0).reshape(2, 3, 4))


def test_npy_stream_unwritable(tmp_path):
    with pytest.raises(PointsError, match="cannot write"):
        NpyStream(str(tmp_path / "no" / "such" / "dir.npy"))


def test_npz_writer_keys_are_symbols_and_entries(tmp_path):
    path = tmp_path / "o.npz"
    writer = open_writer("npz", None, str(path), FakeReader(), columns())
    data = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    writer.write(Chunk(data[:2], np.array([1, 2])), grad_xy(data[:2]))
    writer.write(Chunk(data[2:], np.array([3])), grad_xy(data[2:]))
    writer.close()
    with np.load(path) as saved:
        assert sorted(saved.files) == ["df/dx", "df/dy", "x", "y"]
        assert saved["x"].tolist() == [1, 3, 5]
        assert saved["df/dx"].tolist() == [4, 24, 60]
        assert saved["df/dy"].tolist() == [1, 9, 25]
    assert zipfile.is_zipfile(path)


def test_npz_stream_leaves_no_temporary_files(tmp_path):
    stream = NpzStream(str(tmp_path / "o.npz"), ["a"])
    stream.write(np.ones((3, 1)))
    stream.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.npz"]
    with np.load(tmp_path / "o.npz") as saved:
        assert saved["a"].tolist() == [1, 1, 1]


def test_npz_writer_abort_cleans_up(tmp_path):
    writer = open_writer("npz", None, str(tmp_path / "o.npz"), FakeReader(), columns())
    writer.write(Chunk(np.ones((2, 2)), np.array([1, 2])), np.ones((2, 2)))
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_parquet_writer(tmp_path):
    import pyarrow.parquet as pq  # in the test extra: this test must run, not skip
    path = tmp_path / "o.parquet"
    writer = open_writer("parquet", None, str(path), FakeReader(), columns())
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    writer.write(Chunk(data[:1], np.array([1])), grad_xy(data[:1]))
    writer.write(Chunk(data[1:], np.array([2])), grad_xy(data[1:]))
    writer.close()
    table = pq.read_table(path).to_pydict()
    assert table == {"x": [1.0, 3.0], "y": [2.0, 4.0], "df/dx": [4.0, 24.0], "df/dy": [1.0, 9.0]}


@pytest.mark.parametrize("how", ["sys.modules", "import"])
def test_parquet_without_pyarrow_says_how_to_get_it(monkeypatch, how, tmp_path):
    if how == "sys.modules":
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    else:
        real_import = builtins.__import__

        def fake_import(name, *args, **kwargs):
            if name == "pyarrow" or name.startswith("pyarrow."):
                raise ModuleNotFoundError(f"No module named {name!r}")
            return real_import(name, *args, **kwargs)

        for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
            monkeypatch.delitem(sys.modules, name)
        monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(PointsError) as info:
        require_pyarrow()
    assert "needs pyarrow" in str(info.value)
    assert "pip install" in str(info.value)
    with pytest.raises(PointsError, match="needs pyarrow"):
        open_writer("parquet", None, str(tmp_path / "o.parquet"), FakeReader(), columns())
    assert not (tmp_path / "o.parquet").exists()


@pytest.mark.parametrize(
    "path, kind",
    [("o.csv", "csv"), ("o.TSV", "tsv"), ("o.tab", "tsv"), ("o.jsonl", "jsonl"),
     ("o.json", "jsonl"), ("o.ndjson", "jsonl"), ("o.npy", "npy"), ("o.npz", "npz"),
     ("dir.d/o.parquet", "parquet")],
)
def test_output_kind(path, kind):
    assert output_kind(path) == kind


@pytest.mark.parametrize("path", ["o.xlsx", "o", "o.txt", "npy"])
def test_output_kind_unknown(path):
    with pytest.raises(PointsError, match="cannot tell the format"):
        output_kind(path)


# ---------------------------------------------------------------------------
# FirstRowsWriter: a table for small outputs, streaming for large ones


class Recorder:
    def __init__(self):
        self.rows = []
        self.closed = self.aborted = False

    def write(self, chunk, values):
        self.rows += values.tolist()

    def close(self):
        self.closed = True

    def abort(self):
        self.aborted = True


def chunk_of(start, count):
    values = np.arange(start, start + count, dtype=float).reshape(-1, 1)
    return Chunk(values, np.arange(start, start + count)), values


def test_first_rows_writer_small_input_goes_to_the_table():
    large, shown = Recorder(), []
    writer = FirstRowsWriter(5, large, shown.append)
    writer.write(*chunk_of(0, 3))
    writer.write(*chunk_of(3, 2))
    writer.close()
    assert large.rows == [] and not large.closed
    assert len(shown) == 1
    assert [r for _, v in shown[0] for r in v.tolist()] == [[0], [1], [2], [3], [4]]


def test_first_rows_writer_large_input_streams_everything_in_order():
    large, shown = Recorder(), []
    writer = FirstRowsWriter(5, large, shown.append)
    for start in range(0, 12, 3):
        writer.write(*chunk_of(start, 3))
    writer.close()
    assert shown == []
    assert large.rows == [[float(i)] for i in range(12)]
    assert large.closed


def test_first_rows_writer_abort():
    large = Recorder()
    writer = FirstRowsWriter(5, large, lambda held: None)
    writer.abort()
    assert large.aborted


# ---------------------------------------------------------------------------
# A property: any column order, extra columns, blank lines and chunk size



finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def tables(draw):
    symbols = ["x", "y", "z"][: draw(st.integers(1, 3))]
    extras = draw(st.lists(st.sampled_from(["id", "note", "w"]), unique=True, max_size=3))
    order = draw(st.permutations(symbols + extras))
    rows = draw(st.lists(st.tuples(*[finite] * len(symbols)), max_size=30))
    blanks = draw(st.lists(st.booleans(), min_size=len(rows) + 1, max_size=len(rows) + 1))
    chunk_rows = draw(st.integers(1, 8))
    delimiter = draw(st.sampled_from([",", "\t"]))
    return symbols, order, rows, blanks, chunk_rows, delimiter


@settings(max_examples=80, deadline=None)
@given(tables())
def test_any_layout_reads_the_same_points(table):
    symbols, order, rows, blanks, chunk_rows, delimiter = table
    lines = [delimiter.join(order)]
    numbers = []
    for k, row in enumerate(rows):
        if blanks[k]:
            lines.append("   " if k % 2 else "")
        value = dict(zip(symbols, row))
        lines.append(delimiter.join(repr(value[c]) if c in value else f"{c}{k}" for c in order))
        numbers.append(len(lines))
    if blanks[-1]:
        lines.append("")
    text = "\n".join(lines) + "\n"
    # the reader is asked for the symbols in a different order than the file's
    wanted = list(reversed(symbols))
    values, got_lines, chunks = read(text, wanted, chunk_rows=chunk_rows)
    expected = [[dict(zip(symbols, row))[s] for s in wanted] for row in rows]
    assert values.reshape(-1, len(wanted)).tolist() == expected
    assert got_lines == numbers
    assert all(0 < len(c.values) <= chunk_rows for c in chunks)
    # the raw lines are the input's own lines, in order
    assert [r for c in chunks for r in c.raw] == [lines[n - 1] for n in numbers]


# ---------------------------------------------------------------------------
# A pipe that delivers its bytes a few at a time (a slow producer)


class Trickle(io.RawIOBase):
    """A raw stream returning at most ``step`` bytes per read, like a slow pipe."""

    def __init__(self, data: bytes, step: int = 1):
        self.data = data
        self.step = step

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.step, len(self.data))
        buffer[:n] = self.data[:n]
        self.data = self.data[n:]
        return n


@pytest.mark.parametrize("data", [b"x,y\n1,2\n3,4\n", b'{"x": 1, "y": 2}\n{"x": 3, "y": 4}\n'],
                         ids=["csv", "jsonl"])
def test_slow_pipe_text(data):
    reader = open_points("-", ["x", "y"], stdin=Trickle(data, step=3))
    assert np.concatenate([c.values for c in reader.chunks()]).tolist() == [[1, 2], [3, 4]]


@pytest.mark.parametrize("data", [b"x\ty\n1\t2\n", npy_bytes(np.array([[1.0, 2.0]]))],
                         ids=["tsv", "npy"])
def test_slow_pipe_sniffing(data):
    reader = open_points("-", ["x", "y"], stdin=Trickle(data, step=1))
    assert [c.values.tolist() for c in reader.chunks()] == [[[1.0, 2.0]]]


def npy_with_header(header: str, body: bytes = b"\0" * 80) -> bytes:
    """A version 1.0 .npy file with this header text (padded as NumPy pads it)."""
    text = header.encode("latin1")
    text += b" " * (64 - (10 + len(text) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + body


@pytest.mark.parametrize("via", ["stdin", "file"])
def test_npy_with_a_header_numpy_cannot_tokenize_is_an_input_error(via, tmp_path):
    # NumPy raises tokenize.TokenError (no ValueError) for an unclosed header
    data = npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (5, 2")
    if via == "file":
        path = tmp_path / "p.npy"
        path.write_bytes(data)
        with pytest.raises(PointsError, match="not a valid .npy header"):
            open_points(str(path), ["x", "y"])
    else:
        with pytest.raises(PointsError, match="not a valid .npy header"):
            read(data, ["x", "y"])


@pytest.mark.parametrize("order", ["False", "True"])
def test_npy_from_stdin_claiming_a_huge_array_ends_with_an_error(order):
    # the header claims 10**12 rows; only 80 bytes follow: read as they come, then refused
    data = npy_with_header(f"{{'descr': '<f8', 'fortran_order': {order}, 'shape': (1000000000000, 2), }}")
    with pytest.raises(PointsError, match="ends"):
        read(data, ["x", "y"])
