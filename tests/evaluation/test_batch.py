"""Vectorised evaluation (symgrad.evaluation.compiled): batch values against exact ones.

Every formula of the corpus is differentiated once and compiled with each
backend; its values at random points inside the formula's domain must agree
to 1e-12 (relative) with symgrad's own point evaluation, which works with 30
digits and rounds to doubles. A second, independent oracle differentiates the
*original* formula numerically with mpmath at 50 digits, so a wrong symbolic
derivative that both evaluators share would still be caught.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import mpmath
import numpy as np
import pytest
import sympy as sp

import symgrad
from symgrad.evaluation import compiled as batch
from symgrad.evaluation.compiled import BatchError, Block, CompiledEntries
from symgrad.points.run import BadEntry, BulkReport, json_layout, run_bulk
from symgrad.points import Chunk, PointsError
from symgrad.results import plain

RTOL = 1e-12


@dataclass(frozen=True)
class Case:
    formulas: tuple[str, ...]
    #: name -> (low, high): points are drawn uniformly from this box
    box: dict[str, tuple[float, float]]
    wrt: str | None = None
    #: symengine's LLVM backend compiles it (else only NumPy evaluates it)
    symengine: bool = True
    hessian: bool = True

    @property
    def id(self) -> str:
        return "; ".join(self.formulas) + (f" wrt {self.wrt}" if self.wrt else "")


#: Formulas with at least STAGED_EXPS_MIN (6) distinct exp calls.
LSE6 = "log(exp(x) + exp(2*y) + exp(-x - y) + exp(x - y) + exp(z) + exp(y + 2*z))"
GAUSSIANS6 = ("a*exp(-(x - 1)**2) + exp(-(x + 1)**2 - y**2) + 2*exp(-x**2 - (y - 1)**2)"
              " + exp(-(x - y)**2) + exp(x*y/4) + x*exp(-y**2/2)")
NESTED_EXPS = "exp(exp(x)/4) + exp(y) + exp(2*y) + exp(x + y) + exp(x - y) + exp(-x) + exp(-y)"

POS = (0.2, 3.0)
ANY = (-2.5, 2.5)
SMALL = (-0.9, 0.9)

CORPUS = [
    # polynomials (Hessian entries are constants that must broadcast)
    Case(("x**2 + y*z",), {"x": ANY, "y": ANY, "z": ANY}),
    Case(("2*x**2 + 3*y**2 - 4*z",), {"x": ANY, "y": ANY, "z": ANY}),
    Case(("(1-x)^2 + 100(y-x^2)^2",), {"x": ANY, "y": ANY}),
    Case(("x**5 - 3*x**3*y + y**4/7",), {"x": ANY, "y": ANY}),
    Case(("3*x + 2*y - 7",), {"x": ANY, "y": ANY}),
    # trigonometric and hyperbolic
    Case(("sin(x)*cos(y)",), {"x": ANY, "y": ANY}),
    Case(("tan(x*y)",), {"x": SMALL, "y": SMALL}),
    Case(("atan(x/y) + asin(x/2)",), {"x": (-1.5, 1.5), "y": POS}),
    Case(("acos(x)*y",), {"x": SMALL, "y": ANY}),
    Case(("tanh(x)*sinh(y) + cosh(x*y)",), {"x": ANY, "y": ANY}),
    # exponentials, logarithms, roots, powers
    Case(("exp(-x**2 - y**2)",), {"x": ANY, "y": ANY}),
    Case(("log(x) + log(x*y + 1)",), {"x": POS, "y": POS}),
    Case(("sqrt(x**2 + y**2 + 1)",), {"x": ANY, "y": ANY}),
    Case(("x**y",), {"x": POS, "y": ANY}),
    Case(("log(exp(x) + exp(y) + exp(z))",), {"x": ANY, "y": ANY, "z": ANY}),
    Case(("1/(x*y)",), {"x": POS, "y": POS}),
    # functions with kinks, kept off them by the box
    Case(("Abs(x)*y**2",), {"x": (0.3, 2.0), "y": ANY}, symengine=False),
    Case(("Abs(x - 1)*y",), {"x": (-2.0, 0.7), "y": ANY}, symengine=False),
    Case(("sign(x)*y**3",), {"x": (-2.0, -0.3), "y": ANY}, symengine=False),
    Case(("Heaviside(x)*y**2 + x*y",), {"x": (0.2, 2.0), "y": ANY}, symengine=False),
    Case(("Max(x, y)*x",), {"x": (1.0, 2.0), "y": (-1.0, 0.5)}, symengine=False),
    Case(("Min(x**2, y) + y",), {"x": (-0.5, 0.5), "y": (1.0, 2.0)}, symengine=False),
    # special functions
    Case(("atan2(y, x)",), {"x": POS, "y": ANY}),
    Case(("atan2(y, x)*x",), {"x": (-2.0, -0.5), "y": (0.5, 2.0)}),
    Case(("erf(x*y)",), {"x": ANY, "y": SMALL}),
    Case(("gamma(x)*y",), {"x": POS, "y": ANY}, symengine=False),
    # parameters: a, b are columns after the variables
    Case(("a*x**2 + b*sin(y)",), {"x": ANY, "y": ANY, "a": ANY, "b": ANY}, wrt="x,y"),
    Case(("exp(k*t)*cos(w*t)",), {"t": ANY, "k": SMALL, "w": ANY}, wrt="t"),
    # wrt order differs from the natural one
    Case(("x**3*y**2*z",), {"x": ANY, "y": ANY, "z": ANY}, wrt="z,x,y"),
    # vector functions: Jacobian and one Hessian per component
    Case(("x*y", "x+y"), {"x": ANY, "y": ANY}),
    Case(("r*cos(t)", "r*sin(t)", "r**2"), {"r": POS, "t": ANY}),
    Case(("exp(x)*y", "3*x - y", "log(x**2 + 1)*z"), {"x": ANY, "y": ANY, "z": ANY}),
    Case(("a*x + y", "x*y"), {"x": ANY, "y": ANY, "a": ANY}, wrt="x,y"),
    # gradient only (no Hessian)
    Case(("sin(x)**2 + cos(x)**2 + y",), {"x": ANY, "y": ANY}, hessian=False),
    # six or more exp calls: NumPy computes them between two compiled passes
    Case((LSE6,), {"x": ANY, "y": ANY, "z": ANY}),
    Case((GAUSSIANS6,), {"x": ANY, "y": ANY, "a": ANY}, wrt="x,y"),
    Case((NESTED_EXPS,), {"x": SMALL, "y": SMALL}),
]

BACKENDS = ["numpy", "symengine"]


def derivatives(case: Case):
    if len(case.formulas) > 1:
        return symgrad.jacobian(*case.formulas, wrt=case.wrt, hessian=case.hessian)
    if case.hessian:
        return symgrad.hessian(case.formulas[0], wrt=case.wrt)
    return symgrad.gradient(case.formulas[0], wrt=case.wrt)


def random_points(case: Case, symbols: list[str], count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*case.box[name], size=count) for name in symbols])


def exact_row(derivs, point: dict[str, float]) -> list[float]:
    """The entries at ``point`` in entries() order, from the point evaluator."""
    p = derivs.at(point)
    assert p.problems == ()
    rows = p.jacobian if derivs.is_vector else (p.gradient,)
    row = [plain(v) for r in rows for v in r]
    n = len(derivs.variables)
    for h in p.hessians or ():
        row += [plain(h[i][j]) for i in range(n) for j in range(i, n)]
    assert all(isinstance(v, (int, float)) for v in row), row
    return [float(v) for v in row]


def compile_or_skip_reason(derivs, backend: str, case: Case) -> CompiledEntries | None:
    if backend == "symengine" and not case.symengine:
        with pytest.raises(BatchError, match="symengine backend is not available"):
            CompiledEntries(derivs, backend)
        return None
    compiled = CompiledEntries(derivs, backend)
    varying = any(e.value.free_symbols for e in derivs.entries())
    assert compiled.backend == (backend if varying else "none")
    return compiled


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_batch_values_agree_with_exact_evaluation(case, backend):
    derivs = derivatives(case)
    compiled = compile_or_skip_reason(derivs, backend, case)
    if compiled is None:  # symengine refuses this one: checked in compile_or_skip_reason
        return
    symbols = [s.name for s in compiled.symbols]
    assert sorted(symbols) == sorted(case.box)
    points = random_points(case, symbols, 12, seed=len(case.id))
    block = compiled(points)
    assert isinstance(block, Block)
    assert block.values.shape == (12, len(compiled.names))
    for row, point in zip(block.values, points):
        expected = exact_row(derivs, dict(zip(symbols, point.tolist())))
        assert len(expected) == len(row)
        for name, got, want in zip(compiled.names, row.tolist(), expected):
            assert math.isclose(got, want, rel_tol=RTOL, abs_tol=1e-300), (
                name, dict(zip(symbols, point.tolist())), got, want)


def test_corpus_is_big_and_varied():
    assert len(CORPUS) >= 25
    text = " ".join(" ".join(c.formulas) for c in CORPUS)
    for fn in ("sin", "exp", "log", "sqrt", "Abs", "sign", "atan2", "Max", "Min", "erf",
               "gamma", "Heaviside"):
        assert fn + "(" in text, fn
    assert any(len(c.formulas) > 1 and c.hessian for c in CORPUS)
    assert any(c.wrt and len(c.box) > len(c.wrt.split(",")) for c in CORPUS)  # parameters


@pytest.mark.parametrize("backend", BACKENDS)
def test_backends_agree_with_each_other(backend):
    # the same job on both backends, on a larger block (entries near 0 come
    # from cancellation, so the absolute tolerance is a few ulps of 1)
    derivs = symgrad.hessian("log(exp(x) + exp(y)) * sin(x*y) + sqrt(1 + x**2)")
    ref = CompiledEntries(derivs, "numpy")
    other = CompiledEntries(derivs, backend)
    points = np.random.default_rng(3).uniform(-2, 2, size=(1000, 2))
    np.testing.assert_allclose(other(points).values, ref(points).values, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------
# Column names and layout


def test_compiled_columns_scalar_with_hessian():
    derivs = symgrad.hessian("x**2*y + z", wrt="x,y,z")
    compiled = CompiledEntries(derivs, "numpy")
    assert compiled.names == ["df/dx", "df/dy", "df/dz",
                              "d2f/dx^2", "d2f/dxdy", "d2f/dxdz", "d2f/dy^2", "d2f/dydz", "d2f/dz^2"]
    # each column holds the entry its name says: 2xy, x^2, 1, 2y, 2x, 0, 0, 0, 0
    (row,) = compiled(np.array([[3.0, 5.0, 7.0]])).values.tolist()
    assert row == [30, 9, 1, 10, 6, 0, 0, 0, 0]


def test_compiled_columns_vector_function():
    derivs = symgrad.jacobian("x*y", "x+y", hessian=True)
    compiled = CompiledEntries(derivs, "numpy")
    assert compiled.names == ["df1/dx", "df1/dy", "df2/dx", "df2/dy",
                              "d2f1/dx^2", "d2f1/dxdy", "d2f1/dy^2",
                              "d2f2/dx^2", "d2f2/dxdy", "d2f2/dy^2"]
    (row,) = compiled(np.array([[3.0, 5.0]])).values.tolist()
    assert row == [5, 3, 1, 1, 0, 1, 0, 0, 0, 0]


def test_compiled_columns_follow_wrt_order_and_name():
    derivs = symgrad.gradient("a*x + y", wrt="y,x")
    assert CompiledEntries(derivs, "numpy").names == ["df/dy", "df/dx"]
    assert CompiledEntries(derivs, "numpy", name="V").names == ["dV/dy", "dV/dx"]


def test_symbols_are_variables_then_parameters():
    compiled = CompiledEntries(symgrad.gradient("a*x**2 + b*y", wrt="y,x"), "numpy")
    assert [s.name for s in compiled.symbols] == ["y", "x", "a", "b"]
    # columns: y, x, a, b -> df/dy = b, df/dx = 2*a*x
    block = compiled(np.array([[5.0, 3.0, 2.0, 7.0]]))
    assert block.values.tolist() == [[7.0, 12.0]]


# ---------------------------------------------------------------------------
# Constant entries broadcast


@pytest.mark.parametrize("backend", BACKENDS)
def test_constant_entries_broadcast_to_full_columns(backend):
    compiled = CompiledEntries(symgrad.hessian("3*x + y**2"), backend)
    points = np.array([[1.0, 2.0], [4.0, -5.0], [0.0, 0.5]])
    values = compiled(points).values
    # df/dx = 3, df/dy = 2y, d2f/dx^2 = 0, d2f/dxdy = 0, d2f/dy^2 = 2
    assert values.shape == (3, 5)
    assert values[:, 0].tolist() == [3.0, 3.0, 3.0]
    assert values[:, 1].tolist() == [4.0, -10.0, 1.0]
    assert values[:, 2:].tolist() == [[0.0, 0.0, 2.0]] * 3


def test_all_constant_job_needs_no_compiler():
    compiled = CompiledEntries(symgrad.hessian("3*x - 2*y + pi*z"), "auto")
    assert compiled.backend == "none"
    values = compiled(np.zeros((4, 3))).values
    assert values.shape == (4, 3 + 6)
    assert values[:, :3].tolist() == [[3.0, -2.0, math.pi]] * 4
    assert not values[:, 3:].any()


@pytest.mark.parametrize("backend", BACKENDS)
def test_zero_rows(backend):
    compiled = CompiledEntries(symgrad.gradient("sin(x)*y"), backend)
    assert compiled(np.empty((0, 2))).values.shape == (0, 2)


def test_wrong_shape_is_refused():
    compiled = CompiledEntries(symgrad.gradient("x*y"), "numpy")
    with pytest.raises(ValueError, match=r"expected shape \(rows, 2\)"):
        compiled(np.zeros((3, 3)))
    with pytest.raises(ValueError):
        compiled(np.zeros(2))


@pytest.mark.parametrize("backend", BACKENDS)
def test_read_only_and_non_contiguous_input(backend):
    compiled = CompiledEntries(symgrad.gradient("x**2*y"), backend)
    base = np.array([[1.0, 9.0, 2.0], [3.0, 9.0, 4.0]])
    view = base[:, ::2]  # columns x, y; not C-contiguous
    view.flags.writeable = False
    assert compiled(view).values.tolist() == [[4.0, 1.0], [24.0, 9.0]]
    assert base.tolist() == [[1.0, 9.0, 2.0], [3.0, 9.0, 4.0]]


def test_unknown_backend_and_complex_variables():
    with pytest.raises(BatchError, match="unknown backend"):
        CompiledEntries(symgrad.gradient("x"), "fortran")
    with pytest.raises(BatchError, match="real variables"):
        CompiledEntries(symgrad.gradient("x*y", real=False), "numpy")


def test_generated_code_never_sees_user_names():
    # names that are Python keywords or builtins still compile
    derivs = symgrad.gradient("lambda**2 + 3*print")
    for backend in BACKENDS:
        values = CompiledEntries(derivs, backend)(np.array([[2.0, 5.0]])).values
        assert values.tolist() == [[4.0, 3.0]]


# ---------------------------------------------------------------------------
# Undefined values: nan / inf, counted by Block.bad_counts


@pytest.mark.parametrize("backend", BACKENDS)
def test_undefined_points_give_nan_or_inf(backend):
    compiled = CompiledEntries(symgrad.gradient("1/x + sqrt(y)"), backend)
    points = np.array([[1.0, 4.0], [0.0, 4.0], [2.0, -1.0], [0.0, -4.0], [4.0, 1.0]])
    block = compiled(points)
    dx, dy = block.values[:, 0], block.values[:, 1]
    # df/dx = -1/x**2, df/dy = 1/(2 sqrt(y))
    assert dx[0] == -1.0 and dx[2] == -0.25 and dx[4] == -1 / 16
    assert np.isinf(dx[1]) and np.isinf(dx[3])
    assert dy[0] == 0.25 and dy[1] == 0.25 and dy[4] == 0.5
    assert np.isnan(dy[2]) and np.isnan(dy[3])
    counts, first = block.bad_counts()
    assert counts.tolist() == [2, 2]
    assert first.tolist() == [1, 2]


def test_bad_counts_without_problems():
    block = Block(np.array([[1.0, 2.0], [3.0, 4.0]]))
    counts, first = block.bad_counts()
    assert counts.tolist() == [0, 0]
    assert first.tolist() == [-1, -1]


def test_undefined_constant_entry_is_a_nan_column():
    # d/dx of x*zoo... an entry with no symbols that is not a finite real
    # (formula text holding zoo is refused; a SymPy expression may still bring it)
    x, y = sp.symbols("x y", real=True)
    derivs = symgrad.gradient(x * sp.log(0) + y)
    compiled = CompiledEntries(derivs, "numpy")
    values = compiled(np.array([[1.0, 2.0], [3.0, 4.0]])).values
    assert not np.isfinite(values[:, 0]).any()
    assert values[:, 1].tolist() == [1.0, 1.0]


# ---------------------------------------------------------------------------
# An independent oracle: mpmath central differences of the original formula

mp = mpmath.mp

ORACLE = [
    # (formula for symgrad, the same function for mpmath, variables, box)
    ("x**2*sin(y) + exp(x*y)/(1 + y**2)",
     lambda x, y: x**2 * mpmath.sin(y) + mpmath.exp(x * y) / (1 + y**2), ("x", "y"), ANY),
    ("sqrt(x**2 + y**2 + 1)*atan2(y, x + 3)",
     lambda x, y: mpmath.sqrt(x**2 + y**2 + 1) * mpmath.atan2(y, x + 3), ("x", "y"), ANY),
    ("log(x)*erf(y) + gamma(x)",
     lambda x, y: mpmath.log(x) * mpmath.erf(y) + mpmath.gamma(x), ("x", "y"), POS),
    ("Abs(x)*cosh(y) - x**y",
     lambda x, y: abs(x) * mpmath.cosh(y) - mpmath.power(x, y), ("x", "y"), POS),
    ("log(exp(x) + exp(2*y) + exp(-x - y))",
     lambda x, y: mpmath.log(mpmath.exp(x) + mpmath.exp(2 * y) + mpmath.exp(-x - y)),
     ("x", "y"), ANY),
    ("log(exp(x) + exp(2*y) + exp(-x - y) + exp(x - y) + exp(y/3) + exp(-2*x))",  # staged exps
     lambda x, y: mpmath.log(mpmath.exp(x) + mpmath.exp(2 * y) + mpmath.exp(-x - y)
                             + mpmath.exp(x - y) + mpmath.exp(y / 3) + mpmath.exp(-2 * x)),
     ("x", "y"), ANY),
]


def mp_gradient_hessian(f, point):
    """Central differences at 50 digits: first derivatives and the Hessian."""
    with mpmath.workdps(50):
        p = [mpmath.mpf(v) for v in point]  # the double values, exactly
        n = len(p)
        h = mpmath.mpf("1e-15")
        k = mpmath.mpf("1e-12")

        def at(*steps):
            q = list(p)
            for index, step in steps:
                q[index] += step
            return f(*q)

        grad = [(at((i, h)) - at((i, -h))) / (2 * h) for i in range(n)]
        hess = [[None] * n for _ in range(n)]
        for i in range(n):
            for j in range(i, n):
                if i == j:
                    value = (at((i, k)) - 2 * f(*p) + at((i, -k))) / k**2
                else:
                    value = (at((i, k), (j, k)) - at((i, k), (j, -k))
                             - at((i, -k), (j, k)) + at((i, -k), (j, -k))) / (4 * k * k)
                hess[i][j] = hess[j][i] = value
        return [float(g) for g in grad], [[float(v) for v in r] for r in hess]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("formula, f, variables, box", ORACLE, ids=[o[0] for o in ORACLE])
def test_batch_values_agree_with_mpmath_differences(formula, f, variables, box, backend):
    derivs = symgrad.hessian(formula, wrt=",".join(variables))
    try:
        compiled = CompiledEntries(derivs, backend)
    except BatchError:
        assert backend == "symengine"
        return
    points = np.random.default_rng(11).uniform(*box, size=(6, len(variables)))
    values = compiled(points).values
    n = len(variables)
    for point, row in zip(points.tolist(), values):
        grad, hess = mp_gradient_hessian(f, point)
        upper = [hess[i][j] for i in range(n) for j in range(i, n)]
        expected = grad + upper
        for got, want in zip(row.tolist(), expected):
            # differences at 50 digits: the oracle is good to far below 1e-12
            assert math.isclose(got, want, rel_tol=RTOL, abs_tol=1e-12), (formula, point)


# ---------------------------------------------------------------------------
# Many exp calls: NumPy's exp between two compiled passes (batch._StagedExps)

needs_symengine = pytest.mark.skipif(
    CompiledEntries(symgrad.gradient("exp(x)*y")).backend != "symengine", reason="symengine missing"
)


def one_pass(derivs, monkeypatch):
    """The same job compiled as one machine-code function, for comparison."""
    monkeypatch.setattr(batch, "STAGED_EXPS_MIN", 10**9)
    compiled = CompiledEntries(derivs, "symengine")
    monkeypatch.undo()
    assert compiled.numpy_exps == 0
    return compiled


@needs_symengine
@pytest.mark.parametrize(
    "formula, exps",
    [
        (LSE6, 6),
        (GAUSSIANS6, 6),
        # exp(x) inside exp(exp(x)/4) is one of them, and exp(2*x) from its square in the
        # Hessian; the outer exp(exp(x)/4) stays in the compiled code
        (NESTED_EXPS, 8),
        ("exp(x) + exp(2*x) + exp(3*x) + exp(4*x) + exp(5*x)", 0),  # five: one pass is faster
        ("exp(1)*x + exp(2)*x + exp(x) + exp(2*x) + exp(3*x) + exp(4*x) + exp(5*x)", 0),  # constants
    ],
)
def test_jobs_with_many_exps_are_staged(formula, exps):
    # counted on the raw derivatives: the tidy step merges exp(x)*exp(y) into exp(x + y)
    derivs = symgrad.hessian(formula, simplify="off")
    compiled = CompiledEntries(derivs)
    assert compiled.backend == "symengine"
    assert compiled.numpy_exps == exps


@needs_symengine
@pytest.mark.parametrize("rows", [1, 7, batch.STAGED_ROWS, 2 * batch.STAGED_ROWS + 123])
@pytest.mark.parametrize("formula", [LSE6, GAUSSIANS6, NESTED_EXPS])
def test_staged_and_one_pass_agree(formula, rows, monkeypatch):
    derivs = symgrad.hessian(formula)
    staged = CompiledEntries(derivs)
    assert staged.numpy_exps >= batch.STAGED_EXPS_MIN
    symbols = [s.name for s in staged.symbols]
    points = np.random.default_rng(rows).uniform(-1.5, 1.5, size=(rows, len(symbols)))
    got = staged(points).values
    want = one_pass(derivs, monkeypatch)(points).values
    assert got.shape == want.shape == (rows, len(staged.names))
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13 * np.abs(want).max())


@needs_symengine
def test_staged_single_entry_and_zero_rows():
    derivs = symgrad.gradient("exp(x) + exp(2*x) + exp(3*x) + exp(4*x) + exp(5*x) + exp(6*x)")
    compiled = CompiledEntries(derivs)
    assert compiled.numpy_exps == 6 and compiled.names == ["df/dx"]
    values = compiled(np.array([[0.0], [1.0], [-2.0]])).values
    expected = [sum(k * math.exp(k * x) for k in range(1, 7)) for x in (0.0, 1.0, -2.0)]
    np.testing.assert_allclose(values[:, 0], expected, rtol=1e-14)
    assert compiled(np.empty((0, 1))).values.shape == (0, 1)


@needs_symengine
def test_staged_overflow_matches_one_pass(monkeypatch):
    # exp overflows to inf at x = 800; the entries become inf or nan (inf/inf)
    # exactly where the one-pass function's do
    derivs = symgrad.hessian(LSE6)
    staged = CompiledEntries(derivs)
    points = np.array([[800.0, 0.0, 0.0], [-800.0, 0.0, 0.0], [0.0, 400.0, 0.0],
                       [np.nan, 0.0, 0.0], [np.inf, 1.0, 1.0], [0.5, -0.5, 0.25]])
    got = staged(points).values
    want = one_pass(derivs, monkeypatch)(points).values
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
    finite = np.isfinite(want)
    np.testing.assert_allclose(got[finite], want[finite], rtol=1e-13, atol=1e-13)


# ---------------------------------------------------------------------------
# run_bulk and json_layout (symgrad.points.run)



class ListReader:
    """Chunks from a list of arrays; optionally fails after them."""

    kind = "test"
    header = None
    delimiter = ","

    def __init__(self, blocks, fail=False):
        self.blocks = blocks
        self.fail = fail
        self.closed = False

    def chunks(self):
        line = 1
        for block in blocks_as_arrays(self.blocks):
            yield Chunk(block, np.arange(line, line + len(block)) * 10)
            line += len(block)
        if self.fail:
            raise PointsError("--points: line 99: broken")

    def close(self):
        self.closed = True


def blocks_as_arrays(blocks):
    return [np.asarray(b, dtype=float).reshape(len(b), -1) for b in blocks]


class Recorder:
    def __init__(self):
        self.points, self.values = [], []
        self.closed = self.aborted = False

    def write(self, chunk, values):
        self.points += chunk.values.tolist()
        self.values += values.tolist()

    def close(self):
        self.closed = True

    def abort(self):
        self.aborted = True


def test_run_bulk_counts_rows_and_bad_entries():
    compiled = CompiledEntries(symgrad.gradient("log(x) + y**2"), "numpy")
    reader = ListReader([[[1, 1], [0, 2]], [[-1, 3]], [[2, 0], [0, 1]]])
    writer = Recorder()
    report = run_bulk(compiled, reader, writer)
    assert report.rows == 5
    assert writer.closed and not writer.aborted
    assert writer.points == [[1, 1], [0, 2], [-1, 3], [2, 0], [0, 1]]
    # df/dx = 1/x: inf at x=0 (twice), finite at x=-1; df/dy = 2y always finite
    assert [v[1] for v in writer.values] == [2, 4, 6, 0, 2]
    (bad,) = report.bad
    assert bad == BadEntry("df/dx", 2, 20, {"x": 0.0, "y": 2.0})
    assert report.messages() == [
        "df/dx is not finite (nan or inf) at 2 of 5 rows (first: line 20, x=0.0, y=2.0)"]
    assert report.messages("row")[0].endswith("(first: row 20, x=0.0, y=2.0)")


def test_run_bulk_fills_fixed_symbols_in_symbol_order():
    compiled = CompiledEntries(symgrad.gradient("a*x**2 + b*y", wrt="x,y"), "numpy")
    assert [s.name for s in compiled.symbols] == ["x", "y", "a", "b"]
    # the reader gives x and y; a and b come from --at
    writer = Recorder()
    run_bulk(compiled, ListReader([[[1, 5], [2, 6]]]), writer, {"a": 3.0, "b": -1.0})
    assert writer.points == [[1, 5, 3, -1], [2, 6, 3, -1]]
    assert writer.values == [[6, -1], [12, -1]]


def test_run_bulk_fixed_symbol_in_the_middle():
    compiled = CompiledEntries(symgrad.gradient("x*y*z"), "numpy")
    writer = Recorder()
    run_bulk(compiled, ListReader([[[2, 5]]]), writer, {"y": 3.0})
    assert writer.points == [[2, 3, 5]]
    assert writer.values == [[15, 10, 6]]


def test_run_bulk_aborts_the_writer_on_error():
    compiled = CompiledEntries(symgrad.gradient("x"), "numpy")
    reader = ListReader([[[1], [2]]], fail=True)
    writer = Recorder()
    with pytest.raises(PointsError):
        run_bulk(compiled, reader, writer)
    assert writer.aborted and not writer.closed
    assert writer.points == [[1], [2]]  # what came before was written


def test_run_bulk_reports_progress_per_chunk():
    compiled = CompiledEntries(symgrad.gradient("x"), "numpy")
    seen = []
    run_bulk(compiled, ListReader([[[1]], [[2]], [[3]]]), Recorder(), progress=seen.append)
    assert len(seen) == 3


def test_empty_report():
    assert BulkReport().messages() == []


def test_json_layout_scalar_with_hessian():
    derivs = symgrad.hessian("x**2*y*z")
    layout = json_layout(derivs)
    # gradient (3), then the upper triangle xx, xy, xz, yy, yz, zz
    row = [1, 2, 3, 11, 12, 13, 22, 23, 33]
    assert layout(row) == {
        "gradient": [1, 2, 3],
        "hessian": [[11, 12, 13], [12, 22, 23], [13, 23, 33]],
    }


def test_json_layout_vector_with_hessians():
    derivs = symgrad.jacobian("x*y", "x+y", "x", hessian=True)
    layout = json_layout(derivs)
    row = list(range(6)) + [10, 11, 12] + [20, 21, 22] + [30, 31, 32]
    assert layout(row) == {
        "jacobian": [[0, 1], [2, 3], [4, 5]],
        "hessian": [[[10, 11], [11, 12]], [[20, 21], [21, 22]], [[30, 31], [31, 32]]],
    }


def test_json_layout_without_hessian():
    assert json_layout(symgrad.gradient("x*y"))([5, 6]) == {"gradient": [5, 6]}
    assert json_layout(symgrad.jacobian("x", "y"))([1, 0, 0, 1]) == {"jacobian": [[1, 0], [0, 1]]}


def test_json_layout_agrees_with_the_compiled_columns():
    # each name's position in the flat row is where json_layout reads it
    derivs = symgrad.jacobian("x*y*z", "x+z", hessian=True)
    names = CompiledEntries(derivs, "numpy").names
    doc = json_layout(derivs)(names)
    assert doc["jacobian"][1][2] == "df2/dz"
    assert doc["hessian"][0][2][1] == "d2f1/dydz"
    assert doc["hessian"][1][0][0] == "d2f2/dx^2"


# ---------------------------------------------------------------------------
# SciPy is optional: without it NumPy's missing special functions still work


SPECIAL = [
    ("gamma(x)*y", {"x": POS, "y": ANY}),
    ("erf(x*y)*x + erfc(x)*y", {"x": ANY, "y": SMALL}),  # the derivatives keep erf and erfc
    ("loggamma(x) + y", {"x": POS, "y": ANY}),
    ("digamma(x)*y", {"x": POS, "y": ANY}),
    ("beta(x, y)", {"x": POS, "y": POS}),
    ("factorial(x)", {"x": POS}),
]


@pytest.mark.parametrize("scipy", ["with", "without"])
@pytest.mark.parametrize("formula, box", SPECIAL, ids=[s[0] for s in SPECIAL])
def test_special_functions_with_and_without_scipy(formula, box, scipy, monkeypatch):
    if scipy == "without":
        for name in [m for m in sys.modules if m == "scipy" or m.startswith("scipy.")]:
            monkeypatch.setitem(sys.modules, name, None)
        monkeypatch.setitem(sys.modules, "scipy", None)
    case = Case((formula,), box)
    derivs = derivatives(case)
    from symgrad.evaluation.compiled import _numpy_modules

    # the path under test is the one taken
    assert ("scipy" in _numpy_modules([e.value for e in derivs.entries()])) == (scipy == "with")
    compiled = CompiledEntries(derivs, "numpy")
    symbols = [s.name for s in compiled.symbols]
    points = random_points(case, symbols, 5, seed=7)
    values = compiled(points).values
    for row, point in zip(values, points):
        expected = exact_row(derivs, dict(zip(symbols, point.tolist())))
        for got, want in zip(row.tolist(), expected):
            assert math.isclose(got, want, rel_tol=RTOL, abs_tol=1e-300), (formula, point)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("rows", [1, 2, 5])
def test_one_varying_entry_and_few_rows(backend, rows):
    compiled = CompiledEntries(symgrad.hessian("x**3"), backend)
    x = np.arange(1.0, rows + 1).reshape(rows, 1)
    values = compiled(x).values
    assert values.shape == (rows, 2)
    assert values[:, 0].tolist() == (3 * x[:, 0] ** 2).tolist()
    assert values[:, 1].tolist() == (6 * x[:, 0]).tolist()


# ---------------------------------------------------------------------------
# Preparing big jobs: shared subexpressions are walked once


def test_replacer_agrees_with_xreplace_on_the_corpus():
    for case in CORPUS:
        derivs = derivatives(case)
        symbols = tuple(derivs.variables) + tuple(derivs.parameters)
        mapping = {s: sp.Symbol(f"_{i}", real=True) for i, s in enumerate(symbols)}
        replace = batch._Replacer(mapping)
        for expr in (e.value for e in derivs.entries()):
            assert replace(expr) == expr.xreplace(mapping), (case.id, expr)
            assert batch._free_symbols([expr]) == expr.free_symbols


@pytest.mark.slow
def test_replacer_on_a_deep_tree():
    x, u = sp.Symbol("x", real=True), sp.Symbol("u", real=True)
    deep, expected = x, u
    for _ in range(150):  # about as deep as SymPy itself builds sin(sin(...))
        deep, expected = sp.sin(deep + 1), sp.sin(expected + 1)
    assert batch._Replacer({x: u})(deep) == expected


def test_distinct_nodes_visits_a_shared_subtree_once():
    x, y = sp.symbols("x y", real=True)
    shared = sp.exp(x + y) + sp.exp(x - y)
    entries = [shared * y**k + x**k for k in range(1, 30)]
    nodes = list(batch._distinct_nodes(entries))
    assert len(nodes) == len(set(nodes))
    assert sum(node == shared for node in nodes) == 1


def test_the_job_time_limit_is_not_swallowed_by_the_numpy_fallback(monkeypatch):
    # The alarm of --timeout may fire while symengine compiles; that must end the
    # job (exit 1), not send it on to the NumPy backend with no limit left.
    from symgrad.errors import JobTimeoutError

    def alarm(*args, **kwargs):
        raise JobTimeoutError("time limit of 3 s exceeded (raise it with --timeout)")

    monkeypatch.setattr(batch, "_lambdify", alarm)
    monkeypatch.setattr(batch, "_staged_exps", lambda *a: None)
    x = sp.Symbol("x", real=True)
    with pytest.raises(JobTimeoutError):
        batch._compile_symengine([x], [sp.sin(x)])


# ---------------------------------------------------------------------------
# The function's own value (value=True): the first columns, compiled with the entries


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_batch_values_of_the_function_agree_with_exact_evaluation(case, backend):
    derivs = derivatives(case)
    if backend == "symengine" and not case.symengine:
        with pytest.raises(BatchError):
            CompiledEntries(derivs, backend, value=True)
        return
    with_value = CompiledEntries(derivs, backend, value=True)
    without = CompiledEntries(derivs, backend)
    m = len(case.formulas)
    assert with_value.values == m and without.values == 0
    functions = ["f"] if m == 1 else [f"f{k + 1}" for k in range(m)]
    assert with_value.names == functions + without.names
    symbols = [s.name for s in with_value.symbols]
    points = random_points(case, symbols, 12, seed=len(case.id) + 1)
    block = with_value(points).values
    assert block.shape == (12, m + len(without.names))
    # the entries are those of the job without the value
    np.testing.assert_allclose(block[:, m:], without(points).values, rtol=1e-13, atol=1e-300)
    for row, point in zip(block[:, :m].tolist(), points.tolist()):
        exact = derivs.at(dict(zip(symbols, point))).function
        assert len(exact) == m
        for got, want in zip(row, exact):
            assert math.isclose(got, float(plain(want)), rel_tol=RTOL, abs_tol=1e-300), (point, got, want)


def test_the_value_shares_the_staged_exps():
    compiled = CompiledEntries(symgrad.gradient(LSE6), "symengine", value=True)
    assert compiled.numpy_exps >= 6
    x, y, z = 0.3, -0.7, 1.1
    (row,) = compiled(np.array([[x, y, z]])).values.tolist()
    want = math.log(math.exp(x) + math.exp(2 * y) + math.exp(-x - y) + math.exp(x - y)
                    + math.exp(z) + math.exp(y + 2 * z))
    assert math.isclose(row[0], want, rel_tol=1e-14)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_constant_formula_has_a_constant_value_column(backend):
    x = sp.Symbol("x", real=True)
    compiled = CompiledEntries(symgrad.jacobian("x*y", "pi", sp.log(0) * x), backend, value=True)
    assert compiled.names[:3] == ["f1", "f2", "f3"]
    values = compiled(np.array([[2.0, 3.0], [1.0, -1.0]])).values
    assert values[:, 0].tolist() == [6.0, -1.0]
    assert values[:, 1].tolist() == [math.pi, math.pi]
    assert not np.isfinite(values[:, 2]).any()


def test_the_value_is_named_as_the_function():
    derivs = symgrad.gradient("x*y", wrt="y,x")
    assert CompiledEntries(derivs, "numpy", name="V", value=True).names == ["V", "dV/dy", "dV/dx"]


def test_run_bulk_reports_bad_values_apart_from_bad_entries():
    # log(x) + y by y: the value is -inf at x = 0, the entry 1 everywhere
    compiled = CompiledEntries(symgrad.gradient("log(x) + y", wrt="y"), "numpy", value=True)
    assert [s.name for s in compiled.symbols] == ["y", "x"]
    writer = Recorder()
    report = run_bulk(compiled, ListReader([[[1, 1], [2, 0]], [[3, 0]]]), writer)
    assert writer.values == [[1.0, 1.0], [-math.inf, 1.0], [-math.inf, 1.0]]
    assert report.bad == [] and report.messages() == []
    assert report.bad_values == [BadEntry("f", 2, 20, {"y": 2.0, "x": 0.0})]
    assert report.messages(values=True) == [
        "f is not finite (nan or inf) at 2 of 3 rows (first: line 20, y=2.0, x=0.0)"]


def test_json_layout_with_the_value():
    scalar = json_layout(symgrad.hessian("x*y"), 1)
    assert scalar([5, 1, 2, 0, 3, 0]) == {"value": 5, "gradient": [1, 2], "hessian": [[0, 3], [3, 0]]}
    assert list(scalar([5, 1, 2, 0, 3, 0])) == ["value", "gradient", "hessian"]
    vector = json_layout(symgrad.jacobian("x*y", "x + y"), 2)
    assert vector([6, 5, 3, 2, 1, 1]) == {"value": [6, 5], "jacobian": [[3, 2], [1, 1]]}
    assert json_layout(symgrad.gradient("x*y"))([1, 2]) == {"gradient": [1, 2]}


# ---------------------------------------------------------------------------
# The auto backend's cost model, on a dense and a sparse Hessian

DENSE_N = 30
DENSE = "log(" + " + ".join(f"exp(x{i})" for i in range(1, DENSE_N + 1)) + ")"
SPARSE = " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, DENSE_N))


def mp_hessian_entries(formula: str, point: np.ndarray) -> list[mpmath.mpf]:
    """The upper triangle of the Hessian by mpmath's own differentiation (40 digits)."""
    names = [f"x{i}" for i in range(1, DENSE_N + 1)]
    f = sp.lambdify([sp.Symbol(n) for n in names], sp.sympify(formula), modules="mpmath")
    values = [mpmath.mpf(float(v)) for v in point]
    out = []
    with mpmath.workdps(40):
        for i in range(DENSE_N):
            for j in range(i, DENSE_N):
                order = [0] * DENSE_N
                order[i] += 1
                order[j] += 1
                out.append(mpmath.diff(lambda *v: f(*v), values, tuple(order)))
    return out


