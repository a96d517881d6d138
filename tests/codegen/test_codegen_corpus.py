"""A corpus of formulas at the edges of code generation, compiled and run.

Every constant (pi, E, sqrt(2), log(2), ...), a spread of known functions,
names that are reserved or taken by a language's library (``NAN``,
``None``, ``lambda``, ``e`` beside ``E``, a variable named like the
generated function), names over Fortran's 63 characters and many
variables. Each language's functions for the whole corpus go in one file:
C compiled with ``-std=c99 -Wall -Werror -pedantic``, Fortran with
gfortran, Rust with rustc (warnings are errors), JavaScript run in node,
Python and NumPy imported; every value is compared with symgrad's own
(``run_job(...).points``) to a relative 1e-12. Julia and Octave are parsed
with tree-sitter, and every name the Julia code uses must be defined by
Julia's Base, by ``using SpecialFunctions`` when the code says it, or by
the function itself.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import require_tool as tool

from symgrad.codegen import CodegenError, generate
from symgrad.jobs import JobSpec, run_job

LONG = "a" * 70
LONG2 = "a" * 65 + "b"  # the same first 63 characters as LONG
MANY = " + ".join(f"v{i}*v{i + 1}**2" for i in range(60))
# name -> (formulas, languages that cannot write them)
CORPUS: dict[str, tuple[list[str], set[str]]] = {
    "constants": (
        [
            "pi*x**2 + E*y + sqrt(2)*x*y + x/pi + log(2)*y + log(10)*x + sqrt(pi)*y + pi/2*x*y"
            " + 2/sqrt(pi)*x + y/sqrt(2) + E**x + exp(2)*y + pi/4*x + 1/(2*pi)*y + 2**(1/3)*x + log(pi)*y"
        ],
        set(),
    ),
    "trig": (["sin(x) + cos(y) + tan(x*y/4) + asin(x/3) + acos(y/4) + atan(x*y) + atan2(y, x)"], set()),
    "hyperbolic": (["sinh(x) + cosh(y) + tanh(x*y) + asinh(x) + acosh(1 + y) + atanh(x/3)"], set()),
    "exp_log": (["exp(x)*log(y) + sqrt(x) + cbrt(y)*x + log(x, 2) + x**y + y**(5/2) + 2**x"], set()),
    "reciprocal_trig": (["cot(x) + sec(y) + csc(x*y) + acot(x) + asec(1 + y) + acsc(1 + x) + sinc(x)*y"], set()),
    "roots": (["root(x, 3)*y + x**(-2) + y**(2/3) + 10**x + log(x, 10) + sqrt(x**2 + y**2)"], set()),
    "kinks": (["Abs(x)*y + Max(x, y)**2 + Min(x, y)*x + sign(y)*x + Heaviside(x - 1)*y**2"], set()),
    # evaluated AT the kinks (see AT): sign(0) = 0, Heaviside(0) = 1/2 and
    # DiracDelta(0) = NaN in every language, as symgrad's own values
    "kinks_at_zero": (["Abs(x)*y + sign(y)*x**2 + Heaviside(x)*y**2 + Max(x, y)*x + Heaviside(y)*x"], set()),
    "special": (["erf(x)*y + erfc(y)*x"], {"js", "rust"}),
    # polygamma, the derivative of gamma, has no printer but Julia's and Octave's
    "gamma": (["gamma(x)*y + loggamma(y)"], {"python", "numpy", "c", "fortran", "rust", "js"}),
    "library_names": (
        ["NAN*x + INFINITY*y + HUGE_VAL*x*y + M_PI*x + None*y + Some*x + lambda*y + out*x + e*x + E*y"
         " + grad_g_library_names*y + math*x + numpy*y + Base*x + real*y + parameter*x + PI*y + SQRT_2*x"],
        set(),
    ),
    "long_names": ([f"{LONG}*x + {LONG2}*y**2 + {LONG}*{LONG2}*x*y"], set()),
    "many_variables": ([MANY], set()),
    "vector": (["pi*x*y", "E**(x*y)", "sqrt(2)*x + log(2)*y"], set()),
}
POINTS = [0.31, 0.57, 0.83]  # a point's k-th symbol gets POINTS[p] + 0.013*k
#: Cases evaluated at points of their own, one value per symbol.
AT = {"kinks_at_zero": [[0.0, 0.0], [0.0, 0.5], [-0.25, 0.0], [0.5, 0.5]]}
RUN = ["python", "numpy", "c", "fortran", "rust", "js"]


def fname(case: str) -> str:
    return f"g_{case}"


@pytest.fixture(scope="module")
def corpus():
    """case -> (job with points, arguments per point, name of its first function)."""
    out = {}
    for case, (formulas, _) in CORPUS.items():
        plain = run_job(formulas, JobSpec())
        symbols = [s.name for s in (*plain.derivatives.variables, *plain.derivatives.parameters)]
        if case in AT:
            points = tuple({s: repr(v) for s, v in zip(symbols, values)} for values in AT[case])
        else:
            points = tuple({s: repr(v + 0.013 * k) for k, s in enumerate(symbols)} for v in POINTS)
        job = run_job(formulas, JobSpec(points=points, hessian=True))
        args = [[float(p[s]) for s in symbols] for p in points]
        first = ("jac_" if job.derivatives.is_vector else "grad_") + fname(case)
        out[case] = (job, args, (first, "hess_" + fname(case)))
    return out


def cases(language: str) -> list[str]:
    return [case for case, (_, unable) in CORPUS.items() if language not in unable]


def code_for(corpus, language: str) -> str:
    return "\n\n".join(generate(corpus[c][0].derivatives, language, fname(c)) for c in cases(language))


def wanted(job, p: int) -> tuple[np.ndarray, np.ndarray]:
    """The first derivatives and the Hessian(s) at the job's ``p``-th point."""
    values = job.points[p]
    vector = values.jacobian is not None
    first = values.jacobian if vector else values.gradient
    hess = values.hessians if vector else values.hessians[0]
    return np.array(first, dtype=float), np.array(hess, dtype=float)


