"""Pretty terminal output with Rich: the only module that imports Rich.

Formulas and matrices are drawn by SymPy's unicode pretty printer, folded to
the terminal width; values at points go into one table per point, the
function's own value first, exact values with a decimal beside them. A
double is written in its shortest round-trip form (``--digits`` rounds it,
and the decimal beside an exact value, to N significant digits;
:mod:`symgrad.output.numbers`).

Big results are folded so that the terminal shows what matters and the
output stays quick (``--full`` draws everything): a vector or matrix with
more than :data:`MAX_DRAWN_SIDE` rows or columns is listed entry by entry,
its nonzero entries only (a Hessian's upper triangle), at most
:data:`MAX_LISTED` of them; a formula or entry longer than
:data:`MAX_DRAWN_CHARS` characters of text is shown as shortened text; a
table of values at a point keeps its first :data:`MAX_TABLE_ROWS` rows. Each
fold ends with a note saying what was left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .. import labels
from ..results import LargeReal, plain
from .common import function_values, point_text, symbolic_text
from .numbers import float_text, pretty_text, value_text
from .options import RenderOptions
from .pretty_analysis import AnalysisPretty, drawn

if TYPE_CHECKING:
    from ..calculus import Derivatives
    from ..jobs import Job
    from ..results import PointValues

_CONSTANT_MEANING = {
    "pi": "π = 3.14159…",
    "E": "Euler's number e = 2.71828…",
    "I": "the imaginary unit i",
    "oo": "infinity ∞",
}

#: A vector or matrix with more rows or columns than this is listed, not drawn.
MAX_DRAWN_SIDE = 12
#: Most entries listed for a folded vector or matrix.
MAX_LISTED = 40
#: A formula or entry with longer text than this is shown as shortened text.
MAX_DRAWN_CHARS = 2_000
#: Most rows of a table of values at a point.
MAX_TABLE_ROWS = 60

_FULL_HINT = "--full shows everything; --format text or json lists every entry"


def _pretty(expr: Any, width: int) -> str:
    return pretty_text(expr, use_unicode=True, num_columns=width)


def _equation(label: str, value: Any, width: int) -> Text:
    text = drawn(label, value, width)
    text.highlight_regex(rf"^\s*{label.replace('(', '[(]').replace(')', '[)]')}", "bold cyan")
    return text


def _note(message: str) -> Text:
    return Text(f"… {message}", style="dim yellow")


def _shortened(label: str, text: str) -> Text:
    """``label = text``, cut to :data:`MAX_DRAWN_CHARS` characters with a note."""
    shown = Text(f"{label} = ", style="bold cyan")
    shown.append(text[:MAX_DRAWN_CHARS])
    if len(text) > MAX_DRAWN_CHARS:
        shown.append(f" … ({len(text) - MAX_DRAWN_CHARS:,} more characters; {_FULL_HINT})", "dim yellow")
    return shown


def _scalar(label: str, value: Any, width: int, full: bool) -> Text:
    """A formula drawn by SymPy, or as shortened text when it is long."""
    if full:
        return _equation(label, value, width)
    text = symbolic_text(value)
    if len(text) > MAX_DRAWN_CHARS:
        return _shortened(label, text)
    return _equation(label, value, width)


def _too_big(rows: Any) -> bool:
    """Whether a vector (a tuple of entries) or matrix is too big to draw or too long."""
    matrix = rows and isinstance(rows[0], tuple)
    sides = (len(rows), len(rows[0])) if matrix else (len(rows),)
    if max(sides, default=0) > MAX_DRAWN_SIDE:
        return True
    entries = [e for row in rows for e in row] if matrix else list(rows)
    return sum(len(symbolic_text(e)) for e in entries) > MAX_DRAWN_CHARS


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _listing(label: str, rows: Any, entry_label: Any, symmetric: bool) -> RenderableType:
    """A big vector or matrix as a list of its nonzero entries, with notes."""
    matrix = rows and isinstance(rows[0], tuple)
    cells = (
        [(i, j, rows[i][j]) for i in range(len(rows)) for j in range(i if symmetric else 0, len(rows[i]))]
        if matrix
        else [(i, None, v) for i, v in enumerate(rows)]
    )
    nonzero = [c for c in cells if c[2] != 0]
    shape = f"{len(rows)}×{len(rows[0])}" if matrix else f"{len(rows)} entries"
    where = " in the upper triangle (symmetric)" if symmetric else ""
    head = Text(f"{label}: ", style="bold cyan")
    zeros = len(cells) - len(nonzero)
    head.append(
        f"{shape}; {_count(len(nonzero), 'nonzero entry', 'nonzero entries')}{where}, "
        f"{_count(zeros, 'zero', 'zeros')}"
    )
    lines: list[RenderableType] = [head]
    shortened = False
    for i, j, value in nonzero[:MAX_LISTED]:
        text = symbolic_text(value)
        if len(text) > MAX_DRAWN_CHARS:
            shortened = True
            text = f"{text[:MAX_DRAWN_CHARS]} … ({len(text) - MAX_DRAWN_CHARS:,} more characters)"
        line = Text(f"  {entry_label(i, j)} = ", style="cyan")
        line.append(text)
        lines.append(line)
    if len(nonzero) > MAX_LISTED:
        lines.append(_note(f"{len(nonzero) - MAX_LISTED:,} more nonzero entries not shown; {_FULL_HINT}"))
    elif shortened:
        lines.append(_note(f"entries over {MAX_DRAWN_CHARS:,} characters are shortened; {_FULL_HINT}"))
    return Group(*lines)


def _matrix_part(
    label: str, rows: Any, width: int, full: bool, entry_label: Any, symmetric: bool = False
) -> RenderableType:
    if full or not _too_big(rows):
        return _equation(label, rows, width)
    return _listing(label, rows, entry_label, symmetric)


def _header(d: Derivatives) -> list[RenderableType]:
    variables = ", ".join(v.name for v in d.variables)
    info = Text()
    info.append("variables ", style="dim")
    info.append(variables or "none")
    if d.parameters:
        info.append("   parameters ", style="dim")
        info.append(", ".join(p.name for p in d.parameters))
    notes: list[RenderableType] = [info]
    constants = d.parsed.constants
    if constants:
        meaning = "; ".join(f"{c} is {_CONSTANT_MEANING[c]}" for c in constants)
        note = Text(f"constants: {meaning}", style="dim")
        plain_names = [c for c in constants if c != "oo"]
        if plain_names:
            note.append(f" (--symbols {','.join(plain_names)} makes them variables)")
        notes.append(note)
    names = {s.name for s in d.parsed.symbols}
    if "e" in names and "E" not in constants:
        notes.append(Text("note: e is a variable here; Euler's number is E", style="yellow"))
    return notes


def _entry_rows(values: PointValues) -> list[tuple[str, str, Any]]:
    """(pretty label, entry key, value) for the function's value (``f``, or ``f₁``, ``f₂``, ...)
    and then every entry at a point."""
    rows = [(label, key, v) for (label, v), (key, _) in
            zip(function_values(values, style="pretty"), function_values(values))]
    return rows + [(_label(values.variable_names, e.component, e.wrt), e.key, e.value) for e in values.entries()]


def _label(variables: Any, component: int | None, wrt: Any) -> str:
    """``∂f/∂x``, ``∂²f₂/∂x∂y``: the pretty name of one entry."""
    return labels.derivative(labels.function(component, style="pretty"), [variables[k] for k in wrt], "pretty")


def _decimal(value: Any, digits: int | None) -> str:
    """A decimal beside an exact value that is not already a plain number."""
    import sympy as sp

    if value is None or isinstance(value, (sp.Integer, sp.Float)):
        return ""
    p = plain(value)
    if isinstance(p, LargeReal):  # exp(1000): beyond a double, 17 digits
        return f"≈ {p}"
    if isinstance(p, str):
        return ""
    return f"≈ {float_text(p, digits)}"


def _not_finite(value: Any) -> bool:
    shown = plain(value)
    return isinstance(shown, str) and not isinstance(shown, LargeReal)


#: The value cell of a function value too large to compute exactly.
TOO_LARGE = "too large to compute exactly"


def _point_table(values: PointValues, width: int, full: bool = False, digits: int | None = None) -> RenderableType:
    table = _table(values, width, full, digits)
    left_out = len(_entry_rows(values)) - MAX_TABLE_ROWS
    if full or left_out <= 0:
        return table
    return Group(table, _note(f"{left_out:,} more entries not shown; {_FULL_HINT}"))


def _value_cell(value: Any, width: int, digits: int | None) -> Text:
    """A value at a point: a double (or a complex of doubles) as text, an exact value drawn by SymPy."""
    import sympy as sp

    if value is None:
        return Text(TOO_LARGE, style="dim")
    if isinstance(value, sp.Basic) and value.has(sp.Float):
        return Text(value_text(value, digits))
    return Text(_pretty(value, width))


def _table(values: PointValues, width: int, full: bool, digits: int | None) -> Table:
    table = Table(title=f"at {point_text(values, ', ')}", title_justify="left", title_style="bold")
    rows = _entry_rows(values)
    if not full:
        rows = rows[:MAX_TABLE_ROWS]
    decimals = [_decimal(value, digits) for _, _, value in rows]
    table.add_column("entry", style="cyan", no_wrap=True)
    table.add_column("value", overflow="fold")
    if any(decimals):
        table.add_column("decimal", style="green", no_wrap=True)
    bad = {p.entry for p in values.problems}
    bad |= {key for key, v in function_values(values) if v is not None and _not_finite(v)}  # marked as problems are
    for (label, key, value), decimal in zip(rows, decimals):
        shown = _value_cell(value, width, digits)
        if key in bad:
            shown.stylize("bold red")
        table.add_row(label, shown, *([decimal] if any(decimals) else []))
    return table


class PrettyPrinter(AnalysisPretty):
    """Each result as Rich renderables (a list of parts, grouped by :func:`render_pretty`)."""

    def _render_Job(self, job: Job) -> list[RenderableType]:
        parts: list[RenderableType] = self.render(job.derivatives)
        for values in job.points:
            parts.append(Text(""))
            parts.append(self.render(values))
        if job.analysis is not None:
            parts += self.render(job.analysis, job.derivatives)
        return parts

    def _render_Derivatives(self, d: Derivatives) -> list[RenderableType]:
        width = self.options.width
        full = self.options.full
        variables = [v.name for v in d.variables]
        shown = variables if full or len(variables) <= MAX_DRAWN_SIDE else [variables[0], "…", variables[-1]]
        args = ", ".join(shown)
        names = [labels.function(c, style="pretty") for c in d.components()]
        parts: list[RenderableType] = []
        if d.is_vector:
            parts.append(_matrix_part(f"F({args})", d.exprs, width, full, lambda i, _: names[i]))
        else:
            parts.append(_scalar(f"f({args})", d.exprs[0], width, full))
        parts += _header(d)
        parts.append(Text(""))
        if d.is_vector:
            parts.append(_matrix_part("J_F", d.jacobian, width, full, lambda i, j: _label(variables, i, (j,))))
        else:
            parts.append(_matrix_part("∇f", d.gradient, width, full, lambda i, _: _label(variables, None, (i,))))
        for c, f, h in zip(d.components(), names, d.hessians or ()):

            def second(i: int, j: int, c: int | None = c) -> str:
                return _label(variables, c, (i, j))

            parts.append(Text(""))
            parts.append(_matrix_part(f"∇²{f}", h, width, full, second, symmetric=True))
        return parts

    def _render_PointValues(self, values: PointValues) -> RenderableType:
        return _point_table(values, self.options.width, self.options.full, self.options.digits)


def render_pretty(result: Any, options: RenderOptions) -> RenderableType:
    """A job (or any one result) as one Rich renderable."""
    parts = PrettyPrinter(options).render(result)
    return Group(*parts) if isinstance(parts, list) else parts
