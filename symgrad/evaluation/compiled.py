"""Compiled evaluation of a job's entries over an array of points.

:class:`CompiledEntries` turns every entry of a job (``Derivatives.entries()``:
the gradient or Jacobian, and each Hessian's upper triangle) into one
compiled function of a block of points (the run loop that reads points and
writes values is :mod:`symgrad.points.run`): rows are points, columns are the job's symbols (variables, then
parameters), and the result has one column per entry, after one column per
formula holding the function's own value when it is asked for (``value=True``;
it is compiled with the entries, so it shares their common subexpressions).
Two backends; ``auto`` takes symengine unless a cost model (:func:`estimated_seconds`,
measured on a sparse and a dense Hessian) expects NumPy to finish clearly first
for the number of rows (``rows``, else :data:`ROWS_HINT`; :func:`prefers_numpy`):

* ``symengine`` — symengine's ``Lambdify`` with its LLVM backend and common
  subexpression elimination: machine code, used when symengine is installed
  and can compile every entry. A job with many ``exp`` calls has NumPy's
  vectorised ``exp`` compute them between two compiled passes
  (:class:`_StagedExps`);
* ``numpy`` — ``sympy.lambdify`` to NumPy with common-subexpression
  elimination (:func:`symgrad.subexpressions.shared_terms`), one function
  for all entries, called on contiguous columns.
  Special functions NumPy lacks (``gamma``, ``erf``, ``polygamma``, …) use
  SciPy when it is installed and otherwise are evaluated point by point.

Constant entries are computed once and broadcast to full columns. Values
that are not finite reals come out as ``nan`` or ``±inf``; :class:`Block`
counts them. Evaluation is in IEEE double precision, so an entry that only
overflows in an intermediate step (``exp(1000)*exp(-999)``) is ``inf`` or
``nan`` here while the exact ``--at`` evaluation finds its value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ExitCode, SymgradError
from ..subexpressions import Replacer as _Replacer
from ..subexpressions import distinct_nodes as _distinct_nodes
from ..subexpressions import shared_terms

if TYPE_CHECKING:
    import numpy as np

    from ..calculus import Derivatives

BACKENDS = ("auto", "symengine", "numpy")


class BatchError(SymgradError):
    """The job cannot be evaluated in bulk (usage error)."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Block:
    """Values of every entry at a block of points: ``values[row, entry]``."""

    values: np.ndarray

    def bad_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Per entry: how many rows are not finite, and the first such row (-1 if none)."""
        import numpy as np

        bad = ~np.isfinite(self.values)
        counts = bad.sum(axis=0)
        first = np.where(counts > 0, bad.argmax(axis=0), -1)
        return counts, first


class CompiledEntries:
    """One compiled function for all entries of a job.

    Call it with a float array of shape ``(rows, len(symbols))`` — columns in
    the order of :attr:`symbols` — to get a :class:`Block` of shape
    ``(rows, len(names))``, one column per entry of ``derivs.entries(name)``
    (``name`` is the function's name in the entry names: ``--name V`` gives
    ``dV/dx``). With ``value``, the first :attr:`values` columns are the
    function's own value, one per formula, named as the function is
    (:func:`symgrad.labels.function`: ``f``, or ``f1``, ``f2``, … for a
    vector function), and the entries follow.
    """

    def __init__(self, derivs: Derivatives, backend: str = "auto", name: str = "f",
                 value: bool = False, rows: int | None = None):
        import sympy as sp

        from .. import labels

        if backend not in BACKENDS:
            raise BatchError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        if not derivs.parsed.real:
            raise BatchError("evaluation at many points needs real variables; drop --complex")
        self.derivs = derivs
        self.symbols: tuple[Any, ...] = tuple(derivs.variables) + tuple(derivs.parameters)
        entries = list(derivs.entries(name))
        # complex infinity has no double (a formula such as x*log(0), whose
        # derivatives the calculus already makes nan): the value is nan too
        functions = [(c, f.xreplace({sp.zoo: sp.nan})) for c, f in zip(derivs.components(), derivs.exprs)
                     ] if value else []
        #: How many of the first columns are the function's value (0, or one per formula).
        self.values = len(functions)
        self.names = [labels.function(c, name) for c, _ in functions] + [e.key for e in entries]
        # Plain argument names: whatever the user called a symbol (even
        # ``lambda``), generated code sees only _0, _1, ...
        dummies = [sp.Symbol(f"_{i}", real=True) for i in range(len(self.symbols))]
        rename = _Replacer(dict(zip(self.symbols, dummies)), evaluate=False)
        self._constants: dict[int, float] = {}
        exprs: list[Any] = []  # every column, constants as their double value
        for index, expr in enumerate([f for _, f in functions] + [e.value for e in entries]):
            renamed = rename(expr)
            if renamed is not expr:  # rebuilt only where one of the symbols occurs
                exprs.append(renamed)
            else:
                constant = self._constants[index] = _constant_value(expr)
                exprs.append(sp.Float(constant) if math.isfinite(constant) else sp.S.Zero)
        self._varying = [i for i in range(len(self.names)) if i not in self._constants]
        self.backend = "none"
        #: ``exp`` calls NumPy computes for the compiled code (0: one pass; see _StagedExps)
        self.numpy_exps = 0
        self._function: Callable[[np.ndarray], np.ndarray] | None = None
        self._all = False  # does the compiled function compute every entry?
        #: The cost model's seconds per backend (:func:`estimated_seconds`), with ``backend="auto"``.
        self.estimate: dict[str, float] = {}
        if self._varying and backend == "auto":
            self.estimate = estimated_seconds([exprs[i] for i in self._varying], len(self.names),
                                              ROWS_HINT if rows is None else rows)
            if prefers_numpy(self.estimate):
                backend = "numpy"
        if self._varying:
            if backend in ("auto", "symengine"):
                # symengine computes constants too: its result is the whole block, no copy
                self._function = _compile_symengine(dummies, exprs)
                self._all = self._function is not None
            if self._function is not None:
                self.backend = "symengine"
                if isinstance(self._function, _StagedExps):
                    self.numpy_exps = self._function.exps
            elif backend == "symengine":
                raise BatchError(
                    "the symengine backend is not available for this job "
                    "(symengine missing, or a function it cannot compile); use --backend numpy"
                )
            else:
                self._function = _compile_numpy(dummies, [exprs[i] for i in self._varying])
                self.backend = "numpy"

    def __call__(self, points: np.ndarray) -> Block:
        import numpy as np

        points = np.require(points, dtype=float, requirements=["C", "W"])
        if points.ndim != 2 or points.shape[1] != len(self.symbols):
            raise ValueError(f"expected shape (rows, {len(self.symbols)}), got {points.shape}")
        rows = points.shape[0]
        if self._function is not None and self._all and rows:
            with np.errstate(all="ignore"):
                out = np.reshape(self._function(points), (rows, len(self.names)))
            for index, value in self._constants.items():
                if not math.isfinite(value):
                    out[:, index] = value
            return Block(out)
        out = np.empty((rows, len(self.names)))
        for index, value in self._constants.items():
            out[:, index] = value
        if self._function is not None and rows:
            with np.errstate(all="ignore"):
                result = self._function(points)
            out[:, self._varying] = np.reshape(result, (rows, len(self._varying)))
        return Block(out)


#: Rows the auto backend's cost model assumes when the caller does not say
#: (one chunk of ``--chunk-rows``' default).
ROWS_HINT = 65536

#: The cost model of ``backend="auto"``, in seconds, fitted on the chained
#: Rosenbrock (sparse: 1,101 distinct nodes, 3,271 in the tree) and
#: log-sum-exp (dense: 15,556 distinct, 1.1 million in the tree) Hessians
#: for n = 100 at 20,000 rows (2 cores, symengine 0.15, SymPy 1.14,
#: NumPy 2, with entries of one shape evaluated together:
#: :mod:`symgrad.evaluation.templates`). symengine's LLVM compile grows
#: with the entries' tree counted with repetition (6 µs a node: 6.9 s for
#: the dense Hessian), NumPy's with the distinct nodes after
#: :func:`~symgrad.subexpressions.shared_terms` (25 µs a node: 0.4 s); per
#: row symengine's machine code takes about 1 ns a distinct node and NumPy
#: 3.6 ns, and filling the block 0.1 and 1.4 ns a column. So the dense
#: Hessian goes to NumPy below about 140,000 rows and to symengine above.
SYMENGINE_COST = {"start": 0.1, "tree_node": 6.2e-6, "row_node": 1.0e-9, "row_column": 0.1e-9}
NUMPY_COST = {"start": 0.05, "node": 25e-6, "row_node": 3.6e-9, "row_column": 1.4e-9}
#: Tree nodes counted at most (beyond, the tree is taken as this big).
TREE_COUNT_LIMIT = 5_000_000


#: ``auto`` leaves symengine (the default before the cost model) for NumPy
#: only on a clear win: NumPy expected this many times faster and this many
#: seconds sooner (the estimates are rough, and small jobs are quick either
#: way).
NUMPY_MARGIN = (1.25, 0.25)


def prefers_numpy(estimate: dict[str, float]) -> bool:
    """Whether the cost model's ``estimate`` clearly favours the NumPy backend (:data:`NUMPY_MARGIN`)."""
    numpy, symengine = estimate["numpy"], estimate["symengine"]
    return symengine > NUMPY_MARGIN[0] * numpy and symengine - numpy > NUMPY_MARGIN[1]


