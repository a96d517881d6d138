"""Settings shared by the renderers, declared and validated in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: ``--latex-env``: the amsmath matrix environment (``array`` is bracketed).
LATEX_ENVS = ("bmatrix", "pmatrix", "vmatrix", "array")
#: ``--latex-style``: whole vectors/matrices, one equation per entry, or
#: entries as equations and values at points as a table.
LATEX_STYLES = ("vector", "components", "table")
#: ``--format`` names of the code generators (symgrad/codegen.py).
CODE_FORMATS = ("python", "numpy", "c", "fortran", "julia", "rust", "js", "octave")
#: ``--name``: an ASCII identifier, so that it can name generated functions.
NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
#: ``--digits``: the fewest and most significant digits a double may be rounded to
#: (17 digits always read back as the same double, so 17 is the default's output).
DIGITS_RANGE = (1, 17)


@dataclass(frozen=True, kw_only=True)
class RenderOptions:
    """How to render; unknown settings are a TypeError by construction."""

    #: Width to fold pretty output to (columns).
    width: int = 80
    #: LaTeX matrix environment, one of :data:`LATEX_ENVS`.
    latex_env: str = "bmatrix"
    #: LaTeX layout, one of :data:`LATEX_STYLES`.
    latex_style: str = "vector"
    #: The function's name (LaTeX and generated code); None: ``f`` (``F`` for a
    #: vector function in LaTeX).
    name: str | None = None
    #: LaTeX: a complete document (amsmath only) instead of a fragment.
    standalone: bool = False
    #: Pretty: draw every entry of big results instead of folding them.
    full: bool = False
    #: Pretty, text and LaTeX: round each double computed at a point to this many
    #: significant digits (:mod:`symgrad.output.numbers`); None: its shortest round-trip text.
    digits: int | None = None
    #: Text and JSON: name the big subexpressions the entries share (``t0 = ...``,
    #: :func:`symgrad.subexpressions.named_terms`) and write the entries in those names.
    shared: bool = False

    def __post_init__(self) -> None:
        if self.width < 20:
            raise ValueError("width must be at least 20 columns")
        if self.latex_env not in LATEX_ENVS:
            raise ValueError(f"latex_env must be one of {', '.join(LATEX_ENVS)}")
        if self.latex_style not in LATEX_STYLES:
            raise ValueError(f"latex_style must be one of {', '.join(LATEX_STYLES)}")
        low, high = DIGITS_RANGE
        if self.digits is not None and not low <= self.digits <= high:
            raise ValueError(f"digits must be from {low} to {high}")
        if self.name is not None and not NAME_PATTERN.fullmatch(self.name):
            raise ValueError(
                "name must be a letter followed by up to 31 letters, digits or underscores"
            )
