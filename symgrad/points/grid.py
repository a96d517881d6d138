"""Regular grids: ``--grid x=-100:100:25,y=0:1:n=11``.

Each axis is ``start:stop:step`` — ``start, start+step, …`` up to ``stop``,
which is included when the steps land on it exactly (so ``-100:100:25`` is
NumPy's ``mgrid[-100:101:25.]``, nine values) — or ``start:stop:n=COUNT``,
``COUNT`` values from ``start`` to ``stop`` inclusive (``linspace``; NumPy's
``mgrid[start:stop:COUNTj]``). Bounds and steps may be exact (``-pi:pi:pi/4``);
the step count is decided exactly, then the values are doubles.

The mesh uses matrix indexing (``meshgrid(..., indexing="ij")``, the layout
of ``mgrid``): axis ``k`` of every result array runs along the ``k``-th
grid variable, so each array has the shape ``numpy.gradient`` returns for a
function sampled on that mesh.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import VariableError
from ..limits import MAX_GRID_AXIS_VALUES, MAX_GRID_POINTS
from . import common as points_types
from .common import Chunk, PointsReader, PointsWriter, check_distinct
from .staged import Staged
from .write_npy import NpzStream

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Axis:
    """One grid variable: its name, its values, and the text it came from."""

    name: str
    values: np.ndarray
    text: str


@dataclass(frozen=True)
class _Plan:
    """An axis before its values are built: how many, and how to build them."""

    name: str
    count: int
    build: Callable[[], np.ndarray]
    text: str


def parse_grid(text: str) -> list[Axis]:
    """Parse ``x=-1:1:0.5,y=0:1:n=3`` into axes, in the order given.

    The size of the mesh (its points, and the values of its axes) is
    checked before any axis is built.
    """
    from ..parsing import parse_point

    plans = [_plan(name, spec) for name, spec in parse_point(text, "--grid").items()]
    total = math.prod(p.count for p in plans)
    if total > MAX_GRID_POINTS:
        raise VariableError(f"--grid: {total:,} points is more than the limit of {MAX_GRID_POINTS:,}")
    values = sum(p.count for p in plans)
    if values > MAX_GRID_AXIS_VALUES:
        raise VariableError(f"--grid: the axes have {values:,} values together, more than the limit "
                            f"of {MAX_GRID_AXIS_VALUES:,} (for more points, add an axis or use --points)")
    return [Axis(p.name, p.build(), p.text) for p in plans]


def _plan(name: str, spec: str) -> _Plan:
    import numpy as np
    import sympy as sp

    from ..parsing import parse_value

    parts = _split_colons(spec)
    if len(parts) != 3:
        raise VariableError(f"--grid: {name}={spec!r}: expected start:stop:step or start:stop:n=COUNT")
    start = parse_value(parts[0], f"the start of {name}")
    stop = parse_value(parts[1], f"the stop of {name}")
    third = parts[2].strip()
    if third.replace(" ", "").startswith("n="):
        count_text = third.split("=", 1)[1].strip()
        # ASCII digits only ("²" is a digit to str.isdigit, not to int), and
        # the length checked first: int() refuses more than 4,300 digits
        if not (count_text.isascii() and count_text.isdigit()) or not count_text.strip("0"):
            raise VariableError(f"--grid: {name}: n must be a positive whole number, not {_shown(count_text)}")
        digits = count_text.lstrip("0")
        if len(digits) > len(str(MAX_GRID_POINTS)) or int(digits) > MAX_GRID_POINTS:
            raise VariableError(f"--grid: {name}: n={_shown(count_text)} is more than the limit "
                                f"of {MAX_GRID_POINTS:,}")
        count = int(digits)
        return _Plan(name, count, lambda: np.linspace(float(start), float(stop), count), spec)
    step = parse_value(third, f"the step of {name}")
    # decimals as the exact decimals they are written as, so that
    # 0:0.3:0.1 lands on 0.3 (binary doubles would fall just short)
    start, stop, step = (_decimal_exact(v) for v in (start, stop, step))
    if step == 0:
        raise VariableError(f"--grid: {name}: the step must not be 0")
    span = (stop - start) / step
    if span.is_negative:
        raise VariableError(f"--grid: {name}: a step of {third} never gets from {parts[0]} to {parts[1]}")
    if float(span) > MAX_GRID_POINTS:
        raise VariableError(f"--grid: {name}: more than {MAX_GRID_POINTS:,} steps")
    # exact comparison decides whether the stop is reached
    count = int(sp.floor(span)) + 1
    return _Plan(name, count, lambda: float(start) + np.arange(count) * float(step), spec)


def _shown(count_text: str) -> str:
    """A count as the user wrote it, shortened if long (``n=99999...``)."""
    if len(count_text) <= 30:
        return f"{int(count_text):,}" if count_text.isascii() and count_text.isdigit() else repr(count_text)
    return repr(f"{count_text[:12]}...{count_text[-12:]}") + f" ({len(count_text):,} characters)"


def _decimal_exact(value: Any) -> Any:
    """``value`` with each SymPy Float replaced by the decimal it prints as."""
    import sympy as sp

    return value.xreplace({f: sp.Rational(str(f)) for f in value.atoms(sp.Float)})


def _split_colons(spec: str) -> list[str]:
    """Split at ``:`` outside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in spec:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == ":" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


