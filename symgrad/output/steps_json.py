"""Step-by-step derivations (``--steps``) as JSON data: the job's ``"steps"`` key.

One object per entry, ``{"entry", "wrt", "rule", "before", "after", "substeps"}``
(and ``"from"``, the first derivative a Hessian entry starts from); its
substeps are the derivation's steps, each ``{"rule", "before", "after",
"substeps"}`` with ``"variable"`` (what it differentiates by), ``"inner"``
(a chain rule's ``{"name": "u", "expression": ...}``) and ``"constants"``
(the variables held constant) where they apply. ``before`` is what a step
differentiates and ``after`` its derivative; in the ``tidy`` step they are
the rules' result and symgrad's derivative.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .common import readable_text

if TYPE_CHECKING:
    from ..calculus.steps import Derivation, Step


def step_data(step: Step) -> dict[str, Any]:
    from ..calculus.steps import CONSTANTS

    doc: dict[str, Any] = {
        "rule": step.rule,
        "before": readable_text(step.before),
        "after": readable_text(step.after),
        "substeps": [step_data(s) for s in step.substeps],
        "variable": step.variable.name,
    }
    if step.rule == CONSTANTS:
        doc["constants"] = [v.name for v in step.inner]
    elif step.inner is not None:
        doc["inner"] = {"name": step.name, "expression": readable_text(step.inner)}
    return doc


def derivation_data(d: Derivation) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "entry": d.key,
        "wrt": d.variable.name,
        "rule": f"differentiate with respect to {d.variable.name}",
        "before": readable_text(d.start),
        "after": readable_text(d.result),
        "substeps": [step_data(s) for s in d.steps],
    }
    if d.start_key:
        doc["from"] = d.start_key
    return doc
