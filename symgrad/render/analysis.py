"""Rendering of the analysis options (``--check``, ``--critical``, ``--taylor``,
``--divergence``, ``--curl``, ``--laplacian``, ``--along``, ``--diff``).

Each renderer calls one function of this module at its end: :func:`text_lines`,
:func:`extend_json`, :func:`latex_lines`, :func:`pretty_parts`. All return
nothing extra for a job without analysis. Rich is imported only by
:func:`pretty_parts`.
"""

from __future__ import annotations

import math
from typing import Any

from ..results import plain
from .common import symbolic_text, value_text

#: How the summary counts each kind: (one, several).
_COUNTED = {
    "local minimum": ("local minimum", "local minima"),
    "local maximum": ("local maximum", "local maxima"),
    "saddle": ("saddle", "saddles"),
    "degenerate": ("degenerate point", "degenerate points"),
    "non-isolated (degenerate)": ("non-isolated solution (a curve or surface)", "non-isolated solutions"),
    "complex (not classified)": ("complex point", "complex points"),
}


def _analysis(job: Any) -> Any:
    return getattr(job, "analysis", None)


def _where(at: Any, sep: str = ",") -> str:
    return sep.join(f"{getattr(name, 'name', name)}={value_text(v)}" for name, v in at)


def _number(value: Any) -> str:
    """An mpmath number as a round-trip-safe decimal (``repr`` of the float when it fits one)."""
    import mpmath

    if mpmath.isnan(value):
        return "nan"
    if isinstance(value, mpmath.mpc):
        return str(mpmath.nstr(value, 17))
    as_float = float(value)
    if math.isinf(as_float) and mpmath.isfinite(value) or (as_float == 0 and value != 0):
        return str(mpmath.nstr(value, 17))  # beyond the double range
    return repr(as_float)


def _field_items(field: Any) -> list[tuple[str, Any, tuple[Any, ...]]]:
    """(text key, symbolic, values at points) per scalar entry of a field."""
    if not isinstance(field.value, tuple):
        key = field.label if field.key == "derivative" else field.key
        return [(key, field.value, field.points)]
    return [(name, e, tuple(p[k] for p in field.points)) for k, (name, e) in enumerate(zip(field.names, field.value))]


def _critical_summary(report: Any) -> str:
    counts = report.counts
    parts = [f"{n} {_COUNTED[kind][n != 1]}" for kind, n in counts.items()]
    found = ", ".join(parts) if parts else "no critical points found"
    how = {
        "complete": "exact: SymPy solved the system",
        "partial": "exact solutions plus Newton's method (the system is not polynomial)",
        "timed out": "the exact solver ran out of time; Newton's method",
        "failed": "the exact solver could not solve it; Newton's method",
    }[report.exact_outcome]
    if report.newton_used:
        lo, hi = report.box
        how += f" from seeded starts in [{lo:g}, {hi:g}] for every variable"
    return f"{found} ({how})"


def _critical_where(point: Any, sep: str = ",") -> str:
    return sep.join(f"{name}={_coordinate(v, point.exact)}" for name, v in point.at)


def _coordinate(value: Any, exact: bool) -> str:
    import sympy as sp

    if exact or not isinstance(value, sp.Float):
        return symbolic_text(value)
    return repr(float(value))


def _eigen_text(point: Any) -> str:
    return ", ".join(f"{float(e):.6g}" for e in point.eigenvalues)


def _value_text(value: Any) -> str:
    import mpmath

    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return _number(value) if isinstance(value, mpmath.mpf) else mpmath.nstr(value, 15)
    return symbolic_text(value)


# -- text --------------------------------------------------------------------