class GridReader(PointsReader):
    """The points of a mesh, in C order, as chunks for the batch evaluator.

    ``symbols`` gives the column order of the chunks; every symbol must be
    an axis or have a value in ``fixed``.
    """

    kind = "grid"

    def __init__(self, axes: Sequence[Axis], symbols: Sequence[str], chunk_rows: int):
        self.axes = list(axes)
        self.shape = tuple(len(a.values) for a in axes)
        self.rows = math.prod(self.shape)
        self.symbols = list(symbols)
        self.columns = [[a.name for a in axes].index(s) for s in symbols]
        # rows × columns × 8 bytes a chunk at most
        self.chunk_rows = max(1, min(chunk_rows, points_types.MAX_CHUNK_BYTES // (8 * max(1, len(self.columns)))))

    def chunks(self) -> Iterator[Chunk]:
        import numpy as np

        total = math.prod(self.shape)
        for start in range(0, total, self.chunk_rows):
            flat = np.arange(start, min(start + self.chunk_rows, total))
            index = np.unravel_index(flat, self.shape)
            values = np.column_stack([self.axes[k].values[index[k]] for k in self.columns]) \
                if self.columns else np.empty((flat.size, 0))
            yield Chunk(values, flat + 1)


class GridNpzWriter(PointsWriter):
    """``.npz``: each computed column (the function's value, the entries) as
    an array of the mesh's shape, and each axis's values."""

    def __init__(self, path: str, axes: Sequence[Axis], entries: Sequence[str]):
        check_distinct([a.name for a in axes], entries)
        self.shape = tuple(len(a.values) for a in axes)
        self.axes = axes
        self.stream = NpzStream(path, list(entries))

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self.stream.write(values)

    def close(self) -> None:
        for axis in self.axes:
            self.stream.add(axis.name, axis.values)
        self.stream.close(self.shape)

    def abort(self) -> None:
        self.stream.abort()


class GridNpyWriter(PointsWriter):
    """``.npy``: all computed columns stacked, shape ``(columns, *mesh)``; without the
    function's value that is ``np.array(np.gradient(V))``'s layout, with it the value comes first.

    The shape is known from the start, so the file is a memory map of that
    array (``numpy.lib.format.open_memmap``), in a temporary file beside the
    target: the values of each chunk of points (entries side by side) go to
    their places in every entry's array.
    """

    def __init__(self, path: str, axes: Sequence[Axis], entries: Sequence[str]):
        from numpy.lib import format as npy

        self.shape = tuple(len(a.values) for a in axes)
        self.staged = Staged(path)
        try:
            with self.staged.writing():
                self.array: Any = npy.open_memmap(self.staged.path, mode="w+", dtype="<f8",
                                                  shape=(len(entries), *self.shape))
                # A memory map of a sparse file meets a full disk as SIGBUS, when a page is
                # first written: allocating every block now makes that an error here instead.
                with open(self.staged.path, "r+b") as file:
                    os.posix_fallocate(file.fileno(), 0, os.fstat(file.fileno()).st_size)
        except BaseException:
            self.array = None  # unmapped (writing() has removed the file)
            raise
        self.done = 0  # points written so far (the grid reader yields them in order)

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        rows = values.shape[0]
        flat = self.array.reshape(self.array.shape[0], -1)
        flat[:, self.done : self.done + rows] = values.T
        self.done += rows

    def close(self) -> None:
        self.array.flush()
        self.array = None  # unmapped
        self.staged.commit()

    def abort(self) -> None:
        self.array = None
        self.staged.discard()
