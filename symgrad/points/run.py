"""The run loop of many points (``--points FILE``, ``--grid``): read, evaluate, write.

:func:`run_bulk` streams the points of a reader (:mod:`symgrad.points.read`,
:class:`symgrad.points.grid.GridReader`) through a job's compiled evaluation
(:mod:`symgrad.evaluation.compiled`: all entries over an array of points at once) into a
writer (:mod:`symgrad.points.write`), chunk by chunk, and counts the entries
that are not finite, and apart from them the function's values that are not
(which are reported but are not the job's problems, as at a single point).
Memory stays flat however many rows pass through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import common as points_types
from .common import Chunk, PointsError, PointsReader, PointsWriter

if TYPE_CHECKING:
    import numpy as np

    from ..calculus import Derivatives
    from ..evaluation.compiled import CompiledEntries


@dataclass
class BadEntry:
    """An entry that is not finite at some rows."""

    name: str
    count: int
    #: Line number (or row, for binary input and grids) of the first such row.
    first_line: int
    #: The point of that row, ``{symbol: value}``.
    first_point: dict[str, float]


@dataclass
class BulkReport:
    """What a bulk run did: rows, the entries that were not finite, and the
    function's values that were not (``bad_values``: a note, never a failure)."""

    rows: int = 0
    bad: list[BadEntry] = field(default_factory=list)
    bad_values: list[BadEntry] = field(default_factory=list)

    def messages(self, where: str = "line", values: bool = False) -> list[str]:
        """One line per bad entry (per bad value with ``values``):
        ``df/dx is not finite (nan or inf) at 3 of 10 rows (first: line 4, x=0.0)``."""
        out = []
        for entry in self.bad_values if values else self.bad:
            point = ", ".join(f"{k}={v!r}" for k, v in entry.first_point.items())
            out.append(
                f"{entry.name} is not finite (nan or inf) at {entry.count} of {self.rows} rows "
                f"(first: {where} {entry.first_line}, {point})"
            )
        return out


def json_layout(derivs: Derivatives, values: int = 0) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """A function from one row of values to the JSON point layout.

    The row holds the columns of :class:`~symgrad.evaluation.compiled.CompiledEntries`:
    ``values`` of the function's own value (0, or one per formula), then the
    entries in the order of ``derivs.entries()``. The result has ``value``
    (when the row holds it: a number, or a list for a vector function),
    ``gradient`` (or ``jacobian``) and, with Hessians, ``hessian`` as full
    symmetric matrices (one per formula of a vector function), as in the
    JSON output's points. The function is picklable (``--workers`` sends it
    to its worker processes).
    """
    # where each value of a row goes: (matrix, row, column) in first or second derivatives
    places = tuple((e.component or 0, tuple(e.wrt)) for e in derivs.entries())
    return _JsonLayout(len(derivs.variables), len(derivs.components()), places,
                       derivs.hessians is not None, bool(derivs.vector), values)


@dataclass(frozen=True)
class _JsonLayout:
    n: int
    m: int
    places: tuple[tuple[int, tuple[int, ...]], ...]
    hessians: bool
    vector: bool
    values: int

    def __call__(self, row: Sequence[Any]) -> dict[str, Any]:
        n, m = self.n, self.m
        first: list[list[Any]] = [[None] * n for _ in range(m)]
        second: list[list[list[Any]]] = [[[None] * n for _ in range(n)]
                                         for _ in range(m if self.hessians else 0)]
        for (c, wrt), value in zip(self.places, row[self.values:]):
            if len(wrt) == 1:
                first[c][wrt[0]] = value
            else:
                i, j = wrt
                second[c][i][j] = second[c][j][i] = value
        out: dict[str, Any] = {}
        if self.values:
            out["value"] = list(row[: self.values]) if self.vector else row[0]
        if self.vector:
            out["jacobian"] = first
        else:
            out["gradient"] = first[0]
        if self.hessians:
            out["hessian"] = second if self.vector else second[0]
        return out


