"""Step-by-step derivations: how each partial derivative is found, rule by rule.

:func:`derive_steps` differentiates an expression the way a person does on
paper: it looks at the outermost operation, names the rule that applies
(sum, constant multiple, product, quotient, power, chain rule with the
inner function named ``u``, ...) and differentiates the parts the rule
needs, each as a nested :class:`Step`. A nested chain rule is a chain rule
inside a chain rule's substeps, not one flattened line.

Each step holds the expression it differentiates (``before``) and its
derivative (``after``), built from the substeps' derivatives by the rule's
formula; the outer derivative of a function (``d/du sin(u) = cos(u)``) is
SymPy's table entry. :func:`derivations` makes one :class:`Derivation` per
entry of a :class:`~symgrad.calculus.Derivatives`: its steps end with a
``tidy`` step from the rules' result to symgrad's own derivative, exactly
as printed (the tidy step of :mod:`symgrad.calculus.tidy`). A Hessian
entry's derivation starts from the first derivative.

``a**b`` with both ``a`` and ``b`` depending on the variable is rewritten
as ``exp(b*log(a))`` first; a function with no rule here (``atan2``,
``Max``, ``erf``' relatives with several arguments, ...) is one step
named ``derivative of atan2`` whose result is SymPy's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import AnalysisError

if TYPE_CHECKING:
    from ..results import Entry
    from . import Derivatives

__all__ = ["MAX_STEPS", "Derivation", "Step", "derivations", "derive_steps"]

#: The most steps one derivation may have; a bigger one is refused (its
#: text would be longer than anyone reads, and its cost grows with it).
MAX_STEPS = 400

#: Rule names by SymPy function class name.
_FUNCTION_RULES: dict[str, str] = {
    **dict.fromkeys(("sin", "cos", "tan", "cot", "sec", "csc"), "trig rule"),
    **dict.fromkeys(("asin", "acos", "atan", "acot", "asec", "acsc"), "inverse trig rule"),
    **dict.fromkeys(("sinh", "cosh", "tanh", "coth", "sech", "csch"), "hyperbolic rule"),
    **dict.fromkeys(("asinh", "acosh", "atanh", "acoth", "asech", "acsch"), "inverse hyperbolic rule"),
    "exp": "exponential rule",
    "log": "logarithm rule",
    "Abs": "abs rule",
}

#: The names tried, in order, for the inner functions of chain rules (one per nesting depth).
_INNER_NAMES = ("u", "v", "w", "s", "t")


@dataclass(frozen=True)
class Step:
    """One rule applied: ``after`` is the derivative of ``before`` by ``variable``.

    ``inner`` is the inner function ``u`` of a chain rule (named ``name``),
    and its step's first substep differentiates the outer function by
    ``name``, the second ``u`` itself; for the ``other variables are
    constants`` step it holds those variables. A step of the ``tidy`` or
    ``other variables are constants`` rule has ``before`` and ``after``
    as expressions (not a derivative and its result).
    """

    rule: str
    before: Any
    after: Any
    variable: Any
    substeps: tuple[Step, ...] = ()
    inner: Any = None
    name: str = ""

    def walk(self) -> Iterator[Step]:
        """This step and every substep, depth first."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()

    @property
    def is_derivative(self) -> bool:
        """Whether ``after`` is the derivative of ``before`` (not the case for ``tidy``, ...)."""
        return self.rule not in (TIDY, CONSTANTS)


TIDY = "tidy"
CONSTANTS = "other variables are constants"


@dataclass(frozen=True)
class Derivation:
    """How one entry of the result is found.

    ``key`` names the entry (``df/dx``, ``d2f/dxdy``); ``start`` is what is
    differentiated (the formula, or for a Hessian entry the first
    derivative ``start_key``) by ``variable``; ``steps`` end with the tidy
    step whose ``after`` is ``result``, symgrad's own derivative.
    """

    key: str
    variable: Any
    start: Any
    steps: tuple[Step, ...]
    result: Any
    start_key: str = ""
    #: The derivative as the rules give it (before the tidy step).
    raw: Any = None
    #: The entry's formula index (None for a scalar function) and variables' indices, as in
    #: :class:`~symgrad.results.Entry`.
    component: int | None = None
    wrt: tuple[int, ...] = ()


