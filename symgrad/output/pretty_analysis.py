"""Pretty (Rich) output of the analysis results: the ``_render_<Type>``
methods of :class:`~symgrad.output.pretty.PrettyPrinter` for fields, Taylor
polynomials, critical points and checks. Rich is imported inside them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import labels
from .common import (
    Printer,
    coordinate_text,
    critical_summary,
    eigen_text,
    mp_value_text,
    number_text,
    symbolic_text,
    where,
)
from .numbers import float_text, pretty_text

if TYPE_CHECKING:
    from rich.text import Text

    from ..analysis import Analysis, Curl, Directional, Divergence, Field, Laplacian, Partial
    from ..analysis.check import CheckReport
    from ..analysis.critical import CriticalPoint, CriticalReport
    from ..analysis.taylor import Taylor
    from ..calculus import Derivatives
    from ..calculus.steps import Derivation

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def drawn(label: str, value: Any, width: int, order: str | None = None) -> Text:
    """``label = value`` drawn by SymPy (doubles in their shortest round-trip form);
    ``order="none"`` keeps an unevaluated sum's order."""
    return _drawn(label, value, lambda equation: pretty_text(equation, use_unicode=True, num_columns=width, order=order))


def drawn_value(label: str, value: Any, width: int, digits: int | None) -> Text:
    """``label = value`` for a value at a point: its doubles in their shortest round-trip
    form, rounded to ``digits`` (:mod:`symgrad.output.numbers`)."""
    return _drawn(label, value, lambda equation: pretty_text(equation, digits, use_unicode=True, num_columns=width))


def _drawn(label: str, value: Any, draw: Any) -> Text:
    import sympy as sp
    from rich.text import Text

    rhs = sp.Matrix(value) if isinstance(value, tuple) else value
    drawing = draw(sp.Eq(sp.Symbol(label), rhs, evaluate=False))
    return Text(str(drawing), no_wrap=True, overflow="fold")