def estimated_seconds(exprs: Sequence[Any], columns: int, rows: int) -> dict[str, float]:
    """Seconds to compile ``exprs`` and evaluate them at ``rows`` rows, per backend (the cost model).

    The measure is the shape of the job: its distinct nodes, and its tree
    with each node counted every time it occurs (a dense job repeats its
    shared sum in every entry). The tree is counted only as far as it can
    change the choice: once symengine's estimate passes the bound where :func:`prefers_numpy` holds, symengine's estimate is that bound.
    """
    distinct = sum(1 for _ in _distinct_nodes(exprs))
    se, np_ = SYMENGINE_COST, NUMPY_COST
    numpy = np_["start"] + np_["node"] * distinct + rows * (np_["row_node"] * distinct
                                                            + np_["row_column"] * columns)
    symengine_rows = se["start"] + rows * (se["row_node"] * distinct + se["row_column"] * columns)
    decided = max(numpy * NUMPY_MARGIN[0], numpy + NUMPY_MARGIN[1])  # past this, prefers_numpy holds
    limit = min(TREE_COUNT_LIMIT, max(1, math.ceil((decided - symengine_rows) / se["tree_node"]) + 1))
    tree = 0
    for expr in exprs:
        tree += _node_count(expr, limit - tree)
        if tree >= limit:
            break
    return {"symengine": symengine_rows + se["tree_node"] * tree, "numpy": numpy}


