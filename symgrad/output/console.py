"""Terminal detection and Rich consoles, built from an injectable environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class Environment:
    """Where output goes and which environment variables apply."""

    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


def stdout_is_terminal(env: Environment) -> bool:
    """Rich's answer, without importing Rich when it can be avoided.

    In order: ``TTY_COMPATIBLE`` (1/0), ``FORCE_COLOR`` (set and non-empty
    means yes), then ``isatty()`` — the same rules Rich applies.
    """
    tty_compatible = env.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible == "0":
        return False
    if tty_compatible == "1":
        return True
    if env.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(env.stdout, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed file
        return False


def resolve_format(fmt: str, env: Environment) -> str:
    """``auto`` means ``pretty`` on a terminal and ``text`` when piped."""
    if fmt != "auto":
        return fmt
    return "pretty" if stdout_is_terminal(env) else "text"


def make_console(env: Environment) -> Console:
    """A Rich console writing to ``env.stdout`` (``NO_COLOR`` honoured by Rich)."""
    from rich.console import Console

    return Console(file=env.stdout, _environ=dict(env.environ), highlight=False, soft_wrap=False)
