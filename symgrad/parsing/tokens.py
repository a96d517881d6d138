"""Tokens of a formula: numbers, vulgar fractions, names, superscripts, Unicode constants, operators.

``Symbol('lambda')`` (one quoted name, nothing else) is the token of the
variable ``lambda``: it is how the JSON output spells a variable whose name
``sympy.parse_expr`` would misread, so symgrad reads its own output back.
No other quoted text is part of a formula.

:func:`tokenize` splits formula text with one regular expression and writes
Unicode operators in ASCII (``−`` as ``-``, ``·`` and ``×`` as ``*``, ``÷``
as ``/``); a character no token starts with is a :class:`ParseError` with a
hint. Implicit multiplication is read by the grammar
(:mod:`symgrad.parsing.grammar`) from the kinds of neighbouring tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from ..errors import ParseError

__all__ = ["SUPERSCRIPT_VALUE", "Token", "fraction_value", "tokenize"]

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_VALUE = {ch: str(i) for i, ch in enumerate(_SUPERSCRIPTS)}

#: The Unicode vulgar fractions (U+00BC-U+00BE, U+2150-U+215E): exact numbers.
_VULGAR = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"


def fraction_value(ch: str) -> Fraction:
    """The exact value of one vulgar fraction character (``½`` is 1/2)."""
    # unicodedata gives a float; every denominator in the block is at most 10
    return Fraction(unicodedata.numeric(ch)).limit_denominator(10)

#: Unicode spellings of operators, mapped to the ASCII operator they mean.
_OPERATOR_ALIASES = {
    "−": "-",  # minus sign
    "–": "-",  # en dash, as pasted from documents
    "·": "*",
    "⋅": "*",
    "×": "*",
    "∗": "*",
    "÷": "/",
}

#: A name: a letter or ``_``, then letters, digits and ``_`` (not π, superscripts or fractions).
_NAME = r"(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹¼½¾⅐-⅞])[^\W\d])(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹¼½¾⅐-⅞])\w)*"

_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<fraction>[¼½¾⅐-⅞])
  | (?P<sup>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)
  | (?P<uconst>[π∞])
  | (?P<symbol>Symbol\(\s*(?P<quote>['"])(?P<symbol_name>{_NAME})(?P=quote)\s*\))
  | (?P<name>{_NAME})
  | (?P<op>\*\*|[-+*/^(),√−–·⋅×∗÷])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One token of a formula."""

    kind: str  # number, fraction, sup, uconst, symbol, name, op, end
    text: str  # normalised text (operators in ASCII)
    col: int  # column in the original string


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            ch = text[pos]
            hint = ""
            if ch in "\"'":
                hint = " (strings are not part of a formula)"
            elif ch == ".":
                hint = " (attribute access is not part of a formula)"
            elif ch in "[]{}":
                hint = " (use parentheses for grouping)"
            elif ch == "=":
                hint = " (give a formula, not an equation)"
            raise ParseError(f"unexpected character {ch!r}{hint}", text, pos)
        kind = match.lastgroup  # the outermost group: for Symbol('a') "symbol", not its parts
        assert kind is not None
        value = match.group("symbol_name") if kind == "symbol" else match.group()
        if kind != "ws":
            if kind == "op":
                value = _OPERATOR_ALIASES.get(value, value)
            tokens.append(Token(kind, value, pos))
        pos = match.end()
    tokens.append(Token("end", "", n))
    return tokens
