"""Renderers: a computed :class:`~symgrad.jobs.Job` -> output.

Each format is a function ``render(job, options)``. Every renderer returns a
``str`` except ``pretty``, which returns a Rich renderable (Rich is
imported only by the pretty output: pretty.py, points_table.py and the
pretty parts of analysis.py, inside functions). Renderers are looked up
lazily so that a JSON run never imports Rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .options import CODE_FORMATS, RenderOptions

__all__ = ["RenderOptions", "Renderer", "available_formats", "get_renderer", "register"]

Renderer = Callable[[Any, RenderOptions], Any]

#: format name -> "module:function", imported on first use.
_LAZY: dict[str, str] = {
    "text": "symgrad.render.text:render_text",
    "csv": "symgrad.render.csv_:render_csv",
    "json": "symgrad.render.json_:render_json",
    "latex": "symgrad.render.latex:render_latex",
    "pretty": "symgrad.render.pretty:render_pretty",
    # code generation (symgrad/codegen.py)
    **{lang: f"symgrad.render.code:render_{lang}" for lang in CODE_FORMATS},
}
_LOADED: dict[str, Renderer] = {}


def register(name: str, target: str | Renderer) -> None:
    """Add a format: a renderer function or its ``"module:function"`` path."""
    if name in _LAZY or name in _LOADED:
        raise ValueError(f"duplicate renderer {name!r}")
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
