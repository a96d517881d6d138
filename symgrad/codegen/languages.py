"""The languages of :mod:`symgrad.codegen`: SymPy's code printers and how each
language spells comments, functions and array entries.

Each :class:`Language` prints expressions with one SymPy code printer
(imported on first use) and writes a :class:`~symgrad.codegen.layout.Function`
around them. Identifiers an argument must not take are the printer's own
``reserved_words`` (SymPy keeps the keywords of Python, C and Rust; its
Fortran, Julia, JavaScript and Octave printers keep none) plus the names
symgrad's templates use (``out``, ``zeros``, ``numpy`` ...).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..term_order import BoundedOrder, QuickFactorOrder, quick_mul
from .layout import Function
from .words import C_MATH, JULIA_SPECIAL, MATH_FUNCS, PY_WORDS, RUST_CONSTS, RUST_WORDS, words

#: A SymPy code printer (``CodePrinter`` instance); SymPy is not typed.
Printer = Any

_ORDERED: dict[type, type] = {}


class CodeOrder(QuickFactorOrder, BoundedOrder):
    """A code printer's order: SymPy's, found quickly (products' factors by
    :class:`~symgrad.term_order.QuickFactorOrder`, sums by
    :class:`~symgrad.term_order.BoundedOrder`)."""


def ordered(cls: type) -> type:
    """The SymPy printer class ``cls`` with :class:`CodeOrder`: a linear
    form's terms, and a product's factors, sorted without SymPy's exponent
    vectors (the same order: a dense Hessian's thousands of
    ``exp(x_i + x_j)``), and a sum too costly to sort written in stored
    order, as symgrad's other printers do."""
    if cls not in _ORDERED:
        _ORDERED[cls] = type(cls.__name__, (CodeOrder, cls), {})
    return _ORDERED[cls]


@dataclass(frozen=True)
class Language:
    """How one language spells comments, functions and array entries."""

    comment: str
    #: Identifiers an argument must not take, beyond the printer's reserved words.
    reserved: frozenset[str]
    case_insensitive: bool = False
    one_based: bool = False
    printer_class: str = ""  # "module:Class" of the SymPy code printer
    settings: Mapping[str, Any] = field(default_factory=dict)
    #: The brackets of a 1-based index in the header: ``out(i, j)``.
    index_brackets: ClassVar[str] = "()"
    #: Whether the header explains a row-major flat output (C's ``double *out``).
    flat_output: ClassVar[bool] = False
    #: The longest identifier the language allows (0: no limit).
    max_name: ClassVar[int] = 0

    def code_printer(self) -> Printer:
        module, name = self.printer_class.split(":")
        cls = ordered(getattr(importlib.import_module(module), name))
        return cls({"strict": True, **self.settings})

    def prepare(self, expr: Any) -> Any:
        """The expression as the printer should see it (numbers as floats, ...)."""
        return expr

    def reserved_words(self, printer: Printer) -> frozenset[str]:
        """Every identifier an argument must not take."""
        return self.reserved | frozenset(printer.reserved_words)

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        raise NotImplementedError

    def constants(self, printer: Printer) -> list[str]:
        """Declarations of the named constants (``pi``) the printer used since the last call."""
        return []

    def preamble(self, code: str) -> str:
        return ""


def _statements(code: str, comment: str) -> str:
    """``code`` without its comment lines (a header may name ``math.`` or ``E``)."""
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(comment))


def _index(f: Function, flat: int, one_based: bool) -> tuple[int, ...]:
    index = []
    for size in reversed(f.shape):
        index.append(flat % size + (1 if one_based else 0))
        flat //= size
    return tuple(reversed(index))


def _assignments(f: Function, body: list[str], template: str) -> list[str]:
    """One line per entry, ``template`` filled with its 1-based ``index`` and ``code``."""
    return [
        template.format(index=", ".join(str(i) for i in _index(f, k, True)), code=code)
        for k, code in enumerate(body)
    ]


def _nested(f: Function, body: list[str], open_: str = "[", close: str = "]") -> str:
    """Row-major entries as nested literals: ``[[a, b], [c, d]]``."""
    items = list(body)
    for size in reversed(f.shape[1:]):
        items = [open_ + ", ".join(items[k : k + size]) + close for k in range(0, len(items), size)]
    return open_ + ", ".join(items) + close


