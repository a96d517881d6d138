"""JSON in the schema of SPEC.md (stable: keys are added, never renamed).

Each result type is written by its ``_render_<Type>`` method as Python
data; :func:`render_json` dumps a job as one line, so several jobs form
JSON Lines. Every symbolic string is :func:`~.common.readable_text`, which
``sympy.parse_expr`` reads back to the same expression: a symbol it would
misread is written ``Symbol('lambda')``.

Each point has the function's own value (``"value"``: a number, or a list
for a vector function; ``null`` for a value too large to compute exactly,
whose derivatives are still given). A point whose values are exact (every
input exact) also has ``"exact"``: the same layout (``value``, ``gradient``
or ``jacobian``, ``hessian``) as strings, so nothing is lost to the doubles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..results import LargeReal, plain
from .common import Printer, readable_text, readable_texts, shared_names
from .options import RenderOptions

if TYPE_CHECKING:
    from ..analysis import Analysis, Directional, Field, Partial
    from ..analysis.check import CheckReport
    from ..analysis.critical import CriticalPoint, CriticalReport
    from ..analysis.taylor import Taylor
    from ..calculus import Derivatives
    from ..calculus.steps import Derivation
    from ..jobs import Job
    from ..results import PointValues, Shaped


def _symbolic(matrix: Any, seen: dict[int, str] | None = None) -> Any:
    """Expressions as strings, nested as ``matrix`` is. Without ``seen`` all are
    printed together (entries of one shape once: :func:`~.common.readable_texts`);
    with it, each object is printed once (values repeat: a Hessian's zeros)."""
    if seen is None:
        leaves: list[Any] = []
        _collect(matrix, leaves)
        return _nested(matrix, iter(readable_texts(leaves)))
    if isinstance(matrix, tuple):
        return [_symbolic(x, seen) for x in matrix]
    key = id(matrix)
    if key not in seen:
        seen[key] = readable_text(matrix)
    return seen[key]


def _collect(matrix: Any, leaves: list[Any]) -> None:
    if isinstance(matrix, tuple):
        for x in matrix:
            _collect(x, leaves)
    else:
        leaves.append(matrix)


def _nested(matrix: Any, texts: Iterator[str]) -> Any:
    """``matrix``'s nesting as lists, its leaves taken from ``texts`` in order."""
    if isinstance(matrix, tuple):
        return [_nested(x, texts) for x in matrix]
    return next(texts)


def _rewritten(matrix: Any, rewritten: dict[Any, Any]) -> Any:
    """``matrix`` with each entry replaced by its form in the shared names."""
    if isinstance(matrix, tuple):
        return tuple(_rewritten(x, rewritten) for x in matrix)
    return rewritten.get(matrix, matrix)


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


def _layout(result: Shaped, convert: Callable[[Any], Any]) -> dict[str, Any]:
    """The SPEC's keys for derivatives or values: ``gradient`` (``jacobian`` for a
    vector function) and, when computed, ``hessian`` (a list of them for a vector function)."""
    out = {"jacobian": convert(result.first)} if result.is_vector else {"gradient": convert(result.first[0])}
    if result.hessians is not None:
        out["hessian"] = convert(result.hessians if result.is_vector else result.hessians[0])
    return out


def _function_value(values: PointValues, convert: Callable[[Any], Any]) -> Any:
    """The function's value at a point in the function's layout (None: too large to compute exactly)."""
    converted = [None if v is None else convert(v) for v in values.function]
    if values.is_vector:
        return converted
    return converted[0] if converted else None


def _mpplain(value: Any) -> Any:
    """An mpmath number as a plain value."""
    import mpmath

    if isinstance(value, mpmath.mpc):
        return plain(complex(value))
    return plain(float(value))


class JsonPrinter(Printer):
    """Each result as JSON data (dicts, lists, numbers and strings)."""

    def _render_Job(self, job: Job) -> dict[str, Any]:
        doc: dict[str, Any] = self.render(job.derivatives)
        doc["points"] = [self.render(values) for values in job.points]
        if job.problems:
            doc["warnings"] = [f"{p.entry} = {p.value}: {p.reason}" for p in job.problems]
        if job.analysis is not None:
            doc.update(self.render(job.analysis, doc["points"]))
        return doc

    def _render_Derivatives(self, d: Derivatives) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "expressions": [readable_text(e) for e in d.exprs],
            "variables": [v.name for v in d.variables],
        }
        if not self.options.shared:
            return doc | _layout(d, _symbolic)
        names, rewritten = shared_names(d)
        doc["shared"] = {t.name: readable_text(value) for t, value in names}
        return doc | _layout(d, lambda matrix: _symbolic(_rewritten(matrix, rewritten)))

    def _render_PointValues(self, values: PointValues) -> dict[str, Any]:
        point: dict[str, Any] = {"at": {sym.name: plain(v) for sym, v in values.at}}
        point["value"] = _function_value(values, plain)
        point |= _layout(values, _numeric)
        if values.exact:
            seen: dict[int, str] = {}
            point["exact"] = {"value": _function_value(values, readable_text)} | _layout(
                values, lambda matrix: _symbolic(matrix, seen)
            )
        if values.limits:  # entries whose value is the limit at a removable singularity
            point["limits"] = list(values.limits)
        return point

    def _render_Analysis(self, a: Analysis, points: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The analysis keys of a job's object; each field's values join ``points``."""
        doc: dict[str, Any] = {}
        for field in a.fields:
            doc[field.key] = self.render(field)
            for point, value in zip(points or (), field.points):
                point[field.key] = _numeric(value)
        if a.taylor:
            doc["taylor"] = [self.render(t) for t in a.taylor]
        if a.critical is not None:
            doc.update(self.render(a.critical))
        if a.check is not None:
            doc["check"] = self.render(a.check)
        if a.steps:
            doc["steps"] = [self.render(d) for d in a.steps]
        return doc

    def _render_Derivation(self, d: Derivation) -> dict[str, Any]:
        from .steps_json import derivation_data

        return derivation_data(d)

    def _render_Field(self, field: Field) -> Any:
        return _symbolic(field.value)

    def _render_Directional(self, field: Directional) -> Any:
        return {
            "direction": [readable_text(c) for c in field.direction],
            "normalised": True,
            "derivative": _symbolic(field.value),
        }

    def _render_Partial(self, field: Partial) -> Any:
        return {"wrt": [v.name for v in field.wrt], "name": field.label, "expression": _symbolic(field.value)}

    def _render_Taylor(self, t: Taylor) -> dict[str, Any]:
        return {
            "at": {s.name: plain(v) for s, v in t.at},
            "order": t.order,
            "polynomial": readable_text(t.polynomial),
            "terms": [
                {"powers": list(powers), "coefficient": plain(c)} for powers, c in t.coefficients if c != 0
            ],
        }

    def _render_CriticalReport(self, report: CriticalReport) -> dict[str, Any]:
        return {
            "critical_points": [self.render(p) for p in report.points],
            "critical_search": {
                "exact": report.exact_outcome,
                "newton": report.newton_used,
                "box": list(report.box),
                "complete": report.complete,
            },
        }

    def _render_CriticalPoint(self, p: CriticalPoint) -> dict[str, Any]:
        import sympy as sp

        if p.isolated:
            at = {name: decimal for (name, _), decimal in zip(p.at, p.decimals)}
        else:
            at = {name: readable_text(v) for name, v in p.at}
        return {
            "at": at,
            "exact": {name: readable_text(v) for name, v in p.at} if p.exact else None,
            "kind": p.kind,
            "method": p.method,
            "value": _mpplain(p.value) if not isinstance(p.value, sp.Basic) else readable_text(p.value),
            "eigenvalues": [_mpplain(e) for e in p.eigenvalues],
        }

    def _render_CheckReport(self, report: CheckReport) -> dict[str, Any]:
        return {
            "tolerance": report.tolerance,
            "passed": report.passed,
            "points": [
                {
                    "at": {name: plain(v) for name, v in p.at},
                    "random": p.random,
                    "entries": [
                        {
                            "entry": e.entry,
                            "symbolic": _mpplain(e.symbolic),
                            "numeric": _mpplain(e.numeric),
                            "relative_error": plain(e.relative_error),
                            "ok": e.ok,
                        }
                        for e in p.entries
                    ],
                }
                for p in report.points
            ],
        }


def render_json(result: object, options: RenderOptions) -> str:
    """One job (or any one result) as one line of JSON."""
    return dumps(JsonPrinter(options).render(result))


#: Marks a large real in the data given to ``json.dumps`` (which writes NUL as ``\u0000``).
_LARGE_MARK = "\x00"
_LARGE_WRITTEN = re.compile(r'"\\u0000([-+.e0-9]+)"')


def dumps(data: Any) -> str:
    """``data`` as JSON, a :class:`~symgrad.results.LargeReal` written as the number it is.

    A finite real beyond a double's range is a JSON number like any other
    (``1.970071114017047e+434``; JSON sets no range): ``json`` can only
    write it as a string, so it goes in marked and its quotes come off.
    A reader that parses numbers as doubles gets ``inf``, one that keeps
    them as decimals (``parse_float=decimal.Decimal``) the value.
    """
    return _LARGE_WRITTEN.sub(r"\1", json.dumps(_marked(data), ensure_ascii=False))


def _marked(data: Any) -> Any:
    if isinstance(data, LargeReal):
        return _LARGE_MARK + data
    if isinstance(data, dict):
        return {key: _marked(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_marked(value) for value in data]
    return data
