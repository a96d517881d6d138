"""The names of the many-points readers and writers where they used to live.

The code is in :mod:`symgrad.points_types` (chunks, base classes, limits),
:mod:`symgrad.points_read` and :mod:`symgrad.points_read_npy` (inputs),
:mod:`symgrad.points_write` and :mod:`symgrad.points_write_npy` (outputs);
this module only re-exports them, for the imports that use the old path.
"""

from __future__ import annotations

from .points_read import detect_kind, open_points
from .points_types import (
    DEFAULT_CHUNK_ROWS,
    INPUT_KINDS,
    OUTPUT_KINDS,
    Chunk,
    Columns,
    PointsError,
    PointsReader,
    PointsWriter,
)
from .points_write import FirstRowsWriter, open_writer, output_kind, require_pyarrow
from .points_write_npy import NpyStream, NpzStream

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
