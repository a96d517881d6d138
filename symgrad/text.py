"""User text made safe to repeat: on a terminal (:func:`printable`) and in a comment (:func:`one_line`).

A formula, a file name or a CSV header is the user's text, and symgrad
repeats it in messages and in generated files. Repeated raw, an ESC or BEL
byte drives the terminal (``ESC ] 0 ; title BEL`` retitles it, ``ESC [ 2 J``
clears it), a bidi control (U+202E) reorders what the reader sees, and a line
break ends a comment in the middle of generated code. So:

* :func:`printable` writes every control and format character as an escape,
  the way Python's ``repr`` does (ESC as ``\\x1b``, U+202E as ``\\u202e``);
  ordinary Unicode (``α``, ``∂``, CJK) is kept as it is;
* :func:`display_width` is how many terminal columns a printable text takes,
  so that a caret can stand under a column of it;
* :func:`one_line` turns every run of white space, line breaks included, into
  one space, then makes the rest printable.
"""

from __future__ import annotations

import unicodedata

__all__ = ["display_width", "one_line", "printable"]

#: The Unicode categories written as escapes: controls (C0, DEL, C1), format
#: characters (bidi controls, zero-width joiners, ...), surrogates (undecodable
#: bytes of a file name) and the line and paragraph separators.
ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


#: The escapes Python's ``repr`` spells by name.
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escaped(ch: str) -> bool:
    return unicodedata.category(ch) in ESCAPED_CATEGORIES


def printable(text: str) -> str:
    """``text`` with each control, format or line-separator character written as an escape.

    >>> printable("x+\\x1b[2J\\u202e")
    'x+\\\\x1b[2J\\\\u202e'
    >>> printable("∂f/∂α 中")
    '∂f/∂α 中'
    """
    if text.isprintable():  # the usual case, and all ASCII text without controls
        return text
    return "".join(_escape(ch) if _escaped(ch) else ch for ch in text)


def display_width(text: str) -> int:
    """Terminal columns of a printable ``text``: wide characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Me", "Mn"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("F", "W") else 1
    return width


def one_line(text: str) -> str:
    """``text`` on one line: white space runs (newlines, CR, U+2028, ...) as one space, the rest printable."""
    return printable(" ".join(text.split()))
