"""Many points in one run: ``--points FILE`` and ``--grid``, streamed in constant memory.

This package's face names what a caller needs; the code is in
:mod:`.common` (chunks, base classes, limits), :mod:`.read` (which reader
for which input) with :mod:`.read_csv`, :mod:`.read_text` and
:mod:`.read_npy`, :mod:`.write` and :mod:`.write_npy` (outputs, each
written to one temporary file beside the target and renamed into place),
:mod:`.grid` (the mesh of ``--grid``), :mod:`.run` (the loop: read a
chunk, evaluate it with :mod:`symgrad.evaluation.compiled`, write it),
:mod:`.parallel` and :mod:`.cluster` (the loop on worker processes, on a
Dask cluster) and :mod:`.memory` (a run's freed buffers reused).
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
