"""The command line's ``--points`` / ``--grid`` mode: options in, one bulk run, exit code out.

All the work is library code (:mod:`symgrad.evaluation.compiled`, :mod:`symgrad.points`,
:mod:`symgrad.points.grid`, :mod:`symgrad.points.run`); this module only picks the
reader and writer from the options and reports what happened on stderr.
"""

from __future__ import annotations

import functools
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ExitCode, VariableError
from ..limits import time_limit
from .report import Reporter, abandoned_threads, error, isatty, warning

if TYPE_CHECKING:
    from ..evaluation.compiled import CompiledEntries
    from ..jobs import JobSpec
    from ..points import PointsReader, PointsWriter
    from ..points.run import BulkReport

#: On a terminal, inputs of at most this many rows are shown as a table.
TABLE_ROWS = 100
#: A file input at least this large gets a progress bar (stderr a terminal).
PROGRESS_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class BulkOptions:
    points: str | None
    grid: str | None
    output: str | None
    strict: bool
    backend: str
    chunk_rows: int
    #: The function's name in the entry names (``--name V``: ``dV/dx``),
    #: checked by the command with the other uses of ``--name``.
    name: str = "f"
    #: Write the function's own value (column ``f``, or ``f1``, ``f2``, …, or
    #: the ``--name``) before the entries; False gives the columns of the
    #: entries alone.
    value: bool = True
    #: Worker processes (``--workers``); None: :func:`symgrad.points.parallel.auto_workers`.
    workers: int | None = None
    #: A dask.distributed scheduler's address (``--scheduler``).
    scheduler: str | None = None


def run_bulk_command(exprs: Sequence[str], spec: JobSpec, options: BulkOptions, fmt: str,
                     timeout: float, reporter: Reporter) -> int:
    """Run one ``--points``/``--grid`` job (the plan checked its options); returns the exit code."""
    report = None
    with reporter.job() as status:
        with time_limit(timeout):
            compiled, names, fixed = _prepare(exprs, spec, options)
        build = functools.partial(build_compiled, tuple(exprs), spec, options)
        files = _partitions(options)
        if files is not None:
            from ..points.cluster import run_cluster

            assert options.output is not None  # _partitions checked
            report = run_cluster(build, compiled.names, files, options.output, fixed, options.chunk_rows,
                                 scheduler=options.scheduler, workers=options.workers or _cores(),
                                 option="--scheduler" if options.scheduler else "--points FOLDER")
            where = "row"
        else:
            reader = _reader(options, names, fixed)
            writer = _writer(options, fmt, reader, compiled)
            workers = options.workers
            if workers is None:
                from ..points.parallel import auto_workers

                workers = auto_workers(reader, len(names))
            report = _run(compiled, reader, writer, fixed, workers, build)
            where = "row" if reader.kind in ("npy", "npz", "grid") else "line"
    if status.code or report is None:
        return status.code
    return _finish(compiled, report, options, where)


def _finish(compiled: CompiledEntries, report: BulkReport, options: BulkOptions, where: str) -> int:
    """The warnings of a finished run, and its exit code."""
    for note in compiled.derivs.parsed.warnings:
        warning(note)
    for message in report.messages(where, values=True):
        warning(message)  # the function's value: a note, never a --strict failure
    for message in report.messages(where):
        (error if options.strict else warning)(message)
    return ExitCode.MATH if options.strict and report.bad else ExitCode.OK


def _prepare(
    exprs: Sequence[str], spec: JobSpec, options: BulkOptions
) -> tuple[CompiledEntries, list[str], dict[str, float]]:
    """Differentiate (as ``--at`` does) and compile; the ``--at`` values as doubles."""
    from ..evaluation.compiled import CompiledEntries
    from ..evaluation.exact import with_parameters
    from ..jobs import derive

    derivs = derive(exprs, spec)
    names = [s.name for s in derivs.parsed.symbols]
    given = spec.points[0] if spec.points else {}
    for name in given:
        if name not in names:
            raise VariableError(f"{name} does not occur in the formula (symbols: {', '.join(names)})",
                                names=(name,), known=tuple(names)).about("--at")
    fixed = {name: float(value) for name, value in given.items()}
    # fixed parameters go into the entries before compiling, as --at substitutes them first
    compiled = CompiledEntries(with_parameters(derivs, given), options.backend, options.name,
                               value=options.value, rows=_rows_hint(options, len(names) - len(fixed)))
    return compiled, names, fixed


