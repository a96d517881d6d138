"""Many entries of one shape, evaluated as one array operation.

A Hessian's entries are mostly a few formulas with different symbols in
them: every off-diagonal entry of a log-sum-exp Hessian is
``-exp(x_i + x_j)/t**2`` for its own ``i``, ``j`` (``t`` the shared sum),
every band entry of the chained Rosenbrock Hessian ``-400*x_i``. Compiled
one by one, such a job makes NumPy calls per entry per chunk of rows, and
the calls' overhead, not the arithmetic, takes the time.

:func:`compile_templates` sorts the entries (and the shared temporaries of
:func:`~symgrad.subexpressions.shared_terms`, found by the caller) by *shape*: the tree with
its symbols taken out, with which of its symbol slots hold the same symbol.
Each shape becomes one function of its slots (``lambdify`` of the shape with
placeholder symbols), called once per chunk on 2-D arrays: row ``k`` of a
slot's argument is that slot's symbol for the shape's ``k``-th entry. The
operations on each value are the entry's own, in the entry's own order (the
placeholders are put in without SymPy's re-evaluation), so the results are
the same doubles as evaluating each entry alone.

The working arrays are laid out one row per symbol or entry (``(symbols +
temporaries, rows)`` and ``(entries, rows)``), so gathering a slot's
symbols and storing a shape's results move whole rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..subexpressions import Replacer, Temporaries

__all__ = ["Shapes", "compile_templates", "shapes_of"]

#: Grouping is used when it saves calls: at most this many shapes, and at
#: least :data:`MIN_PER_SHAPE` items a shape on average. Each shape costs a
#: ``lambdify`` (a millisecond or two); a job of mostly distinct entries
#: (a small gradient) is compiled as before, in one ``lambdify``.
MAX_SHAPES = 256
MIN_PER_SHAPE = 4
#: Rows computed at once: a shape's arguments are (items, rows) arrays, and
#: thousands of items by thousands of rows no longer fit in the caches.
ROWS_PER_PASS = 256


@dataclass
class _Group:
    """Items of one shape computed in one call: the shape's function, which
    leaf each slot holds for each item (``slots[k, a]``), and where each
    item's result goes (a row of the output, or of the working array)."""

    function: Callable[..., Any]
    slots: Any  # np.ndarray (items, slots) of rows of the working array
    targets: Any  # np.ndarray (items,)
    output: bool


@dataclass
class Shapes:
    """``items`` sorted into shapes."""

    #: per shape: the indices of its items, in order
    members: dict[Any, list[int]]
    #: per item: its distinct leaves in order of first appearance (its slots)
    leaves: list[tuple[Any, ...]]


def shapes_of(items: Sequence[Any], leaves: Sequence[Any]) -> Shapes:
    """Sort ``items`` (SymPy expressions over ``leaves``) by shape.

    A shape is an item's tree with its leaves left out, with the pattern of
    which leaf slots hold the same leaf: ``exp(a + b)/c**2`` and
    ``exp(d + e)/f**2`` share one, ``exp(a + a)`` has another. It is
    computed once per distinct node, children first, so shared subtrees
    cost once.
    """
    import sympy as sp

    is_leaf = set(leaves)
    interned: dict[Any, int] = {}
    shape: dict[Any, int] = {}
    held: dict[Any, tuple[Any, ...]] = {}
    stack: list[tuple[Any, bool]] = [(item, False) for item in reversed(items)]
    while stack:
        node, ready = stack.pop()
        if node in shape:
            continue
        if node in is_leaf:
            key: Any = "leaf"
            inside: tuple[Any, ...] = (node,)
        elif not node.args:
            # numbers by their exact value and precision (Floats of equal
            # value and other precisions may compare equal)
            key = ("float", node._mpf_, node._prec) if isinstance(node, sp.Float) else ("atom", type(node), node)
            inside = ()
        elif not ready:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in shape)
            continue
        else:
            key = (type(node), tuple(shape[a] for a in node.args))
            inside = tuple(leaf for a in node.args for leaf in held[a])
        shape[node] = interned.setdefault(key, len(interned))
        held[node] = inside
    members: dict[Any, list[int]] = {}
    firsts: list[tuple[Any, ...]] = []
    for index, item in enumerate(items):
        seen: dict[Any, int] = {}
        pattern = tuple(seen.setdefault(leaf, len(seen)) for leaf in held[item])
        members.setdefault((shape[item], pattern), []).append(index)
        firsts.append(tuple(seen))
    return Shapes(members, firsts)


