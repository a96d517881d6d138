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
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .errors import ExitCode, JobTimeoutError, ResourceLimitError

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
#: Largest exact order, degree or index of a special function (``legendre(n, x)``,
#: ``polygamma(n, x)``, ``besselj(nu, x)``, ``zeta(s)``): SymPy expands an
#: orthogonal polynomial of integer degree at once (degree 200 took 1-3 s),
#: and Bessel functions of half-integer order, gamma functions of integer
#: order and polylogarithms of negative integer order grow with it too.
MAX_SPECIAL_ORDER = 100
#: Largest exact number (numerator or denominator) SymPy is asked to take a
#: root of, in bits: its search for perfect powers grows steeply with size.
MAX_ROOT_BITS = 2_000
#: Largest expansion (terms times factors) an exact binomial of an
#: irrational number may take, as in ``binomial(pi + E, 30)``.
MAX_EXPANSION_TERMS = 5_000
#: Largest decimal exponent of a number literal (``1e3000``).
MAX_DECIMAL_EXPONENT = 3_000
#: Default time limit of one job, in seconds (``--timeout``).
DEFAULT_TIMEOUT = 10.0
#: Default ``--tol`` of ``--check``: about the square root of the float64
#: machine epsilon, the accuracy a careful float64 finite difference can
#: promise. (Here, beside the other defaults, so the command line can show
#: it without importing the analysis package.)
DEFAULT_TOL = 1e-8

# Many points (--points, --grid): memory is bounded by bytes, not only by rows.
#: Most points a grid may have (the product of its axis lengths).
MAX_GRID_POINTS = 10**9
#: Most values the axes of one grid may have together: each axis is built
#: whole (8 bytes a value) before any point is evaluated.
MAX_GRID_AXIS_VALUES = 10**7
#: Most bytes of doubles one chunk of many points holds: rows × (symbols +
#: entries) × 8. A chunk of wide rows has fewer rows than ``--chunk-rows``.
MAX_CHUNK_BYTES = 8 * 2**20
#: Most characters of input text one chunk of ``--points`` keeps (CSV/TSV
#: rows, passed through to the output; JSON Lines).
MAX_CHUNK_CHARS = 4 * 2**20
#: Most bytes the arrays of one ``.npz`` input may take, decompressed (an
#: archive is read whole); a ``.npz`` on standard input may have 1 MiB more.
MAX_NPZ_BYTES = 256 * 2**20
#: Most rows of a ``.npy``/``.npz`` input without columns (no data bounds
#: their number): as many as a grid may have.
MAX_ROWS_WITHOUT_COLUMNS = MAX_GRID_POINTS


class ExactSizeError(ResourceLimitError):
    """An exact number the formula needs is too large or too slow to compute.

    The input was valid, the mathematics failed: exit code 1, wherever the
    number comes from (the formula, ``--at``, a fixed parameter). Limits on
    the input itself (its length, nesting, a literal's digits) stay usage
    errors (:class:`~symgrad.errors.ResourceLimitError`, exit code 2).
    """

    exit_code = ExitCode.MATH


def _short(expr: object) -> str:
    """``expr`` as text for a message: shortened, and safe for huge integers."""
    try:
        text = str(expr)
    except ValueError:  # an integer beyond Python's digit limit for str()
        return "a number too long to print"
    return text if len(text) <= 100 else f"{text[:48]}...{text[-48:]}"


