"""The analysis options on the command line: --check, --critical, --taylor,
--divergence, --curl, --laplacian, --along, --diff. Expected values are
derived by hand in the comments."""

from __future__ import annotations

import importlib.util
import json
import shlex
from pathlib import Path

import pytest
import sympy as sp

from symgrad.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"
BASE_KEYS = {"expressions", "variables", "gradient", "points"}


def doc(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- --check --------------------------------------------------------------------


def test_check_at_a_point_text(cli):
    # f = x^3 y at (1, 2): grad (6, 1), H = [[12, 3], [3, 0]]
    result = cli("x**3*y", "-H", "--check", "--at", "x=1,y=2")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "check = passed" in lines
    assert "check.tolerance = 1e-08" in lines
    checks = {line.split(" = ")[0]: line.split(" = ", 1)[1] for line in lines if line.startswith("check.d")}
    assert list(checks) == [f"check.{e}(x=1,y=2)" for e in ("df/dx", "df/dy", "d2f/dx^2", "d2f/dxdy", "d2f/dy^2")]
    assert checks["check.df/dx(x=1,y=2)"].startswith("6.0 ~ 6.0 (relative error ")
    assert checks["check.d2f/dxdy(x=1,y=2)"].startswith("3.0 ~ 3.0 ")
    assert all(v.endswith(" ok") for v in checks.values())


def test_check_json_random_points_are_seeded(cli):
    first = doc(cli("sin(x)*y", "--check", "--box", "0:1", "--seed", "3", "--json"))
    again = doc(cli("sin(x)*y", "--check", "--box", "0:1", "--seed", "3", "--json"))
    other = doc(cli("sin(x)*y", "--check", "--box", "0:1", "--seed", "4", "--json"))
    assert first == again and first["check"] != other["check"]
    check = first["check"]
    assert check["passed"] is True and check["tolerance"] == 1e-8
    assert len(check["points"]) == 3
    for point in check["points"]:
        assert point["random"] is True
        assert all(0 <= v <= 1 for v in point["at"].values())
        x, y = point["at"]["x"], point["at"]["y"]
        by_entry = {e["entry"]: e for e in point["entries"]}
        # df/dx = y cos x, df/dy = sin x
        assert by_entry["df/dx"]["symbolic"] == pytest.approx(y * float(sp.cos(x)), rel=1e-12)
        assert by_entry["df/dy"]["numeric"] == pytest.approx(float(sp.sin(x)), rel=1e-12)
        assert all(e["relative_error"] < 1e-20 and e["ok"] for e in point["entries"])


def test_check_jacobian_and_vector_hessians(cli):
    result = doc(cli("x*y", "x+y**3", "-H", "--check", "--at", "x=1,y=2", "--json"))
    entries = [e["entry"] for e in result["check"]["points"][0]["entries"]]
    assert entries[:4] == ["df1/dx", "df1/dy", "df2/dx", "df2/dy"]
    assert "d2f2/dy^2" in entries
    # d2f2/dy^2 = 6y = 12
    value = {e["entry"]: e for e in result["check"]["points"][0]["entries"]}["d2f2/dy^2"]
    assert value["symbolic"] == 12.0


def test_a_failed_check_exits_1_and_names_the_entry(cli, monkeypatch):
    import symgrad.jobs
    from symgrad.calculus import Derivatives

    real = symgrad.jobs.differentiate

    def wrong(parsed, **kwargs):  # a "bug": df/dy off by 1e-4 relative
        d = real(parsed, **kwargs)
        return Derivatives(d.parsed, ((d.gradient[0], d.gradient[1] * sp.Float("1.0001")),))

    monkeypatch.setattr(symgrad.jobs, "differentiate", wrong)
    result = cli("x**2*y", "--check", "--at", "x=1,y=2")
    assert result.exit_code == ExitCode.MATH
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: check df/dy = 1.0001: numeric estimate 1.0, relative error 0.0001")
    assert "exceeds --tol 1e-08 at x=1, y=2" in line
    assert "check = failed (1 of 2 entries)" in result.stdout
    assert "FAILED" in result.stdout


def corpus() -> list[list[str]]:
    """Every formula of examples/formulas.txt and every golden case, as CLI arguments."""
    cases = []
    for line in (ROOT / "examples" / "formulas.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cases.append([part.strip() for part in line.split(";")])
    spec = importlib.util.spec_from_file_location("golden_cases", ROOT / "tests" / "output" / "test_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases += [list(args) for args in module.CASES.values()]
    return cases


@pytest.mark.parametrize("args", corpus(), ids=lambda a: " ".join(a))
def test_check_passes_on_the_whole_corpus(cli, args):
    """--check -H on every formula the tests and examples use: at their points, and at random ones."""
    args = [a for a in args if a not in ("-H", "--hessian")]
    result = doc(cli(*args, "-H", "--check", "--json"))
    check = result["check"]
    assert check["passed"], check
    count = len(result["points"]) or 3
    assert len(check["points"]) == count
    for point in check["points"]:
        assert all(e["relative_error"] <= 1e-8 for e in point["entries"])


# -- --critical -------------------------------------------------------------------


@pytest.mark.slow
def test_himmelblau_json(cli):
    result = doc(cli(HIMMELBLAU, "--critical", "--json"))
    points = result["critical_points"]
    kinds = sorted(p["kind"] for p in points)
    assert kinds == ["local maximum"] + ["local minimum"] * 4 + ["saddle"] * 4
    assert {p["method"] for p in points} == {"newton"}
    assert result["critical_search"]["exact"] in ("timed out", "failed")
    assert result["critical_search"]["newton"] is True
    (minimum,) = [p for p in points if p["at"] == pytest.approx({"x": 3.0, "y": 2.0})]
    assert minimum["kind"] == "local minimum" and minimum["value"] == pytest.approx(0, abs=1e-20)
    # Newton's (3, 2) is proven exact (grad f vanishes at the fractions); the others are not rational
    assert minimum["exact"] == {"x": "3", "y": "2"} and minimum["at"] == {"x": 3, "y": 2}
    assert sum(p["exact"] is None for p in points) == 8


def test_critical_exact_text(cli):
    # f = x^3 - 3x + y^2: (1, 0) minimum (f = -2), (-1, 0) saddle (f = 2)
    result = cli("x^3-3x+y^2", "--critical")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "critical.summary = 1 local minimum, 1 saddle (exact: SymPy solved the system)" in lines
    assert "critical(x=1,y=0) = local minimum (exact; f=-2.0; eigenvalues 2, 6)" in lines
    assert "critical(x=-1,y=0) = saddle (exact; f=2.0; eigenvalues -6, 2)" in lines


def test_critical_keeps_the_job_time_limit(cli):
    # the exact solver's own (nested) budget ends first; the job's limit must still hold
    # for the long numeric search (hundreds of critical points on lines sin x = sin z = 0)
    result = cli("sin(x)*cos(y)*sin(z)", "--critical", "--timeout", "0.5")
    assert result.exit_code == ExitCode.MATH
    assert result.stderr.startswith("Error: time limit of 0.5 s exceeded")


def test_critical_pretty_table(cli):
    result = cli("x^2-y^2", "--critical", "-f", "pretty", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert "critical points (∇f = 0)" in result.stdout
    assert "saddle" in result.stdout and "exact" in result.stdout


# -- --taylor -----------------------------------------------------------------------


def test_taylor_in_every_form(cli):
    # f = e^x y at (0, 1): 1 + x + (y - 1) + x^2/2 + x (y - 1) = x^2/2 + x y + y
    args = ("exp(x)*y", "--taylor", "2", "--at", "x=0,y=1")
    text = cli(*args).stdout.splitlines()
    assert "taylor2(x=0,y=1) = 1 + x + (y - 1) + x**2/2 + x*(y - 1)" in text
    assert "taylor2.expanded(x=0,y=1) = x**2/2 + x*y + y" in text
    data = doc(cli(*args, "--json"))
    (t,) = data["taylor"]
    assert t["order"] == 2 and t["at"] == {"x": 0, "y": 1}
    x, y = sp.symbols("x y")
    assert sp.parse_expr(t["polynomial"]) - (x**2 / 2 + x * y + y) == 0
    terms = {tuple(term["powers"]): term["coefficient"] for term in t["terms"]}
    assert terms == {(0, 0): 1, (1, 0): 1, (0, 1): 1, (2, 0): 0.5, (1, 1): 1}
    latex = cli(*args, "--latex").stdout
    assert r"T_{2}(x, y) &= f(a) + \nabla f(a)^{T} (x - a) + \frac{1}{2} (x - a)^{T} \nabla^{2} f(a) (x - a)" in latex
    assert r"\begin{bmatrix} 1 & 1 \\ 1 & 0 \end{bmatrix}" in latex  # the Hessian at a
    pretty = cli(*args, "-f", "pretty", env={"COLUMNS": "100"}).stdout
    assert "T₂ = f(a) + ∇f(a)·(x−a) + ½(x−a)ᵀ∇²f(a)(x−a)" in pretty
    assert "∇²f(a)" in pretty


def test_taylor_one_per_point(cli):
    # x^2 at 1: 1 + 2(x-1); at 3: 9 + 6(x-3)
    data = doc(cli("x^2", "--taylor", "1", "--at", "x=1", "--at", "x=3", "--json"))
    assert [t["polynomial"] for t in data["taylor"]] == ["2*x - 1", "6*x - 9"]


# -- vector calculus ---------------------------------------------------------------


def test_divergence_and_curl(cli):
    # F = (x y, y z, z x): div = y + z + x = 6 at (1, 2, 3);
    # curl = (0 - y, 0 - z, 0 - x) = (-2, -3, -1)
    args = ("x*y", "y*z", "z*x", "--divergence", "--curl", "--at", "x=1,y=2,z=3")
    lines = cli(*args).stdout.splitlines()
    for expected in ("divergence = x + y + z", "divergence(x=1,y=2,z=3) = 6",
                     "curl_x = -y", "curl_y = -z", "curl_z = -x", "curl_z(x=1,y=2,z=3) = -1"):
        assert expected in lines
    data = doc(cli(*args, "--json"))
    assert data["divergence"] == "x + y + z" and data["curl"] == ["-y", "-z", "-x"]
    assert data["points"][0]["divergence"] == 6 and data["points"][0]["curl"] == [-2, -3, -1]


def test_laplacian_directional_and_mixed_partial(cli):
    # f = x^2 y: Δf = 2y = 4; along (1,1)/√2: (2xy + x^2)/√2 = 5/√2; ∂³f/∂x∂y² = 0; ∂²f/∂x∂y = 2x
    data = doc(cli("x^2*y", "--laplacian", "--along", "1,1", "--diff", "x,y", "--at", "x=1,y=2", "--json"))
    assert data["laplacian"] == "2*y"
    assert data["directional"] == {
        "direction": ["sqrt(2)/2", "sqrt(2)/2"],
        "normalised": True,
        "derivative": "sqrt(2)*x**2/2 + sqrt(2)*x*y",
    }
    assert data["derivative"] == {"wrt": ["x", "y"], "name": "d2f/dxdy", "expression": "2*x"}
    point = data["points"][0]
    assert point["laplacian"] == 4 and point["derivative"] == 2
    assert point["directional"] == pytest.approx(5 / 2**0.5)
    text = cli("x^2*y", "--along", "x=3,y=4", "--at", "x=1,y=2").stdout.splitlines()
    assert "direction = [3/5, 4/5]  (normalised)" in text
    assert "directional(x=1,y=2) = 16/5" in text  # grad (4, 1) . (3/5, 4/5) = 16/5


def test_vector_calculus_latex_and_pretty(cli):
    latex = cli("-y", "x", "0", "--wrt", "x,y,z", "--curl", "--divergence", "--latex").stdout
    assert r"\nabla \times F &= \begin{bmatrix} 0 \\ 0 \\ 2 \end{bmatrix}" in latex
    assert r"\nabla \cdot F &= 0" in latex
    pretty = cli("x^2*y", "--along", "1,0", "-f", "pretty", env={"COLUMNS": "100"}).stdout
    assert "(normalised)" in pretty and "D_u f" in pretty


# -- the JSON schema is only extended, and only on request ------------------------------


def test_no_analysis_keys_without_the_options(cli):
    assert set(doc(cli("x*y", "--at", "x=1,y=2", "--json"))) == BASE_KEYS


def test_stdin_jobs_each_get_the_analysis(cli):
    result = cli("--check", "--laplacian", "--json", "-", input="x**2*y\nsin(x)\n")
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["laplacian"] for d in docs] == ["2*y", "-sin(x)"]
    assert all(d["check"]["passed"] for d in docs)


# -- errors: one line, exit 2 for usage ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("x y --curl", "--curl needs a field of 3 formulas in 3 variables; got 2 formulas and 2 variables"),
        ("x*y*z y --divergence", "--divergence needs as many formulas (field components) as variables"),
        ("x y --critical", "--critical needs one formula (a scalar function), not a vector"),
        ("a*x^2 --wrt x --critical", "--critical needs every symbol to be a variable; a is a parameter"),
        ("x --taylor 2", "--taylor works with --at"),
        ("x --box -2:2", "--box works with --check, --critical or --plot"),
        ("x --seed 3", "--seed works with --check or --critical"),
        ("x --tol 1e-3", "--tol works with --check"),
        ("x --check --box 2:1", "--box: LO must be below HI, got '2:1'"),
        ("x --check --box 1", "--box: expected LO:HI such as -2:2, got '1'"),
        ("x --check --box a:1", "value of --box LO is not a finite real number: 'a'"),
        ("x*y --along 0,0", "--along: the direction is the zero vector"),
        ("x*y --along 1", "--along: 1 component given, but there are 2 variables (x, y)"),
        ("x*y --diff x,q", "--diff: 'q' is not a variable (variables: x, y)"),
        ("x*y --diff x,,y", "--diff: empty name in"),
    ],
)
def test_usage_errors(cli, args, message):
    result = cli(*shlex.split(args))
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {message}")


def test_taylor_order_is_bounded(cli):
    result = cli("x", "--taylor", "7", "--at", "x=1")
    assert result.exit_code == ExitCode.USAGE
    assert "7 is not in the range 0<=x<=6" in result.stderr


def test_undefined_values_are_reported_with_exit_1(cli):
    # Δ(1/x) = 2/x^3: undefined at 0
    result = cli("1/x", "--laplacian", "--at", "x=0")
    assert result.exit_code == ExitCode.MATH
    assert "Error: Δf = zoo: division by zero (complex infinity) at x=0" in result.stderr.splitlines()


def test_help_documents_every_analysis_option(cli):
    out = cli("--help").stdout
    for option in ("--check", "--tol", "--box", "--seed", "--critical", "--taylor", "--divergence",
                   "--curl", "--laplacian", "--along", "--diff"):
        assert option in out
    assert 'symgrad "(x^2+y-11)^2+(x+y^2-7)^2" --critical' in out


def test_check_far_from_the_origin(cli):
    # relative steps: exp(x) near x = 750 is beyond the double range, and still checked
    result = cli("exp(x)", "--check", "--box", "700:800")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("check.df/dx")]
    assert len(lines) == 3
    for line in lines:
        symbolic, numeric = line.split(" = ", 1)[1].split(" (")[0].split(" ~ ")
        assert symbolic == numeric and "e+3" in symbolic
        assert line.endswith(" ok")


