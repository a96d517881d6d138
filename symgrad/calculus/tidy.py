"""The tidy step: derivatives written the way a person would write them.

SymPy's ``diff`` leaves ``-y/(x**2*(1 + y**2/x**2))`` for d/dx atan(y/x);
a person writes ``-y/(x**2 + y**2)``. :func:`tidy` tries a few rewrites of
each derivative and keeps the smallest. Modes (``simplify=`` in the library,
``--simplify`` on the command line):

* ``"off"``: the derivatives exactly as differentiation left them;
* ``"tidy"`` (the default): cheap rewrites: common factors pulled out
  (``factor_terms``, ``gcd_terms``), a sum over one denominator
  (``together``), rational functions cancelled (``cancel``, when the
  expression is a quotient), exponentials and powers merged (``powsimp``,
  ``powdenest``: SymPy applies only the identities its assumptions allow,
  so with ``--complex`` symbols only those valid for complex values),
  ``sin(u)**2 + cos(u)**2`` and ``cosh(u)**2 - sinh(u)**2`` collapsed,
  ``sinh(u)/cosh(u)`` written ``tanh(u)`` (``sin/cos`` as ``tan``),
  ``1 - tanh(u)**2`` as ``1/cosh(u)**2``, SymPy's ``trigsimp`` on small
  entries with trigonometric functions (``cos(x + y)``, ``sin(2*x)``;
  :data:`MAX_TRIG_OPS`, :data:`TRIG_ENTRY_SECONDS`), ``exp(-u)/(1 + exp(-u))``
  as ``1/(exp(u) + 1)``, ``y**2/Abs(y)`` as ``Abs(y)`` for real ``y``, terms
  sharing a root of a sum collected (``x**2*sqrt(r) + y**2*sqrt(r)`` is
  ``r**(3/2)``), polynomials expanded, factored or collected in one
  variable, a minus sign moved into a difference where that is shorter
  (``-1/(1 - p)`` is ``1/(p - 1)``), and every candidate turned so sums
  print in the user's orientation where that costs nothing: ``2*y*(x - 1)``
  rather than ``y*(2*x - 2)``, ``(mu - x)**2`` rather than ``(-mu + x)**2``.
  The smallest rewrite, when the budgets below kept ``cancel`` and
  ``factor`` from the entry itself, gets a second round of them; then the
  :data:`POLISHED` smallest candidates get the last touches: the sign
  moved into a sum (``-(x**2 - 1)/d`` is ``(1 - x**2)/d``), the logistic
  function's slope ``exp(u)/(exp(u) + 1)**2`` written ``1/(4*cosh(u/2)**2)``
  (and its powers, where the exponentials cancel), and the smallest one's
  sums collected in each of its symbols and functions, the coefficients
  factored or not (``y*(72*x - 48)``; ``(y - 1)*exp(2*u) + 2*exp(u) - y``);
* ``"full"``: those, plus SymPy's ``simplify`` and ``factor``, each within
  :data:`FULL_ENTRY_SECONDS` per entry (on overrun the tidy result stays).

**The measure.** The candidate with the fewest operations by
``sympy.count_ops(expr)`` wins, then the shortest ``str(expr)``; on a tie
the input turned to the user's orientation (``2*y*(x - 1)`` for
``y*(2*x - 2)``) wins, then the input itself. So the result is never
bigger than the input.

**Values never change.** A candidate that differs from the input is kept
only if it has the input's value at seeded random points, evaluated to 30
digits (:mod:`symgrad.calculus._tidy_check`); otherwise the next smallest is
tried, and the input is the last resort. One kind of change is allowed on
purpose: cancelling a common factor removes a *removable* singularity.
d/dx atan(y/x) as SymPy writes it is undefined at ``x = 0``; the tidy
``-y/(x**2 + y**2)`` is defined there, with the value the derivative tends
to. Where the input has a value the two agree.

**Budgets.** Tidying costs time per entry, so big jobs get less of it: an
entry over :data:`MAX_ENTRY_NODES` nodes gets only the cheap rewrite
(``factor_terms`` and the orientation); a job with more than
:data:`MAX_JOB_ENTRIES` entries (a 50×50 Hessian has 1,325) or more than
:data:`MAX_JOB_NODES` nodes in all is cheap-only, and past
:data:`MAX_CHEAP_JOB_NODES` nodes it is left as it is. Each entry's tidy
rewrites do not depend on time (the same job is always tidied the same
way); only those that expand are skipped on entries with high powers of
sums (:data:`MAX_EXPANDED_POWER`). Entries that no rewrite
can shrink (no sum in them: ``2*x``, ``-sin(x3)``) are skipped at once.
Two nets measure the process's CPU time, not the wall clock, so that a
loaded machine tidies a job exactly as an idle one: ``trigsimp`` gets
:data:`TRIG_ENTRY_SECONDS` an entry, and a job :data:`TIDY_JOB_SECONDS` in
all (the entries not reached stay as they were). Only when the job's own
time limit (:func:`symgrad.limits.time_limit`, ``--timeout``) would come
near does the wall clock stop tidying (:data:`TIDY_WALL_SHARE`); that limit
holds throughout.
"""