def _too_big(what: str) -> ExactSizeError:
    return ExactSizeError(
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
    except OverflowError:
        return max(bits, 1024.0)  # beyond float range: at least 2**1024
    except (TypeError, ValueError):
        return bits
    if magnitude > 0 and math.isfinite(magnitude):
        bits = max(bits, abs(math.log2(magnitude)))
    return bits


def check_power(base: sp.Expr, exp: sp.Expr) -> None:
    """Refuse ``base**exp`` when SymPy would compute a huge exact number."""
    import sympy as sp

    if base is sp.S.Exp1:
        check_exp(exp)
    if not isinstance(exp, sp.Rational) or base.free_symbols:
        return
    if isinstance(base, sp.Float) or base.has(sp.Float):
        return  # floating point: mpmath handles huge exponents cheaply
    if base in (sp.S.Zero, sp.S.One, sp.S.NegativeOne) or base.is_number is False:
        return
    coeff = base if isinstance(base, sp.Rational) else base.as_coeff_Mul()[0]
    if (
        exp.q != 1
        and isinstance(coeff, sp.Rational)
        and max(abs(coeff.p).bit_length(), coeff.q.bit_length()) > MAX_ROOT_BITS
    ):
        raise ExactSizeError(
            f"the root ({_short(base)})**({exp}) is too slow to compute exactly "
            f"(limit: {MAX_ROOT_BITS} bits); use decimal values for a floating-point result"
        )
    whole = abs(exp.p) // exp.q
    if whole <= 1:
        return
    if whole * _bits_of_constant(base) > MAX_EXACT_BITS:
        raise _too_big(f"the power ({_short(base)})**({_short(exp)})")


def check_exp(arg: sp.Expr) -> None:
    """Refuse ``exp(arg)`` when SymPy would rewrite it as a huge exact power.

    SymPy turns ``exp(c*log(b))`` into ``b**c``, so a constant term with a
    rational coefficient ``c`` and logs in it is checked as that power.
    """
    import sympy as sp

    if arg.free_symbols or not arg.has(sp.log):
        return
    for term in sp.Add.make_args(arg):
        coeff, rest = term.as_coeff_Mul()
        if not isinstance(coeff, sp.Rational):
            continue
        whole = abs(coeff.p) // coeff.q
        logs = rest.atoms(sp.log)
        if whole > 1 and logs:
            bits = sum(_bits_of_constant(log.args[0]) for log in logs)
            if whole * bits > MAX_EXACT_BITS:
                raise _too_big(f"exp({_short(arg)})")


def check_abs(arg: sp.Expr) -> None:
    """Refuse ``Abs(arg)`` of a complex number whose modulus is a root of a huge number."""
    import sympy as sp

    if arg.free_symbols or not arg.has(sp.I):
        return
    bits = max(
        (max(abs(r.p).bit_length(), r.q.bit_length()) for r in arg.atoms(sp.Rational)),
        default=0,
    )
    if 2 * bits > MAX_ROOT_BITS:
        raise ExactSizeError(
            f"Abs({_short(arg)}) is too slow to compute exactly "
            f"(limit: {MAX_ROOT_BITS // 2} bits per number); "
            "use decimal values for a floating-point result"
        )


def _coefficient_bits(expr: sp.Expr) -> tuple[sp.Expr, float, float] | None:
    """``(rest, bits of p, bits of q)`` for ``expr = p/q * rest``; None without a rational."""
    import sympy as sp

    coeff, rest = expr.as_coeff_Mul()
    if not isinstance(coeff, sp.Rational):
        return None
    return rest, math.log2(abs(coeff.p)) if coeff.p else 0.0, math.log2(coeff.q)


def check_product(factors: Iterable[sp.Expr]) -> None:
    """Refuse a product whose exact coefficients multiply to a huge number.

    SymPy multiplies all rational coefficients of a product into one, so
    their sizes add up.
    """
    num = den = 0.0
    for factor in factors:
        parts = _coefficient_bits(factor)
        if parts is not None:
            num += parts[1]
            den += parts[2]
    if max(num, den) > MAX_EXACT_BITS:
        raise _too_big("a product of exact numbers")


def check_sum(terms: Iterable[sp.Expr]) -> None:
    """Refuse a sum whose like terms add up to fractions with huge denominators.

    SymPy adds the rational coefficients of like terms; over a common
    denominator their denominators' sizes add up.
    """
    import sympy as sp

    groups: dict[sp.Expr, list[float]] = {}
    for term in terms:
        for part in sp.Add.make_args(term):
            parts = _coefficient_bits(part)
            if parts is None:
                continue
            rest, num, den = parts
            group = groups.setdefault(rest, [0.0, 0.0])
            group[0] = max(group[0], num)
            group[1] += den
    for num, den in groups.values():
        if num + den > MAX_EXACT_BITS:
            raise _too_big("a sum of exact fractions")


def check_factorial(name: str, arg: sp.Expr) -> None:
    """Refuse an exact factorial or gamma of a huge number."""
    import sympy as sp

    if isinstance(arg, sp.Rational) and abs(arg) > MAX_FACTORIAL_ARG:
        raise _too_big(f"{name}({_short(arg)})")


def check_order(name: str, arg: sp.Expr, what: str = "order") -> None:
    """Refuse a special function whose exact order or degree is beyond :data:`MAX_SPECIAL_ORDER`."""
    import sympy as sp

    if isinstance(arg, sp.Rational) and abs(arg) > MAX_SPECIAL_ORDER:
        raise ExactSizeError(
            f"{name} of {what} {_short(arg)} is too large to compute exactly "
            f"(limit: {MAX_SPECIAL_ORDER})"
        )


def check_binomial(n: sp.Expr, k: sp.Expr) -> None:
    """Refuse an exact binomial coefficient with a huge value."""
    import sympy as sp

    if isinstance(n, sp.Integer) and isinstance(k, sp.Integer):
        small = min(abs(int(k)), abs(int(n) - int(k)))
        if small > 1 and small * max(1, abs(int(n)).bit_length()) > MAX_EXACT_BITS:
            raise _too_big(f"binomial({_short(n)}, {_short(k)})")
    elif isinstance(n, sp.Rational) and abs(n) > MAX_FACTORIAL_ARG:
        raise _too_big(f"binomial({_short(n)}, {_short(k)})")
    elif not n.free_symbols and isinstance(k, sp.Rational):
        # For a number n SymPy evaluates binomial(n, k) as a product of k
        # factors, expanded: the cost grows with k and, for an irrational n,
        # with the number of terms of the expansion.
        if abs(k) > MAX_FACTORIAL_ARG:
            raise _too_big(f"binomial({_short(n)}, {_short(k)})")
        if isinstance(k, sp.Integer) and not isinstance(n, (sp.Rational, sp.Float)):
            kk = abs(int(k))
            gens = sum(1 for term in sp.Add.make_args(n) if not term.is_Rational)
            if kk * math.comb(kk + gens, gens) > MAX_EXPANSION_TERMS:
                raise ExactSizeError(
                    f"binomial({_short(n)}, {k}) expands to too many terms "
                    f"(limit: {MAX_EXPANSION_TERMS})"
                )


def check_numbers(expr: sp.Basic, what: str = "a number in the result") -> None:
    """Refuse an expression holding an exact number beyond the size limit."""
    import sympy as sp

    for atom in expr.atoms(sp.Rational):
        if max(abs(atom.p).bit_length(), abs(atom.q).bit_length()) > MAX_EXACT_BITS:
            raise _too_big(what)


#: Longest time limit armed, in seconds (about 30 years): a larger one
#: (``--timeout 1e300``, ``inf``) means no limit, as ``setitimer`` cannot hold it.
MAX_TIMEOUT = 1e9
#: Seconds between repeats of a time limit's alarm once it has fired: an
#: alarm that lands in code which swallows exceptions (a ``__del__``, a gc
#: callback, a library's broad ``except``) fires again until the block ends.
REFIRE_INTERVAL = 0.1


def timeout_seconds(value: float | None) -> float | None:
    """A time limit as :func:`time_limit` arms it: None for no limit.

    ``None``, 0, ``inf`` and anything above :data:`MAX_TIMEOUT` mean no
    limit; a negative number or ``nan`` is a :class:`ValueError`.
    """
    if value is None:
        return None
    if math.isnan(value) or value < 0:
        raise ValueError(f"a time limit must be a number of seconds >= 0, not {value!r}")
    return None if value == 0 or value > MAX_TIMEOUT else float(value)


def check_timeout_option(ctx: object, param: object, value: float | None) -> float | None:
    """The ``--timeout`` option's click callback: ``nan`` is a bad value (``inf``: no limit)."""
    try:
        timeout_seconds(value)
    except ValueError:
        import click

        raise click.BadParameter(f"{value} is not a number of seconds (0 or inf: no limit)") from None
    return value


@contextmanager
def time_limit(
    seconds: float | None, error: Callable[[], BaseException] | None = None
) -> Iterator[None]:
    """Raise :class:`JobTimeoutError` in the block once ``seconds`` have passed.

    Uses ``SIGALRM``, so it only acts in the main thread of a POSIX process;
    elsewhere (or with no limit: see :func:`timeout_seconds`) it is a no-op.
    ``error`` makes the exception to raise instead. Limits nest: inside
    another limit that ends sooner, this one does nothing (the outer one
    fires first), and on leaving, the outer limit is rearmed with the time
    it has left.

    The limit holds even where its exception is caught: the alarm repeats
    every :data:`REFIRE_INTERVAL` seconds until the block ends, an exception
    it raises in a ``__del__`` or callback is not reported as "ignored", and
    a block that still ends normally after the alarm fired raises on leaving.
    An alarm due while C code runs (one long SymPy or symengine call) acts
    when that call returns.
    """
    limit = timeout_seconds(seconds)
    usable = (
        limit is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert limit is not None
    outer_left = signal.getitimer(signal.ITIMER_REAL)[0]
    if outer_left and outer_left <= limit:
        yield  # the enclosing limit ends first and stays in force
        return

    def make_error() -> BaseException:
        if error is not None:
            return error()
        return JobTimeoutError(f"time limit of {limit:g} s exceeded (raise it with --timeout)")

    raised: list[BaseException] = []  # what the alarm raised, once it fired
    active = [True]  # False once the block has ended: a late alarm does nothing

    def on_alarm(signum: int, frame: object) -> None:
        if active[0]:
            raised.append(make_error())
            raise raised[-1]

    def unraisable(hook_args: sys.UnraisableHookArgs) -> None:
        if not any(hook_args.exc_value is err for err in raised):
            previous_hook(hook_args)  # not the alarm's exception: report it as usual

    previous = signal.getsignal(signal.SIGALRM)
    previous_hook = sys.unraisablehook
    started = time.monotonic()
    completed = False
    try:  # armed inside: an alarm due at once still meets the cleanup below
        signal.signal(signal.SIGALRM, on_alarm)
        sys.unraisablehook = unraisable
        signal.setitimer(signal.ITIMER_REAL, limit, REFIRE_INTERVAL)
        yield
        completed = True
    finally:
        try:
            active[0] = False
        finally:  # runs even if the alarm fired just before the line above
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
            sys.unraisablehook = previous_hook
            if outer_left:
                # Rearm the enclosing limit; if it is already due, it fires at once.
                left = max(outer_left - (time.monotonic() - started), 1e-6)
                signal.setitimer(signal.ITIMER_REAL, left, REFIRE_INTERVAL)
    if completed and raised:
        raise make_error()  # the block swallowed the alarm and ran on past its limit