def check(corpus, language: str, results: list[list[float]], order: str = "C") -> None:
    """``results``: one flat list per (case, point, function), in the order of :func:`calls`."""
    k = 0
    for case in cases(language):
        job, args, names = corpus[case]
        for p in range(len(args)):
            for name, want in zip(names, wanted(job, p)):
                got = np.reshape(np.asarray(results[k], dtype=float), want.shape, order=order)
                finite = np.abs(want[np.isfinite(want)])
                scale = max(1.0, float(finite.max(initial=0.0)))
                bad = ~np.isclose(got, want, rtol=1e-12, atol=1e-12 * scale, equal_nan=True)
                assert not bad.any(), f"{language} {name} at point {p}: {got[bad][:4]} != {want[bad][:4]}"
                k += 1
    assert k == len(results)


def calls(corpus, language: str, call) -> list[str]:
    out = []
    for case in cases(language):
        job, args, names = corpus[case]
        for point in args:
            out += [call(name, point, want.size) for name, want in zip(names, wanted(job, 0))]
    return out


def literal(x: float, language: str) -> str:
    text = repr(float(x))
    if language != "fortran":
        return text
    return text.replace("e", "d") if "e" in text else text + "d0"


def compile_(command: list[str], cwd: Path) -> None:
    build = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-4000:]


def run(command: list[str], cwd: Path) -> list[str]:
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout.splitlines()


@pytest.mark.slow
def test_a_language_left_out_of_a_case_cannot_write_it():
    for case, (formulas, unable) in CORPUS.items():
        job = run_job(formulas, JobSpec())
        for language in unable:
            with pytest.raises(CodegenError, match="cannot write"):
                generate(job.derivatives, language, "f")