def test_check_latex_and_pretty(cli, monkeypatch):
    latex = cli("x^2*y", "--check", "--at", "x=1,y=2", "--latex").stdout
    assert r"&\text{check: passed (tolerance 1e-08)}" in latex
    # each entry is named in LaTeX (d2f/dx^2 inside \text{} did not compile)
    assert r"\frac{\partial f}{\partial x}\big|_{x=1,\ y=2} &= 4.0 \approx 4.0" in latex
    pretty = cli("x^2*y", "--check", "--at", "x=1,y=2", "-f", "pretty", env={"COLUMNS": "100"}).stdout
    assert "check at x=1, y=2" in pretty
    assert "check passed: all 2 entries within --tol 1e-08" in pretty


def test_critical_real_roots_written_with_i(cli):
    # f' = x^3 - 3x + 1 has three real roots 2cos(2πk/9), k = 1, 2, 4 (casus irreducibilis:
    # SymPy writes them with I); f'' = 3x^2 - 3 decides: |x| > 1 minimum, else maximum
    import math

    data = doc(cli("x^4/4 - 3x^2/2 + x", "--critical", "--json"))
    found = sorted((p["at"]["x"], p["kind"]) for p in data["critical_points"])
    roots = sorted(2 * math.cos(2 * math.pi * k / 9) for k in (1, 2, 4))
    assert [x for x, _ in found] == pytest.approx(roots, abs=1e-14)
    assert [kind for _, kind in found] == ["local minimum", "local maximum", "local minimum"]
    assert all(isinstance(p["at"]["x"], float) and "I" in p["exact"]["x"] for p in data["critical_points"])


