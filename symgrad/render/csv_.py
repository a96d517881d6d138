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

from ..jobs import Job
from ..results import float_text, plain
from .common import entries, symbolic_text
from .options import RenderOptions


def render_csv(job: Job, options: RenderOptions) -> str:
    d = job.derivatives
    named = list(entries(d))
    symbols = [s.name for s in (*d.variables, *d.parameters)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(symbols + [name for name, _ in named])
    for values in job.points:
        row = map(plain, [v for _, v in values.at] + [v for _, v in entries(values)])
        writer.writerow([float_text(v) if isinstance(v, float) else str(v) for v in row])
    if not job.points:
        writer.writerow([""] * len(symbols) + [symbolic_text(e) for _, e in named])
    return out.getvalue().rstrip("\n")