def _node_count(expr: Any, limit: int) -> int:
    """Tree nodes of ``expr`` (a shared subtree counted each time), up to ``limit``."""
    count = 0
    stack = [expr]
    while stack and count < limit:
        node = stack.pop()
        count += 1
        stack.extend(node.args)
    return count


def _free_symbols(exprs: Sequence[Any]) -> set[Any]:
    import sympy as sp

    return {node for node in _distinct_nodes(exprs) if isinstance(node, sp.Symbol)}


def _constant_value(expr: Any) -> float:
    """A constant entry as a double: ``nan`` unless it is a finite real."""
    from ..results import LargeReal, plain

    value = plain(expr)
    if isinstance(value, LargeReal):
        return float(value)  # beyond a double: ±inf, as the compiled entries give
    if isinstance(value, str):
        return {"inf": math.inf, "-inf": -math.inf}.get(value, math.nan)
    return float(value)


#: Functions whose symengine LLVM code differs from symgrad's semantics or
#: which it cannot compile: jobs holding them use the NumPy backend.
_SYMENGINE_AVOID = ("DiracDelta", "Heaviside", "polygamma", "loggamma", "erfinv", "erfi",
                    "beta", "factorial", "binomial", "LambertW", "sinc",
                    # the special functions (symgrad.parsing.functions.SPECIAL_FUNCTIONS)
                    "Ei", "li", "Li", "Si", "Ci", "Shi", "Chi", "expint", "fresnels", "fresnelc",
                    "uppergamma", "lowergamma", "erfcinv", "erf2", "zeta", "polylog", "besselj",
                    "bessely", "besseli", "besselk", "airyai", "airybi", "airyaiprime",
                    "airybiprime", "elliptic_k", "elliptic_e", "elliptic_f", "elliptic_pi",
                    "legendre", "assoc_legendre", "hermite", "hermite_prob", "chebyshevt",
                    "chebyshevu", "laguerre", "assoc_laguerre", "gegenbauer", "jacobi", "hyper",
                    "appellf1", "meijerg")