@pytest.mark.slow
@pytest.mark.parametrize("language", ["python", "numpy"])
def test_python_corpus(corpus, language, tmp_path):
    path = tmp_path / f"corpus_{language}.py"
    path.write_text(code_for(corpus, language), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"corpus_{language}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = calls(corpus, language, lambda name, point, size: np.ravel(getattr(module, name)(*point)).tolist())
    check(corpus, language, results)


@pytest.mark.slow
def test_c_corpus(corpus, tmp_path):
    gcc = tool("gcc")

    def call(name, point, size):
        values = ", ".join(literal(v, "c") for v in point)
        return (f"  {{ double out[{size}]; {name}({values}, out);\n"
                f"    for (int i = 0; i < {size}; i++) printf(\"%.17g \", out[i]);\n    printf(\"\\n\"); }}")

    source = "#include <stdio.h>\n" + code_for(corpus, "c") + "\nint main(void) {\n"
    source += "\n".join(calls(corpus, "c", call)) + "\n  return 0;\n}\n"
    (tmp_path / "main.c").write_text(source, encoding="utf-8")
    compile_([gcc, "-std=c99", "-Wall", "-Werror", "-pedantic", "main.c", "-o", "main", "-lm"], tmp_path)
    check(corpus, "c", [[float(v) for v in line.split()] for line in run(["./main"], tmp_path)])


@pytest.mark.slow
def test_fortran_corpus(corpus, tmp_path):
    gfortran = tool("gfortran")
    sizes: list[int] = []

    def call(name, point, size):
        sizes.append(size)
        statement = f"    call {name}({', '.join(literal(v, 'fortran') for v in point)}, buf{len(sizes)})"
        wrapped = "&\n    &".join(statement[k : k + 100] for k in range(0, len(statement), 100))
        return f"{wrapped}\n    write(*, '(*(ES26.17E3))') buf{len(sizes)}"

    body = calls(corpus, "fortran", call)
    decls = "\n".join(f"    real(8) :: buf{k + 1}({s})" for k, s in enumerate(sizes))
    source = "program check\n    implicit none\n" + decls + "\n" + "\n".join(body)
    source += "\nend program check\n\n" + code_for(corpus, "fortran") + "\n"
    (tmp_path / "check.f90").write_text(source, encoding="utf-8")
    compile_([gfortran, "-std=f2008", "-Wall", "-Werror", "-Wno-unused-dummy-argument", "check.f90", "-o", "check"], tmp_path)
    check(corpus, "fortran", [[float(v) for v in line.split()] for line in run(["./check"], tmp_path)], order="F")


@pytest.mark.slow
def test_rust_corpus(corpus, tmp_path):
    rustc = tool("rustc")
    pieces = [generate(corpus[c][0].derivatives, "rust", fname(c)) for c in cases("rust")]
    # each piece imports its own constants: compile each alone as a library
    # (warnings as errors: an unused import fails), then all in one program
    for k, piece in enumerate(pieces):
        (tmp_path / f"lib{k}.rs").write_text(piece, encoding="utf-8")
        compile_([rustc, "--crate-type", "lib", "--edition", "2021", "-D", "warnings", f"lib{k}.rs",
                  "-o", f"lib{k}.rlib"], tmp_path)
    uses = re.compile(r"^use std::f64::consts::\{([^}]*)\};\n", re.M)
    names = sorted({n.strip() for piece in pieces for u in uses.findall(piece) for n in u.split(",")})
    code = "\n".join(uses.sub("", piece) for piece in pieces)
    head = f"use std::f64::consts::{{{', '.join(names)}}};\n" if names else ""

    def call(name, point, size):
        return f'    println!("{{:?}}", {name}({", ".join(literal(v, "rust") for v in point)}));'

    main = head + code + "\nfn main() {\n" + "\n".join(calls(corpus, "rust", call)) + "\n}\n"
    (tmp_path / "main.rs").write_text(main, encoding="utf-8")
    compile_([rustc, "--edition", "2021", "-D", "warnings", "main.rs", "-o", "main"], tmp_path)
    check(corpus, "rust", [np.ravel(json.loads(line)).tolist() for line in run(["./main"], tmp_path)])


@pytest.mark.slow
def test_javascript_corpus(corpus, tmp_path):
    node = tool("node")

    def call(name, point, size):
        return f"console.log(JSON.stringify({name}({', '.join(literal(v, 'js') for v in point)}).flat(2)));"

    source = '"use strict";\n' + code_for(corpus, "js") + "\n" + "\n".join(calls(corpus, "js", call)) + "\n"
    (tmp_path / "main.js").write_text(source, encoding="utf-8")
    check(corpus, "js", [json.loads(line) for line in run([node, "main.js"], tmp_path)])


def parse(language: str, code: str):
    import tree_sitter

    grammar = importlib.import_module({"julia": "tree_sitter_julia", "octave": "tree_sitter_matlab"}[language])
    return tree_sitter.Parser(tree_sitter.Language(grammar.language())).parse(code.encode())


def nodes(tree):
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["julia", "octave"])
def test_corpus_parses(corpus, language):
    for case in cases(language):
        code = generate(corpus[case][0].derivatives, language, fname(case))
        bad = [n for n in nodes(parse(language, code)) if n.is_error or n.is_missing]
        assert bad == [], (case, [code.splitlines()[n.start_point[0]] for n in bad[:3]])


