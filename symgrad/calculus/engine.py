"""symengine as the differentiation engine, with SymPy where it must decide.

symengine (SymPy's C++ sibling) differentiates big formulas one to two
orders of magnitude faster than SymPy, but it knows nothing of real
variables, leaves the derivatives of non-smooth functions unevaluated
(``Derivative(abs(x), x)``) and silently treats functions it does not know
as constants (their derivative comes out as 0). So symengine only sees the
parts of a formula built from an allow-list of smooth operations
(:func:`supported`): sums, products, powers, numbers, pi, E, I and the
elementary and gamma-family functions, whose derivatives do not depend on
whether the variables are real. Everything else is differentiated by SymPy
under symgrad's real-variable semantics, and an entry that still came back
with a ``Derivative`` or ``Subs`` in it is recomputed with SymPy too.

Results are converted back to SymPy with the job's own (real) symbols, so
SymPy's automatic evaluation applies to them as to any other expression.

Engines: ``"sympy"``, ``"symengine"`` and ``"auto"`` (the default). symengine
is faster on every formula once imported, but its import costs 0.05-0.09 s,
more than SymPy needs for a small formula; so ``"auto"`` uses symengine for
big jobs (:data:`AUTO_MIN_WORK`) and SymPy for small ones. (The command
line's stdin mode, where many jobs share the import, asks for symengine.) When symengine cannot be imported symgrad says so once
on stderr and uses SymPy.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .. import unevaluated

__all__ = [
    "AUTO_MIN_WORK",
    "ENGINES",
    "available",
    "choose",
    "derivatives",
    "supported",
]

#: The engine names a job may ask for.
ENGINES = ("auto", "sympy", "symengine")

#: With ``engine="auto"`` a job is differentiated by symengine when SymPy's
#: work on it, estimated by :func:`_sympy_work`, reaches this; below it SymPy
#: finishes before symengine would be imported (0.04-0.09 s, most of it
#: NumPy, which symengine imports). Calibrated on the formulas of
#: ``benchmarks/bench_symbolic.py`` with a cold SymPy cache: a Rosenbrock
#: Hessian takes SymPy 0.02-0.03 s in 6 variables (work 400) and 0.05-0.1 s
#: in 10 (work 720); symengine takes under 0.01 s for either.
AUTO_MIN_WORK = 600

_MODULE: Any = None
_MISSING = False
_NOTICE_GIVEN = False


def _load() -> Any:
    """The symengine module, or None when it cannot be imported."""
    global _MODULE, _MISSING
    if _MODULE is None and not _MISSING:
        try:
            import symengine
        except ImportError:
            _MISSING = True
        else:
            _MODULE = symengine
    return _MODULE


def available() -> bool:
    """Whether symengine can be imported (it is imported if so)."""
    return _load() is not None


def _notice_missing() -> None:
    global _NOTICE_GIVEN
    if not _NOTICE_GIVEN:
        _NOTICE_GIVEN = True
        print(
            "symgrad: symengine is not installed; differentiating with SymPy "
            "(slower on big formulas; pip install symengine)",
            file=sys.stderr,
        )


def node_count(expr: Any, limit: int) -> int:
    """Tree nodes of ``expr`` (shared subtrees counted each time), up to ``limit``."""
    count = 0
    stack = [expr]
    while stack and count < limit:
        node = stack.pop()
        count += 1
        stack.extend(node.args)
    return count


def _sympy_work(exprs: Sequence[Any], hessian: bool, limit: int) -> int:
    """An estimate of SymPy's work on a job, counted up to ``limit``.

    symgrad's SymPy path differentiates each term of a sum only by the
    variables in it, so a term costs about its size times its number of
    symbols k, and k + 1 times that again for the Hessian.
    """
    import sympy as sp

    work = 0
    for expr in exprs:
        for term in expr.args if isinstance(expr, sp.Add) else (expr,):
            k = len(term.free_symbols)
            per_node = k * (k + 1) if hessian else k
            if per_node:
                work += per_node * node_count(term, -(-(limit - work) // per_node))
            if work >= limit:
                return work
    return work


def choose(engine: str, exprs: Sequence[Any], *, hessian: bool = False) -> str:
    """The engine that will run: ``"sympy"`` or ``"symengine"``.

    ``"auto"`` picks symengine when the job is big enough
    (:data:`AUTO_MIN_WORK`). Asking for symengine (or ``"auto"`` on a big
    job) without symengine installed gives SymPy and a one-line notice on
    stderr, once per process.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "sympy":
        return "sympy"
    if engine == "auto" and _sympy_work(exprs, hessian, AUTO_MIN_WORK) < AUTO_MIN_WORK:
        return "sympy"
    if available():
        return "symengine"
    _notice_missing()
    return "sympy"