DENSE40 = "log(" + " + ".join(f"exp(x{i})" for i in range(1, 41)) + ")"
SPARSE40 = " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, 40))


@pytest.mark.parametrize(("formula", "rows", "chosen"), [
    (DENSE40, 1_000, "numpy"),        # the tree repeats the sum n² times: symengine's compile loses
    (DENSE40, 10**8, "symengine"),    # ... unless rows are so many that its faster rows win
    (SPARSE40, 10_000, "symengine"),  # a small tree: machine code is quicker to make and to run
    ("exp(x)*y", 10_000, "symengine"),  # small jobs keep symengine
])
def test_auto_picks_the_backend_the_cost_model_expects_clearly_first(formula, rows, chosen):
    derivs = symgrad.hessian(formula)
    compiled = CompiledEntries(derivs, "auto", rows=rows)
    assert compiled.estimate
    assert compiled.backend == ("numpy" if batch.prefers_numpy(compiled.estimate) else "symengine")
    assert compiled.backend == chosen, compiled.estimate


def test_numpy_is_preferred_only_on_a_clear_win():
    assert batch.prefers_numpy({"numpy": 1.0, "symengine": 10.0})
    assert not batch.prefers_numpy({"numpy": 8.0, "symengine": 9.6})  # only 1.2 times as fast
    assert not batch.prefers_numpy({"numpy": 0.1, "symengine": 0.3})  # under a quarter second sooner


