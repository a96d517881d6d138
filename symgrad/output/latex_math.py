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
  read as something else (a superscript ``x__2`` as a power, a word ``rate``
  as a product, ``e`` as Euler's number) or do not compile with amsmath are
  spelled out (:mod:`~symgrad.output.latex_names`): what is printed reads
  back with symgrad's LaTeX reader. Non-ASCII names are spelled in ASCII
  first (``α`` is ``\alpha``). The imaginary unit is ``\mathrm{i}``.
* Special functions are upright symbols (ISO 80000-2) the LaTeX reader reads
  back, not SymPy's ``J_{0}(x)``, ``\zeta(s)``, ``\theta(x)`` (products of a
  symbol and ``x`` to a reader): ``\operatorname{J}_{0}\left(x\right)``,
  ``\operatorname{\zeta}\left(s\right)``, ``\operatorname{Heaviside}\left(x\right)``,
  ``{}_{2}\operatorname{F}_{1}\left(a, b; c; z\right)``; a power of one is
  ``\left(...\right)^{2}``.
* Sums and products list their terms and factors with symbols in natural
  order, ``x_{8} + x_{10}``, ``x_{2} y + x_{10}``, ``x_{8} x_{10}``
  (:class:`~symgrad.term_order.NaturalOrder`); degrees are ordered as
  SymPy orders them (``x^{2} + x``). Text and JSON keep SymPy's order.
* Floats keep their shortest round-trip digits (``repr``), ``1.0 \cdot 10^{-30}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ..term_order import NaturalOrder, own_name
from .latex_names import TexNames, greek_command
from .memo import MemoPrinter
from .names import ascii_name

_PRINTER: list[Any] = []