# ---------------------------------------------------------------------------
# What symengine may differentiate


def _supported_types() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """(node types symengine differentiates as SymPy does, number types)."""
    import sympy as sp

    functions = (
        sp.exp, sp.log,
        sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc,
        sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc, sp.atan2,
        sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch,
        sp.asinh, sp.atanh, sp.acoth,  # not acosh: symengine's d/dx is wrong for x < -1
        sp.erf, sp.erfc, sp.gamma, sp.loggamma, sp.polygamma, sp.beta,
    )  # fmt: skip
    structure = (sp.Add, sp.Mul, sp.Pow, sp.Symbol)
    numbers = (sp.Rational, sp.Float)
    constants = (type(sp.pi), type(sp.E), type(sp.I))
    return structure + functions + constants, numbers


_TYPES: dict[type, bool] = {}


def _is_supported_type(kind: type) -> bool:
    import sympy as sp

    nodes, numbers = _supported_types()
    if kind in (type(sp.oo), type(sp.S.NegativeInfinity), type(sp.zoo), type(sp.nan)):
        return False
    return issubclass(kind, nodes + numbers) and not issubclass(kind, sp.Dummy)


def supported(expr: Any) -> bool:
    """Whether symengine's derivatives of ``expr`` equal SymPy's real-variable ones.

    True when every node is a sum, product, power, symbol, exact number,
    double-precision float, pi, E, I, or a smooth function on the
    allow-list. ``Abs``, ``sign``, ``Max``/``Min``, ``Heaviside``, ``re``,
    ``factorial``, ``oo`` and the like are not: symengine either leaves their
    derivative unevaluated or (for functions it does not know) returns 0.
    """
    import sympy as sp

    stack = [expr]
    while stack:
        node = stack.pop()
        kind = type(node)
        ok = _TYPES.get(kind)
        if ok is None:
            ok = _TYPES[kind] = _is_supported_type(kind)
        if not ok:
            return False
        if isinstance(node, sp.Float) and node._prec > 53:
            return False  # symengine would hold it as an MPFR number
        stack.extend(node.args)
    return True


# ---------------------------------------------------------------------------
# Conversion

_SYMBOLS: dict[Any, Any] = {}
_MAX_CACHED_SYMBOLS = 100_000


def _symbol_class() -> Any:
    se = _load()

    class _JobSymbol(se.Symbol):  # type: ignore[misc,name-defined]
        """A symengine symbol that converts back to the job's own SymPy symbol.

        symengine keeps a Python subclass of its ``Symbol`` alive inside its
        expressions, so results convert back to the real symbol (with its
        assumptions) rather than to a new plain ``Symbol``.
        """

        def __init__(self, name: str, symbol: Any) -> None:
            super().__init__(name)
            self.sympy_symbol = symbol

        def _sympy_(self) -> Any:
            return self.sympy_symbol

    return _JobSymbol


_JOB_SYMBOL: list[Any] = []


def _se_symbol(symbol: Any) -> Any:
    """The symengine twin of a SymPy symbol (cached: one per symbol per process)."""
    twin = _SYMBOLS.get(symbol)
    if twin is None:
        if not _JOB_SYMBOL:
            _JOB_SYMBOL.append(_symbol_class())
        if len(_SYMBOLS) >= _MAX_CACHED_SYMBOLS:
            _SYMBOLS.clear()
        twin = _SYMBOLS[symbol] = _JOB_SYMBOL[0](symbol.name, symbol)
    return twin


def _to_symengine(expr: Any, symbols: Iterable[Any]) -> Any:
    """``expr`` in symengine, its symbols replaced by their twins."""
    se = _load()
    converted = se.sympify(expr)
    return converted.xreplace({se.Symbol(s.name): _se_symbol(s) for s in symbols})


#: symengine function names that SymPy spells the same.
_FUNCTION_NAMES = frozenset(
    {
        "log", "sin", "cos", "tan", "cot", "sec", "csc",
        "asin", "acos", "atan", "acot", "asec", "acsc", "atan2",
        "sinh", "cosh", "tanh", "coth", "sech", "csch", "asinh", "atanh", "acoth",
        "erf", "erfc", "gamma", "loggamma", "polygamma", "beta",
    }
)  # fmt: skip


class _Unevaluated(Exception):
    """A result held a derivative symengine could not take."""


