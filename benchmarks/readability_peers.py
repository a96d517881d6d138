"""The peers of the readability benchmark: SymPy, Maxima, and the checks on them.

Used by ``benchmarks/bench_readability.py`` (see its docstring for the
measure and the table). Here:

* :func:`size`, the measure: ``(sympy.count_ops(expr), len(str(expr)))``;
* :func:`sympy_peer`, ``simplify`` or ``factor`` of one entry under a time limit;
* :func:`maxima_peer`, one Maxima process per formula that differentiates
  it and simplifies every entry several ways, read back with symgrad's
  own parser (never ``sympify``);
* :func:`same_value`, the numeric check every entry that is not symgrad's
  ``off`` output must pass before it counts.
"""

from __future__ import annotations

import cmath
import random
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symgrad.errors import JobTimeoutError, SymgradError
from symgrad.limits import time_limit
from symgrad.parsing import parse_expression

#: What Maxima tries on each raw ``diff`` entry ``d`` (the script names it
#: ``%sgd``), in this order; the Maxima peer of the entry is the smallest of
#: those that read back and
#: have the right value (``d`` itself included, so the peer is never worse
#: than Maxima's raw derivative).
MAXIMA_CANDIDATES = ("d", "ratsimp(d)", "fullratsimp(d)", "factor(d)", "trigsimp(d)", "radcan(d)")

#: SymPy functions Maxima knows by the same name (``Abs`` is spelled ``abs``).
MAXIMA_FUNCTIONS = frozenset({
    "exp", "log", "sqrt", "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan",
    "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "Abs",
})

#: Maxima's spellings of constants and functions, as symgrad's parser reads them.
_FROM_MAXIMA = {"%e": "E", "%pi": "pi", "%i": "I", "signum": "sign"}


def size(expr: Any) -> tuple[int, int]:
    """The measure: operations (``count_ops``), then the length of ``str``."""
    return int(sp.count_ops(expr, visual=False)), len(str(expr))


@dataclass
class Outcome:
    """One peer's answer for one entry: an expression, or why there is none."""

    expr: Any = None
    problem: str = ""  # "timeout", "not equal", "unparsed: ...", "error: ..."
    seconds: float = 0.0


