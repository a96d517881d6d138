"""Code formats (``--format python|numpy|c|fortran|julia|rust|js|octave``).

Each renderer writes the job's functions with :func:`symgrad.codegen.generate`;
the function name comes from ``--name`` (default ``f``).
"""

from __future__ import annotations

from ..codegen import generate
from ..jobs import Job
from .options import RenderOptions


def _render(job: Job, options: RenderOptions, language: str) -> str:
    return generate(job.derivatives, language, options.name or "f")


def render_python(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "python")


def render_numpy(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "numpy")


def render_c(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "c")


def render_fortran(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "fortran")


def render_julia(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "julia")


def render_rust(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "rust")


def render_js(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "js")


def render_octave(job: Job, options: RenderOptions) -> str:
    return _render(job, options, "octave")
