"""``--plot FILE|-``: the command line's side of :mod:`symgrad.plot`.

:func:`plotter` checks the option before any work is done (a known suffix,
matplotlib or plotext installed) and returns what draws a finished job:
the picture, saved to FILE, or a character plot for stdout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from .report import isatty


def plotter(target: str, box_text: str | None) -> Callable[[Any], str | None]:
    """What draws a job for ``--plot target`` in the ``--box box_text`` window: it saves the
    picture and returns None, or returns the character plot (``target`` ``-``)."""
    from .. import plot
    from .analysis import parse_boxes

    plot.require(target)
    common, boxes = parse_boxes(box_text) if box_text is not None else (None, {})

    def draw(job: Any) -> str | None:
        plot.plotted(job.derivatives)  # one formula, real variables, one or two of them: before reading --at
        around = [{name: float(value) for name, value in values.point.items()} for values in job.points]
        fixed = around[0] if around else {}
        critical = job.analysis.critical if job.analysis is not None else None
        settings: dict[str, Any] = {"fixed": fixed, "box": boxes, "common": common, "around": around,
                                    "critical": critical}
        if target == "-":
            size = os.get_terminal_size(sys.stdout.fileno()) if isatty(sys.stdout) else os.terminal_size((80, 24))
            color = isatty(sys.stdout) and "NO_COLOR" not in os.environ
            return plot.terminal(job.derivatives, width=min(size.columns, 120), height=max(size.lines - 4, 16),
                                 color=color, **settings)
        plot.save(plot.figure(job.derivatives, **settings), target)
        return None

    return draw