def run_bulk(
    compiled: CompiledEntries,
    reader: PointsReader,
    writer: PointsWriter,
    fixed: Mapping[str, float] | None = None,
    progress: Callable[[PointsReader], None] | None = None,
) -> BulkReport:
    """Evaluate every row of ``reader`` and write it; returns the report.

    ``reader`` yields the symbols that ``fixed`` does not give, in the
    order of ``compiled.symbols``; ``fixed`` values fill the other columns.
    The columns written are ``compiled.names``: the function's value first
    when ``compiled`` computes it, then the entries.
    """
    import numpy as np

    fixed = dict(fixed or {})
    names = [s.name for s in compiled.symbols]
    from_reader = [k for k, name in enumerate(names) if name not in fixed]
    at_once = rows_at_once(compiled)
    report = BulkReport()
    counts = np.zeros(len(compiled.names), dtype=np.int64)
    firsts: list[tuple[int, dict[str, float]] | None] = [None] * len(compiled.names)
    finished = False
    try:
        check_output_names(reader, compiled.names, compiled.names[: compiled.values])
        for chunk in reader.chunks():
            for piece in _pieces(chunk, at_once):
                full = _with_fixed(piece.values, names, from_reader, fixed)
                block = compiled(full)
                bad, first = block.bad_counts()
                for entry in np.flatnonzero(bad).tolist():
                    if firsts[entry] is None:
                        row = int(first[entry])
                        firsts[entry] = (int(piece.lines[row]), dict(zip(names, full[row].tolist())))
                counts += bad
                writer.write(Chunk(full, piece.lines, piece.raw, piece.extra), block.values)
                report.rows += full.shape[0]
            if progress is not None:
                progress(reader)
        finished = True
    finally:
        reader.close()
        if finished:
            writer.close()
        else:
            writer.abort()
    return _with_bad_entries(report, compiled, firsts, counts)


def _with_bad_entries(report: BulkReport, compiled: CompiledEntries, firsts: Sequence[Any],
                      counts: Any) -> BulkReport:
    """``report`` with a :class:`BadEntry` for each entry that had a bad value
    (``firsts[k]``: its first row and value, or None; ``counts[k]``: how many)."""
    for k, name in enumerate(compiled.names):
        seen = firsts[k]
        if seen is not None:
            found = report.bad_values if k < compiled.values else report.bad
            found.append(BadEntry(name, int(counts[k]), seen[0], seen[1]))
    return report


def rows_at_once(compiled: CompiledEntries) -> int:
    """Rows evaluated at a time: rows × (symbols + entries) × 8 bytes of doubles
    stay within :data:`~symgrad.points.common.MAX_CHUNK_BYTES`, however wide the rows."""
    width = len(compiled.symbols) + len(compiled.names)
    return max(1, points_types.MAX_CHUNK_BYTES // (8 * max(1, width)))


def check_output_names(reader: PointsReader, entries: Sequence[str], values: Sequence[str] = ()) -> None:
    """Refuse a CSV/TSV input with a column named as an output column (``df/dx``,
    or ``f`` among the ``values``, the function's value columns): its rows
    are repeated in the output, beside the computed columns."""
    if reader.header is None:
        return
    have = set(reader.names)
    for name in entries:
        if name in have:
            also = ", or leave the value out with --no-value" if name in values else ""
            raise PointsError(f"--points: the input has a column named {name}, which is also the name "
                              "of an output column; rename that column, or name the function otherwise "
                              f"with --name{also}")


def _pieces(chunk: Chunk, rows: int) -> list[Chunk]:
    """``chunk`` in pieces of at most ``rows`` rows."""
    if chunk.values.shape[0] <= rows:
        return [chunk]
    return [Chunk(chunk.values[k : k + rows], chunk.lines[k : k + rows],
                  None if chunk.raw is None else chunk.raw[k : k + rows],
                  None if chunk.extra is None else chunk.extra[k : k + rows])
            for k in range(0, chunk.values.shape[0], rows)]


def _with_fixed(values: np.ndarray, names: Sequence[str], from_reader: Sequence[int],
                fixed: Mapping[str, float]) -> np.ndarray:
    """The reader's columns with the ``fixed`` ones inserted, in symbol order."""
    import numpy as np

    if not fixed:
        return values
    full = np.empty((values.shape[0], len(names)))
    full[:, list(from_reader)] = values
    for k, name in enumerate(names):
        if name in fixed:
            full[:, k] = fixed[name]
    return full
