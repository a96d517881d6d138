"""LaTeX for papers: an ``align*`` block (needs amsmath).

    \\begin{align*}
    f &= x^{2} + y z \\\\
    \\nabla f &= \\begin{bmatrix}2 x\\\\z\\\\y\\end{bmatrix} \\\\
    \\nabla f\\big|_{x=1,\\ y=2,\\ z=3} &= \\begin{bmatrix}2\\\\3\\\\2\\end{bmatrix}
    \\end{align*}

Expressions are printed by SymPy's LaTeX printer; floats keep their
shortest round-trip digits.
"""

from __future__ import annotations

from typing import Any

from ..jobs import Job
from .options import RenderOptions


def _latex(value: Any) -> str:
    import sympy as sp

    if isinstance(value, sp.Float):
        text = repr(float(value))
        if "e" in text:
            mantissa, exponent = text.split("e")
            return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
        return text
    return str(sp.latex(value))


def _matrix(rows: Any) -> str:
    body = r" \\ ".join(" & ".join(_latex(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _column(values: Any) -> str:
    return _matrix([(v,) for v in values])


def _at(values: Any) -> str:
    import sympy as sp

    return r",\ ".join(f"{sp.latex(sym)}={_latex(v)}" for sym, v in values.at)


def render_latex(job: Job, options: RenderOptions) -> str:
    d = job.derivatives
    lines: list[str] = []
    if d.is_vector:
        names = [f"f_{{{k + 1}}}" for k in range(len(d.exprs))]
        lines.append(rf"F &= {_column(d.exprs)}")
        lines.append(rf"J_F &= {_matrix(d.jacobian)}")
    else:
        names = ["f"]
        lines.append(rf"f &= {_latex(d.exprs[0])}")
        lines.append(rf"\nabla f &= {_column(d.gradient)}")
    if d.hessians is not None:
        lines += [rf"\nabla^{{2}} {f} &= {_matrix(h)}" for f, h in zip(names, d.hessians)]
    for values in job.points:
        at = rf"\big|_{{{_at(values)}}}"
        if d.is_vector:
            lines.append(rf"J_F{at} &= {_matrix(values.jacobian)}")
        else:
            lines.append(rf"\nabla f{at} &= {_column(values.gradient)}")
        if values.hessians is not None:
            lines += [rf"\nabla^{{2}} {f}{at} &= {_matrix(h)}" for f, h in zip(names, values.hessians)]
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"