def _compile_symengine(args: Sequence[Any], exprs: Sequence[Any]) -> Callable[[Any], Any] | None:
    try:
        import symengine  # noqa: F401 - is it installed?
    except ImportError:
        return None
    import sympy as sp

    avoid = tuple(getattr(sp, name) for name in _SYMENGINE_AVOID)
    if any(isinstance(node, avoid) for node in _distinct_nodes(exprs)):
        return None
    try:
        return _staged_exps(args, exprs) or _lambdify(args, exprs)
    except SymgradError:
        raise  # the job's time limit fired while compiling: it must end the job
    except Exception:  # noqa: BLE001 - anything symengine cannot compile goes to NumPy
        return None


def _lambdify(args: Sequence[Any], exprs: Sequence[Any]) -> Any:
    """symengine's machine-code function of ``args`` (SymPy symbols) computing ``exprs``."""
    import symengine as se

    return se.Lambdify([se.sympify(a) for a in args], [se.sympify(e) for e in exprs],
                       backend="llvm", cse=True, real=True)


#: Distinct ``exp`` calls a job needs before they are computed by NumPy
#: (see :func:`_staged_exps`). Measured on a mixture of 2-variable Gaussians
#: at 1e6 points, three passes cost 1.3x one pass with 3 calls, 1.05x with 4
#: and 0.85x with 6; a 10-term log-sum-exp gradient takes 0.65x.
STAGED_EXPS_MIN = 6
#: Rows per pass of the staged function: its intermediate columns stay in cache.
STAGED_ROWS = 4096


def _staged_exps(args: Sequence[Any], exprs: Sequence[Any]) -> _StagedExps | None:
    """The entries in three passes when they hold enough ``exp`` calls, else None."""
    import sympy as sp

    calls = [node for node in _distinct_nodes(exprs) if isinstance(node, sp.exp)]
    inner = sorted((call for call in calls if _free_symbols([call])
                    and not any(isinstance(n, sp.exp) for n in _distinct_nodes(call.args))),
                   key=sp.default_sort_key)
    if len(inner) < STAGED_EXPS_MIN:
        return None
    return _StagedExps(args, exprs, inner)


class _StagedExps:
    """Entries with many ``exp`` calls, computed in three passes per block of rows.

    symengine's machine code calls the C library's scalar ``exp`` once per
    point and call; NumPy's ``exp`` works on whole columns with vector
    instructions, several times faster per value. So when a job holds at
    least :data:`STAGED_EXPS_MIN` distinct ``exp`` calls (a log-sum-exp, a
    softmax, a mixture of Gaussians), compiled code first computes their
    arguments (and passes on the symbols still needed), NumPy takes the
    exponentials in place, and a second compiled function computes the
    entries from those. ``exp`` calls nested inside an argument stay in the
    compiled code. Values agree with the one-pass function to rounding.
    """

    def __init__(self, args: Sequence[Any], exprs: Sequence[Any], inner: Sequence[Any]):
        import sympy as sp

        count = len(args)
        values = [sp.Symbol(f"_{count + k}", real=True) for k in range(len(inner))]
        replace = _Replacer(dict(zip(inner, values)))
        rest = [replace(expr) for expr in exprs]
        used = _free_symbols(rest)
        passed = [a for a in args if a in used]
        self.exps = len(inner)
        self._middle_width = len(inner) + len(passed)
        self._entries = len(rest)
        self._first = _lambdify(args, [call.args[0] for call in inner] + passed)
        self._second = _lambdify(values + passed, rest)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        import numpy as np

        rows = points.shape[0]
        out = np.empty((rows, self._entries))
        for start in range(0, rows, STAGED_ROWS):
            block = slice(start, start + STAGED_ROWS)
            middle = np.reshape(self._first(points[block]), (-1, self._middle_width))
            exps = middle[:, : self.exps]
            np.exp(exps, out=exps)
            self._second(middle, out=out[block])
        return out


