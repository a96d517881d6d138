"""A ``.npy`` file is read a block of rows at a time (``pread``), in either
memory order, and checked against its header before any row is read."""

from __future__ import annotations

import numpy as np
import pytest

from symgrad.points import common as points_types
from symgrad.points.common import PointsError
from symgrad.points.read import open_points


def rows_of(path, symbols, chunk_rows=65_536):
    reader = open_points(str(path), symbols, chunk_rows=chunk_rows)
    try:
        chunks = list(reader.chunks())
    finally:
        reader.close()
    return chunks


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", ["<f8", ">f8", "<f4", "<i4", ">i2", "u1"])
@pytest.mark.parametrize("chunk_rows", [1, 3, 7, 1000])
def test_npy_file_rows_in_either_order_and_any_number_type(tmp_path, order, dtype, chunk_rows):
    data = np.arange(60).reshape(20, 3).astype(dtype)
    path = tmp_path / "p.npy"
    np.save(path, np.asarray(data, order=order))
    chunks = rows_of(path, ["x", "y", "z"], chunk_rows)
    assert [len(c.values) for c in chunks][:-1] == [chunk_rows] * (len(chunks) - 1)
    values = np.concatenate([c.values for c in chunks])
    assert values.dtype == np.float64
    np.testing.assert_array_equal(values, data.astype(float))
    assert np.concatenate([c.lines for c in chunks]).tolist() == list(range(1, 21))


def test_npy_file_chunks_are_capped_by_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(points_types, "MAX_CHUNK_BYTES", 8 * 3 * 4)  # 4 rows of 3 doubles
    path = tmp_path / "p.npy"
    np.save(path, np.asfortranarray(np.arange(30.0).reshape(10, 3)))
    chunks = rows_of(path, ["x", "y", "z"])
    assert [len(c.values) for c in chunks] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([c.values for c in chunks]),
                                  np.arange(30.0).reshape(10, 3))


def test_npy_file_one_dimensional_for_one_symbol(tmp_path):
    path = tmp_path / "p.npy"
    np.save(path, np.array([1.5, 2.5, 3.5]))
    chunks = rows_of(path, ["x"], 2)
    assert np.concatenate([c.values for c in chunks]).tolist() == [[1.5], [2.5], [3.5]]


def test_npy_file_shorter_than_its_header_says_is_refused_before_any_row(tmp_path):
    path = tmp_path / "p.npy"
    np.save(path, np.ones((100, 2)))
    data = path.read_bytes()
    path.write_bytes(data[:-8])  # one double short
    with pytest.raises(PointsError, match=r"ends early: its header says 1,600 bytes of data follow, "
                                          r"and 1,592 do"):
        open_points(str(path), ["x", "y"])


def test_npy_file_rows_without_columns(tmp_path):
    path = tmp_path / "p.npy"
    np.save(path, np.empty((5, 0)))
    chunks = rows_of(path, [], 2)
    assert [c.values.shape for c in chunks] == [(2, 0), (2, 0), (1, 0)]


def test_npy_file_is_closed_by_the_reader(tmp_path):
    path = tmp_path / "p.npy"
    np.save(path, np.ones((3, 1)))
    reader = open_points(str(path), ["x"])
    list(reader.chunks())
    reader.close()
    assert reader._file is not None and reader._file.closed  # type: ignore[attr-defined]
