"""Option values: variable names (``--wrt``), points (``--at``) and point values.

:func:`parse_names` checks a list of names, :func:`parse_point` splits
``x=1,y=atan2(1,2)`` into names and value texts, and :func:`parse_value`
reads one value with the formula grammar: it must be a finite real number.
:func:`natural_key` orders names as people do (``x2`` before ``x10``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import ParseError, VariableError
from .grammar import DivisionByZeroError, check_length, parse_one

if TYPE_CHECKING:
    import sympy as sp

__all__ = ["is_name", "natural_key", "parse_names", "parse_point", "parse_value"]

_NAME_RE = re.compile(r"^(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹])[^\W\d])(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹])\w)*$")


def is_name(name: str) -> bool:
    """Whether ``name`` is a name a formula can have (a letter, then letters, digits, ``_``; no ``__``)."""
    return bool(_NAME_RE.fullmatch(name)) and not name.startswith("__")


def parse_names(names: str | Iterable[str], option: str = "--wrt") -> tuple[str, ...]:
    """Split ``"x,y,z"`` into names, checking each and refusing repeats."""
    items = names.split(",") if isinstance(names, str) else [str(n) for n in names]
    result: list[str] = []
    for raw in items:
        name = raw.strip()
        if not name:
            raise VariableError(f"{option}: empty name in {names!r}")
        if not is_name(name):
            raise VariableError(f"{option}: {name!r} is not a valid variable name")
        if name in result:
            raise VariableError(f"{option}: {name!r} is given twice")
        result.append(name)
    return tuple(result)


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key putting ``x2`` before ``x10`` (and ``x01`` before ``x1``: no ties)."""
    parts = re.split(r"(\d+)", name)
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in parts if p)


def parse_value(text: str, name: str = "value", real: bool = True) -> sp.Expr:
    """Parse a point value: an exact number (``pi/4``) or a decimal (``1e-3``).

    The value must be a finite real number (with ``real=False``, a finite
    complex one: ``1+2*I``); anything else raises
    :class:`~symgrad.errors.PointError` naming ``name``.
    """
    from ..errors import PointError

    text = text.strip()
    if not text:
        raise PointError(f"no value given for {name}")
    check_length(text, f"value of {name}")
    try:
        value, _, _ = parse_one(text, real=True, symbol_names=frozenset())
    except DivisionByZeroError:
        raise PointError(f"value of {name} is not a finite real number: {text!r}") from None
    except ParseError as err:
        raise PointError(f"value of {name} is not a number: {text!r} ({err.message})") from None
    kind = "real" if real else "complex"
    if value.free_symbols or not _is_finite(value, real):
        raise PointError(f"value of {name} is not a finite {kind} number: {text!r}")
    return value


def _is_finite(value: Any, real: bool = True) -> bool:
    """Whether ``value`` is a finite real number (or, with ``real=False``, a finite
    complex one) whose parts are within double range."""
    import sympy as sp

    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    if (real and value.is_extended_real is False) or value.is_finite is False:
        return False
    # Finite in SymPy is not enough: the point is also echoed, and evaluated
    # in floating point, as a double, so 1e400 (or 10**400) is out of range.
    try:
        number = complex(value.evalf(30))
    except (TypeError, ValueError, OverflowError):
        return False
    import math

    return (number.imag == 0 or not real) and math.isfinite(number.real) and math.isfinite(number.imag)


def parse_point(text: str, option: str = "--at") -> dict[str, str]:
    """Split ``"x=1,y=atan2(1,2)"`` into ``{"x": "1", "y": "atan2(1,2)"}``.

    Commas inside parentheses belong to the value. Names are checked and a
    repeated name is an error; messages name ``option``.
    """
    items: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    point: dict[str, str] = {}
    for item in items:
        if not item.strip():
            raise VariableError(f"{option}: empty entry in {text!r}")
        if "=" not in item:
            raise VariableError(f"{option}: expected name=value, got {item.strip()!r}")
        raw_name, value = item.split("=", 1)
        (name,) = parse_names(raw_name.strip(), option)
        if name in point:
            raise VariableError(f"{option}: {name!r} is given twice")
        point[name] = value.strip()
    return point
