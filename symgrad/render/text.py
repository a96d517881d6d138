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
from .common import (
    first_entries,
    function_names,
    point_text,
    second_entries,
    symbolic_text,
    value_text,
)
from .options import RenderOptions


def render_text(job: Job, options: RenderOptions) -> str:
    d = job.derivatives
    lines = [f"{f} = {symbolic_text(e)}" for f, e in zip(function_names(job), d.exprs)]
    first = d.jacobian if d.is_vector else d.gradient
    lines += [f"{name} = {symbolic_text(e)}" for name, e in first_entries(job, first)]
    if d.hessians is not None:
        lines += [f"{name} = {symbolic_text(e)}" for name, e in second_entries(job, d.hessians)]
    for values in job.points:
        where = point_text(values)
        first = values.jacobian if d.is_vector else values.gradient
        lines += [f"{name}({where}) = {value_text(v)}" for name, v in first_entries(job, first)]
        if values.hessians is not None:
            lines += [
                f"{name}({where}) = {value_text(v)}"
                for name, v in second_entries(job, values.hessians)
            ]
    if job.analysis is not None:
        from .analysis import text_lines  # only when an analysis option was given

        lines += text_lines(job)
    return "\n".join(lines)
