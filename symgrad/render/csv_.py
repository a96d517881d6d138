"""CSV: the columns of ``--points`` output, for the points of ``--at``.

The header names the symbols (variables, then parameters) and then each
entry (``df/dx``, …, ``d2f/dxdy``, …); each ``--at`` point is one row:
exact integers as integers, other values as decimals, and a value that is
not a finite real as the JSON output writes it (``nan``, ``inf``, ``-inf``,
``zoo``, or a complex such as ``0.0-0.5j``). Without ``--at`` the one row
holds the symbolic entries and leaves the symbol columns empty.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..jobs import Job
from ..results import plain
from .common import first_entries, second_entries, symbolic_text
from .options import RenderOptions


def _entries(job: Job, values: Any) -> list[tuple[str, Any]]:
    """(name, value) of every column, for the derivatives or a point's values."""
    first = values.jacobian if job.derivatives.is_vector else values.gradient
    entries = list(first_entries(job, first))
    if values.hessians is not None:
        entries += second_entries(job, values.hessians)
    return entries


def render_csv(job: Job, options: RenderOptions) -> str:
    d = job.derivatives
    entries = _entries(job, d)
    symbols = [s.name for s in (*d.variables, *d.parameters)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(symbols + [name for name, _ in entries])
    for values in job.points:
        row = map(plain, [v for _, v in values.at] + [v for _, v in _entries(job, values)])
        writer.writerow([repr(v) if isinstance(v, float) else str(v) for v in row])
    if not job.points:
        writer.writerow([""] * len(symbols) + [symbolic_text(e) for _, e in entries])
    return out.getvalue().rstrip("\n")
