"""Evaluation of symbolic derivatives at a point.

Values are substituted bottom-up through the expression tree, so each node
is rebuilt from numbers by SymPy's own automatic evaluation, with the same
size guards as the parser (an exact ``2**(10**10)`` is refused, not
attempted). When every input value is exact the results are exact; when any
is a decimal, all values are taken as binary floats, computed with 30 digits
and the results rounded to SymPy Floats of double precision.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .. import limits
from ..errors import (
    EvaluationError,
    JobTimeoutError,
    PointError,
    ResourceLimitError,
    SymgradError,
    VariableError,
)
from ..parsing import parse_value
from ..parsing.functions import GUARDED_ARGUMENTS, check_special_arguments
from ..results import LargeReal, PointValues, Problem, plain
from .removable import POINT_LIMIT_SECONDS

if TYPE_CHECKING:
    from ..calculus import Derivatives

#: Working precision, in decimal digits, for points given as decimals.
WORKING_DIGITS = 30


def _to_number(name: str, value: Any, real: bool = True) -> Any:
    """A user's value as a SymPy number; checks that it is a finite real
    (with ``real=False``, a finite complex number)."""
    import sympy as sp

    # numpy.bool_ is no Python bool, but it is no number either
    if isinstance(value, bool) or type(value).__name__ in ("bool", "bool_"):
        raise PointError(f"value of {name} is not a number: {value!r}")
    if isinstance(value, str):
        return parse_value(value, name, real)
    if isinstance(value, complex) and not real:
        number = sp.Float(value.real) + sp.Float(value.imag) * sp.I
    elif isinstance(value, numbers.Integral):  # int, numpy.int64, ...: exact
        number = sp.Integer(int(value))
    elif isinstance(value, float):
        number = sp.Float(value)
    elif isinstance(value, Fraction):
        number = sp.Rational(value.numerator, value.denominator)
    elif isinstance(value, sp.Basic):
        from ..parsing.sympy_input import check_expression

        try:  # only what a formula's text could hold: no Integral(...), no huge tree
            check_expression(value)
        except SymgradError as err:
            raise PointError(f"value of {name} is not a number: {err}") from None
        number = value
    else:
        try:
            number = sp.Float(float(value))
        except (TypeError, ValueError):
            raise PointError(f"value of {name} is not a number: {value!r}") from None
    limits.check_numbers(number, f"value of {name}")
    if number.free_symbols or not _finite_number(number, real):
        raise PointError(f"value of {name} is not a finite {'real' if real else 'complex'} number: {value!r}")
    return number


def _finite_number(number: Any, real: bool) -> bool:
    """Whether a SymPy number is a finite real (or, with ``real=False``, finite complex) value."""
    return not _is_problem(plain(number), real)


def _point(
    derivs: Derivatives, values: Mapping[str, Any]
) -> tuple[dict[Any, Any], dict[Any, Any], bool]:
    """The point as given (in symbol order), the values to compute with, exactness."""
    symbols = derivs.parsed.symbols
    by_name = {s.name: s for s in symbols}
    known = tuple(by_name)
    for name in values:
        if name not in by_name:
            raise VariableError(
                f"unknown variable {name!r} (the formula's symbols: {', '.join(known) or 'none'})",
                names=(name,), known=known,
            )
    missing = tuple(s.name for s in symbols if s.name not in values)
    if missing:
        raise VariableError(f"no value for {', '.join(missing)}", names=missing, known=known)
    real = derivs.parsed.real
    given = {by_name[name]: _to_number(name, value, real) for name, value in values.items()}
    ordered = {s: given[s] for s in symbols}
    working, exact = _working(ordered)
    return ordered, working, exact


def _working(numbers: dict[Any, Any]) -> tuple[dict[Any, Any], bool]:
    """The values to compute with, and whether they are exact.

    Exact values stay as they are; if any is a decimal, all become
    :data:`WORKING_DIGITS`-digit floats.
    """
    import sympy as sp

    if not any(n.has(sp.Float) for n in numbers.values()):
        return numbers, True

    def working(n: Any) -> Any:
        re, im = n.evalf(WORKING_DIGITS).as_real_imag()  # im is 0 but with --complex
        value = sp.Float(re, WORKING_DIGITS)
        return value + sp.Float(im, WORKING_DIGITS) * sp.I if im else value

    return {s: working(n) for s, n in numbers.items()}, False


def _check_special(name: str, args: Sequence[Any]) -> None:
    """The parser's size checks of a special function's orders and gamma-like arguments."""
    check_special_arguments(name, args, *GUARDED_ARGUMENTS[name])


_FROM_ARGS: dict[type, bool] = {}


def _free_symbols_from_args(cls: type) -> bool:
    """Whether ``cls`` has ``Basic``'s ``free_symbols`` (the union of its arguments').

    Looked up along the class's own MRO: ``type(expr).free_symbols`` would
    find the property SymPy's function metaclass defines for the class itself."""
    known = _FROM_ARGS.get(cls)
    if known is None:
        import sympy as sp

        owner = next(c for c in cls.__mro__ if "free_symbols" in c.__dict__)
        known = _FROM_ARGS[cls] = owner is sp.Basic
    return known


