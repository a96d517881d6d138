"""ASCII spellings of symbol names, for LaTeX and generated code.

symgrad's names may be any Unicode word (``α``, ``é1``); pdflatex without
extra packages and most compilers want ASCII. Greek letters become their
English names (``α`` -> ``alpha``, so LaTeX prints ``\\alpha``), accented
letters lose the accent, and anything else becomes ``u`` and its code point.
"""

from __future__ import annotations

import unicodedata


def ascii_name(name: str) -> str:
    """``name`` spelled in ASCII letters, digits and underscores."""
    if name.isascii():
        return name
    out = []
    for ch in name:
        if ch.isascii():
            out.append(ch)
            continue
        words = unicodedata.name(ch, "").split()
        if words[:1] == ["GREEK"] and "LETTER" in words and "WITH" not in words:
            letter = words[-1].lower()
            out.append(letter.capitalize() if "CAPITAL" in words else letter)
            continue
        stripped = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if c.isascii() and c.isalnum()
        )
        out.append(stripped or f"u{ord(ch):04x}")
    return "".join(out)