def text_lines(job: Any) -> list[str]:
    """``name = value`` lines for the analysis results."""
    a = _analysis(job)
    if a is None:
        return []
    import sympy as sp

    lines: list[str] = []
    if a.direction is not None:
        lines.append(f"direction = [{', '.join(symbolic_text(c) for c in a.direction)}]  (normalised)")
    for field in a.fields:
        for key, expr, values in _field_items(field):
            lines.append(f"{key} = {symbolic_text(expr)}")
            lines += [f"{key}({_where(at)}) = {value_text(v)}" for at, v in zip(a.points, values)]
    for t in a.taylor:
        where = _where(t.at)
        lines.append(f"taylor{t.order}({where}) = {sp.sstr(t.structured, order='none')}")
        lines.append(f"taylor{t.order}.expanded({where}) = {symbolic_text(t.polynomial)}")
    if a.critical is not None:
        lines.append(f"critical.summary = {_critical_summary(a.critical)}")
        for p in a.critical.points:
            detail = [p.method, f"f={_value_text(p.value)}"]
            if p.eigenvalues:
                detail.append(f"eigenvalues {_eigen_text(p)}")
            lines.append(f"critical({_critical_where(p)}) = {p.kind} ({'; '.join(detail)})")
    if a.check is not None:
        report = a.check
        total = sum(len(p.entries) for p in report.points)
        verdict = "passed" if report.passed else f"failed ({len(report.failures)} of {total} entries)"
        lines.append(f"check.tolerance = {report.tolerance:g}")
        lines.append(f"check = {verdict}")
        lines += [
            f"check.{e.entry}({where}) = {_number(e.symbolic)} ~ {_number(e.numeric)} "
            f"(relative error {e.relative_error:.2e}) {'ok' if e.ok else 'FAILED'}"
            for where, e in _check_entries(report, _where)
        ]
    return lines


def _check_entries(report: Any, where: Any) -> Any:
    """(the point as ``where`` writes it, entry) for every checked entry."""
    for p in report.points:
        at = where(p.at)
        for e in p.entries:
            yield at, e


# -- json --------------------------------------------------------------------


def _json_field(value: Any) -> Any:
    return [symbolic_text(v) for v in value] if isinstance(value, tuple) else symbolic_text(value)


def _json_value(value: Any) -> Any:
    return [plain(v) for v in value] if isinstance(value, tuple) else plain(value)


def _mp_plain(value: Any) -> Any:
    import mpmath

    if isinstance(value, mpmath.mpc):
        return plain(complex(value))
    return plain(float(value))


def extend_json(job: Any, doc: dict[str, Any]) -> None:
    """Add the analysis keys to a job's JSON object (only those that were asked for)."""
    a = _analysis(job)
    if a is None:
        return
    for field in a.fields:
        if field.key == "directional":
            doc["directional"] = {
                "direction": [symbolic_text(c) for c in a.direction],
                "normalised": True,
                "derivative": _json_field(field.value),
            }
        elif field.key == "derivative":
            doc["derivative"] = {
                "wrt": [v.name for v in a.diff],
                "name": field.label,
                "expression": _json_field(field.value),
            }
        else:
            doc[field.key] = _json_field(field.value)
        for point, value in zip(doc["points"], field.points):
            point[field.key] = _json_value(value)
    if a.taylor:
        doc["taylor"] = [
            {
                "at": {s.name: plain(v) for s, v in t.at},
                "order": t.order,
                "polynomial": symbolic_text(t.polynomial),
                "terms": [
                    {"powers": list(powers), "coefficient": plain(c)}
                    for powers, c in t.coefficients
                    if c != 0
                ],
            }
            for t in a.taylor
        ]
    if a.critical is not None:
        doc["critical_points"] = [_json_critical(p) for p in a.critical.points]
        doc["critical_search"] = {
            "exact": a.critical.exact_outcome,
            "newton": a.critical.newton_used,
            "box": list(a.critical.box),
        }
    if a.check is not None:
        doc["check"] = {
            "tolerance": a.check.tolerance,
            "passed": a.check.passed,
            "points": [
                {
                    "at": {name: plain(v) for name, v in p.at},
                    "random": p.random,
                    "entries": [
                        {
                            "entry": e.entry,
                            "symbolic": _mp_plain(e.symbolic),
                            "numeric": _mp_plain(e.numeric),
                            "relative_error": plain(e.relative_error),
                            "ok": e.ok,
                        }
                        for e in p.entries
                    ],
                }
                for p in a.check.points
            ],
        }