from __future__ import annotations

import dataclasses
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import OptionError, SymgradError
from ..limits import time_limit
from . import _tidy_rewrites as rewrites
from ._tidy_check import Checker
from .engine import node_count

if TYPE_CHECKING:
    from . import Derivatives

__all__ = [
    "CPU_REFIRE_INTERVAL",
    "FULL_ENTRY_SECONDS",
    "MAX_CHEAP_JOB_NODES",
    "MAX_COLLECTED_GENERATORS",
    "MAX_COLLECTED_OPS",
    "MAX_ENTRY_NODES",
    "MAX_EXPANDED_OPS",
    "MAX_EXPANDED_POWER",
    "MAX_FACTORED_GENERATORS",
    "MAX_FACTORED_OPS",
    "MAX_JOB_ENTRIES",
    "MAX_JOB_NODES",
    "MAX_TIDIED_JOB_ENTRIES",
    "MAX_TRIG_OPS",
    "MODES",
    "POLISHED",
    "TIDY_JOB_SECONDS",
    "TIDY_WALL_SHARE",
    "TRIG_ENTRY_SECONDS",
    "check_mode",
    "cpu_limit",
    "job_plan",
    "measure",
    "tidy",
    "tidy_derivatives",
]

#: The modes of the tidy step.
MODES = ("off", "tidy", "full")

