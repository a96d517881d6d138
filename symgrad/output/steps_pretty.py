"""Step-by-step derivations (``--steps``) for the pretty output: numbered rules, formulas drawn by SymPy.

Each step is its number and rule on one line, then ``d/dx(before) = after``
drawn by SymPy's pretty printer, indented by the step's depth. Rich is
imported inside the function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .numbers import pretty_text
from .steps_text import INDENT, numbered, rule_text

if TYPE_CHECKING:
    from ..calculus.steps import Derivation


def parts(d: Derivation, width: int) -> list[Any]:
    """The derivation as Rich renderables."""
    import sympy as sp
    from rich.padding import Padding
    from rich.text import Text

    def draw(expr: Any, indent: int) -> Any:
        drawing = pretty_text(expr, use_unicode=True, num_columns=max(20, width - indent))
        return Padding(Text(drawing, no_wrap=True, overflow="fold"), (0, 0, 0, indent))

    head = f"Steps for {d.key}" + (f", from {d.start_key}" if d.start_key else "") + ":"
    out: list[Any] = [Text(head, style="bold")]
    if d.start_key:
        out.append(draw(sp.Eq(sp.Symbol(d.start_key), d.start, evaluate=False), 2))
    for number, depth, step in numbered(d.steps):
        indent = len(INDENT) * depth
        out.append(Padding(Text(f"{number} {rule_text(step)}"), (0, 0, 0, indent)))
        if step.is_derivative:
            equation = sp.Eq(sp.Derivative(step.before, step.variable), step.after, evaluate=False)
        elif step.before != step.after:
            equation = sp.Eq(step.before, step.after, evaluate=False)
        elif step.inner is None:
            equation = step.after
        else:
            continue
        out.append(draw(equation, indent + len(INDENT)))
    return out
