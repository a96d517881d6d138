"""symgrad's LaTeX compiles: every golden case, every environment and style,
wide matrices, long entries, unusual names and every known function, each
run through ``symgrad ... --latex --standalone`` and ``pdflatex -halt-on-error``.

pdflatex comes from Debian's texlive-latex-base, which ``.ci/run`` installs.
Without it these tests are skipped with that hint, and under CI (``CI=true``)
they fail (``helpers.require_tool``): a LaTeX renderer that was never
compiled is not tested.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from helpers import require_tool


def _golden_cases() -> dict[str, list[str]]:
    """test_golden.CASES, loaded by path (works however pytest is started)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_golden_cases", Path(__file__).with_name("test_golden.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


CASES = _golden_cases()

WIDE = "*".join(f"x{i}" for i in range(1, 13))  # a 12x12 Hessian
LONG = " + ".join(f"sin(x*y{i})*exp(y{i})" for i in range(10))
FUNCTIONS = (
    "sin(x) + cos(x) + tan(x) + cot(x) + sec(x) + csc(x) + asin(x/9) + acos(x/9) + atan(x) "
    "+ sinh(x) + cosh(x) + tanh(x) + asinh(x) + acosh(x+2) + atanh(x/9) + exp(x) + log(x+5) "
    "+ sqrt(x+5) + cbrt(x+5) + Abs(x) + sign(x) + erf(x) + erfc(x) + erfinv(x/9) + gamma(x+5) "
    "+ loggamma(x+5) + Heaviside(x) + Max(x, y) + Min(x, y) + atan2(y, x) + log(x+5, 2) "
    "+ binomial(x, 2) + factorial(x + 2) + sinc(x) + beta(x+1, 2) + digamma(x+3) + hypot(x, y)"
)
EXTRA: dict[str, list[str]] = {
    "wide_bmatrix": [WIDE, "-H"],
    "wide_pmatrix": [WIDE, "-H", "--latex-env", "pmatrix"],
    "wide_vmatrix": [WIDE, "-H", "--latex-env", "vmatrix"],
    "array": ["x**2*y", "x+y", "-H", "--latex-env", "array", "--at", "x=1,y=2"],
    "long_vector": [LONG, "--wrt", "x,y0"],
    "long_components": [LONG, "--wrt", "x,y0", "--latex-style", "components", "-H"],
    "table": ["x**2*y", "-H", "--latex-style", "table", "--at", "x=1,y=2", "--at", "x=0.5,y=1e-30"],
    "components_points": ["x*y", "x-y", "-H", "--latex-style", "components", "--at", "x=pi,y=1/3"],
    "names": ["alpha*x_1 + sigma_k*x1**2 + lambda*Omega + α*Δx + é + xy", "-H", "--name", "phi"],
    "one_variable": ["sin(x)*x", "-H", "--at", "x=pi/2", "--name", "g"],
    "functions": [FUNCTIONS, "--wrt", "x", "-H", "--at", "x=1/2,y=3"],
    "tiny_and_huge_floats": ["x*y", "--at", "x=1e-300,y=6.02e23"],
    "vector_analysis": ["x^2*y", "x*y^3", "--laplacian", "--along", "3,4", "--diff", "x,y,y",
                        "--at", "x=1,y=2"],
    # analysis results print with the job's printer: unicode names are spelled in ASCII ...
    "analysis_unicode": ["α*x^2", "--laplacian", "--at", "x=1,α=2"],
    "analysis_unicode_all": ["α*x^2*y + β*y", "--wrt", "x,y", "-H", "--check", "--taylor", "3",
                             "--along", "1,2", "--diff", "x,x,y", "--at", "x=1,y=2,α=2,β=1/2"],
    "analysis_critical_unicode": ["(θ-1)^2 + φ^2*θ", "--critical"],
    # ... entries are named in LaTeX, not with text keys (d2f/dx^2 is not LaTeX text) ...
    "check_hessian": ["x^2*y", "x*y", "-H", "--check", "--at", "x=1,y=2"],
    # ... and --name and --latex-env reach them
    "analysis_options": ["x^2*y", "x*y^3", "--laplacian", "--along", "3,4", "--diff", "x,y",
                         "--at", "x=1,y=2", "--name", "V", "--latex-env", "pmatrix"],
}


@pytest.fixture(scope="module")
def pdflatex() -> str:
    return require_tool("pdflatex")


def compile_tex(pdflatex: str, tex: str, directory: Path) -> tuple[subprocess.CompletedProcess, str]:
    (directory / "doc.tex").write_text(tex, encoding="utf-8")
    run = subprocess.run(
        [pdflatex, "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", "doc.tex"],
        cwd=directory, capture_output=True, text=True, timeout=120,
    )
    log = (directory / "doc.log").read_text(encoding="latin-1") if (directory / "doc.log").exists() else ""
    return run, log


def standalone(cli, args: list[str], exit_code: int = 0) -> str:
    result = cli(*args, "--latex", "--standalone")
    assert result.exit_code == exit_code, result.stderr
    assert result.stdout.startswith("\\documentclass{article}")
    return result.stdout