#: An entry with more tree nodes than this gets only the cheap rewrite.
#: ``together``, ``cancel`` and ``factor`` grow faster than linearly in
#: the size of an entry: the rewrites of a small entry take a few ms, those
#: of the logistic cross-entropy's 108-operation second derivative (about
#: 150 nodes) 0.3-1 s, most of it ``cancel``, on the machine they were
#: measured on; past 400 nodes that grows to seconds.
MAX_ENTRY_NODES = 400
#: A job with more entries than this is cheap-only. The full candidate set
#: costs about 2-8 ms per entry that has a sum in it, so 1,000 entries can
#: add seconds; a 50×50 Hessian (1,325 entries with its gradient) is over it.
MAX_JOB_ENTRIES = 1_000
#: A job whose entries (those with a sum) hold more nodes in all than this is cheap-only.
MAX_JOB_NODES = 20_000
#: A job whose entries hold more nodes than this is left as it is: even the
#: cheap rewrite and its check cost about 0.05 ms a node.
MAX_CHEAP_JOB_NODES = 200_000
#: Rewrites that expand (``cancel``, ``factor``, ``expand``) are not tried
#: on an entry holding a power of a sum above this: ``(x + y)**40`` expands
#: to 41 terms, and cancelling powers like it takes seconds.
MAX_EXPANDED_POWER = 12
#: Seconds SymPy's ``simplify`` and ``factor`` may take on one entry in mode "full".
FULL_ENTRY_SECONDS = 2.0
#: Most entries (first derivatives and Hessian upper triangles) a job may
#: have to be tidied at all: beyond it the derivatives stay as they are. A
#: 200-variable Hessian has 20,300; tidied cheap-only it took 10 times as
#: long as differentiating it (Rosenbrock: 1.4 s against 0.14 s), and the
#: node count alone of a dense one (log-sum-exp) takes seconds.
MAX_TIDIED_JOB_ENTRIES = 5_000
#: Mode tidy ``cancel``\ s and ``factor``\ s an entry whole only if it has at
#: most this many operations or at most :data:`MAX_FACTORED_GENERATORS`
#: generators (roots and functions besides the symbols). Multivariate
#: factoring grows fast with the generators: the second derivative of a sum
#: of ten inverse trig functions (61 operations, 9 roots) took 4.5 s in
#: ``factor`` alone, the derivative of a sum of 37 functions (148
#: operations) 23 s in ``cancel`` and ``factor``.
MAX_FACTORED_OPS = 50
#: Most seconds of CPU time (``time.process_time``: the process's own, not
#: the wall clock) mode tidy spends on one job: past it, the entries not yet
#: tidied stay as differentiation left them. CPU time, so a loaded machine
#: tidies a job exactly as an idle one does. Mode full has no such net (its
#: ``simplify`` has :data:`FULL_ENTRY_SECONDS` per entry).
TIDY_JOB_SECONDS = 3.0
#: When the job has its own (wall-clock) time limit (``--timeout``, 10 s by
#: default), tidying also stops once this share of the time the job has
#: left has passed, so tidying never makes a job hit its limit. On an idle
#: or moderately loaded machine :data:`TIDY_JOB_SECONDS` of CPU time ends
#: first; this acts only when the job gets less than about a third of a core.
TIDY_WALL_SHARE = 0.8
#: See :data:`MAX_FACTORED_OPS`.
MAX_FACTORED_GENERATORS = 4
#: Mode tidy expands (``expand``) entries with at most this many operations.
MAX_EXPANDED_OPS = 25
#: Mode tidy runs SymPy's ``trigsimp`` only on entries with at most this many operations ...
MAX_TRIG_OPS = 40
#: ... and gives it at most this many seconds of CPU time an entry (it
#: factors over extensions, which can take long; on overrun its candidate is
#: dropped).
TRIG_ENTRY_SECONDS = 0.5
#: How many of the smallest candidates get the last rewrites (a sign moved
#: into a sum, the logistic function's powers as ``cosh``).
POLISHED = 3
#: The last rewrites collect the sums of a candidate with at most this many
#: operations in each of its first :data:`MAX_COLLECTED_GENERATORS` symbols
#: and functions (``y*(72*x - 48)``; ``exp(w*x)`` in a logistic's numerator).
MAX_COLLECTED_OPS = 60
#: See :data:`MAX_COLLECTED_OPS`.
MAX_COLLECTED_GENERATORS = 6
#: Seconds between repeats of a CPU-time limit's signal once it has fired (an
#: overrun raised where SymPy swallows exceptions is raised again).
CPU_REFIRE_INTERVAL = 0.05

Rewrite = Callable[[Any], Any]


class _Overrun(Exception):
    """An entry's own time budget ran out (not the job's limit)."""


def cpu_limit(seconds: float | None) -> _CpuLimit:
    """Raise :class:`_Overrun` in the block once it has used ``seconds`` of CPU time.

    The process's CPU time (``time.process_time``, counted by the kernel's
    ``ITIMER_PROF`` timer, which signals ``SIGPROF``), so how far the block
    gets does not depend on the machine's load. Like
    :func:`symgrad.limits.time_limit`: a no-op without a limit, off the main
    thread or without ``setitimer``; inside a CPU limit that ends sooner it
    does nothing, and on leaving it rearms the enclosing one with what is
    left; once fired it fires again every :data:`CPU_REFIRE_INTERVAL`
    seconds until the block ends, and a block that swallowed it and ended
    normally raises on leaving.
    """
    return _CpuLimit(seconds)


