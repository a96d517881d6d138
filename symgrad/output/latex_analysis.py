r"""LaTeX of the analysis results: the ``_render_<Type>`` methods of
:class:`~symgrad.output.latex.TexPrinter` for fields, Taylor polynomials,
critical points and checks.

They print with the job's printer and options, so ``--name``,
``--latex-env`` and the ASCII spelling of names apply here as everywhere
(``α`` is ``\alpha``); entries are named by :mod:`symgrad.labels`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import labels
from .common import Printer, critical_summary, number_text
from .numbers import float_text, rounded

if TYPE_CHECKING:
    from ..analysis import Analysis, Curl, Directional, Divergence, Field, Laplacian, Partial
    from ..analysis.check import CheckReport
    from ..analysis.critical import CriticalReport
    from ..analysis.taylor import Taylor
    from ..calculus.steps import Derivation


class AnalysisLatex(Printer):
    """The analysis part of the LaTeX printer (:class:`~symgrad.output.latex.TexPrinter` derives from it)."""

    name: str
    vars: list[str]
    single: bool
    sp: Any
    #: SymPy's LaTeX printer, as set up by TexPrinter.
    printer: Any

    if TYPE_CHECKING:  # provided by TexPrinter

        def tex(self, value: Any) -> str: ...
        def matrix(self, rows: Any) -> str: ...
        def column(self, values: Any) -> str: ...
        def at(self, at: Any) -> str: ...
        def label(self, component: int | None, wrt: Any) -> str: ...

    def shown(self, value: Any) -> str:
        return self.column(value) if isinstance(value, tuple) else self.tex(value)

    def _render_Analysis(self, a: Analysis) -> list[str]:
        return self.analysis_lines(a)

    # -- fields --------------------------------------------------------------

    def _render_Field(self, field: Field, points: Any = ()) -> list[str]:
        label = self.dispatch("_label_", field)
        lines = [rf"{label} &= {self.shown(field.value)}"]
        for at, value in zip(points, field.points):
            shown = self.shown(rounded(value, self.options.digits))
            lines.append(rf"{label}\big|_{{{self.at(at)}}} &= {shown}")
        return lines

    def _render_Directional(self, field: Directional, points: Any = ()) -> list[str]:
        label = self.dispatch("_label_", field)
        vector = isinstance(field.value, tuple)
        rule = rf"J_{{{self.name}}} \, \hat{{u}}" if vector else rf"\nabla {self.name} \cdot \hat{{u}}"
        unit = self.column(field.direction)
        head = rf"{label} &= {rule}, \quad \hat{{u}} = \frac{{v}}{{\lVert v \rVert}} = {unit}"
        return [head, *self._render_Field(field, points)]

    def _field_name(self) -> str:
        return self.tex(self.sp.Symbol(self.options.name or "F"))

    def _label_Divergence(self, field: Divergence) -> str:
        return rf"\nabla \cdot {self._field_name()}"

    def _label_Curl(self, field: Curl) -> str:
        return rf"\nabla \times {self._field_name()}"

    def _label_Laplacian(self, field: Laplacian) -> str:
        return rf"\Delta {self.name}"

    def _label_Directional(self, field: Directional) -> str:
        return rf"D_{{\hat{{u}}}} {self.name}"

    def _label_Partial(self, field: Partial) -> str:
        return labels.derivative(self.name, [self.tex(v) for v in field.wrt], "latex")

    # -- Taylor --------------------------------------------------------------

    def _render_Taylor(self, t: Taylor) -> list[str]:
        sp = self.sp
        f = self.name
        args = ", ".join(self.tex(v) for v in t.variables)
        column = self.column([sp.UnevaluatedExpr(x) for x in t.displacement])
        parts = [self.tex(t.value)]
        if t.order >= 1:
            parts.append(rf"{self.matrix([t.gradient])} {column}")
        if t.order >= 2:
            parts.append(rf"\frac{{1}}{{2}} {column}^{{T}} {self.matrix(t.hessian)} {column}")
        as_written = type(self.printer)({"order": "none"})  # the same printer class, terms as written
        parts += [str(as_written.doprint(p)) for p in t.degree_parts[3:] if p != 0]
        general = rf"{f}(a) + \nabla {f}(a)^{{T}} (x - a)"
        if t.order >= 2:
            general += rf" + \frac{{1}}{{2}} (x - a)^{{T}} \nabla^{{2}} {f}(a) (x - a)"
        if t.order >= 3:
            general += r" + \dots"
        if t.order == 0:
            general = f"{f}(a)"
        return [
            rf"T_{{{t.order}}}({args}) &= {general}, \quad a = ({self.at(t.at)})",
            rf"&= {' + '.join(parts)}",
            rf"&= {self.tex(t.polynomial)}",
        ]

    # -- critical points and checks -----------------------------------------

    def _render_CriticalReport(self, report: CriticalReport) -> list[str]:
        lines = [rf"&\text{{{critical_summary(report)}}}"]
        for p in report.points:
            names = ", ".join(self.tex(self.sp.Symbol(name)) for name, _ in p.at)
            coords = ", ".join(self.tex(v) if p.exact else float_text(float(v), self.options.digits) for _, v in p.at)
            lines.append(rf"({names}) &= ({coords}) && \text{{{p.kind} ({p.method})}}")
        return lines

    def _render_Derivation(self, d: Derivation) -> list[str]:
        from .steps_latex import rows

        partial = not self.single
        start = self.label(d.component, d.wrt[:1]) if d.start_key else ""
        return rows(d, self.tex, self.label(d.component, d.wrt), start, partial)

    def _render_CheckReport(self, report: CheckReport) -> list[str]:
        verdict = "passed" if report.passed else "FAILED"
        lines = [rf"&\text{{check: {verdict} (tolerance {report.tolerance:g})}}"]
        for p in report.points:
            at = self.at(p.at)
            lines += [
                rf"{self.label(e.component, e.wrt)}\big|_{{{at}}} &= {number_text(e.symbolic)} "
                rf"\approx {number_text(e.numeric)}"
                rf" && \text{{relative error {e.relative_error:.2e}{'' if e.ok else ' FAILED'}}}"
                for e in p.entries
            ]
        return lines
