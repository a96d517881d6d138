r"""The LaTeX of expressions: SymPy's LaTeX printer, as a person typesets them.

Changes to SymPy's own output (``sympy.latex``):

* Inverse trigonometric functions are ``\arcsin``, ``\arccos``, ``\arctan``
  and ``\operatorname{arccot}``, ``\operatorname{arcsec}``,
  ``\operatorname{arccsc}`` (no standard macro); inverse hyperbolic ones
  use the ISO 80000-2 names, ``\operatorname{arsinh}``, ``arcosh``,
  ``artanh``, ``arcoth``, ``arsech``, ``arcsch`` (the *area* functions:
  neither a power ``\sinh^{-1}`` nor an arc). ``atan2(y, x)`` is
  ``\operatorname{atan2}{\left(y,x \right)}`` (SymPy writes ``atan`` with
  a subscript 2).
* Symbols: two different names never print the same, and spellings that
  read as something else (a superscript ``x__2`` as a power) or do not
  compile with amsmath are spelled out (:mod:`~symgrad.output.latex_names`).
  Non-ASCII names are spelled in ASCII first (``α`` is ``\alpha``).
* Sums and products list their terms and factors with symbols in natural
  order, ``x_{8} + x_{10}``, ``x_{2} y + x_{10}``, ``x_{8} x_{10}``
  (:class:`~symgrad.output.order.NaturalOrder`); degrees are ordered as
  SymPy orders them (``x^{2} + x``). Text and JSON keep SymPy's order.
* Floats keep their shortest round-trip digits (``repr``), ``1.0 \cdot 10^{-30}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from .latex_names import TexNames, greek_command
from .memo import MemoPrinter
from .names import ascii_name
from .order import NaturalOrder, own_name

_PRINTER: list[Any] = []


def _printer_class() -> Any:
    """SymPy's LaTeX printer with the changes above (the class is made once; one instance per document)."""
    if _PRINTER:
        return _PRINTER[0]
    from sympy.printing.latex import LatexPrinter

    class Printer(MemoPrinter, NaturalOrder, LatexPrinter):  # type: ignore[misc]
        _default_settings: ClassVar[dict[str, Any]] = {**LatexPrinter._default_settings, "inv_trig_style": "full"}

        def _print_Float(self, expr: Any) -> str:
            from ..results import LargeReal

            text = repr(float(expr))
            if text in ("inf", "-inf") and (large := LargeReal.of(expr)) is not None:
                text = str(large)  # exp(1000.0): finite, beyond a double's range
            if "e" in text:
                mantissa, exponent = text.split("e")
                return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
            return text

        #: The terms the next ``_print_Add`` prints (:meth:`TexPrinter.terms`), once.
        next_terms: list[Any] | None = None

        def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
            terms, self.next_terms = self.next_terms, None
            if terms is not None:
                return terms
            return list(super()._as_ordered_terms(expr, order=order))

        @property
        def names(self) -> TexNames:
            """This document's names (made on first use)."""
            names = self.__dict__.get("_names")
            if names is None:
                names = self._names = TexNames(self._nice_name)
            return names

        def reserve(self, symbols: Iterable[Any]) -> None:
            """Name a job's symbols first, so the choice does not depend on the order they are printed in.

            On the first call, names printed before (the function's name as
            :class:`TexPrinter` prints it before it knows the job, and prints
            again after) are forgotten: the job's symbols come first, and a
            function named ``phi`` beside a variable ``φ`` is ``\\mathit{phi}``.
            """
            if not self.__dict__.get("_reserved"):
                self._reserved = True
                self._names = TexNames(self._nice_name)
                self._memo = {}
            self.names.reserve(s.name for s in symbols)

        def _nice_name(self, name: str) -> str:
            if not name.isascii():
                return _unicode_name(name)
            return str(self._deal_with_super_sub(name))

        def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
            given = self._settings["symbol_names"].get(expr)
            if given is not None or style != "plain":
                return str(given if given is not None else super()._print_Symbol(expr, style=style))
            return self.names(own_name(expr.name))

        def _print_atan2(self, expr: Any, exp: Any = None) -> str:
            name = r"\operatorname{atan2}" + (f"^{{{exp}}}" if exp is not None else "")
            args = ",".join(str(self._print(a)) for a in expr.args)
            return rf"{name}{{\left({args} \right)}}"

        def _print_appellf1(self, expr: Any, exp: Any = None) -> str:
            # Appell's F1(a; b1, b2; c; x, y), not SymPy's \operatorname{appellf}_{1}
            a, b1, b2, c, x, y = (str(self._print(v)) for v in expr.args)
            power = f"^{{{exp}}}" if exp is not None else ""
            return rf"F_{{1}}{power}\left({a}; {b1}, {b2}; {c}; {x}, {y}\right)"

    _PRINTER.append(Printer)
    return Printer


def _unicode_name(name: str) -> str:
    """LaTeX for a non-ASCII name: ``α_1`` is ``\\alpha_{1}``, ``Δx`` is ``{\\Delta}x``."""
    import sympy as sp

    spelled = ascii_name(name)
    tex = str(sp.latex(sp.Symbol(spelled)))
    if tex != spelled:  # SymPy read it (Greek letter, subscript)
        return tex
    # Greek letters as commands; any other letter as its ASCII spelling (not
    # as a command: the ligature ``ﬁ`` is ``fi``, not the primitive ``\fi``)
    return "".join("{" + greek + "}" if (greek := greek_command(ch)) else ascii_name(ch) for ch in name)
