"""Many expressions of one shape, printed once.

A dense Hessian's entries are a few formulas with different symbols in
them: every off-diagonal entry of a log-sum-exp Hessian is
``-exp(x_i + x_j)/t**2`` (``t`` the shared sum). SymPy's printer takes each
through its whole machinery (splitting the coefficient, sorting the
factors and the terms, parenthesizing), for thousands of entries.
:func:`print_all` prints one entry of each shape, with its symbols as
markers, and writes the others by putting their own symbols' text in.

What a shape is. The *shared parts* are the subexpressions that two or
more entries hold (``t**-2``, ``t``; with the base and reciprocal of a
shared negative power, which a printer writes as a denominator, so that
they too are printed from the printer's memory). Symbols outside them
are *slots*. An entry's shape is its tree as stored, with the slots left
out and the shared parts kept, with the pattern of which slots hold the
same symbol, each slot's class and assumptions, and the order of its
slot symbols by SymPy's sort key (``x10`` before ``x2``).

Why the text is the printer's. The template is printed from the entry
itself, with each slot replaced by a marker symbol (same assumptions,
named so that markers sort as the slots do) and the tree rebuilt without
evaluation; shared parts keep their own symbols, so a symbol that is a
slot and also inside a shared part (``x3`` in ``t``) is printed right in
each place. A ``str`` printer's text then depends on the symbols only
through their own text and the order in which it sorts a product's
factors and a sum's terms. Given the same tree, slot pattern and slot
order, every comparison between two parts that hold only slots comes out
the same in each entry, and so does every comparison between two parts
without slots. A comparison between a part with slots and a shared part
(``sin(x_i)`` against a shared ``sin(x3)``) may depend on the names: an
entry where the printer sorts such a pair (unless their class keys decide
it: ``exp(...)`` against ``t**-2``), an entry with any node outside the
printer's plain methods (``Add``, ``Mul``, ``Pow``, ``Symbol``, numbers,
``Function``; not ``Max``, which sorts its arguments, nor anything printed
specially), and every shape met fewer than :data:`MIN_MEMBERS` times are
printed by the printer, entry by entry. Each template is checked against
the printer's own text of the entry it was made from.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["print_all"]

#: The print methods (by the class name they are looked up by) whose text is
#: the node's own plus its arguments' texts in a structural order.
PLAIN_METHODS = frozenset({
    "Add", "Mul", "Pow", "Symbol", "Function", "Integer", "Rational", "Float", "Pi", "Exp1",
    "ImaginaryUnit", "Infinity", "NegativeInfinity", "ComplexInfinity", "NaN",
})  # fmt: skip

#: Shapes met fewer times than this are printed entry by entry.
MIN_MEMBERS = 3

_MARK = re.compile("\x00([0-9]+)\x01")


def _constant_parts(exprs: Sequence[Any]) -> set[Any]:
    """The non-atomic subexpressions met in two or more of ``exprs``, with what
    a printer makes of those that are powers with a negative exponent
    (``t**-2`` is written ``/t**2``: the base and ``t**2``)."""
    import sympy as sp

    owner: dict[Any, int] = {}
    shared: set[Any] = set()
    for k, expr in enumerate(exprs):
        stack = [expr]
        while stack:
            node = stack.pop()
            if not node.args:
                continue
            first = owner.get(node)
            if first is None:
                owner[node] = k
                stack.extend(node.args)
            elif first != k:
                shared.add(node)
    made = set()
    for node in shared:
        if node.is_Pow:
            base, exponent = node.args
            if base.args:
                made.add(base)
            if exponent.is_Number and exponent.is_negative and exponent != -1:
                made.add(sp.Pow(base, -exponent, evaluate=False))
    return shared | made


class _Shapes:
    """Shape keys, memoized per node: (key, slot occurrences in order, has slots, has constant parts)."""

    def __init__(self, constant: set[Any], printer: Any):
        import sympy as sp

        self.sp = sp
        self.constant = constant
        self.printer = printer
        self.memo: dict[int, tuple[int, tuple[Any, ...], bool, bool]] = {}
        self.alive: list[Any] = []  # every node keyed, so that no id is reused
        self.interned: dict[Any, int] = {}
        self.methods: dict[type, str | None] = {}
        self.sort_keys: dict[Any, Any] = {}

    def method(self, node: Any) -> str | None:
        """The class name the printer's method for ``node`` is found by."""
        kind = type(node)
        if kind not in self.methods:
            names = (klass.__name__ for klass in kind.__mro__)
            self.methods[kind] = next((n for n in names if hasattr(self.printer, "_print_" + n)), None)
        return self.methods[kind]

    def __call__(self, node: Any) -> tuple[int, tuple[Any, ...], bool, bool]:
        """(shape number, slot occurrences in order, has slots, has constant parts) of ``node``.

        Recursive (a tree too deep for it raises ``RecursionError``, and
        :func:`print_all` prints entry by entry); keyed by id, as the nodes
        are kept alive and hashing a SymPy object is a Python call.
        """
        found = self.memo.get(id(node))
        if found is not None:
            return found
        args = node.args
        if not args:
            if node.is_Symbol:
                kind = (type(node), tuple(sorted(node.assumptions0.items())))
                found = (self.intern(("slot", kind)), (node,), True, False)
            else:
                value = ("float", node._mpf_, node._prec) if isinstance(node, self.sp.Float) else (type(node), node)
                found = (self.intern(("atom", value)), (), False, False)
        elif node in self.constant:
            found = (self.intern(("constant", node)), (), False, True)
        else:
            parts = [self(a) for a in args]
            slots: tuple[Any, ...] = ()
            has_slots = has_constant = False
            for part in parts:
                slots += part[1]
                has_slots = has_slots or part[2]
                has_constant = has_constant or part[3]
            key = (type(node), self.method(node), *[p[0] for p in parts])
            found = (self.intern(key), slots, has_slots, has_constant)
        self.memo[id(node)] = found
        self.alive.append(node)
        return found

    def intern(self, key: Any) -> int:
        return self.interned.setdefault(key, len(self.interned))


