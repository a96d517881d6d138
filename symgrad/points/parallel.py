"""Many points on every core: the run loop of :mod:`symgrad.points.run` with worker processes.

:class:`WorkerPool` starts ``workers`` processes; each builds the job's
compiled evaluation once, from the formula text (a picklable ``build``
function: no compiled code crosses a process boundary). The main process
reads the input in pieces (:meth:`~symgrad.points.common.PointsReader.pieces`:
a CSV/TSV reader hands out its rows' text, as the file's bytes where they
hold no quotes), a worker splits each piece into rows and turns them into
doubles (:meth:`~symgrad.points.common.PointsReader.parser`), evaluates it
and renders its output text (:meth:`~symgrad.points.common.PointsWriter.renderer`),
and the main process writes the rendered pieces out in input order. At most
:data:`WINDOW` pieces per worker are in flight, so memory stays bounded
however large the input.

An error in a worker (a bad row) ends the run as it would in one process;
a worker that dies (killed, out of memory) ends it with
:class:`WorkerError`. Either way, and on Ctrl-C, SIGTERM or a broken pipe,
the workers are stopped and the writer aborted: an output file is left as
it was. The output is the same, byte for byte, as with one process.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ExitCode, SymgradError
from .common import Chunk, PointsReader, PointsWriter
from .run import (
    BulkReport,
    _pieces,
    _with_bad_entries,
    _with_fixed,
    check_output_names,
    rows_at_once,
)

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    import numpy as np

    from ..evaluation.compiled import CompiledEntries

#: Pieces in flight per worker: enough that a worker never waits for the
#: main process, few enough that memory stays at a few chunks per worker.
WINDOW = 2
#: ``--workers`` left to choose: inputs at least this large use every core
#: (text files, in bytes; binary inputs and grids count 8 bytes a value),
#: smaller ones one process, as starting the workers (each compiles the
#: job again) costs more than it saves on them. Measured with
#: benchmarks/bench_workers.py (README: Performance).
AUTO_BYTES = 16 * 1024 * 1024


class WorkerError(SymgradError):
    """A worker process ended without finishing its work."""

    exit_code = ExitCode.INTERNAL


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def auto_workers(reader: PointsReader, width: int) -> int:
    """``--workers`` for an input when the user gives none: every core for a
    large input (:data:`AUTO_BYTES`), else 1 (also for standard input, whose size is unknown)."""
    # Not for --grid (reader.rows known): a grid costs nothing to read, so
    # the workers only add the cost of sending their results back; 16 million
    # points of x*y took 6.5 s with 2 workers, 2.7 s in one process.
    size: int | None = None
    if reader.rows is None:
        done = reader.progress()
        if done is not None:
            size = done[1]
    if size is None or size < AUTO_BYTES:
        return 1
    return cores()


@dataclass
class _Job:
    """What a worker process holds: its compiled evaluation and the parts of
    the reader and writer that run in it."""

    compiled: CompiledEntries
    parse: Callable[[Any], Chunk | None]
    render: Callable[[Chunk, np.ndarray], Any]
    fixed: dict[str, float]


_JOB: _Job | None = None
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _start_worker(build: Callable[[], CompiledEntries], parse: Callable[[Any], Chunk | None],
                  render: Callable[[Chunk, np.ndarray], Any], fixed: dict[str, float]) -> None:
    """A worker's start: signals as a plain process has them (the main process
    stops the workers itself), then compile the job from its formula text."""
    global _JOB
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by WorkerPool() while forking
    _JOB = _Job(build(), parse, render, fixed)


@dataclass
class _Part:
    """What a worker made of one part of a piece (a piece may be cut in parts
    of at most :func:`~symgrad.points.run.rows_at_once` rows)."""

    rows: int
    bad: np.ndarray
    #: entry index → (line of its first bad row, that row's point)
    firsts: dict[int, tuple[int, dict[str, float]]]
    rendered: Any


def _work(piece: Any) -> list[_Part]:
    """Parse, evaluate and render one piece (in a worker)."""
    import numpy as np

    job = _JOB
    assert job is not None, "the worker was not started"
    chunk = job.parse(piece)
    if chunk is None:
        return []
    compiled = job.compiled
    names = [s.name for s in compiled.symbols]
    from_reader = [k for k, name in enumerate(names) if name not in job.fixed]
    parts = []
    for part in _pieces(chunk, rows_at_once(compiled)):
        full = _with_fixed(part.values, names, from_reader, job.fixed)
        block = compiled(full)
        bad, first = block.bad_counts()
        firsts = {}
        for entry in np.flatnonzero(bad).tolist():
            row = int(first[entry])
            firsts[entry] = (int(part.lines[row]), dict(zip(names, full[row].tolist())))
        rendered = job.render(Chunk(full, part.lines, part.raw, part.extra), block.values)
        if isinstance(rendered, str):
            rendered = rendered.encode("utf-8")  # text rows: encoded here, not in the main process
        parts.append(_Part(full.shape[0], bad, firsts, rendered))
    return parts


def _nothing() -> None:
    """A task that starts the workers."""


class WorkerPool:
    """``workers`` processes that evaluate a job's points; :meth:`stop` them after :meth:`run`.

    Start it before any thread (a progress bar): on Linux the workers are
    forked, and then compile the job from ``build`` (a picklable function of
    no arguments, such as a :func:`functools.partial` of the formula text and options).
    """

    def __init__(self, workers: int, build: Callable[[], CompiledEntries], reader: PointsReader,
                 writer: PointsWriter, fixed: Mapping[str, float] | None = None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._closed = False
        # A stop signal while the workers are forked would leave one that
        # nothing stops (and the interpreter's exit waiting for it): the
        # signals wait until the pool is whole, and each worker lets them in
        # once it has its own handlers.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.executor: ProcessPoolExecutor = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                initargs=(build, reader.parser(), writer.renderer(), dict(fixed or {})))
            self.executor.submit(_nothing)  # forks every worker now, before any thread starts
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def stop(self, finished: bool = False) -> None:
        """Shut the workers down: wait for them after a finished run, else end them at once."""
        if self._closed:
            return
        self._closed = True
        if finished:
            self.executor.shutdown(wait=True)
            return
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.kill()  # they hold nothing that needs cleaning up
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(5)

    def run(self, compiled: CompiledEntries, reader: PointsReader, writer: PointsWriter,
            progress: Callable[[PointsReader], None] | None = None) -> BulkReport:
        """As :func:`symgrad.points.run.run_bulk` does, on the workers; the
        same report, and the same output byte for byte."""
        from concurrent.futures.process import BrokenProcessPool

        import numpy as np

        report = BulkReport()
        counts = np.zeros(len(compiled.names), dtype=np.int64)
        firsts: list[tuple[int, dict[str, float]] | None] = [None] * len(compiled.names)
        window: deque[Future[list[_Part]]] = deque()

        def finish_oldest() -> None:
            nonlocal counts
            for part in window.popleft().result():
                for entry, seen in part.firsts.items():
                    if firsts[entry] is None:
                        firsts[entry] = seen
                counts += part.bad
                writer.write_rendered(part.rendered)
                report.rows += part.rows

        finished = False
        try:
            check_output_names(reader, compiled.names, compiled.names[: compiled.values])
            for piece in reader.pieces():
                window.append(self.executor.submit(_work, piece))
                if progress is not None:
                    progress(reader)
                if len(window) >= WINDOW * self.workers:
                    finish_oldest()
            while window:
                finish_oldest()
            finished = True
        except BrokenProcessPool:
            raise WorkerError("a worker process ended before finishing its rows (killed, or out of "
                              "memory?)") from None
        finally:
            if not finished:
                self.stop()
            reader.close()
            if finished:
                writer.close()
            else:
                writer.abort()
        return _with_bad_entries(report, compiled, firsts, counts)
