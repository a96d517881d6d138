r"""LaTeX input: formulas as papers typeset them, read without ``eval``.

A small recursive-descent parser over a regular-expression tokenizer, in the
manner of :mod:`~symgrad.parsing.grammar`: it builds SymPy objects directly,
calls only the functions of :data:`~symgrad.parsing.functions.FUNCTIONS`
(the same allow-list, the same guarded constructors) and checks the same
size limits (:mod:`symgrad.limits`: length, nesting, exact numbers).

What it reads (the subset papers use; anything else is an error naming the
command, with a caret under it):

* numbers, ``+ - * /``, ``\cdot``, ``\times``, ``\div``, ``x^{2}``, ``x^2``
  (one token, as TeX reads it), ``n!``, implicit products (``2x``, ``x y``,
  ``xy`` is ``x*y``: one letter is one symbol, as in TeX), ``( )``,
  ``[ ]``, ``\{ \}``, ``{ }``, ``\left( \right)`` and the ``\big`` sizes,
  ``|x|``, ``\left| \right|``, ``\lvert \rvert`` (absolute value);
* ``\frac``, ``\dfrac``, ``\tfrac``, ``\sqrt{x}``, ``\sqrt[n]{x}``,
  ``\binom``;
* ``\sin`` ... ``\arctan``, ``\sinh`` ... ``\coth``, ``\exp``, ``\ln``,
  ``\log`` (natural, as SymPy prints it), ``\log_{b}``, ``\max``, ``\min``,
  ``\Gamma(x)``, ``\operatorname{name}`` and ``\mathrm{name}`` for a
  function of the table (``erf``, ``sign``, ``atan2``, and the names
  symgrad's LaTeX output uses: ``arsinh``, ``arcosh``, ``artanh``,
  ``arccot``, ``B`` for beta, ...); a function's argument in parentheses,
  in braces or bare (``\sin 2x`` is ``sin(2*x)``); ``\sin^{2} x``;
* names: letters, Greek letters (``\alpha`` is the symbol ``alpha``, as
  the text form writes it; ``\varepsilon``, ``\Omega``), subscripts
  (``x_1`` and ``x_{1}`` are ``x_1``, ``\sigma_{k}`` is ``sigma_k``,
  ``T_{\mathrm{max}}`` is ``T_max``), accents (``\dot{x}`` is ``xdot``,
  ``\hat{\theta}`` ``thetahat``), ``\mathit{name}`` for a longer name
  (``\mathit{x\_2}`` is ``x_2``);
* special functions as symgrad's LaTeX writes them (:data:`SPECIAL_OPERATORS`):
  ``\operatorname{J}_{\nu}(x)``, ``\operatorname{P}_{n}^{(a, b)}(x)``,
  ``\operatorname{\zeta}(s)``, ``\operatorname{F}(\phi \middle| m)``,
  ``{}_{2}\operatorname{F}_{1}(a, b; c; z)``, ``\operatorname{Ai}'(x)``, and
  ``\operatorname{DiracDelta}(x, k)``, its k-th derivative;
* constants: ``\pi``, ``e`` and ``\mathrm{e}`` (Euler's number: ``e^{x}``
  is ``exp(x)``; ``--symbols E`` makes ``e`` a variable), ``\mathrm{i}``
  (the imaginary unit; a bare ``i`` is a variable, often an index),
  ``\infty``;
* spacing (``\, \; \: \! \quad \qquad ~``, ``\displaystyle``) is ignored.

Refused with a reason: ``\mathrm{d}`` (a differential), ``\left.`` /
``\right|`` (an evaluation bar), ``=``, primes, sums, integrals, limits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import limits
from ..errors import ParseError, UnknownFunctionError
from .functions import FUNCTIONS, KnownFunction, constant, power
from .grammar import (
    DivisionByZeroError,
    build_call,
    check_depth,
    check_divisor,
    check_raised,
    guarded_parse,
    number_literal,
)

__all__ = ["LATEX_FUNCTION_ALIASES", "looks_like_latex", "parse_latex_one"]

#: Greek letters as symbols (their names without the backslash); ``\pi`` is the constant.
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda "
    "mu nu xi omicron rho varrho sigma varsigma tau upsilon phi varphi chi psi omega varpi "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)
#: Function commands of LaTeX, by the table name they stand for.
FUNCTION_COMMANDS = {
    **{name: name for name in "sin cos tan cot sec csc sinh cosh tanh coth exp log".split()},
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "ln": "log", "max": "Max", "min": "Min",
}
#: ``\operatorname{...}`` names that are not the table's own: symgrad's LaTeX output prints these.
LATEX_FUNCTION_ALIASES = {
    "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh", "arcoth": "acoth", "arsech": "asech",
    "arcsch": "acsch", "arccot": "acot", "arcsec": "asec", "arccsc": "acsc", "arcsinh": "asinh",
    "arccosh": "acosh", "arctanh": "atanh", "B": "beta", "sgn": "sign", "Gamma": "gamma",
}
#: symgrad's LaTeX of special functions (upright symbols, as ISO 80000-2 writes them):
#: (``\operatorname`` word, has a subscript, number of ``^{\left(...\right)}`` parameters) -> the
#: table's function. The arguments are the subscript, the parameters, then those in
#: parentheses (``;`` and ``\middle|`` separate groups there, as ``,`` does), except for
#: ``W_{k}(x)`` (``LambertW(x, k)``) and Appell's ``F_{1}`` (whose subscript is its name).
SPECIAL_OPERATORS = {
    ("J", True, 0): "besselj", ("Y", True, 0): "bessely", ("I", True, 0): "besseli", ("K", True, 0): "besselk",
    ("E", True, 0): "expint", ("Li", True, 0): "polylog", ("W", False, 0): "LambertW", ("W", True, 0): "LambertW",
    ("S", False, 0): "fresnels", ("C", False, 0): "fresnelc", ("Ai", False, 0): "airyai", ("Bi", False, 0): "airybi",
    ("Ai'", False, 0): "airyaiprime", ("Bi'", False, 0): "airybiprime", ("\u03b6", False, 0): "zeta",
    ("\u03b3", False, 0): "lowergamma", ("\u0393", False, 0): "uppergamma", ("K", False, 0): "elliptic_k",
    ("E", False, 0): "elliptic_e", ("F", False, 0): "elliptic_f", ("\u03a0", False, 0): "elliptic_pi",
    ("P", True, 0): "legendre", ("P", True, 1): "assoc_legendre", ("P", True, 2): "jacobi",
    ("H", True, 0): "hermite", ("He", True, 0): "hermite_prob", ("T", True, 0): "chebyshevt",
    ("U", True, 0): "chebyshevu", ("L", True, 0): "laguerre", ("L", True, 1): "assoc_laguerre",
    ("C", True, 1): "gegenbauer", ("F", True, 0): "appellf1",
}
#: The hypergeometric functions ``{}_{p}\operatorname{F}_{q}`` of the table, by (p, q).
HYPERGEOMETRIC = {(0, 1): "hyp0f1", (1, 1): "hyp1f1", (2, 1): "hyp2f1"}
_SPECIAL_WORDS = frozenset(word.rstrip("'") for word, _, _ in SPECIAL_OPERATORS)
#: Math accents on one letter inside ``\mathit{...}`` (``{\acute{e}}`` is ``é``): the combining characters.
COMBINING_ACCENTS = {
    "grave": "\u0300", "acute": "\u0301", "hat": "\u0302", "tilde": "\u0303", "bar": "\u0304",
    "breve": "\u0306", "dot": "\u0307", "ddot": "\u0308", "mathring": "\u030a", "check": "\u030c",
}
#: Accents on a one-letter name: ``\dot{x}`` is the symbol ``xdot`` (as SymPy spells it).
ACCENTS = frozenset("dot ddot hat bar tilde vec check breve acute grave mathring".split())
#: Tokens that only space or size things.
_IGNORED = frozenset(
    "displaystyle textstyle quad qquad big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr "
    "bigm Bigm left right".split()
)
_SPACES = frozenset(",;:! ")
_BARS = frozenset("lvert rvert vert".split())
_PAIRS = {"(": ")", "[": "]", "\\{": "\\}"}
_HINTS = {
    "partial": "derivatives", "int": "integrals", "sum": "sums", "prod": "products", "lim": "limits",
    "prime": "derivatives", "text": "text", "frac{d}": "derivatives",
}

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<cmd>\\[A-Za-z]+)
  | (?P<sym>\\[^A-Za-z])
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<letter>[^\W\d_])
  | (?P<op>[-+*/^_()\[\]{}|,;!=~'&])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Tok:
    kind: str  # cmd (text without the backslash), sym (\, \{ ...), num, letter, op, end
    text: str
    col: int


class _Args(tuple[Any, ...]):
    """``(a, b)``: arguments of a function, not a value."""


def looks_like_latex(text: str) -> bool:
    r"""Auto-detection: a LaTeX command (a backslash and a letter, as ``\frac`` or ``\sin``).

    Formula text never has a backslash, so this never takes text for LaTeX.
    """
    return re.search(r"\\[A-Za-z]", text) is not None


def _tokenize(text: str) -> list[Tok]:
    tokens: list[Tok] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise ParseError(f"unexpected character {text[pos]!r} in LaTeX", text, pos)
        kind = match.lastgroup
        assert kind is not None
        value = match.group()
        pos = match.end()
        if kind == "ws" or (kind == "op" and value == "~"):
            continue
        if kind == "cmd":
            value = value[1:]
            if value in ("left", "right"):
                after = _TOKEN_RE.match(text, pos)
                while after is not None and after.lastgroup == "ws":
                    after = _TOKEN_RE.match(text, after.end())
                if after is None or after.group() == "." or text.startswith(".", after.start()):
                    raise ParseError(
                        f"\\{value}. (an evaluation bar or a one-sided bracket) is not part of a formula",
                        text, match.start(),
                    )
            if value in _IGNORED:
                continue
        if kind == "sym":
            value = value[1:]
            if value in _SPACES:
                continue
        tokens.append(Tok(kind, value, match.start()))
    tokens.append(Tok("end", "", len(text)))
    return tokens


def _word_of(tok: Tok) -> str:
    if tok.kind == "cmd":
        return "\\" + tok.text
    if tok.kind == "sym":
        return "\\" + tok.text
    return tok.text


@dataclass
class LatexParser:
    """Reads one LaTeX formula's tokens into a SymPy expression."""

    text: str
    real: bool
    symbol_names: frozenset[str]
    tokens: list[Tok] = field(default_factory=list)
    pos: int = 0
    depth: int = 0
    bars: int = 0  # open |...| absolute values
    constants_used: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)  # none yet: the same shape as the text parser
    symbols: dict[str, Any] = field(default_factory=dict)

    # -- helpers --------------------------------------------------------
    @property
    def tok(self) -> Tok:
        return self.tokens[self.pos]

    def peek(self, ahead: int) -> Tok:
        """The token ``ahead`` places after the current one (the end, past it)."""
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Tok:
        tok = self.tokens[self.pos]
        if tok.kind != "end":
            self.pos += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def is_bar(self) -> bool:
        return self.at("op", "|") or (self.tok.kind == "cmd" and self.tok.text in _BARS)

    def error(self, message: str, col: int | None = None) -> ParseError:
        return ParseError(message, self.text, self.tok.col if col is None else col)

    def unexpected(self) -> ParseError:
        tok = self.tok
        if tok.kind == "end":
            return self.error("unexpected end of formula")
        if tok.kind == "op" and tok.text == "=":
            return self.error("unexpected '=' (give a formula, not an equation)")
        if tok.kind == "op" and tok.text == "'":
            return self.error("a prime (a derivative) is not part of a formula")
        if tok.kind == "op" and tok.text in ")]}" or tok.kind == "sym" and tok.text == "}":
            return self.error(f"unmatched {_word_of(tok)!r}")
        return self.error(f"unexpected {_word_of(tok)!r}")

    def expect(self, kind: str, text: str, opened: Tok) -> None:
        if self.at(kind, text):
            self.advance()
            return
        if self.tok.kind == "end":
            raise self.error(f"{_word_of(opened)!r} was never closed", opened.col)
        raise self.unexpected()

    def enter(self) -> None:
        self.depth += 1
        check_depth(self.depth)

    def leave(self) -> None:
        self.depth -= 1

    def value(self, expr: Any, col: int) -> Any:
        if isinstance(expr, _Args):
            raise self.error("a list in parentheses is only a function's arguments", col)
        return expr

    # -- grammar --------------------------------------------------------
    def parse(self) -> Any:
        self.tokens = _tokenize(self.text)
        if self.tok.kind == "end":
            raise ParseError("empty formula", self.text, 0)
        expr = self.sum()
        if self.tok.kind != "end":
            raise self.unexpected()
        return self.value(expr, 0)

    def sum(self) -> Any:
        import sympy as sp

        col = self.tok.col
        terms = [self.product()]
        while self.at("op", "+") or self.at("op", "-"):
            sign = self.advance().text
            term = self.product()
            terms.append(-term if sign == "-" else term)
        if len(terms) == 1:
            return terms[0]
        terms = [self.value(t, col) for t in terms]
        limits.check_sum(terms)
        return sp.Add(*terms)

    def starts_factor(self, in_argument: bool = False) -> bool:
        """Whether the next token begins an implicit factor (``2x``, ``x\\,y``, ``\\sigma\\sqrt{2\\pi}``)."""
        tok = self.tok
        if tok.kind in ("letter", "num"):
            return True
        if tok.kind == "op":
            return tok.text in "([{" or (tok.text == "|" and self.bars == 0)
        if tok.kind == "sym":
            return tok.text == "{"
        if tok.kind == "cmd":
            if tok.text in ("cdot", "times", "div", "middle"):
                return False
            if tok.text in _BARS:
                return tok.text != "rvert" and self.bars == 0
            # \sin x \cos y: in a bare argument, the second function starts a new factor
            return not (in_argument and (tok.text in FUNCTION_COMMANDS or tok.text in ("operatorname", "mathrm")))
        return False

    def product(self) -> Any:
        import sympy as sp

        col = self.tok.col
        factors = [self.unary()]
        while True:
            tok = self.tok
            if tok.kind == "op" and tok.text == "*" or tok.kind == "cmd" and tok.text in ("cdot", "times"):
                self.advance()
                factors.append(self.unary())
            elif tok.kind == "op" and tok.text == "/" or tok.kind == "cmd" and tok.text == "div":
                self.advance()
                at = self.tok.col
                factors.append(self.reciprocal(self.unary(), at))
            elif self.starts_factor():
                # 2 3, or x^23 (x^{2} 3 to TeX): the digits of the last of them were split off
                if tok.kind == "num" and (self.tokens[self.pos - 1].kind == "num" or self.text[tok.col - 1].isdigit()):
                    raise self.error("two numbers side by side are ambiguous; write \\cdot between them")
                factors.append(self.power())
            else:
                break
        if len(factors) == 1:
            return factors[0]
        factors = [self.value(f, col) for f in factors]
        limits.check_product(factors)
        return sp.Mul(*factors)

    def reciprocal(self, divisor: Any, col: int) -> Any:
        import sympy as sp

        divisor = self.value(divisor, col)
        check_divisor(divisor, self.text, col)
        return power(divisor, sp.S.NegativeOne)

    def unary(self) -> Any:
        if self.at("op", "-") or self.at("op", "+"):
            sign = self.advance()
            self.enter()
            operand = self.value(self.unary(), sign.col)
            self.leave()
            return -operand if sign.text == "-" else operand
        return self.power()

    def power(self) -> Any:
        start = self.tok
        base = self.postfix()
        if self.at("op", "^"):
            self.advance()
            self.enter()
            exp = self.script()
            self.leave()
            if self.at("op", "^"):
                raise self.error("a double superscript: put the power in braces, x^{a^{b}}")
            if self.at("op", "_"):
                raise self.error("write a subscript before the power: x_{1}^{2}")
            return self.raised(self.value(base, start.col), exp, start.col)
        return base

    def raised(self, base: Any, exp: Any, col: int) -> Any:
        check_raised(base, exp, self.text, col)
        return power(base, exp)

    def script(self) -> Any:
        """A superscript's (or ``\\frac``'s) argument: a group, or one token as TeX reads it."""
        tok = self.tok
        if tok.kind == "op" and tok.text == "{":
            return self.group()
        if tok.kind == "num":
            # TeX reads one digit: x^23 is x^2 3, \frac12 is 1/2
            if len(tok.text) == 1:
                return self.number(self.advance())
            # the other digits stay for what follows
            self.tokens[self.pos] = Tok("num", tok.text[1:], tok.col + 1)
            return self.number(Tok("num", tok.text[0], tok.col))
        if tok.kind == "op" and tok.text in "-+":
            raise self.error("put a signed exponent in braces: x^{-1}")
        if tok.kind in ("letter", "cmd"):
            return self.value(self.atom(), tok.col)
        raise self.unexpected()

    def group(self) -> Any:
        opened = self.advance()
        if self.at("op", "}"):
            raise self.error("empty braces {}", opened.col)
        self.enter()
        saved, self.bars = self.bars, 0
        expr = self.value(self.sum(), opened.col)
        self.bars = saved
        self.leave()
        self.expect("op", "}", opened)
        return expr

    def postfix(self) -> Any:
        start = self.tok
        expr = self.atom()
        while self.at("op", "!"):
            self.advance()
            function = FUNCTIONS["factorial"]
            expr = self.build("factorial", function, [self.value(expr, start.col)], start)
        return expr

    def atom(self) -> Any:
        tok = self.tok
        if tok.kind == "num":
            return self.number(self.advance())
        if tok.kind == "letter":
            self.advance()
            return self.letter(tok)
        if tok.kind == "op" and tok.text in "([":
            return self.parenthesised()
        if tok.kind == "op" and tok.text == "{":
            if self.peek(1).text == "}" and self.peek(2).text == "_":
                return self.hypergeometric()
            return self.group()
        if tok.kind == "sym" and tok.text == "{":
            return self.parenthesised()
        if self.is_bar():
            return self.absolute()
        if tok.kind == "cmd":
            return self.command()
        raise self.unexpected()

    def parenthesised(self) -> Any:
        """``( ... )``, ``[ ... ]`` or ``\\{ ... \\}``; with commas, a function's arguments."""
        opened = self.advance()
        key = "\\{" if opened.kind == "sym" else opened.text
        closing = _PAIRS[key]
        self.enter()
        saved, self.bars = self.bars, 0
        items = [self.sum()]
        while self.at("op", ","):
            self.advance()
            items.append(self.sum())
        self.bars = saved
        self.leave()
        if closing == "\\}":
            self.expect("sym", "}", opened)
        else:
            self.expect("op", closing, opened)
        items = [self.value(item, opened.col) for item in items]
        return items[0] if len(items) == 1 else _Args(items)

    def absolute(self) -> Any:
        opened = self.advance()
        self.enter()
        self.bars += 1
        inner = self.value(self.sum(), opened.col)
        self.bars -= 1
        self.leave()
        if not self.is_bar():
            if self.tok.kind == "end":
                raise self.error("'|' was never closed", opened.col)
            raise self.unexpected()
        self.advance()
        return self.build("Abs", FUNCTIONS["Abs"], [inner], opened)

    def number(self, tok: Tok) -> Any:
        return number_literal(tok.text)

    # -- names ----------------------------------------------------------
    def symbol(self, name: str, col: int) -> Any:
        import sympy as sp

        found = self.symbols.get(name)
        if found is None:
            from .values import is_name

            if not is_name(name):
                raise self.error(f"{name!r} is not a name a formula can have", col)
            found = sp.Symbol(name, real=True) if self.real else sp.Symbol(name)
            self.symbols[name] = found
        return found

    def subscript(self) -> str:
        """The text of a subscript name: ``x_1``, ``x_{12}``, ``\\sigma_{k}``, ``T_{\\mathrm{max}}``."""
        self.advance()  # _
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return tok.text
        if tok.kind == "letter":
            self.advance()
            return tok.text
        if tok.kind == "cmd" and tok.text in GREEK | {"pi"}:
            self.advance()
            return tok.text
        if not self.at("op", "{"):
            raise self.error("a subscript here must be a number, a letter or a group in braces")
        opened = self.advance()
        parts: list[str] = []
        while not self.at("op", "}"):
            tok = self.tok
            if tok.kind in ("num", "letter") or tok.kind == "cmd" and tok.text in GREEK | {"pi"}:
                parts.append(self.advance().text)
            elif tok.kind == "cmd" and tok.text in ("mathrm", "text", "mathit"):
                self.advance()
                parts.append(self.braced_word())
            elif tok.kind == "op" and tok.text == ",":
                self.advance()
                parts.append("_")
            elif tok.kind == "end":
                raise self.error("'{' was never closed", opened.col)
            else:
                raise self.error(f"{_word_of(tok)!r} is not part of a subscripted name (a subscript is a name's index)")
        self.advance()
        if not parts:
            raise self.error("an empty subscript", opened.col)
        return "".join(parts)

    def named(self, name: str, col: int) -> Any:
        """A name and its subscript, if any."""
        if self.at("op", "_"):
            name = f"{name}_{self.subscript()}"
        return self.symbol(name, col)

    def letter(self, tok: Tok) -> Any:
        if self.at("op", "_"):
            return self.named(tok.text, tok.col)
        if tok.text == "e" and "E" not in self.symbol_names:
            self.constants_used.add("E")
            return constant("E")
        return self.symbol(tok.text, tok.col)

    def braced_word(self) -> str:
        """The letters of ``{name}`` after ``\\mathrm``, ``\\operatorname``, ``\\mathit``."""
        if not self.at("op", "{"):
            raise self.error("expected '{' and a name")
        opened = self.advance()
        parts: list[str] = []
        nesting = 0
        while nesting or not self.at("op", "}"):
            tok = self.advance()
            if tok.kind in ("num", "letter"):
                parts.append(tok.text)
            elif tok.kind == "sym" and tok.text == "_":
                parts.append("_")
            elif tok.kind == "op" and tok.text in "{}":
                nesting += 1 if tok.text == "{" else -1
            elif tok.kind == "cmd" and tok.text in GREEK | {"pi"}:
                parts.append(_greek_letter(tok.text))
            elif tok.kind == "cmd" and tok.text == "mathrm" and nesting:
                # {\mathrm{u00e9}}: a character by its code point, as symgrad spells names out;
                # {\mathrm{A}}: a Greek capital that looks Latin (SymPy's spelling of Alpha)
                code = self.braced_word()
                if code in _upright_greek():
                    parts.append(_upright_greek()[code])
                    continue
                if not re.fullmatch(r"u[0-9a-f]{4,6}", code) or int(code[1:], 16) > 0x10FFFF:
                    raise self.error(f"\\mathrm{{{code}}} is not part of a name", tok.col)
                parts.append(chr(int(code[1:], 16)))
            elif tok.kind == "cmd" and tok.text in COMBINING_ACCENTS and nesting:
                # {\acute{e}}: an accented letter, as symgrad spells names out
                letter = self.braced_word()
                if len(letter) != 1 or not letter.isascii():
                    raise self.error(f"\\{tok.text} takes one letter here", tok.col)
                parts.append(unicodedata.normalize("NFC", letter + COMBINING_ACCENTS[tok.text]))
            elif tok.kind == "end":
                raise self.error("'{' was never closed", opened.col)
            else:
                raise self.error(f"{_word_of(tok)!r} is not part of a name", tok.col)
        self.advance()
        return "".join(parts)

    # -- commands -------------------------------------------------------
    def command(self) -> Any:

        tok = self.advance()
        name = tok.text
        if name == "pi":
            if "pi" in self.symbol_names:
                return self.symbol("pi", tok.col)
            self.constants_used.add("pi")
            return constant("pi")
        if name == "infty":
            self.constants_used.add("oo")
            return constant("oo")
        if name == "Gamma" and (self.at("op", "(") or self.at("op", "^")):
            return self.call(tok, "gamma", maybe_symbol="Gamma")
        if name in GREEK:
            return self.named(name, tok.col)
        if name in FUNCTION_COMMANDS:
            return self.call(tok, FUNCTION_COMMANDS[name])
        if name in ("frac", "dfrac", "tfrac"):
            self.enter()
            num = self.script()
            at = self.tok.col
            den = self.script()
            self.leave()
            return self.divide(num, den, at)
        if name == "sqrt":
            return self.sqrt(tok)
        if name in ("binom", "dbinom", "tbinom"):
            self.enter()
            n, k = self.script(), self.script()
            self.leave()
            return self.build("binomial", FUNCTIONS["binomial"], [n, k], tok)
        if name in ("operatorname", "mathrm"):
            return self.operator(tok)
        if name == "mathit":
            return self.named(self.braced_word() or "_", tok.col)
        if name in ACCENTS:
            if not self.at("op", "{"):
                raise self.error(f"\\{name} needs its letter in braces: \\{name}{{x}}")
            opened = self.advance()
            inner = self.tok
            if inner.kind == "letter" or (inner.kind == "cmd" and inner.text in GREEK):
                self.advance()
                self.expect("op", "}", opened)
                return self.named(inner.text + name, inner.col)
            raise self.error(f"\\{name} takes one letter here")
        what = next((v for k, v in _HINTS.items() if name == k), None)
        hint = f" ({what} are not formulas symgrad reads)" if what else ""
        raise self.error(f"unsupported LaTeX command \\{name}{hint}", tok.col)

    def divide(self, num: Any, den: Any, col: int) -> Any:
        import sympy as sp

        if num is sp.S.One:
            return self.reciprocal(den, col)
        factors = [num, self.reciprocal(den, col)]
        limits.check_product(factors)
        return sp.Mul(*factors)

    def sqrt(self, tok: Tok) -> Any:
        import sympy as sp

        self.enter()
        index = None
        if self.at("op", "["):
            opened = self.advance()
            index = self.value(self.sum(), opened.col)
            self.expect("op", "]", opened)
        if not self.at("op", "{") and self.tok.kind not in ("num", "letter", "cmd"):
            raise self.error("\\sqrt needs its argument in braces: \\sqrt{x}")
        radicand = self.script()
        self.leave()
        if index is None:
            return power(radicand, sp.S.Half)
        if getattr(index, "is_Number", False) and index.is_zero:
            raise DivisionByZeroError("a root of index 0 is undefined", self.text, tok.col)
        return power(radicand, power(index, sp.S.NegativeOne))

    def operator(self, tok: Tok) -> Any:
        word_col = self.tok.col
        word = self.braced_word()
        if tok.text == "mathrm":
            if word == "d":
                raise self.error(
                    "\\mathrm{d} (a differential, as in dx) is not part of a formula: give the function alone",
                    tok.col,
                )
            if word == "e" and "E" not in self.symbol_names:
                self.constants_used.add("E")
                return constant("E")
            if word == "i" and "I" not in self.symbol_names:
                self.constants_used.add("I")
                return constant("I")
            if word not in FUNCTIONS and word not in LATEX_FUNCTION_ALIASES:
                return self.named(word, word_col)
        if word in _SPECIAL_WORDS and tok.text == "operatorname" and (word not in FUNCTIONS or self.at("op", "_")):
            return self.special(tok, word)
        target = LATEX_FUNCTION_ALIASES.get(word, word) if word not in FUNCTIONS else word
        if target not in FUNCTIONS and not (word == "polygamma" and "digamma" in FUNCTIONS):
            import difflib

            close = difflib.get_close_matches(word, list(FUNCTIONS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UnknownFunctionError(f"unknown function {word!r}{hint}", self.text, word_col)
        return self.call(tok, target if target in FUNCTIONS else "polygamma", shown=word)

    def special(self, tok: Tok, word: str) -> Any:
        r"""A special function as symgrad writes it: ``\operatorname{J}_{\nu}\left(x\right)``,
        ``\operatorname{P}_{n}^{\left(a, b\right)}\left(x\right)``, ``\operatorname{E}\left(\phi\middle| m\right)``."""
        if word in ("Ai", "Bi") and self.at("op", "'"):
            self.advance()
            word += "'"
        sub = None
        if self.at("op", "_"):
            self.advance()
            self.enter()
            sub = self.script()
            self.leave()
        parameters: list[Any] = []
        if sub is not None and self.at("op", "^") and (word, True, 1) in SPECIAL_OPERATORS:
            caret = self.advance()
            if not (self.at("op", "{") and self.peek(1).text == "("):
                raise self.error(f"write the parameters of \\operatorname{{{word}}} as ^{{\\left(a\\right)}}", caret.col)
            opened = self.advance()
            parameters = [item for group in self.grouped() for item in group]
            self.expect("op", "}", opened)
        name = SPECIAL_OPERATORS.get((word, sub is not None, len(parameters)))
        if name is None:
            scripts = " with a subscript" if sub is not None else " without a subscript"
            raise self.error(f"\\operatorname{{{word}}}{scripts} is not a function symgrad knows", tok.col)
        if not self.at("op", "("):
            raise self.error(f"{name} needs its arguments in parentheses")
        args = [item for group in self.grouped() for item in group]
        if name == "uppergamma" and len(args) == 1:
            name = "gamma"
        if name == "LambertW":
            args = args if sub is None else [*args, sub]
        elif name == "appellf1":
            if sub != 1:
                raise self.error("\\operatorname{F}_{1} is Appell's F1; no other F_{n} is a function symgrad knows",
                                 tok.col)
        elif sub is not None:
            args = [sub, *parameters, *args]
        return self.build(name, FUNCTIONS[name], args, tok)

    def grouped(self) -> list[list[Any]]:
        r"""``\left(a, b; c \middle| z\right)``: arguments in groups, ``;`` or ``\middle|`` between
        groups (a group may be empty: ``{}_{0}F_{1}(; b; z)``)."""
        opened = self.advance()
        self.enter()
        saved, self.bars = self.bars, 0
        groups: list[list[Any]] = [[]]
        while not self.at("op", ")"):
            if self.at("op", ";") or self.at("cmd", "middle"):
                if self.advance().text == "middle":
                    if not self.at("op", "|"):
                        raise self.unexpected()
                    self.advance()
                groups.append([])
                continue
            if self.tok.kind == "end":
                raise self.error(f"{_word_of(opened)!r} was never closed", opened.col)
            col = self.tok.col
            groups[-1].append(self.value(self.sum(), col))
            if self.at("op", ","):
                self.advance()
                if self.at("op", ")") or self.at("op", ";"):
                    raise self.unexpected()
            elif not (self.at("op", ")") or self.at("op", ";") or self.at("cmd", "middle")):
                raise self.unexpected()
        self.bars = saved
        self.leave()
        self.expect("op", ")", opened)
        return groups

    def hypergeometric(self) -> Any:
        r"""``{}_{2}\operatorname{F}_{1}\left(a, b; c; z\right)`` (also with a plain ``F``)."""
        start = self.tok
        self.advance()  # {
        self.advance()  # }
        self.advance()  # _
        p = self.script()
        if self.at("cmd", "operatorname"):
            self.advance()
            if self.braced_word() != "F":
                raise self.error("expected F after {}_{p}: the hypergeometric function {}_{p}F_{q}", start.col)
        elif self.at("letter", "F"):
            self.advance()
        else:
            raise self.error("expected F after {}_{p}: the hypergeometric function {}_{p}F_{q}")
        if not self.at("op", "_"):
            raise self.error("expected _{q} after {}_{p}F")
        self.advance()
        q = self.script()
        name = HYPERGEOMETRIC.get((int(p), int(q)) if p.is_Integer and q.is_Integer else (-1, -1))
        if name is None:
            raise self.error(f"{{}}_{{{p}}}F_{{{q}}} is not a function symgrad knows (0F1, 1F1 and 2F1 are)",
                             start.col)
        if not self.at("op", "("):
            raise self.error(f"{name} needs its arguments in parentheses")
        opened = self.tok
        groups = self.grouped()
        if [len(g) for g in groups] != [int(p), int(q), 1]:
            a = ", ".join(f"a{k + 1}" for k in range(int(p)))
            b = ", ".join(f"b{k + 1}" for k in range(int(q)))
            raise self.error(f"{{}}_{{{p}}}F_{{{q}}} takes {p} and {q} parameters and z: ({a}; {b}; z)", opened.col)
        return self.build(name, FUNCTIONS[name], [item for group in groups for item in group], start)

    def call(self, tok: Tok, target: str, shown: str | None = None, maybe_symbol: str | None = None) -> Any:
        """A function applied: its optional base (``\\log_{2}``), power (``\\sin^{2}``) and argument."""
        shown = shown or tok.text
        base = exp = None
        if self.at("op", "_"):
            if target != "log":
                raise self.error(f"a subscript on \\{shown} is not a function symgrad knows")
            self.advance()
            self.enter()
            base = self.script()
            self.leave()
        if self.at("op", "^"):
            caret = self.advance()
            self.enter()
            exp = self.script()
            self.leave()
            if exp.is_Number and exp.is_negative:
                inverse = f" \\arc{shown}" if shown in ("sin", "cos", "tan") else " the inverse function"
                raise self.error(
                    f"\\{shown}^{{{exp}}} is ambiguous; write{inverse} or a power of the call", caret.col
                )
        if maybe_symbol is not None and not self.at("op", "("):
            symbol = self.symbol(maybe_symbol, tok.col)
            return symbol if exp is None else self.raised(symbol, exp, tok.col)
        args = self.arguments(shown)
        if base is not None:
            args = [*args, base]
        if target == "polygamma" and "polygamma" not in FUNCTIONS:
            # symgrad's LaTeX of digamma(x) is polygamma(0, x)
            if len(args) != 2 or args[0] != 0:
                raise UnknownFunctionError("unknown function 'polygamma' (only polygamma(0, x), digamma)",
                                           self.text, tok.col)
            target, args = "digamma", args[1:]
        result = self.build(target, FUNCTIONS[target], args, tok, shown)
        return result if exp is None else self.raised(result, exp, tok.col)

    def arguments(self, shown: str) -> list[Any]:
        tok = self.tok
        if tok.kind == "op" and tok.text in "({":
            if tok.text == "{":
                opened = self.advance()
                self.enter()
                saved, self.bars = self.bars, 0
                inner = self.sum_or_args()
                self.bars = saved
                self.leave()
                self.expect("op", "}", opened)
            else:
                inner = self.parenthesised()
            return list(inner) if isinstance(inner, _Args) else [inner]
        if self.tok.kind == "end" or not self.starts_factor() and not self.at("op", "-"):
            raise self.error(f"\\{shown} needs an argument")
        # a bare argument: \sin x, \sin 2x, \ln x^2, \sin \frac{x}{2}; it ends at an operator or function
        self.enter()
        col = self.tok.col
        factors = [self.unary()]
        while self.starts_factor(in_argument=True):
            factors.append(self.power())
        self.leave()
        if len(factors) == 1:
            return [self.value(factors[0], col)]
        import sympy as sp

        factors = [self.value(f, col) for f in factors]
        limits.check_product(factors)
        return [sp.Mul(*factors)]

    def sum_or_args(self) -> Any:
        """A braced argument: ``{\\left(x,y \\right)}`` holds a list, ``{x+1}`` a value."""
        if self.at("op", "(") or self.at("op", "["):
            start = self.pos
            inner = self.parenthesised()
            if self.at("op", "}"):
                return inner
            # more follows the parentheses: {(x+1) y}; read the group as one value
            self.pos = start
        return self.sum()

    def build(self, name: str, function: KnownFunction, args: list[Any], tok: Tok, shown: str | None = None) -> Any:
        return build_call(shown or name, function, args, lambda message: self.error(message, tok.col))


@lru_cache(maxsize=1)
def _upright_greek() -> dict[str, str]:
    """``A`` -> ``Α``: the Greek capitals SymPy writes as upright Latin letters (``\\mathrm{A}``)."""
    from sympy.printing.latex import tex_greek_dictionary

    letters = {}
    for name, tex in tex_greek_dictionary.items():
        match = re.fullmatch(r"\\mathrm\{([A-Z])\}", tex)
        try:
            letter = unicodedata.lookup(f"GREEK CAPITAL LETTER {name.upper()}")
        except KeyError:  # Khi: SymPy's other spelling of Chi
            continue
        if match:
            letters[match.group(1)] = letter
    return letters


def _greek_letter(name: str) -> str:
    """``α`` for ``alpha``: a Greek command inside ``\\mathit{...}`` (symgrad's spelled-out names)."""
    name = name.removeprefix("var")
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


def parse_latex_one(text: str, *, real: bool, symbol_names: frozenset[str]) -> tuple[Any, set[str], list[str]]:
    """One LaTeX formula's expression, the constant names it used and warnings (none yet),
    inside the text parser's guards (:func:`~symgrad.parsing.grammar.guarded_parse`)."""
    return guarded_parse(text, lambda checked: LatexParser(checked, real, symbol_names))