def _signature(shapes: _Shapes, expr: Any) -> tuple[Any, tuple[Any, ...]]:
    """The key of ``expr``'s group and its distinct slot symbols in order of first occurrence."""
    from sympy.core.sorting import default_sort_key

    shape, occurrences, _, _ = shapes(expr)
    seen: dict[Any, int] = {}
    for s in occurrences:
        if s not in seen:
            seen[s] = len(seen)
    pattern = tuple([seen[s] for s in occurrences])
    slots = tuple(seen)
    known = shapes.sort_keys
    keys = [known[s] if s in known else known.setdefault(s, default_sort_key(s)) for s in slots]
    ranks = tuple(sorted(set(keys)).index(k) for k in keys)
    return (shape, pattern, ranks), slots


def _marked(expr: Any, slots: tuple[Any, ...], ranks: tuple[int, ...], constant: set[Any]) -> tuple[Any, list[Any]]:
    """``expr`` with each slot symbol outside its constant parts replaced by a
    marker symbol, rebuilt without evaluation (the same tree): marker ``k``
    is named ``\\x00<rank>\\x01<k>\\x01``, so markers sort among themselves as
    the slots do, and has the slot's assumptions."""
    import sympy as sp

    from .subexpressions import _rebuilt

    markers = [sp.Symbol(f"\x00{rank:06d}\x01{k}\x01", **s.assumptions0) for k, (s, rank) in enumerate(zip(slots, ranks))]
    memo: dict[Any, Any] = dict(zip(slots, markers))
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in memo:
            continue
        if node in constant or not node.args:
            memo[node] = node
        elif not ready:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in memo)
        else:
            args = [memo[a] for a in node.args]
            changed = any(new is not old for new, old in zip(args, node.args))
            memo[node] = _rebuilt(node, args) if changed else node
    return memo[expr], markers


