"""CSV/TSV chunks handed out as the file's bytes (``Lines.take_block``).

A chunk of a file without quotes, carriage returns or non-ASCII text goes
to a worker of ``--workers`` as its bytes, split into rows there. Those
chunks must be exactly the rows, line numbers and chunk boundaries the
line-by-line reader hands out (the outputs are compared byte for byte),
and the same errors at the same lines; these tests read random inputs
both ways, with small read sizes and limits so every branch is taken.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symgrad.points import common as points_types
from symgrad.points.common import PointsError
from symgrad.points.read import open_points
from symgrad.points.read_csv import _Block
from symgrad.points.read_text import Lines, _end_of_line

ROW = st.one_of(
    st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)).map(lambda p: f"{p[0]!r},{p[1]!r}"),
    st.integers(-99, 99).map(lambda k: f"{k},{k * 3}"),
    st.just(""),
    st.just("   "),
    st.sampled_from(['"7",8', '9,"1\n0"', "é,1", "1,2\r", "1,2,3", "x,1", "1" * 90 + ",2"]),
)


def pieces(path: str, chunk_rows: int, blocks: bool) -> list[tuple[list[str], list[int]]] | str:
    """The reader's pieces as (row texts, line numbers), or the error it raised."""
    with pytest.MonkeyPatch.context() as patch:
        if not blocks:
            patch.setattr(Lines, "take_block", lambda self, *args: None)
        try:
            reader = open_points(path, ["x", "y"], chunk_rows=chunk_rows)
        except PointsError as err:
            return str(err)
        try:
            out = []
            for piece in reader.pieces():
                rows = piece.rows() if isinstance(piece, _Block) else piece
                if rows:  # a block of empty lines makes no chunk (the line reader skips it)
                    out.append((list(rows.texts), [int(n) for n in rows.numbers]))
            return out
        except PointsError as err:
            return str(err)
        finally:
            reader.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(ROW, max_size=60),
    chunk_rows=st.integers(1, 20),
    read_chars=st.integers(8, 400),
    max_chars=st.integers(10, 2000),
    max_line=st.integers(40, 200),
    ending=st.sampled_from(["\n", ""]),
)
def test_blocks_are_the_rows_the_line_reader_reads(rows, chunk_rows, read_chars, max_chars, max_line, ending):
    text = "x,y\n" + "\n".join(rows) + (ending if rows else "")
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(points_types, "READ_CHARS", read_chars)
        patch.setattr(points_types, "MAX_CHUNK_CHARS", max_chars)
        patch.setattr(points_types, "MAX_LINE_CHARS", max_line)
        path = os.path.join(folder, "in.csv")
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        assert pieces(path, chunk_rows, blocks=True) == pieces(path, chunk_rows, blocks=False)


def test_a_plain_file_is_read_in_blocks_and_a_quote_is_not(tmp_path, monkeypatch):
    monkeypatch.setattr(points_types, "READ_CHARS", 64)  # a read holding a quote is read line by line
    path = tmp_path / "in.csv"
    path.write_text("x,y\n" + "".join(f"{k},{k + 1}\n" for k in range(100)) + '"1",2\n' + "3,4\n" * 5)
    reader = open_points(str(path), ["x", "y"], chunk_rows=10)
    kinds = [type(piece).__name__ for piece in reader.pieces()]
    reader.close()
    assert kinds[:8] == ["_Block"] * 8
    assert "_Rows" in kinds  # the chunk holding the quote, read line by line


def test_the_end_of_a_line_is_found_across_parts():
    parts = [b"a\n\nbbb", b"", b"\ncc\n" * 3, b"tail"]
    block = b"".join(parts)
    ends = [k + 1 for k, byte in enumerate(block) if byte == 10]
    counts = [part.count(b"\n") for part in parts]
    assert [_end_of_line(parts, counts, count) for count in range(1, len(ends) + 1)] == ends
    with pytest.raises(ValueError):
        _end_of_line(parts, counts, len(ends) + 1)
