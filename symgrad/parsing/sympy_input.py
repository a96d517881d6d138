"""SymPy expressions given to the library, held to the rules of formula text.

:func:`~symgrad.parsing.parse` (and so ``gradient()``, ``hessian()``,
``jacobian()``) also takes SymPy objects that the caller built. Such an
object never met the tokenizer or the grammar, so without a check it could
bring anything: an ``Integral``, an undefined ``Function('f')(x)``, a
``Symbol`` named ``x); system(...)`` (which generated code and LaTeX would
echo), a number of a million digits. :func:`check_expression` lets through
only what the grammar itself could have built:

* the SymPy classes of the function table (:data:`~symgrad.parsing.functions.FUNCTIONS`),
  with the few that its functions evaluate to (``digamma`` is ``polygamma(0, x)``,
  ``im(log(z))`` is ``arg(z)``, ``sin(oo)`` an ``AccumulationBounds``);
  ``Add``, ``Mul`` and ``Pow``; SymPy's own numbers and constants;
* symbols of the plain ``Symbol`` class whose names a formula may use;
* numbers within the parser's limits, and trees no bigger or deeper than
  formula text within the length and nesting limits can make.

Each class is matched exactly, not by ``isinstance``: a subclass can print
itself as it likes. A refusal is the error the same formula written as text
would get (``unknown function 'f'``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from .. import limits
from ..errors import ParseError, ResourceLimitError, UnknownFunctionError
from .functions import FUNCTION_NAMES, FUNCTIONS
from .values import is_name

__all__ = ["MAX_NODES", "MAX_TREE_DEPTH", "check_expression", "symbols_by_name"]

#: Most nodes (counted as often as they occur) a SymPy formula may have:
#: formula text within the length limit makes at most about 1.5 per character.
MAX_NODES = 2 * limits.MAX_INPUT_LENGTH
#: Deepest SymPy tree a formula may be: each of the parser's nesting levels
#: adds at most three (``x/(1 + x/(1 + ...))`` is Mul, Pow, Add per level).
MAX_TREE_DEPTH = 3 * limits.MAX_DEPTH + 1
#: Largest precision of a decimal number, in bits: a 3000-digit literal's.
MAX_FLOAT_BITS = limits.MAX_EXACT_BITS
#: Largest magnitude of a decimal number, in bits: 3000 digits times 10**3000.
MAX_FLOAT_EXPONENT_BITS = 2 * limits.MAX_EXACT_BITS


@cache
def _number_classes() -> frozenset[type]:
    """The classes of the numbers a formula may hold (a subset of :func:`_allowed_classes`)."""
    import sympy as sp

    numbers = (sp.S.Zero, sp.S.One, sp.S.NegativeOne, sp.S.Half, sp.oo, -sp.oo, sp.nan, sp.zoo)
    return frozenset({sp.Integer, sp.Rational, sp.Float, *map(type, numbers)})


@cache
def _allowed_classes() -> frozenset[type]:
    """Every SymPy class a formula's tree may be made of."""
    import sympy as sp

    names = sp.symbols("x y z u v w")
    x = names[0]
    classes: set[type] = {sp.Add, sp.Mul, sp.Pow, sp.Symbol, *_number_classes()}
    classes |= {type(c) for c in (sp.I, sp.pi, sp.E, sp.EulerGamma, sp.Catalan,
                                  sp.GoldenRatio, sp.TribonacciConstant)}
    for function in FUNCTIONS.values():
        count = function.min_args if function.max_args == function.min_args else max(function.min_args, 2)
        try:
            built = function.build(*names[:count])
        except (ParseError, ValueError):  # real_root(x, n) and DiracDelta(x, k) need a number
            built = function.build(x, sp.Integer(3))
        classes |= {type(node) for node in sp.preorder_traversal(built)}
    # what the table's functions evaluate to at some arguments
    classes |= {sp.polygamma, sp.arg, sp.AccumBounds, sp.Tuple, sp.expint, sp.erfinv, sp.besselj,
                sp.RisingFactorial, sp.meijerg}
    return frozenset(classes)


