"""Code generation: a job's derivatives as ready-to-paste functions.

:func:`generate` writes, in one of :data:`LANGUAGES`, a function
``grad_NAME`` (``jac_NAME`` for a vector function) and, when the job has
Hessians, ``hess_NAME``. Each takes the variables in their order (``--wrt``),
then the parameters, as double-precision numbers, and computes every entry
after common-subexpression elimination (``sympy.cse``). Expressions are
printed by SymPy's code printers (``pycode``, ``NumPyPrinter``, ``ccode``,
``fcode``, ``julia_code``, ``rust_code``, ``jscode``, ``octave_code``); a
function a printer cannot write in the language is a :class:`CodegenError`.

Layout (the header comment of each function repeats it): a gradient has n
entries, a Jacobian is m×n (row i = formula i), a Hessian n×n, and the
Hessians of a vector function m×n×n. Python, NumPy, Julia, Rust, JS and
Octave return them as nested arrays indexed in that order (Julia and Octave
from 1); C writes them row-major into ``double *out``; Fortran into an
``intent(out)`` array ``out(m, n)`` with Fortran's own indices.

The ``numpy`` variant is vectorised: arguments may be arrays (broadcast
together), and every entry, a constant one too, is a full array of the
broadcast shape, so the result has shape ``(n, *shape)`` (``(m, n, *shape)``,
...).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from math import prod
from typing import Any

from .errors import SymgradError
from .render.names import ascii_name
from .render.options import CODE_FORMATS
from .results import Derivatives

LANGUAGES = CODE_FORMATS


class CodegenError(SymgradError):
    """A derivative cannot be written in the chosen language."""


@dataclass(frozen=True)
class Function:
    """One function to write: its name, what it computes and its entries."""

    name: str
    title: str  # "gradient", "Jacobian", ...
    layout: str  # "out[i] = d f/d x_i", ...
    shape: tuple[int, ...]
    entries: tuple[Any, ...]  # flat, row-major


def functions(derivs: Derivatives, name: str = "f") -> list[Function]:
    """The functions a job needs: gradient (or Jacobian), then Hessian(s)."""
    n = len(derivs.variables)
    out = []
    if derivs.jacobian is not None:
        m = len(derivs.jacobian)
        flat = tuple(v for row in derivs.jacobian for v in row)
        out.append(Function(f"jac_{name}", "Jacobian", "[i][j] = d f_i / d x_j", (m, n), flat))
    else:
        assert derivs.gradient is not None
        out.append(Function(f"grad_{name}", "gradient", "[i] = d f / d x_i", (n,), tuple(derivs.gradient)))
    if derivs.hessians is not None:
        flat = tuple(v for h in derivs.hessians for row in h for v in row)
        if derivs.jacobian is not None:
            shape: tuple[int, ...] = (len(derivs.hessians), n, n)
            layout = "[k][i][j] = d2 f_k / d x_i d x_j"
        else:
            shape, layout = (n, n), "[i][j] = d2 f / d x_i d x_j"
        out.append(Function(f"hess_{name}", "Hessian", layout, shape, flat))
    return out


# ---------------------------------------------------------------------------
# Languages


@dataclass(frozen=True)
class _Language:
    """How one language spells comments, functions and array entries."""

    comment: str
    reserved: frozenset[str]  # identifiers an argument must not take
    case_insensitive: bool = False
    one_based: bool = False
    printer_class: str = ""  # "module:Class" of the SymPy code printer
    settings: Mapping[str, Any] = field(default_factory=dict)

    def printer(self) -> Callable[[Any], str]:
        module, name = self.printer_class.split(":")
        cls = getattr(importlib.import_module(module), name)
        return cls({"strict": True, **self.settings}).doprint  # type: ignore[no-any-return]

    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        raise NotImplementedError

    def preamble(self, code: str) -> str:
        return ""


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


class _Python(_Language):
    module_pattern = re.compile(r"\b(math|numpy|functools)\.")

    def preamble(self, code: str) -> str:
        modules = sorted(set(self.module_pattern.findall(code)))
        return "".join(f"import {m}\n" for m in modules) + ("\n" if modules else "")

    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        lines = [f"def {f.name}({', '.join(args)}):"]
        lines += [f"    {t} = {code}" for t, code in temps]
        lines.append(f"    return {_nested(f, self.wrap(body))}")
        return "\n".join(lines)

    def wrap(self, body: list[str]) -> list[str]:
        return body


class _NumPy(_Python):
    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
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
        return super().preamble(code + " numpy.")


class _C(_Language):
    def preamble(self, code: str) -> str:
        from sympy.printing.c import get_math_macros

        # M_PI, M_LN2, ... are POSIX, not ISO C: define the ones used where missing.
        lines = ["#include <math.h>"]
        for value, macro in sorted(get_math_macros().items(), key=lambda item: item[1]):
            if re.search(rf"\b{macro}\b", code):
                lines += [f"#ifndef {macro}", f"#define {macro} {value.evalf(21)}", "#endif"]
        return "\n".join(lines) + "\n\n"

    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        params = ", ".join([*(f"double {a}" for a in args), "double *out"])
        lines = [f"void {f.name}({params})", "{"]
        lines += [f"    const double {t} = {code};" for t, code in temps]
        lines += [f"    out[{k}] = {code};" for k, code in enumerate(body)]
        lines.append("}")
        return "\n".join(lines)


class _Fortran(_Language):
    def printer(self) -> Callable[[Any], str]:
        from sympy.printing.fortran import FCodePrinter

        class Printer(FCodePrinter):  # type: ignore[misc]
            def _format_code(self, lines: list[str]) -> list[str]:
                return lines  # symgrad wraps whole statements itself (_fortran_wrap)

            def _print_sign(self, expr: Any) -> str:
                # FCodePrinter's sign is complex-valued; symgrad's variables are real.
                (arg,) = expr.args
                a = self._print(arg)
                return f"merge(0d0, sign(1d0, {a}), {a} == 0d0)"

        printer = Printer({"source_format": "free", "standard": 2008, "strict": True})
        return lambda expr: str(printer.doprint(_real_numbers(expr)))

    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        dims = ", ".join(str(s) for s in f.shape)
        lines = [_fortran_wrap(f"subroutine {f.name}({', '.join([*args, 'out'])})")]
        lines.append("    implicit none")
        lines += [f"    real(8), intent(in) :: {a}" for a in args]
        lines.append(f"    real(8), intent(out) :: out({dims})")
        lines += [f"    real(8) :: {t}" for t, _ in temps]
        lines += [_fortran_wrap(f"    {t} = {code}") for t, code in temps]
        lines += [_fortran_wrap(line) for line in _assignments(f, body, "    out({index}) = {code}")]
        lines.append(f"end subroutine {f.name}")
        return "\n".join(lines)


def _real_numbers(expr: Any, exponents: bool = False) -> Any:
    """Numbers as floats where the language will not mix integers and floats.

    Heaviside becomes a Piecewise of floats (Fortran's ``merge`` wants one type),
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
    if exponents:  # Rust: every number an f64 (x**2 is x.powf(2.0)); Max, Min as if/else
        for kind in (sp.Max, sp.Min):
            expr = expr.replace(kind, lambda *a, k=kind: k(*a).rewrite(sp.Piecewise))
        return expr.xreplace({n: sp.Float(n) for n in expr.atoms(sp.Integer)})
    for kind in (sp.Max, sp.Min):  # Fortran's max and min want arguments of one type
        expr = expr.replace(kind, lambda *a, k=kind: k(*(sp.Float(v) if v.is_Number else v for v in a)))
    return expr


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


class _Julia(_Language):
    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        dims = ", ".join(str(s) for s in f.shape)
        lines = [f"function {f.name}({', '.join(args)})"]
        lines += [f"    {t} = {code}" for t, code in temps]
        lines.append(f"    out = zeros(Float64, {dims})")
        lines += _assignments(f, body, "    out[{index}] = {code}")
        lines += ["    return out", "end"]
        return "\n".join(lines)


class _Rust(_Language):
    def printer(self) -> Callable[[Any], str]:
        from sympy.printing.codeprinter import CodePrinter
        from sympy.printing.rust import RustCodePrinter

        class Printer(RustCodePrinter):  # type: ignore[misc]
            def _print_Integer(self, expr: Any, _type: bool = False) -> str:
                # the implicit 1 of 1/x: Rust does not divide an integer by an f64
                return str(super()._print_Integer(expr, _type)) if _type else f"{expr.p}_f64"

            # SymPy's Rust printer casts the terms of sums and products to floats
            # and multiplies them out again, which can print (1 - t**2)*cosh(y) as
            # -t.powi(2) + 1.0*y.cosh(). symgrad's numbers are floats already.
            def _print_Mul(self, expr: Any) -> str:
                return str(CodePrinter._print_Mul(self, expr))

            def _print_Add(self, expr: Any, order: Any = None) -> str:
                return str(CodePrinter._print_Add(self, expr, order))

        printer = Printer({"strict": True})
        return lambda expr: str(printer.doprint(_real_numbers(expr, exponents=True)))

    def preamble(self, code: str) -> str:
        used = sorted(set(re.findall(r"\b(PI|E|FRAC_1_PI|FRAC_2_PI|LN_2|LN_10|SQRT_2)\b", code)))
        return f"use std::f64::consts::{{{', '.join(used)}}};\n\n" if used else ""

    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        kind = "f64"
        for size in reversed(f.shape):
            kind = f"[{kind}; {size}]"
        params = ", ".join(f"{a}: f64" for a in args)
        lines = ["#[allow(unused_parens, non_snake_case, clippy::all)]"]
        lines.append(f"pub fn {f.name}({params}) -> {kind} {{")
        lines += [f"    let {t}: f64 = {code};" for t, code in temps]
        lines += [f"    {_nested(f, body)}", "}"]
        return "\n".join(lines)


class _JS(_Language):
    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        lines = [f"function {f.name}({', '.join(args)}) {{"]
        lines += [f"    const {t} = {code};" for t, code in temps]
        lines += [f"    return {_nested(f, body)};", "}"]
        return "\n".join(lines)


class _Octave(_Language):
    def function(self, f: Function, args: Sequence[str], temps: list[tuple[str, str]], body: list[str]) -> str:
        dims = ", ".join(str(s) for s in (f.shape if len(f.shape) > 1 else (f.shape[0], 1)))
        lines = [f"function out = {f.name}({', '.join(args)})"]
        lines += [f"  {t} = {code};" for t, code in temps]
        lines.append(f"  out = zeros({dims});")
        lines += _assignments(f, body, "  out({index}) = {code};")
        lines.append("end")
        return "\n".join(lines)


_PY_WORDS = frozenset(
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try while "
    "with yield math numpy functools shape full value out abs max min".split()
)
_C_WORDS = frozenset(
    "auto break case char const continue default do double else enum extern float for goto if "
    "inline int long register restrict return short signed sizeof static struct switch typedef "
    "union unsigned void volatile while out M_PI M_E".split()
)
_MATH_FUNCS = frozenset(
    "sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp log log10 log2 sqrt "
    "cbrt pow abs fabs erf erfc tgamma lgamma gamma fmax fmin max min sign hypot floor ceil".split()
)
_LANGUAGES: dict[str, _Language] = {
    "python": _Python(
        "#", _PY_WORDS, printer_class="sympy.printing.pycode:PythonCodePrinter",
        settings={"standard": "python3"},
    ),
    "numpy": _NumPy(
        "#", _PY_WORDS, printer_class="sympy.printing.numpy:NumPyPrinter",
        # math.erf and friends take scalars only: vectorise them
        settings={"user_functions": {
            k: f"numpy.vectorize(math.{v})"
            for k, v in {"erf": "erf", "erfc": "erfc", "gamma": "gamma", "loggamma": "lgamma"}.items()
        }},
    ),
    "c": _C("//", _C_WORDS | _MATH_FUNCS, printer_class="sympy.printing.c:C99CodePrinter"),
    "fortran": _Fortran(
        "!",
        one_based=True,
        reserved=frozenset(
            "out real integer function subroutine end program module do if then else call return "
            "implicit none intent in inout merge pi".split()
        )
        | _MATH_FUNCS,
        case_insensitive=True,
    ),
    "julia": _Julia(
        "#",
        one_based=True,
        printer_class="sympy.printing.julia:JuliaCodePrinter",
        reserved=frozenset(
            "begin while if for try return break continue function macro quote let local global "
            "const do struct module baremodule using import export end else elseif catch finally "
            "true false out zeros pi im Float64".split()
        )
        | _MATH_FUNCS,
    ),
    "rust": _Rust(
        "//",
        reserved=frozenset(
            "as break const continue crate else enum extern false fn for if impl in let loop match "
            "mod move mut pub ref return self Self static struct super trait true type unsafe use "
            "where while async await dyn abstract become box do final macro override priv typeof "
            "unsized virtual yield try f64 out PI E".split()
        ),
    ),
    "js": _JS(
        "//",
        printer_class="sympy.printing.jscode:JavascriptCodePrinter",
        reserved=frozenset(
            "break case catch class const continue debugger default delete do else export extends "
            "false finally for function if import in instanceof new null return super switch this "
            "throw true try typeof var void while with yield let static enum await implements "
            "package protected interface private public arguments eval Math NaN Infinity "
            "undefined out".split()
        ),
    ),
    "octave": _Octave(
        "%",
        one_based=True,
        printer_class="sympy.printing.octave:OctaveCodePrinter",
        reserved=frozenset(
            "break case catch continue do else elseif end end_try_catch endfor endfunction endif "
            "endwhile for function global if otherwise persistent return switch try until while "
            "out zeros pi e i j I J Inf NaN eps".split()
        )
        | _MATH_FUNCS,
    ),
}


def _argument_names(symbols: Sequence[Any], language: _Language) -> list[str]:
    """A legal, unreserved, unique identifier for each symbol (``lambda`` -> ``lambda_``)."""

    def key(name: str) -> str:
        return name.lower() if language.case_insensitive else name

    taken: set[str] = set()
    names = []
    for sym in symbols:
        name = re.sub(r"\W", "_", ascii_name(sym.name))
        if not name[0].isalpha():
            name = "v" + name
        while key(name) in taken or key(name) in {key(r) for r in language.reserved} or re.fullmatch(
            r"t\d+", key(name)
        ):
            name += "_"
        taken.add(key(name))
        names.append(name)
    return names


def generate(derivs: Derivatives, language: str, name: str = "f") -> str:
    """The job's functions in ``language`` (one of :data:`LANGUAGES`)."""
    import sympy as sp

    lang = _LANGUAGES[language]
    symbols = list(derivs.variables) + list(derivs.parameters)
    if not derivs.variables:
        raise CodegenError("there is no variable to differentiate by")
    if not derivs.parsed.real:
        raise CodegenError("generated code takes real numbers: drop --complex")
    args = _argument_names(symbols, lang)
    renamed = {s: sp.Symbol(a, real=True) for s, a in zip(symbols, args)}
    print_ = lang.printer()
    blocks = []
    for f in functions(derivs, name):
        exprs = [sp.sympify(e, strict=True).xreplace(renamed) for e in f.entries]
        deltas = any(e.has(sp.DiracDelta) for e in exprs)
        if deltas:  # zero wherever defined: a kink's second derivative (Abs, Max, sign)
            exprs = [e.replace(sp.DiracDelta, lambda *args: sp.S.Zero) for e in exprs]
        temps_syms = sp.numbered_symbols("t", real=True)
        temps, reduced = sp.cse(exprs, symbols=temps_syms, order="none")
        try:
            temp_code = [(str(t), print_(e)) for t, e in temps]
            body = [print_(e) for e in reduced]
        except Exception as err:  # a SymPy printer cannot write this function
            if type(err).__name__ != "PrintMethodNotImplementedError":
                raise
            raise CodegenError(f"cannot write {_unprintable(exprs, print_)} in {language} code") from err
        header = _header(derivs, f, args, lang, symbols)
        if deltas:
            header += f"\n{lang.comment} DiracDelta terms are written as 0: the derivative is undefined where their argument is 0"
        blocks.append(header + "\n" + lang.function(f, args, temp_code, body))
    code = "\n\n".join(blocks)
    return lang.preamble(code) + code


def _unprintable(exprs: Sequence[Any], print_: Callable[[Any], str]) -> str:
    """The name of a function in ``exprs`` that the printer cannot write."""
    import sympy as sp

    calls = sorted({a for e in exprs for a in e.atoms(sp.Function)}, key=sp.default_sort_key)
    for call in calls:
        try:
            print_(call)
        except Exception:  # noqa: BLE001 (the printer's own "unsupported" error)
            return type(call).__name__
    return "a function"


def _header(derivs: Derivatives, f: Function, args: Sequence[str], lang: _Language, symbols: Sequence[Any]) -> str:
    c = lang.comment
    nvar = len(derivs.variables)
    sources = derivs.parsed.sources
    source = sources[0] if len(sources) == 1 else "[" + "; ".join(sources) + "]"
    text = f"{f.title} of {source}"
    lines = [f"{c} {text[k : k + 90]}" for k in range(0, len(text), 90)]
    lines.append(f"{c} variables: {', '.join(args[:nvar])}")
    if len(args) > nvar:
        lines.append(f"{c} parameters: {', '.join(args[nvar:])}")
    renamed = [f"{a} is {s.name}" for s, a in zip(symbols, args) if a != s.name]
    if renamed:
        lines.append(f"{c} renamed: {', '.join(renamed)}")
    shape = "x".join(str(s) for s in f.shape)
    layout = f.layout
    if lang.one_based:  # out(i, j) in Fortran and Octave, out[i, j] in Julia, from 1
        index = re.match(r"(\[\w\])+", layout).group(0)  # type: ignore[union-attr]
        inner = ", ".join(re.findall(r"\w", index))
        brackets = "[]" if isinstance(lang, _Julia) else "()"
        layout = f"{brackets[0]}{inner}{brackets[1]}" + layout[len(index):]
    base = ", indices from 1" if lang.one_based else ""
    lines.append(f"{c} result {shape}{base}: out{layout}, x_i the variables in order")
    if isinstance(lang, _C) and len(f.shape) > 1:
        lines.append(f"{c} out: {prod(f.shape)} doubles, row-major (out[i*n + j] is [i][j])")
    lines.append(f"{c} generated by symgrad")
    return "\n".join(lines)


__all__ = ["LANGUAGES", "CodegenError", "Function", "functions", "generate"]