#: Names Julia's Base defines that the corpus's code uses (checked by hand
#: against Julia 1.x; ``e``, ``eulergamma`` and ``erf`` are not among them).
JULIA_BASE = set(
    "sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh exp log sqrt cbrt abs sign max min "
    "cot sec csc acot asec acsc sinc zeros Float64 pi Base MathConstants ifelse NaN".split()
)


#: What ``using SpecialFunctions`` defines that the corpus's code uses.
JULIA_SPECIAL = set("erf erfc erfi gamma loggamma digamma polygamma beta".split())


def julia_undefined(code: str) -> set[str]:
    """The identifiers the Julia code reads that nothing defines."""
    tree = parse("julia", code)
    defined = set(JULIA_BASE) | (JULIA_SPECIAL if re.search(r"^using SpecialFunctions$", code, re.M) else set())
    for match in re.finditer(r"^function (\w+)\(([^)]*)\)|^\s*(\w+) = ", code, re.M):
        defined |= {a.strip() for a in (match.group(2) or match.group(3)).split(",")} | {match.group(1)}
    source = code.encode()
    used = set()
    for n in nodes(tree):
        parent = n.parent
        fields = parent is not None and parent.type == "field_expression" and parent.children[0] != n
        using = parent is not None and parent.type == "using_statement"
        if n.type == "identifier" and not fields and not using:
            used.add(source[n.start_byte : n.end_byte].decode())
    return used - defined


@pytest.mark.parametrize(
    "formula", ["E*x", "exp(1)*x + pi*y", "erf(x)*y", "gamma(x)", "erfc(x)", "loggamma(x)*pi"]
)
def test_julia_names_only_what_julia_defines(formula):
    code = generate(run_job([formula], JobSpec()).derivatives, "julia", "f")
    assert julia_undefined(code) == set(), code
    statements = "\n".join(line for line in code.splitlines() if not line.startswith("#"))
    if re.search(r"\b(erf|erfc|gamma|polygamma|loggamma)\(", statements):
        assert code.startswith("using SpecialFunctions\n"), code
    assert "Base.MathConstants.e" in code or "E" not in formula


def test_the_julia_name_check_can_fail():
    assert julia_undefined("function f(x)\n    return e * x + erf(x)\nend\n") == {"e", "erf"}


@pytest.mark.slow
def test_julia_corpus_names_only_what_julia_defines(corpus):
    for case in cases("julia"):
        code = generate(corpus[case][0].derivatives, "julia", fname(case))
        assert julia_undefined(code) == set(), (case, code[:1500])


# -- each defect, quickly (the corpus above compiles them) ---------------------


def code_of(formula: str, language: str, name: str = "f", **spec) -> str:
    return generate(run_job([formula], JobSpec(**spec)).derivatives, language, name)


def test_fortran_declares_pi_and_e_as_parameters_before_the_statements():
    code = code_of("pi*x**2 + E*y", "fortran")
    lines = code.splitlines()
    declared = [k for k, line in enumerate(lines) if "parameter ::" in line]
    assert [lines[k].split("::")[1].split("=")[0].strip() for k in declared] == ["E", "pi"]
    first_statement = next(k for k, line in enumerate(lines) if re.match(r"\s+(out|t\d+)\(?.*= ", line))
    assert max(declared) < first_statement
    assert all("parameter" not in line for line in lines[first_statement:]), code


