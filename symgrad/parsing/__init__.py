"""Safe parsing: formula text -> SymPy expression, without ``eval``.

The text is split into tokens by a small regular-expression tokenizer and
read by a precedence-climbing parser that builds SymPy objects directly from
an allow-list: numbers, names, ``+ - * / ** ^``, signs, parentheses and calls
of known functions. Nothing else is accepted, so no input can reach Python's
``eval``/``exec``, SymPy's ``sympify`` or ``parse_expr``.

Beyond Python syntax the parser accepts ``^`` for power, implicit
multiplication after a number, a closing parenthesis or a superscript
(``2x``, ``3(x+1)``, ``(x+1)(x-1)``, ``2sin(x)``, ``x²y``, ``½x``) and a few
unicode forms (``π``, ``∞``, ``√``, ``²``, ``⁻¹``, ``·``, ``×``, ``÷``, ``−``,
the vulgar fractions ``¼ ½ ¾ ⅐ … ⅞`` as exact rationals). A positive integer
power written on a function's name is a power of the call, as in textbooks
(``sin^2(x)``, ``sin²(x)`` are ``sin(x)**2``); ``sin^-1(x)`` is refused as
ambiguous. Dividing by an exact zero (``x/0``, ``0^-1``) is a parse error, and
``e`` raised to a power leaves a warning on :attr:`Parsed.warnings`.
Sums and products are built flat, in one SymPy call each, and nesting is
bounded, so long inputs neither recurse deeply nor run quadratically.

This module is the public face; the stages live beside it:
:mod:`~symgrad.parsing.tokens` (the tokenizer), :mod:`~symgrad.parsing.functions`
(the function table and guarded constructors), :mod:`~symgrad.parsing.grammar`
(the parser) and :mod:`~symgrad.parsing.values` (names, points and point values).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ParseError, VariableError
from .functions import CONSTANT_NAMES, FUNCTION_NAMES
from .grammar import E_AS_BASE, parse_one
from .latex_input import looks_like_latex, parse_latex_one
from .sympy_input import check_expression, symbols_by_name
from .values import natural_key, parse_names, parse_point, parse_value

if TYPE_CHECKING:
    import sympy as sp

__all__ = [
    "CONSTANT_NAMES",
    "FUNCTION_NAMES",
    "SYNTAXES",
    "Parsed",
    "looks_like_latex",
    "natural_key",
    "parse",
    "parse_expression",
    "parse_latex",
    "parse_names",
    "parse_point",
    "parse_value",
]


def _symbol_names(symbols: str | Iterable[str]) -> frozenset[str]:
    if isinstance(symbols, str):
        names = parse_names(symbols, "--symbols") if symbols.strip() else ()
    else:
        names = tuple(symbols)
    for name in names:
        if name not in CONSTANT_NAMES:
            raise VariableError(
                f"--symbols takes constant names ({', '.join(CONSTANT_NAMES)}); "
                f"{name!r} is already a variable"
            )
    return frozenset(names)


def parse_expression(
    text: str, *, real: bool = True, symbols: str | Iterable[str] = ()
) -> sp.Expr:
    """Parse one formula into a SymPy expression.

    >>> parse_expression("2x^2 + 3(x+1)")
    2*x**2 + 3*x + 3
    """
    return parse_one(text, real=real, symbol_names=_symbol_names(symbols))[0]


#: How formula text is written: ``auto`` reads LaTeX when the text has a LaTeX
#: command (a backslash and a letter, as ``\\frac`` or ``\\sin``), else text.
SYNTAXES = ("auto", "text", "latex")


def _reader(text: str, syntax: str) -> Any:
    if syntax not in SYNTAXES:
        raise ValueError(f"syntax must be one of {', '.join(SYNTAXES)}, not {syntax!r}")
    latex = syntax == "latex" or (syntax == "auto" and looks_like_latex(text))
    return parse_latex_one if latex else parse_one


def parse_latex(
    text: str, *, real: bool = True, symbols: str | Iterable[str] = ()
) -> sp.Expr:
    r"""Parse one LaTeX formula (:mod:`symgrad.parsing.latex_input`) into a SymPy expression.

    >>> parse_latex(r"\frac{x^{2}}{2}")
    x**2/2
    >>> parse_latex(r"\sigma_{k} \sqrt{2}")
    sqrt(2)*sigma_k
    """
    return parse_latex_one(text, real=real, symbol_names=_symbol_names(symbols))[0]


@dataclass(frozen=True)
class Parsed:
    """One job's formulas, their variables (in order) and parameters.

    :func:`parse` makes it. One made by hand has its expressions checked as
    :func:`parse` checks SymPy input (:mod:`symgrad.parsing.sympy_input`).
    """

    sources: tuple[str, ...]
    exprs: tuple[Any, ...]
    variables: tuple[Any, ...]
    parameters: tuple[Any, ...]
    constants: tuple[str, ...] = ()
    real: bool = True
    #: What the user should know about how the text was read, one line each
    #: (``e^x``: e is a variable, not Euler's number); the CLI prints them as warnings.
    warnings: tuple[str, ...] = ()
    #: Set by :func:`parse`, which has checked the expressions already.
    _checked: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._checked:
            for expr in self.exprs:
                check_expression(expr)
            symbols_by_name((*self.exprs, *self.variables, *self.parameters))

    @property
    def symbols(self) -> tuple[Any, ...]:
        """Every free symbol: variables, then parameters."""
        return self.variables + self.parameters


#: Functions that are not holomorphic (complex-differentiable) in their argument.
NOT_HOLOMORPHIC = ("conjugate", "Abs", "re", "im", "arg", "sign", "Heaviside", "DiracDelta",
                   "Max", "Min", "floor", "ceiling", "atan2")


def _check_holomorphic(exprs: Sequence[Any], variables: Sequence[Any]) -> None:
    """Refuse, with ``--complex``, a formula that is not holomorphic in a variable.

    A complex derivative d/dz exists only where the function is holomorphic;
    ``conjugate(z)``, ``Abs(z)``, ``re(z)``, ... have none anywhere (their
    Wirtinger derivatives are a pair, d/dz and d/d conj(z), which symgrad
    does not compute). A parameter inside them is no obstacle.
    """
    import sympy as sp

    wanted = set(variables)
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            name = type(node).__name__
            if name in NOT_HOLOMORPHIC and node.free_symbols & wanted:
                variable = min(node.free_symbols & wanted, key=lambda s: natural_key(s.name))
                raise ParseError(
                    f"--complex: {node} is not holomorphic in {variable}, so it has no complex "
                    f"derivative d/d{variable}; symgrad computes holomorphic derivatives only "
                    "(drop --complex for real variables)"
                )


def parse(
    *formulas: str | sp.Expr,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
    syntax: str = "auto",
) -> Parsed:
    """Parse one or more formulas (a vector function) for differentiation.

    ``wrt`` names the variables, in order; every other free symbol is a
    parameter. Without it, all free symbols are variables in natural order.
    Already-built SymPy expressions are accepted as they are if formula text
    could have made them: the functions symgrad knows, plain ``Symbol``
    objects with names a formula may have (a constant's name only if ``symbols``
    lists it), numbers and sizes within the parser's limits
    (:mod:`symgrad.parsing.sympy_input`). Anything else raises the
    :class:`~symgrad.errors.ParseError` the same formula as text would.
    ``syntax`` says how text is written: ``"text"``, ``"latex"``, or
    ``"auto"`` (LaTeX when it has a LaTeX command such as ``\\frac``; see :data:`SYNTAXES`).

    >>> p = parse("a*x**2 + y", wrt="x,y")
    >>> p.variables, p.parameters
    ((x, y), (a,))
    """
    import sympy as sp

    if not formulas:
        raise ParseError("no formula given")
    symbol_names = _symbol_names(symbols)
    exprs = []
    sources = []
    constants: set[str] = set()
    warnings: list[str] = []
    for number, formula in enumerate(formulas, start=1):
        if isinstance(formula, sp.Basic):
            check_expression(formula)
            for sym in formula.free_symbols:
                if sym.name in CONSTANT_NAMES and sym.name not in symbol_names:
                    raise ParseError(
                        f"the symbol {sym.name!r} has the name of a constant; "
                        f"list it in symbols to use it as a variable"
                    )
            exprs.append(formula)
            sources.append(str(formula))
            continue
        if len(formulas) > 1 and not formula.strip():
            raise ParseError(f"formula {number} of {len(formulas)} is empty")
        reader = _reader(formula, syntax)
        expr, used, notes = reader(formula, real=real, symbol_names=symbol_names)
        if expr.has(sp.zoo, sp.nan):
            # cot(0), log(0), 0*oo: a part of the formula as typed has no value
            what = "complex infinity (as cot(0) and log(0) are)" if expr.has(sp.zoo) \
                else "undefined (as 0*oo and oo - oo are)"
            raise ParseError(f"the formula has no value as written: a part of it is {what}", formula.strip())
        exprs.append(expr)
        sources.append(formula.strip())
        constants |= used
        warnings += [note for note in notes if note not in warnings]
    free = symbols_by_name(exprs)
    if wrt is None:
        variables = tuple(free[name] for name in sorted(free, key=natural_key))
    else:
        names = (
            parse_names(wrt)
            if isinstance(wrt, str)
            else parse_names(str(getattr(w, "name", w)) for w in wrt)
        )
        for name in names:
            if name in CONSTANT_NAMES and name not in symbol_names:
                raise VariableError(
                    f"--wrt: {name!r} is a constant; add --symbols {name} to use it as a variable"
                )
        variables = tuple(
            free.get(name) or (sp.Symbol(name, real=True) if real else sp.Symbol(name))
            for name in names
        )
    chosen = {v.name for v in variables}
    if wrt is not None and "e" in chosen and E_AS_BASE in warnings:
        warnings.remove(E_AS_BASE)  # --wrt e: the user means the variable
    parameters = tuple(free[name] for name in sorted(free, key=natural_key) if name not in chosen)
    if not real:
        _check_holomorphic(exprs, variables)
    return Parsed(
        sources=tuple(sources),
        exprs=tuple(exprs),
        variables=variables,
        parameters=parameters,
        constants=tuple(sorted(constants)),
        real=real,
        warnings=tuple(warnings),
        _checked=True,
    )
