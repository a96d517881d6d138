"""--complex: holomorphic derivatives at complex points; non-holomorphic formulas are refused.

Oracle: mpmath at 40 digits, differencing the formula along the real AND the
imaginary direction at a complex point; for a holomorphic function both equal
the complex derivative (Cauchy-Riemann), which symgrad's value must match.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symgrad
from symgrad.errors import ExitCode, ParseError, PointError
from symgrad.parsing import FUNCTION_NAMES, NOT_HOLOMORPHIC

HOLOMORPHIC = ["z**3 + 2*z", "exp(z)*sin(z)", "log(z)", "sqrt(z)", "1/(z**2 + 1)", "tan(z) + cosh(z)*w", "z**w"]
POINTS = [("1+I", 1 + 1j), ("-2+I/2", -2 + 0.5j), ("0.25-1.5*I", 0.25 - 1.5j)]


@pytest.mark.parametrize("formula", HOLOMORPHIC)
@pytest.mark.parametrize("text, z0", POINTS)
def test_complex_derivative_matches_differences_in_both_directions(formula, text, z0):
    g = symgrad.gradient(formula, real=False)
    at = {"z": text, "w": "1/3"} if "w" in formula else {"z": text}
    p = g.at(**at)
    assert p.problems == ()
    z = next(v for v in g.variables if v.name == "z")
    index = g.variables.index(z)
    f = sp.lambdify([z], g.parsed.exprs[0].subs({s: sp.Rational(1, 3) for s in g.parsed.symbols if s.name == "w"}),
                    modules="mpmath")
    with mpmath.workdps(40):
        point = mpmath.mpc(z0.real, z0.imag)
        along_real = mpmath.diff(f, point)
        along_imag = mpmath.diff(lambda t: f(point + 1j * (t - point)), point) / 1j
    got = complex(p.gradient[index])
    assert abs(got - complex(along_real)) < 1e-12 * max(1, abs(got))
    assert abs(got - complex(along_imag)) < 1e-12 * max(1, abs(got))


def test_exact_complex_points_give_exact_values():
    p = symgrad.gradient("z**2", real=False).at(z="1+I")
    assert p.gradient == (2 + 2 * sp.I,)
    assert p.value == 2 * sp.I  # (1 + I)**2, expanded


def test_python_complex_and_decimal_points():
    p = symgrad.gradient("z**2", real=False).at(z=1 + 2j)
    assert complex(p.gradient[0]) == pytest.approx(2 + 4j)
    q = symgrad.gradient("z**3", real=False).at(z="0.5+I")
    assert complex(q.gradient[0]) == pytest.approx(3 * (0.5 + 1j) ** 2)


def test_a_pole_is_still_a_problem_in_complex_mode():
    p = symgrad.gradient("1/z", real=False).at(z=0)
    assert [q.value for q in p.problems] == ["zoo"]


def test_complex_points_need_complex_mode():
    with pytest.raises(PointError, match="finite real number"):
        symgrad.gradient("x**2").at(x="1+I")
    with pytest.raises(PointError, match="finite complex number"):
        symgrad.gradient("z**2", real=False).at(z="zoo")


@pytest.mark.parametrize("name", [n for n in NOT_HOLOMORPHIC if n in FUNCTION_NAMES])
def test_non_holomorphic_functions_are_refused(name):
    args = {"atan2": "z, 1", "Max": "z, 1", "Min": "z, 1"}.get(name, "z + 1")
    with pytest.raises(ParseError, match="not holomorphic in z") as err:
        symgrad.gradient(f"{name}({args})*z", real=False)
    assert err.value.exit_code == ExitCode.USAGE


def test_what_a_formula_evaluates_to_is_checked_too():
    # im(log(z)) is arg(z), no function a formula names, and not holomorphic
    with pytest.raises(ParseError, match="not holomorphic"):
        symgrad.gradient("im(log(z))", real=False)
    with pytest.raises(ParseError, match="not holomorphic"):
        symgrad.gradient(sp.arg(sp.Symbol("z")), real=False)


def test_non_holomorphic_in_a_parameter_only_is_fine():
    g = symgrad.gradient("conjugate(a)*z + Abs(a)", wrt="z", real=False)
    assert g.gradient == (sp.conjugate(sp.Symbol("a")),)


def test_cli_refuses_conjugate_with_one_line(cli):
    result = cli("conjugate(z)", "--complex", "--format", "text")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --complex: conjugate(z) is not holomorphic in z")
    assert "Traceback" not in result.stderr and "Derivative" not in result.stdout


def test_cli_complex_point_in_every_form(cli):
    text = cli("z**2", "--complex", "--at", "z=1+I", "--format", "text")
    assert text.exit_code == 0, text.stderr
    assert "f(z=1+I) = 2*I" in text.stdout and "df/dz(z=1+I) = 2 + 2*I" in text.stdout
    import json

    doc = json.loads(cli("z**2", "--complex", "--at", "z=1+I", "--format", "json").stdout)
    (point,) = doc["points"]
    assert complex(point["gradient"][0].replace("j", "j")) == 2 + 2j
    assert sp.parse_expr(point["exact"]["gradient"][0]) == 2 + 2 * sp.I
    assert "warnings" not in doc
    tex = cli("z**2", "--complex", "--at", "z=1+I", "--format", "latex")
    assert tex.exit_code == 0 and r"2 + 2 \mathrm{i}" in tex.stdout


def test_cli_complex_point_without_complex_is_refused(cli):
    result = cli("z**2", "--at", "z=1+I", "--format", "text")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --at: value of z is not a finite real number")