def sympy_peer(how: Callable[[Any], Any], entry: Any, budget: float) -> Outcome:
    """``how(entry)`` (``sympy.simplify`` or ``sympy.factor``) within ``budget`` seconds."""
    start = time.perf_counter()
    try:
        with time_limit(budget):
            result = how(entry)
    except JobTimeoutError:
        sp.core.cache.clear_cache()  # a half-finished call may have cached partial work
        return Outcome(problem="timeout", seconds=time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - a peer's own failure is a result, not a crash
        return Outcome(problem=f"error: {type(exc).__name__}", seconds=time.perf_counter() - start)
    return Outcome(result, seconds=time.perf_counter() - start)


# --- the numeric check ---------------------------------------------------------------

def random_points(names: Sequence[str], seed: int, count: int = 6) -> list[dict[str, sp.Rational]]:
    """``count`` points, each name a random fraction in [0.13, 0.87].

    Inside (0, 1) every corpus formula is defined (``log(1 - p)``, ``asin``),
    and random fractions almost never sit on a pole such as ``x = y``.
    """
    rng = random.Random(seed)
    return [{n: sp.Rational(rng.randint(13, 87), 100) for n in names} for _ in range(count)]


def numeric(expr: Any, point: dict[str, sp.Rational], digits: int = 30) -> complex | None:
    """``expr`` at ``point`` with ``digits`` working digits (mpmath through ``evalf``).

    None when it has no finite value there, or names a symbol the point lacks.
    """
    names = {s.name for s in expr.free_symbols}
    if not names <= point.keys():
        return None
    value = sp.N(expr.xreplace({s: point[s.name] for s in expr.free_symbols}), digits)
    try:
        number = complex(value)
    except (TypeError, ValueError):
        return None
    return number if cmath.isfinite(number) else None


def same_value(
    reference: Sequence[complex | None], candidate: Any, points: Sequence[dict[str, sp.Rational]]
) -> bool:
    """True when ``candidate`` matches the ``reference`` values at two or more points.

    ``reference`` holds symgrad's ``off`` entry at each point (None where it
    has no value; those points are not used). A candidate with no value
    where the reference has one, or one more than 1e-10 apart (relative),
    is not equal.
    """
    agreed = 0
    for want, point in zip(reference, points):
        if want is None:
            continue
        got = numeric(candidate, point)
        if got is None or abs(got - want) > 1e-10 * max(1.0, abs(want)):
            return False
        agreed += 1
        if agreed == 3:
            break
    return agreed >= 2


# --- Maxima --------------------------------------------------------------------------

class _MaximaPrinter(sp.printing.str.StrPrinter):  # type: ignore[misc]
    """SymPy's ``str`` with Maxima's names for the constants and ``abs``."""

    def _print_Exp1(self, expr: Any) -> str:
        return "%e"

    def _print_Pi(self, expr: Any) -> str:
        return "%pi"

    def _print_ImaginaryUnit(self, expr: Any) -> str:
        return "%i"

    def _print_Abs(self, expr: Any) -> str:
        return f"abs({self._print(expr.args[0])})"


def to_maxima(expr: Any) -> str | None:
    """``expr`` as Maxima input, or None if it uses a function Maxima may spell otherwise."""
    for call in expr.atoms(sp.Function):
        if type(call).__name__ not in MAXIMA_FUNCTIONS:
            return None
    return str(_MaximaPrinter().doprint(expr))


def from_maxima(text: str) -> Any:
    """Maxima's ``string()`` output as a SymPy expression, read by symgrad's safe parser.

    ``%e``, ``%pi``, ``%i`` and ``signum`` are respelled first; ``^`` and
    Maxima's ``%e^-x^2`` (the exponent is ``-x^2``) are symgrad syntax already.
    Raises :class:`~symgrad.errors.SymgradError` for anything the parser refuses.
    """
    spelled = re.sub(r"%e\b|%pi\b|%i\b|\bsignum\b", lambda m: _FROM_MAXIMA[m.group()], text)
    return parse_expression(spelled, real=True)


def maxima_script(expr: Any, variables: Sequence[Any]) -> str | None:
    """The Maxima batch text for one formula, or None if it cannot be written for Maxima.

    Entry ``k`` numbers the gradient, then the Hessian's upper triangle row
    by row, as :func:`entry_labels` does. Each candidate is computed under
    ``errcatch`` and printed on one line: ``@@ k candidate text``.
    """
    text = to_maxima(expr)
    if text is None:
        return None
    names = [v.name for v in variables]
    # Maxima's own names start with %, which a symgrad name never does.
    lines = ["display2d:false$", "linel:1000000$", f"%sgf:{text}$"]
    for i, v in enumerate(names):
        lines.append(f"%sgg{i}:diff(%sgf,{v})$")
    entries = [f"%sgg{i}" for i in range(len(names))]
    entries += [f"diff(%sgg{i},{names[j]})" for i in range(len(names)) for j in range(i, len(names))]
    for k, entry in enumerate(entries):
        lines.append(f"%sgd:{entry}$")
        for c, candidate in enumerate(MAXIMA_CANDIDATES):
            call = re.sub(r"\bd\b", "%sgd", candidate)
            lines.append(f"%sgr:errcatch({call})$")
            lines.append(f'if %sgr # [] then print("@@", {k}, {c}, string(first(%sgr)))$')
    return "\n".join(lines)


def entry_labels(names: Sequence[str]) -> list[str]:
    """``d/dx`` for the gradient, then ``d2/dx dy`` for the Hessian's upper triangle."""
    labels = [f"d/d{v}" for v in names]
    labels += [f"d2/d{a} d{b}" for i, a in enumerate(names) for b in names[i:]]
    return labels


def maxima_peer(
    maxima: str, expr: Any, variables: Sequence[Any], timeout: float
) -> tuple[list[list[Outcome]] | None, str, float]:
    """Every entry's candidates from one Maxima process.

    Returns (one list of candidate outcomes per entry, or None; a problem
    for the whole formula, or ""; the process's wall time).
    """
    script = maxima_script(expr, variables)
    if script is None:
        return None, "not written for Maxima (a function outside MAXIMA_FUNCTIONS)", 0.0
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [maxima, "--very-quiet", f"--batch-string={script}"],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"timeout ({timeout:g} s)", time.perf_counter() - start
    seconds = time.perf_counter() - start
    n = len(variables)
    found: list[list[Outcome]] = [[] for _ in range(n + n * (n + 1) // 2)]
    for line in proc.stdout.splitlines():
        parts = line.split(" ", 3)
        if len(parts) != 4 or parts[0] != "@@" or not parts[1].isdigit():
            continue
        k, text = int(parts[1]), parts[3].strip()
        if k >= len(found):
            continue
        try:
            found[k].append(Outcome(from_maxima(text)))
        except SymgradError as exc:
            found[k].append(Outcome(problem=f"unparsed: {text[:60]!r} ({exc})"))
    if not any(found):
        return None, f"no output (exit {proc.returncode}): {proc.stderr.strip()[:80]}", seconds
    return found, "", seconds
