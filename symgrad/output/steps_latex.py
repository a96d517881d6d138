r"""Step-by-step derivations (``--steps``) as rows of the job's ``align*`` block.

    &\text{Steps for } \frac{d f}{d x}\colon \\
    &\text{1. product rule: } \frac{d}{d x}\left[x^{3} \sin{\left(x \right)}\right] = ... \\
    &\quad \text{1.1. power rule: } \frac{d}{d x}\left[x^{3}\right] = 3 x^{2} \\

Each substep is indented by one ``\quad`` per depth; rule names are text,
the inner function of a chain rule is mathematics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .steps_text import numbered

if TYPE_CHECKING:
    from ..calculus.steps import Derivation, Step

_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {"~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                                              "\\": r"\textbackslash{}"}


def text(s: str) -> str:
    r"""``s`` inside ``\text{...}``, its special characters escaped."""
    return r"\text{" + "".join(_SPECIAL.get(c, c) for c in s) + "}"


def operator(variable: Any, tex: Callable[[Any], str], partial: bool) -> str:
    d = r"\partial" if partial else "d"
    return rf"\frac{{{d}}}{{{d} {tex(variable)}}}"


def rows(d: Derivation, tex: Callable[[Any], str], label: str, start_label: str, partial: bool) -> list[str]:
    """The rows of one derivation; ``tex`` prints an expression, ``label`` is the entry's
    LaTeX name, ``start_label`` that of the first derivative a Hessian entry starts from."""
    from ..calculus.steps import CONSTANTS

    out = [rf"&{text('Steps for ')} {label}\colon"]
    if d.start_key:
        out.append(rf"&\quad {label} = {operator(d.variable, tex, partial)} {start_label},"
                   rf"\quad {start_label} = {tex(d.start)}")
    for number, depth, step in numbered(d.steps):
        indent = r"\quad " * (depth + 1)
        # the outer function's derivative by a chain rule's u is an ordinary one
        out.append(f"&{indent}{_row(number, step, tex, partial and step.variable == d.variable, CONSTANTS)}")
    return out


def _row(number: str, step: Step, tex: Callable[[Any], str], partial: bool, constants: str) -> str:
    if step.rule == constants:
        names = ", ".join(tex(v) for v in step.inner)
        return f"{text(f'{number} {step.rule}: ')} {names}"
    rule = text(f"{number} {step.rule}")
    if step.inner is not None:
        rule += rf"{text(', let ')}{tex(_symbol(step.name))} = {tex(step.inner)}"
    rule += r"\colon\ "
    if not step.is_derivative:
        if step.before == step.after:
            return rule + tex(step.after)
        return rule + f"{tex(step.before)} = {tex(step.after)}"
    op = operator(step.variable, tex, partial)
    return rule + rf"{op}\left[{tex(step.before)}\right] = {tex(step.after)}"


def _symbol(name: str) -> Any:
    import sympy as sp

    return sp.Symbol(name)