def _printer_class() -> Any:
    """SymPy's LaTeX printer with the changes above (the class is made once; one instance per document)."""
    if _PRINTER:
        return _PRINTER[0]
    from sympy.printing.latex import LatexPrinter

    class Printer(MemoPrinter, NaturalOrder, LatexPrinter):  # type: ignore[misc]
        _default_settings: ClassVar[dict[str, Any]] = {
            **LatexPrinter._default_settings, "inv_trig_style": "full", "imaginary_unit": "ri",
        }

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

        # -- special functions: upright symbols (ISO 80000-2) that the LaTeX reader reads back

        def _special(self, word: str, groups: Any, exp: Any = None, sub: Any = None, sup: Any = ()) -> str:
            r"""``\operatorname{word}_{sub}^{\left(sup\right)}\left(args\right)``, a power around it all.

            ``groups`` are the argument lists, joined by ``; `` (``|`` before
            the last one of an elliptic integral: see the callers).
            """
            head = rf"\operatorname{{{word}}}"
            if sub is not None:
                head += f"_{{{self._print(sub)}}}"
            if sup:
                head += r"^{\left(" + ", ".join(str(self._print(v)) for v in sup) + r"\right)}"
            if isinstance(groups, str):
                body = groups
            else:
                body = "; ".join(", ".join(str(self._print(v)) for v in group) for group in groups)
            tex = rf"{head}\left({body}\right)"
            return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

        def _print_Heaviside(self, expr: Any, exp: Any = None) -> str:
            return self._special("Heaviside", [expr.pargs], exp)

        def _print_DiracDelta(self, expr: Any, exp: Any = None) -> str:
            args = expr.args if len(expr.args) == 2 and expr.args[1] != 0 else expr.args[:1]
            return self._special("DiracDelta", [args], exp)

        def _print_fresnels(self, expr: Any, exp: Any = None) -> str:
            return self._special("S", [expr.args], exp)

        def _print_fresnelc(self, expr: Any, exp: Any = None) -> str:
            return self._special("C", [expr.args], exp)

        def _print_airyai(self, expr: Any, exp: Any = None) -> str:
            return self._special("Ai", [expr.args], exp)

        def _print_airybi(self, expr: Any, exp: Any = None) -> str:
            return self._special("Bi", [expr.args], exp)

        def _print_airyaiprime(self, expr: Any, exp: Any = None) -> str:
            return self._special("Ai'", [expr.args], exp).replace(r"{Ai'}", "{Ai}'", 1)

        def _print_airybiprime(self, expr: Any, exp: Any = None) -> str:
            return self._special("Bi'", [expr.args], exp).replace(r"{Bi'}", "{Bi}'", 1)

        def _print_zeta(self, expr: Any, exp: Any = None) -> str:
            return self._special(r"\zeta", [expr.args], exp)

        def _print_lowergamma(self, expr: Any, exp: Any = None) -> str:
            return self._special(r"\gamma", [expr.args], exp)

        def _print_uppergamma(self, expr: Any, exp: Any = None) -> str:
            return self._special(r"\Gamma", [expr.args], exp)

        def _print_LambertW(self, expr: Any, exp: Any = None) -> str:
            x, *branch = expr.args
            return self._special("W", [[x]], exp, sub=branch[0] if branch and branch[0] != 0 else None)

        def _print_expint(self, expr: Any, exp: Any = None) -> str:
            return self._special("E", [expr.args[1:]], exp, sub=expr.args[0])

        def _print_polylog(self, expr: Any, exp: Any = None) -> str:
            return self._special("Li", [expr.args[1:]], exp, sub=expr.args[0])

        def _print_elliptic_k(self, expr: Any, exp: Any = None) -> str:
            return self._special("K", [expr.args], exp)

        def _elliptic(self, word: str, expr: Any, exp: Any) -> str:
            # E(phi|m), F(phi|m), Pi(n|m), Pi(n; phi|m): the parameter m after a bar
            *first, m = (str(self._print(v)) for v in expr.args)
            if not first:
                return self._special(word, m, exp)
            return self._special(word, "; ".join(first) + rf"\middle| {m}", exp)

        def _print_elliptic_e(self, expr: Any, exp: Any = None) -> str:
            return self._elliptic("E", expr, exp)

        def _print_elliptic_f(self, expr: Any, exp: Any = None) -> str:
            return self._elliptic("F", expr, exp)

        def _print_elliptic_pi(self, expr: Any, exp: Any = None) -> str:
            return self._elliptic(r"\Pi", expr, exp)

        def _bessel(self, word: str, expr: Any, exp: Any) -> str:
            return self._special(word, [[expr.argument]], exp, sub=expr.order)

        def _print_besselj(self, expr: Any, exp: Any = None) -> str:
            return self._bessel("J", expr, exp)

        def _print_bessely(self, expr: Any, exp: Any = None) -> str:
            return self._bessel("Y", expr, exp)

        def _print_besseli(self, expr: Any, exp: Any = None) -> str:
            return self._bessel("I", expr, exp)

        def _print_besselk(self, expr: Any, exp: Any = None) -> str:
            return self._bessel("K", expr, exp)

        def _polynomial(self, word: str, expr: Any, exp: Any) -> str:
            # P_n(x), P_n^{(m)}(x), P_n^{(a, b)}(x): the degree, the parameters, the argument
            n, *parameters, x = expr.args
            return self._special(word, [[x]], exp, sub=n, sup=parameters)

        def _print_legendre(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("P", expr, exp)

        def _print_assoc_legendre(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("P", expr, exp)

        def _print_jacobi(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("P", expr, exp)

        def _print_hermite(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("H", expr, exp)

        def _print_hermite_prob(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("He", expr, exp)

        def _print_chebyshevt(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("T", expr, exp)

        def _print_chebyshevu(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("U", expr, exp)

        def _print_laguerre(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("L", expr, exp)

        def _print_assoc_laguerre(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("L", expr, exp)

        def _print_gegenbauer(self, expr: Any, exp: Any = None) -> str:
            return self._polynomial("C", expr, exp)

        def _print_hyper(self, expr: Any, exp: Any = None) -> str:
            # the generalized hypergeometric function pFq(a1, ...; b1, ...; z), DLMF 16.2.1
            a, b, z = expr.args
            body = "; ".join(", ".join(str(self._print(v)) for v in group) for group in (a, b, (z,)))
            tex = rf"{{}}_{{{len(a)}}}\operatorname{{F}}_{{{len(b)}}}\left({body}\right)"
            return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

        def _print_appellf1(self, expr: Any, exp: Any = None) -> str:
            # Appell's F1(a; b1, b2; c; x, y), not SymPy's \operatorname{appellf}_{1}
            a, b1, b2, c, x, y = expr.args
            return self._special("F", [[a], [b1, b2], [c], [x, y]], exp, sub=1)

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