class _ToSympy:
    """Converts symengine results back to SymPy, sharing common subtrees.

    The memo makes a subexpression that recurs across entries (the sum in
    the denominator of every entry of a log-sum-exp Hessian) one SymPy
    object, built once. A ``Derivative`` or ``Subs`` raises
    :class:`_Unevaluated`, so the caller can recompute that entry with SymPy.
    """

    def __init__(self) -> None:
        import sympy as sp

        self.sp = sp
        self.memo: dict[Any, Any] = {}
        self.sort_key = functools.cmp_to_key(sp.Basic.compare)
        #: Atoms ``Mul.flatten`` treats specially that are not numbers.
        self.special = (sp.I, sp.zoo)

    def __call__(self, node: Any) -> Any:
        hit = self.memo.get(node)
        if hit is not None:
            return hit
        sp = self.sp
        kind = type(node).__name__
        if kind == "Add":
            result = self.sum(list(map(self, node.args)))
        elif kind == "Mul":
            result = self.product(list(map(self, node.args)))
        elif kind == "Pow":
            base, exp = node.args
            result = self.power(self(base), self(exp))
        elif kind in _FUNCTION_NAMES:
            result = getattr(sp, kind)(*map(self, node.args))
        elif kind in ("Derivative", "Subs"):
            raise _Unevaluated
        else:  # symbols, numbers and constants
            result = node._sympy_()
            if result.has(sp.Derivative, sp.Subs):
                raise _Unevaluated
        self.memo[node] = result
        return result

    # SymPy re-evaluates every product and power it builds, and its
    # assumption queries on each new ``x_i + x_j`` inside ``exp`` are most of
    # the cost of a dense Hessian. The two shortcuts below build the object
    # SymPy's evaluation would return, without it, in the cases where that
    # evaluation provably leaves the factors as they are (SymPy 1.14's
    # ``Mul.flatten`` and ``exp.eval``); anything else is built the usual way.

    def product(self, factors: list[Any]) -> Any:
        """``Mul(*factors)`` for SymPy-canonical ``factors``.

        ``Mul.flatten`` returns its factors sorted, coefficient first, when
        no two share a base (``as_base_exp``), no exponent is known to be
        zero, at most one factor is a number (a rational other than 0 and
        1), and none is a sum, a product, a power of a number, ``I``,
        ``zoo`` or non-commutative: nothing combines, distributes or
        cancels. Those products are built from their sorted factors. An
        exponent's ``is_zero`` is asked only when :meth:`linear` cannot
        answer (the query is the cost this saves).
        """
        sp = self.sp
        coeff = None
        bases = set()
        rest = []
        for factor in factors:
            if factor.is_Number:
                if coeff is not None or not factor.is_Rational or factor in (0, 1):
                    return sp.Mul(*factors)
                coeff = factor
                continue
            if factor.is_Add or factor.is_Mul or factor.is_Atom and factor in self.special or not factor.is_commutative:
                return sp.Mul(*factors)
            # exp(u).as_base_exp() is (E, u), built as a new product of u each time
            base, exponent = (sp.E, factor.args[0]) if type(factor) is sp.exp else factor.as_base_exp()
            if base in bases or factor.is_Pow and base.is_Number:
                return sp.Mul(*factors)
            if not self.linear(exponent) and exponent.is_zero:
                return sp.Mul(*factors)  # exp(z) with z known to be zero: flatten drops it
            bases.add(base)
            rest.append(factor)
        if len(rest) < 2 and coeff is None or not rest:
            return sp.Mul(*factors)
        rest.sort(key=self.sort_key)
        if coeff is not None:
            rest.insert(0, coeff)
        return sp.Mul._from_args(rest, True)

    def sum(self, terms: list[Any]) -> Any:
        """``Add(*terms)`` for SymPy-canonical ``terms``.

        ``Add.flatten`` returns its terms sorted when each is a commutative
        symbol or a rational times one and no symbol is in two: nothing
        combines (a sum of the gradient's ``x_i + x_j``). Those sums are
        built from their sorted terms.
        """
        sp = self.sp
        symbols = set()
        for term in terms:
            if term.is_Mul:
                if len(term.args) != 2 or not term.args[0].is_Rational:
                    return sp.Add(*terms)
                term = term.args[1]
            if not term.is_Symbol or term in symbols or not term.is_commutative:
                return sp.Add(*terms)
            symbols.add(term)
        if len(terms) < 2:
            return sp.Add(*terms)
        return sp.Add._from_args(sorted(terms, key=self.sort_key), True)

    def power(self, base: Any, exp: Any) -> Any:
        """``Pow(base, exp)``, with ``exp(u)`` built directly for a linear ``u``.

        For ``u`` a symbol, a rational times a symbol, or a sum of those (no
        constant term), none of whose symbols is known to be zero,
        ``exp.eval`` changes nothing: it would drop a term only if the
        term, or ``u`` itself, were known to be zero, and a sum of distinct
        symbols that may each be nonzero is not.
        """
        sp = self.sp
        if base is sp.E and self.linear(exp):
            return unevaluated.call(sp.exp, (exp,))
        return sp.Pow(base, exp)

    def linear(self, u: Any) -> bool:
        """Whether ``u`` is a symbol, rational*symbol, or a sum of those, none known to be zero."""
        terms = u.args if u.is_Add else (u,)
        for term in terms:
            if term.is_Mul:
                if len(term.args) != 2:
                    return False
                coeff, symbol = term.args
                if not (coeff.is_Rational and symbol.is_Symbol):
                    return False
            elif term.is_Symbol:
                symbol = term
            else:
                return False
            if symbol.is_zero:
                return False
        return True