class _CpuLimit:
    """:func:`cpu_limit`'s context manager.

    A class rather than a generator so that its signal handler can tell its
    own set-up and clean-up apart (the code of :meth:`__enter__` and
    :meth:`__exit__`) and never raise there: an overrun raised at the very
    start of the clean-up would skip it, leaving the timer armed and the
    handler active, to raise later outside any block.
    """

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.noop = True
        self.active = False
        self.fired = False

    def on_signal(self, signum: int, frame: Any) -> None:
        if self.active and (frame is None or frame.f_code not in _OWN_CODE):
            self.fired = True
            raise _Overrun

    def __enter__(self) -> None:
        seconds = self.seconds
        usable = (
            seconds is not None
            and hasattr(signal, "setitimer")
            and hasattr(signal, "SIGPROF")
            and threading.current_thread() is threading.main_thread()
        )
        if not usable:
            return
        assert seconds is not None
        self.outer_left, self.outer_interval = signal.getitimer(signal.ITIMER_PROF)
        if self.outer_left and self.outer_left <= seconds:
            return  # the enclosing CPU limit ends first and stays in force
        self.noop = False
        self.previous = signal.getsignal(signal.SIGPROF)
        self.started = time.process_time()
        self.active = True
        signal.signal(signal.SIGPROF, self.on_signal)
        signal.setitimer(signal.ITIMER_PROF, max(seconds, 1e-6), CPU_REFIRE_INTERVAL)

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.noop:
            return
        self.active = False
        try:
            signal.setitimer(signal.ITIMER_PROF, 0)
        finally:  # each step runs even if another signal (Ctrl-C, the job's limit) cut one short
            try:
                signal.setitimer(signal.ITIMER_PROF, 0)
            finally:
                # SIGPROF's default action ends the process: never restore it while a
                # timer might still be armed (ignoring it changes nothing else)
                keep = self.previous not in (None, signal.SIG_DFL)
                signal.signal(signal.SIGPROF, self.previous if keep else signal.SIG_IGN)
                if self.outer_left:
                    left = max(self.outer_left - (time.process_time() - self.started), 1e-6)
                    signal.setitimer(signal.ITIMER_PROF, left, self.outer_interval)
        if kind is None and self.fired:
            raise _Overrun


_OWN_CODE = (_CpuLimit.__enter__.__code__, _CpuLimit.__exit__.__code__)


def _wall_backstop() -> float | None:
    """Seconds of wall-clock time tidying may take within the job's own time
    limit (:data:`TIDY_WALL_SHARE` of what it has left), or None if it has none."""
    if not hasattr(signal, "getitimer") or threading.current_thread() is not threading.main_thread():
        return None
    left = signal.getitimer(signal.ITIMER_REAL)[0]
    return left * TIDY_WALL_SHARE if left else None


def check_mode(mode: str) -> str:
    """``mode`` if it is one of :data:`MODES`, else an :class:`~symgrad.errors.OptionError`."""
    if mode not in MODES:
        raise OptionError(
            f"unknown simplify mode {mode!r} (choose from {', '.join(MODES)})"
        ).about("--simplify")
    return mode


def measure(expr: Any) -> tuple[int, int]:
    """The size the tidy step minimises: ``count_ops``, then the length of ``str``."""
    import sympy as sp

    return int(sp.count_ops(expr, visual=False)), len(str(expr))


# ---------------------------------------------------------------------------
# Candidates


def _has_quotient(expr: Any) -> bool:
    """Whether ``expr`` holds a negative power of something that is not a plain symbol."""
    import sympy as sp

    return any(p.exp.is_negative and not p.base.is_Symbol for p in expr.atoms(sp.Pow))


def _cheap_rewrites(expr: Any) -> list[Rewrite]:
    """``factor_terms``, if some sum in ``expr`` has a common factor to pull out."""
    import sympy as sp

    return [sp.factor_terms] if rewrites.factorable(expr) else []


