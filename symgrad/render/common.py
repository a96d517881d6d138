"""Helpers shared by the renderers: entry names and value text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import labels
from ..jobs import Job


def function_names(job: Job) -> list[str]:
    """``["f"]`` for a scalar function, ``["f1", "f2", ...]`` for a vector one."""
    return [labels.function(c) for c in job.derivatives.components()]


def entries(values: Any) -> Iterator[tuple[str, Any]]:
    """(``df/dx``, value) for every entry of derivatives or of values at a point."""
    for e in values.entries():
        yield e.key, e.value


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
