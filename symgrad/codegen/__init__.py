"""Code generation: a job's derivatives as ready-to-paste functions.

:func:`generate` writes, in one of :data:`LANGUAGES`, a function
``grad_NAME`` (``jac_NAME`` for a vector function) and, when the job has
Hessians, ``hess_NAME``. Each takes the variables in their order (``--wrt``),
then the parameters, as double-precision numbers, and computes every entry
after common-subexpression elimination (:func:`symgrad.subexpressions.shared_terms`:
each subexpression that recurs is a temporary ``t0``, ``t1``, ... computed once). Expressions are
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

The functions a job needs and their shapes are :mod:`symgrad.codegen.layout`;
each language's printer and templates are :mod:`symgrad.codegen.languages`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from math import prod
from typing import TYPE_CHECKING, Any

from ..errors import SymgradError
from ..names import ascii_name
from ..print_by_shape import print_all
from ..subexpressions import Replacer, distinct_nodes, shared_terms
from ..text import one_line
from .languages import TABLE, Language, Printer
from .layout import Function, functions

if TYPE_CHECKING:
    from ..calculus import Derivatives

#: The ``--format`` names of the languages (``--format`` lists them in this order).
LANGUAGES = tuple(TABLE)


class CodegenError(SymgradError):
    """A derivative cannot be written in the chosen language."""


def _argument_names(
    symbols: Sequence[Any], language: Language, printer: Printer, functions: Sequence[str] = ()
) -> list[str]:
    """A legal, unreserved, unique identifier for each symbol (``lambda`` -> ``lambda_``).

    A reserved word takes the printer's ``reserved_word_suffix``, as SymPy's
    printers rename reserved symbols themselves; so do ``t0``, ``t1``, ...
    (the common subexpressions), the generated ``functions``' names and a
    name already taken. A name longer than the language allows (Fortran: 63)
    is cut, and ends in ``_2``, ``_3`` ... when the cut one is taken.
    """

    def key(name: str) -> str:
        return name.lower() if language.case_insensitive else name

    reserved = {key(word) for word in (*language.reserved_words(printer), *functions)}
    suffix = str(printer._settings.get("reserved_word_suffix") or "_")
    limit = language.max_name

    def free(name: str) -> bool:
        return key(name) not in taken and key(name) not in reserved and not re.fullmatch(r"t\d+", key(name))

    taken: set[str] = set()
    names = []
    for sym in symbols:
        name = re.sub(r"\W", "_", ascii_name(sym.name))
        if not name[0].isalpha():
            name = "v" + name
        while not free(name) and not (limit and len(name + suffix) > limit):
            name += suffix
        if limit and (len(name) > limit or not free(name)):
            base, k = name[:limit], 1
            name = base
            while not free(name):
                k += 1
                name = base[: limit - len(f"_{k}")] + f"_{k}"
        taken.add(key(name))
        names.append(name)
    return names


def generate(derivs: Derivatives, language: str, name: str = "f") -> str:
    """The job's functions in ``language`` (one of :data:`LANGUAGES`)."""
    import sympy as sp

    lang = TABLE[language]
    if not (name.isascii() and name.isidentifier()):
        raise CodegenError(f"the function name {name!r} is not an ASCII identifier")
    symbols = list(derivs.variables) + list(derivs.parameters)
    if not derivs.variables:
        raise CodegenError("there is no variable to differentiate by")
    if not derivs.parsed.real:
        raise CodegenError("generated code takes real numbers: drop --complex")
    printer = lang.code_printer()
    made = functions(derivs, name)
    too_long = [f.name for f in made if lang.max_name and len(f.name) > lang.max_name]
    if too_long:
        raise CodegenError(f"the function name {too_long[-1]} is over {lang.max_name} characters, {language}'s limit")
    args = _argument_names(symbols, lang, printer, [f.name for f in made])
    renamed = {s: sp.Symbol(a, real=True) for s, a in zip(symbols, args)}

    def print_(expr: Any) -> str:
        return str(printer.doprint(lang.prepare(expr)))

    blocks = []
    rename = Replacer(renamed, evaluate=False)  # one memory for all entries: a shared subtree is renamed once
    for f in made:
        exprs = [rename(sp.sympify(e, strict=True)) for e in f.entries]
        deltas = any(isinstance(node, sp.DiracDelta) for node in distinct_nodes(exprs))
        if deltas:  # a kink's second derivative (Abs, Max, sign): 0, undefined where u = 0
            exprs = [e.replace(sp.DiracDelta, _delta_value) for e in exprs]
        temps, reduced = shared_terms(exprs)
        try:
            # entries of one shape (thousands of -t102*exp(x_i + x_j)) are printed once
            texts = print_all(printer, [lang.prepare(e) for e in [*(e for _, e in temps), *reduced]])
            temp_code = [(str(t), str(text)) for (t, _), text in zip(temps, texts)]
            body = [str(text) for text in texts[len(temps):]]
        except Exception as err:  # a SymPy printer cannot write this function
            if type(err).__name__ != "PrintMethodNotImplementedError":
                raise
            raise CodegenError(f"cannot write {_unprintable(exprs, print_)} in {language} code") from err
        constants = lang.constants(printer)
        header = _header(derivs, f, args, lang, symbols)
        if deltas:
            header += (f"\n{lang.comment} DiracDelta(u) is written as 0 where u != 0 and NaN where u == 0 "
                       "(the derivative is undefined there), as symgrad evaluates it")
        blocks.append(header + "\n" + lang.function(f, args, temp_code, body, constants))
    code = "\n\n".join(blocks)
    return lang.preamble(code) + code