def test_fortran_names_e_apart_from_e_and_keeps_names_to_63_characters():
    code = code_of(f"e*x + E*y + {LONG}*x + {LONG2}*y + grad_f*x", "fortran")
    header = code.split("subroutine")[0]
    assert "e_ is e" in header and "grad_f_ is grad_f" in header
    names = re.search(r"subroutine grad_f\((.*?)\)", code.replace("&\n    &", ""), re.S).group(1).split(", ")
    assert max(map(len, names)) <= 63
    assert len({n.lower() for n in names}) == len(names)


def test_a_function_name_over_fortrans_limit_is_an_error():
    job = run_job(["x**2"], JobSpec())
    with pytest.raises(CodegenError, match="over 63 characters"):
        generate(job.derivatives, "fortran", "f" * 60)
    assert "grad_" + "f" * 60 in generate(job.derivatives, "c", "f" * 60)


def test_c_defines_each_macro_once_and_as_a_number():
    code = code_of("sqrt(2)*x + pi*y + E + log(2)*x", "c")
    guards = re.findall(r"^#ifndef (\w+)$", code, re.M)
    assert len(guards) == len(set(guards)) and "M_SQRT2" in guards, code
    for value in re.findall(r"^#define \w+ (.*)$", code, re.M):
        float(value)


def test_c_renames_math_h_macros():
    code = code_of("NAN*x + INFINITY*y + HUGE_VAL + M_PI*x + isnan*y", "c")
    assert re.search(r"double NAN_, double isnan_, double x, double y", code), code


def test_rust_renames_none_and_imports_only_what_the_code_uses():
    assert "None_ is None" in code_of("None*x", "rust")
    code = code_of("x**2", "rust", symbols="E", wrt="x")  # E a parameter, named in the header
    assert "use std::f64::consts" not in code, code
    assert "use std::f64::consts::{E, PI};" in code_of("E*x + pi*x**2", "rust")


def test_julia_writes_euler_number_and_uses_specialfunctions():
    assert "Base.MathConstants.e" in code_of("E*x", "julia")
    assert code_of("erf(x)*y", "julia").startswith("using SpecialFunctions\n")
    assert "SpecialFunctions" not in code_of("sin(x)", "julia")


@pytest.mark.parametrize("language", ["c", "fortran", "python"])
def test_header_lines_end_between_tokens(language):
    formula = " + ".join(f"sin(alpha_{k}*x)" for k in range(20))
    code = code_of(formula, language)
    comment = {"c": "//", "fortran": "!", "python": "#"}[language]
    text = [line[len(comment) + 1 :] for line in code.splitlines() if line.startswith(comment)]
    start = next(k for k, line in enumerate(text) if line.startswith("gradient of"))
    end = next(k for k, line in enumerate(text) if line.startswith("variables:"))
    pieces = text[start:end]
    assert len(pieces) > 1 and all(len(p) <= 90 for p in pieces)
    for a, b in zip(pieces, pieces[1:]):
        assert not (re.search(r"\w$", a) and re.match(r"\w", b)), (a, b)
    assert "".join(pieces).replace(" ", "") == ("gradient of " + formula).replace(" ", "")


def test_rust_writes_the_reciprocal_trig_functions_and_sinc():
    formula = "cot(x) + sec(x) + csc(x) + acot(x) + asec(x + 2) + acsc(x + 2) + sinc(x)"
    code = code_of(formula, "rust")  # no error: every one is written
    statements = "\n".join(line for line in code.splitlines() if not line.startswith("//"))
    assert not re.search(r"\b(cot|sec|csc|acot|asec|acsc|sinc)\b", statements), statements


def test_fortran_sinc_merges_two_reals():
    code = code_of("sinc(x)*y", "fortran")
    assert re.search(r"merge\(sin\(x\)/x, 1\.0d0, x /= 0\)", code), code


def test_rust_allows_unused_arguments_only_where_there_are_some():
    code = code_of("x**3 + x*y", "rust", hessian=True)  # the Hessian does not read y
    grad, hess = code.split("Hessian of")
    assert "unused_variables" not in grad and "unused_variables" in hess