def _tidy_rewrites(expr: Any) -> list[Rewrite]:
    """The rewrites of mode "tidy" worth trying on ``expr``.

    Chosen by measurement on the readability corpus: each is kept because
    on some entry it gives the smallest form; ``powsimp`` alone never did
    and ``powdenest`` saved 3 operations in all for a quarter of the time,
    so they are not run on their own.
    """
    import sympy as sp

    kinds = (sp.sin, sp.cos, sp.sinh, sp.cosh)
    trig = any(p.exp == 2 and isinstance(p.base, kinds) for p in expr.atoms(sp.Pow))
    quotient = rewrites.cancellable(expr)
    # moving signs weighs each product of the entry: on small entries only
    found: list[Rewrite] = [rewrites.signed] if sp.count_ops(expr) <= MAX_FACTORED_OPS else []
    if trig or quotient or rewrites.factorable(expr):
        found.append(lambda e: sp.gcd_terms(rewrites.pythagorean(e)))
    if quotient:
        found.append(sp.together)
    if _has_quotient(expr) and expr.has(sp.cos, sp.cosh):
        found.append(lambda e: sp.factor_terms(rewrites.tangents(e)))
    if rewrites.has_exponential_product(expr) or any(a.args[0].is_Mul for a in expr.atoms(sp.exp)):
        found.append(rewrites.merged_exponentials)
    if expr.is_Mul:
        found.append(rewrites.expanded_coefficient)
    if expr.has(sp.tanh):
        found.append(lambda e: sp.factor_terms(rewrites.sech_squares(e)))
    if rewrites.has_logistic_power(expr):
        found.append(rewrites.logistic_cosh)
    if expr.has(sp.Abs):
        found.append(rewrites.abs_merged)
    if any(p.base.is_Add and p.exp.is_Rational and not p.exp.is_Integer
           for p in expr.atoms(sp.Pow)):
        found.append(rewrites.collected_radicals)
    # cancel and factor work on a polynomial view of the whole entry: costly
    # past a size with many generators (see MAX_FACTORED_OPS)
    if not _factorable_size(expr):
        return found
    if quotient:
        found.append(lambda e: rewrites.abs_merged(sp.factor_terms(_powers_merged(sp.cancel(e)))))
        found.append(lambda e: rewrites.abs_merged(_powers_merged(sp.factor(e))))
    if _has_quotient(expr) and any(a.args[0].could_extract_minus_sign() for a in expr.atoms(sp.exp)):
        found.append(rewrites.positive_exponentials)
    if expr.has(sp.tan, sp.cot, sp.sec, sp.csc):
        found.append(lambda e: _trig_quotient(rewrites.sines_and_cosines(e)))
    if expr.is_polynomial() and not expr.is_Atom:
        found.append(lambda e: sp.factor_terms(sp.expand(e)))
        found.append(sp.factor)
        found.extend(_collected(v) for v in sorted(expr.free_symbols, key=str))
    # expand pays on small entries (x*(sqrt(r) - L)/sqrt(r) is x - L*x/sqrt(r));
    # on big quotients it costs much and never won on the corpus
    if rewrites.expandable_product(expr) and sp.count_ops(expr) <= MAX_EXPANDED_OPS:
        found.append(sp.expand)
        if expr.is_Mul:
            found.append(lambda e: sp.Mul(*(sp.factor(f) if f.is_Add else f for f in e.args)))
    return found


def _powers_merged(expr: Any) -> Any:
    """``powsimp(expr, deep=True, combine="exp")``, where it may act: on an ``exp`` or
    a power with an exponent that is not an integer (a polynomial has neither)."""
    import sympy as sp

    if not any(isinstance(a, sp.exp) or not a.exp.is_Integer for a in expr.atoms(sp.Pow, sp.exp)):
        return expr
    return sp.powsimp(expr, deep=True, combine="exp")


def _polishes(expr: Any, collect: bool) -> list[Rewrite]:
    """The rewrites tried last, on the :data:`POLISHED` smallest candidates; with
    ``collect`` (the smallest) its sums collected in each symbol and function too."""
    import sympy as sp

    found: list[Rewrite] = []
    if sp.count_ops(expr) <= MAX_FACTORED_OPS and any(
            m.could_extract_minus_sign() for m in expr.atoms(sp.Mul)):
        found.append(rewrites.signed)
    if rewrites.has_logistic_power(expr):
        found.append(rewrites.logistic_cosh)
    # not with DiracDelta: the numerical check cannot see it (it is 0 at every
    # point it uses), so its terms are not regrouped here
    if collect and sp.count_ops(expr) <= MAX_COLLECTED_OPS and not expr.has(sp.DiracDelta):
        for generator in rewrites.collection_generators(expr)[:MAX_COLLECTED_GENERATORS]:
            found.append(_collected_sums(generator, factored=True))
            found.append(_collected_sums(generator, factored=False))
    return found


