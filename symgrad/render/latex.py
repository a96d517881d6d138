"""LaTeX for papers: an amsmath ``align*`` block, or a whole document.

    \\begin{align*}
    f(x, y, z) &= x^{2} + y z \\\\
    \\nabla f &= \\begin{bmatrix} 2 x \\\\ z \\\\ y \\end{bmatrix} \\\\
    \\nabla f\\big|_{x=1,\\ y=2,\\ z=3} &= \\begin{bmatrix} 2 \\\\ 3 \\\\ 2 \\end{bmatrix}
    \\end{align*}

Settings (:class:`~symgrad.render.options.RenderOptions`):

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
from typing import Any

from ..jobs import Job
from .memo import MemoPrinter
from .names import ascii_name
from .options import RenderOptions

#: Longest entry (estimated printed characters) kept on one line.
LONG_ENTRY = 60
#: Widest matrix amsmath's ``*matrix`` environments take by default.
MAX_MATRIX_COLS = 10

_DELIMITERS = {"bmatrix": ("[", "]"), "pmatrix": ("(", ")"), "vmatrix": ("|", "|"), "array": ("[", "]")}

STANDALONE_HEAD = "\\documentclass{article}\n\\usepackage{amsmath}\n\\allowdisplaybreaks\n\\begin{document}\n"
STANDALONE_TAIL = "\n\\end{document}"


def _printer_class() -> Any:
    from sympy.printing.latex import LatexPrinter

    class Printer(MemoPrinter, LatexPrinter):  # type: ignore[misc]
        """SymPy's LaTeX printer with round-trip floats."""

        def _print_Float(self, expr: Any) -> str:
            text = repr(float(expr))
            if "e" in text:
                mantissa, exponent = text.split("e")
                return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
            return text

    return Printer


def _unicode_name(name: str) -> str:
    """LaTeX for a non-ASCII name: ``α_1`` is ``\\alpha_{1}``, ``Δx`` is ``{\\Delta}x``."""
    import sympy as sp

    spelled = ascii_name(name)
    tex = str(sp.latex(sp.Symbol(spelled)))
    if tex != spelled:  # SymPy read it (Greek letter, subscript)
        return tex
    parts = []
    for ch in name:
        part = ascii_name(ch)
        parts.append(part if ch.isascii() or len(part) == 1 or part.startswith("u") else rf"{{\{part}}}")
    return "".join(parts)


def printed_width(tex: str) -> int:
    """A rough printed width of LaTeX math: commands count one, braces and spaces none."""
    tex = re.sub(r"\\(left|right)\b", "", tex)
    tex = re.sub(r"\\[A-Za-z]+", "#", tex)
    return len(re.sub(r"[{}\s]", "", tex))