def _marking_class(cls: type) -> type:
    """A subclass of the printer class ``cls`` that writes marker symbols as
    markers, constant parts as the printer does, and notes (``ok = False``)
    anything a template cannot stand for."""
    from .term_order import ordered_factors, sort_key

    class Marking(cls):  # type: ignore[misc]
        plain: Any
        shapes: _Shapes
        markers: dict[Any, str]
        ok: bool

        def _print(self, expr: Any, **kwargs: Any) -> str:
            if kwargs:
                self.ok = False
                return super()._print(expr, **kwargs)  # type: ignore[no-any-return]
            try:
                marker = self.markers.get(expr)
                constant = expr in self.shapes.constant
            except TypeError:  # not hashable: not a SymPy expression
                self.ok = False
                return super()._print(expr)  # type: ignore[no-any-return]
            if marker is not None:
                return marker
            if constant or getattr(expr, "is_Symbol", False):
                return self.plain._print(expr)  # type: ignore[no-any-return]
            if not self._plain(expr):
                self.ok = False
            return super()._print(expr)  # type: ignore[no-any-return]

        def _plain(self, expr: Any) -> bool:
            """Whether the printer writes ``expr`` by a plain method, sorting its parts the same in every entry."""
            if self.shapes.method(expr) not in PLAIN_METHODS and not self._function(expr):
                return False
            if expr.is_Mul:
                return self._robust(ordered_factors(expr))
            return not expr.is_Add or self._robust_sum(expr.args)

        def _function(self, expr: Any) -> bool:
            """A function (whose arguments are printed as stored), not ``Piecewise``."""
            import sympy as sp

            return isinstance(expr, sp.Function) and not isinstance(expr, sp.Piecewise)

        def _kind(self, node: Any) -> str:
            """``slots`` (slots only), ``fixed`` (no slot) or ``mixed``."""
            _, _, slots, constant = self.shapes(node)
            return "fixed" if not slots else "mixed" if constant else "slots"

        def _robust(self, ordered: list[Any]) -> bool:
            """Whether every neighbouring pair of ``ordered`` sorts the same in every entry of the shape."""
            for a, b in itertools.pairwise(ordered):
                ka, kb = self._kind(a), self._kind(b)
                if ka == kb and ka != "mixed":
                    continue
                if sort_key(a)[0] == sort_key(b)[0]:  # not decided by the class keys
                    return False
            return True

        def _robust_sum(self, terms: Sequence[Any]) -> bool:
            """Whether the terms sort the same in every entry of the shape: all
            slots only, or all without slots, or slots only beside numbers."""
            kinds = {self._kind(t) for t in terms}
            if "mixed" in kinds:
                return False
            if kinds == {"slots", "fixed"}:
                return all(t.is_number for t in terms if self._kind(t) == "fixed")
            return True

    return Marking


def print_all(printer: Any, exprs: Sequence[Any]) -> list[str]:
    """``[printer.doprint(e) for e in exprs]``, each shape printed once.

    ``printer`` is a SymPy ``StrPrinter`` or code printer, with its own
    methods for numbers, symbols and functions (whose text is taken from
    it) and sorting as SymPy's; what its ``doprint`` does to the text after
    printing must not depend on the symbols' names (a code printer indents
    by brackets and keywords).
    """
    if len(exprs) < MIN_MEMBERS:
        return [printer.doprint(e) for e in exprs]
    distinct = list(dict.fromkeys(exprs))
    shapes = _Shapes(_constant_parts(distinct), printer)
    groups: dict[Any, list[tuple[Any, tuple[Any, ...]]]] = {}
    try:
        for expr in distinct:
            key, slots = _signature(shapes, expr)
            groups.setdefault(key, []).append((expr, slots))
    except RecursionError:  # a tree too deep to take apart here: printed as it is
        return [printer.doprint(e) for e in exprs]
    marking = _marking_class(type(printer))(printer._settings)
    vars(marking).update(vars(printer))  # what the printer keeps (Fortran's named constants) is its own
    marking.plain, marking.shapes = printer, shapes
    texts: dict[Any, str] = {}
    for (_, _, ranks), members in groups.items():
        template = None
        if len(members) >= MIN_MEMBERS and len(set(ranks)) == len(ranks):
            template = _template(marking, printer, members[0][0], members[0][1], ranks)
        if template is None:
            for expr, _ in members:
                texts[expr] = printer.doprint(expr)
            continue
        for expr, slots in members:
            texts[expr] = _filled(printer, template, slots)
    return [texts[e] for e in exprs]


def _filled(printer: Any, template: list[str], slots: tuple[Any, ...]) -> str:
    """The template with each marker replaced by its slot's text."""
    names = [printer._print(s) for s in slots]
    return "".join(part if k % 2 == 0 else names[int(part)] for k, part in enumerate(template))


def _template(marking: Any, printer: Any, expr: Any, slots: tuple[Any, ...], ranks: tuple[int, ...]) -> list[str] | None:
    """The text of ``expr`` split at its slots (``[text, slot, text, ...]``), or
    ``None`` when it cannot stand for its shape."""
    if any(type(s).__name__ != "Symbol" for s in slots):
        return None
    try:
        tree, markers = _marked(expr, slots, ranks, marking.shapes.constant)
    except Exception:  # noqa: BLE001 (a class SymPy cannot rebuild from new arguments)
        return None
    marking.markers = {m: f"\x00{k}\x01" for k, m in enumerate(markers)}
    marking.ok = True
    marking._memo = {}
    try:
        marked = str(marking.doprint(tree))
    except Exception:  # noqa: BLE001 (the printer refuses it: the entry's own print says how)
        return None
    if not marking.ok:
        return None
    parts = _MARK.split(marked)
    text = _filled(printer, parts, slots)
    if "\x00" in text or "\x01" in text or text != printer.doprint(expr):
        return None
    return parts
