"""Renderers: a computed result -> output.

Each format is a function ``render(result, options)``, usually a thin
wrapper around that format's printer class (:class:`~symgrad.output.common.Printer`),
which dispatches on the result's type: a :class:`~symgrad.jobs.Job`, or any
one result in it (derivatives, values at a point, a Taylor polynomial, a
check report, ...). Every renderer returns a ``str`` except ``pretty``,
which returns a Rich renderable (Rich is imported only by the pretty output:
pretty.py, pretty_analysis.py and points_table.py). Renderers are looked up
lazily so that a JSON run never imports Rich, and what each format supports
is in one table here (:func:`format_info`), so the command checks it
without importing any renderer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .options import CODE_FORMATS, RenderOptions

__all__ = ["FormatInfo", "RenderOptions", "Renderer", "available_formats", "format_info", "get_renderer", "register"]

Renderer = Callable[[Any, RenderOptions], Any]

#: format name -> "module:function", imported on first use.
_LAZY: dict[str, str] = {
    "text": "symgrad.output.text:render_text",
    "csv": "symgrad.output.csv_:render_csv",
    "json": "symgrad.output.json_:render_json",
    "latex": "symgrad.output.latex:render_latex",
    "pretty": "symgrad.output.pretty:render_pretty",
    # code generation (symgrad/codegen.py)
    **{lang: f"symgrad.output.code:render_{lang}" for lang in CODE_FORMATS},
}
_LOADED: dict[str, Renderer] = {}


@dataclass(frozen=True)
class FormatInfo:
    """What one output format supports, so the command's checks are one lookup."""

    name: str
    #: Values at ``--at`` points.
    points: bool = True
    #: The analysis results (``--check``, ``--critical``, ``--taylor``, ...).
    analysis: bool = False
    #: One result per stdin line (stdin mode).
    stream: bool = True
    #: Generated code (``--name`` names its functions; ``--at`` does not apply).
    code: bool = False
    #: Writes ``--points``/``--grid`` results to stdout (else only with ``-o``).
    bulk: bool = False


_INFO: dict[str, FormatInfo] = {
    "text": FormatInfo("text", analysis=True, bulk=True),
    "pretty": FormatInfo("pretty", analysis=True, bulk=True),
    "json": FormatInfo("json", analysis=True, bulk=True),
    "latex": FormatInfo("latex", analysis=True),
    "csv": FormatInfo("csv", bulk=True),
    **{lang: FormatInfo(lang, points=False, code=True) for lang in CODE_FORMATS},
}


def format_info(name: str) -> FormatInfo:
    """What format ``name`` supports (KeyError if there is none)."""
    return _INFO[name]


def register(name: str, target: str | Renderer, info: FormatInfo | None = None) -> None:
    """Add a format: a renderer function or its ``"module:function"`` path, and what it supports."""
    if name in _LAZY or name in _LOADED:
        raise ValueError(f"duplicate renderer {name!r}")
    _INFO[name] = info or FormatInfo(name)
    if isinstance(target, str):
        _LAZY[name] = target
    else:
        _LOADED[name] = target


def available_formats() -> list[str]:
    """The names of every registered format, sorted."""
    return sorted({*_LAZY, *_LOADED})


def get_renderer(name: str) -> Renderer:
    """The renderer for ``name`` (KeyError if there is none)."""
    if name not in _LOADED:
        module_name, function = _LAZY[name].split(":")
        _LOADED[name] = getattr(importlib.import_module(module_name), function)
    return _LOADED[name]
