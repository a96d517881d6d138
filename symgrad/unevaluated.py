"""Function applications built without SymPy's evaluation, quickly.

``f(*args, evaluate=False)`` for a SymPy function class skips ``eval``, but
still pays for the rest of ``Function.__new__``: the call cache, sympifying
the arguments again, checking their number, and building a new
``FiniteSet`` of the allowed numbers of arguments for the object's
``nargs`` (a quarter of converting a dense Hessian from symengine, and of
renaming its entries for code). :func:`call` builds the same object from
``Basic.__new__`` and one ``nargs`` set per class and number of arguments,
made by SymPy itself the first time. Classes whose construction is not
``Function``'s own (``Piecewise``, ``Heaviside``, ``Max``: anything with
its own ``__new__`` or ``_new_`` on the way) are built by SymPy as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["call"]

#: per (class, number of arguments): the ``nargs`` SymPy gives such an
#: object, or ``None`` when the class is built by SymPy every time
_NARGS: dict[tuple[type, int], Any] = {}
_BASIC: list[Any] = []


def _plain(cls: type) -> bool:
    """Whether ``cls`` is constructed by ``Function._new_`` alone (``Function.__new__``
    and SymPy 1.14's ``DefinedFunction.__new__`` only hand over to it)."""
    from sympy.core import function

    plain_new = {function.Function, getattr(function, "DefinedFunction", function.Function)}
    new = next(klass for klass in cls.__mro__ if "__new__" in vars(klass))
    make = next((klass for klass in cls.__mro__ if "_new_" in vars(klass)), None)
    return new in plain_new and make is function.Function


def call(cls: Any, args: Sequence[Any]) -> Any:
    """``cls(*args, evaluate=False)`` for SymPy expressions ``args``: the same
    type, arguments and ``nargs``, without the per-call costs."""
    key = (cls, len(args))
    nargs = _NARGS.get(key, _NARGS)
    if nargs is _NARGS:  # the first of its kind: SymPy builds it (and checks the count)
        built = cls(*args, evaluate=False)
        _NARGS[key] = built.nargs if _plain(cls) and type(built) is cls else None
        return built
    if nargs is None:
        return cls(*args, evaluate=False)
    if not _BASIC:
        from sympy.core.basic import Basic

        _BASIC.append(Basic.__new__)
    obj = _BASIC[0](cls, *args)
    obj.nargs = nargs  # one immutable set, shared as SymPy's equal ones would be equal
    return obj