def _collected_sums(generator: Any, factored: bool) -> Rewrite:
    """A rewrite: :func:`~._tidy_rewrites.collected_sums` in ``generator``."""
    return lambda e: rewrites.collected_sums(e, generator, factored)


def _collected(symbol: Any) -> Rewrite:
    """A rewrite: the expanded polynomial collected in ``symbol``, each coefficient's
    common factors pulled out (``2*x**2 + y*(4*x - 26) + 4*y**3 - 22``)."""
    import sympy as sp

    return lambda e: sp.collect(sp.expand(e), symbol, func=sp.factor_terms)


def _factorable_size(expr: Any) -> bool:
    """Whether ``cancel``, ``factor``, ``expand`` and ``trigsimp`` may run on ``expr``
    (see :data:`MAX_FACTORED_OPS`)."""
    import sympy as sp

    return _expandable(expr) and (sp.count_ops(expr) <= MAX_FACTORED_OPS
                                  or _generators(expr) <= MAX_FACTORED_GENERATORS)


def _trig_rewrites(expr: Any) -> list[Rewrite]:
    """SymPy's ``trigsimp`` (sums of angles, double angles, ``1 - tanh(u)**2``), for
    small entries with trigonometric or hyperbolic functions; it runs within
    :data:`TRIG_ENTRY_SECONDS`."""
    import sympy as sp

    kinds = (sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)
    if not expr.has(*kinds) or sp.count_ops(expr) > MAX_TRIG_OPS:
        return []
    return [sp.trigsimp]


def _generators(expr: Any) -> int:
    """How many generators a polynomial view of ``expr`` has besides its symbols:
    its functions and its powers with exponents that are not integers."""
    import sympy as sp

    return len({a for a in expr.atoms(sp.Pow, sp.Function)
                if not (isinstance(a, sp.Pow) and a.exp.is_Integer)})


def _expandable(expr: Any) -> bool:
    """Whether no power of a sum in ``expr`` is above :data:`MAX_EXPANDED_POWER`."""
    import sympy as sp

    return all(
        not (p.base.is_Add and p.exp.is_Integer and abs(p.exp) > MAX_EXPANDED_POWER)
        for p in expr.atoms(sp.Pow)
    )


def _trig_quotient(expr: Any) -> Any:
    """``expr`` over one denominator, ``sin**2 + cos**2`` collapsed, common factors out."""
    import sympy as sp

    return sp.factor_terms(rewrites.pythagorean(sp.factor(sp.together(expr))))


def _full_rewrites() -> list[Rewrite]:
    import sympy as sp

    return [sp.simplify, sp.factor, lambda e: sp.factor_terms(sp.simplify(e))]


def _attempt(rewrite: Rewrite, expr: Any) -> Any:
    """``rewrite(expr)``, or None when SymPy cannot do it (the job's own errors pass)."""
    try:
        return rewrite(expr)
    except (SymgradError, _Overrun):
        raise
    except Exception:  # noqa: BLE001 - a rewrite SymPy cannot do is no candidate
        return None


def _collect(
    expr: Any, rewrite_list: Iterable[Rewrite], seconds: float | None, into: list[Any],
    *, cpu: bool = False,
) -> None:
    """Append each rewrite of ``expr`` (oriented) to ``into``, within ``seconds``
    (of CPU time with ``cpu``, else of wall-clock time)."""

    def run() -> None:
        for rewrite in rewrite_list:
            result = _attempt(rewrite, expr)
            if result is not None:
                result = rewrites.evaluated(result)
                into.append(result)
                into.append(rewrites.evaluated(rewrites.oriented(result)))

    if seconds is None:
        run()
        return
    try:
        with cpu_limit(seconds) if cpu else time_limit(seconds, error=_Overrun):
            run()
    except _Overrun:
        pass  # keep the candidates found so far


