"""Writing many points to ``.npy`` and ``.npz``, in constant memory and with
one temporary file whatever the number of columns.

The output is written to a temporary file beside the target
(:class:`~symgrad.points.staged.Staged`), which
:meth:`~symgrad.points.common.PointsWriter.close` renames onto the target
and ``abort`` removes: a failed run leaves the target as it was. ``.npy`` (:class:`NpyStream`) streams rows into that file
and rewrites its header with the real shape at the end. ``.npz``
(:class:`NpzStream`) streams the values into one scratch file, each block of
rows with every column's values together, and at the end writes each column
as one zip member, block by block.
"""

from __future__ import annotations

import math
import os
import tempfile
import zipfile
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from .common import Chunk, PointsError, PointsWriter
from .staged import Staged

if TYPE_CHECKING:
    import numpy as np

_NPY_MAGIC = b"\x93NUMPY"
#: Bytes copied from the scratch file at a time.
_PIECE = 1 << 24


def npy_header(shape: tuple[int, ...]) -> dict[str, object]:
    return {"descr": "<f8", "fortran_order": False, "shape": shape}


class NpyStream:
    """A ``.npy`` file of float64 values written as they come.

    The header is written first with room for any shape and rewritten with
    the real shape at the end (the format allows trailing spaces in the
    header), so values never have to be held in memory. ``row`` is the
    shape of one row: ``(width,)`` for a table, ``()`` for a 1-D column.
    """

    _HEADER_LEN = 256

    def __init__(self, path: str, row: tuple[int, ...] = ()):
        self.path = path
        self.row = row
        self.size = 0
        self.staged = Staged(path)
        with self.staged.writing():
            self.file = open(self.staged.path, "wb")  # noqa: SIM115 - closed by close()
            self.file.write(self._header((0, *row)))

    def _header(self, shape: tuple[int, ...]) -> bytes:
        text = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
        body_len = self._HEADER_LEN - len(_NPY_MAGIC) - 4
        if len(text) >= body_len:
            raise PointsError(f"--output: an array of shape {shape} is beyond this writer")
        return _NPY_MAGIC + b"\x01\x00" + body_len.to_bytes(2, "little") + (
            text.ljust(body_len - 1) + "\n"
        ).encode("latin1")

    def write(self, values: np.ndarray) -> None:
        import numpy as np

        block = np.ascontiguousarray(values, dtype="<f8")
        with self.staged.writing():
            self.file.write(block.tobytes())
        self.size += block.size

    def close(self, shape: tuple[int, ...] | None = None) -> None:
        """Finish the file and put it in place; ``shape`` defaults to ``(rows, *row)``."""
        if shape is None:
            shape = (self.size // max(1, math.prod(self.row)), *self.row)
        if math.prod(shape) != self.size:
            self.abort()
            raise ValueError(f"{self.size} values do not fill the shape {shape}")
        try:
            with self.staged.writing():
                self.file.seek(0)
                self.file.write(self._header(shape))
                self.file.close()
        except BaseException:
            self.abort()
            raise
        self.staged.commit()

    def abort(self) -> None:
        self.file.close()
        self.staged.discard()


class NpzStream:
    """An ``.npz`` of named float64 arrays, the streamed ones written a block of rows at a time.

    ``names`` are the streamed columns; each :meth:`write` appends a block
    of rows to one scratch file, column after column; :meth:`close` writes
    each column as the member ``name`` (``np.load(path)["df/dx"]``), read
    back block by block, then the whole arrays given to :meth:`add`.
    """

    def __init__(self, path: str, names: Sequence[str]):
        self.path = path
        self.names = list(names)
        self.staged = Staged(path)
        with self.staged.writing():  # removed by the system when closed
            self.scratch = tempfile.TemporaryFile(dir=os.path.dirname(self.staged.target))  # noqa: SIM115
        self.blocks: list[int] = []  # the rows of each block written
        self.added: list[tuple[str, np.ndarray]] = []

    def write(self, *parts: np.ndarray) -> None:
        """Append rows: ``parts`` side by side hold one column per name."""
        import numpy as np

        with self.staged.writing():
            for part in parts:
                self.scratch.write(np.ascontiguousarray(part.T, dtype="<f8").tobytes())
        self.blocks.append(parts[0].shape[0] if parts else 0)

    def add(self, name: str, array: np.ndarray) -> None:
        """Add a whole (small) array as member ``name``."""
        self.added.append((name, array))

    def close(self, shape: tuple[int, ...] | None = None) -> None:
        """Finish: the streamed columns get ``shape`` (default: 1-D)."""
        from numpy.lib import format as npy

        rows = sum(self.blocks)
        shape = (rows,) if shape is None else shape
        if math.prod(shape) != rows:
            self.abort()
            raise ValueError(f"{rows} rows do not fill the shape {shape}")
        staged = self.staged
        try:
            with staged.writing():
                self.scratch.flush()
            with staged.writing(), zipfile.ZipFile(staged.path, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                for k, name in enumerate(self.names):
                    with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                        npy.write_array_header_1_0(member, npy_header(shape))
                        self._copy_column(k, member)
                for name, array in self.added:
                    with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                        npy.write_array(member, array, allow_pickle=False)
        finally:
            self.scratch.close()
        staged.commit()

    def _copy_column(self, k: int, member: IO[bytes]) -> None:
        """Column ``k``'s values, block after block, into ``member``."""
        fd = self.scratch.fileno()
        width = len(self.names)
        offset = 0
        for rows in self.blocks:
            size = rows * 8
            start = offset + k * size
            for piece in range(start, start + size, _PIECE):
                member.write(os.pread(fd, min(_PIECE, start + size - piece), piece))
            offset += width * size

    def abort(self) -> None:
        """Remove the scratch and temporary files; the target is left as it was."""
        self.scratch.close()
        self.staged.discard()


class NpyWriter(PointsWriter):
    """``.npy``: rows × entries."""

    def __init__(self, path: str, width: int):
        self.stream = NpyStream(path, (width,))

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self.stream.write(values)

    def close(self) -> None:
        self.stream.close()

    def abort(self) -> None:
        self.stream.abort()


class NpzWriter(PointsWriter):
    """``.npz``: one 1-D array per symbol and per entry."""

    def __init__(self, path: str, names: Sequence[str]):
        self.stream = NpzStream(path, names)

    def write(self, chunk: Chunk, values: np.ndarray) -> None:
        self.stream.write(chunk.values, values)

    def close(self) -> None:
        self.stream.close()

    def abort(self) -> None:
        self.stream.abort()