class _Substituter:
    """Bottom-up substitution with a memo shared by all entries of a point."""

    def __init__(self, values: Mapping[Any, Any], exact: bool = True):
        self.values = dict(values)
        self.exact = exact
        self.memo: dict[Any, Any] = {}
        self.free: dict[Any, bool] = {}

    def has_free_symbols(self, expr: Any) -> bool:
        """``bool(expr.free_symbols)``, remembered for every subexpression.

        SymPy walks the whole tree for each ``free_symbols``: asked of every
        entry of a dense Hessian, it would walk the sum they all share each
        time. Where a class takes its free symbols from its arguments (as
        ``Basic`` does: sums, products, powers, functions), so does this;
        a class with bound variables of its own (an integral) is asked.
        """
        import sympy as sp

        known = self.free.get(expr)
        if known is None:
            if isinstance(expr, sp.Symbol):
                known = True
            elif _free_symbols_from_args(type(expr)):
                known = any(map(self.has_free_symbols, expr.args))
            else:
                known = bool(expr.free_symbols)
            self.free[expr] = known
        return known

    def __call__(self, expr: Any) -> Any:
        import sympy as sp

        if expr in self.memo:
            return self.memo[expr]
        if isinstance(expr, sp.Symbol):
            result = self.values.get(expr, expr)
        elif not expr.args or not self.has_free_symbols(expr):
            result = expr
        elif isinstance(expr, (sp.Derivative, sp.Subs, sp.Integral)):
            result = expr.subs(self.values).doit()
        else:
            args = [self(arg) for arg in expr.args]
            if isinstance(expr, sp.Pow):
                limits.check_power(args[0], args[1])
            elif isinstance(expr, (sp.factorial, sp.gamma)):
                limits.check_factorial(type(expr).__name__, args[0])
            elif isinstance(expr, sp.binomial):
                limits.check_binomial(args[0], args[1])
            elif type(expr).__name__ in GUARDED_ARGUMENTS:  # legendre(n, x) at n = 10**6
                _check_special(type(expr).__name__, args)
            try:
                # DiracDelta(0) has no value (SymPy keeps it, and 0*DiracDelta(0) is 0)
                zero_delta = isinstance(expr, sp.DiracDelta) and args[0].is_number and args[0].is_zero
                result = sp.nan if zero_delta else expr.func(*args)
            except (ValueError, ArithmeticError):
                # mpmath refuses some points outside a function's domain
                # (loggamma(-2.0): "gamma function pole"): undefined there.
                result = sp.nan
            else:
                if not self.exact:
                    if isinstance(result, sp.Function) and result.is_number:
                        result = _numeric(result)
                    if isinstance(result, sp.Float):
                        result = _overflowed(result)
        self.memo[expr] = result
        return result


#: Binary exponent beyond which a float-mode intermediate counts as infinite
#: (or zero). Far outside the double range, so 30-digit evaluation still
#: rescues ``exp(1000.0)*exp(-999.0)``, but small enough that mpmath never
#: has to build an exponent too large to handle (``exp(exp(exp(exp(10.0))))``).
MAX_FLOAT_EXPONENT = 2**20


def _overflowed(value: Any) -> Any:
    """``value`` as ``oo``/``-oo`` (or 0) when its magnitude is astronomically large (small)."""
    import sympy as sp

    sign, man, exp, bits = value._mpf_
    if not man:
        return value  # zero, inf or nan
    if exp + bits > MAX_FLOAT_EXPONENT:
        return sp.S.NegativeInfinity if sign else sp.oo
    if exp + bits < -MAX_FLOAT_EXPONENT:
        return sp.Float(0)
    return value


