r"""LaTeX names of symbols, distinct for distinct names within one document.

SymPy's spelling of a symbol name is kept when it is safe (``x1`` and
``x_1`` are ``x_{1}``, ``alpha`` and ``α`` are ``\alpha``, ``sigma_k`` is
``\sigma_{k}``, ``xdot`` is ``\dot{x}``, ``xhat`` ``\hat{x}``, ``xbar``
``\bar{x}``). It is not used, and the name is *spelled out* in italics
instead (:func:`spelled_out`: ``\mathit{x\_\_2}``), when it

* is a superscript (``x__2`` would print ``x^{2}``, a power),
* looks like an operation: ``xabs``, ``xmag``, ``xnorm``, ``xavg`` (bars
  and brackets) and ``xprime``, ``xprm`` (``x'``, a derivative),
* is empty where the name is not (``x_`` would print ``x_{}``, like ``x``),
* needs a package beyond amsmath (``xscr``, ``xfrak``, ``beth``, ``mho`` ...),
* does not read back as one name (:func:`reads_as_a_name`, symgrad's own
  LaTeX reader): a word (``rate`` would be the product r a t e, ``mu0x``
  m u 0 x: it is ``\mathit{rate}``, ``\mathit{mu0x}``, and ``rate_1`` is
  ``\mathit{rate}_{1}``), a constant's spelling (a variable ``e`` is
  ``\mathit{e}``, not Euler's number; ``pi`` is ``\mathit{pi}``), or a
  function's (a variable ``Gamma`` is ``{\Gamma}``: ``\Gamma(x)`` is the
  gamma function),
* or is taken by another name of the same document: two names never print
  the same (compared without spaces, which TeX does not show).

Which of two names with one spelling keeps it does not depend on the order
they are printed in when the document's symbols are given first
(:meth:`TexNames.reserve`, which :class:`~symgrad.output.latex.TexPrinter`
calls with a job's variables and parameters): the one the spelling reads
back as does (``x_1`` before ``x1``, ``alpha`` before ``α``: ``\alpha`` is
read as ``alpha``), then the more literal one (``x_ab`` before ``x_a_b``),
then ``x2`` before ``x10``. So ``x1 + x_1`` prints ``\mathit{x1} + x_{1}``,
and ``alpha*α`` prints ``\alpha \mathit{{\alpha}}``; no two names of a
document print alike or read back as one name.
A name whose spelling no other name of the document shares prints as SymPy
prints it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from .names import ascii_name

#: Commands in SymPy's symbol spellings that amsmath alone does not define.
NEEDS_PACKAGE = ("\\mathscr", "\\mathfrak", "\\beth", "\\daleth", "\\eth", "\\gimel", "\\hslash", "\\mho", "\\varkappa")

#: Pieces of SymPy's spellings that read as something other than a name.
MISLEADING = ("^", "\\left", "'", "_{}")

#: Combining accents of precomposed letters (``é`` is ``e`` + U+0301) as math accents.
ACCENTS = {
    "\u0300": "grave", "\u0301": "acute", "\u0302": "hat", "\u0303": "tilde", "\u0304": "bar",
    "\u0306": "breve", "\u0307": "dot", "\u0308": "ddot", "\u030a": "mathring", "\u030c": "check",
}

_NEEDS_PACKAGE = re.compile("(?:" + "|".join(map(re.escape, NEEDS_PACKAGE)) + ")(?![A-Za-z])")
_DIGIT_SUFFIX = re.compile(r"[^\W\d_]+\d+", re.UNICODE)  # SymPy subscripts it: x1 is x_{1}


def kept(tex: str) -> bool:
    """Whether SymPy's spelling ``tex`` of a name may be printed as it is."""
    if tex.startswith("\\mathit{"):  # reserved for spelled-out names
        return False
    if any(piece in tex for piece in MISLEADING):
        return False
    return not _NEEDS_PACKAGE.search(tex) and reads_as_a_name(tex)


def reads_as_a_name(tex: str) -> bool:
    r"""Whether symgrad's LaTeX reader reads ``tex`` as one symbol, also where a
    printed formula puts it: before parentheses and under a power.

    ``rate`` (a product of letters), ``e`` and ``\pi`` (constants) do not;
    nor does ``\Gamma`` (``\Gamma \left(x\right)`` is the gamma function),
    though ``{\Gamma}`` does.
    """
    return read_back(tex) is not None


@lru_cache(maxsize=4096)
def read_back(tex: str) -> str | None:
    """The name of the symbol symgrad's LaTeX reader reads ``tex`` as (None: not one symbol,
    alone, before parentheses and under a power: see :func:`reads_as_a_name`)."""
    import sympy as sp

    from ..errors import SymgradError
    from ..parsing.latex_input import parse_latex_one

    def read(text: str) -> object:
        return parse_latex_one(text, real=False, symbol_names=frozenset())[0]

    try:
        alone = read(tex)
        if not isinstance(alone, sp.Symbol):
            return None
        q = sp.Symbol("q")
        if read(tex + r" \left(q\right)") == alone * q and read(tex + r"^{2} \left(q\right)") == alone**2 * q:
            return str(alone.name)
    except SymgradError:
        pass
    return None


def spelled_out(name: str, code_points: bool = False) -> str:
    r"""``name`` letter by letter in italics: ``x_1`` is ``\mathit{x\_1}``, ``Δx`` ``\mathit{{\Delta}x}``.

    Underscores are ``\_``, Greek letters their commands, accented letters
    math accents (``{\acute{e}}``), any other character (or, with
    ``code_points``, any non-ASCII character) ``{\mathrm{u00e9}}``. Distinct
    names are spelled distinctly: the spelling can be read back.
    """
    parts = []
    for ch in name:
        if ch.isascii():
            parts.append("\\_" if ch == "_" else ch)
        elif not code_points and (greek := greek_command(ch)):
            parts.append("{" + greek + "}")
        elif not code_points and (accented := _accented(ch)):
            parts.append("{" + accented + "}")
        else:
            parts.append(f"{{\\mathrm{{u{ord(ch):04x}}}}}")
    return "\\mathit{" + "".join(parts) + "}"