# ---------------------------------------------------------------------------
# Differentiation

Gradient = Callable[[Any, Sequence[Any]], tuple[Any, ...]]


def _terms(expr: Any) -> tuple[Any, ...]:
    import sympy as sp

    return expr.args if isinstance(expr, sp.Add) else (expr,)


def derivatives(
    expr: Any,
    variables: Sequence[Any],
    *,
    hessian: bool,
    sympy_gradient: Gradient,
) -> tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...] | None]:
    """The gradient (and the upper triangle of the Hessian) of ``expr`` by symengine.

    The terms of a sum that symengine may not differentiate
    (:func:`supported`) are differentiated by ``sympy_gradient`` (SymPy with
    symgrad's real-variable semantics) and added in; so is any entry that
    came back holding an unevaluated derivative. Returns the gradient and,
    with ``hessian``, the Hessian's rows with ``None`` below the diagonal.
    """
    import sympy as sp

    se = _load()
    n = len(variables)
    safe: list[Any] = []
    unsafe: list[Any] = []
    if expr.has(sp.S.ComplexInfinity, sp.S.Infinity, sp.S.NegativeInfinity, sp.S.NaN):
        # An infinite term swallows finite ones when SymPy adds them, so the
        # sum must be differentiated whole, the way SymPy does.
        unsafe = [expr]
    else:
        for term in _terms(expr):
            (safe if supported(term) else unsafe).append(term)
    safe_expr = sp.Add(*safe)
    unsafe_expr = sp.Add(*unsafe)

    twins = [_se_symbol(v) for v in variables]
    try:
        f = _to_symengine(safe_expr, safe_expr.free_symbols)
    except (RuntimeError, TypeError, ValueError, NotImplementedError):
        # symengine could not take it after all: SymPy differentiates it all.
        f, safe_expr, unsafe_expr, unsafe = se.Integer(0), sp.S.Zero, expr, [expr]
    # Index the terms once by the symbols they hold, so a partial derivative
    # only differentiates the terms that depend on its variable.
    by_symbol: dict[Any, list[Any]] = {}
    for term in f.args if isinstance(f, se.Add) else (f,):
        for sym in term.free_symbols:
            by_symbol.setdefault(sym, []).append(term)
    se_grad = [se.add(*[t.diff(v) for t in by_symbol.get(v, ())]) for v in twins]

    to_sympy = _ToSympy()

    def convert(value: Any, of: Any, var: Any) -> Any:
        """``value`` in SymPy; d(of)/d(var) by SymPy if symengine left it unfinished."""
        if value == 0:
            return sp.S.Zero
        try:
            return to_sympy(value)
        except _Unevaluated:
            return sympy_gradient(of, (var,))[0]

    grad_safe = [convert(g, safe_expr, v) for g, v in zip(se_grad, variables)]
    if unsafe:
        grad_unsafe = sympy_gradient(unsafe_expr, variables)
        gradient = tuple(a + b if b != 0 else a for a, b in zip(grad_safe, grad_unsafe))
    else:
        grad_unsafe, gradient = (sp.S.Zero,) * n, tuple(grad_safe)
    if not hessian:
        return gradient, None

    rows: list[list[Any]] = [[None] * n for _ in range(n)]
    for i in range(n):
        g = se_grad[i]
        free = g.free_symbols
        for j in range(i, n):
            if twins[j] in free:
                rows[i][j] = convert(g.diff(twins[j]), grad_safe[i], variables[j])
            else:
                rows[i][j] = sp.S.Zero
        if unsafe and grad_unsafe[i] != 0:
            extra = sympy_gradient(grad_unsafe[i], variables[i:])
            for j, value in enumerate(extra, start=i):
                rows[i][j] = rows[i][j] + value
    return gradient, tuple(tuple(row) for row in rows)