class _Python(Language):
    module_pattern = re.compile(r"\b(math|numpy|functools)\.")

    def preamble(self, code: str) -> str:
        modules = sorted(set(self.module_pattern.findall(_statements(code, "#"))))
        return "".join(f"import {m}\n" for m in modules) + ("\n" if modules else "")

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        lines = [f"def {f.name}({', '.join(args)}):"]
        lines += [f"    {t} = {code}" for t, code in temps]
        lines.append(f"    return {_nested(f, self.wrap(body))}")
        return "\n".join(lines)

    def wrap(self, body: list[str]) -> list[str]:
        return body


#: Special functions that NumPy code writes with SciPy (``scipy.special.jv``
#: ...), the way SymPy's SciPy printer does; the generated code then imports
#: ``scipy.special``.
SCIPY_FUNCTIONS = (
    "Ei", "Si", "Ci", "fresnels", "fresnelc", "uppergamma", "lowergamma", "besselj", "bessely",
    "besseli", "besselk", "airyai", "airybi", "airyaiprime", "airybiprime", "legendre",
    "assoc_legendre", "hermite", "chebyshevt", "chebyshevu", "laguerre", "assoc_laguerre",
    "gegenbauer", "jacobi",
)  # fmt: skip


class _NumPy(_Python):
    module_pattern = re.compile(r"\b(math|numpy|functools|scipy\.special)\.")

    def code_printer(self) -> Printer:
        from sympy.printing.numpy import NumPyPrinter, SciPyPrinter

        class Printer(CodeOrder, NumPyPrinter):  # type: ignore[misc]
            pass

        for name in SCIPY_FUNCTIONS:
            setattr(Printer, f"_print_{name}", getattr(SciPyPrinter, f"_print_{name}"))
        printer = Printer({"strict": True, **self.settings})
        printer.known_functions.update({k: v for k, v in SciPyPrinter._kf.items() if k in SCIPY_FUNCTIONS})
        return printer

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        lines = [f"def {f.name}({', '.join(args)}):"]
        lines += [f"    {t} = {code}" for t, code in temps]
        lines.append(f"    shape = numpy.broadcast_shapes(*map(numpy.shape, ({', '.join(args)},)))")
        lines.append("    def full(value):  # every entry, a constant one too, as an array of that shape")
        lines.append("        return numpy.broadcast_to(numpy.asarray(value, dtype=float), shape)")
        lines.append(f"    return numpy.array({_nested(f, self.wrap(body))})")
        return "\n".join(lines)

    def wrap(self, body: list[str]) -> list[str]:
        return [f"full({code})" for code in body]

    def preamble(self, code: str) -> str:
        return super().preamble(code + "\nnumpy.")


class _C(Language):
    flat_output = True

    def preamble(self, code: str) -> str:
        from sympy.printing.c import get_math_macros

        # M_PI, M_LN2, ... are POSIX, not ISO C: define the ones used where missing.
        # SymPy's table has two keys for M_SQRT2 (sqrt(2) and an unevaluated Sqrt(2)):
        # each macro is defined once, by the key that is a number.
        macros = {macro: value for value, macro in get_math_macros().items() if value.evalf().is_Float}
        statements = _statements(code, self.comment)
        lines = ["#include <math.h>"]
        for macro, value in sorted(macros.items()):
            if re.search(rf"\b{macro}\b", statements):
                lines += [f"#ifndef {macro}", f"#define {macro} {value.evalf(21)}", "#endif"]
        return "\n".join(lines) + "\n\n"

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        params = ", ".join([*(f"double {a}" for a in args), "double *out"])
        lines = [f"void {f.name}({params})", "{"]
        lines += [f"    const double {t} = {code};" for t, code in temps]
        lines += [f"    out[{k}] = {code};" for k, code in enumerate(body)]
        lines.append("}")
        return "\n".join(lines)


