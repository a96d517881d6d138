"""Many points on a Dask cluster: partitions in, Parquet partitions out.

``--points DIR`` (or a glob) names partitions: ``.parquet`` and ``.csv``
files, taken in sorted order. Each becomes one task on a ``dask.distributed``
cluster (``--scheduler ADDRESS``, or a local cluster of ``--workers N``
processes), which evaluates it with the single-process run loop
(:func:`symgrad.points.run.run_bulk`) into ``DIR_OUT/part-00000.parquet``,
``part-00001.parquet``, … in input order. So a partition's output is the
output of ``symgrad … --points PARTITION -o part.parquet``, bit for bit.

* Each task gets the job as a picklable ``build`` function of the formula
  text (no compiled code is sent): a worker process compiles the job the
  first time it runs one of its tasks and keeps it for the next ones.
* Each partition is written to a temporary file in the output folder and
  renamed into place when complete (:class:`~symgrad.points.staged.Staged`):
  a partition is either whole or absent. A worker that dies mid-task leaves
  at most a temporary file, which the run removes; Dask runs the task again
  on another worker, and the rename makes the retry's partition the only one.
* ``_SUCCESS`` is written (atomically) only after every partition is in
  place; a run removes an old one first, so a failed run leaves none.
  Partitions of an earlier run that this run did not write are removed
  before the marker is written.

Dask and pyarrow are the ``dask`` extra (``pip install 'symgrad[dask]'``),
imported only here.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import pickle
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .common import Chunk, Columns, PointsError, PointsReader, check_finite, missing_columns
from .run import BadEntry, BulkReport

if TYPE_CHECKING:
    from ..evaluation.compiled import CompiledEntries

#: The marker of a finished run, in the output folder.
MARKER = "_SUCCESS"
#: The kinds of partition file an input folder or glob may hold.
PARTITION_SUFFIXES = (".parquet", ".csv")
_PART = re.compile(r"part-\d{5,}\.parquet")
#: The temporary files of partitions (Staged's names), removed after a run.
_TEMPORARY = re.compile(r"\.part-\d{5,}\.parquet\..*\.part")


def partitions(source: str) -> list[str] | None:
    """The partition files of ``source`` when it is a folder or a glob, in
    sorted order; None when it names one file (or ``-``)."""
    if source != "-" and os.path.isdir(source):
        found = [os.path.join(source, name) for name in os.listdir(source)]
    elif glob.has_magic(source):
        found = glob.glob(source)
    else:
        return None
    files = sorted(path for path in found
                   if os.path.isfile(path) and path.lower().endswith(PARTITION_SUFFIXES)
                   and not os.path.basename(path).startswith((".", "_")))
    if not files:
        raise PointsError(f"--points: {source} holds no partitions (.parquet or .csv files)")
    return files


def require_dask(option: str) -> Any:
    """``dask.distributed``, or the usage error that says how to install it."""
    try:
        import dask.distributed
        import pyarrow  # noqa: F401 - the partitions are Parquet files
    except ImportError:
        raise PointsError(f"{option} needs the 'dask' extra: pip install 'symgrad[dask]'") from None
    return dask.distributed


class ParquetReader(PointsReader):
    """A Parquet file's columns of the symbols, a batch at a time (rows numbered from 1)."""

    kind = "parquet"

    def __init__(self, path: str, symbols: Sequence[str], chunk_rows: int, given: Mapping[str, float]):
        import pyarrow.parquet as pq

        try:
            self.file = pq.ParquetFile(path)
        except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
            raise PointsError(f"--points: cannot read {path}: {err}") from None
        self.names = list(self.file.schema_arrow.names)
        self.symbols = list(symbols)
        self.given = frozenset(given)
        clash = sorted(self.given.intersection(self.names))
        if clash:
            raise PointsError(f"--points: {clash[0]} is given by both --at and a column of {path}")
        if any(name not in self.names for name in self.symbols):
            raise missing_columns(self.symbols, self.names)
        self.rows = self.file.metadata.num_rows
        self.chunk_rows = chunk_rows

    def chunks(self) -> Iterator[Chunk]:
        import numpy as np

        start = 0
        for batch in self.file.iter_batches(batch_size=self.chunk_rows, columns=self.symbols):
            count = batch.num_rows
            values = np.empty((count, len(self.symbols)))
            for k, name in enumerate(self.symbols):
                try:
                    values[:, k] = batch.column(name).to_numpy(zero_copy_only=False).astype(float)
                except (TypeError, ValueError) as err:
                    raise PointsError(f"--points: column {name} is not numbers ({err})") from None
            numbers = np.arange(start + 1, start + 1 + count)
            check_finite(values, numbers, self.symbols, "row")
            start += count
            yield Chunk(values, numbers)

    def close(self) -> None:
        self.file.close()


