"""--critical: solving grad f = 0 exactly or with Newton, and classifying the points."""

from __future__ import annotations

import signal

import mpmath
import pytest

import symgrad
from symgrad.analysis import critical
from symgrad.analysis._numeric import to_mp
from symgrad.analysis.critical import classify, critical_points
from symgrad.errors import AnalysisError, JobTimeoutError
from symgrad.limits import time_limit

HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"


def kinds(report):
    return sorted((p.kind, tuple(round(float(v), 6) for _, v in p.at)) for p in report.points)


@pytest.mark.slow
def test_himmelblau_has_four_minima_one_maximum_four_saddles():
    report = critical_points(symgrad.gradient(HIMMELBLAU))
    assert report.counts == {"local minimum": 4, "local maximum": 1, "saddle": 4}
    f = lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2  # noqa: E731
    fx = lambda x, y: 4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7)  # noqa: E731
    fy = lambda x, y: 2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7)  # noqa: E731
    minima = []
    with mpmath.workdps(50):
        for p in report.points:
            # a coordinate may be a float (Newton) or exact: when solve finishes in its
            # budget it writes some of these real points with complex cube roots
            x, y = (mpmath.re(to_mp(v)) for _, v in p.at)
            assert abs(fx(x, y)) < 1e-30 and abs(fy(x, y)) < 1e-30  # really critical
            # hand-derived Hessian: the sign of det and trace decides the kind
            fxx, fxy, fyy = 12 * x**2 + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y**2 - 26
            det, trace = fxx * fyy - fxy**2, fxx + fyy
            expected = "saddle" if det < 0 else "local minimum" if trace > 0 else "local maximum"
            assert p.kind == expected
            if p.kind == "local minimum":
                minima.append((x, y))
                assert abs(f(x, y)) < 1e-30  # the four minima are zeros of f
        # the one minimum known in closed form
        assert any(abs(x - 3) < 1e-30 and abs(y - 2) < 1e-30 for x, y in minima)
    # (3, 2): solve's, or Newton's proven exactly when solve runs out of time
    (rational,) = [p for p in report.points if p.exact and all(v.is_Rational for _, v in p.at)]
    assert rational.at == (("x", 3), ("y", 2)) and rational.method in ("exact", "newton")
    (maximum,) = [p for p in report.points if p.kind == "local maximum"]
    x, y = (float(mpmath.re(to_mp(v))) for _, v in maximum.at)
    assert (x, y) == pytest.approx((-0.270845, -0.923039), abs=1e-6)


def test_exact_solutions_are_classified_by_hand():
    # f = x^3 - 3x + y^2: grad (3x^2 - 3, 2y) = 0 at (±1, 0); H = diag(6x, 2)
    report = critical_points(symgrad.gradient("x**3 - 3*x + y**2"))
    assert report.exact_outcome == "complete" and not report.newton_used
    assert kinds(report) == [("local minimum", (1.0, 0.0)), ("saddle", (-1.0, 0.0))]
    minimum = next(p for p in report.points if p.kind == "local minimum")
    assert minimum.method == "exact"
    assert [float(e) for e in minimum.eigenvalues] == [2.0, 6.0]
    assert float(minimum.value) == -2.0


@pytest.mark.parametrize(
    ("formula", "kind"),
    [
        ("x**2 + y**2", "local minimum"),
        ("-(x**2) - 2*y**2", "local maximum"),
        ("x**2 - y**2", "saddle"),
        ("x**4 + y**4", "degenerate"),  # H = 0 at the origin
        ("x**4 - y**2", "degenerate"),  # eigenvalues 0, -2: no sign change
        ("x**2 - y**2 + z**4", "saddle"),  # a zero eigenvalue, but both signs
    ],
)
def test_classification_at_the_origin(formula, kind):
    (point,) = critical_points(symgrad.gradient(formula)).points
    assert all(v == 0 for _, v in point.at)
    assert point.kind == kind


def test_classify():
    assert classify([1, 2]) == "local minimum"
    assert classify([-2, -1]) == "local maximum"
    assert classify([-1, 1]) == "saddle"
    assert classify([0, 1]) == "degenerate"
    assert classify([mpmath.mpf("1e-40"), 1]) == "degenerate"


def test_exact_solver_timeout_falls_back_to_newton():
    # a budget too short for any solve: Newton finds the same two points
    report = critical_points(symgrad.gradient("x**3 - 3*x + y**2"), exact_budget=1e-6)
    assert report.exact_outcome == "timed out" and report.newton_used
    assert kinds(report) == [("local minimum", (1.0, 0.0)), ("saddle", (-1.0, 0.0))]
    assert {p.method for p in report.points} == {"newton"}


@pytest.mark.slow
def test_transcendental_gradient_also_runs_newton():
    # f = sin x + x^2/10: f' = cos x + x/5 has exactly three zeros (|x| <= 5 since |cos| <= 1)
    report = critical_points(symgrad.gradient("sin(x) + x**2/10"))
    assert report.newton_used
    roots = sorted(float(p.at[0][1]) for p in report.points)
    grid = [-5 + k * 1e-3 for k in range(10_001)]
    g = [mpmath.cos(t) + t / 5 for t in grid]
    sign_changes = sum(1 for a, b in zip(g, g[1:]) if a * b < 0)
    assert len(roots) == sign_changes == 3
    for r in roots:
        assert abs(mpmath.cos(r) + r / 5) < 1e-14
    # f'' = -sin x + 1/5: minima where positive
    for p in report.points:
        r = float(p.at[0][1])
        assert p.kind == ("local minimum" if -mpmath.sin(r) + 0.2 > 0 else "local maximum")


