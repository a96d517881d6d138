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
from typing import TYPE_CHECKING, Any

from ..results import float_text, plain
from .common import Printer, entries, symbolic_texts
from .options import RenderOptions

if TYPE_CHECKING:
    from ..jobs import Job
    from ..results import PointValues


class CsvPrinter(Printer):
    """A job as rows: a header, then one row per point."""

    def _render_Job(self, job: Job) -> list[list[str]]:
        d = job.derivatives
        named = list(entries(d))
        symbols = [s.name for s in (*d.variables, *d.parameters)]
        rows = [symbols + [name for name, _ in named]]
        rows += [self.render(values) for values in job.points]
        if not job.points:
            rows.append([""] * len(symbols) + symbolic_texts([e for _, e in named]))
        return rows

    def _render_PointValues(self, values: PointValues) -> list[str]:
        row = map(plain, [v for _, v in values.at] + [v for _, v in entries(values)])
        return [float_text(v) if isinstance(v, float) else str(v) for v in row]


def render_csv(result: Any, options: RenderOptions) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(CsvPrinter(options).render(result))
    return out.getvalue().rstrip("\n")
