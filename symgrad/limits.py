"""Resource guards: how big an input may be and how long a job may run.

SymPy evaluates integer arithmetic eagerly, and one huge integer power is a
single C call that no signal can interrupt. So the sizes of exact numbers are
checked *before* SymPy is asked to build them (:func:`check_power`,
:func:`check_factorial`, ...), and everything else that can run long (Python
loops inside SymPy) is bounded by :func:`time_limit`.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .errors import JobTimeoutError, ResourceLimitError

if TYPE_CHECKING:
    import sympy as sp

#: Longest formula text accepted, in characters.
MAX_INPUT_LENGTH = 100_000
#: Deepest nesting of parentheses, function calls, powers and signs.
MAX_DEPTH = 100
#: Largest exact number (numerator or denominator) symgrad will build, in bits.
#: About 3000 decimal digits: far beyond any formula, and below Python's
#: 4300-digit limit on converting integers to text.
MAX_EXACT_BITS = 10_000
#: Largest integer argument an exact factorial or gamma is computed for.
MAX_FACTORIAL_ARG = 1_000
#: Default time limit of one job, in seconds (``--timeout``).
DEFAULT_TIMEOUT = 10.0


def _too_big(what: str) -> ResourceLimitError:
    return ResourceLimitError(
        f"{what} is too large to compute exactly (limit: {MAX_EXACT_BITS} bits); "
        "use decimal values for a floating-point result"
    )


def _bits_of_constant(base: sp.Expr) -> float:
    """A generous estimate of the bits per unit exponent of a constant base."""
    import sympy as sp

    if isinstance(base, sp.Rational):
        return float(max(abs(base.p).bit_length(), abs(base.q).bit_length()))
    bits = 1.0
    for atom in base.atoms(sp.Rational):
        bits = max(bits, abs(atom.p).bit_length(), abs(atom.q).bit_length())
    try:
        magnitude = abs(complex(base.evalf(15)))
    except (TypeError, ValueError):
        return bits
    if magnitude > 0 and math.isfinite(magnitude):
        bits = max(bits, abs(math.log2(magnitude)))
    return bits


def check_power(base: sp.Expr, exp: sp.Expr) -> None:
    """Refuse ``base**exp`` when SymPy would compute a huge exact number."""
    import sympy as sp

    if not isinstance(exp, sp.Rational) or base.free_symbols:
        return
    if isinstance(base, sp.Float) or base.has(sp.Float):
        return  # floating point: mpmath handles huge exponents cheaply
    if base in (sp.S.Zero, sp.S.One, sp.S.NegativeOne) or base.is_number is False:
        return
    whole = abs(exp.p) // exp.q
    if whole <= 1:
        return
    if whole * _bits_of_constant(base) > MAX_EXACT_BITS:
        raise _too_big(f"the power ({base})**({exp})")


def check_factorial(name: str, arg: sp.Expr) -> None:
    """Refuse an exact factorial or gamma of a huge number."""
    import sympy as sp

    if isinstance(arg, sp.Rational) and abs(arg) > MAX_FACTORIAL_ARG:
        raise _too_big(f"{name}({arg})")


def check_binomial(n: sp.Expr, k: sp.Expr) -> None:
    """Refuse an exact binomial coefficient with a huge value."""
    import sympy as sp

    if isinstance(n, sp.Integer) and isinstance(k, sp.Integer):
        small = min(abs(int(k)), abs(int(n) - int(k)))
        if small > 1 and small * max(1, abs(int(n)).bit_length()) > MAX_EXACT_BITS:
            raise _too_big(f"binomial({n}, {k})")
    elif isinstance(n, sp.Rational) and abs(n) > MAX_FACTORIAL_ARG:
        raise _too_big(f"binomial({n}, {k})")


def check_numbers(expr: sp.Basic, what: str = "a number in the result") -> None:
    """Refuse an expression holding an exact number beyond the size limit."""
    import sympy as sp

    for atom in expr.atoms(sp.Rational):
        if max(abs(atom.p).bit_length(), abs(atom.q).bit_length()) > MAX_EXACT_BITS:
            raise _too_big(what)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`JobTimeoutError` in the block once ``seconds`` have passed.

    Uses ``SIGALRM``, so it only acts in the main thread of a POSIX process;
    elsewhere (or with ``seconds`` None or <= 0) it is a no-op.
    """
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def on_alarm(signum: int, frame: object) -> None:
        raise JobTimeoutError(f"time limit of {seconds:g} s exceeded (raise it with --timeout)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