class AnalysisPretty(Printer):
    """The analysis part of the pretty printer."""

    def _render_Analysis(self, a: Analysis, d: Derivatives | None = None) -> list[Any]:
        from rich.text import Text

        parts: list[Any] = []
        for field in a.fields:
            parts.append(Text(""))
            parts += self.render(field, a.points)
        for t in a.taylor:
            parts.append(Text(""))
            parts += self.render(t)
        if a.critical is not None:
            parts.append(Text(""))
            parts += self.render(a.critical, [v.name for v in d.variables] if d is not None else None)
        if a.check is not None:
            parts.append(Text(""))
            parts += self.render(a.check)
        for steps in a.steps:
            parts.append(Text(""))
            parts += self.render(steps)
        return parts

    def _render_Derivation(self, d: Derivation) -> list[Any]:
        from .steps_pretty import parts

        return parts(d, self.options.width)

    # -- fields --------------------------------------------------------------

    def _render_Field(self, field: Field, points: Any = ()) -> list[Any]:
        label = self.dispatch("_label_", field)
        width = self.options.width
        parts = [drawn(label, field.value, width)]
        digits = self.options.digits
        parts += [drawn_value(f"{label} at {where(at, ', ')}", value, width, digits)
                  for at, value in zip(points, field.points)]
        return parts

    def _render_Directional(self, field: Directional, points: Any = ()) -> list[Any]:
        from rich.text import Text

        rule = "D_u F = J·u" if isinstance(field.value, tuple) else "D_u f = ∇f·u"
        return [
            Text(f"directional derivative along u = v/|v| (normalised), {rule}", style="dim"),
            drawn("u", field.direction, self.options.width),
            *self._render_Field(field, points),
        ]

    @staticmethod
    def _function(field: Field) -> str:
        """The function's name: ``F`` when the result has one value per component."""
        return "F" if isinstance(field.value, tuple) else "f"

    def _label_Divergence(self, field: Divergence) -> str:
        return "∇·F"

    def _label_Curl(self, field: Curl) -> str:
        return "∇×F"

    def _label_Laplacian(self, field: Laplacian) -> str:
        return f"Δ{self._function(field)}"

    def _label_Directional(self, field: Directional) -> str:
        return f"D_u {self._function(field)}"

    def _label_Partial(self, field: Partial) -> str:
        return labels.derivative(self._function(field), [v.name for v in field.wrt], "pretty")

    # -- Taylor --------------------------------------------------------------

    def _render_Taylor(self, t: Taylor) -> list[Any]:
        from rich.text import Text

        width = self.options.width
        args = ", ".join(v.name for v in t.variables)
        subscript = str(t.order).translate(_SUBSCRIPTS)
        general = "f(a) + ∇f(a)·(x−a)" if t.order >= 1 else "f(a)"
        if t.order >= 2:
            general += " + ½(x−a)ᵀ∇²f(a)(x−a)"
        if t.order >= 3:
            general += " + …"
        parts: list[Any] = [
            Text(f"Taylor polynomial of order {t.order} at a = ({where(t.at, ', ')})", style="bold"),
            Text(f"T{subscript} = {general}", style="dim"),
            drawn("f(a)", t.value, width),
        ]
        if t.order >= 1:
            parts.append(drawn("∇f(a)", t.gradient, width))
        if t.order >= 2:
            parts.append(drawn("∇²f(a)", t.hessian, width))
        parts.append(drawn(f"T{subscript}({args})", t.structured, width, order="none"))
        parts.append(drawn(" " * (len(args) + 4 + len(subscript)), t.polynomial, width))
        return parts

    # -- critical points and checks -----------------------------------------

    def _render_CriticalReport(self, report: CriticalReport, names: list[str] | None = None) -> list[Any]:
        from rich.table import Table
        from rich.text import Text

        if names is None:
            names = [name for name, _ in report.points[0].at] if report.points else []
        table = Table(title="critical points (∇f = 0)", title_justify="left", title_style="bold")
        for column in (*names, "f", "kind", "Hessian eigenvalues", "method"):
            table.add_column(column, overflow="fold")
        style = {"local minimum": "green", "local maximum": "magenta", "saddle": "yellow"}
        for p in report.points:
            table.add_row(
                *self._coordinates(p),
                mp_value_text(p.value) if not hasattr(p.value, "free_symbols") else symbolic_text(p.value),
                Text(p.kind, style=style.get(p.kind, "red")),
                eigen_text(p),
                p.method,
            )
        return [table, Text(critical_summary(report), style="dim")]

    def _coordinates(self, p: CriticalPoint) -> list[str]:
        """Each coordinate, with its decimal beside an exact form that is not one."""
        cells = []
        for (_, v), decimal in zip(p.at, p.decimals):
            text = coordinate_text(v, p.exact)
            if p.exact and isinstance(decimal, float) and text != float_text(decimal):
                text = f"{text} ≈ {float_text(decimal, self.options.digits)}"
            cells.append(text)
        return cells

    def _render_CheckReport(self, report: CheckReport) -> list[Any]:
        from rich.table import Table
        from rich.text import Text

        parts: list[Any] = []
        for p in report.points:
            title = f"check at {where(p.at, ', ')}" + (" (random point)" if p.random else "")
            table = Table(title=title, title_justify="left", title_style="bold")
            for column in ("entry", "symbolic", "numeric (Richardson)", "relative error", ""):
                table.add_column(column, no_wrap=column == "entry")
            for e in p.entries:
                mark = Text("ok", style="green") if e.ok else Text("FAILED", style="bold red")
                table.add_row(e.entry, number_text(e.symbolic), number_text(e.numeric), f"{e.relative_error:.2e}", mark)
            parts.append(table)
        total = sum(len(p.entries) for p in report.points)
        tol = report.tolerance
        if report.passed:
            parts.append(Text(f"check passed: all {total} entries within --tol {tol:g}", style="green"))
        else:
            failed = len(report.failures)
            parts.append(Text(f"check FAILED: {failed} of {total} entries exceed --tol {tol:g}", style="bold red"))
        return parts