def _candidates(expr: Any, mode: str, cheap: bool, extra: Sequence[Rewrite]) -> list[Any]:
    """The input and its rewrites: the input turned (:func:`~._tidy_rewrites.oriented`) first,
    so on a tie the user's orientation wins, then the input itself."""
    base = rewrites.evaluated(rewrites.oriented(expr))
    found = [base, expr]
    _collect(base, [*_cheap_rewrites(base), *extra], None, found)
    if not cheap:
        _collect(base, _tidy_rewrites(base), None, found)
        _collect(base, _trig_rewrites(base), TRIG_ENTRY_SECONDS, found, cpu=True)
        # a second round on the smallest rewrite, when it is a new expression
        # that the guards (size, generators) now let cancel and factor
        sizes = _Sizes()
        smallest = next(iter(sizes.smallest(found[2:], 1)), None)
        if (smallest is not None and smallest not in (base, expr) and not smallest.is_Atom
                and _expandable(base)):
            _collect(smallest, _tidy_rewrites(smallest), None, found)
        # the last touches, on the few smallest: exact rewrites that act on
        # what cancel and factor leave (a sign into a sum, exp(u)/(exp(u) + 1)**2)
        for k, best in enumerate(sizes.smallest(found[2:], POLISHED)):
            _collect(best, _polishes(best, collect=k == 0), None, found)
        if mode == "full":
            _collect(base, _full_rewrites(), FULL_ENTRY_SECONDS, found)
    return found


class _Sizes:
    """:func:`measure` of candidates, each part taken once and ``str`` only where needed."""

    def __init__(self) -> None:
        self._ops: dict[Any, int] = {}
        self._lengths: dict[Any, int] = {}

    def ops(self, expr: Any) -> int:
        import sympy as sp

        if expr not in self._ops:
            self._ops[expr] = int(sp.count_ops(expr, visual=False))
        return self._ops[expr]

    def length(self, expr: Any) -> int:
        if expr not in self._lengths:
            self._lengths[expr] = len(str(expr))
        return self._lengths[expr]

    def smallest(self, candidates: Iterable[Any], k: int) -> list[Any]:
        """The ``k`` smallest distinct candidates by :func:`measure` (first occurrence first on a tie)."""
        unique = list(dict.fromkeys(candidates))
        by_ops = sorted(unique, key=self.ops)  # stable
        if len(by_ops) > k:  # only those tied with the k-th need their length
            cut = self.ops(by_ops[k - 1])
            by_ops = [c for c in by_ops if self.ops(c) <= cut]
        return sorted(by_ops, key=lambda c: (self.ops(c), self.length(c)))[:k]


def _best(expr: Any, candidates: list[Any]) -> Any:
    """The smallest candidate whose value is the input's (the input if none is smaller).

    Equal candidates are measured once, and ``str`` is only taken among
    those with the fewest operations so far not rejected.
    """
    import sympy as sp

    unique = dict.fromkeys(candidates)
    if len(unique) == 1:
        return expr
    by_ops: dict[int, list[Any]] = {}
    for candidate in unique:  # first occurrence keeps its place
        by_ops.setdefault(int(sp.count_ops(candidate, visual=False)), []).append(candidate)
    checker: Checker | None = None
    for ops in sorted(by_ops):
        group = sorted(by_ops[ops], key=lambda c: len(str(c))) if len(by_ops[ops]) > 1 else by_ops[ops]
        for candidate in group:
            if candidate == expr:
                return expr
            checker = checker or Checker(expr)
            if checker.same(candidate):
                return candidate
    return expr


def tidy(
    expr: Any, mode: str = "tidy", *, cheap: bool = False, extra: Sequence[Rewrite] = ()
) -> Any:
    """The smallest form of ``expr`` with its value (see the module docstring).

    ``cheap`` runs only the cheap rewrite; ``extra`` adds rewrites to try
    (each result is checked like any other candidate). An entry over
    :data:`MAX_ENTRY_NODES` nodes is tidied cheaply.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> tidy(y*(2*x - 2))
    2*y*(x - 1)
    >>> tidy(-y/(x**2*(1 + y**2/x**2)))
    -y/(x**2 + y**2)
    """
    check_mode(mode)
    if mode == "off" or rewrites.settled(expr):
        return expr
    return _tidy_entry(expr, mode, cheap, extra)