def _delta_value(u: Any, *order: Any) -> Any:
    """``DiracDelta(u, k)`` as the value symgrad gives it at a point: 0, or NaN where ``u`` is 0."""
    import sympy as sp

    return sp.Piecewise((sp.nan, sp.Eq(u, 0)), (sp.Float(0), True))


def _unprintable(exprs: Sequence[Any], print_: Callable[[Any], str]) -> str:
    """The name of a function in ``exprs`` that the printer cannot write."""
    import sympy as sp

    calls = sorted({a for e in exprs for a in e.atoms(sp.Function)}, key=sp.default_sort_key)
    for call in calls:
        try:
            print_(call)
        except SymgradError:  # the time limit, say: not the printer's
            raise
        except Exception:  # noqa: BLE001 (the printer's own "unsupported" error)
            return type(call).__name__
    return "a function"


def _wrap(text: str, width: int = 90) -> list[str]:
    """``text`` in lines of at most ``width``, cut between tokens (a longer token is one line)."""
    lines = [""]
    for token in re.findall(r"\w+|\*\*|\s+|.", text):
        if lines[-1] and len(lines[-1]) + len(token) > width:
            lines.append("")
        if lines[-1] or not token.isspace():
            lines[-1] += token
    return [line.rstrip() for line in lines]


def _header(derivs: Derivatives, f: Function, args: Sequence[str], lang: Language, symbols: Sequence[Any]) -> str:
    """The comment above a function: what it computes, of which formula, and its layout.

    The formula is the user's text, and the tokenizer reads a newline, CR,
    U+2028 ... as a space: written raw, one would end the comment and make
    the rest of the formula a line of code. So each formula is written on
    one line (:func:`~symgrad.text.one_line`), as are the symbols' names.
    """
    c = lang.comment
    nvar = len(derivs.variables)
    sources = [one_line(source) for source in derivs.parsed.sources]
    source = sources[0] if len(sources) == 1 else "[" + "; ".join(sources) + "]"
    text = f"{f.title} of {source}"
    lines = [f"{c} {line}" for line in _wrap(text)]
    lines.append(f"{c} variables: {', '.join(args[:nvar])}")
    if len(args) > nvar:
        lines.append(f"{c} parameters: {', '.join(args[nvar:])}")
    renamed = [f"{a} is {one_line(s.name)}" for s, a in zip(symbols, args) if a != s.name]
    if renamed:
        lines.append(f"{c} renamed: {', '.join(renamed)}")
    shape = "x".join(str(s) for s in f.shape)
    layout = f.layout
    if lang.one_based:  # out(i, j) in Fortran and Octave, out[i, j] in Julia, from 1
        index = re.match(r"(\[\w\])+", layout).group(0)  # type: ignore[union-attr]
        inner = ", ".join(re.findall(r"\w", index))
        brackets = lang.index_brackets
        layout = f"{brackets[0]}{inner}{brackets[1]}" + layout[len(index):]
    base = ", indices from 1" if lang.one_based else ""
    lines.append(f"{c} result {shape}{base}: out{layout}, x_i the variables in order")
    if lang.flat_output and len(f.shape) > 1:
        lines.append(f"{c} out: {prod(f.shape)} doubles, row-major (out[i*n + j] is [i][j])")
    lines.append(f"{c} generated by symgrad")
    return "\n".join(lines)


__all__ = ["LANGUAGES", "CodegenError", "Function", "functions", "generate"]
