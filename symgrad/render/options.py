"""Settings shared by the renderers, declared and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class RenderOptions:
    """How to render; unknown settings are a TypeError by construction."""

    #: Width to fold pretty output to (columns).
    width: int = 80

    def __post_init__(self) -> None:
        if self.width < 20:
            raise ValueError("width must be at least 20 columns")
