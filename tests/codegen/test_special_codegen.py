"""Generated code for the special functions: written where the language has them.

NumPy code writes SciPy's versions (``scipy.special.jv`` ...) and is run;
Fortran 2008's ``bessel_jn``/``bessel_yn`` are compiled with gfortran and
run; every other language (and Fortran for what it lacks) refuses with an
error naming the function and the language. Values are compared with
symgrad's exact values.
"""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest
import sympy as sp
from helpers import require_tool
from special_corpus import CORPUS, function_name

import symgrad
from symgrad.codegen import CodegenError, generate
from symgrad.codegen.languages import SCIPY_FUNCTIONS
from symgrad.jobs import JobSpec, run_job

NUMPY_CASES = [c for c, (f, _, _) in CORPUS.items() if function_name(f) in SCIPY_FUNCTIONS]


def exact_gradient(formula: str, point: dict[str, str], wrt: list[str]) -> list[float]:
    g = symgrad.gradient(formula, wrt=wrt)
    return [float(sp.N(v, 20)) for v in g.at(point).gradient]


def test_every_scipy_function_is_in_the_corpus():
    assert {function_name(CORPUS[c][0]) for c in NUMPY_CASES} == set(SCIPY_FUNCTIONS)


@pytest.mark.parametrize("case", NUMPY_CASES)
def test_numpy_code_runs_with_scipy(case):
    formula, point, _ = CORPUS[case]
    # d/ds uppergamma(s, y) is a Meijer G function, which no language writes: by y only
    wrt = ["y"] if function_name(formula) in ("uppergamma", "lowergamma") else [v for v in ("x", "y") if v in point]
    job = run_job([formula], JobSpec(wrt=",".join(wrt)))
    code = generate(job.derivatives, "numpy")
    assert ("scipy.special." in code) == ("import scipy.special" in code)
    if case.startswith(("bessel", "airy")):
        assert "import scipy.special" in code
    namespace: dict[str, object] = {}
    exec(compile(code, f"<{case}>", "exec"), namespace)  # noqa: S102 - symgrad's own generated code
    grad = namespace["grad_f"]
    names = [s.name for s in job.derivatives.variables] + [s.name for s in job.derivatives.parameters]
    values = grad(*(float(sp.Rational(point[n])) for n in names))
    np.testing.assert_allclose(np.ravel(values), exact_gradient(formula, point, wrt), rtol=1e-9)


@pytest.mark.slow
def test_fortran_bessel_functions_compile_and_run(tmp_path):
    gfortran = require_tool("gfortran")
    formula = "besselj(2, x)*y + bessely(1, y)*x + besselj(0, x*y)"
    job = run_job([formula], JobSpec())
    code = generate(job.derivatives, "fortran")
    assert "bessel_jn(" in code and "bessel_yn(" in code
    main = "program main\n    real(8) :: out(2)\n    call grad_f(1.3d0, 0.7d0, out)\n" \
           "    print '(2ES25.16)', out\nend program main\n"
    (tmp_path / "f.f90").write_text(code + "\n" + main)
    subprocess.run([gfortran, "-std=f2008", "-Wall", "-Werror", "f.f90", "-o", "f"], cwd=tmp_path, check=True,
                   capture_output=True)
    out = subprocess.run([str(tmp_path / "f")], capture_output=True, text=True, check=True).stdout
    got = [float(v) for v in out.split()]
    want = exact_gradient(formula, {"x": "13/10", "y": "7/10"}, ["x", "y"])
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize(
    ("formula", "language", "function"),
    [
        ("besselj(0, x)", "c", "besselj"),
        ("besselj(1/3, x)", "fortran", "besselj"),
        ("airyai(x)", "fortran", "airyaiprime"),  # its derivative
        ("besselj(0, x)", "python", "besselj"),
        ("zeta(3, x)", "numpy", "zeta"),
        ("elliptic_k(x)", "js", "elliptic_(e|k)"),
        ("hyp2f1(1, 2, 3, x)", "rust", "hyper"),
        ("legendre(n, x)", "c", "legendre"),
    ],
)
def test_other_languages_refuse_naming_function_and_language(formula, language, function, cli):
    job = run_job([formula], JobSpec(wrt="x"))
    with pytest.raises(CodegenError, match=rf"cannot write {function}\b.* in {language} code"):
        generate(job.derivatives, language)
    result = cli(formula, "--wrt", "x", "--format", language)
    assert result.exit_code == 2
    assert re.match(rf"Error: cannot write {function}\b", result.stderr)