def _numeric(value: Any) -> Any:
    """A function of floats that SymPy left unevaluated, as a number if it is one.

    At a pole SymPy keeps ``polygamma(0, -1.0)`` unevaluated, and a zero
    factor would then hide it (``0*polygamma(0, -1.0)`` is 0); evaluated, it
    is ``nan`` and stays visible, as the exact ``zoo`` would.
    """
    import sympy as sp

    try:
        number = value.evalf(WORKING_DIGITS)
    except (ValueError, ArithmeticError):
        return sp.nan
    return number if number.is_Number else value


def _finish(value: Any, exact: bool) -> Any:
    """Round a float-mode value to double precision; check exact sizes."""
    import sympy as sp

    if value.free_symbols:
        raise EvaluationError(f"value still depends on {', '.join(sorted(map(str, value.free_symbols)))}")
    if value.has(sp.Derivative, sp.Subs, sp.AccumBounds):
        # A derivative SymPy could not take (re(x) of a complex x), or a value
        # known only to lie in a range (atan(zoo)): no value.
        return sp.nan
    if exact:
        limits.check_numbers(value, "an exact value at this point")
        return value
    if value in (sp.nan, sp.zoo, sp.oo, sp.S.NegativeInfinity):
        return value
    try:
        evaluated = value.evalf(WORKING_DIGITS)
    except (ValueError, ArithmeticError):  # erfinv(2): outside the domain
        return sp.nan
    if evaluated.is_Number:
        return sp.Float(evaluated, 15)
    re, im = evaluated.as_real_imag()
    if re.is_Number and im.is_Number:
        return sp.Float(re, 15) + sp.Float(im, 15) * sp.I
    return value


def _is_problem(text: Any, real: bool) -> bool:
    """Whether a value shown as ``text`` (:func:`~symgrad.results.plain`) is no finite
    real (a large real is one), or with ``real=False`` no finite complex number."""
    if not isinstance(text, str) or isinstance(text, LargeReal):
        return False
    return real or text in ("nan", "zoo", "inf", "-inf")


def _why(value: Any, text: str) -> str:
    if text == "zoo":
        return "division by zero (complex infinity)"
    if text in ("inf", "-inf"):
        return "infinite"
    if text == "nan":
        return "undefined"
    return "not a real number"


def _parameters_first(
    derivs: Derivatives, numbers: Mapping[Any, Any], exact: bool
) -> Callable[[Any], Any]:
    """Substitution of the point: the parameters' values first, then the variables'.

    Parameters are constants whose values come later, so an entry is first
    made what it would be had the formula been written with those values:
    ``n*(n - 1)*x**(n - 2)``, the second derivative of ``x**n``, is 0 at
    n = 1 (as for ``x``), not 0*oo at x = 0. Without parameters, one pass.
    """
    parameters = set(derivs.parameters)
    if not parameters:
        return _Substituter(numbers, exact)
    first = _Substituter({s: v for s, v in numbers.items() if s in parameters}, exact)
    then = _Substituter({s: v for s, v in numbers.items() if s not in parameters}, exact)
    return lambda expr: then(first(expr))


def _shown(value: Any) -> str:
    """A point's value in messages: a SymPy float as its shortest repr (``0.5``)."""
    import sympy as sp

    return repr(float(value)) if isinstance(value, sp.Float) else str(value)