def _real_number(value: Any) -> Any:
    """A coordinate as a plain number: a real one whose exact form holds ``I``
    (three real roots of a cubic) loses the rounding noise of its imaginary part."""
    from ..analysis._numeric import is_finite_real, real_part, to_mp, working_precision

    with working_precision():
        number = to_mp(value)
        if is_finite_real(number):
            return plain(float(real_part(number)))
    return plain(value)


def _json_critical(p: Any) -> dict[str, Any]:
    import sympy as sp

    isolated = all(not getattr(v, "free_symbols", None) for _, v in p.at)
    doc: dict[str, Any] = {
        "at": {name: _real_number(v) if isolated else symbolic_text(v) for name, v in p.at},
        "exact": {name: symbolic_text(v) for name, v in p.at} if p.exact else None,
        "kind": p.kind,
        "method": p.method,
        "value": _mp_plain(p.value) if not isinstance(p.value, sp.Basic) else symbolic_text(p.value),
        "eigenvalues": [_mp_plain(e) for e in p.eigenvalues],
    }
    return doc


# -- latex -------------------------------------------------------------------


def _latex(value: Any) -> str:
    import sympy as sp

    if isinstance(value, sp.Float):
        return repr(float(value))
    return str(sp.latex(value))


def _latex_at(at: Any) -> str:
    import sympy as sp

    return r",\ ".join(
        f"{sp.latex(s if not isinstance(s, str) else sp.Symbol(s))}={_latex(v)}" for s, v in at
    )


