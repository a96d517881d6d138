"""Values of arbitrary derivative expressions at a ``--at`` point.

The same substitution and exactness rules as :func:`symgrad.evaluate`:
exact points give exact values, decimal points give double-precision
floats, and entries that are not finite reals become :class:`Problem`\\ s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import EvaluationError, ResourceLimitError
from ..evaluate import _finish, _parameters_first, _point, _why
from ..results import Derivatives, Problem, plain


class PointSubstitution:
    """Evaluates named expressions at one point, collecting problems."""

    def __init__(self, derivs: Derivatives, point: Mapping[str, Any]):
        given, numbers, exact = _point(derivs, point)
        self.given = given
        self.exact = exact
        self.substitute = _parameters_first(derivs, numbers, exact)
        self.text = ", ".join(f"{s.name}={point[s.name]}" for s in numbers)
        self.problems: list[Problem] = []

    @property
    def at(self) -> tuple[tuple[Any, Any], ...]:
        return tuple(self.given.items())

    def value(self, expr: Any, entry: str) -> Any:
        try:
            result = _finish(self.substitute(expr), self.exact)
        except ResourceLimitError as err:
            raise EvaluationError(f"{entry} at {self.text}: {err}") from None
        shown = plain(result)
        if isinstance(shown, str):
            self.problems.append(Problem(entry, shown, f"{_why(result, shown)} at {self.text}"))
        return result

    def values(self, exprs: Sequence[Any], entries: Sequence[str]) -> tuple[Any, ...]:
        return tuple(self.value(e, name) for e, name in zip(exprs, entries))
