"""Reading many points from ``.npy`` and ``.npz``.

``.npy``: a 2-D array whose columns are the job's symbols in order (the
variables in ``--wrt`` order, then the parameters), read row block by row
block from a file (``pread``) or from standard input. ``.npz``: one
1-D array per symbol name, or a single 2-D array laid out as for ``.npy``,
read whole (a zip archive needs random access).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from typing import IO, Any

from ..errors import SymgradError
from ..limits import MAX_NPZ_BYTES, MAX_ROWS_WITHOUT_COLUMNS
from . import common as points_types
from .common import Chunk, PointsError, PointsReader, check_finite, missing_columns


class BinaryReader(PointsReader):
    """``.npy`` (read row block by row block, from a file or stdin) or ``.npz``
    (read whole: a zip archive needs random access)."""

    def __init__(self, stream: IO[bytes], source: str, kind: str, symbols: Sequence[str],
                 chunk_rows: int):
        import numpy as np

        self.kind = kind
        self.symbols = list(symbols)
        # rows × columns × 8 bytes a chunk at most
        self.chunk_rows = max(1, min(chunk_rows, points_types.MAX_CHUNK_BYTES // (8 * max(1, len(self.symbols)))))
        self._stream: IO[bytes] | None = None
        self._file: IO[bytes] | None = None
        if kind == "npy" and source == "-":
            self._open_stream(stream)
            return
        if kind == "npy":
            try:
                self._open_file(stream, source)
            except SymgradError:
                stream.close()
                raise
            except Exception as err:  # noqa: BLE001 - NumPy's header parser raises many kinds
                stream.close()
                raise PointsError(f"--points: cannot read {source} as .npy: {_reason(err)}") from None
            return
        try:
            data = stream if source != "-" else _read_npz_stdin(stream)
            try:
                # an archive reads its members from the open file
                self.array = self._from_npz(np.load(data, allow_pickle=False))
            finally:
                if data is not stream:
                    data.close()
        except SymgradError:  # a limit, or the time limit: not NumPy's
            raise
        except Exception as err:  # noqa: BLE001 - NumPy's reader of a hostile file raises many kinds
            raise PointsError(f"--points: cannot read {source} as .{kind}: {_reason(err)}") from None
        finally:
            if source != "-":
                stream.close()
        self.rows = self.array.shape[0]

    def _open_file(self, stream: IO[bytes], source: str) -> None:
        """Read a ``.npy`` file's header and get ready to read its rows, a block at a time.

        Each chunk is read with ``pread`` (a memory map would count every page
        of the file as this process's memory, a Fortran-ordered one at once).
        """
        shape, fortran_order, dtype = _npy_header(stream, source)
        # the header is enough to refuse an array of objects (never made from raw bytes)
        self._shape = self._check_layout(dtype, tuple(shape), source)
        self._dtype = dtype
        self._fortran = bool(fortran_order) and len(shape) > 1
        self._offset = stream.tell()
        self.rows = self._shape[0]
        nbytes = math.prod(self._shape) * dtype.itemsize
        held = os.fstat(stream.fileno()).st_size - self._offset
        if held < nbytes:
            raise PointsError(f"--points: {source} ends early: its header says {nbytes:,} bytes "
                              f"of data follow, and {max(held, 0):,} do")
        self._file = stream

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def _from_npz(self, archive: Any) -> Any:
        import numpy as np

        with archive:
            names = list(archive.files)
            self.names = names
            if all(name in names for name in self.symbols) and self.symbols:
                shapes = [_member_shape(archive, name) for name in self.symbols]
                if any(len(shape) != 1 for shape in shapes) or len(set(shapes)) != 1:
                    raise PointsError("--points: the .npz arrays of the symbols must be 1-D and "
                                      "of one length")
                rows = shapes[0][0]
                _check_npz_size(rows * len(self.symbols) * 8, "its arrays of the symbols, as doubles,")
                # one matrix filled a column at a time: one member read at a time beside it
                values = np.empty((rows, len(self.symbols)))
                for k, name in enumerate(self.symbols):
                    values[:, k] = archive[name]
                return values
            if len(names) == 1:
                _member_shape(archive, names[0])
                return self._check_matrix(archive[names[0]], f"the .npz array {names[0]}")
            raise missing_columns(self.symbols, names)

    def _open_stream(self, stream: IO[bytes]) -> None:
        """Read a ``.npy`` header from stdin and get ready to read its rows.

        A C-ordered array (what ``np.save`` writes) is then read block by
        block, so a pipe of any length takes constant memory; a
        Fortran-ordered one can only be read whole.
        """
        import numpy as np

        try:
            shape, fortran_order, dtype = _npy_header(stream, "-")
        except SymgradError:  # a limit, or the time limit: not NumPy's
            raise
        except Exception as err:  # noqa: BLE001 - NumPy's header parser raises many kinds
            raise PointsError(f"--points: cannot read - as .npy: {_reason(err)}") from None
        self._shape = self._check_layout(dtype, tuple(shape), "the .npy array")
        self._dtype = dtype
        self.rows = self._shape[0]
        if fortran_order and len(shape) > 1:
            size = math.prod(shape) * dtype.itemsize
            data = _read_up_to(stream, size)
            if len(data) < size:
                raise PointsError("--points: the .npy data from stdin ends early")
            self.array = np.frombuffer(data, dtype=dtype).reshape(self._shape, order="F")
        else:
            self._stream = stream

    def _check_layout(self, dtype: Any, shape: tuple[int, ...], what: str) -> tuple[int, int]:
        """``shape`` as (rows, symbols), or an error saying what is wrong with the array."""
        import numpy as np

        if dtype.names:
            raise PointsError(f"--points: {what} is a structured array; use a plain 2-D float array")
        if len(shape) == 1 and len(self.symbols) == 1:
            shape = (shape[0], 1)
        if len(shape) != 2 or shape[1] != len(self.symbols):
            raise PointsError(
                f"--points: {what} has shape {shape}; expected (rows, {len(self.symbols)}) "
                f"with columns {', '.join(self.symbols)}"
            )
        if not np.issubdtype(dtype, np.number) or np.issubdtype(dtype, np.complexfloating):
            raise PointsError(f"--points: {what} holds {dtype}, not real numbers")
        if shape[1] == 0 and shape[0] > MAX_ROWS_WITHOUT_COLUMNS:
            raise PointsError(f"--points: {what} has {shape[0]:,} rows and no columns; the limit for "
                              f"an input without columns is {MAX_ROWS_WITHOUT_COLUMNS:,} rows")
        return shape[0], shape[1]

    def _check_matrix(self, array: Any, what: str) -> Any:
        return array.reshape(self._check_layout(array.dtype, array.shape, what))

    def chunks(self) -> Iterator[Chunk]:
        if self._stream is not None:
            yield from self._streamed_chunks(self._stream)
            return
        if self._file is not None:
            yield from self._file_chunks(self._file.fileno())
            return
        import numpy as np

        for start in range(0, self.array.shape[0], self.chunk_rows):
            values = np.array(self.array[start : start + self.chunk_rows], dtype=float)
            numbers = np.arange(start + 1, start + 1 + values.shape[0])
            check_finite(values, numbers, self.symbols, "row")
            yield Chunk(values, numbers)

    def _file_chunks(self, fd: int) -> Iterator[Chunk]:
        import numpy as np

        rows, width = self._shape
        size = self._dtype.itemsize
        for start in range(0, rows, self.chunk_rows):
            count = min(self.chunk_rows, rows - start)
            if self._fortran:  # column by column: each is a run of the file
                columns = [_pread(fd, count * size, self._offset + (k * rows + start) * size)
                           for k in range(width)]
                values = np.empty((count, width))
                for k, column in enumerate(columns):
                    values[:, k] = np.frombuffer(column, dtype=self._dtype)
            else:
                data = _pread(fd, count * width * size, self._offset + start * width * size)
                values = np.frombuffer(data, dtype=self._dtype).reshape(count, width).astype(float)
            numbers = np.arange(start + 1, start + 1 + count)
            check_finite(values, numbers, self.symbols, "row")
            yield Chunk(values, numbers)

    def _streamed_chunks(self, stream: IO[bytes]) -> Iterator[Chunk]:
        import numpy as np

        rows, width = self._shape
        row_bytes = width * self._dtype.itemsize
        start = 0
        while start < rows:
            count = min(self.chunk_rows, rows - start)
            data = _read_up_to(stream, count * row_bytes)
            got = len(data) // row_bytes if row_bytes else count  # no columns: nothing to read
            if got < count:
                raise PointsError(f"--points: the .npy data from stdin ends after {start + got:,} "
                                  f"of {rows:,} rows")
            values = np.frombuffer(data, dtype=self._dtype).reshape(count, width).astype(float)
            numbers = np.arange(start + 1, start + 1 + count)
            check_finite(values, numbers, self.symbols, "row")
            yield Chunk(values, numbers)
            start += count


def _pread(fd: int, size: int, offset: int) -> bytes:
    """``size`` bytes of file ``fd`` from ``offset`` (the file was checked to hold them)."""
    parts = []
    while size > 0:
        block = os.pread(fd, size, offset)
        if not block:
            raise PointsError("--points: the .npy file became shorter while it was read")
        parts.append(block)
        size -= len(block)
        offset += len(block)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _read_up_to(stream: IO[bytes], size: int, piece: int = 1 << 24) -> bytes:
    """``size`` bytes of ``stream``, or fewer at its end; memory grows only with what arrives.

    (A header may claim any size: one ``read(size)`` would reserve it all.)
    """
    parts = []
    left = size
    while left > 0:
        block = stream.read(min(left, piece))
        if not block:
            break
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


def _npy_header(stream: IO[bytes], what: str) -> tuple[Any, bool, Any]:
    """(shape, Fortran order, dtype) from the header of a ``.npy`` at the start of ``stream``."""
    from numpy.lib import format as npy

    version = npy.read_magic(stream)
    if version == (1, 0):
        return npy.read_array_header_1_0(stream)
    if version in ((2, 0), (3, 0)):  # 3.0 differs only in text encoding (UTF-8 for field names)
        return npy.read_array_header_2_0(stream)
    raise PointsError(f"--points: cannot read {what} as .npy (format version {version[0]}.{version[1]})")


def _read_npz_stdin(stream: IO[bytes]) -> IO[bytes]:
    """A ``.npz`` from standard input, copied to an unnamed temporary file (an
    archive needs random access; the system removes the file however the run
    ends), if it is not too large."""
    import tempfile

    limit = MAX_NPZ_BYTES + (1 << 20)  # the arrays and room for the archive's headers
    copy = tempfile.TemporaryFile()  # noqa: SIM115 - np.load reads it; closed with the archive
    size = 0
    while block := stream.read(1 << 20):
        size += len(block)
        if size > limit:
            copy.close()
            raise PointsError(f"--points: the .npz on standard input is larger than the limit of "
                              f"{limit:,} bytes (use a .npy, which is read a block at a time)")
        copy.write(block)
    copy.seek(0)
    return copy


def _check_npz_size(size: int, what: str) -> None:
    if size > MAX_NPZ_BYTES:
        raise PointsError(f"--points: the .npz input's {what} would take {size:,} bytes; the limit is "
                          f"{MAX_NPZ_BYTES:,} (an archive is read whole: use a .npy, read a block at a time)")


def _member_shape(archive: Any, name: str) -> tuple[int, ...]:
    """The shape of ``.npz`` member ``name`` from its header, refused before it is
    read if its data (as the header or the archive says) is over the limit."""
    member = name if name in archive.zip.namelist() else f"{name}.npy"
    info = archive.zip.getinfo(member)
    # the archive's own size of the member (a zip bomb's is large)
    _check_npz_size(info.file_size, f"array {name}, decompressed,")
    with archive.zip.open(member) as data:
        shape, _, dtype = _npy_header(data, f"the .npz array {name}")
    _check_npz_size(math.prod(shape) * max(1, dtype.itemsize), f"array {name}")
    return tuple(shape)


def _reason(err: BaseException) -> str:
    """An exception from NumPy's reader as one line for the user."""
    from tokenize import TokenError

    if isinstance(err, (SyntaxError, TokenError)):
        return "its header is not a valid .npy header"
    text = str(err).splitlines()[0] if str(err) else ""
    return text or type(err).__name__