def _tidy_entry(expr: Any, mode: str, cheap: bool, extra: Sequence[Rewrite]) -> Any:
    """:func:`tidy` of an entry known not to be settled, ``mode`` not "off"."""
    cheap = cheap or node_count(expr, MAX_ENTRY_NODES + 1) > MAX_ENTRY_NODES
    return _best(expr, _candidates(expr, mode, cheap, extra))


# ---------------------------------------------------------------------------
# A whole job


def _entries(derivs: Derivatives) -> list[Any]:
    """Every entry the tidy step sees: first rows and each Hessian's upper triangle."""
    found = [e for row in derivs.first for e in row]
    for matrix in derivs.hessians or ():
        found += [matrix[i][j] for i in range(len(matrix)) for j in range(i, len(matrix))]
    return found


def job_plan(derivs: Derivatives, mode: str) -> str:
    """How a job is tidied: ``"off"``, ``"skip"`` (too big), ``"cheap"`` or ``mode`` itself."""
    return _plan(derivs, mode)[0]


def _plan(derivs: Derivatives, mode: str) -> tuple[str, list[Any]]:
    """:func:`job_plan` and the entries to tidy (those not settled), each once, in
    the job's order: when the budget runs out, the same entries are left as
    they were on every run (not those a set's hash order put last)."""
    check_mode(mode)
    if mode == "off":
        return "off", []
    entries = _entries(derivs)
    if len(entries) > MAX_TIDIED_JOB_ENTRIES:
        return "skip", []
    unsettled = [e for e in dict.fromkeys(entries) if not e.is_Atom and not rewrites.settled(e)]
    nodes = 0
    for e in unsettled:
        nodes += node_count(e, MAX_CHEAP_JOB_NODES + 1 - nodes)
        if nodes > MAX_CHEAP_JOB_NODES:
            return "skip", []
    if len(entries) > MAX_JOB_ENTRIES or nodes > MAX_JOB_NODES:
        return "cheap", unsettled
    return mode, unsettled


def tidy_derivatives(
    derivs: Derivatives, mode: str = "tidy", *, extra: Sequence[Rewrite] = ()
) -> Derivatives:
    """``derivs`` with every entry tidied (:func:`tidy`), within the job's budgets.

    Equal entries are tidied once, and each Hessian's upper triangle is
    tidied and mirrored, so an entry below the diagonal stays the very
    object above it.
    """
    plan, unsettled = _plan(derivs, mode)
    if not unsettled:
        return derivs
    cheap = plan == "cheap"
    changed: dict[Any, Any] = {}
    # A safety net, not a budget the corpus meets: no tidy job has come near
    # it since cancel and factor were bounded (MAX_FACTORED_OPS).
    seconds = None if mode == "full" else TIDY_JOB_SECONDS
    wall = None if mode == "full" else _wall_backstop()
    try:
        # the CPU limit inside: it is disarmed before the wall-clock one cleans up
        with time_limit(wall, error=_Overrun), cpu_limit(seconds):
            for e in unsettled:
                new = _tidy_entry(e, mode, cheap, extra)
                if new is not e:
                    changed[e] = new
    except _Overrun:
        pass  # the entries not reached stay as differentiation left them
    if not changed:
        return derivs

    def tidied(e: Any) -> Any:
        return changed.get(e, e)

    first = tuple(tuple(tidied(e) for e in row) for row in derivs.first)
    hessians = None
    if derivs.hessians is not None:
        hessians = tuple(_tidy_matrix(matrix, tidied) for matrix in derivs.hessians)
    return dataclasses.replace(derivs, first=first, hessians=hessians, raw=derivs.raw or derivs)


def _tidy_matrix(
    matrix: Sequence[Sequence[Any]], tidied: Callable[[Any], Any]
) -> tuple[tuple[Any, ...], ...]:
    n = len(matrix)
    upper = [[tidied(matrix[i][j]) if j >= i else None for j in range(n)] for i in range(n)]
    return tuple(tuple(upper[min(i, j)][max(i, j)] for j in range(n)) for i in range(n))
