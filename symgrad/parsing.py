"""Safe parsing: formula text -> SymPy expression, without ``eval``.

The text is split into tokens by a small regular-expression tokenizer and
read by a precedence-climbing parser that builds SymPy objects directly from
an allow-list: numbers, names, ``+ - * / ** ^``, signs, parentheses and calls
of known functions. Nothing else is accepted, so no input can reach Python's
``eval``/``exec``, SymPy's ``sympify`` or ``parse_expr``.

Beyond Python syntax the parser accepts ``^`` for power, implicit
multiplication after a number, a closing parenthesis or a superscript
(``2x``, ``3(x+1)``, ``(x+1)(x-1)``, ``2sin(x)``, ``x²y``) and a few unicode
forms (``π``, ``∞``, ``√``, ``²``, ``⁻¹``, ``·``, ``×``, ``÷``, ``−``).
Sums and products are built flat, in one SymPy call each, and nesting is
bounded, so long inputs neither recurse deeply nor run quadratically.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import limits
from .errors import ParseError, ResourceLimitError, UnknownFunctionError, VariableError

if TYPE_CHECKING:
    import sympy as sp

__all__ = [
    "CONSTANT_NAMES",
    "FUNCTION_NAMES",
    "Parsed",
    "natural_key",
    "parse",
    "parse_expression",
    "parse_names",
    "parse_point",
    "parse_value",
]

# ---------------------------------------------------------------------------
# Tokens

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_VALUE = {ch: str(i) for i, ch in enumerate(_SUPERSCRIPTS)}

#: Unicode spellings of operators, mapped to the ASCII operator they mean.
_OPERATOR_ALIASES = {
    "−": "-",  # minus sign
    "–": "-",  # en dash, as pasted from documents
    "·": "*",
    "⋅": "*",
    "×": "*",
    "∗": "*",
    "÷": "/",
}

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<sup>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)
  | (?P<uconst>[π∞])
  | (?P<name>(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹])[^\W\d])(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹])\w)*)
  | (?P<op>\*\*|[-+*/^(),√−–·⋅×∗÷])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # number, sup, uconst, name, op, end
    text: str  # normalised text (operators in ASCII)
    col: int  # column in the original string


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            ch = text[pos]
            hint = ""
            if ch in "\"'":
                hint = " (strings are not part of a formula)"
            elif ch == ".":
                hint = " (attribute access is not part of a formula)"
            elif ch in "[]{}":
                hint = " (use parentheses for grouping)"
            elif ch == "=":
                hint = " (give a formula, not an equation)"
            raise ParseError(f"unexpected character {ch!r}{hint}", text, pos)
        kind = match.lastgroup
        assert kind is not None
        value = match.group()
        if kind != "ws":
            if kind == "op":
                value = _OPERATOR_ALIASES.get(value, value)
            tokens.append(_Token(kind, value, pos))
        pos = match.end()
    tokens.append(_Token("end", "", n))
    return tokens


# ---------------------------------------------------------------------------
# Names: constants and functions

#: Names read as constants unless listed in ``symbols``.
CONSTANT_NAMES = ("pi", "E", "I", "oo")


def _constant(name: str) -> sp.Expr:
    import sympy as sp

    return {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo}[name]


def _guarded_factorial(x: Any) -> Any:
    import sympy as sp

    limits.check_factorial("factorial", x)
    return sp.factorial(x)


def _guarded_gamma(x: Any) -> Any:
    import sympy as sp

    limits.check_factorial("gamma", x)
    return sp.gamma(x)


def _guarded_gamma_family(name: str) -> Callable[[Any], Any]:
    """loggamma, digamma: exact values at big rationals need a huge factorial or sum."""

    def build(x: Any) -> Any:
        import sympy as sp

        limits.check_factorial(name, x)
        return getattr(sp, name)(x)

    build.__name__ = name
    return build


def _sqrt(x: Any) -> Any:
    import sympy as sp

    return power(x, sp.S.Half)


def _cbrt(x: Any) -> Any:
    import sympy as sp

    return power(x, sp.Rational(1, 3))


def _abs(x: Any) -> Any:
    import sympy as sp

    limits.check_abs(x)
    return sp.Abs(x)


def _exp(x: Any) -> Any:
    import sympy as sp

    limits.check_exp(x)
    return sp.exp(x)


def _guarded_binomial(n: Any, k: Any) -> Any:
    import sympy as sp

    limits.check_binomial(n, k)
    return sp.binomial(n, k)


def _log(x: Any, base: Any = None) -> Any:
    import sympy as sp

    return sp.log(x) if base is None else sp.log(x, base)


def _root(x: Any, n: Any) -> Any:
    import sympy as sp

    return power(x, sp.Integer(1) / n)


def _hypot(x: Any, y: Any) -> Any:
    import sympy as sp

    return power(power(x, sp.Integer(2)) + power(y, sp.Integer(2)), sp.S.Half)


def _sympy_function(name: str) -> Callable[..., Any]:
    def build(*args: Any) -> Any:
        import sympy as sp

        return getattr(sp, name)(*args)

    build.__name__ = name
    return build


@dataclass(frozen=True)
class _Function:
    build: Callable[..., Any]
    min_args: int = 1
    max_args: int | None = 1  # None: any number


def _function_table() -> dict[str, _Function]:
    one_arg = (
        "sin cos tan cot sec csc asin acos atan acot asec acsc "
        "sinh cosh tanh coth sech csch asinh acosh atanh acoth asech acsch "
        "sign erf erfc erfi erfinv "
        "sinc re im conjugate"
    ).split()
    table = {name: _Function(_sympy_function(name)) for name in one_arg}
    table.update(
        {
            "log": _Function(_log, 1, 2),
            "factorial": _Function(_guarded_factorial),
            "gamma": _Function(_guarded_gamma),
            "loggamma": _Function(_guarded_gamma_family("loggamma")),
            "digamma": _Function(_guarded_gamma_family("digamma")),
            "exp": _Function(_exp),
            "Abs": _Function(_abs),
            "sqrt": _Function(_sqrt),
            "cbrt": _Function(_cbrt),
            "binomial": _Function(_guarded_binomial, 2, 2),
            "beta": _Function(_sympy_function("beta"), 2, 2),
            "Heaviside": _Function(_sympy_function("Heaviside"), 1, 2),
            "DiracDelta": _Function(_sympy_function("DiracDelta"), 1, 1),
            "Max": _Function(_sympy_function("Max"), 1, None),
            "Min": _Function(_sympy_function("Min"), 1, None),
            "atan2": _Function(_sympy_function("atan2"), 2, 2),
            "root": _Function(_root, 2, 2),
            "hypot": _Function(_hypot, 2, 2),
        }
    )
    aliases = {
        "ln": "log",
        "abs": "Abs",
        "arcsin": "asin",
        "arccos": "acos",
        "arctan": "atan",
        "arcsinh": "asinh",
        "arccosh": "acosh",
        "arctanh": "atanh",
        "arctan2": "atan2",
        "max": "Max",
        "min": "Min",
    }
    for alias, target in aliases.items():
        table[alias] = table[target]

    def log_base(base: int) -> _Function:
        def build(x: Any) -> Any:
            import sympy as sp

            return sp.log(x, sp.Integer(base))

        return _Function(build)

    table["log10"] = log_base(10)
    table["log2"] = log_base(2)
    return table


_FUNCTIONS = _function_table()
#: Every function name the parser knows (aliases included).
FUNCTION_NAMES = tuple(sorted(_FUNCTIONS, key=str.lower))


# ---------------------------------------------------------------------------
# Guarded construction


def power(base: Any, exp: Any) -> Any:
    """``base**exp``, refusing exact numbers too large to build."""
    limits.check_power(base, exp)
    return base**exp


# ---------------------------------------------------------------------------
# The parser


@dataclass
class _Parser:
    text: str
    real: bool
    symbol_names: frozenset[str]
    tokens: list[_Token] = field(default_factory=list)
    pos: int = 0
    depth: int = 0
    constants_used: set[str] = field(default_factory=set)
    symbols: dict[str, Any] = field(default_factory=dict)

    # -- helpers --------------------------------------------------------
    @property
    def tok(self) -> _Token:
        return self.tokens[self.pos]

    def advance(self) -> _Token:
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

    def _hint(self, tok: _Token) -> str:
        """What the writer of ``sin x`` or ``x y`` most likely meant."""
        before = self.tokens[self.pos - 1] if self.pos else None
        if before is None or before.kind != "name" or tok.kind not in ("name", "number"):
            return ""
        if before.text in _FUNCTIONS:
            return f" (to apply {before.text}, write {before.text}({tok.text}))"
        return f" (for a product, write {before.text}*{tok.text})"

    def enter(self) -> None:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            raise ResourceLimitError(
                f"formula is nested more than {limits.MAX_DEPTH} levels deep"
            )

    def leave(self) -> None:
        self.depth -= 1

    # -- grammar --------------------------------------------------------
    def parse(self) -> Any:
        self.tokens = _tokenize(self.text)
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

    def _implicit_follows(self, previous: _Token) -> bool:
        """Implicit multiplication: after a number, ')', π or a superscript."""
        tok = self.tok
        if tok.kind == "number":
            return previous.kind == "op" and previous.text == ")"
        if not (tok.kind in ("name", "uconst") or (tok.kind == "op" and tok.text in ("(", "√"))):
            return False
        if previous.kind in ("number", "uconst", "sup"):
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
                factors.append(power(self.unary(), sp.S.NegativeOne))
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
        base = self.postfix()
        if self.tok.kind == "op" and self.tok.text in ("**", "^"):
            self.advance()
            self.enter()
            exp = self.unary()
            self.leave()
            return power(base, exp)
        return base

    def postfix(self) -> Any:
        import sympy as sp

        expr = self.atom()
        while self.tok.kind == "sup":
            digits = "".join(_SUPERSCRIPT_VALUE.get(ch, "-") for ch in self.advance().text)
            if len(digits) > 3000:
                raise ResourceLimitError(
                    f"superscript exponent with {len(digits)} digits is too long (limit: 3000)"
                )
            expr = power(expr, sp.Integer(int(digits)))
        return expr

    def atom(self) -> Any:
        tok = self.tok
        if tok.kind == "number":
            self.advance()
            return self.number(tok)
        if tok.kind == "uconst":
            self.advance()
            name = "pi" if tok.text == "π" else "oo"
            self.constants_used.add(name)
            return _constant(name)
        if tok.kind == "name":
            self.advance()
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.call(tok)
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

    def number(self, tok: _Token) -> Any:
        import sympy as sp

        text = tok.text
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

    def name(self, tok: _Token) -> Any:
        import sympy as sp

        name = tok.text
        if name.startswith("__"):
            raise self.error(f"names may not start with '__': {name!r}", tok.col)
        if name in CONSTANT_NAMES and name not in self.symbol_names:
            self.constants_used.add(name)
            return _constant(name)
        symbol = self.symbols.get(name)
        if symbol is None:
            symbol = sp.Symbol(name, real=True) if self.real else sp.Symbol(name)
            self.symbols[name] = symbol
        return symbol

    def call(self, tok: _Token) -> Any:
        name = tok.text
        if name in CONSTANT_NAMES and name not in self.symbol_names:
            raise self.error(
                f"{name!r} is a constant, not a function; write {name}*(...) to multiply",
                tok.col,
            )
        function = _FUNCTIONS.get(name)
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
        low, high = function.min_args, function.max_args
        if len(args) < low or (high is not None and len(args) > high):
            if high is None:
                wanted = f"at least {low}"
            elif low == high:
                wanted = str(low)
            else:
                wanted = f"{low} to {high}"
            plural = "" if wanted in ("1", "at least 1") else "s"
            raise self.error(
                f"{name}() takes {wanted} argument{plural}, got {len(args)}", tok.col
            )
        try:
            return function.build(*args)
        except (ValueError, TypeError, ArithmeticError) as err:
            # SymPy refuses some arguments, e.g. Max(I, 1) or Heaviside(I).
            detail = " ".join(str(err).split()) or type(err).__name__
            if len(detail) > 200:
                detail = detail[:197] + "..."
            raise self.error(f"{name}() cannot take these arguments: {detail}", tok.col) from None


def _check_length(text: str, what: str = "formula") -> None:
    if len(text) > limits.MAX_INPUT_LENGTH:
        raise ResourceLimitError(
            f"{what} is {len(text)} characters long (limit: {limits.MAX_INPUT_LENGTH})"
        )


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
    return _parse_one(text, real=real, symbol_names=_symbol_names(symbols))[0]


def _parse_one(text: str, *, real: bool, symbol_names: frozenset[str]) -> tuple[Any, set[str]]:
    if not isinstance(text, str):
        raise TypeError(f"expected formula text, got {type(text).__name__}")
    _check_length(text)
    parser = _Parser(text, real, symbol_names)
    try:
        expr = parser.parse()
    except RecursionError:
        raise ResourceLimitError("formula is nested too deeply") from None
    limits.check_numbers(expr, "a number in the formula")
    return expr, parser.constants_used


_NAME_RE = re.compile(r"^(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹])[^\W\d])(?:(?![π⁰¹²³⁴⁵⁶⁷⁸⁹])\w)*$")


def parse_names(names: str | Iterable[str], option: str = "--wrt") -> tuple[str, ...]:
    """Split ``"x,y,z"`` into names, checking each and refusing repeats."""
    items = names.split(",") if isinstance(names, str) else [str(n) for n in names]
    result: list[str] = []
    for raw in items:
        name = raw.strip()
        if not name:
            raise VariableError(f"{option}: empty name in {names!r}")
        if not _NAME_RE.match(name) or name.startswith("__"):
            raise VariableError(f"{option}: {name!r} is not a valid variable name")
        if name in result:
            raise VariableError(f"{option}: {name!r} is given twice")
        result.append(name)
    return tuple(result)


def natural_key(name: str) -> tuple[Any, ...]:
    """Sort key putting ``x2`` before ``x10`` (and ``x01`` before ``x1``: no ties)."""
    parts = re.split(r"(\d+)", name)
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in parts if p)


@dataclass(frozen=True)
class Parsed:
    """One job's formulas, their variables (in order) and parameters."""

    sources: tuple[str, ...]
    exprs: tuple[Any, ...]
    variables: tuple[Any, ...]
    parameters: tuple[Any, ...]
    constants: tuple[str, ...] = ()
    real: bool = True

    @property
    def symbols(self) -> tuple[Any, ...]:
        """Every free symbol: variables, then parameters."""
        return self.variables + self.parameters


