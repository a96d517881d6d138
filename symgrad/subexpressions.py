"""Common subexpressions of many entries, found once.

A dense derivative repeats one big subexpression in every entry: each entry
of a log-sum-exp Hessian holds the whole sum ``exp(x1) + ... + exp(xn)``.
:func:`shared_terms` names each subexpression that occurs more than once
(``t0 = exp(x1) + ...``) and rewrites the entries in those names, so code
generation and compiled evaluation compute it once instead of n² times.

The search is a tree CSE in one pass over the distinct nodes: a subtree met
a second time (by value: SymPy's objects hash structurally) becomes a
temporary, and the entries are rebuilt around the temporaries without
SymPy's automatic evaluation (the nodes are in canonical form already, and
re-evaluating them is what made ``sympy.cse`` take minutes on a
100-variable log-sum-exp Hessian). symengine's C++ ``cse`` was measured too:
it spends 7 s on that Hessian, since it also searches for shared parts of
sums and products; the linear pass takes a fraction of a second. Values are
the same expressions: substituting the temporaries back
(:func:`expand_terms`) gives the entries again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from . import unevaluated

__all__ = ["Replacer", "distinct_nodes", "expand_terms", "named_terms", "shared_terms"]

Temporaries = list[tuple[Any, Any]]


def distinct_nodes(exprs: Sequence[Any]) -> Iterator[Any]:
    """Every distinct subexpression of ``exprs``, each once.

    A job's entries share most of their subtrees (every entry of a
    log-sum-exp gradient holds the whole sum); SymPy's own ``atoms``,
    ``has``, ``free_symbols`` and ``xreplace`` walk a shared subtree once per
    occurrence, which made preparing a 100-variable job take seconds.
    """
    seen: set[Any] = set()
    stack = list(exprs)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(node.args)


class Replacer:
    """``xreplace`` with one memory for many expressions: each distinct node is rebuilt once.

    SymPy's own ``xreplace`` walks a shared subtree once per occurrence, so
    renaming the symbols of a dense job's entries one by one takes n² times
    the shared sum. With ``evaluate=False`` nodes are rebuilt without SymPy's
    automatic evaluation (:func:`_rebuilt`): renaming symbols for code needs
    no new canonical form, and evaluating thousands of ``exp(x_i + x_j)``
    again took seconds. The results are then equal in value to
    ``xreplace``'s, not always in SymPy's argument order.
    """

    def __init__(self, mapping: dict[Any, Any], evaluate: bool = True):
        self.memo: dict[Any, Any] = dict(mapping)
        self.rebuild: Callable[[Any, list[Any]], Any] = (
            (lambda node, args: node.func(*args)) if evaluate else _rebuilt)

    def __call__(self, expr: Any) -> Any:
        # iterative, children before parents: deep trees need no deep recursion
        stack = [(expr, False)]
        while stack:
            node, ready = stack.pop()
            if node in self.memo:
                continue
            if not node.args:
                self.memo[node] = node
            elif ready:
                args = [self.memo[a] for a in node.args]
                changed = any(new is not old for new, old in zip(args, node.args))
                self.memo[node] = self.rebuild(node, args) if changed else node
            else:
                stack.append((node, True))
                stack.extend((a, False) for a in node.args if a not in self.memo)
        return self.memo[expr]


def _temporaries(prefix: str, taken: set[str]) -> Callable[[], Any]:
    """A maker of the next real symbol ``t0``, ``t1``, ... whose name no entry uses."""
    import sympy as sp

    count = [0]

    def make() -> Any:
        while f"{prefix}{count[0]}" in taken:
            count[0] += 1
        symbol = sp.Symbol(f"{prefix}{count[0]}", real=True)
        count[0] += 1
        return symbol

    return make


def _opaque() -> tuple[type, ...]:
    """Nodes whose insides are not rewritten: a temporary inside ``Derivative(f, x)``
    would change what is differentiated."""
    import sympy as sp

    return (sp.Derivative, sp.Subs, sp.Integral)


def _repeated(exprs: Sequence[Any]) -> set[Any]:
    """The non-atomic subexpressions (numbers, not conditions) that occur more
    than once among ``exprs`` (inside a repeated subtree, each occurrence counts once)."""
    import sympy as sp

    opaque = _opaque()
    seen: set[Any] = set()
    repeated: set[Any] = set()
    stack = list(exprs)
    while stack:
        node = stack.pop()
        if not node.args:
            continue
        if node in seen:
            if isinstance(node, sp.Expr):
                repeated.add(node)
            continue
        seen.add(node)
        if not isinstance(node, opaque):
            stack.extend(node.args)
    return repeated


def _rebuilt(node: Any, args: list[Any]) -> Any:
    """``node`` with new ``args``, without SymPy's automatic evaluation where it can be skipped."""
    import sympy as sp

    if isinstance(node, (sp.Add, sp.Mul)):
        return type(node)._from_args(args)
    if isinstance(node, sp.Pow):
        return sp.Pow(*args, evaluate=False)
    if isinstance(node, sp.Function):
        return unevaluated.call(node.func, args)
    return node.func(*args)