def test_mixed_partial_labels_in_every_form(cli):
    # ∂³(x² y³)/∂x∂y² = 2x · 6y = 12xy = 24 at (1, 2)
    args = ("x^2*y^3", "--diff", "x,y,y", "--at", "x=1,y=2")
    assert "d3f/dxdy^2(x=1,y=2) = 24" in cli(*args).stdout.splitlines()
    latex = cli(*args, "--latex").stdout
    assert r"\frac{\partial^{3} f}{\partial x \partial y^{2}} &= 12 x y" in latex
    pretty = cli(*args, "-f", "pretty", env={"COLUMNS": "100"}).stdout
    assert "∂³f/∂x∂y² = 12⋅x⋅y" in pretty and "∂³f/∂x∂y² at x=1, y=2 = 24" in pretty


def test_vector_function_laplacian_along_and_diff_in_every_form(cli):
    # F = (x²y, xy³). By hand: ΔF = (2y, 6xy); J = [[2xy, x²], [y³, 3xy²]], u = (3, 4)/5,
    # so J·u = ((6xy + 4x²)/5, (3y³ + 12xy²)/5); ∂³F/∂x∂y² = (0, 6y). At (1, 2):
    # ΔF = (4, 12), J·u = (16/5, 72/5), ∂³F = (0, 12).
    args = ("x^2*y", "x*y^3", "--laplacian", "--along", "3,4", "--diff", "x,y,y", "--at", "x=1,y=2")
    text = cli(*args).stdout.splitlines()
    for line in ("laplacian_f1(x=1,y=2) = 4", "laplacian_f2(x=1,y=2) = 12",
                 "directional_f1(x=1,y=2) = 16/5", "directional_f2(x=1,y=2) = 72/5",
                 "d3f1/dxdy^2(x=1,y=2) = 0", "d3f2/dxdy^2(x=1,y=2) = 12",
                 "laplacian_f2 = 6*x*y", "d3f2/dxdy^2 = 6*y"):
        assert line in text, line
    data = doc(cli(*args, "--json"))
    assert data["laplacian"] == ["2*y", "6*x*y"]
    assert data["directional"]["derivative"] == ["4*x**2/5 + 6*x*y/5", "12*x*y**2/5 + 3*y**3/5"]
    assert data["derivative"] == {"wrt": ["x", "y", "y"], "name": "d3F/dxdy^2", "expression": ["0", "6*y"]}
    (point,) = data["points"]
    assert point["laplacian"] == [4, 12]
    assert point["directional"] == [3.2, 14.4]
    assert point["derivative"] == [0, 12]
    latex = cli(*args, "--latex").stdout
    assert r"\Delta F &= \begin{bmatrix} 2 y \\ 6 x y \end{bmatrix}" in latex
    assert r"D_{\hat{u}} F &= J_{F} \, \hat{u}" in latex  # J_{F}, as the Jacobian is named
    assert r"\frac{\partial^{3} F}{\partial x \partial y^{2}}" in latex
    pretty = cli(*args, "-f", "pretty", env={"COLUMNS": "100"}).stdout
    assert "ΔF =" in pretty and "D_u F = J·u" in pretty and "∂³F/∂x∂y² =" in pretty