def parse(
    *formulas: str | sp.Expr,
    wrt: str | Sequence[Any] | None = None,
    symbols: str | Iterable[str] = (),
    real: bool = True,
) -> Parsed:
    """Parse one or more formulas (a vector function) for differentiation.

    ``wrt`` names the variables, in order; every other free symbol is a
    parameter. Without it, all free symbols are variables in natural order.
    Already-built SymPy expressions are accepted as they are.

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
    for number, formula in enumerate(formulas, start=1):
        if isinstance(formula, sp.Basic):
            exprs.append(formula)
            sources.append(str(formula))
            continue
        if len(formulas) > 1 and not formula.strip():
            raise ParseError(f"formula {number} of {len(formulas)} is empty")
        expr, used = _parse_one(formula, real=real, symbol_names=symbol_names)
        exprs.append(expr)
        sources.append(formula.strip())
        constants |= used
    free: dict[str, Any] = {}
    for expr in exprs:
        for sym in expr.free_symbols:
            free.setdefault(sym.name, sym)
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
    parameters = tuple(free[name] for name in sorted(free, key=natural_key) if name not in chosen)
    return Parsed(
        sources=tuple(sources),
        exprs=tuple(exprs),
        variables=variables,
        parameters=parameters,
        constants=tuple(sorted(constants)),
        real=real,
    )


def parse_value(text: str, name: str = "value") -> sp.Expr:
    """Parse a point value: an exact number (``pi/4``) or a decimal (``1e-3``).

    The value must be a finite real number; anything else raises
    :class:`~symgrad.errors.PointError` naming ``name``.
    """
    from .errors import PointError

    text = text.strip()
    if not text:
        raise PointError(f"no value given for {name}")
    _check_length(text, f"value of {name}")
    try:
        value, _ = _parse_one(text, real=True, symbol_names=frozenset())
    except ParseError as err:
        raise PointError(f"value of {name} is not a number: {text!r} ({err.message})") from None
    if value.free_symbols:
        raise PointError(f"value of {name} is not a finite real number: {text!r}")
    if not _is_finite_real(value):
        raise PointError(f"value of {name} is not a finite real number: {text!r}")
    return value


def _is_finite_real(value: Any) -> bool:
    import sympy as sp

    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    if value.is_extended_real is False or value.is_finite is False:
        return False
    # Finite in SymPy is not enough: the point is also echoed, and evaluated
    # in floating point, as a double, so 1e400 (or 10**400) is out of range.
    try:
        number = complex(value.evalf(30))
    except (TypeError, ValueError, OverflowError):
        return False
    import math

    return number.imag == 0 and math.isfinite(number.real)


def parse_point(text: str, option: str = "--at") -> dict[str, str]:
    """Split ``"x=1,y=atan2(1,2)"`` into ``{"x": "1", "y": "atan2(1,2)"}``.

    Commas inside parentheses belong to the value. Names are checked and a
    repeated name is an error; messages name ``option``.
    """
    items: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    point: dict[str, str] = {}
    for item in items:
        if not item.strip():
            raise VariableError(f"{option}: empty entry in {text!r}")
        if "=" not in item:
            raise VariableError(f"{option}: expected name=value, got {item.strip()!r}")
        raw_name, value = item.split("=", 1)
        (name,) = parse_names(raw_name.strip(), option)
        if name in point:
            raise VariableError(f"{option}: {name!r} is given twice")
        point[name] = value.strip()
    return point
