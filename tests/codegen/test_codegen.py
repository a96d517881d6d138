"""Generated code is run, and its values agree with symgrad's own evaluation.

For every formula below, the gradient (Jacobian) and Hessian functions are
generated in each language, run at several points, and compared with
``run_job(...).points`` (SymPy's evaluation with 30 significant digits) to a
relative 1e-12 (entries that cancel to near zero: 1e-12 of the largest entry
of the same result). Python and NumPy code is imported and called; C is
compiled with gcc, Fortran with gfortran, Rust with rustc, and all are run;
JavaScript runs in node. Julia and Octave have no runtime here: their code is
parsed with tree-sitter grammars from PyPI and must have no syntax error.

The compilers are installed by ``.ci/run``; a missing one skips its test
with that hint, or fails it under CI (``helpers.require_tool``).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import require_tool as tool

from symgrad.codegen import LANGUAGES as LANGUAGES_OF_CODEGEN
from symgrad.codegen import CodegenError, generate
from symgrad.jobs import JobSpec, run_job

# name -> (formulas, wrt or None)
FIFTY = " + ".join(f"(x{i} - x{i + 1})**2*x{i}" for i in range(1, 50)) + " + exp(x1*x50/10)"
FORMULAS: dict[str, tuple[list[str], str | None]] = {
    "main": (["x**2+y*z"], None),
    "rosenbrock": (["(1-x)**2 + 100*(y-x**2)**2"], None),
    "trig_log": (["sin(x)*exp(y) + log(x**2+1) + cos(x*y)**2"], None),
    "radial": (["sqrt(x**2+y**2) + atan2(y, x)"], None),
    "parameters": (["a*x**2 + b*x + a*b"], "x"),
    "vector": (["x*y", "x+y**3", "sin(x*y)*z"], None),
    "hyperbolic": (["tanh(x)*cosh(y) + asinh(x*y) + acosh(1 + x**2)"], None),
    "powers": (["x**(1/3)*y**2.5 + 1/(x*y) + 2**x"], None),
    "kinks": (["Abs(x)*sign(y) + Max(x, y)**2"], None),
    "one_variable": (["x**3 - 2*x + 1/x"], None),
    "awkward_names": (["lambda*out**2 + sin*y + alpha_1*y**2 + X*x*y + T1*t0*out + exp(out*y)*cos(out*y)"], "out,y"),
    "rationals": (["x**2/3 + 5*y/7 - 1/2"], None),
    "fifty": ([FIFTY], None),
    # shared subexpressions (symgrad.subexpressions): dense, every entry holds the sum ...
    "logsumexp": (["log(" + " + ".join(f"exp(x{i})" for i in range(1, 9)) + ")"], None),
    # ... and sparse, each entry two or three variables
    "chained_rosenbrock": ([" + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, 8))], None),
}
# points, as decimal text (each symbol gets its own value from these)
POINT_VALUES = [
    [0.7, 1.3, 2.1, 0.4, 1.9],
    [1.25, 0.5, 0.3, 2.2, 1.1],
    [2.0, 1.75, 0.9, 0.6, 3.0],
]
LANGUAGES = ["python", "numpy", "c", "fortran", "rust", "js", "julia", "octave"]


def job_for(name: str):
    formulas, wrt = FORMULAS[name]
    first = run_job(formulas, JobSpec(wrt=wrt, hessian=True))
    symbols = [s.name for s in (*first.derivatives.variables, *first.derivatives.parameters)]
    points = []
    for values in POINT_VALUES:
        points.append({s: repr(values[k % len(values)] + 0.01 * k) for k, s in enumerate(symbols)})
    job = run_job(formulas, JobSpec(wrt=wrt, hessian=True, points=tuple(points)))
    args = [[float(points[p][s]) for s in symbols] for p in range(len(points))]
    return job, args


def expected(job, p: int) -> tuple[np.ndarray, np.ndarray]:
    values = job.points[p]
    first = values.jacobian if values.jacobian is not None else values.gradient
    hess = values.hessians if values.jacobian is not None else values.hessians[0]
    return np.array(first, dtype=float), np.array(hess, dtype=float)


def assert_close(actual, wanted, what: str) -> None:
    actual = np.asarray(actual, dtype=float)
    wanted = np.asarray(wanted, dtype=float)
    assert actual.shape == wanted.shape, f"{what}: shape {actual.shape} != {wanted.shape}"
    scale = max(1.0, float(np.max(np.abs(wanted)))) if wanted.size else 1.0
    bad = ~np.isclose(actual, wanted, rtol=1e-12, atol=1e-12 * scale)
    assert not bad.any(), f"{what}: {actual[bad][:5]} != {wanted[bad][:5]}"


def fname(case: str) -> str:
    return f"g_{case}"


def first_name(job, case: str) -> str:
    return ("jac_" if job.derivatives.is_vector else "grad_") + fname(case)


@pytest.fixture(scope="module")
def jobs():
    return {case: job_for(case) for case in FORMULAS}


def load_python(code: str, tmp_path: Path, name: str):
    path = tmp_path / f"{name}.py"
    path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case", sorted(FORMULAS))
@pytest.mark.parametrize("language", ["python", "numpy"])
def test_python_and_numpy_values(jobs, case, language, tmp_path):
    job, args = jobs[case]
    module = load_python(generate(job.derivatives, language, fname(case)), tmp_path, f"{language}_{case}")
    grad = getattr(module, first_name(job, case))
    hess = getattr(module, "hess_" + fname(case))
    for p, point in enumerate(args):
        want_first, want_hess = expected(job, p)
        assert_close(grad(*point), want_first, f"{case} {language} first derivatives at {point}")
        assert_close(hess(*point), want_hess, f"{case} {language} Hessian at {point}")


@pytest.mark.parametrize("case", sorted(FORMULAS))
def test_numpy_is_vectorised_and_broadcasts_constants(jobs, case, tmp_path):
    job, args = jobs[case]
    module = load_python(generate(job.derivatives, "numpy", fname(case)), tmp_path, f"vec_{case}")
    columns = [np.array(col) for col in zip(*args)]  # one array per argument
    grad = getattr(module, first_name(job, case))(*columns)
    hess = getattr(module, "hess_" + fname(case))(*columns)
    for p in range(len(args)):
        want_first, want_hess = expected(job, p)
        assert_close(grad[..., p], want_first, f"{case} vectorised first derivatives, point {p}")
        assert_close(hess[..., p], want_hess, f"{case} vectorised Hessian, point {p}")
    # a scalar mixed with arrays broadcasts; constant entries are full arrays too
    mixed = [columns[0], *(float(c[0]) for c in columns[1:])]
    assert getattr(module, first_name(job, case))(*mixed).shape[-1] == len(args)


def literal(x: float, language: str) -> str:
    text = repr(float(x))
    if language == "fortran":
        return text.replace("e", "d") if "e" in text else text + "d0"
    return text


def all_functions(jobs, language: str) -> str:
    return "\n\n".join(generate(jobs[c][0].derivatives, language, fname(c)) for c in sorted(FORMULAS))


def check_outputs(jobs, numbers: list[list[float]], order: str = "C") -> None:
    """``numbers``: per (case, point): first derivatives then Hessian, flattened."""
    k = 0
    for case in sorted(FORMULAS):
        job, args = jobs[case]
        for p in range(len(args)):
            want_first, want_hess = expected(job, p)
            got_first = np.reshape(numbers[k], want_first.shape, order=order)
            got_hess = np.reshape(numbers[k + 1], want_hess.shape, order=order)
            assert_close(got_first, want_first, f"{case} first derivatives at point {p}")
            assert_close(got_hess, want_hess, f"{case} Hessian at point {p}")
            k += 2
    assert k == len(numbers)


def calls(jobs, call) -> list[str]:
    """One call per (case, point, function), in check_outputs' order."""
    out = []
    for case in sorted(FORMULAS):
        job, args = jobs[case]
        first, hess = expected(job, 0)
        for point in args:
            out.append(call(first_name(job, case), point, first.size))
            out.append(call("hess_" + fname(case), point, hess.size))
    return out