def _compile_numpy(args: Sequence[Any], exprs: Sequence[Any]) -> Callable[[Any], Any]:
    import numpy as np
    import sympy as sp

    # The shared subexpressions are found once by shared_terms (a linear pass;
    # sympy.cse takes minutes on a dense 100-variable Hessian).
    temps, reduced = shared_terms(list(exprs), prefix="_t")
    modules = _numpy_modules(exprs)
    printer = _numeric_printer(modules)
    # Entries of a few shapes (a Hessian's) go a shape at a time (templates.py).
    from .templates import compile_templates

    grouped = compile_templates(args, temps, reduced, modules, printer)
    if grouped is not None:
        return grouped
    # Otherwise lambdify gets the reduced entries, with the temporaries handed
    # back as its cse: it writes them as assignments before the entries and
    # walks only the reduced form (its own walk of the plain entries took n³ steps).
    function = sp.lambdify(list(args), reduced, modules=modules, cse=lambda _: (temps, reduced),
                           docstring_limit=0, printer=printer)

    def run(points: np.ndarray) -> np.ndarray:
        columns = np.ascontiguousarray(points.T)
        results = function(*columns)
        rows = points.shape[0]
        return np.column_stack([np.broadcast_to(np.asarray(r, dtype=float), (rows,))
                                for r in results])

    return run


def _numeric_printer(modules: Sequence[Any]) -> Any:
    """The printer lambdify would use for ``modules``, writing terms in stored order.

    A numeric function needs no sorted terms, and SymPy's sorting of each
    entry's terms and factors was most of the time lambdify took on a job
    with thousands of entries.
    """
    from sympy.printing.numpy import NumPyPrinter, SciPyPrinter

    cls = SciPyPrinter if "scipy" in modules else NumPyPrinter
    user = {name: name for m in modules if isinstance(m, dict) for name in m}
    return cls({"order": "none", "fully_qualified_modules": False, "inline": True,
                "allow_unknown_functions": True, "user_functions": user})


def _numpy_modules(exprs: Sequence[Any]) -> list[Any]:
    """Namespaces for ``lambdify``: NumPy, SciPy if present, slow fallbacks last resort."""
    import sympy as sp

    kinds = {type(node) for node in _distinct_nodes(exprs)}
    modules: list[Any] = []
    if {kind.__name__ for kind in kinds} & _needs_scipy():
        try:
            import scipy.special  # noqa: F401
        except ImportError:
            pass
        else:
            modules = ["scipy"]
    functions = {kind for kind in kinds if issubclass(kind, sp.Function)}
    fallback: dict[str, Any] = {}
    slow: list[str] = []
    for cls in functions:
        name = cls.__name__
        if name == "DiracDelta":
            fallback[name] = _dirac_delta
        elif name in ("hyper", "meijerg"):
            if modules and name == "hyper":
                fallback[name] = _hyper_scipy  # hyp0f1, hyp1f1, hyp2f1; others point by point
            else:
                fallback[name] = _nested_pointwise(name)
                slow.append(name)
        elif modules and name in _SCIPY:
            fallback[name] = _gaps_pointwise(_SCIPY[name], cls)
        elif name in _ALWAYS_POINTWISE or (
            not modules and (name in _POINTWISE or name in _SPECIAL_SCIPY or name in _SCIPY)
        ):
            fallback[name] = _pointwise(cls)
            slow.append(name)
    if slow:
        _notice_pointwise(sorted(slow), bool(modules))
    return [fallback, *modules, "numpy"]