class _Fortran(Language):
    max_name = 63  # Fortran 2003 and later

    def code_printer(self) -> Printer:
        import sympy as sp
        from sympy.printing.fortran import FCodePrinter

        class FortranPrinter(CodeOrder, FCodePrinter):  # type: ignore[misc]
            #: pi and E as used, name -> value, declared as parameters (constants)
            named: dict[str, str]

            def _format_code(self, lines: list[str]) -> list[str]:
                return lines  # symgrad wraps whole statements itself (_fortran_wrap)

            def _print_NumberSymbol(self, expr: Any) -> str:
                # FCodePrinter puts "parameter (pi = ...)" in front of the statement
                # that uses pi; symgrad declares it with the variables instead.
                self.named[str(expr)] = self._print(sp.Float(expr.evalf(20), 20))
                return str(expr)

            def _print_NaN(self, expr: Any) -> str:
                return "ieee_value(0d0, ieee_quiet_nan)"  # DiracDelta(0): see codegen._delta_value

            def _print_besselj(self, expr: Any) -> str:
                return self._bessel("bessel_jn", expr)  # Fortran 2008, integer orders

            def _print_bessely(self, expr: Any) -> str:
                return self._bessel("bessel_yn", expr)

            def _bessel(self, name: str, expr: Any) -> str:
                order, arg = expr.args
                if not order.is_Integer:
                    return str(self._print_not_supported(expr))
                return f"{name}({int(order)}, {self._print(arg)})"

            def _print_sign(self, expr: Any) -> str:
                # FCodePrinter's sign is complex-valued; symgrad's variables are real.
                (arg,) = expr.args
                a = self._print(arg)
                return f"merge(0d0, sign(1d0, {a}), {a} == 0d0)"

        printer = FortranPrinter({"source_format": "free", "standard": 2008, "strict": True})
        printer.named = {}
        return printer

    def constants(self, printer: Printer) -> list[str]:
        named = sorted(printer.named.items())
        printer.named.clear()
        return [f"    real(8), parameter :: {name} = {value}" for name, value in named]

    def prepare(self, expr: Any) -> Any:
        return _real_numbers(expr)

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        dims = ", ".join(str(s) for s in f.shape)
        lines = [_fortran_wrap(f"subroutine {f.name}({', '.join([*args, 'out'])})")]
        if any("ieee_value(" in code for code in (*body, *(c for _, c in temps))):
            lines.append("    use, intrinsic :: ieee_arithmetic, only: ieee_value, ieee_quiet_nan")
        lines.append("    implicit none")
        lines += [f"    real(8), intent(in) :: {a}" for a in args]
        lines.append(f"    real(8), intent(out) :: out({dims})")
        lines += constants
        lines += [f"    real(8) :: {t}" for t, _ in temps]
        lines += [_fortran_wrap(f"    {t} = {code}") for t, code in temps]
        lines += [_fortran_wrap(line) for line in _assignments(f, body, "    out({index}) = {code}")]
        lines.append(f"end subroutine {f.name}")
        return "\n".join(lines)


def _real_numbers(expr: Any, exponents: bool = False) -> Any:
    """Numbers as floats where the language will not mix integers and floats.

    Heaviside and sinc become Piecewises of floats (Fortran's ``merge`` wants one type),
    Max and Min get float arguments, and constant function values (``log(2)``)
    become 17-digit floats; with ``exponents`` (Rust) every integer is a float.
    """
    import sympy as sp

    expr = sp.sympify(expr, strict=True)  # never text: formulas are parsed by symgrad.parsing
    constants = {a: a.evalf(17) for a in expr.atoms(sp.Function) if not a.free_symbols}
    if constants:  # log(2) and the like: Rust's printer cannot raise them to a power
        expr = expr.xreplace(constants)
    if expr.has(sp.Heaviside):
        expr = expr.replace(sp.Heaviside, lambda *a: _float_values(sp.Heaviside(*a).rewrite(sp.Piecewise)))
    if expr.has(sp.sinc):  # sin(x)/x or 1, both floats
        expr = expr.replace(sp.sinc, lambda a: _float_values(sp.sinc(a).rewrite(sp.sin)))
    if exponents:  # Rust: every number an f64 (x**2 is x.powf(2.0)); Max, Min as if/else
        # Rust has no cot, sec, ..., sinc: written with the functions it has (acot(x) = atan(1/x))
        for kind, target in _rust_rewrites():
            expr = expr.replace(kind, lambda a, k=kind, t=target: k(a).rewrite(t))
        # sqrt(2) and the like as 17 digits (of a 2.0 made an f64, sqrt(2.0) would be 15)
        expr = expr.xreplace({p: p.evalf(17) for p in expr.atoms(sp.Pow) if p.is_number})
        for kind in (sp.Max, sp.Min):
            expr = expr.replace(kind, lambda *a, k=kind: k(*a).rewrite(sp.Piecewise))
        return expr.xreplace({n: sp.Float(n) for n in expr.atoms(sp.Integer)})
    for kind in (sp.Max, sp.Min):  # Fortran's max and min want arguments of one type
        expr = expr.replace(kind, lambda *a, k=kind: k(*(sp.Float(v) if v.is_Number else v for v in a)))
    return expr


