"""The names of the many-points readers and writers where they used to live.

The code is in :mod:`symgrad.points.common` (chunks, base classes, limits),
:mod:`symgrad.points.read` and :mod:`symgrad.points.read_npy` (inputs),
:mod:`symgrad.points.write` and :mod:`symgrad.points.write_npy` (outputs);
this module only re-exports them, for the imports that use the old path.
"""

from __future__ import annotations

from .common import (
    DEFAULT_CHUNK_ROWS,
    INPUT_KINDS,
    OUTPUT_KINDS,
    Chunk,
    Columns,
    PointsError,
    PointsReader,
    PointsWriter,
)
from .read import detect_kind, open_points
from .write import FirstRowsWriter, open_writer, output_kind, require_pyarrow
from .write_npy import NpyStream, NpzStream

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "INPUT_KINDS",
    "OUTPUT_KINDS",
    "Chunk",
    "Columns",
    "FirstRowsWriter",
    "NpyStream",
    "NpzStream",
    "PointsError",
    "PointsReader",
    "PointsWriter",
    "detect_kind",
    "open_points",
    "open_writer",
    "output_kind",
    "require_pyarrow",
]
