"""Code formats (``--format python|numpy|c|fortran|julia|rust|js|octave``).

``render_<language>`` writes the job's functions with
:func:`symgrad.codegen.generate`; the function name comes from ``--name``
(default ``f``). A job read from stdin line N adds ``_N`` (``grad_f_3``), so
the functions of all lines can live in one file. The renderers are made on
first use, one per language; codegen is imported only then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .options import CODE_FORMATS, RenderOptions

if TYPE_CHECKING:
    from ..jobs import Job


def _renderer(language: str) -> Callable[[Job, RenderOptions], str]:
    def render(job: Job, options: RenderOptions) -> str:
        from ..codegen import generate

        name = options.name or "f"
        if job.line is not None:
            name = f"{name}_{job.line}"
        return generate(job.derivatives, language, name)

    render.__name__ = f"render_{language}"
    return render


def __getattr__(name: str) -> Callable[[Job, RenderOptions], str]:
    language = name.removeprefix("render_")
    if name.startswith("render_") and language in CODE_FORMATS:
        return _renderer(language)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
