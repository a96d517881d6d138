"""Plain text: one ``name = value`` entry per line, values in SymPy syntax.

    f = x**2 + y*z
    df/dx = 2*x
    d2f/dxdy = 0
    f(x=1,y=2,z=3) = 7
    df/dx(x=1,y=2,z=3) = 2

Keys have no spaces, so ``grep``/``awk -F' = '`` split lines reliably. A
Hessian is listed as its upper triangle (it is symmetric). Each result type
is written by its ``_render_<Type>`` method, as a list of lines.

At a point, the function's own value comes first (``f1``, ``f2``, ... for a
vector function); a value too large to compute exactly has no line. Values
are exact SymPy text (no decimal beside them, so every line reads back with
``parse_expr``) or doubles in their shortest round-trip form, ``--digits``
rounding the doubles (:mod:`symgrad.output.numbers`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import labels
from . import numbers
from .common import (
    Printer,
    coordinate_text,
    critical_summary,
    eigen_text,
    entries,
    function_values,
    mp_value_text,
    number_text,
    point_text,
    shared_names,
    symbolic_text,
    symbolic_texts,
    value_text,
    where,
)
from .options import RenderOptions

if TYPE_CHECKING:
    from ..analysis import Analysis, Field, Partial
    from ..analysis.check import CheckReport
    from ..analysis.critical import CriticalReport
    from ..analysis.taylor import Taylor
    from ..calculus import Derivatives
    from ..calculus.steps import Derivation
    from ..jobs import Job
    from ..results import PointValues


class TextPrinter(Printer):
    """Each result as ``name = value`` lines."""

    def _render_Job(self, job: Job) -> list[str]:
        lines: list[str] = self.render(job.derivatives)
        for values in job.points:
            lines += self.render(values)
        if job.analysis is not None:
            lines += self.render(job.analysis)
        return lines

    def _render_Derivatives(self, d: Derivatives) -> list[str]:
        functions = [labels.function(c) for c in d.components()]
        lines = [f"{f} = {symbolic_text(e)}" for f, e in zip(functions, d.exprs)]
        named = list(entries(d))
        values = [e for _, e in named]
        if self.options.shared:
            names, rewritten = shared_names(d)
            lines += [f"{t} = {symbolic_text(value)}" for t, value in names]
            values = [rewritten[e] for e in values]
        return lines + [f"{name} = {text}" for (name, _), text in zip(named, symbolic_texts(values))]

    def _render_PointValues(self, values: PointValues) -> list[str]:
        at = point_text(values)
        digits = self.options.digits
        lines = [f"{f}({at}) = {value_text(v, digits)}" for f, v in function_values(values) if v is not None]
        return lines + [f"{name}({at}) = {value_text(v, digits)}" for name, v in entries(values)]

    def _render_Analysis(self, a: Analysis) -> list[str]:
        lines: list[str] = []
        if a.direction is not None:
            lines.append(f"direction = [{', '.join(symbolic_text(c) for c in a.direction)}]  (normalised)")
        return lines + self.analysis_lines(a)

    def _render_Field(self, field: Field, points: Any = ()) -> list[str]:
        if isinstance(field.value, tuple):
            items = [(name, e, [p[k] for p in field.points])
                     for k, (name, e) in enumerate(zip(field.names, field.value))]
        else:
            items = [(self.dispatch("_key_", field), field.value, list(field.points))]
        lines = []
        for key, expr, values in items:
            lines.append(f"{key} = {symbolic_text(expr)}")
            lines += [f"{key}({where(at)}) = {value_text(v, self.options.digits)}" for at, v in zip(points, values)]
        return lines

    def _key_Field(self, field: Field) -> str:
        return field.key

    def _key_Partial(self, field: Partial) -> str:
        return field.label  # d3f/dxdy^2

    def _render_Taylor(self, t: Taylor) -> list[str]:
        at = where(t.at)
        return [
            f"taylor{t.order}({at}) = {numbers.symbolic_text(t.structured, order='none')}",
            f"taylor{t.order}.expanded({at}) = {symbolic_text(t.polynomial)}",
        ]

    def _render_CriticalReport(self, report: CriticalReport) -> list[str]:
        lines = [f"critical.summary = {critical_summary(report)}"]
        for p in report.points:
            detail = [p.method, f"f={mp_value_text(p.value)}"]
            if p.eigenvalues:
                detail.append(f"eigenvalues {eigen_text(p)}")
            at = ",".join(f"{name}={coordinate_text(v, p.exact)}" for name, v in p.at)
            lines.append(f"critical({at}) = {p.kind} ({'; '.join(detail)})")
        return lines

    def _render_Derivation(self, d: Derivation) -> list[str]:
        from .steps_text import lines

        return lines(d)

    def _render_CheckReport(self, report: CheckReport) -> list[str]:
        total = sum(len(p.entries) for p in report.points)
        verdict = "passed" if report.passed else f"failed ({len(report.failures)} of {total} entries)"
        lines = [f"check.tolerance = {report.tolerance:g}", f"check = {verdict}"]
        for p in report.points:
            at = where(p.at)
            lines += [
                f"check.{e.entry}({at}) = {number_text(e.symbolic)} ~ {number_text(e.numeric)} "
                f"(relative error {e.relative_error:.2e}) {'ok' if e.ok else 'FAILED'}"
                for e in p.entries
            ]
        return lines


def render_text(result: Any, options: RenderOptions) -> str:
    """A job (or any one result) as text lines."""
    return "\n".join(TextPrinter(options).render(result))
