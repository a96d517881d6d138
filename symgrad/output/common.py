"""What the renderers share: dispatch on the result's type, and value text.

Each format is one :class:`Printer` subclass with a ``_render_<Type>``
method per result type it writes (``_render_Job``, ``_render_Derivatives``,
``_render_PointValues``, ``_render_Taylor``, ...). :meth:`Printer.render`
finds the method through the type's MRO, as SymPy's printers find
``_print_<Class>``, so a subclass of a result (each kind of
:class:`~symgrad.analysis.Field`) is written by its own method or by its
base's. Result types are imported for typing only: a renderer's module
loads no calculus.

The helpers below only format values that the analyses computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .numbers import float_text
from .options import RenderOptions

if TYPE_CHECKING:
    from ..analysis.critical import CriticalPoint, CriticalReport
    from ..results import PointValues

#: How the critical-point summary counts each kind: (one, several).
_COUNTED = {
    "local minimum": ("local minimum", "local minima"),
    "local maximum": ("local maximum", "local maxima"),
    "saddle": ("saddle", "saddles"),
    "degenerate": ("degenerate point", "degenerate points"),
    "non-isolated (degenerate)": ("non-isolated solution (a curve or surface)", "non-isolated solutions"),
    "complex (not classified)": ("complex point", "complex points"),
}


class Printer:
    """One output format: ``render(result)`` dispatches on the result's type."""

    def __init__(self, options: RenderOptions | None = None):
        self.options = options or RenderOptions()

    def method(self, prefix: str, obj: Any) -> Callable[..., Any] | None:
        """``self.<prefix><Class>`` for the first class of ``obj``'s MRO that has one."""
        for cls in type(obj).__mro__:
            found = getattr(self, f"{prefix}{cls.__name__}", None)
            if found is not None:
                return found  # type: ignore[no-any-return]
        return None

    def dispatch(self, prefix: str, obj: Any, *args: Any) -> Any:
        """Call ``self.<prefix><Class>(obj, *args)`` found through the MRO (TypeError if none)."""
        found = self.method(prefix, obj)
        if found is None:
            raise TypeError(f"{type(self).__name__} has no {prefix}{type(obj).__name__}")
        return found(obj, *args)

    def render(self, obj: Any, *args: Any) -> Any:
        """``obj`` in this format (``_render_<Class>``, else :meth:`empty`)."""
        found = self.method("_render_", obj)
        if found is None:
            return self.empty(obj)
        return found(obj, *args)

    def empty(self, obj: Any) -> Any:
        """The fallback for a type this format has no method for."""
        raise TypeError(f"{type(self).__name__} cannot render a {type(obj).__name__}")

    def analysis_lines(self, a: Any) -> list[Any]:
        """Every analysis result rendered as lines, in output order: the fields
        (with their values at the points), Taylor polynomials, critical points, the check,
        the step-by-step derivations."""
        parts = [self.render(field, a.points) for field in a.fields]
        parts += [self.render(t) for t in a.taylor]
        parts += [self.render(r) for r in (a.critical, a.check) if r is not None]
        parts += [self.render(d) for d in getattr(a, "steps", ())]
        return [line for part in parts for line in part]


def function_values(values: PointValues, name: str = "f", style: str = "text") -> list[tuple[str, Any]]:
    """(``f``, value) for a scalar function at a point, (``f1``, value), (``f2``, value), ... for a
    vector one; a value is None when it was too large to compute exactly."""
    from .. import labels

    return [(labels.function(c, name, style), v) for c, v in zip(values.components(), values.function)]


def entries(values: Any) -> Iterator[tuple[str, Any]]:
    """(``df/dx``, value) for every entry of derivatives or of values at a point."""
    for e in values.entries():
        yield e.key, e.value


def shared_names(d: Any) -> tuple[list[tuple[Any, Any]], dict[Any, Any]]:
    """The named shared terms of derivatives ``d`` (``--shared-terms``) and each
    entry written in them: ``([(t0, value), ...], {entry: rewritten})``."""
    from ..subexpressions import named_terms

    values = [e.value for e in d.entries()]
    taken = [s.name for s in (*d.variables, *d.parameters)]
    names, rewritten = named_terms(values, taken)
    return names, dict(zip(values, rewritten))


