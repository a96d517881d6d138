"""A small ``--points``/``--grid`` result as a Rich table (terminal output)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _cell(value: float) -> str:
    return f"{value + 0.0:.10g}"  # -0.0 + 0.0 is 0.0: no "-0"


def build_table(chunks: Sequence[tuple[Any, Any]], columns: Any) -> Any:
    """A Rich table: one row per point, the symbols then the entries."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD)
    for name in columns.symbols:
        table.add_column(name, justify="right", style="dim")
    for name in columns.entries:
        table.add_column(name, justify="right")
    for chunk, values in chunks:
        for point, row in zip(chunk.values.tolist(), values.tolist()):
            table.add_row(*map(_cell, point), *map(_cell, row))
    return table


def print_table(chunks: Sequence[tuple[Any, Any]], columns: Any) -> None:
    """Print the table to stdout with symgrad's console settings."""
    from .console import Environment, make_console

    make_console(Environment()).print(build_table(chunks, columns))
