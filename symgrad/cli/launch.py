"""The ``symgrad`` console script: the command, started and ended quickly.

A one-shot run creates a few hundred thousand objects that live as long as
the process: SymPy's, click's and the command's modules. Python's cycle
collector walks all of them again and again while they are being made, and
once more when the interpreter shuts down; together that was about a fifth
of a one-shot run (``benchmarks/bench_startup.py`` measures it). So the
launcher

* pauses the collector while the command's modules load (SymPy itself is
  loaded by the first job, with the collector on), and
* on the way out, after the job has written everything, moves every object
  out of the collector's sight with :func:`gc.freeze`, so that shutdown
  does not walk them once more. Memory is given back to the system either
  way; nothing runs after the job that could need those objects collected.

The collector runs as usual for the job itself and for every job of stdin
mode. Only the command does this: ``import symgrad`` in a program leaves
that program's collector alone.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Run the command line (the ``symgrad`` script and ``python -m symgrad``)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from .command import run
    finally:
        if was_enabled:
            gc.enable()
    try:
        run()
    finally:
        staged = sys.modules.get("symgrad.points.staged")
        if staged is not None:  # temporary output files a failed run left (normally none)
            staged.discard_all()
        gc.freeze()
