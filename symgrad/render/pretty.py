"""Pretty terminal output with Rich: the only module that imports Rich.

Formulas and matrices are drawn by SymPy's unicode pretty printer, folded to
the terminal width; values at points go into one table per point, exact
values with a decimal beside them.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..jobs import Job
from ..results import first_name, plain, second_name
from .analysis import pretty_parts
from .common import function_names, point_text
from .options import RenderOptions

_CONSTANT_MEANING = {
    "pi": "π = 3.14159…",
    "E": "Euler's number e = 2.71828…",
    "I": "the imaginary unit i",
    "oo": "infinity ∞",
}

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _pretty(expr: Any, width: int) -> str:
    import sympy as sp

    return str(sp.pretty(expr, use_unicode=True, num_columns=width))


def _equation(label: str, value: Any, width: int) -> Text:
    import sympy as sp

    rhs = sp.Matrix(value) if isinstance(value, tuple) else value
    drawn = _pretty(sp.Eq(sp.Symbol(label), rhs, evaluate=False), width)
    text = Text(drawn, no_wrap=True, overflow="fold")
    text.highlight_regex(rf"^\s*{label.replace('(', '[(]').replace(')', '[)]')}", "bold cyan")
    return text


def _names(job: Job) -> list[str]:
    d = job.derivatives
    if not d.is_vector:
        return ["f"]
    return [f"f{str(k + 1).translate(_SUBSCRIPTS)}" for k in range(len(d.exprs))]


def _header(job: Job) -> list[RenderableType]:
    d = job.derivatives
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


def _entry_rows(job: Job, values: Any) -> list[tuple[str, str, Any]]:
    """(pretty label, entry key, value) for every entry at a point."""
    d = job.derivatives
    variables = [v.name for v in d.variables]
    rows: list[tuple[str, str, Any]] = []
    firsts = values.jacobian if d.is_vector else (values.gradient,)
    for f, key, row in zip(_names(job), function_names(job), firsts):
        rows += [(f"∂{f}/∂{x}", first_name(key, x), v) for x, v in zip(variables, row)]
    for f, key, h in zip(_names(job), function_names(job), values.hessians or ()):
        for i, a in enumerate(variables):
            for j in range(i, len(variables)):
                b = variables[j]
                label = f"∂²{f}/∂{a}²" if i == j else f"∂²{f}/∂{a}∂{b}"
                rows.append((label, second_name(key, a, b), h[i][j]))
    return rows


def _decimal(value: Any) -> str:
    """A decimal beside an exact value that is not already a plain number."""
    import sympy as sp

    p = plain(value)
    if isinstance(p, str) or isinstance(value, (sp.Integer, sp.Float)):
        return ""
    return f"≈ {p:.12g}"


def _point_table(job: Job, values: Any, width: int) -> Table:
    import sympy as sp

    table = Table(title=f"at {point_text(values, ', ')}", title_justify="left", title_style="bold")
    rows = _entry_rows(job, values)
    decimals = [_decimal(value) for _, _, value in rows]
    table.add_column("entry", style="cyan", no_wrap=True)
    table.add_column("value", overflow="fold")
    if any(decimals):
        table.add_column("decimal", style="green", no_wrap=True)
    bad = {p.entry for p in values.problems}
    for (label, key, value), decimal in zip(rows, decimals):
        shown = Text(repr(float(value)) if isinstance(value, sp.Float) else _pretty(value, width))
        if key in bad:
            shown.stylize("bold red")
        table.add_row(label, shown, *([decimal] if any(decimals) else []))
    return table


def render_pretty(job: Job, options: RenderOptions) -> RenderableType:
    d = job.derivatives
    width = options.width
    names = _names(job)
    args = ", ".join(v.name for v in d.variables)
    parts: list[RenderableType] = []
    if d.is_vector:
        parts.append(_equation(f"F({args})", d.exprs, width))
    else:
        parts.append(_equation(f"f({args})", d.exprs[0], width))
    parts += _header(job)
    parts.append(Text(""))
    if d.is_vector:
        parts.append(_equation("J_F", d.jacobian, width))
    else:
        parts.append(_equation("∇f", d.gradient, width))
    if d.hessians is not None:
        for f, h in zip(names, d.hessians):
            parts.append(Text(""))
            parts.append(_equation(f"∇²{f}", h, width))
    for values in job.points:
        parts.append(Text(""))
        parts.append(_point_table(job, values, width))
    parts += pretty_parts(job, width)
    return Group(*parts)
