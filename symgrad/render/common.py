"""Helpers shared by the renderers: entry names and value text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..jobs import Job
from ..results import first_name, function_name, second_name


def function_names(job: Job) -> list[str]:
    """``["f"]`` for a scalar function, ``["f1", "f2", ...]`` for a vector one."""
    d = job.derivatives
    if not d.is_vector:
        return [function_name(None)]
    return [function_name(k) for k in range(len(d.exprs))]


def first_entries(job: Job, rows: Any) -> Iterator[tuple[str, Any]]:
    """(``df/dx``, value) for a gradient (a tuple) or a Jacobian (rows)."""
    names = [v.name for v in job.derivatives.variables]
    if not job.derivatives.is_vector:
        rows = (rows,)
    for f, row in zip(function_names(job), rows):
        for var, value in zip(names, row):
            yield first_name(f, var), value


def second_entries(job: Job, hessians: Any) -> Iterator[tuple[str, Any]]:
    """(``d2f/dxdy``, value) for the upper triangle of each Hessian."""
    names = [v.name for v in job.derivatives.variables]
    for f, h in zip(function_names(job), hessians):
        for i, a in enumerate(names):
            for j in range(i, len(names)):
                yield second_name(f, a, names[j]), h[i][j]


def symbolic_text(expr: Any) -> str:
    """SymPy's string form, as ``parse_expr`` reads it back (short floats).

    Printed by :func:`symgrad.render.memo.sstr`, which prints a subexpression
    shared by many entries (or jobs) once; the text is ``sympy.sstr``'s.
    """
    from .memo import sstr

    return sstr(expr)


def value_text(value: Any) -> str:
    """A value at a point: exact values as SymPy text, floats round-trip exact."""
    import sympy as sp

    if isinstance(value, sp.Float):
        return repr(float(value))
    return symbolic_text(value)


def point_text(job_point: Any, sep: str = ",") -> str:
    """``x=1,y=2`` for a :class:`~symgrad.results.PointValues`."""
    return sep.join(f"{sym.name}={value_text(val)}" for sym, val in job_point.at)