def test_readme_analysis_snippet_is_true():
    """The README's "From Python" block: each commented line evaluates to its comment."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"^```python\n(.*?)^```", readme, re.M | re.S) if "symgrad.analysis" in b]
    namespace: dict = {}
    checked = 0
    for line in block.splitlines():
        statement, _, comment = line.partition("  #")
        if not statement.strip():
            continue
        if comment:
            assert str(eval(statement.strip(), namespace)) == comment.strip(), line  # the README's own code
            checked += 1
        else:
            exec(statement, namespace)
    assert checked == 4


@pytest.mark.parametrize(
    ("args", "summary"),
    [
        # x^4 + y^4: H = 0 at the origin
        (["x^4+y^4"], "1 degenerate point (exact: SymPy solved the system)"),
        # f' = x^2 + 1 = 0 at ±i: only with --complex
        (["x^3/3+x", "--complex"], "2 complex points (exact: SymPy solved the system)"),
        (["x^3/3+x"], "no critical points found (exact: SymPy solved the system)"),
        # the line x = y
        (["(x-y)^2"], "1 non-isolated solution (a curve or surface) (exact: SymPy solved the system)"),
    ],
)
def test_critical_summaries(cli, args, summary):
    lines = cli(*args, "--critical").stdout.splitlines()
    assert f"critical.summary = {summary}" in lines


@pytest.mark.parametrize(
    "args",
    [
        ["x*y", "--along", "x=__import__('os').system('touch {marker}')"],
        ["x", "--check", "--box", "__import__('os').system('touch {marker}'):1"],
        ["x", "--diff", "x.__class__"],
        ["x", "--check", "--at", "x=().__class__"],
    ],
)
def test_hostile_option_values_are_refused(cli, tmp_path, args):
    marker = tmp_path / "pwned"
    result = cli(*[a.format(marker=marker) for a in args])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert not marker.exists()


def test_problems_name_field_components_as_the_text_does(cli):
    # curl of (x*y, y*z, z/x): ∂F1/∂z − ∂F3/∂x = z/x², infinite at x = 0
    result = cli("x*y", "y*z", "z/x", "--curl", "--at", "x=0,y=1,z=1", "-f", "text")
    assert result.exit_code == 1
    assert "curl_y(x=0,y=1,z=1) = zoo" in result.stdout.splitlines()
    assert "Error: curl_y = zoo: division by zero (complex infinity) at x=0, y=1, z=1" in result.stderr
    result = cli("1/x", "y", "--laplacian", "--at", "x=0,y=1", "-f", "text")
    assert "laplacian_f1(x=0,y=1) = zoo" in result.stdout.splitlines()
    assert "Error: laplacian_f1 = zoo" in result.stderr
