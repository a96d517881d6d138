"""Exceptions raised by the symgrad library and the exit codes they map to.

The library raises only these; the command line turns each into one
``Error:`` line on stderr and its :class:`ExitCode`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit status, as in SPEC: 0 ok, 1 math failed, 2 usage/parse, 3 a bug.

    A run ended by signal N exits with 128 + N (:meth:`signal`).
    """

    OK = 0
    MATH = 1
    USAGE = 2
    INTERNAL = 3

    @staticmethod
    def signal(number: int) -> int:
        """The status of a run ended by signal ``number``: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + number


class SymgradError(Exception):
    """Base class of every error symgrad raises on purpose.

    The message speaks of the library's own terms (a variable, a value);
    ``option`` names the input it came from when a caller knows it (the
    command line sets ``"--at"``, ``"--grid"``, ...: :meth:`about`), and
    ``str()`` then begins with it: ``--at: unknown variable 'q' ...``.
    """

    exit_code: ExitCode = ExitCode.USAGE
    option: str | None = None
    #: Which input of a job the error is about, in the library's words
    #: (``"point"``: the values of a point), for a caller to name it its own way.
    input: str | None = None

    def about(self, option: str) -> SymgradError:
        """Name the input this error is about, unless it already names one; returns self."""
        if self.option is None:
            self.option = option
        return self

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.option}: {text}" if self.option else text


class ParseError(SymgradError):
    """The text is not a formula symgrad can read.

    ``source`` and ``column`` (0-based, into ``source``) locate the problem
    when it has a place; the CLI prints a caret under that column.
    """

    def __init__(self, message: str, source: str | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.column = column

    def caret_lines(self) -> list[str]:
        """The source line and a caret under the offending column, if known.

        The line is shown as :func:`~symgrad.text.printable` writes it (a
        newline or ESC of the source as ``\\n``, ``\\x1b``), and the caret
        stands under the column's character in that spelling.
        """
        from .text import display_width, printable

        if not self.source or self.column is None or not self.source.strip():
            return []
        start, prefix = 0, ""
        window = self.source
        if len(self.source) > 200:
            # Show a window around the column so the caret stays readable.
            start = max(0, self.column - 60)
            window = self.source[start : start + 120]
            prefix = "..." if start > 0 else ""
        before = prefix + printable(window[: self.column - start])
        return [f"  {prefix}{printable(window)}", "  " + " " * display_width(before) + "^"]


class UnknownFunctionError(ParseError):
    """A name followed by ``(`` is not a function symgrad knows."""


class ResourceLimitError(SymgradError):
    """The input asks for more work or memory than symgrad allows."""

    exit_code = ExitCode.USAGE


class VariableError(SymgradError):
    """A variable named in ``--wrt``/``--at`` is missing, unknown or repeated.

    ``names`` are the names at fault (unknown, missing or repeated) and
    ``known`` the symbols the formula has, when they apply.
    """

    def __init__(self, message: str, *, names: tuple[str, ...] = (), known: tuple[str, ...] = ()):
        super().__init__(message)
        self.names = names
        self.known = known


class PointError(SymgradError):
    """A value given for a point is not a finite real number."""


class EvaluationError(SymgradError):
    """The input was valid but the mathematics failed."""

    exit_code = ExitCode.MATH


class UnknownDerivativeError(EvaluationError):
    """A derivative SymPy leaves unevaluated: a special function by its order or parameter."""


class JobTimeoutError(EvaluationError):
    """A job ran longer than its time limit."""


class OptionError(SymgradError):
    """The command line's options do not fit together (``--tol`` without ``--check``, ...)."""


class AnalysisError(SymgradError):
    """An analysis option does not fit the job (``--curl`` of two components, ...)."""