def test_the_cost_model_weighs_a_dense_tree_against_symengine_and_counts_only_what_it_needs():
    dense = [e.value for e in symgrad.hessian(DENSE40).entries() if e.value.free_symbols]
    sparse = [e.value for e in symgrad.hessian(SPARSE).entries() if e.value.free_symbols]
    # the dense tree holds the n-term sum in each of its n(n+1)/2 entries
    tree = sum(batch._node_count(e, 10**9) for e in dense)
    distinct = sum(1 for _ in batch._distinct_nodes(dense))
    assert tree > 10 * distinct
    # with no rows only compiling counts: symengine's cost follows the whole tree
    se = batch.SYMENGINE_COST
    d = batch.estimated_seconds(dense, len(dense), 0)
    assert batch.prefers_numpy(d)
    assert d["symengine"] <= se["start"] + se["tree_node"] * tree + 1e-9  # counted at most once
    s = batch.estimated_seconds(sparse, len(sparse), 0)
    assert s["symengine"] == pytest.approx(se["start"] + se["tree_node"]
                                           * sum(batch._node_count(e, 10**9) for e in sparse))
    assert not batch.prefers_numpy(s)


@pytest.mark.slow
@pytest.mark.parametrize("formula", [DENSE, SPARSE], ids=["dense", "sparse"])
def test_both_backends_and_auto_agree_with_mpmath_on_both_shapes(formula):
    derivs = symgrad.hessian(formula)
    point = np.random.default_rng(16).uniform(-1, 1, size=(3, DENSE_N))
    results = {b: CompiledEntries(derivs, b)(point).values for b in ("numpy", "symengine")}
    results["auto"] = CompiledEntries(derivs, "auto", rows=10_000)(point).values
    hessian_columns = [k for k, e in enumerate(derivs.entries()) if len(e.wrt) == 2]
    want = np.array([float(v) for v in mp_hessian_entries(formula, point[0])])
    for backend, values in results.items():
        got = values[0, hessian_columns]
        assert np.allclose(got, want, rtol=1e-9, atol=1e-9 * np.abs(want).max()), backend
        np.testing.assert_allclose(values, results["numpy"], rtol=1e-12, atol=1e-14)