@pytest.mark.parametrize("case", sorted(CASES) + sorted(EXTRA))
def test_latex_compiles(cli, pdflatex, tmp_path, case):
    args = CASES.get(case) or EXTRA[case]
    run, log = compile_tex(pdflatex, standalone(cli, args), tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 1000
    assert "Missing" not in log and "Undefined control sequence" not in log


@pytest.mark.parametrize(
    "args",
    [
        ["1/x + y", "--at", "x=0,y=1"],  # zoo (complex infinity)
        ["sqrt(x)*y", "--at", "x=-1,y=2"],  # complex value
        ["log(x)*y", "--at", "x=0.0,y=1", "--latex-style", "table"],  # -inf, nan
        ["x*y + I*x", "--complex", "--at", "x=1,y=3"],  # with --complex, 2 + i is no problem
    ],
)
def test_values_that_are_not_finite_reals_compile(cli, pdflatex, tmp_path, args):
    # stderr names the entry; the LaTeX is still printed
    tex = standalone(cli, args, exit_code=0 if "--complex" in args else 1)
    run, _ = compile_tex(pdflatex, tex, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]


@pytest.mark.parametrize("style", ["vector", "components", "table"])
@pytest.mark.parametrize("env", ["bmatrix", "pmatrix", "vmatrix", "array"])
def test_every_env_and_style_compiles(cli, pdflatex, tmp_path, env, style):
    args = ["x**2*y*z", "x+y", "-H", "--at", "x=1,y=2,z=3", "--latex-env", env, "--latex-style", style]
    run, _ = compile_tex(pdflatex, standalone(cli, args), tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]


def test_long_entries_fit_the_page(cli, pdflatex, tmp_path):
    """Split sums do not run off the page: no overfull box in the log."""
    run, log = compile_tex(pdflatex, standalone(cli, EXTRA["long_components"]), tmp_path)
    assert run.returncode == 0
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)[:3]


def test_unsplit_long_entries_would_overflow(cli, pdflatex, tmp_path, monkeypatch):
    """The check above can fail: with splitting off, the same document overflows."""
    import symgrad.output.latex as latex

    monkeypatch.setattr(latex, "LONG_ENTRY", 10**6)
    run, log = compile_tex(pdflatex, standalone(cli, EXTRA["long_components"]), tmp_path)
    assert run.returncode == 0
    assert "Overfull \\hbox" in log


def test_compiler_rejects_broken_latex(pdflatex, tmp_path):
    """The compile check can fail: an unbalanced environment is an error."""
    broken = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
    broken += "\\begin{align*} x &= \\begin{bmatrix} 1 \\end{align*}\n\\end{document}\n"
    run, _ = compile_tex(pdflatex, broken, tmp_path)
    assert run.returncode != 0


def test_amsmath_matrix_limit_is_real(pdflatex, tmp_path):
    """Why wide matrices become arrays: an 11-column bmatrix does not compile."""
    row = " & ".join("1" for _ in range(11))
    doc = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
    doc += f"\\[\\begin{{bmatrix}} {row} \\end{{bmatrix}}\\]\n\\end{{document}}\n"
    run, _ = compile_tex(pdflatex, doc, tmp_path)
    assert run.returncode != 0


@pytest.mark.slow
def test_readme_picture_script_makes_a_png_from_the_pdf(pdflatex, tmp_path):
    """examples/latex_png.py (the README's picture) runs: pdflatex, pdftoppm, PNG."""
    import struct
    import sys
    import zlib

    require_tool("pdftoppm")
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "h.png"
    run = subprocess.run(
        [sys.executable, str(root / "examples" / "latex_png.py"), "--output", str(out), "x**2*y", "-H"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert 100 < width < 2000 and 30 < height < 1000  # trimmed to the formula, not a page
    (idat,) = [data[i + 8 : i + 8 + struct.unpack(">I", data[i : i + 4])[0]] for i in [data.index(b"IDAT") - 4]]
    pixels = zlib.decompress(idat)
    assert len(pixels) == height * (width + 1)
    image = b"".join(pixels[r * (width + 1) + 1 : (r + 1) * (width + 1)] for r in range(height))
    assert min(image) < 100 and max(image) == 255  # ink on white


def test_name_and_env_reach_the_analysis(cli):
    """--name and --latex-env apply to analysis lines as to the derivatives."""
    out = cli(*EXTRA["analysis_options"], "--latex").stdout
    analysis = out.split(r"\Delta", 1)[1]  # from the Laplacian on
    assert r" V &= \begin{pmatrix} 2 y \\ 6 x y \end{pmatrix}" in analysis
    assert r"D_{\hat{u}} V &= J_{V} \, \hat{u}" in analysis
    assert r"\frac{\partial^{2} V}{\partial x \partial y} &= \begin{pmatrix}" in analysis
    assert r"\begin{bmatrix}" not in out
    scalar = cli("x^2*y", "--taylor", "2", "--at", "x=1,y=0", "--name", "g", "--latex-env", "vmatrix", "--latex")
    assert r"g(a) + \nabla g(a)^{T} (x - a)" in scalar.stdout
    assert r"\begin{bmatrix}" not in scalar.stdout and r"\begin{vmatrix} 0 & 1 \end{vmatrix}" in scalar.stdout
