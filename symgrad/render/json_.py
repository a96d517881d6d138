"""JSON in the schema of SPEC.md (stable: keys are added, never renamed)."""

from __future__ import annotations

import json
from typing import Any

from ..jobs import Job
from ..results import plain
from .common import symbolic_text
from .options import RenderOptions


def _symbolic(matrix: Any) -> Any:
    if isinstance(matrix, tuple):
        return [_symbolic(x) for x in matrix]
    return symbolic_text(matrix)


def _numeric(matrix: Any, seen: dict[int, Any] | None = None) -> Any:
    """Values as JSON data; each value object is converted once (a big Hessian repeats its zeros)."""
    if seen is None:
        seen = {}
    if isinstance(matrix, tuple):
        return [_numeric(x, seen) for x in matrix]
    key = id(matrix)
    if key not in seen:
        seen[key] = plain(matrix)
    return seen[key]


def job_document(job: Job) -> dict[str, Any]:
    """The JSON object of one job, as Python data."""
    d = job.derivatives
    doc: dict[str, Any] = {
        "expressions": [symbolic_text(e) for e in d.exprs],
        "variables": [v.name for v in d.variables],
    }
    if d.is_vector:
        doc["jacobian"] = _symbolic(d.jacobian)
    else:
        doc["gradient"] = _symbolic(d.gradient)
    if d.hessians is not None:
        doc["hessian"] = _symbolic(d.hessians if d.is_vector else d.hessians[0])
    points = []
    for values in job.points:
        point: dict[str, Any] = {"at": {sym.name: plain(v) for sym, v in values.at}}
        if d.is_vector:
            point["jacobian"] = _numeric(values.jacobian)
        else:
            point["gradient"] = _numeric(values.gradient)
        if values.hessians is not None:
            point["hessian"] = _numeric(values.hessians if d.is_vector else values.hessians[0])
        points.append(point)
    doc["points"] = points
    if job.problems:
        doc["warnings"] = [f"{p.entry} = {p.value}: {p.reason}" for p in job.problems]
    if job.analysis is not None:
        from .analysis import extend_json  # only when an analysis option was given

        extend_json(job, doc)
    return doc


def render_json(job: Job, options: RenderOptions) -> str:
    """One job as one line of JSON, so several jobs form JSON Lines."""
    return json.dumps(job_document(job), ensure_ascii=False)