class PointSubstitution:
    """Values of any expressions of a job at one point, collecting their problems.

    What :func:`evaluate` does for each entry, for other expressions too
    (the analyses' Laplacian, Taylor coefficients, ...): the point is
    checked (every symbol needs a value), parameters are substituted first,
    and a value that is not a finite real is kept and named in ``problems``.
    Entries repeat (a big Hessian is mostly the one object ``S.Zero``), so
    each expression object is finished once; keyed by identity, as
    equal-looking numbers of different kinds (2 and 2.0) must not share a
    result.
    """

    def __init__(self, derivs: Derivatives, point: Mapping[str, Any]):
        given, numbers, exact = _point(derivs, point)
        self.at: tuple[tuple[Any, Any], ...] = tuple(given.items())
        self.exact = exact
        self.real = derivs.parsed.real
        self.substitute = _parameters_first(derivs, numbers, exact)
        self._parameters = set(derivs.parameters)
        self._given_values = given
        self._given = [(s.name, point[s.name]) for s in numbers]
        self.problems: list[Problem] = []
        #: The entries whose value is a limit (the formula itself is 0/0 there).
        self.limits: list[str] = []
        #: What is left of the time for seeking limits at this point.
        self.limit_seconds_left = POINT_LIMIT_SECONDS
        self._finished: dict[int, tuple[Any, Any, Any]] = {}

    @property
    def text(self) -> str:
        """The point as messages show it (``x=1, y=0.5``); written only when one is needed."""
        return ", ".join(f"{name}={_shown(value)}" for name, value in self._given)

    def value(self, expr: Any, entry: str, limit: bool | Callable[[], bool] = False) -> Any:
        """The value of ``expr`` (named ``entry`` in problems) at the point.

        With ``limit`` (or where ``limit()`` is true, asked only then), where
        ``expr`` is 0/0 or 1/0 at the point but has a limit there that
        provably exists, the value is that limit and ``entry`` is listed in
        ``limits`` (:mod:`symgrad.evaluation.removable`).
        """
        import sympy as sp

        if id(expr) in self._finished:
            result, text, found = self._finished[id(expr)]
        else:
            try:
                result = _finish(self.substitute(expr), self.exact)
                if self.exact and not self.real and result.has(sp.I):  # (1 + I)**2 as 2*I
                    result = sp.expand(result, power_exp=False, log=False)
            except ResourceLimitError as err:
                raise EvaluationError(f"{entry} at {self.text}: {err}") from None
            text, found = plain(result), None
        if found is None and text in ("nan", "zoo") and (limit() if callable(limit) else limit):
            found = self._limit(expr)
        self._finished[id(expr)] = result, text, found
        if found is not None and (limit() if callable(limit) else limit):
            self.limits.append(entry)
            result, text = found, plain(found)
        if _is_problem(text, self.real):
            self.problems.append(Problem(entry, text, f"{_why(result, text)} at {self.text}"))
        return result

    def _limit(self, expr: Any) -> Any:
        """The limit of ``expr`` at the point, if it provably exists
        (:mod:`symgrad.evaluation.removable`), as the point's kind of number; else None."""
        import time

        from .removable import LIMIT_SECONDS, exact_point, limit_at

        if self.limit_seconds_left <= 0:
            return None
        started = time.monotonic()
        point = exact_point(self._given_values)
        parameters = {s: v for s, v in point.items() if s in self._parameters}
        variables = {s: v for s, v in point.items() if s not in self._parameters}
        try:
            with_parameters = _Substituter(parameters)(expr) if parameters else expr
            found = limit_at(with_parameters, variables, _Substituter(variables),
                             min(LIMIT_SECONDS, self.limit_seconds_left))
            if found is None:
                return None
            value = _finish(found[0], self.exact)
        except ResourceLimitError:
            return None
        finally:
            self.limit_seconds_left -= time.monotonic() - started
        return value if has_value(value) else None

    def values(self, exprs: Sequence[Any], entries: Sequence[str]) -> tuple[Any, ...]:
        """The values of several expressions, named by ``entries``."""
        return tuple(self.value(e, name) for e, name in zip(exprs, entries))


def has_value(value: Any) -> bool:
    """Whether ``value`` (a SymPy number or None) is a finite real."""
    return value is not None and _finite_number(value, real=True)


def _function_values(derivs: Derivatives, point: PointSubstitution) -> tuple[Any, ...]:
    """The value of each formula at ``point`` (its limit where it is 0/0 and the
    limit exists); a value that is not a finite real is kept, and its problem
    is not one of the point's. A value too large to compute exactly is None
    (the derivatives may still have values)."""
    from .. import labels

    problems = len(point.problems)
    values = []
    for c, expr in zip(derivs.components(), derivs.exprs):
        try:
            values.append(point.value(expr, labels.function(c), limit=True))
        except JobTimeoutError:
            raise
        except EvaluationError:  # a resource limit hit by the value alone
            values.append(None)
    del point.problems[problems:]
    return tuple(values)