def symbolic_text(expr: Any) -> str:
    """SymPy's string form, as ``parse_expr`` reads it back (short floats, each
    double in its shortest round-trip form: :func:`symgrad.output.numbers.symbolic_text`).

    A subexpression shared by many entries (or jobs) is printed once; the
    text is ``sympy.sstr``'s but for the doubles' digits.
    """
    from .numbers import symbolic_text as text

    return text(expr)


def symbolic_texts(exprs: Sequence[Any]) -> list[str]:
    """:func:`symbolic_text` of each of ``exprs``; entries of one shape (a dense
    Hessian's ``-exp(x_i + x_j)/t**2``) are printed once (:mod:`symgrad.print_by_shape`)."""
    from .numbers import symbolic_texts as texts

    return texts(exprs)


def readable_texts(exprs: Sequence[Any]) -> list[str]:
    """:func:`readable_text` of each of ``exprs``, entries of one shape printed once."""
    from .memo import readable_sstrs

    return readable_sstrs(exprs)


def readable_text(expr: Any) -> str:
    """:func:`symbolic_text` that ``sympy.parse_expr`` reads back to the same expression
    whatever the symbols' names: one it would misread (``lambda``, ``beta``, ``E``
    as a variable, ...) is spelled ``Symbol('lambda')``, and a double has the digits
    that read back as the same double (:func:`symgrad.output.memo.readable_sstr`).
    JSON's symbolic strings are these; text, CSV and pretty output keep plain names.
    """
    from .memo import readable_sstr

    return readable_sstr(expr)


def value_text(value: Any, digits: int | None = None) -> str:
    """A value at a point: exact values as SymPy text, doubles as their shortest
    round-trip text (:func:`symgrad.output.numbers.float_text`), rounded to ``digits``."""
    from .numbers import value_text as text

    return text(value, digits)


def point_text(job_point: PointValues, sep: str = ",") -> str:
    """``x=1,y=2`` for a :class:`~symgrad.results.PointValues`."""
    return where(job_point.at, sep)


def where(at: Any, sep: str = ",") -> str:
    """``x=1,y=2`` for (symbol or name, value) pairs; no spaces (``z=1+I``), so a key
    stays one word."""
    return sep.join(f"{getattr(name, 'name', name)}={value_text(v).replace(' ', '')}" for name, v in at)


def number_text(value: Any) -> str:
    """An mpmath number as a round-trip-safe decimal (``repr`` of the float when it fits one)."""
    import mpmath

    if mpmath.isnan(value):
        return "nan"
    if isinstance(value, mpmath.mpc):
        return str(mpmath.nstr(value, 17))
    as_float = float(value)
    if math.isinf(as_float) and mpmath.isfinite(value) or (as_float == 0 and value != 0):
        return str(mpmath.nstr(value, 17))  # beyond the double range
    return float_text(as_float)


def mp_value_text(value: Any) -> str:
    """f at a critical point: an mpmath number, or SymPy text on a curve."""
    import mpmath

    if isinstance(value, mpmath.mpf):
        return number_text(value)
    if isinstance(value, mpmath.mpc):
        return str(mpmath.nstr(value, 15))
    return symbolic_text(value)


def coordinate_text(value: Any, exact: bool) -> str:
    """A critical point's coordinate: exact text, or the round-trip float."""
    import sympy as sp

    if exact or not isinstance(value, sp.Float):
        return symbolic_text(value)
    return float_text(float(value))


def eigen_text(point: CriticalPoint) -> str:
    return ", ".join(f"{float(e):.6g}" for e in point.eigenvalues)


def critical_summary(report: CriticalReport) -> str:
    """``2 saddles, 1 local minimum (exact: SymPy solved the system)``."""
    parts = [f"{n} {_COUNTED[kind][n != 1]}" for kind, n in report.counts.items()]
    found = ", ".join(parts) if parts else "no critical points found"
    if parts and not report.complete:  # not proven to be all of them
        found = f"found {len(report.points)}: {found}"
    how = {
        "complete": "exact: SymPy solved the system",
        "found": "the exact solver's solutions are not proven to be all; Newton's method",
        "partial": "exact solutions plus Newton's method (the system is not polynomial)",
        "timed out": "the exact solver ran out of time; Newton's method",
        "failed": "the exact solver could not solve it; Newton's method",
    }[report.exact_outcome]
    if report.newton_used:
        lo, hi = report.box
        how += f" from seeded starts in [{lo:g}, {hi:g}] for every variable"
    return f"{found} ({how})"
