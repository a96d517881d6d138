"""Plain text: one ``name = value`` entry per line, values in SymPy syntax.

    f = x**2 + y*z
    df/dx = 2*x
    d2f/dxdy = 0
    df/dx(x=1,y=2,z=3) = 2

Keys have no spaces, so ``grep``/``awk -F' = '`` split lines reliably. A
Hessian is listed as its upper triangle (it is symmetric).
"""

from __future__ import annotations

from ..jobs import Job
from .common import entries, function_names, point_text, symbolic_text, value_text
from .options import RenderOptions


def render_text(job: Job, options: RenderOptions) -> str:
    d = job.derivatives
    lines = [f"{f} = {symbolic_text(e)}" for f, e in zip(function_names(job), d.exprs)]
    lines += [f"{name} = {symbolic_text(e)}" for name, e in entries(d)]
    for values in job.points:
        where = point_text(values)
        lines += [f"{name}({where}) = {value_text(v)}" for name, v in entries(values)]
    if job.analysis is not None:
        from .analysis import text_lines  # only when an analysis option was given

        lines += text_lines(job)
    return "\n".join(lines)