class _Tex:
    """Prints one job's pieces with one printer and one set of options."""

    def __init__(self, job: Job, options: RenderOptions):
        import sympy as sp

        d = job.derivatives
        self.sp = sp
        self.job = job
        self.options = options
        symbols = {s for e in d.exprs for s in e.free_symbols} | set(d.variables)
        names = {s: _unicode_name(s.name) for s in symbols if not s.name.isascii()}
        self.printer = _printer_class()({"symbol_names": names})
        self.vars = [self.tex(v) for v in d.variables]
        self.single = len(d.variables) == 1
        self.d = "d" if self.single else r"\partial"
        base = options.name or ("F" if d.is_vector else "f")
        self.name = self.tex(sp.Symbol(base))
        if d.is_vector:
            low = options.name or "f"
            self.parts = [self.tex(sp.Symbol(f"{low}_{k + 1}")) for k in range(len(d.exprs))]
        else:
            self.parts = [self.name]

    def tex(self, value: Any) -> str:
        return str(self.printer.doprint(value))

    # -- long entries --------------------------------------------------------

    def lines(self, value: Any) -> list[str]:
        """``value`` as one line, or as several when it is a long sum."""
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

        Joined with spaces they are exactly SymPy's LaTeX of the whole sum.
        """
        p = self.printer
        pieces = []
        for i, term in enumerate(p._as_ordered_terms(value, order=None)):
            sign = ""
            if i and term.could_extract_minus_sign():
                sign, term = "- ", -term
            elif i:
                sign = "+ "
            text = p._print(term)
            if p._needs_add_brackets(term):
                text = rf"\left({text}\right)"
            pieces.append(sign + text)
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

    # -- names of derivatives ----------------------------------------------

    def first(self, f: str, j: int) -> str:
        return rf"\frac{{{self.d} {f}}}{{{self.d} {self.vars[j]}}}"

    def second(self, f: str, i: int, j: int) -> str:
        d = self.d
        if i == j:
            return rf"\frac{{{d}^{{2}} {f}}}{{{d} {self.vars[i]}^{{2}}}}"
        return rf"\frac{{{d}^{{2}} {f}}}{{{d} {self.vars[i]} {d} {self.vars[j]}}}"

    def first_entries(self, gradient: Any, jacobian: Any) -> list[tuple[str, Any]]:
        rows = jacobian if jacobian is not None else (gradient,)
        return [(self.first(f, j), v) for f, row in zip(self.parts, rows) for j, v in enumerate(row)]

    def second_entries(self, hessians: Any) -> list[tuple[str, Any]]:
        n = len(self.vars)
        return [
            (self.second(f, i, j), h[i][j])
            for f, h in zip(self.parts, hessians)
            for i in range(n)
            for j in range(i, n)
        ]

    def at(self, values: Any) -> str:
        return r",\ ".join(f"{self.tex(sym)}={self.tex(v)}" for sym, v in values.at)

    # -- the whole job -------------------------------------------------------

    def definition(self) -> list[str]:
        d = self.job.derivatives
        lhs = f"{self.name}({', '.join(self.vars)})"
        if d.is_vector:
            return [rf"{lhs} &= {self.column(d.exprs)}"]
        return [self.equation(lhs, d.exprs[0])]

    def vector_lines(self, gradient: Any, jacobian: Any, hessians: Any, at: str = "") -> list[str]:
        if at:
            at = rf"\big|_{{{at}}}"
        lines = []
        if jacobian is not None:
            lines.append(rf"J_{{{self.name}}}{at} &= {self.matrix(jacobian)}")
        elif self.single:  # one variable: d f/d x, not a 1-vector
            lines.append(self.equation(self.first(self.name, 0) + at, gradient[0]))
        else:
            lines.append(rf"\nabla {self.name}{at} &= {self.column(gradient)}")
        for f, h in zip(self.parts, hessians or ()):
            if self.single and jacobian is None:
                lines.append(self.equation(self.second(f, 0, 0) + at, h[0][0]))
            else:
                lines.append(rf"\nabla^{{2}} {f}{at} &= {self.matrix(h)}")
        return lines

    def component_lines(self, gradient: Any, jacobian: Any, hessians: Any, at: str = "") -> list[str]:
        entries = self.first_entries(gradient, jacobian)
        if hessians is not None:
            entries += self.second_entries(hessians)
        if at:
            return [self.equation(rf"\left.{lhs}\right|_{{{at}}}", v) for lhs, v in entries]
        return [self.equation(lhs, v) for lhs, v in entries]

    def table(self) -> str:
        """The values at every point: one row per point, one column per symbol and entry."""
        points = self.job.points
        symbols = [sym for sym, _ in points[0].at]
        first = points[0]
        heads = [self.tex(s) for s in symbols]
        heads += [lhs for lhs, _ in self.first_entries(first.gradient, first.jacobian)]
        if first.hessians is not None:
            heads += [lhs for lhs, _ in self.second_entries(first.hessians)]
        rows = []
        for values in points:
            cells = [self.tex(v) for _, v in values.at]
            cells += [self.tex(v) for _, v in self.first_entries(values.gradient, values.jacobian)]
            if values.hessians is not None:
                cells += [self.tex(v) for _, v in self.second_entries(values.hessians)]
            rows.append(" & ".join(cells))
        spec = "c" * len(symbols) + "|" + "c" * (len(heads) - len(symbols))
        head = " & ".join(heads) + " \\\\ \\hline\n"
        return "\\[\n\\begin{array}{" + spec + "}\n" + head + " \\\\\n".join(rows) + "\n\\end{array}\n\\]"

    def render(self) -> str:
        d = self.job.derivatives
        style = self.options.latex_style
        lines = self.definition()
        body = self.vector_lines if style == "vector" else self.component_lines
        lines += body(d.gradient, d.jacobian, d.hessians)
        if style != "table":
            for values in self.job.points:
                lines += body(values.gradient, values.jacobian, values.hessians, self.at(values))
        if self.job.analysis is not None:
            from .analysis import latex_lines  # only when an analysis option was given

            lines += latex_lines(self.job)
        text = "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"
        if style == "table" and self.job.points:
            text += "\n" + self.table()
        return text


def render_latex(job: Job, options: RenderOptions) -> str:
    text = _Tex(job, options).render()
    if options.standalone:
        return STANDALONE_HEAD + text + STANDALONE_TAIL
    return text