def _shown(name: str) -> str:
    return repr(name if len(name) <= 60 else name[:57] + "...")


def _refuse(node: Any) -> ParseError:
    import sympy as sp

    if isinstance(node, sp.Symbol):
        return ParseError(
            f"a {type(node).__name__} ({_shown(node.name)}) is not a variable a formula can have; "
            "use a plain Symbol"
        )
    if isinstance(node, sp.Expr) and node.args:  # a call: of what the text path calls a function
        import difflib

        name = str(getattr(node.func, "__name__", type(node).__name__))
        close = difflib.get_close_matches(name, FUNCTION_NAMES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return UnknownFunctionError(f"unknown function {_shown(name)}{hint}")
    return ParseError(f"{type(node).__name__} is not part of a formula")


def _check_symbol(node: Any) -> None:
    name = node.name
    if len(name) > limits.MAX_INPUT_LENGTH:
        raise ResourceLimitError(
            f"a symbol's name is {len(name)} characters long (limit: {limits.MAX_INPUT_LENGTH})"
        )
    if not is_name(name):
        raise ParseError(f"{_shown(name)} is not a valid variable name")


def _check_float(node: Any) -> None:
    _, mantissa, exponent, bits = node._mpf_
    if node._prec > MAX_FLOAT_BITS:
        raise ResourceLimitError(
            f"a decimal number in the formula has {node._prec} bits of precision "
            f"(limit: {MAX_FLOAT_BITS})"
        )
    if mantissa and abs(exponent + bits) > MAX_FLOAT_EXPONENT_BITS:
        raise ResourceLimitError(
            f"a decimal number in the formula is too large or too small "
            f"(limit: 2**±{MAX_FLOAT_EXPONENT_BITS})"
        )


def check_expression(expr: Any) -> None:
    """Refuse a SymPy expression that formula text could not have made.

    Raises :class:`~symgrad.errors.ParseError` (or its
    :class:`~symgrad.errors.UnknownFunctionError`) for a class or symbol name
    the grammar does not make, and :class:`~symgrad.errors.ResourceLimitError`
    for a tree or number beyond the parser's limits.
    """
    import sympy as sp

    if type(expr) in _number_classes():  # a point's value: no tree to walk
        if isinstance(expr, sp.Float):
            _check_float(expr)
        limits.check_numbers(expr, "a number in the formula")
        return
    allowed = _allowed_classes()  # (made once, 0.1 s: it builds every function of the table)
    count = 0
    stack = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ResourceLimitError(f"formula has more than {MAX_NODES} parts")
        if depth > MAX_TREE_DEPTH:
            raise ResourceLimitError(f"formula is nested more than {MAX_TREE_DEPTH} levels deep")
        kind = type(node)
        if kind not in allowed:
            raise _refuse(node)
        if kind is sp.Symbol:
            _check_symbol(node)
        elif kind is sp.Float:
            _check_float(node)
        stack.extend((arg, depth + 1) for arg in node.args)
    limits.check_numbers(expr, "a number in the formula")


def symbols_by_name(exprs: Iterable[Any]) -> dict[str, Any]:
    """The free symbols of ``exprs`` by name; two different symbols of one name are refused.

    SymPy tells ``Symbol("x")`` from ``Symbol("x", real=True)``; a job that
    held both would differentiate by one and treat the other as a constant.
    """
    found: dict[str, Any] = {}
    for expr in exprs:
        for sym in sorted(expr.free_symbols, key=lambda s: s.name):
            other = found.setdefault(sym.name, sym)
            if other != sym:
                raise ParseError(
                    f"two different symbols are named {_shown(sym.name)} "
                    "(SymPy tells symbols apart by their assumptions, such as real=True)"
                )
    return found