def greek_command(ch: str) -> str:
    """``\\alpha`` for ``α`` (SymPy's spelling of the letter's English name), else ``""``."""
    from sympy.printing.latex import greek_letters_set, tex_greek_dictionary

    words = unicodedata.name(ch, "").split()
    if words[:1] != ["GREEK"] or "LETTER" not in words or "WITH" in words:
        return ""
    spelled = ascii_name(ch)
    if spelled in tex_greek_dictionary:
        command = str(tex_greek_dictionary[spelled])
        return command if command.startswith("\\") else ""  # omicron is SymPy's o: a Latin letter
    return "\\" + spelled if spelled.lower() in greek_letters_set else ""


def _accented(ch: str) -> str:
    """``\\acute{e}`` for ``é`` (an ASCII letter and one accent), else ``""``."""
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[0].isalpha() and decomposed[1] in ACCENTS:
        return f"\\{ACCENTS[decomposed[1]]}{{{decomposed[0]}}}"
    return ""


def implicitness(name: str, tex: str) -> int:
    """How much SymPy's spelling ``tex`` adds to ``name`` (0: it shows what was typed).

    One each for: an ASCII word made a command (``alpha``, ``xdot``), digits
    made a subscript without an underscore (``x1``), a non-ASCII letter
    that is neither Greek nor kept (``é`` printed as ``e``), and subscripts
    run together (``x_a_b`` printed as ``x_{a b}``).
    """
    rank = 0
    if name.isascii() and "\\" in tex:
        rank += 1
    if _DIGIT_SUFFIX.fullmatch(name.split("_", 1)[0]) and "_{" in tex:
        rank += 1
    if any(not ch.isascii() and not greek_command(ch) for ch in name):
        rank += 1
    if name.strip("_").count("_") > 1:  # subscripts run together: x_a_b is x_{a b}
        rank += 1
    return rank


def _key(tex: str) -> str:
    """``tex`` without spaces, which TeX does not show (``x_{a b}`` is ``x_{ab}``)."""
    return re.sub(r"\s", "", tex)


class TexNames:
    """The LaTeX of each symbol name printed in one document, one-to-one.

    ``nice`` is SymPy's spelling of a name. A name gets it unless it is not
    :func:`kept` or another name has it already; then its :func:`spelled_out`
    form (which no kept spelling can be, and no other name's spelled-out
    form is).
    """

    def __init__(self, nice: Callable[[str], str]):
        self.nice = nice
        self.tex: dict[str, str] = {}
        self.taken: set[str] = set()
        self.read: set[str] = set()  # the names the assigned spellings read back as
        self.reserved: set[str] = set()

    def __call__(self, name: str) -> str:
        tex = self.tex.get(name)
        if tex is None:
            tex = self._assign(name, self.nice(name))
        return tex

    def reserve(self, names: Iterable[str]) -> None:
        """Name ``names`` now: first those whose spelling reads back as themselves (``x_1``
        before ``x1``, ``alpha`` before ``α``), then the most literal (:func:`implicitness`),
        then in natural order."""
        from ..parsing.values import natural_key

        fresh = {name: self.nice(name) for name in names if name not in self.tex}
        self.reserved |= set(fresh)
        order = sorted(fresh, key=lambda n: (read_back(fresh[n]) != n, implicitness(n, fresh[n]), natural_key(n)))
        for name in order:
            self._assign(name, fresh[name])

    def _assign(self, name: str, nice: str) -> str:
        # The code-point spelling is free: it can be read back, so it equals
        # no other name's spelled-out forms, and it is no kept spelling.
        candidates = [nice] if kept(nice) else self._read_back_forms(name, nice)
        candidates.append(spelled_out(name))
        tex = next((t for t in candidates if self._free(name, t)), spelled_out(name, code_points=True))
        self.tex[name] = tex
        self.taken.add(_key(tex))
        self.read.add(read_back(tex) or name)
        return tex

    def _free(self, name: str, tex: str) -> bool:
        """Whether ``tex`` is no other name's: not printed alike, not read back alike
        (``\\alpha`` is read as ``alpha``: with ``alpha`` in the document, ``α`` is spelled out)."""
        if _key(tex) in self.taken:
            return False
        read = read_back(tex) or name
        return read not in self.read and (read == name or read not in self.reserved)

    def _read_back_forms(self, name: str, nice: str) -> list[str]:
        r"""Near-kept forms of a spelling that does not read back: ``{\Gamma}`` for ``\Gamma``,
        and ``\mathit{rate}_{1}`` for ``rate_{1}`` (a word with SymPy's subscript).

        Each must read back (:func:`reads_as_a_name`); neither is a whole
        ``\mathit{...}``, so no spelled-out form is one of them and the
        code-point spelling stays free.
        """
        if any(piece in nice for piece in MISLEADING) or _NEEDS_PACKAGE.search(nice) or nice.startswith("\\mathit{"):
            return []
        forms = []
        if "_" not in nice and nice.startswith("\\"):
            forms.append("{" + nice + "}")
        if name.isascii():
            from sympy.printing.conventions import split_super_sub

            main, supers, subs = split_super_sub(name)
            head = self.nice(main) if main and not supers and subs else ""
            if len(main) > 1 and head and nice.startswith(head + "_{") and not head.startswith("\\"):
                forms.append(spelled_out(main) + nice[len(head):])
        return [form for form in forms if reads_as_a_name(form)]
