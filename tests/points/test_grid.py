"""Regular grids (symgrad.points.grid): axis parsing, mesh order, grid writers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import symgrad
from symgrad.evaluation.compiled import CompiledEntries
from symgrad.points.run import run_bulk
from symgrad.errors import SymgradError, VariableError
from symgrad.points.common import Chunk
from symgrad.points.grid import (
    MAX_GRID_POINTS,
    GridNpyWriter,
    GridNpzWriter,
    GridReader,
    parse_grid,
)


def values_of(text: str) -> list[list[float]]:
    return [axis.values.tolist() for axis in parse_grid(text)]


# ---------------------------------------------------------------------------
# start:stop:step


def test_seed_axis_is_numpys_mgrid():
    (axis,) = parse_grid("x=-100:100:25")
    assert axis.name == "x"
    assert axis.values.tolist() == np.mgrid[-100:101:25.0].tolist()
    assert len(axis.values) == 9


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("0:1:0.5", [0.0, 0.5, 1.0]),
        ("0:1:0.3", [0.0, 0.3, 0.6, 0.3 * 3]),        # 1 is not reached
        ("0:0.9:0.3", [0.0, 0.3, 0.6, 0.3 * 3]),      # 0.9 is reached, exactly
        ("0:0.3:0.1", [0.0, 0.1, 0.2, 0.1 * 3]),      # as decimals: 3 steps land on 0.3
        ("1:0:-0.25", [1.0, 0.75, 0.5, 0.25, 0.0]),
        ("2:2:1", [2.0]),
        ("-3:3:2", [-3.0, -1.0, 1.0, 3.0]),
        ("-3:2:2", [-3.0, -1.0, 1.0]),
        ("1/3:1:1/3", [1 / 3, 2 / 3, 1 / 3 + 2 * (1 / 3)]),
        ("0:1e-2:2.5e-3", [0.0, 0.0025, 0.005, 0.0075, 0.01]),
    ],
)
def test_stop_is_included_only_when_the_steps_land_on_it(spec, expected):
    (values,) = values_of(f"x={spec}")
    assert len(values) == len(expected)
    # values are start + k*step in doubles, as numpy.mgrid computes them
    assert values == pytest.approx(expected, rel=0, abs=1e-15)


@pytest.mark.parametrize("step_count", [10, 7, 100])
def test_decimal_steps_count_like_exact_decimals(step_count):
    step = 1 / step_count
    (values,) = values_of(f"x=0:1:{step!r}")
    # repr(step) is a decimal such as 0.1; its exact quotient decides the count
    from fractions import Fraction

    exact = Fraction(repr(step))
    assert len(values) == math.floor(1 / exact) + 1


def test_exact_bounds_with_pi():
    (values,) = values_of("x=-pi:pi:pi/4")
    assert len(values) == 9
    assert values[0] == -math.pi
    np.testing.assert_allclose(values, np.linspace(-math.pi, math.pi, 9), rtol=0, atol=1e-15)
    assert values[4] == pytest.approx(0.0, abs=1e-15)


def test_exact_bounds_decide_inclusion_where_doubles_would_not():
    # 3 steps of pi/10 reach 3*pi/10 exactly
    (values,) = values_of("x=0:3*pi/10:pi/10")
    assert len(values) == 4


# ---------------------------------------------------------------------------
# start:stop:n=COUNT


@pytest.mark.parametrize("count", [1, 2, 5, 201])
def test_count_is_linspace(count):
    (values,) = values_of(f"x=-1:1:n={count}")
    assert values == np.linspace(-1, 1, count).tolist()


def test_count_allows_spaces_and_exact_bounds():
    (values,) = values_of("t=0:2*pi: n = 5")
    assert values == np.linspace(0, 2 * math.pi, 5).tolist()


def test_several_axes_in_the_order_given():
    axes = parse_grid("y=0:1:n=3,x=-1:1:1")
    assert [a.name for a in axes] == ["y", "x"]
    assert [a.values.tolist() for a in axes] == [[0, 0.5, 1], [-1, 0, 1]]


# ---------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "text, message",
    [
        ("x=0:1:0", "step must not be 0"),
        ("x=0:1:0*pi", "step must not be 0"),
        ("x=0:1:-0.5", "never gets from 0 to 1"),
        ("x=1:0:0.5", "never gets from 1 to 0"),
        ("x=0:1", "expected start:stop:step"),
        ("x=0:1:2:3", "expected start:stop:step"),
        ("x=5", "expected start:stop:step"),
        ("x=0:1:n=0", "n must be a positive whole number"),
        ("x=0:1:n=-3", "n must be a positive whole number"),
        ("x=0:1:n=2.5", "n must be a positive whole number"),
        ("x=0:1:n=abc", "n must be a positive whole number"),
        ("x=0:1:1e-10", "more than"),
        ("x=0:1:n=2000000000", "more than the limit"),
        ("x=0:1:n=40000,y=0:1:n=40000", "1,600,000,000 points is more than the limit"),
    ],
)
def test_grid_errors(text, message):
    with pytest.raises(VariableError, match=message):
        parse_grid(text)


@pytest.mark.parametrize(
    "text",
    ["x=a:1:1", "x=0:1:step", "x=0:oo:1", "x=0:nan:1", "x=(0:1:1", "=0:1:1", "x", "x=0:1:1,x=0:2:1",
     "x=0:1:I", "x=0:1:__import__('os')"],
)
def test_grid_bad_syntax_is_a_symgrad_error(text):
    with pytest.raises(SymgradError):
        parse_grid(text)


def test_limit_is_a_billion():
    assert MAX_GRID_POINTS == 10**9


# ---------------------------------------------------------------------------
# GridReader: points in C order (x slowest), like meshgrid(indexing="ij")


def mesh_points(axes_values, order):
    mesh = np.meshgrid(*axes_values, indexing="ij")
    return np.column_stack([mesh[k].ravel() for k in order])


@pytest.mark.parametrize("chunk_rows", [1, 4, 7, 60, 1000])
def test_grid_reader_points_in_c_order(chunk_rows):
    axes = parse_grid("x=0:2:1,y=10:40:10,z=-1:1:n=5")
    reader = GridReader(axes, ["x", "y", "z"], chunk_rows)
    assert reader.kind == "grid"
    assert reader.shape == (3, 4, 5) and reader.rows == 60
    chunks = list(reader.chunks())
    assert all(len(c.values) <= chunk_rows for c in chunks)
    values = np.concatenate([c.values for c in chunks])
    lines = np.concatenate([c.lines for c in chunks])
    expected = mesh_points([a.values for a in axes], [0, 1, 2])
    assert np.array_equal(values, expected)
    assert lines.tolist() == list(range(1, 61))
    # the first rows vary z fastest
    assert values[:6].tolist() == [[0, 10, -1], [0, 10, -0.5], [0, 10, 0], [0, 10, 0.5],
                                   [0, 10, 1], [0, 20, -1]]


def test_grid_reader_columns_follow_the_symbols_not_the_axes():
    axes = parse_grid("y=0:1:1,x=5:7:1")
    reader = GridReader(axes, ["x", "y"], 100)
    (chunk,) = reader.chunks()
    # mesh order: y slowest (first axis); columns: x, y
    assert chunk.values.tolist() == [[5, 0], [6, 0], [7, 0], [5, 1], [6, 1], [7, 1]]


def test_grid_reader_without_symbols_from_the_grid():
    axes = parse_grid("x=0:1:n=3")
    (chunk,) = GridReader(axes, [], 10).chunks()
    assert chunk.values.shape == (3, 0)


# ---------------------------------------------------------------------------
# Grid writers, through run_bulk


def run_on_grid(formula, grid, writer_class, path, chunk_rows=7, fixed=None, **kw):
    derivs = symgrad.hessian(formula, **kw) if kw.pop("hessian", False) else symgrad.gradient(formula, **kw)
    compiled = CompiledEntries(derivs, "numpy")
    axes = parse_grid(grid)
    names = [s.name for s in compiled.symbols]
    wanted = [n for n in names if n not in (fixed or {})]
    reader = GridReader(axes, wanted, chunk_rows)
    writer = writer_class(str(path), axes, compiled.names)
    report = run_bulk(compiled, reader, writer, fixed)
    return axes, compiled, report


def test_grid_npz_writer_shapes_and_values(tmp_path):
    path = tmp_path / "g.npz"
    axes, _, report = run_on_grid("x**2*y + sin(z)", "x=-1:1:0.5,y=0:3:1,z=0:1:n=3",
                                         GridNpzWriter, path)
    assert report.rows == 5 * 4 * 3 and report.bad == []
    x, y, z = np.meshgrid(*(a.values for a in axes), indexing="ij")
    with np.load(path) as saved:
        assert sorted(saved.files) == sorted(["df/dx", "df/dy", "df/dz", "x", "y", "z"])
        for key in ("df/dx", "df/dy", "df/dz"):
            assert saved[key].shape == (5, 4, 3)
        np.testing.assert_array_equal(saved["df/dx"], 2 * x * y)
        np.testing.assert_array_equal(saved["df/dy"], x**2)
        np.testing.assert_allclose(saved["df/dz"], np.cos(z), rtol=1e-15)
        assert saved["x"].tolist() == [-1, -0.5, 0, 0.5, 1]
        assert saved["z"].tolist() == [0, 0.5, 1]


def test_grid_npy_writer_stacks_entries(tmp_path):
    path = tmp_path / "g.npy"
    axes, _, _ = run_on_grid("x*y**2", "x=0:4:1,y=-1:1:n=4", GridNpyWriter, path,
                                    chunk_rows=3, hessian=True)
    saved = np.load(path)
    # df/dx, df/dy, d2f/dx^2, d2f/dxdy, d2f/dy^2
    assert saved.shape == (5, 5, 4)
    x, y = np.meshgrid(*(a.values for a in axes), indexing="ij")
    for got, want in zip(saved, [y**2, 2 * x * y, 0 * x, 2 * y, 2 * x]):
        np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


def test_grid_with_a_fixed_parameter(tmp_path):
    path = tmp_path / "g.npz"
    run_on_grid("a*x**2", "x=0:2:1", GridNpzWriter, path, fixed={"a": 3.0}, wrt="x")
    with np.load(path) as saved:
        assert saved["df/dx"].tolist() == [0, 6, 12]


@pytest.mark.parametrize("cls, name", [(GridNpzWriter, "g.npz"), (GridNpyWriter, "g.npy")])
def test_grid_writers_clean_up_their_temporary_files(tmp_path, cls, name):
    axes = parse_grid("x=0:1:1")
    values = np.array([[1.0], [2.0]])
    writer = cls(str(tmp_path / name), axes, ["df/dx"])
    writer.write(Chunk(np.array([[0.0], [1.0]]), np.array([1, 2])), values)
    writer.abort()
    assert list(tmp_path.iterdir()) == []
    writer = cls(str(tmp_path / name), axes, ["df/dx"])
    writer.write(Chunk(np.array([[0.0], [1.0]]), np.array([1, 2])), values)
    writer.close()
    assert [p.name for p in tmp_path.iterdir()] == [name]
