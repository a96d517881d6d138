"""The grammar: a precedence-climbing parser that builds SymPy objects directly.

:class:`Parser` reads the tokens of :mod:`symgrad.parsing.tokens`: sums of
products of signed powers of atoms (numbers, names, constants, calls of
:data:`~symgrad.parsing.functions.FUNCTIONS`, parenthesised sums), with
``^`` for power, superscripts and implicit multiplication after a number, a
closing parenthesis, π or a superscript. Sums and products are built flat,
in one SymPy call each, and nesting is bounded (:data:`limits.MAX_DEPTH`).
:func:`parse_one` is the whole pipeline for one formula.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import limits
from ..errors import ParseError, ResourceLimitError, UnknownFunctionError
from .functions import CONSTANT_NAMES, FUNCTION_NAMES, FUNCTIONS, constant, power
from .tokens import SUPERSCRIPT_VALUE, Token, fraction_value, tokenize

__all__ = [
    "E_AS_BASE", "DivisionByZeroError", "Parser", "build_call", "check_depth", "check_divisor", "check_length",
    "check_raised", "guarded_parse", "number_literal", "parse_one",
]

#: The warning for ``e^x``, ``e**(x*y)``, ``e²``: the variable e where Euler's number is likely meant.
E_AS_BASE = "e is a variable here; for Euler's number write E or exp(...)"


class DivisionByZeroError(ParseError):
    """The formula divides by an exact zero (``x/0``, ``1/(2-2)``, ``0^-1``): it is undefined."""


@dataclass
class Parser:
    """Reads one formula's tokens into a SymPy expression (one method per rule)."""

    text: str
    real: bool
    symbol_names: frozenset[str]
    tokens: list[Token] = field(default_factory=list)
    pos: int = 0
    depth: int = 0
    constants_used: set[str] = field(default_factory=set)
    #: Notes for the user about how the formula was read (``e^x``: e is a variable).
    warnings: list[str] = field(default_factory=list)
    symbols: dict[str, Any] = field(default_factory=dict)

    # -- helpers --------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, message: str, col: int | None = None) -> ParseError:
        return ParseError(message, self.text, self.tok.col if col is None else col)

    def unexpected(self) -> ParseError:
        tok = self.tok
        if tok.kind == "end":
            return self.error("unexpected end of formula")
        if tok.text == ")":
            return self.error("unmatched ')'")
        return self.error(f"unexpected {tok.text!r}{self._hint(tok)}")

    def _hint(self, tok: Token) -> str:
        """What the writer of ``sin x`` or ``x y`` most likely meant."""
        before = self.tokens[self.pos - 1] if self.pos else None
        if before is None or before.kind != "name" or tok.kind not in ("name", "number"):
            return ""
        if before.text in FUNCTIONS:
            return f" (to apply {before.text}, write {before.text}({tok.text}))"
        return f" (for a product, write {before.text}*{tok.text})"

    def enter(self) -> None:
        self.depth += 1
        check_depth(self.depth)

    def leave(self) -> None:
        self.depth -= 1

    # -- grammar --------------------------------------------------------
    def parse(self) -> Any:
        self.tokens = tokenize(self.text)
        if self.tok.kind == "end":
            raise ParseError("empty formula", self.text, 0)
        expr = self.sum()
        if self.tok.kind != "end":
            raise self.unexpected()
        return expr

    def sum(self) -> Any:
        import sympy as sp

        terms = [self.product()]
        while self.tok.text in ("+", "-") and self.tok.kind == "op":
            sign = self.advance().text
            term = self.product()
            terms.append(-term if sign == "-" else term)
        if len(terms) == 1:
            return terms[0]
        limits.check_sum(terms)
        return sp.Add(*terms)

    def _implicit_follows(self, previous: Token) -> bool:
        """Implicit multiplication: after a number, a fraction, ')', π or a superscript."""
        tok = self.tok
        if tok.kind == "fraction" and previous.kind == "number":
            raise self.error(
                f"a number and a fraction side by side are ambiguous; "
                f"write {previous.text}+{tok.text} or {previous.text}*{tok.text}"
            )
        if tok.kind in ("number", "fraction"):
            return previous.kind == "op" and previous.text == ")"
        if not (tok.kind in ("name", "symbol", "uconst") or (tok.kind == "op" and tok.text in ("(", "√"))):
            return False
        if previous.kind in ("number", "fraction", "uconst", "sup"):
            return True
        return previous.kind == "op" and previous.text == ")"

    def product(self) -> Any:
        import sympy as sp

        factors = [self.unary()]
        while True:
            tok = self.tok
            if tok.kind == "op" and tok.text == "*":
                self.advance()
                factors.append(self.unary())
            elif tok.kind == "op" and tok.text == "/":
                self.advance()
                col = self.tok.col
                divisor = self.unary()
                check_divisor(divisor, self.text, col)
                factors.append(power(divisor, sp.S.NegativeOne))
            elif self._implicit_follows(self.tokens[self.pos - 1]):
                factors.append(self.unary())
            else:
                break
        if len(factors) == 1:
            return factors[0]
        limits.check_product(factors)
        return sp.Mul(*factors)

    def unary(self) -> Any:
        import sympy as sp

        tok = self.tok
        if tok.kind == "op" and tok.text in ("-", "+", "√"):
            self.advance()
            self.enter()
            operand = self.unary()
            self.leave()
            if tok.text == "-":
                return -operand
            if tok.text == "√":
                return power(operand, sp.S.Half)
            return operand
        return self.power()

    def power(self) -> Any:
        start = self.tok
        base = self.postfix()
        if self.tok.kind == "op" and self.tok.text in ("**", "^"):
            self.note_base(start)
            self.advance()
            self.enter()
            exp = self.unary()
            self.leave()
            return self.raised(base, exp, start.col)
        return base

    def raised(self, base: Any, exp: Any, col: int) -> Any:
        """``base**exp``, refusing zero to a negative power (a division by zero)."""
        check_raised(base, exp, self.text, col)
        return power(base, exp)

    def note_base(self, tok: Token) -> None:
        """Warn once when the variable ``e`` is raised to a power, as Euler's number would be."""
        if tok.kind != "name" or tok.text != "e" or self.tokens[self.pos - 1] is not tok:
            return
        if E_AS_BASE not in self.warnings:
            self.warnings.append(E_AS_BASE)

    def postfix(self) -> Any:
        start = self.tok
        expr = self.atom()
        while self.tok.kind == "sup":
            self.note_base(start)
            expr = self.raised(expr, self.superscript(), start.col)
        return expr

    def superscript(self) -> Any:
        import sympy as sp

        digits = "".join(SUPERSCRIPT_VALUE.get(ch, "-") for ch in self.advance().text)
        if len(digits) > 3000:
            raise ResourceLimitError(
                f"superscript exponent with {len(digits)} digits is too long (limit: 3000)"
            )
        return sp.Integer(int(digits))

    def atom(self) -> Any:
        tok = self.tok
        if tok.kind == "number":
            self.advance()
            return self.number(tok)
        if tok.kind == "fraction":
            import sympy as sp

            self.advance()
            value = fraction_value(tok.text)
            return sp.Rational(value.numerator, value.denominator)
        if tok.kind == "uconst":
            self.advance()
            name = "pi" if tok.text == "π" else "oo"
            self.constants_used.add(name)
            return constant(name)
        if tok.kind == "symbol":  # Symbol('lambda'): always a variable, even E, I, pi or oo
            self.advance()
            return self.name(tok, variable=True)
        if tok.kind == "name":
            self.advance()
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.call(tok)
            raised = self.tok.kind == "sup" or (self.tok.kind == "op" and self.tok.text in ("**", "^"))
            if raised and tok.text in FUNCTIONS and tok.text not in CONSTANT_NAMES:
                return self.function_power(tok)
            return self.name(tok)
        if tok.kind == "op" and tok.text == "(":
            self.advance()
            self.enter()
            expr = self.sum()
            self.leave()
            if not (self.tok.kind == "op" and self.tok.text == ")"):
                if self.tok.kind == "end":
                    raise self.error("'(' was never closed", tok.col)
                raise self.unexpected()
            self.advance()
            return expr
        if tok.kind == "sup":
            raise self.error("a superscript must follow what it raises to a power")
        raise self.unexpected()

    def function_power(self, tok: Token) -> Any:
        """``sin^2(x)``, ``sin**2(x)``, ``sin²(x)``: textbook notation for ``sin(x)**2``.

        The exponent must be a positive integer; ``sin^-1(x)`` (the inverse, or
        ``1/sin(x)``?) is refused, and so is ``sin^2 x``. A function's name raised
        to a power with nothing to apply it to (``sin^2 + 1``) is a variable, as before.
        """
        name = tok.text
        if self.tok.kind == "sup":
            exp = self.superscript()
        else:
            self.advance()
            power, after_power = self.tok, self.tokens[min(self.pos + 1, len(self.tokens) - 1)]
            if power.kind == "name" and power.text not in FUNCTIONS and after_power.text == "(":
                # sin^x(y): not a call of a function x, but a power of sin that is no number
                raise self.error(
                    f"a power written on a function's name must be a positive integer; "
                    f"write {name}(...)^{power.text}",
                    power.col,
                )
            self.enter()
            exp = self.unary()
            self.leave()
        after = self.tok
        if not (after.kind == "op" and after.text == "("):
            if after.kind in ("name", "number", "fraction", "uconst") or after.text == "√":
                raise self.error(
                    f"to apply {name}, write {name}^{exp}({after.text}) or {name}({after.text})^{exp}",
                    after.col,
                )
            return self.raised(self.name(tok), exp, tok.col)
        if not (exp.is_Integer and exp.is_positive):
            if exp.is_Number and exp.is_negative:
                inverse = f"a{name}(...) for the inverse function or " if f"a{name}" in FUNCTIONS else ""
                raise self.error(
                    f"{name} to a negative power is ambiguous; write {inverse}"
                    f"{name}(...)^({exp}) for the power",
                    tok.col,
                )
            raise self.error(
                f"a power written on a function's name must be a positive integer; "
                f"write {name}(...)^({exp})",
                tok.col,
            )
        return self.raised(self.call(tok), exp, tok.col)

    def number(self, tok: Token) -> Any:
        return number_literal(tok.text)

    def name(self, tok: Token, variable: bool = False) -> Any:
        import sympy as sp

        name = tok.text
        if name.startswith("__"):
            raise self.error(f"names may not start with '__': {name!r}", tok.col)
        if name in CONSTANT_NAMES and name not in self.symbol_names and not variable:
            self.constants_used.add(name)
            return constant(name)
        symbol = self.symbols.get(name)
        if symbol is None:
            symbol = sp.Symbol(name, real=True) if self.real else sp.Symbol(name)
            self.symbols[name] = symbol
        return symbol

    def call(self, tok: Token) -> Any:
        name = tok.text
        if name in CONSTANT_NAMES and name not in self.symbol_names:
            raise self.error(
                f"{name!r} is a constant, not a function; write {name}*(...) to multiply",
                tok.col,
            )
        function = FUNCTIONS.get(name)
        if function is None:
            import difflib  # only for this message: not at start-up

            close = difflib.get_close_matches(name, FUNCTION_NAMES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UnknownFunctionError(f"unknown function {name!r}{hint}", self.text, tok.col)
        self.advance()  # '('
        self.enter()
        args = []
        if not (self.tok.kind == "op" and self.tok.text == ")"):
            args.append(self.sum())
            while self.tok.kind == "op" and self.tok.text == ",":
                self.advance()
                args.append(self.sum())
        self.leave()
        if not (self.tok.kind == "op" and self.tok.text == ")"):
            if self.tok.kind == "end":
                raise self.error(f"'(' of {name}( was never closed", tok.col + len(name))
            raise self.unexpected()
        self.advance()
        return build_call(f"{name}()", function, args, lambda message: self.error(message, tok.col))


# -- the guards, shared with the LaTeX reader (symgrad.parsing.latex_input) ----------


def check_depth(depth: int) -> None:
    """Refuse nesting deeper than :data:`limits.MAX_DEPTH`."""
    if depth > limits.MAX_DEPTH:
        raise ResourceLimitError(
            f"formula is nested more than {limits.MAX_DEPTH} levels deep"
        )


def _is_zero(value: Any) -> bool:
    """An exact (or float) number zero: dividing by it is undefined."""
    return bool(getattr(value, "is_Number", False) and value.is_zero)


def check_divisor(divisor: Any, text: str, col: int) -> None:
    """Refuse dividing by an exact (or float) zero: ``x/0``, ``1/(2-2)``."""
    if _is_zero(divisor):
        raise DivisionByZeroError("division by zero: the formula is undefined", text, col)


def check_raised(base: Any, exp: Any, text: str, col: int) -> None:
    """Refuse zero to a negative power (a division by zero)."""
    if _is_zero(base) and exp.is_Number and exp.is_negative:
        raise DivisionByZeroError("division by zero: the formula is undefined", text, col)


def number_literal(text: str) -> Any:
    """An integer (exact) or decimal literal, refusing one too long or with a huge exponent."""
    import sympy as sp

    if all(ch.isdigit() for ch in text):
        if len(text) > 3000:
            raise ResourceLimitError(
                f"integer literal with {len(text)} digits is too long (limit: 3000)"
            )
        return sp.Integer(int(text))
    if len(text) > 3000:
        raise ResourceLimitError("number literal is too long (limit: 3000 characters)")
    _, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > limits.MAX_DECIMAL_EXPONENT:
        # SymPy builds the exact value 10**exponent first.
        raise ResourceLimitError(
            f"exponent of {text} is too large (limit: {limits.MAX_DECIMAL_EXPONENT})"
        )
    return sp.Float(text)


def build_call(shown: str, function: Any, args: list[Any], error: Callable[[str], ParseError]) -> Any:
    """``function`` applied to ``args``: the number of arguments checked, SymPy's refusal of
    them (``Max(I, 1)``, ``Heaviside(I)``) made ``error(message)``, with ``shown`` the call's name."""
    low, high = function.min_args, function.max_args
    if len(args) < low or (high is not None and len(args) > high):
        if high is None:
            wanted = f"at least {low}"
        elif low == high:
            wanted = str(low)
        else:
            wanted = f"{low} to {high}"
        plural = "" if wanted in ("1", "at least 1") else "s"
        raise error(f"{shown} takes {wanted} argument{plural}, got {len(args)}")
    try:
        return function.build(*args)
    except (ValueError, TypeError, ArithmeticError) as err:
        detail = " ".join(str(err).split()).removeprefix("Error:").strip() or type(err).__name__  # SymPy's own prefix
        if len(detail) > 200:
            detail = detail[:197] + "..."
        raise error(f"{shown} cannot take these arguments: {detail}") from None


def check_length(text: str, what: str = "formula") -> None:
    if len(text) > limits.MAX_INPUT_LENGTH:
        raise ResourceLimitError(
            f"{what} is {len(text)} characters long (limit: {limits.MAX_INPUT_LENGTH})"
        )


class _Reader(Protocol):
    constants_used: set[str]
    warnings: list[str]

    def parse(self) -> Any: ...


def guarded_parse(text: object, make: Callable[[str], _Reader]) -> tuple[Any, set[str], list[str]]:
    """Read ``text`` with the parser ``make(text)`` inside the guards every reader has: text
    only, its length, Python's own recursion limit, the size of the exact numbers read."""
    if not isinstance(text, str):
        raise TypeError(f"expected formula text, got {type(text).__name__}")
    check_length(text)
    parser = make(text)
    try:
        expr = parser.parse()
    except RecursionError:
        raise ResourceLimitError("formula is nested too deeply") from None
    limits.check_numbers(expr, "a number in the formula")
    return expr, parser.constants_used, parser.warnings


def parse_one(
    text: str, *, real: bool, symbol_names: frozenset[str]
) -> tuple[Any, set[str], list[str]]:
    """One formula's expression, the constant names it used and warnings about its reading."""
    return guarded_parse(text, lambda checked: Parser(checked, real, symbol_names))