def _rust_rewrites() -> tuple[tuple[Any, Any], ...]:
    import sympy as sp

    return (
        (sp.cot, sp.tan), (sp.sec, sp.cos), (sp.csc, sp.sin), (sp.acot, sp.atan),
        (sp.asec, sp.acos), (sp.acsc, sp.asin), (sp.sinc, sp.sin),
    )


def _float_values(piecewise: Any) -> Any:
    import sympy as sp

    return sp.Piecewise(*((sp.Float(e) if e.is_Number else e, c) for e, c in piecewise.args))


def _fortran_wrap(line: str, width: int = 100) -> str:
    """Free-form continuation lines; the leading ``&`` lets a cut fall inside a token."""
    parts = []
    while len(line) > width:
        parts.append(line[:width] + "&")
        line = "    &" + line[width:]
    parts.append(line)
    return "\n".join(parts)




class _Julia(Language):
    index_brackets = "[]"

    def code_printer(self) -> Printer:
        from sympy.printing.julia import JuliaCodePrinter

        class JuliaPrinter(CodeOrder, JuliaCodePrinter):  # type: ignore[misc]
            def _print_Exp1(self, expr: Any) -> str:
                return "Base.MathConstants.e"  # SymPy writes e, which Julia 1.x no longer defines

        return JuliaPrinter({"strict": True})

    def preamble(self, code: str) -> str:
        calls = set(re.findall(r"\b(\w+)\(", _statements(code, self.comment)))
        return "using SpecialFunctions\n\n" if calls & JULIA_SPECIAL else ""

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        dims = ", ".join(str(s) for s in f.shape)
        lines = [f"function {f.name}({', '.join(args)})"]
        lines += [f"    {t} = {code}" for t, code in temps]
        lines.append(f"    out = zeros(Float64, {dims})")
        lines += _assignments(f, body, "    out[{index}] = {code}")
        lines += ["    return out", "end"]
        return "\n".join(lines)


class _Rust(Language):
    def code_printer(self) -> Printer:
        from sympy.printing.codeprinter import CodePrinter
        from sympy.printing.rust import RustCodePrinter

        class RustPrinter(CodeOrder, RustCodePrinter):  # type: ignore[misc]
            def _print_Integer(self, expr: Any, _type: bool = False) -> str:
                # the implicit 1 of 1/x: Rust does not divide an integer by an f64
                return str(super()._print_Integer(expr, _type)) if _type else f"{expr.p}_f64"

            # SymPy's Rust printer casts the terms of sums and products to floats
            # and multiplies them out again, which can print (1 - t**2)*cosh(y) as
            # -t.powi(2) + 1.0*y.cosh(). symgrad's numbers are floats already.
            def _print_Mul(self, expr: Any, **settings: Any) -> str:
                return str(CodePrinter._print_Mul(self, quick_mul(expr)))

            def _print_Add(self, expr: Any, order: Any = None) -> str:
                return str(CodePrinter._print_Add(self, expr, order))

            def _print_NaN(self, expr: Any) -> str:
                return "f64::NAN"

        return RustPrinter({"strict": True})

    def prepare(self, expr: Any) -> Any:
        return _real_numbers(expr, exponents=True)

    def preamble(self, code: str) -> str:
        used = sorted(set(re.findall(rf"\b({'|'.join(RUST_CONSTS)})\b", _statements(code, self.comment))))
        return f"use std::f64::consts::{{{', '.join(used)}}};\n\n" if used else ""

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        kind = "f64"
        for size in reversed(f.shape):
            kind = f"[{kind}; {size}]"
        params = ", ".join(f"{a}: f64" for a in args)
        statements = " ".join([*(code for _, code in temps), *body])
        unused = any(not re.search(rf"\b{a}\b", statements) for a in args)  # y in the Hessian of x**2 + y
        lines = [f"#[allow(unused_parens, non_snake_case, {'unused_variables, ' if unused else ''}clippy::all)]"]
        lines.append(f"pub fn {f.name}({params}) -> {kind} {{")
        lines += [f"    let {t}: f64 = {code};" for t, code in temps]
        lines += [f"    {_nested(f, body)}", "}"]
        return "\n".join(lines)