@pytest.mark.slow
def test_c_compiles_runs_and_agrees(jobs, tmp_path):
    gcc = tool("gcc")

    def call(name, point, size):
        values = ", ".join(literal(v, "c") for v in point)
        return (
            f"  {{ double out[{size}]; {name}({values}, out);\n"
            f"    for (int i = 0; i < {size}; i++) {{ printf(\"%.17g \", out[i]); }}\n"
            f"    printf(\"\\n\"); }}"
        )

    main = "#include <stdio.h>\n" + all_functions(jobs, "c") + "\nint main(void) {\n"
    main += "\n".join(calls(jobs, call)) + "\n  return 0;\n}\n"
    (tmp_path / "main.c").write_text(main, encoding="utf-8")
    build = subprocess.run(
        [gcc, "-std=c99", "-Wall", "-Werror", "-pedantic", "main.c", "-o", "main", "-lm"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run(["./main"], cwd=tmp_path, check=True, capture_output=True, text=True)
    check_outputs(jobs, [[float(v) for v in line.split()] for line in run.stdout.splitlines()])


@pytest.mark.slow
def test_fortran_compiles_runs_and_agrees(jobs, tmp_path):
    gfortran = tool("gfortran")
    shapes = []

    def call(name, point, size):
        shapes.append(size)
        values = ", ".join(literal(v, "fortran") for v in point)
        statement = f"    call {name}({values}, buf{len(shapes)})"
        wrapped = "&\n    &".join(statement[k : k + 100] for k in range(0, len(statement), 100))
        return f"{wrapped}\n    write(*, '(*(ES26.17E3))') buf{len(shapes)}"

    body = calls(jobs, call)
    decls = "\n".join(f"    real(8) :: buf{k + 1}({s})" for k, s in enumerate(shapes))
    source = "program check\n    implicit none\n" + decls + "\n" + "\n".join(body)
    source += "\nend program check\n\n" + all_functions(jobs, "fortran") + "\n"
    (tmp_path / "check.f90").write_text(source, encoding="utf-8")
    build = subprocess.run(
        [gfortran, "-std=f2008", "-ffree-line-length-132", "-fall-intrinsics", "check.f90", "-o", "check"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run(["./check"], cwd=tmp_path, check=True, capture_output=True, text=True)
    lines = [[float(v) for v in line.split()] for line in run.stdout.splitlines()]
    check_outputs(jobs, lines, order="F")  # Fortran arrays are column-major


@pytest.mark.slow
def test_rust_compiles_runs_and_agrees(jobs, tmp_path):
    rustc = tool("rustc")
    code = all_functions(jobs, "rust")
    uses = sorted(set(re.findall(r"^use std::f64::consts::\{([^}]*)\};$", code, re.M)))
    code = re.sub(r"^use std::f64::consts::\{[^}]*\};\n", "", code, flags=re.M)
    names = sorted({n.strip() for u in uses for n in u.split(",")})
    head = f"use std::f64::consts::{{{', '.join(names)}}};\n" if names else ""
    (tmp_path / "lib.rs").write_text(head + code, encoding="utf-8")
    check = subprocess.run(
        [rustc, "--crate-type", "lib", "--edition", "2021", "lib.rs", "-o", "liblib.rlib"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert check.returncode == 0, check.stderr[-3000:]

    def call(name, point, size):
        values = ", ".join(literal(v, "rust") for v in point)
        return f'    println!("{{:?}}", {name}({values}));'

    main = head + code + "\nfn main() {\n" + "\n".join(calls(jobs, call)) + "\n}\n"
    (tmp_path / "main.rs").write_text(main, encoding="utf-8")
    build = subprocess.run([rustc, "--edition", "2021", "main.rs", "-o", "main"], cwd=tmp_path, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run(["./main"], cwd=tmp_path, check=True, capture_output=True, text=True)
    check_outputs(jobs, [np.ravel(json.loads(line)).tolist() for line in run.stdout.splitlines()])


@pytest.mark.slow
def test_javascript_runs_and_agrees(jobs, tmp_path):
    node = tool("node")
    code = all_functions(jobs, "js")
    (tmp_path / "f.js").write_text(code, encoding="utf-8")
    subprocess.run([node, "--check", "f.js"], cwd=tmp_path, check=True, capture_output=True)

    def call(name, point, size):
        return f"console.log(JSON.stringify({name}({', '.join(literal(v, 'js') for v in point)}).flat(2)));"

    (tmp_path / "main.js").write_text(code + "\n" + "\n".join(calls(jobs, call)) + "\n", encoding="utf-8")
    run = subprocess.run([node, "main.js"], cwd=tmp_path, check=True, capture_output=True, text=True)
    check_outputs(jobs, [json.loads(line) for line in run.stdout.splitlines()])


def syntax_errors(language: str, code: str) -> list[str]:
    """The lines tree-sitter cannot parse (Julia or MATLAB/Octave grammar)."""
    import tree_sitter
    grammar = importlib.import_module({"julia": "tree_sitter_julia", "octave": "tree_sitter_matlab"}[language])
    tree = tree_sitter.Parser(tree_sitter.Language(grammar.language())).parse(code.encode())
    bad = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            bad.append(code.splitlines()[node.start_point[0]] if code else "")
        stack.extend(node.children)
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("language", ["julia", "octave"])
def test_julia_and_octave_parse(jobs, language):
    for case in sorted(FORMULAS):
        code = generate(jobs[case][0].derivatives, language, fname(case))
        assert syntax_errors(language, code) == [], (case, code[:2000])


@pytest.mark.parametrize("language", ["julia", "octave"])
def test_the_syntax_checker_can_fail(jobs, language):
    code = generate(jobs["main"][0].derivatives, language, "f")
    broken = code.replace("out = zeros", "out = = zeros", 1)
    assert broken != code
    assert syntax_errors(language, broken)


# -- the functions' shape -----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_names_source_variables_parameters_and_layout(language):
    job = run_job(["a*x**2 + b*y"], JobSpec(wrt="y,x", hessian=True))
    code = generate(job.derivatives, language, "energy")
    assert "grad_energy" in code and "hess_energy" in code
    assert "gradient of a*x**2 + b*y" in code
    assert "variables: y, x" in code
    assert "parameters: a, b" in code
    assert "d f / d x_i" in code
    # the arguments: variables in --wrt order, then parameters
    assert re.search(r"grad_energy\(\s*(double |real\(8\)\s*)?y\b", code) or re.search(
        r"grad_energy\(y(: f64)?, x", code
    ), code


@pytest.mark.parametrize("language", LANGUAGES)
def test_common_subexpressions_are_computed_once(language):
    job = run_job(["exp(x*y)*sin(x*y) + exp(x*y)"], JobSpec(hessian=True))
    code = generate(job.derivatives, language, "f")
    assert re.search(r"\bt0\b", code), code
    grad = code.split("Hessian of")[0]
    statements = [line for line in grad.splitlines() if not re.match(r"\s*(#|//|!|%)", line)]
    assert len(re.findall(r"exp", "\n".join(statements))) == 1, grad


@pytest.mark.parametrize("language", LANGUAGES)
def test_reserved_and_unicode_names_are_renamed(language):
    job = run_job(["lambda*α + out*for"], JobSpec())
    code = generate(job.derivatives, language, "f")
    assert "renamed:" in code
    assert "α" not in code.split("\n", 1)[1].split("renamed")[1].split("\n", 1)[1]


@pytest.mark.parametrize(
    ("language", "word"),
    [("python", "async"), ("python", "nonlocal"), ("c", "entry"), ("c", "restrict"), ("rust", "gen"), ("rust", "dyn")],
)
def test_the_printers_reserved_words_are_renamed(language, word):
    # Python's, C's and Rust's keywords are read from SymPy's code printers
    # (their reserved_words), not kept by hand; "async" is one SymPy misses.
    job = run_job([f"{word}*x"], JobSpec(wrt=f"x,{word}"))
    code = generate(job.derivatives, language, "f")
    assert f"renamed: {word}_ is {word}" in code, code


def test_the_language_list_is_the_table_of_languages():
    from symgrad.codegen.languages import TABLE
    from symgrad.output.options import CODE_FORMATS

    assert LANGUAGES_OF_CODEGEN == tuple(TABLE) == CODE_FORMATS
    assert sorted(LANGUAGES) == sorted(LANGUAGES_OF_CODEGEN)


def test_codegen_imports_nothing_of_render():
    # codegen owns its languages and takes ASCII names from symgrad.names:
    # importing it loads no renderer (render imports codegen, not the reverse).
    import sys

    probe = "import json, sys, symgrad.codegen; print(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    modules = json.loads(proc.stdout)
    assert "symgrad.codegen" in modules
    assert [m for m in modules if m == "symgrad.output" or m.startswith("symgrad.output.")] == []


def test_ascii_name_lives_outside_render_and_is_still_exported_there():
    from symgrad.names import ascii_name
    from symgrad.output.names import ascii_name as old_home

    assert old_home is ascii_name
    assert ascii_name("α_é1") == "alpha_e1"


def test_unsupported_function_is_a_clear_error():
    job = run_job(["erf(x)*y"], JobSpec())
    with pytest.raises(CodegenError, match="cannot write erf in js code"):
        generate(job.derivatives, "js", "f")
    assert "erf" in generate(job.derivatives, "c", "f")


def test_python_vector_hessians_have_one_matrix_per_formula(tmp_path):
    job = run_job(["x*y", "x**2"], JobSpec(hessian=True))
    module = load_python(generate(job.derivatives, "python", "F"), tmp_path, "vec_hess")
    assert module.hess_F(1.0, 2.0) == [[[0, 1], [1, 0]], [[2, 0], [0, 0]]]


def test_cli_code_formats(cli):
    result = cli("x**2*y", "--format", "c", "--name", "energy", "-H")
    assert result.exit_code == 0, result.stderr
    assert "void grad_energy(double x, double y, double *out)" in result.stdout
    assert "void hess_energy(" in result.stdout
    bad = cli("x**2", "--format", "c", "--at", "x=1")
    assert bad.exit_code == 2 and "--at does not work with --format c" in bad.stderr
    unsupported = cli("gamma(x)", "--format", "fortran")
    assert unsupported.exit_code == 2
    assert unsupported.stderr.splitlines()[0] == "Error: cannot write gamma in fortran code"
    assert "Traceback" not in unsupported.output



# -- golden files: reviewers see every change of the generated code ------------

GOLDEN_ARGS = ["(1-x)**2 + 100*(y-x**2)**2", "-H"]  # Rosenbrock, as in test_golden.py


@pytest.mark.parametrize("language", LANGUAGES)
def test_golden_code(cli, golden, language):
    result = cli(*GOLDEN_ARGS, "--format", language)
    assert result.exit_code == 0, result.stderr
    golden.check(f"rosenbrock.{language}", result.stdout)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("rosenbrock_components.latex", [*GOLDEN_ARGS, "--latex-style", "components", "--at", "x=1,y=1"]),
        ("rosenbrock_table.latex", [*GOLDEN_ARGS, "--latex-style", "table", "--at", "x=1,y=1", "--at", "x=0.5,y=0.25"]),
        ("vector_pmatrix.latex", ["x**2*y", "x+y**3", "-H", "--latex-env", "pmatrix", "--name", "g"]),
    ],
)
def test_golden_latex_options(cli, golden, name, args):
    result = cli(*args, "--format", "latex")
    assert result.exit_code == 0, result.stderr
    golden.check(name, result.stdout)