def _with_undefined_function(problems: Sequence[Problem], derivs: Derivatives,
                             function: Mapping[int | None, Any]) -> tuple[Problem, ...]:
    """The problems, each undefined entry whose function has no value at the point saying so
    (its tidy formula may look defined there: d/dx atan(y/x) is -y/(x**2 + y**2))."""
    import dataclasses

    from .. import labels

    undefined = {c for c, v in function.items() if not has_value(v)}
    if not undefined or not problems:
        return tuple(problems)
    keys = {e.key: e.component for e in derivs.entries()}
    return tuple(
        dataclasses.replace(p, reason=f"{p.reason} ({labels.function(keys[p.entry])} itself has no value there)")
        if p.value == "nan" and keys.get(p.entry, "none") in undefined else p
        for p in problems
    )


def evaluate(derivs: Derivatives, values: Mapping[str, Any]) -> PointValues:
    """The derivatives at one point ``{name: value}``.

    Every free symbol, parameters included, needs a value. Entries that are
    not finite reals are kept (``zoo``, ``nan``, complex) and listed in
    ``problems``; it is the caller's choice whether that is an error.
    """
    from .removable import continuous_where_defined

    # The raw derivatives: where the tidy form cancelled a singularity
    # (atan(y/x) at x = 0) they still have it, and its limit is sought.
    derivs = derivs.raw or derivs
    point = PointSubstitution(derivs, values)
    components = derivs.components()
    # The function's values first: a derivative's limit is its value only where
    # what it differentiates has a value (atan(y/x) jumps at x = 0, so its
    # derivative there is undefined, although the formula's limit exists).
    function = dict(zip(components, _function_values(derivs, point)))
    exprs = dict(zip(components, derivs.exprs))
    computed: dict[tuple[int | None, tuple[int, ...]], Any] = {}

    def continuous(c: int | None, wrt: tuple[int, ...]) -> bool:
        """Whether what entry (c, wrt) differentiates is continuous at the point:
        a finite value (or limit) of an expression with no jumps."""
        if len(wrt) == 1:
            return has_value(function[c]) and continuous_where_defined(exprs[c])
        return any(has_value(computed[c, (k,)]) and continuous_where_defined(derivs.first[c or 0][k])
                   for k in wrt)

    # Every entry of the upper triangles, keyed by position, then the full layout.
    for e in derivs.entries():
        def parent_continuous(e: Any = e) -> bool:
            return continuous(e.component, e.wrt)

        computed[e.component, e.wrt] = point.value(e.value, e.key, limit=parent_continuous)
    first = tuple(
        tuple(computed[c, (i,)] for i in range(len(row))) for c, row in zip(components, derivs.first)
    )
    hessians = None
    if derivs.hessians is not None:
        n = len(derivs.variables)
        hessians = tuple(
            tuple(tuple(computed[c, (min(i, j), max(i, j))] for j in range(n)) for i in range(n))
            for c in components
        )
    return PointValues(
        at=point.at,
        exact=point.exact,
        first=first,
        hessians=hessians,
        vector=derivs.vector,
        problems=_with_undefined_function(point.problems, derivs, function),
        limits=tuple(point.limits),
        variable_names=tuple(v.name for v in derivs.variables),
        function=tuple(function.values()),
    )


def with_parameters(derivs: Derivatives, values: Mapping[str, Any]) -> Derivatives:
    """``derivs`` with the parameters named in ``values`` replaced by those values.

    The substitution :func:`evaluate` makes first, for when the parameters
    are fixed and the variables vary (``--points`` or ``--grid`` with
    ``--at a=2``): the compiled code then sees the entries as ``--at`` would,
    with their constants folded. Exact values stay exact; with a decimal
    among them, all are 30-digit floats. Names that are not parameters are
    ignored.
    """
    import dataclasses

    by_name = {s.name: s for s in derivs.parameters}
    real = derivs.parsed.real
    given = {by_name[name]: _to_number(name, value, real) for name, value in values.items() if name in by_name}
    if not given:
        return derivs
    substitute = _Substituter(*_working(given))

    def each(matrix: Any) -> Any:
        return tuple(each(m) for m in matrix) if isinstance(matrix, tuple) else substitute(matrix)

    return dataclasses.replace(
        derivs,
        first=each(derivs.first),
        hessians=None if derivs.hessians is None else each(derivs.hessians),
    )