class _JS(Language):
    def code_printer(self) -> Printer:
        from sympy.printing.jscode import JavascriptCodePrinter

        class JSPrinter(CodeOrder, JavascriptCodePrinter):  # type: ignore[misc]
            def _print_NaN(self, expr: Any) -> str:
                return "NaN"

        return JSPrinter({"strict": True, **self.settings})

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        lines = [f"function {f.name}({', '.join(args)}) {{"]
        lines += [f"    const {t} = {code};" for t, code in temps]
        lines += [f"    return {_nested(f, body)};", "}"]
        return "\n".join(lines)


class _Octave(Language):
    def code_printer(self) -> Printer:
        import sympy as sp
        from sympy.printing.octave import OctaveCodePrinter

        class OctavePrinter(CodeOrder, OctaveCodePrinter):  # type: ignore[misc]
            def _print_Piecewise(self, expr: Any) -> str:
                # Octave's Piecewise is masks times values, and 0*NaN is NaN:
                # DiracDelta(u)'s value (NaN at u == 0, else 0) as 0 ./ (u ~= 0)
                (value, condition), rest = expr.args[0], expr.args[1:]
                if value is sp.nan and isinstance(condition, sp.Eq) and len(rest) == 1 and rest[0][0].is_zero:
                    u = self._print(condition.lhs - condition.rhs)
                    return f"(0 ./ (({u}) ~= 0))"
                return str(super()._print_Piecewise(expr))

        return OctavePrinter({"strict": True, **self.settings})

    def function(
        self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str],
        constants: Sequence[str] = (),
    ) -> str:
        dims = ", ".join(str(s) for s in (f.shape if len(f.shape) > 1 else (f.shape[0], 1)))
        lines = [f"function out = {f.name}({', '.join(args)})"]
        lines += [f"  {t} = {code};" for t, code in temps]
        lines.append(f"  out = zeros({dims});")
        lines += _assignments(f, body, "  out({index}) = {code};")
        lines.append("end")
        return "\n".join(lines)



#: Every language, by its ``--format`` name.
TABLE: dict[str, Language] = {
    "python": _Python(
        "#", PY_WORDS, printer_class="sympy.printing.pycode:PythonCodePrinter",
        settings={"standard": "python3"},
    ),
    "numpy": _NumPy(
        "#", PY_WORDS, printer_class="sympy.printing.numpy:NumPyPrinter",
        # math.erf and friends take scalars only: vectorise them
        settings={"user_functions": {
            k: f"numpy.vectorize(math.{v})"
            for k, v in {"erf": "erf", "erfc": "erfc", "gamma": "gamma", "loggamma": "lgamma"}.items()
        }},
    ),
    "c": _C("//", words("out") | MATH_FUNCS | C_MATH, printer_class="sympy.printing.c:C99CodePrinter"),
    "fortran": _Fortran(
        "!",
        one_based=True,
        reserved=words(
            "out real integer function subroutine end program module do if then else call return "
            "implicit none intent in inout merge parameter pi e"
        )
        | MATH_FUNCS,
        case_insensitive=True,
    ),
    "julia": _Julia(
        "#",
        one_based=True,
        printer_class="sympy.printing.julia:JuliaCodePrinter",
        reserved=words(
            "begin while if for try return break continue function macro quote let local global "
            "const do struct module baremodule using import export end else elseif catch finally "
            "true false out zeros pi im Float64 Base MathConstants SpecialFunctions"
        )
        | MATH_FUNCS
        | JULIA_SPECIAL,
    ),
    "rust": _Rust("//", reserved=RUST_WORDS),
    "js": _JS(
        "//",
        printer_class="sympy.printing.jscode:JavascriptCodePrinter",
        reserved=words(
            "break case catch class const continue debugger default delete do else export extends "
            "false finally for function if import in instanceof new null return super switch this "
            "throw true try typeof var void while with yield let static enum await implements "
            "package protected interface private public arguments eval Math NaN Infinity "
            "undefined out"
        ),
    ),
    "octave": _Octave(
        "%",
        one_based=True,
        printer_class="sympy.printing.octave:OctaveCodePrinter",
        reserved=words(
            "break case catch continue do else elseif end end_try_catch endfor endfunction endif "
            "endwhile for function global if otherwise persistent return switch try until while "
            "out zeros pi e i j I J Inf NaN eps"
        )
        | MATH_FUNCS,
    ),
}

__all__ = ["TABLE", "Language", "Printer"]
