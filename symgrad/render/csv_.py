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

from ..batch import named_entries
from ..jobs import Job
from ..results import PointValues, plain
from .common import symbolic_text
from .options import RenderOptions


def _point_row(job: Job, values: PointValues) -> list[str]:
    d = job.derivatives
    first = values.jacobian if d.is_vector else values.gradient
    row = [v for r in (first if d.is_vector else (first,)) for v in r]
    for h in values.hessians or ():
        n = len(h)
        row += [h[i][j] for i in range(n) for j in range(i, n)]
    return [repr(float(v)) if isinstance(v, float) else str(v)
            for v in map(plain, [val for _, val in values.at] + row)]


def render_csv(job: Job, options: RenderOptions) -> str:
    d = job.derivatives
    entries = named_entries(d)
    symbols = [s.name for s in (*d.variables, *d.parameters)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(symbols + [name for name, _ in entries])
    if job.points:
        for values in job.points:
            writer.writerow(_point_row(job, values))
    else:
        writer.writerow([""] * len(symbols) + [symbolic_text(e) for _, e in entries])
    return out.getvalue().rstrip("\n")
