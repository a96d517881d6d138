"""Step-by-step derivations (``--steps``) as numbered text lines, and what the other formats share.

    steps df/dx:
    1. product rule: d/dx[x**3*sin(x)] = x**3*cos(x) + 3*x**2*sin(x)
       1.1. power rule: d/dx[x**3] = 3*x**2
       1.2. trig rule: d/dx[sin(x)] = cos(x)
    2. tidy: x**3*cos(x) + 3*x**2*sin(x) = x**2*(x*cos(x) + 3*sin(x))

Substeps are numbered under their step and indented by their depth.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .common import symbolic_text

if TYPE_CHECKING:
    from ..calculus.steps import Derivation, Step

#: Indentation per nesting depth.
INDENT = "   "


def numbered(steps: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, int, Step]]:
    """(number such as ``1.2.``, depth, step) for every step and substep, depth first."""
    for k, step in enumerate(steps, 1):
        number = f"{prefix}{k}."
        yield number, depth, step
        yield from numbered(step.substeps, number, depth + 1)


def rule_text(step: Step, show: Any = symbolic_text) -> str:
    """The rule's name, with the inner function of a chain rule (``chain rule, let u = x**2 + y**2``)
    or the variables held constant; ``show`` writes an expression."""
    from ..calculus.steps import CONSTANTS

    if step.rule == CONSTANTS:
        return f"{step.rule}: {', '.join(v.name for v in step.inner)}"
    if step.inner is not None:
        return f"{step.rule}, let {step.name} = {show(step.inner)}"
    return step.rule


def header(d: Derivation) -> str:
    """``steps df/dx:``; for a Hessian entry ``steps d2f/dxdy = d/dy[df/dx]:``."""
    if d.start_key:
        return f"steps {d.key} = d/d{d.variable.name}[{d.start_key}]:"
    return f"steps {d.key}:"


def lines(d: Derivation) -> list[str]:
    """The derivation as numbered lines."""
    out = [header(d)]
    if d.start_key:
        out.append(f"{d.start_key} = {symbolic_text(d.start)}")
    for number, depth, step in numbered(d.steps):
        if step.is_derivative:
            body = f"d/d{step.variable.name}[{symbolic_text(step.before)}] = {symbolic_text(step.after)}"
        elif step.inner is not None:  # the variables held constant
            out.append(f"{INDENT * depth}{number} {rule_text(step)}")
            continue
        elif step.before == step.after:
            body = symbolic_text(step.after)
        else:
            body = f"{symbolic_text(step.before)} = {symbolic_text(step.after)}"
        out.append(f"{INDENT * depth}{number} {rule_text(step)}: {body}")
    return out