def test_newton_points_outside_the_box_are_left_out():
    report = critical_points(symgrad.gradient("sin(x)"), box=(0, 4))
    # only pi/2 and 3pi/2 lie in [0, 4]
    values = sorted(float(p.at[0][1]) for p in report.points)
    assert values == pytest.approx([mpmath.pi / 2, 3 * mpmath.pi / 2], abs=1e-12)


def test_flat_tails_are_not_critical_points():
    # x exp(-x^2): critical at ±1/sqrt(2) only, although the gradient vanishes far out
    report = critical_points(symgrad.gradient("x*exp(-x**2)"))
    values = sorted(float(p.at[0][1]) for p in report.points)
    assert values == pytest.approx([-(0.5**0.5), 0.5**0.5])


def test_complex_solutions_only_with_complex_variables():
    assert critical_points(symgrad.gradient("x**3/3 + x")).points == ()
    report = critical_points(symgrad.gradient("x**3/3 + x", real=False))
    assert sorted(str(v) for p in report.points for _, v in p.at) == ["-I", "I"]
    assert {p.kind for p in report.points} == {critical.COMPLEX}


def test_a_curve_of_critical_points():
    (point,) = critical_points(symgrad.gradient("(x - y)**2")).points
    assert point.kind == critical.NON_ISOLATED
    assert str(dict(point.at)["x"]) == "y"


def test_vectors_and_parameters_are_refused():
    with pytest.raises(AnalysisError, match="scalar"):
        critical_points(symgrad.jacobian("x", "y"))
    with pytest.raises(AnalysisError, match="a is a parameter"):
        critical_points(symgrad.gradient("a*x**2", wrt="x"))


def busy(seconds_of_work=10**9):
    n = 0
    while n < seconds_of_work:
        n += 1


def test_nested_time_limit_keeps_the_outer_limit():
    class Inner(BaseException):
        pass

    with pytest.raises(JobTimeoutError):
        with time_limit(0.3):
            try:
                with time_limit(0.05, error=Inner):
                    busy()
            except Inner:
                pass
            busy()  # the outer limit must still fire here
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_inner_time_limit_longer_than_outer_is_outer():
    class Inner(BaseException):
        pass

    with pytest.raises(JobTimeoutError):
        with time_limit(0.1):
            with time_limit(100, error=Inner):
                busy()
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_exact_solutions_are_listed_once():
    # grad = (x/sqrt(x^2+1) + y^2, 2xy): only (0, 0), which SymPy's solve lists twice;
    # H = [[1, 0], [0, 0]] there: degenerate
    (point,) = critical_points(symgrad.gradient("sqrt(x**2+1) + y**2*x")).points
    assert point.at == (("x", 0), ("y", 0)) and point.kind == "degenerate"


@pytest.mark.slow
def test_no_critical_points_at_all():
    # grad = (e^y, x e^y + 2y): e^y never vanishes
    report = critical_points(symgrad.gradient("x*exp(y) + y**2"))
    assert report.points == () and report.newton_used


@pytest.mark.parametrize(
    ("formula", "kind"),
    [
        ("x**3 + y**2", "degenerate"),  # H = diag(6x, 2) = diag(0, 2): not an extremum
        ("x**6 + y**2", "degenerate"),  # a minimum, but the second-derivative test cannot tell
        ("x**10 - y**4", "degenerate"),
        ("x**2 - y**2 + z**4", "saddle"),  # a zero eigenvalue, but both signs
    ],
)
def test_newton_finds_degenerate_points_and_classifies_them(formula, kind):
    # Newton converges only linearly where the Hessian is singular; the search must
    # still reach the point exactly (Aitken steps) and not mistake it for an extremum
    report = critical_points(symgrad.gradient(formula), exact_budget=1e-6)
    assert report.exact_outcome == "timed out"
    (point,) = report.points
    assert point.method == "newton"
    assert all(v == 0 for _, v in point.at) and point.exact  # proven: grad f(0) = 0 exactly
    assert point.kind == kind


def test_spurious_exact_solutions_are_dropped(monkeypatch):
    import sympy as sp

    real_solve = sp.solve

    def solve_with_a_bogus_root(*args, **kwargs):
        x, y = sp.symbols("x y", real=True)
        return real_solve(*args, **kwargs) + [{x: 5, y: 0}]  # grad f(5, 0) = (72, 0) != 0

    monkeypatch.setattr(sp, "solve", solve_with_a_bogus_root)
    report = critical_points(symgrad.gradient("x**3 - 3*x + y**2"))
    assert kinds(report) == [("local minimum", (1.0, 0.0)), ("saddle", (-1.0, 0.0))]


def test_the_job_time_limit_is_not_swallowed_by_the_newton_fallback(monkeypatch):
    # The alarm of --timeout can fire while NumPy functions are being made for
    # Newton's method; that must end the job, not send it down the slower path
    # with no limit left (--critical --timeout 0.5 ran on for seconds, exit 0).
    import sympy as sp

    from symgrad.analysis import _newton

    def alarm(*args, **kwargs):
        raise JobTimeoutError("time limit of 0.5 s exceeded (raise it with --timeout)")

    monkeypatch.setattr(_newton, "_numpy_functions", alarm)
    x, y = sp.symbols("x y", real=True)
    with pytest.raises(JobTimeoutError):
        _newton.float_newton([2 * x, 2 * y], [[2, 0], [0, 2]], [x, y], [[1.0, 1.0]])