def compile_templates(args: Sequence[Any], temps: Temporaries, reduced: Sequence[Any],
                      modules: Sequence[Any], printer: Any) -> Callable[[Any], Any] | None:
    """A function of a ``(rows, len(args))`` array giving the entries ``(rows, len(reduced))``,
    from :func:`~symgrad.subexpressions.shared_terms`' ``temps`` and ``reduced``; ``None``
    when grouping would not save calls (:data:`MAX_SHAPES`, :data:`MIN_PER_SHAPE`)."""
    import numpy as np
    import sympy as sp

    leaves = [*args, *(symbol for symbol, _ in temps)]
    row = {leaf: k for k, leaf in enumerate(leaves)}
    items = [value for _, value in temps] + list(reduced)
    shapes = shapes_of(items, leaves)
    if len(shapes.members) > MAX_SHAPES or len(shapes.members) * MIN_PER_SHAPE > len(items):
        return None
    # A temporary is computed after those it uses: temporaries go in stages
    # (1 + the latest stage of their leaves), the entries after them all.
    stage: dict[Any, int] = {leaf: 0 for leaf in args}
    for (symbol, _), inside in zip(temps, shapes.leaves):
        stage[symbol] = 1 + max((stage[leaf] for leaf in inside), default=0)
    last = 1 + max(stage.values())
    placeholders: list[Any] = []
    staged: list[tuple[int, _Group]] = []
    for members in shapes.members.values():
        first = members[0]
        width = len(shapes.leaves[first])
        while len(placeholders) < width:
            placeholders.append(sp.Symbol(f"_p{len(placeholders)}", real=True))
        # the placeholders put in without re-evaluation: the item's own operations, in its order
        template = Replacer(dict(zip(shapes.leaves[first], placeholders)), evaluate=False)(items[first])
        function = sp.lambdify(placeholders[:width], template, modules=list(modules), printer=printer,
                               docstring_limit=0)
        by_stage: dict[int, list[int]] = {}
        for m in members:
            by_stage.setdefault(stage[leaves[len(args) + m]] if m < len(temps) else last, []).append(m)
        for when, chosen in by_stage.items():
            slots = np.array([[row[leaf] for leaf in shapes.leaves[m]] for m in chosen], dtype=np.intp)
            output = when == last
            targets = np.array([m - len(temps) if output else len(args) + m for m in chosen], dtype=np.intp)
            staged.append((when, _Group(function, slots.reshape(len(chosen), width), targets, output)))
    staged.sort(key=lambda pair: pair[0])
    groups = [group for _, group in staged]
    working = len(leaves)

    def run(points: Any) -> Any:
        rows = points.shape[0]
        out = np.empty((len(reduced), rows))
        for start in range(0, rows, ROWS_PER_PASS):
            part = points[start : start + ROWS_PER_PASS]
            width = part.shape[0]
            work = np.empty((working, width))
            work[: len(args)] = part.T
            for group in groups:
                values = group.function(*(work[group.slots[:, a]] for a in range(group.slots.shape[1])))
                values = np.broadcast_to(np.asarray(values, dtype=float), (len(group.targets), width))
                if group.output:
                    out[group.targets, start : start + width] = values
                else:
                    work[group.targets] = values
        return out.T

    return run