def _rows_hint(options: BulkOptions, columns: int) -> int | None:
    """About how many rows the input has, for the ``auto`` backend's cost model
    (None: unknown, standard input). A grid's points are counted; a file's rows
    are guessed from its size: 8 bytes a value in ``.npy``/``.npz``/Parquet,
    about 20 characters a value in text."""
    if options.grid is not None:
        from ..points.grid import parse_grid

        return math.prod(len(axis.values) for axis in parse_grid(options.grid))
    if options.points is None or not os.path.isfile(options.points):
        return None  # standard input, partitions (a folder or glob), a missing file
    try:
        size = os.path.getsize(options.points)
    except OSError:
        return None
    binary = options.points.lower().endswith((".npy", ".npz", ".parquet"))
    return max(1, size // ((8 if binary else 20) * max(1, columns)))


def _cores() -> int:
    from ..points.parallel import cores

    return cores()


def _partitions(options: BulkOptions) -> list[str] | None:
    """The input's partitions, when it is a folder or glob of them or the run
    is on a cluster (``--scheduler``); None for the single-process paths."""
    from ..points import PointsError

    if options.points is None or options.points == "-":
        if options.scheduler is not None:
            raise PointsError("--scheduler works with --points FILE, FOLDER or GLOB (of .parquet or "
                              ".csv partitions)")
        return None
    from ..points.cluster import partitions

    files = partitions(options.points)
    if files is None and options.scheduler is not None:
        files = [options.points]
    if files is not None and options.output is None:
        raise PointsError("partitions of points are written to a folder of Parquet partitions: "
                          "give it with --output FOLDER")
    return files


def build_compiled(exprs: Sequence[str], spec: JobSpec, options: BulkOptions) -> CompiledEntries:
    """The job's compiled evaluation, from the formula text (what each worker process runs)."""
    return _prepare(exprs, spec, options)[0]


def _reader(options: BulkOptions, names: list[str], fixed: dict[str, float]) -> PointsReader:
    from ..points import PointsError, open_points

    wanted = [n for n in names if n not in fixed]
    if options.grid is not None:
        from ..points.grid import GridReader, parse_grid

        axes = parse_grid(options.grid)
        axis_names = [a.name for a in axes]
        for name in axis_names:
            if name not in names:
                raise VariableError(f"--grid: {name} does not occur in the formula (symbols: {', '.join(names)})")
            if name in fixed:
                raise VariableError(f"{name} is given by both --grid and --at")
        missing = [n for n in wanted if n not in axis_names]
        if missing:
            raise VariableError(f"--grid: no values for {', '.join(missing)}; add them to --grid or give them with --at")
        return GridReader(axes, wanted, options.chunk_rows)
    assert options.points is not None  # bulk mode: --grid or --points
    stdin = sys.stdin.buffer
    if options.output is not None and _is_input(options.points, options.output):
        shown = "standard input" if options.points == "-" else "the --points file"
        raise PointsError(f"--output {options.output} is {shown}: the run would replace its own input")
    return open_points(options.points, wanted, stdin=stdin, chunk_rows=options.chunk_rows, given=fixed)


def _is_input(points: str, output: str) -> bool:
    """Whether ``output`` is the file ``points`` reads (``-``: the file on standard input)."""
    try:
        target = os.stat(output)  # follows links: -o link-to-the-input is the input
        source = os.fstat(sys.stdin.fileno()) if points == "-" else os.stat(points)
    except (OSError, ValueError):  # the output does not exist yet, or there is no stdin
        return False
    return (target.st_dev, target.st_ino) == (source.st_dev, source.st_ino)


def _writer(options: BulkOptions, fmt: str, reader: PointsReader, compiled: CompiledEntries) -> PointsWriter:
    from ..points import Columns, FirstRowsWriter, open_writer, output_kind
    from ..points.run import json_layout

    columns = Columns([s.name for s in compiled.symbols], compiled.names,
                      json_layout(compiled.derivs, compiled.values))
    if options.output is not None:
        from ..points.grid import GridNpyWriter, GridNpzWriter, GridReader

        kind = output_kind(options.output)
        if isinstance(reader, GridReader) and kind in ("npy", "npz"):
            grid_writer = GridNpzWriter if kind == "npz" else GridNpyWriter
            return grid_writer(options.output, reader.axes, compiled.names)
        return open_writer(kind, None, options.output, reader, columns)
    stdout = sys.stdout
    if fmt == "json":
        return open_writer("jsonl", stdout, None, reader, columns)
    kind = "tsv" if reader.kind == "tsv" else "csv"
    csv_writer = open_writer(kind, stdout, None, reader, columns)
    if fmt == "pretty":
        from ..output.points_table import print_table

        return FirstRowsWriter(TABLE_ROWS, csv_writer, lambda chunks: print_table(chunks, columns))
    return csv_writer


def _run(
    compiled: CompiledEntries, reader: PointsReader, writer: PointsWriter, fixed: dict[str, float],
    workers: int = 1, build: Callable[[], CompiledEntries] | None = None,
) -> BulkReport:
    from ..points.memory import keep_freed_memory
    from ..points.run import run_bulk

    keep_freed_memory()  # this process's chunk buffers are reused, not mapped anew (and its workers')
    pool = progress = report = None
    started = False
    try:
        if workers > 1:
            assert build is not None
            from ..points.parallel import WorkerPool

            pool = WorkerPool(workers, build, reader, writer, fixed)  # before the progress bar's thread
        progress = _progress(reader)
        started = True  # from here on the run loop closes the reader and the writer
        update = progress.update if progress else None
        if pool is not None:
            report = pool.run(compiled, reader, writer, update)
        else:
            report = run_bulk(compiled, reader, writer, fixed, update)
        return report
    finally:
        if not started:
            reader.close()
            writer.abort()
        if pool is not None:
            pool.stop(finished=report is not None)
            if report is None:
                abandoned_threads()
        if progress is not None:
            progress.stop()


class _Progress:
    """A Rich progress bar on stderr, advanced by the reader's byte position."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        self.bar = Progress(BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task("points", total=total)
        self.bar.start()

    def update(self, reader: PointsReader) -> None:
        done = reader.progress()
        if done is not None:
            self.bar.update(self.task, completed=done[0])

    def stop(self) -> None:
        self.bar.stop()


def _progress(reader: PointsReader) -> _Progress | None:
    done = reader.progress()
    if done is None or done[1] < PROGRESS_BYTES or not isatty(sys.stderr):
        return None
    return _Progress(done[1])