#: A worker process's compiled jobs, by the pickled ``build`` function.
_COMPILED: dict[bytes, CompiledEntries] = {}


def run_partition(build: Callable[[], CompiledEntries], source: str, target: str,
                  fixed: Mapping[str, float], chunk_rows: int) -> BulkReport:
    """Evaluate one partition into the Parquet file ``target`` (a Dask task)."""
    from .read import open_points
    from .run import run_bulk
    from .write import open_writer

    key = pickle.dumps(build)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = build()
    wanted = [s.name for s in compiled.symbols if s.name not in fixed]
    reader: PointsReader
    if source.lower().endswith(".parquet"):
        reader = ParquetReader(source, wanted, chunk_rows, fixed)
    else:
        reader = open_points(source, wanted, chunk_rows=chunk_rows, given=fixed)
    try:
        columns = Columns([s.name for s in compiled.symbols], compiled.names)
        writer = open_writer("parquet", None, target, reader, columns)
    except BaseException:
        reader.close()
        raise
    return run_bulk(compiled, reader, writer, fixed)


def target_names(count: int) -> list[str]:
    return [f"part-{k:05d}.parquet" for k in range(count)]


def run_cluster(build: Callable[[], CompiledEntries], names: Sequence[str], files: Sequence[str],
                folder: str, fixed: Mapping[str, float], chunk_rows: int, *,
                scheduler: str | None = None, workers: int = 2, option: str = "--scheduler",
                cluster_options: Mapping[str, Any] | None = None) -> BulkReport:
    """Evaluate every partition in ``files`` on a cluster into ``folder``; the merged report.

    ``names`` are the computed columns (for the report's order). With
    ``scheduler`` the cluster is the one at that address, else a local
    cluster of ``workers`` single-threaded processes (``cluster_options``
    go to its ``LocalCluster``).
    """
    distributed = require_dask(option)
    _prepare_folder(folder)
    targets = [os.path.join(folder, name) for name in target_names(len(files))]
    cluster = None
    client = None
    try:
        if scheduler is None:
            # the run reports its own errors: Dask's logs of a failed task stay quiet
            options: dict[str, Any] = {"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                       "dashboard_address": None, "silence_logs": logging.CRITICAL}
            options.update(cluster_options or {})
            cluster = distributed.LocalCluster(**options)
            client = distributed.Client(cluster)
        else:
            try:
                client = distributed.Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as err:
                raise PointsError(f"--scheduler: cannot reach {scheduler}: {err}") from None
        futures = [client.submit(run_partition, build, source, target, dict(fixed), chunk_rows,
                                 key=f"symgrad-partition-{k}-{os.getpid()}-{id(targets)}", pure=False)
                   for k, (source, target) in enumerate(zip(files, targets))]
        reports = client.gather(futures)
        _finish_folder(folder, targets)
    finally:
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()
        _remove_temporary(folder)
    return merge_reports(reports, names)


def merge_reports(reports: Sequence[BulkReport], names: Sequence[str]) -> BulkReport:
    """One report for the partitions' reports: rows and counts added up, the
    first bad row the first in partition order."""
    merged = BulkReport(rows=sum(r.rows for r in reports))
    for attribute in ("bad_values", "bad"):
        found: dict[str, BadEntry] = {}
        for report in reports:
            for entry in getattr(report, attribute):
                if entry.name in found:
                    found[entry.name].count += entry.count
                else:
                    found[entry.name] = BadEntry(entry.name, entry.count, entry.first_line,
                                                 entry.first_point)
        getattr(merged, attribute).extend(found[name] for name in names if name in found)
    return merged


def _prepare_folder(folder: str) -> None:
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise PointsError(f"--output: {folder} is not a folder (partitioned input writes a folder of "
                          "Parquet partitions)")
    try:
        os.makedirs(folder, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(folder, MARKER))  # this run is not finished
    except OSError as err:
        raise PointsError(f"--output: cannot write {folder}: {err.strerror}") from None


def _finish_folder(folder: str, targets: Sequence[str]) -> None:
    """Remove the partitions of an earlier run that this one did not write, then write the marker."""
    from .staged import Staged

    mine = {os.path.basename(t) for t in targets}
    for name in os.listdir(folder):
        if _PART.fullmatch(name) and name not in mine:
            os.unlink(os.path.join(folder, name))
    marker = Staged(os.path.join(folder, MARKER))
    with marker.writing(), open(marker.path, "w", encoding="utf-8") as stream:
        stream.write("".join(f"{name}\n" for name in sorted(mine)))
    marker.commit()


def _remove_temporary(folder: str) -> None:
    """Remove the temporary files that tasks killed mid-write left."""
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if _TEMPORARY.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