def shared_terms(exprs: Sequence[Any], prefix: str = "t") -> tuple[Temporaries, list[Any]]:
    """``(temporaries, reduced)``: each subexpression ``exprs`` share, named once.

    ``temporaries`` is a list of ``(symbol, value)`` in order of computation
    (a value refers only to the symbols of the entries and to earlier
    temporaries); ``reduced`` is ``exprs`` written in them. The temporaries
    are real symbols ``t0``, ``t1``, ... (``prefix``), skipping any name the
    entries use. An entry that is itself shared is a temporary in
    ``reduced``.
    """
    import sympy as sp

    exprs = list(exprs)
    taken = {n.name for n in distinct_nodes(exprs) if isinstance(n, sp.Symbol)}
    make = _temporaries(prefix, taken)
    repeated = _repeated(exprs)
    opaque = _opaque()
    temps: Temporaries = []
    memo: dict[Any, Any] = {}
    for expr in exprs:
        # iterative, children before parents: temporaries come in order of use
        stack = [(expr, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            if not node.args or (isinstance(node, opaque) and node not in repeated):
                memo[node] = node
            elif isinstance(node, opaque) or ready:
                args = [memo.get(a, a) for a in node.args]
                new = node if all(n is o for n, o in zip(args, node.args)) else _rebuilt(node, args)
                if node in repeated:
                    symbol = make()
                    temps.append((symbol, new))
                    new = symbol
                memo[node] = new
            else:
                stack.append((node, True))
                stack.extend((a, False) for a in reversed(node.args) if a not in memo)
    return temps, [memo[e] for e in exprs]


def expand_terms(temps: Temporaries, reduced: Sequence[Any]) -> list[Any]:
    """The entries again: ``reduced`` with every temporary replaced by its value."""
    values: dict[Any, Any] = {}
    for symbol, value in temps:
        values[symbol] = value.xreplace(values)
    return [e.xreplace(values) for e in reduced]


#: :func:`named_terms` names a shared subexpression of at least this many
#: operations (a sum or product of k terms counts k - 1, a power or a
#: function 1): ``exp(x) + exp(y) + exp(z)`` (5) gets a name, ``(x - a)**2``
#: (3) and ``exp(x1)`` (1) are clearer written out.
MIN_NAMED_OPERATIONS = 4


def _operations_at_least(expr: Any, count: int) -> bool:
    """Whether ``expr`` has at least ``count`` operations (repeats counted)."""
    stack = [expr]
    seen = 0
    while stack:
        node = stack.pop()
        if node.args:
            seen += max(1, len(node.args) - 1) if (node.is_Add or node.is_Mul) else 1
            if seen >= count:
                return True
            stack.extend(node.args)
    return False


def named_terms(exprs: Sequence[Any], taken: Iterable[str] = (), prefix: str = "t",
                min_operations: int = MIN_NAMED_OPERATIONS) -> tuple[Temporaries, list[Any]]:
    """``(names, rewritten)``: the subexpressions ``exprs`` share, named for a reader.

    The shared subexpressions of :func:`shared_terms`, but only those of at
    least ``min_operations`` operations and not equal to a whole entry get a name
    (``t0``, ``t1``, ... after ``prefix``, none of ``taken`` nor of the
    entries' own names); the others are written out again. ``names`` is in
    order of computation; ``rewritten`` is ``exprs`` in those names: each
    entry's own tree with the named subtrees replaced by their names
    (rebuilt without SymPy's re-evaluation, which took seconds on a dense
    Hessian; the printers order terms themselves). Putting the values back
    (:func:`expand_terms`) gives ``exprs``.
    """
    import sympy as sp

    exprs = list(exprs)
    distinct = list(dict.fromkeys(exprs))
    whole = set(distinct)
    temps, reduced = shared_terms(distinct, prefix="_shared")
    used = {n.name for n in distinct_nodes(distinct) if isinstance(n, sp.Symbol)} | set(taken)
    make = _temporaries(prefix, used)
    back = Replacer({}, evaluate=False)
    names: Temporaries = []
    for symbol, value in temps:
        value = back(value)
        if value.is_Pow and _operations_at_least(value.base, min_operations):
            # 1/(a sum) shared: the sum is named, the entries divide by it (exp(x)/t0)
            name = make()
            names.append((name, value.base))
            back.memo[symbol] = name**value.exp
        elif value in whole or not _operations_at_least(value, min_operations):
            back.memo[symbol] = value
        else:
            name = make()
            back.memo[symbol] = name
            names.append((name, value))
    by_entry = {entry: back(r) for entry, r in zip(distinct, reduced)}
    return names, [by_entry[e] for e in exprs]
