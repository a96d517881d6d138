"""ASCII spellings of symbol names, as the output formats use them.

LaTeX and generated code share them, so they live in :mod:`symgrad.names`;
this module re-exports :func:`ascii_name` beside the other output helpers.
"""

from __future__ import annotations

from ..names import ascii_name

__all__ = ["ascii_name"]