class _Deriver:
    """Differentiates by ``variable``, one :class:`Step` per rule."""

    def __init__(self, variable: Any, taken: set[str]):
        import sympy as sp

        self.sp = sp
        self.x = variable
        self.taken = taken
        self.count = 0

    def inner_name(self, depth: int) -> Any:
        names = [*_INNER_NAMES, *(f"u{k}" for k in range(1, 100))]
        free = [n for n in names if n not in self.taken]
        return free[min(depth, len(free) - 1)]

    def step(self, rule: str, before: Any, after: Any, substeps: Sequence[Step] = (), **extra: Any) -> Step:
        self.count += 1
        if self.count > MAX_STEPS:
            raise AnalysisError(
                f"--steps: the derivation has more than {MAX_STEPS} steps; choose fewer variables with --wrt "
                "or a smaller formula"
            )
        return Step(rule, before, after, self.x, tuple(substeps), **extra)

    def d(self, e: Any, depth: int = 0) -> Step:
        sp = self.sp
        x = self.x
        if not e.has(x):
            return self.step("constant", e, sp.S.Zero)
        if e == x:
            return self.step("variable", e, sp.S.One)
        if isinstance(e, sp.Add):
            subs = [self.d(t, depth) for t in e.args]
            return self.step("sum rule", e, sp.Add(*[s.after for s in subs]), subs)
        if isinstance(e, sp.Mul):
            return self.product(e, depth)
        if isinstance(e, sp.Pow):
            return self.power(e, depth)
        if isinstance(e, sp.Function) and len(e.args) == 1 and type(e).__name__ in _FUNCTION_RULES:
            return self.function(e, _FUNCTION_RULES[type(e).__name__], depth)
        if isinstance(e, sp.Function) and len(e.args) == 1 and not isinstance(e, sp.Piecewise):
            return self.function(e, f"derivative of {type(e).__name__}", depth)
        return self.known(e)

    def known(self, e: Any) -> Step:
        """A step whose result is SymPy's (symgrad's) derivative: no rule of its own here."""
        from . import diff

        name = getattr(type(e), "__name__", "expression")
        return self.step(f"derivative of {name}", e, diff(e, self.x))

    def product(self, e: Any, depth: int) -> Step:
        sp = self.sp
        x = self.x
        constant = [f for f in e.args if not f.has(x)]
        varying = [f for f in e.args if f.has(x)]
        if constant:
            c = sp.Mul(*constant)
            rest = sp.Mul(*varying)
            sub = self.d(rest, depth)
            return self.step("constant multiple rule", e, c * sub.after, [sub])
        numerator, denominator = sp.fraction(e, exact=True)  # exp(-x) stays a factor
        if numerator.has(x) and denominator.has(x) and denominator != 1:
            top, bottom = self.d(numerator, depth), self.d(denominator, depth)
            after = (top.after * denominator - numerator * bottom.after) / denominator**2
            return self.step("quotient rule", e, after, [top, bottom])
        subs = [self.d(f, depth) for f in e.args]
        terms = [sp.Mul(*[s.after if k == i else f for k, f in enumerate(e.args)]) for i, s in enumerate(subs)]
        return self.step("product rule", e, sp.Add(*terms), subs)

    def power(self, e: Any, depth: int) -> Step:
        sp = self.sp
        x = self.x
        base, exponent = e.args
        if not exponent.has(x):
            if base == x:
                return self.step("power rule", e, exponent * x ** (exponent - 1))
            return self.chain(e, base, lambda u: u**exponent, "power rule", depth)
        if not base.has(x):
            if exponent == x:
                return self.step("exponential rule", e, e * sp.log(base))
            return self.chain(e, exponent, lambda u: base**u, "exponential rule", depth)
        rewritten = sp.exp(exponent * sp.log(base), evaluate=False)
        sub = self.function(rewritten, "exponential rule", depth)
        return self.step("rewrite a**b as exp(b*log(a))", e, e * sub.substeps[-1].after, [sub])

    def function(self, e: Any, rule: str, depth: int) -> Step:
        (arg,) = e.args
        return self.chain(e, arg, lambda u: e.func(u), rule, depth)

    def chain(self, e: Any, inner: Any, outer: Any, rule: str, depth: int) -> Step:
        """The step of ``e = outer(inner)``: ``rule`` itself when ``inner`` is the variable, else the chain rule."""
        sp = self.sp
        if inner == self.x:
            derivative = sp.diff(outer(self.x), self.x)
            if derivative.has(sp.Derivative):
                return self.known(e)
            return self.step(rule, e, derivative)
        name = self.inner_name(depth)
        u = sp.Symbol(name, real=True) if inner.is_extended_real else sp.Symbol(name)
        outer_u = outer(u)
        derivative = sp.diff(outer_u, u)
        if derivative.has(sp.Derivative):
            return self.known(e)
        self.count += 1
        first = Step(rule, outer_u, derivative, u)
        second = self.d(inner, depth + 1)
        after = derivative.xreplace({u: inner}) * second.after
        return self.step("chain rule", e, after, [first, second], inner=inner, name=name)


def derive_steps(expr: Any, variable: Any, taken: Sequence[str] = ()) -> Step:
    """The derivation tree of ``d expr / d variable``; ``taken`` are names the inner functions must not use."""
    names = {str(s) for s in expr.free_symbols} | set(taken)
    return _Deriver(variable, names).d(expr)


def derivations(derivs: Derivatives) -> tuple[Derivation, ...]:
    """One :class:`Derivation` per entry of ``derivs`` (first derivatives, then each Hessian's upper triangle)."""
    variables = derivs.variables
    names = [v.name for v in variables]
    first: dict[tuple[int | None, int], Any] = {}
    keys: dict[tuple[int | None, int], str] = {}
    out = []
    for entry in derivs.entries():
        c = entry.component
        expr = derivs.exprs[c or 0]
        if entry.order == 1:
            first[(c, entry.i)] = entry.value
            keys[(c, entry.i)] = entry.key
            start, start_key, var = expr, "", variables[entry.i]
        else:
            j = entry.j
            assert j is not None
            start, start_key, var = first[(c, entry.i)], keys[(c, entry.i)], variables[j]
        out.append(_derivation(entry, start, var, start_key, names))
    return tuple(out)


def _derivation(entry: Entry, start: Any, var: Any, start_key: str, names: Sequence[str]) -> Derivation:
    result = entry.value
    tree = derive_steps(start, var, names)
    steps = []
    others = sorted((s for s in start.free_symbols if s != var), key=lambda s: s.name)
    if others:
        steps.append(Step(CONSTANTS, start, start, var, inner=tuple(others)))
    steps.append(tree)
    steps.append(Step(TIDY, tree.after, result, var))
    return Derivation(entry.key, var, start, tuple(steps), result, start_key, tree.after, entry.component, entry.wrt)