def _needs_scipy() -> set[str]:
    """The SymPy classes a job's code is written differently for with SciPy.

    Those SciPy's printer writes and NumPy's does not (special functions,
    ``GoldenRatio``) and those symgrad evaluates with SciPy itself. A job
    with none of them (elementary functions only) does without SciPy, whose
    import is half a second.
    """
    from sympy.printing.numpy import NumPyPrinter, SciPyPrinter

    own = {name[len("_print_"):] for name in dir(SciPyPrinter)
           if name.startswith("_print_") and getattr(SciPyPrinter, name) is not getattr(NumPyPrinter, name, None)}
    return (own | set(SciPyPrinter._kf) - set(NumPyPrinter._kf) | set(_SCIPY) | set(_POINTWISE)
            | set(_SPECIAL_SCIPY) | {"hyper"})


#: Special functions SciPy's printer (``lambdify`` with ``"scipy"``) writes itself.
_SPECIAL_SCIPY = ("Ei", "Si", "Ci", "fresnels", "fresnelc", "uppergamma", "lowergamma",
                  "besselj", "bessely", "besseli", "besselk", "airyai", "airybi", "airyaiprime",
                  "airybiprime", "legendre", "assoc_legendre", "hermite", "chebyshevt",
                  "chebyshevu", "laguerre", "assoc_laguerre", "gegenbauer", "jacobi")
#: Special functions without a vectorised version: evaluated point by point always.
_ALWAYS_POINTWISE = ("polylog", "appellf1", "elliptic_pi")
_NOTICES: set[tuple[str, ...]] = set()


def _notice_pointwise(names: Sequence[str], scipy: bool) -> None:
    """Say once per process which functions are evaluated point by point (slowly)."""
    import sys

    key = tuple(names)
    if key in _NOTICES:
        return
    _NOTICES.add(key)
    why = "no vectorised version" if scipy else "SciPy is not installed: pip install 'symgrad[special]'"
    print(f"symgrad: {', '.join(names)} evaluated point by point at 30 digits, about 1 ms a "
          f"row ({why})", file=sys.stderr)


def _scipy_table() -> dict[str, Callable[..., Any]]:
    """Vectorised versions (SciPy, NumPy) of special functions SciPy's printer lacks."""

    def special(name: str) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            import scipy.special

            return getattr(scipy.special, name)(*args)

        return call

    def li(x: Any) -> Any:
        import numpy as np
        import scipy.special

        return scipy.special.expi(np.log(x))

    def shichi(index: int) -> Callable[[Any], Any]:
        def call(x: Any) -> Any:
            import scipy.special

            return scipy.special.shichi(x)[index]

        return call

    def lambertw(x: Any, k: Any = 0) -> Any:
        import numpy as np
        import scipy.special

        w = scipy.special.lambertw(x, k)
        return np.where(np.imag(w) == 0, np.real(w), np.nan)

    def expint(nu: Any, x: Any) -> Any:
        import numpy as np
        import scipy.special

        whole = np.asarray(nu) == np.floor(nu)
        return np.where(whole, scipy.special.expn(np.where(whole, nu, 0), x), np.nan)

    def zeta(s: Any, a: Any = None) -> Any:
        import scipy.special

        return scipy.special.zeta(s) if a is None else scipy.special.zeta(s, a)

    def elliptic_e(z: Any, m: Any = None) -> Any:
        import scipy.special

        return scipy.special.ellipe(z) if m is None else scipy.special.ellipeinc(z, m)

    def erf2(x: Any, y: Any) -> Any:
        import scipy.special

        return scipy.special.erf(y) - scipy.special.erf(x)

    return {
        "li": li, "Li": lambda x: li(x) - 1.0451637801174927848,  # li(2)
        "Shi": shichi(0), "Chi": shichi(1), "LambertW": lambertw, "expint": expint,
        "zeta": zeta, "elliptic_k": special("ellipk"), "elliptic_e": elliptic_e,
        "elliptic_f": special("ellipkinc"), "erfinv": special("erfinv"),
        "erfcinv": special("erfcinv"), "erfi": special("erfi"), "erf2": erf2,
        "hermite_prob": special("eval_hermitenorm"),
    }  # fmt: skip


