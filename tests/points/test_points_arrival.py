"""Rows are handled as they arrive and chunks are bounded by bytes; an input
column named as an output column is refused.

The slow producer is this test, writing a real ``python -m symgrad``'s
stdin; it waits for a row's output (a 30 s upper bound, not a measure of
speed) before it sends the next one.
"""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import time

import numpy as np
import pytest
from helpers import clean_env, npy_bytes

from symgrad.points import common as points_types
from symgrad.points.common import Chunk, PointsError, PointsWriter
from symgrad.points.grid import GridReader, parse_grid
from symgrad.points.read import open_points
from symgrad.points.read_text import Lines

WAIT = 30.0  # seconds: an upper bound on waiting for a row's output, not a measure


def read_lines(fd: int, count: int, buffer: bytearray) -> list[str]:
    """``count`` lines from ``fd`` (whatever is in ``buffer`` first), waiting at most WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while buffer.count(b"\n") < count:
        left = deadline - time.monotonic()
        ready = select.select([fd], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            raise AssertionError(f"no output after {WAIT:.0f} s; so far {bytes(buffer)!r}")
        block = os.read(fd, 65536)
        if not block:
            raise AssertionError(f"output ended early: {bytes(buffer)!r}")
        buffer += block
    lines = bytes(buffer).split(b"\n")
    del buffer[: sum(len(line) + 1 for line in lines[:count])]
    return [line.decode() for line in lines[:count]]


@pytest.mark.slow
@pytest.mark.parametrize("kind, head, rows, out_head, outs", [
    ("csv", "x,y\n", ["1,2\n", "3,4\n"], ["x,y,f,df/dx,df/dy"], ["1,2,2.0,2.0,1.0", "3,4,12.0,4.0,3.0"]),
    ("tsv", "x\ty\n", ["1\t2\n", "3\t4\n"], ["x\ty\tf\tdf/dx\tdf/dy"],
     ["1\t2\t2.0\t2.0\t1.0", "3\t4\t12.0\t4.0\t3.0"]),
    ("jsonl", "", ['{"x": 1, "y": 2}\n', '{"x": 3, "y": 4}\n'], [],
     ['{"at": {"x": 1.0, "y": 2.0}, "value": 2.0, "gradient": [2.0, 1.0]}',
      '{"at": {"x": 3.0, "y": 4.0}, "value": 12.0, "gradient": [4.0, 3.0]}']),
])
def test_each_row_from_a_slow_producer_comes_out_before_the_next_is_sent(kind, head, rows, out_head, outs):
    args = ["--format", "json"] if kind == "jsonl" else []
    proc = subprocess.Popen([sys.executable, "-m", "symgrad", "x*y", "--points", "-", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=clean_env())
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    try:
        pending = bytearray()
        proc.stdin.write((head + rows[0]).encode())
        proc.stdin.flush()  # and stdin stays open: more rows may come
        assert read_lines(proc.stdout.fileno(), len(out_head) + 1, pending) == [*out_head, outs[0]]
        proc.stdin.write(rows[1].encode())
        proc.stdin.flush()
        assert read_lines(proc.stdout.fileno(), 1, pending) == [outs[1]]
        proc.stdin.close()
        assert proc.wait(WAIT) == 0, proc.stderr.read()
        assert proc.stdout.read() == b"" and pending == b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


# ---------------------------------------------------------------------------
# Lines: what has arrived, and no more than a chunk's characters


class Pipe:
    """Blocks of bytes as a pipe gives them; reading past them is an error (it would wait)."""

    def __init__(self, *blocks: bytes):
        self.blocks = list(blocks)

    def read(self, size: int) -> bytes:
        assert self.blocks, "read again: with nothing more arrived, this read would wait"
        block = self.blocks.pop(0)
        assert len(block) <= size
        return block


def test_lines_hands_out_what_has_arrived_without_waiting_for_more():
    pipe = Pipe(b"x\n1\n2\n")
    lines = Lines(pipe.read, ready=lambda: False)
    assert lines.take(100) == ["x", "1", "2"]


def test_lines_reads_on_while_more_has_arrived():
    pipe = Pipe(b"x\n1\n", b"2\n3", b"\n", b"")
    lines = Lines(pipe.read, ready=lambda: True)
    assert lines.take(100) == ["x", "1", "2", "3"]
    assert lines.number == 4


def test_lines_waits_for_the_end_of_a_line_even_when_nothing_has_arrived():
    pipe = Pipe(b"x\n1", b"2\n")
    lines = Lines(pipe.read, ready=lambda: False)
    assert lines.take(1) == ["x"]
    assert lines.take(5) == ["12"]  # one line is worth waiting for


@pytest.mark.parametrize("max_chars, expected", [
    (1, [["aaa"], ["b"], ["cc"], ["dddd"], ["e"]]),
    (4, [["aaa", "b"], ["cc"], ["dddd"], ["e"]]),
    (6, [["aaa", "b", "cc"], ["dddd", "e"]]),
    (100, [["aaa", "b", "cc", "dddd", "e"]]),
])
def test_lines_takes_at_most_max_chars_but_at_least_one_line(max_chars, expected):
    lines = Lines(io.BytesIO(b"aaa\nb\ncc\ndddd\ne\n").read1)
    got = []
    while batch := lines.take(100, max_chars):
        got.append(batch)
    assert got == expected
    assert lines.number == 5


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_text_chunks_hold_at_most_max_chunk_chars(monkeypatch, kind):
    monkeypatch.setattr(points_types, "MAX_CHUNK_CHARS", 200)
    pad = "p" * 45
    if kind == "csv":
        text = "x,pad\n" + "".join(f"{i},{pad}\n" for i in range(40))
    else:
        text = "".join(f'{{"x": {i}, "pad": "{pad}"}}\n' for i in range(40))
    reader = open_points("-", ["x"], stdin=io.BytesIO(text.encode()))
    chunks = list(reader.chunks())
    assert len(chunks) > 5
    values = [v for c in chunks for v in c.values[:, 0].tolist()]
    assert values == [float(i) for i in range(40)]
    for chunk in chunks:
        kept = chunk.raw if chunk.raw is not None else [str(e) for e in chunk.extra or []]
        assert sum(map(len, kept)) <= 200


def test_npy_and_grid_chunks_hold_at_most_max_chunk_bytes(monkeypatch):
    monkeypatch.setattr(points_types, "MAX_CHUNK_BYTES", 8 * 4 * 10)  # 10 rows of 4 doubles
    data = np.arange(400.0).reshape(100, 4)
    for stdin, source in [(io.BytesIO(npy_bytes(data)), "-")]:
        reader = open_points(source, ["a", "b", "c", "d"], stdin=stdin, kind="npy")
        chunks = list(reader.chunks())
        assert [c.values.shape[0] for c in chunks] == [10] * 10
        np.testing.assert_array_equal(np.vstack([c.values for c in chunks]), data)
    grid = GridReader(parse_grid("a=0:9:1,b=0:1:1,c=0:4:1,d=0:0:1"), ["a", "b", "c", "d"], 65_536)
    assert [c.values.shape[0] for c in grid.chunks()] == [10] * 10


class Recorder(PointsWriter):
    def __init__(self):
        self.written: list[tuple[Chunk, np.ndarray]] = []

    def write(self, chunk, values):
        self.written.append((chunk, values))


def test_run_bulk_evaluates_wide_rows_a_few_at_a_time(monkeypatch):
    from symgrad.evaluation.compiled import CompiledEntries
    from symgrad.jobs import JobSpec, derive
    from symgrad.points.run import run_bulk

    # 2 symbols + 2 entries = 32 bytes a row: 3 rows at a time
    monkeypatch.setattr(points_types, "MAX_CHUNK_BYTES", 100)
    compiled = CompiledEntries(derive(["x*y"], JobSpec(wrt=("x", "y"))), "auto", "f")
    text = "id,x,y\n" + "".join(f"r{i},{i},{2 * i}\n" for i in range(10))
    reader = open_points("-", ["x", "y"], stdin=io.BytesIO(text.encode()))
    writer = Recorder()
    report = run_bulk(compiled, reader, writer)
    assert report.rows == 10
    assert [values.shape[0] for _, values in writer.written] == [3, 3, 3, 1]
    raw = [r for chunk, _ in writer.written for r in chunk.raw or []]
    assert raw == [f"r{i},{i},{2 * i}" for i in range(10)]
    lines = [int(n) for chunk, _ in writer.written for n in chunk.lines]
    assert lines == list(range(2, 12))
    values = np.vstack([v for _, v in writer.written])
    np.testing.assert_array_equal(values, [[2.0 * i, float(i)] for i in range(10)])


def test_small_chunks_change_nothing_in_the_output(cli, monkeypatch):
    text = "id,x,y,note\n" + "".join(f'r{i},{i * 0.5},{i - 3},"n, {i}"\n' for i in range(30))
    outputs = []
    for limit in (points_types.MAX_CHUNK_BYTES, 40):
        monkeypatch.setattr(points_types, "MAX_CHUNK_BYTES", limit)
        for fmt in ("csv", "json"):
            result = cli("x**2*y", "-H", "--points", "-", "--format", fmt, input=text)
            assert result.exit_code == 0, result.stderr
            outputs.append(result.stdout)
    assert outputs[:2] == outputs[2:]


# ---------------------------------------------------------------------------
# An input column named as an output column


@pytest.mark.parametrize("text, column", [
    ("x,df/dx\n1,2\n", "df/dx"),
    ("x\tdf/dx\n1\t2\n", "df/dx"),
    ("x,y,d2f/dxdy\n1,2,3\n", "d2f/dxdy"),
])
def test_an_input_column_named_as_an_output_column_is_refused(cli, text, column):
    args = ("x**2*y", "-H") if "y" in text else ("x**2",)
    result = cli(*args, "--points", "-", input=text)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert f"a column named {column}" in lines[0] and "--name" in lines[0]
    assert result.stdout == ""


def test_a_function_named_otherwise_takes_the_column_in(cli):
    result = cli("x**2", "--points", "-", "--name", "g", input="x,df/dx\n3,2\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["x,df/dx,g,dg/dx", "3,2,9.0,6.0"]


def test_a_json_key_named_as_an_output_is_not_a_column(cli):
    # JSON Lines rows keep their other keys under "extra": nothing clashes
    result = cli("x**2", "--points", "-", "--format", "json", input='{"x": 3, "df/dx": 1}\n')
    assert result.exit_code == 0, result.stderr
    assert '"extra": {"df/dx": 1}' in result.stdout


def test_the_clash_is_a_points_error():
    from symgrad.points.run import check_output_names

    reader = open_points("-", ["x"], stdin=io.BytesIO(b"x,df/dx\n1,2\n"))
    with pytest.raises(PointsError, match="df/dx"):
        check_output_names(reader, ["df/dx"])
    check_output_names(reader, ["dg/dx"])
