"""Names of functions and derivatives, in every style symgrad writes, in one place.

A derivative is named by the function's name and the variables it is taken
with respect to, in order; consecutive repeats are written as powers:

======== ============== ============== ===============================================
style    ∂f/∂x          ∂²f/∂x∂y       ∂³f/∂x∂y²
======== ============== ============== ===============================================
text     ``df/dx``      ``d2f/dxdy``   ``d3f/dxdy^2``
pretty   ``∂f/∂x``      ``∂²f/∂x∂y``   ``∂³f/∂x∂y²``
latex    ``\\frac{\\partial f}{\\partial x}``  ...          ``\\frac{\\partial^{3} f}{\\partial x \\partial y^{2}}``
======== ============== ============== ===============================================

The text style is also the key of an entry (:attr:`symgrad.results.Entry.key`),
the name in stderr problems and the column name of ``--points`` output. The
component of a vector function is ``f1``, ``f2``, … (pretty ``f₁``, LaTeX
``f_{1}``); ``name`` replaces ``f`` (``--name V``: ``dV/dx``).

This module imports nothing: every layer may name entries.
"""

from __future__ import annotations

from collections.abc import Sequence

#: The styles :func:`derivative` writes.
STYLES = ("text", "pretty", "latex")

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def function(component: int | None, name: str = "f", style: str = "text") -> str:
    """The name of the function (``component`` None) or of one component (0-based).

    >>> function(None), function(1), function(1, style="pretty"), function(0, "V", "latex")
    ('f', 'f2', 'f₂', 'V_{1}')
    """
    if component is None:
        return name
    number = str(component + 1)
    if style == "pretty":
        return name + number.translate(_SUBSCRIPTS)
    if style == "latex":
        return f"{name}_{{{number}}}"
    return name + number


def runs(wrt: Sequence[str]) -> list[tuple[str, int]]:
    """Consecutive repeats counted: ``(x, y, y)`` -> ``[(x, 1), (y, 2)]``."""
    counted: list[tuple[str, int]] = []
    for v in wrt:
        if counted and counted[-1][0] == v:
            counted[-1] = (v, counted[-1][1] + 1)
        else:
            counted.append((v, 1))
    return counted


def derivative(f: str, wrt: Sequence[str], style: str = "text", *, ordinary: bool = False) -> str:
    """The name of ∂ᵏf/∂wrt[0]…∂wrt[k-1] in ``style``.

    ``f`` and the names in ``wrt`` are written as given (a LaTeX caller
    passes them already printed). ``ordinary`` (LaTeX only) writes ``d``
    instead of ``\\partial``, for a function of one variable.

    >>> derivative("f", ["x"]), derivative("f", ["x", "y"]), derivative("f", ["x", "x"])
    ('df/dx', 'd2f/dxdy', 'd2f/dx^2')
    >>> derivative("f", ["x", "y", "y"], "pretty")
    '∂³f/∂x∂y²'
    >>> derivative("f", ["x", "x"], "latex")
    '\\\\frac{\\\\partial^{2} f}{\\\\partial x^{2}}'
    """
    order = len(wrt)
    counted = runs(wrt)
    if style == "text":
        below = "".join(f"d{v}" if k == 1 else f"d{v}^{k}" for v, k in counted)
        return f"d{order}{f}/{below}" if order > 1 else f"d{f}/{below}"
    if style == "pretty":

        def power(k: int) -> str:
            return str(k).translate(_SUPERSCRIPTS) if k > 1 else ""

        return f"∂{power(order)}{f}/" + "".join(f"∂{v}{power(k)}" for v, k in counted)
    if style == "latex":
        d = "d" if ordinary else r"\partial"
        top = d + (f"^{{{order}}}" if order > 1 else "")
        below = " ".join(f"{d} {v}" + (f"^{{{k}}}" if k > 1 else "") for v, k in counted)
        return rf"\frac{{{top} {f}}}{{{below}}}"
    raise ValueError(f"unknown label style {style!r} (one of {', '.join(STYLES)})")
