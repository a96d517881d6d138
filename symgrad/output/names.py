"""ASCII spellings of symbol names: moved to :mod:`symgrad.names`.

LaTeX and generated code share them, so they live outside ``render``;
this module re-exports :func:`ascii_name` for existing imports.
"""

from __future__ import annotations

from ..names import ascii_name

__all__ = ["ascii_name"]