_SCIPY = _scipy_table()


def _gaps_pointwise(fast: Callable[..., Any], cls: Any) -> Callable[..., Any]:
    """``fast`` on whole arrays; where it gives no number (outside SciPy's
    domain, ``zeta(s, a)`` for s < 1), the point-by-point value instead."""
    slow = _pointwise(cls)

    def apply(*arrays: Any) -> Any:
        import numpy as np

        with np.errstate(all="ignore"):
            out = np.array(np.broadcast_to(np.asarray(fast(*arrays), dtype=float),
                                           np.broadcast_shapes(*map(np.shape, arrays))))
        gaps = ~np.isfinite(out)
        if gaps.any():
            parts = [np.broadcast_to(a, out.shape)[gaps] for a in arrays]
            out[gaps] = slow(*parts)
        return out

    return apply


def _hyper_scipy(ap: Any, bq: Any, z: Any) -> Any:
    """``hyper(ap, bq, z)``: SciPy's hyp0f1, hyp1f1, hyp2f1 where they apply."""
    import scipy.special

    name = {(0, 1): "hyp0f1", (1, 1): "hyp1f1", (2, 1): "hyp2f1"}.get((len(ap), len(bq)))
    if name is None:
        return _nested_pointwise("hyper")(ap, bq, z)
    fast = getattr(scipy.special, name)
    return fast(*ap, *bq, z)


def _nested_pointwise(name: str) -> Callable[..., Any]:
    """``hyper((a, ...), (b, ...), z)`` or ``meijerg(((..), (..)), ((..), (..)), z)``
    point by point with mpmath (30 digits)."""

    def flatten(groups: Any) -> list[Any]:
        out: list[Any] = []
        for g in groups:
            out.extend(flatten(g) if isinstance(g, tuple) else [g])
        return out

    def rebuild(groups: Any, values: Iterator[float]) -> Any:
        return [rebuild(g, values) if isinstance(g, tuple) else next(values) for g in groups]

    def apply(*args: Any) -> Any:
        import mpmath
        import numpy as np

        leaves = flatten(args)
        arrays = np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in leaves])
        out = np.empty(arrays[0].shape if arrays else ())
        flat = [a.ravel() for a in arrays]
        result = out.reshape(-1)
        for k in range(result.size):
            a, b, z = rebuild(args, iter([float(v[k]) for v in flat]))
            try:
                with mpmath.workdps(30):
                    v = complex(mpmath.hyper(a, b, z) if name == "hyper" else mpmath.meijerg(a, b, z))
            except (ValueError, ArithmeticError, TypeError):
                v = complex(math.nan)
            result[k] = v.real if abs(v.imag) <= 1e-15 * max(1.0, abs(v.real)) else math.nan
        return out

    return apply


#: Functions NumPy lacks; without SciPy each is evaluated point by point.
_POINTWISE = ("erf", "erfc", "erfi", "erfinv", "gamma", "loggamma", "digamma", "polygamma",
              "beta", "factorial", "binomial", "LambertW")


def _dirac_delta(x: Any, order: Any = 0) -> Any:
    """DiracDelta as symgrad evaluates it: 0 away from 0, undefined (nan) at 0."""
    import numpy as np

    x = np.asarray(x, dtype=float)
    return np.where(x == 0, np.nan, 0.0)


def _pointwise(cls: Any) -> Callable[..., Any]:
    """``cls`` applied to arrays one point at a time (30-digit SymPy evaluation)."""
    import numpy as np
    import sympy as sp

    def one(*values: float) -> float:
        try:
            result = complex(cls(*(sp.Float(v) for v in values)).evalf(30))
        except (TypeError, ValueError, ArithmeticError):
            return math.nan
        return result.real if result.imag == 0 else math.nan

    def apply(*arrays: Any) -> Any:
        return np.frompyfunc(one, len(arrays), 1)(*arrays).astype(float)

    return apply
