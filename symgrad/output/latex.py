"""LaTeX for papers: an amsmath ``align*`` block, or a whole document.

    \\begin{align*}
    f(x, y, z) &= x^{2} + y z \\\\
    \\nabla f &= \\begin{bmatrix} 2 x \\\\ z \\\\ y \\end{bmatrix} \\\\
    \\nabla f\\big|_{x=1,\\ y=2,\\ z=3} &= \\begin{bmatrix} 2 \\\\ 3 \\\\ 2 \\end{bmatrix}
    \\end{align*}

Settings (:class:`~symgrad.output.options.RenderOptions`):

* ``latex_env``: ``bmatrix`` (default), ``pmatrix``, ``vmatrix`` or ``array``
  (an ``array`` in ``\\left[ \\right]``). A matrix wider than 10 columns is
  always an ``array`` with the chosen delimiters, so it compiles without
  raising amsmath's ``MaxMatrixCols``.
* ``latex_style``: ``vector`` (whole vectors and matrices), ``components``
  (one equation per entry, a Hessian's upper triangle) or ``table``
  (equations per entry, and the values at the points as one table).
* ``name``: the function's name (default ``f``; ``F`` with components
  ``f_{1}``, ``f_{2}``, ... for a vector function).
* With one variable, derivatives are written with ``d``, not ``\\partial``.
* ``standalone``: a complete minimal document (``article`` + amsmath).

An entry whose estimated printed width is over :data:`LONG_ENTRY` characters
(each LaTeX command counted as one character, braces and spaces not at all)
is broken into lines at its top-level ``+``/``-`` signs. Products and other
entries without a top-level sum are left as they are.

Expressions are printed by SymPy's LaTeX printer (so ``alpha`` is
``\\alpha``, ``x1`` and ``x_1`` are ``x_{1}``, ``sigma_k`` is
``\\sigma_{k}``); non-ASCII names are spelled in ASCII first (``α`` is
``\\alpha``); floats keep their shortest round-trip digits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import labels
from .latex_analysis import AnalysisLatex
from .latex_math import _printer_class
from .numbers import rounded_values
from .options import RenderOptions

if TYPE_CHECKING:
    from ..calculus import Derivatives
    from ..jobs import Job
    from ..results import PointValues, Shaped

#: Longest entry (estimated printed characters) kept on one line.
LONG_ENTRY = 60
#: A value too large to compute exactly (the function's, at a point).
TOO_LARGE = r"\text{(too large to compute exactly)}"
#: Widest matrix amsmath's ``*matrix`` environments take by default.
MAX_MATRIX_COLS = 10

_DELIMITERS = {"bmatrix": ("[", "]"), "pmatrix": ("(", ")"), "vmatrix": ("|", "|"), "array": ("[", "]")}

STANDALONE_HEAD = "\\documentclass{article}\n\\usepackage{amsmath}\n\\allowdisplaybreaks\n\\begin{document}\n"
STANDALONE_TAIL = "\n\\end{document}"

def printed_width(tex: str) -> int:
    """A rough printed width of LaTeX math: commands count one, braces and spaces none."""
    tex = re.sub(r"\\(left|right)\b", "", tex)
    tex = re.sub(r"\\[A-Za-z]+", "#", tex)
    return len(re.sub(r"[{}\s]", "", tex))


class TexPrinter(AnalysisLatex):
    """Prints one job's pieces with one SymPy printer and one set of options.

    The function's name, the variables and whether derivatives are written
    with ``d`` (one variable) are set by the :class:`Derivatives` being
    printed (:meth:`use`); each result type has its ``_render_<Type>``,
    which returns lines of the ``align*`` block.
    """

    def __init__(self, options: RenderOptions | None = None):
        import sympy as sp

        super().__init__(options)
        self.sp = sp
        self.printer = _printer_class()({})
        self.vars: list[str] = []
        self.single = False
        self.name = self.tex(sp.Symbol(self.options.name or "f"))
        self.parts = [self.name]
        self.table_points: Sequence[PointValues] = ()  # the points of a job in the table style

    def use(self, d: Derivatives) -> None:
        """Name things as for the function of ``d``."""
        sp = self.sp
        self.printer.reserve(d.parsed.symbols)
        self.vars = [self.tex(v) for v in d.variables]
        self.single = len(d.variables) == 1
        self.name = self.tex(sp.Symbol(self.options.name or ("F" if d.is_vector else "f")))
        low = self.options.name or "f"
        self.parts = [self.tex(sp.Symbol(labels.function(c, low))) for c in d.components()] if d.is_vector else [self.name]

    def tex(self, value: Any) -> str:
        return str(self.printer.doprint(value))

    # -- long entries --------------------------------------------------------

    def lines(self, value: Any) -> list[str]:
        """``value`` as one line, or as several when it is a long sum (None: a value too large to compute)."""
        if value is None:
            return [TOO_LARGE]
        whole = self.tex(value)
        if printed_width(whole) <= LONG_ENTRY or not isinstance(value, self.sp.Add):
            return [whole]
        lines: list[str] = []
        for piece in self.terms(value):
            if lines and printed_width(lines[-1] + piece) <= LONG_ENTRY:
                lines[-1] += " " + piece
            else:
                lines.append(piece)
        return lines

    def terms(self, value: Any) -> list[str]:
        """The top-level terms of a sum as SymPy prints them, each with its sign.

        Joined with spaces they are exactly SymPy's LaTeX of the whole sum:
        each piece is printed by SymPy's own ``_print_Add``, told which terms
        the sum has (the first alone; any other after a ``1``, whose ``"1 "``
        is cut off, leaving the sign SymPy chose).
        """
        p = self.printer
        one = self.sp.S.One
        pieces = []
        for i, term in enumerate(p._as_ordered_terms(value, order=None)):
            p.next_terms = [term] if i == 0 else [one, term]
            text = str(p._print_Add(value))
            pieces.append(text if i == 0 else text[len("1 ") :])
        return pieces

    def cell(self, value: Any) -> str:
        lines = self.lines(value)
        if len(lines) == 1:
            return lines[0]
        body = r" \\ &\quad ".join(lines)
        return rf"\begin{{aligned}} &{body} \end{{aligned}}"

    def equation(self, lhs: str, value: Any) -> str:
        """``lhs &= value``, over several rows when ``value`` is long."""
        return rf"{lhs} &= " + r" \\ &\quad ".join(self.lines(value))

    # -- vectors and matrices ------------------------------------------------

    def matrix(self, rows: Any) -> str:
        env = self.options.latex_env
        width = len(rows[0]) if rows else 0
        body = r" \\ ".join(" & ".join(self.cell(v) for v in row) for row in rows)
        if env == "array" or width > MAX_MATRIX_COLS:
            left, right = _DELIMITERS[env]
            return rf"\left{left} \begin{{array}}{{{'c' * width}}} {body} \end{{array}} \right{right}"
        return rf"\begin{{{env}}} {body} \end{{{env}}}"

    def column(self, values: Any) -> str:
        return self.matrix([(v,) for v in values])

    # -- names ---------------------------------------------------------------

    def label(self, component: int | None, wrt: Sequence[int]) -> str:
        """``\\frac{\\partial f}{\\partial x}`` for an entry (variables' indices ``wrt``)."""
        f = self.parts[component or 0]
        return labels.derivative(f, [self.vars[k] for k in wrt], "latex", ordinary=self.single)

    def labelled(self, values: Shaped) -> list[tuple[str, Any]]:
        """(LaTeX label, value) for every entry of derivatives or values at a point."""
        return [(self.label(e.component, e.wrt), e.value) for e in values.entries()]

    def at(self, at: Any) -> str:
        """``x=1,\\ y=2`` for (symbol or name, value) pairs."""
        sp = self.sp
        return r",\ ".join(
            f"{self.tex(sp.Symbol(s) if isinstance(s, str) else s)}={self.tex(v)}" for s, v in at
        )

    # -- the whole job -------------------------------------------------------

    def _render_Job(self, job: Job) -> list[str]:
        self.use(job.derivatives)
        d = job.derivatives
        lhs = f"{self.name}({', '.join(self.vars)})"
        if d.is_vector:
            lines = [rf"{lhs} &= {self.column(d.exprs)}"]
        else:
            lines = [self.equation(lhs, d.exprs[0])]
        lines += self.render(d)
        if self.options.latex_style == "table":
            self.table_points = job.points
        else:
            for values in job.points:
                lines += self.render(values)
        if job.analysis is not None:
            lines += self.render(job.analysis)
        return lines

    def _render_Derivatives(self, d: Derivatives) -> list[str]:
        return self.body(d)

    def _render_PointValues(self, values: PointValues) -> list[str]:
        values = rounded_values(values, self.options.digits)
        at = self.at(values.at)
        return self.function_lines(values, at) + self.body(values, at)

    def function_lines(self, values: PointValues, at: str) -> list[str]:
        """The function's own value at the point: ``f\\big|_{x=1} &= 7`` (the vector ``F`` as a
        column), or in the components and table styles ``\\left.f_{1}\\right|_{x=1} &= 7`` per formula."""
        if self.options.latex_style == "vector":
            lhs = rf"{self.name}\big|_{{{at}}}"
            if values.is_vector:
                return [rf"{lhs} &= {self.column(values.function)}"]
            return [self.equation(lhs, values.value)]
        return [self.equation(rf"\left.{f}\right|_{{{at}}}", v) for f, v in zip(self.parts, values.function)]

    def body(self, values: Shaped, at: str = "") -> list[str]:
        if self.options.latex_style == "vector":
            return self.vector_lines(values, at)
        return self.component_lines(values, at)

    def vector_lines(self, values: Shaped, at: str = "") -> list[str]:
        if at:
            at = rf"\big|_{{{at}}}"
        lines = []
        if values.jacobian is not None:
            lines.append(rf"J_{{{self.name}}}{at} &= {self.matrix(values.jacobian)}")
        elif self.single:  # one variable: d f/d x, not a 1-vector
            lines.append(self.equation(self.label(None, (0,)) + at, values.first[0][0]))
        else:  # a scalar function: its gradient is the one row of first derivatives
            lines.append(rf"\nabla {self.name}{at} &= {self.column(values.first[0])}")
        for c, h in zip(values.components(), values.hessians or ()):
            if self.single and values.jacobian is None:
                lines.append(self.equation(self.label(c, (0, 0)) + at, h[0][0]))
            else:
                lines.append(rf"\nabla^{{2}} {self.parts[c or 0]}{at} &= {self.matrix(h)}")
        return lines

    def component_lines(self, values: Shaped, at: str = "") -> list[str]:
        entries = self.labelled(values)
        if at:
            return [self.equation(rf"\left.{lhs}\right|_{{{at}}}", v) for lhs, v in entries]
        return [self.equation(lhs, v) for lhs, v in entries]

    def table(self, points: Sequence[PointValues]) -> str:
        """The values at every point: one row per point, one column per symbol, per formula
        (the function's value) and per entry."""
        symbols = [sym for sym, _ in points[0].at]
        heads = [self.tex(s) for s in symbols] + self.parts + [lhs for lhs, _ in self.labelled(points[0])]
        rows = []
        for values in points:
            values = rounded_values(values, self.options.digits)
            computed = [*values.function, *(e.value for e in values.entries())]
            cells = [self.tex(v) for _, v in values.at] + [TOO_LARGE if v is None else self.tex(v) for v in computed]
            rows.append(" & ".join(cells))
        spec = "c" * len(symbols) + "|" + "c" * (len(heads) - len(symbols))
        head = " & ".join(heads) + " \\\\ \\hline\n"
        return "\\[\n\\begin{array}{" + spec + "}\n" + head + " \\\\\n".join(rows) + "\n\\end{array}\n\\]"

    def document(self, result: object) -> str:
        """The ``align*`` block of ``result`` (then, in the table style, a job's points as a table)."""
        self.table_points = ()
        text = "\\begin{align*}\n" + " \\\\\n".join(self.render(result)) + "\n\\end{align*}"
        if self.table_points:
            text += "\n" + self.table(self.table_points)
        return text


def render_latex(result: object, options: RenderOptions) -> str:
    """A job (or any one result) as an ``align*`` block, or a whole document."""
    text = TexPrinter(options).document(result)
    if options.standalone:
        return STANDALONE_HEAD + text + STANDALONE_TAIL
    return text
