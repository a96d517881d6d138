"""symgrad: exact gradients, Hessians and Jacobians of formulas.

>>> import symgrad
>>> g = symgrad.gradient("x**2 + y*z")
>>> g.gradient
(2*x, z, y)
>>> g.at(x=1, y=2, z=3).gradient
(2, 3, 2)

Formulas are parsed safely (never with ``eval``); see :func:`parse`.
The library imports neither click nor rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calculus import Derivatives, differentiate, gradient, hessian, jacobian
    from .errors import (
        EvaluationError,
        ExitCode,
        JobTimeoutError,
        ParseError,
        PointError,
        ResourceLimitError,
        SymgradError,
        UnknownFunctionError,
        VariableError,
    )
    from .evaluation.exact import evaluate
    from .parsing import Parsed, parse, parse_expression, parse_latex
    from .results import PointValues, Problem

#: Where each public name lives. The names are imported on first use (PEP
#: 562), so ``import symgrad.errors`` or the command's launcher
#: (:mod:`symgrad.cli.launch`) do not pay for SymPy before they choose to.
_HOMES = {
    "differentiate": "calculus",
    "gradient": "calculus",
    "hessian": "calculus",
    "jacobian": "calculus",
    "EvaluationError": "errors",
    "ExitCode": "errors",
    "JobTimeoutError": "errors",
    "ParseError": "errors",
    "PointError": "errors",
    "ResourceLimitError": "errors",
    "SymgradError": "errors",
    "UnknownFunctionError": "errors",
    "VariableError": "errors",
    "evaluate": "evaluation.exact",
    "Parsed": "parsing",
    "parse": "parsing",
    "parse_expression": "parsing",
    "parse_latex": "parsing",
    "Derivatives": "calculus",
    "PointValues": "results",
    "Problem": "results",
}

__all__ = [
    "Derivatives",
    "EvaluationError",
    "ExitCode",
    "JobTimeoutError",
    "ParseError",
    "Parsed",
    "PointError",
    "PointValues",
    "Problem",
    "ResourceLimitError",
    "SymgradError",
    "UnknownFunctionError",
    "VariableError",
    "__version__",
    "differentiate",
    "evaluate",
    "gradient",
    "hessian",
    "jacobian",
    "parse",
    "parse_expression",
    "parse_latex",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is not None:
        from importlib import import_module

        value = getattr(import_module(f".{home}", __name__), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("symgrad")
        except PackageNotFoundError:  # running from a source tree
            return "0+unknown"
    raise AttributeError(f"module 'symgrad' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