def _bmatrix(rows: Any) -> str:
    body = r" \\ ".join(" & ".join(_latex(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _latex_field_label(field: Any, job: Any) -> str:
    import sympy as sp

    f = "F" if job.derivatives.is_vector else "f"
    if field.key == "divergence":
        return r"\nabla \cdot F"
    if field.key == "curl":
        return r"\nabla \times F"
    if field.key == "laplacian":
        return rf"\Delta {f}"
    if field.key == "directional":
        return rf"D_{{\hat{{u}}}} {f}"
    from ..analysis.vector import runs

    below = r" ".join(
        rf"\partial {sp.latex(v)}" + (f"^{{{k}}}" if k > 1 else "") for v, k in runs(_analysis(job).diff)
    )
    order = len(_analysis(job).diff)
    top = r"\partial" + (f"^{{{order}}}" if order > 1 else "")
    return rf"\frac{{{top} {f}}}{{{below}}}"


def latex_lines(job: Any) -> list[str]:
    """Lines of the ``align*`` block for the analysis results."""
    a = _analysis(job)
    if a is None:
        return []
    import sympy as sp

    lines: list[str] = []
    for field in a.fields:
        label = _latex_field_label(field, job)
        shown = _bmatrix([(v,) for v in field.value]) if isinstance(field.value, tuple) else _latex(field.value)
        if field.key == "directional":
            unit = _bmatrix([(c,) for c in a.direction])
            rule = r"J_F \, \hat{u}" if job.derivatives.is_vector else r"\nabla f \cdot \hat{u}"
            lines.append(rf"{label} &= {rule}, \quad \hat{{u}} = \frac{{v}}{{\lVert v \rVert}} = {unit}")
        lines.append(rf"{label} &= {shown}")
        for at, value in zip(a.points, field.points):
            shown = _bmatrix([(v,) for v in value]) if isinstance(value, tuple) else _latex(value)
            lines.append(rf"{label}\big|_{{{_latex_at(at)}}} &= {shown}")
    for t in a.taylor:
        lines += _latex_taylor(t)
    if a.critical is not None:
        names = ", ".join(sp.latex(v) for v in job.derivatives.variables)
        lines.append(rf"&\text{{{_critical_summary(a.critical)}}}")
        for p in a.critical.points:
            coords = ", ".join(_latex(v) if p.exact else f"{float(v):.12g}" for _, v in p.at)
            lines.append(rf"({names}) &= ({coords}) && \text{{{p.kind} ({p.method})}}")
    if a.check is not None:
        lines.append(
            rf"&\text{{check: {'passed' if a.check.passed else 'FAILED'} "
            rf"(tolerance {a.check.tolerance:g})}}"
        )
        lines += [
            rf"\text{{{e.entry}}}\big|_{{{at}}} &= {_number(e.symbolic)} \approx {_number(e.numeric)}"
            rf" && \text{{relative error {e.relative_error:.2e}{'' if e.ok else ' FAILED'}}}"
            for at, e in _check_entries(a.check, _latex_at)
        ]
    return lines


def _latex_taylor(t: Any) -> list[str]:
    import sympy as sp

    args = ", ".join(sp.latex(v) for v in t.variables)
    name = rf"T_{{{t.order}}}({args})"
    d = t.displacement()
    column = _bmatrix([(sp.UnevaluatedExpr(x),) for x in d])
    n = len(t.variables)
    parts = [_latex(t.derivative_values(0)[(0,) * n])]
    if t.order >= 1:
        grad = t.derivative_values(1)
        g = [grad[tuple(int(i == k) for i in range(n))] for k in range(n)]
        parts.append(rf"{_bmatrix([g])} {column}")
    if t.order >= 2:
        second = t.derivative_values(2)
        h = [
            [second[tuple((i == r) + (i == c) for i in range(n))] for c in range(n)] for r in range(n)
        ]
        parts.append(rf"\frac{{1}}{{2}} {column}^{{T}} {_bmatrix(h)} {column}")
    for k in range(3, t.order + 1):
        part = t.degree_part(k)
        if part != 0:
            parts.append(sp.latex(part, order="none"))
    general = r"f(a) + \nabla f(a)^{T} (x - a)"
    if t.order >= 2:
        general += r" + \frac{1}{2} (x - a)^{T} \nabla^{2} f(a) (x - a)"
    if t.order >= 3:
        general += r" + \dots"
    if t.order == 0:
        general = "f(a)"
    return [
        rf"{name} &= {general}, \quad a = ({_latex_at(t.at)})",
        rf"&= {' + '.join(parts)}",
        rf"&= {sp.latex(t.polynomial)}",
    ]


# -- pretty ------------------------------------------------------------------


def pretty_parts(job: Any, width: int) -> list[Any]:
    """Rich renderables for the analysis results (empty without analysis)."""
    a = _analysis(job)
    if a is None:
        return []
    from rich.text import Text

    parts: list[Any] = []
    names = [v.name for v in job.derivatives.variables]
    for field in a.fields:
        parts.append(Text(""))
        parts += _pretty_field(a, field, job.derivatives.is_vector, width)
    for t in a.taylor:
        parts.append(Text(""))
        parts += _pretty_taylor(t, width)
    if a.critical is not None:
        parts.append(Text(""))
        parts += _pretty_critical(a.critical, names)
    if a.check is not None:
        parts.append(Text(""))
        parts += _pretty_check(a.check)
    return parts


def _drawn(label: str, value: Any, width: int, order: str | None = None) -> Any:
    """``label = value`` drawn by SymPy; ``order="none"`` keeps an unevaluated sum's order."""
    import sympy as sp
    from rich.text import Text

    rhs = sp.Matrix(value) if isinstance(value, tuple) else value
    equation = sp.Eq(sp.Symbol(label), rhs, evaluate=False)
    drawing = sp.pretty(equation, use_unicode=True, num_columns=width, order=order)
    return Text(str(drawing), no_wrap=True, overflow="fold")


def _pretty_field(a: Any, field: Any, vector: bool, width: int) -> list[Any]:
    from rich.text import Text

    f = "F" if vector else "f"
    label = {"divergence": "∇·F", "curl": "∇×F", "laplacian": f"Δ{f}", "directional": f"D_u {f}"}.get(field.key)
    if label is None:
        label = _pretty_partial(a.diff, f)
    parts: list[Any] = []
    if field.key == "directional":
        rule = "D_u F = J·u" if vector else "D_u f = ∇f·u"
        parts.append(Text(f"directional derivative along u = v/|v| (normalised), {rule}", style="dim"))
        parts.append(_drawn("u", a.direction, width))
    parts.append(_drawn(label, field.value, width))
    for at, value in zip(a.points, field.points):
        parts.append(_drawn(f"{label} at {_where(at, ', ')}", value, width))
    return parts


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _pretty_partial(wrt: Any, f: str = "f") -> str:
    """``∂³f/∂x∂y²`` for (x, y, y)."""
    from ..analysis.vector import runs

    def power(k: int) -> str:
        return str(k).translate(_SUPERSCRIPTS) if k > 1 else ""

    return f"∂{power(len(wrt))}{f}/" + "".join(f"∂{v.name}{power(k)}" for v, k in runs(wrt))


def _pretty_taylor(t: Any, width: int) -> list[Any]:
    from rich.text import Text

    n = len(t.variables)
    args = ", ".join(v.name for v in t.variables)
    subscript = str(t.order).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    general = "f(a) + ∇f(a)·(x−a)" if t.order >= 1 else "f(a)"
    if t.order >= 2:
        general += " + ½(x−a)ᵀ∇²f(a)(x−a)"
    if t.order >= 3:
        general += " + …"
    parts: list[Any] = [
        Text(f"Taylor polynomial of order {t.order} at a = ({_where(t.at, ', ')})", style="bold"),
        Text(f"T{subscript} = {general}", style="dim"),
        _drawn("f(a)", t.derivative_values(0)[(0,) * n], width),
    ]
    if t.order >= 1:
        first = t.derivative_values(1)
        parts.append(_drawn("∇f(a)", tuple(first[tuple(int(i == k) for i in range(n))] for k in range(n)), width))
    if t.order >= 2:
        second = t.derivative_values(2)
        rows = tuple(
            tuple(second[tuple((i == r) + (i == c) for i in range(n))] for c in range(n)) for r in range(n)
        )
        parts.append(_drawn("∇²f(a)", rows, width))
    parts.append(_drawn(f"T{subscript}({args})", t.structured, width, order="none"))
    parts.append(_drawn(" " * (len(args) + 4 + len(subscript)), t.polynomial, width))
    return parts


def _pretty_critical(report: Any, names: list[str]) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="critical points (∇f = 0)", title_justify="left", title_style="bold")
    for column in (*names, "f", "kind", "Hessian eigenvalues", "method"):
        table.add_column(column, overflow="fold")
    style = {"local minimum": "green", "local maximum": "magenta", "saddle": "yellow"}
    for p in report.points:
        coords = [_pretty_coordinate(v, p.exact) for _, v in p.at]
        table.add_row(
            *coords,
            _value_text(p.value) if not hasattr(p.value, "free_symbols") else symbolic_text(p.value),
            Text(p.kind, style=style.get(p.kind, "red")),
            _eigen_text(p),
            p.method,
        )
    return [table, Text(_critical_summary(report), style="dim")]


def _pretty_coordinate(value: Any, exact: bool) -> str:
    text = _coordinate(value, exact)
    decimal = _real_number(value) if exact else None
    if isinstance(decimal, float) and text != repr(decimal):
        return f"{text} ≈ {decimal:.12g}"
    return text


def _pretty_check(report: Any) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    for p in report.points:
        title = f"check at {_where(p.at, ', ')}" + (" (random point)" if p.random else "")
        table = Table(title=title, title_justify="left", title_style="bold")
        for column in ("entry", "symbolic", "numeric (Richardson)", "relative error", ""):
            table.add_column(column, no_wrap=column == "entry")
        for e in p.entries:
            mark = Text("ok", style="green") if e.ok else Text("FAILED", style="bold red")
            table.add_row(e.entry, _number(e.symbolic), _number(e.numeric), f"{e.relative_error:.2e}", mark)
        parts.append(table)
    total = sum(len(p.entries) for p in report.points)
    if report.passed:
        parts.append(Text(f"check passed: all {total} entries within --tol {report.tolerance:g}", style="green"))
    else:
        parts.append(
            Text(f"check FAILED: {len(report.failures)} of {total} entries exceed --tol {report.tolerance:g}", style="bold red")
        )
    return parts
