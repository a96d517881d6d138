"""A formula's line breaks never reach generated code: its header comment stays a comment.

The tokenizer reads a newline, CR, vertical tab, form feed, NEL, U+2028,
U+2029 (and the other Unicode white space) as a space, so ``x*<break>max(x, 2)``
is a formula. Its text is echoed in the header comment of every generated
function; written raw, the break ended the comment and ``max(x, 2)`` became
a line of code (``symgrad $'x*\\nmax(x, 2)' -f python``: importing the file
ran it; Octave got a bare statement; JavaScript ends a comment at U+2028).

For every language the code of the formula with a break must be the code of
the formula with a plain space, no line terminator but ``\\n`` may appear,
and each header line must begin with the language's comment marker. Then
each language's own reader confirms it: Python's ``ast`` and an import in a
fresh interpreter (an injected ``max(x, 2)`` would call a spy that writes a
file), tree-sitter for Julia and Octave, ``node`` for JavaScript and the C,
Fortran and Rust compilers.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys

import pytest
from helpers import require_tool

from symgrad.codegen import LANGUAGES, CodegenError, generate
from symgrad.codegen.languages import TABLE
from symgrad.jobs import JobSpec, run_job

#: Every character the tokenizer reads as a space that some language (or
#: Python's ``str.splitlines``) takes for the end of a line.
BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
BREAK_IDS = [repr(b) for b in BREAKS]

#: (formulas with {br} for the break, hessian): a gradient, a Hessian, a Jacobian with a parameter.
JOBS = {
    "gradient": (["x*{br}max(x, 2)"], False),
    "hessian": (["x*{br}{br}max(x, 2)*y"], True),
    "vector": (["x*{br}max(x, 2)", "a*y +{br}x"], True),
}


def code_of(job: str, language: str, br: str) -> str:
    formulas, hessian = JOBS[job]
    wrt = "x,y" if job == "vector" else None
    result = run_job([f.format(br=br) for f in formulas], JobSpec(wrt=wrt, hessian=hessian))
    return generate(result.derivatives, language, "f")


def header_lines(code: str) -> list[str]:
    """The lines that echo the formula (``gradient of <formula>``, ...)."""
    return [line for line in code.split("\n") if re.search(r"(gradient|Jacobian|Hessian) of ", line)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("br", BREAKS, ids=BREAK_IDS)
@pytest.mark.parametrize("job", sorted(JOBS))
def test_a_line_break_in_the_formula_is_a_space_in_the_header(job, language, br):
    code = code_of(job, language, br)
    assert code == code_of(job, language, " ")
    assert code.splitlines() == code.split("\n")  # no other line terminator anywhere
    comment = TABLE[language].comment
    echoed = header_lines(code)
    assert echoed and all(line.startswith(comment + " ") for line in echoed)
    assert all("x* max(x, 2)" in line for line in echoed)
    assert not any(line.startswith("max(") for line in code.split("\n"))


def test_the_function_name_must_be_an_identifier():
    job = run_job(["x**2"], JobSpec())
    with pytest.raises(CodegenError, match="identifier"):
        generate(job.derivatives, "python", "f(x):\n    pass\nimport os\ndef g")
    with pytest.raises(CodegenError, match="identifier"):
        generate(job.derivatives, "c", "f\u2028g")


# -- each language's own reader ----------------------------------------------------


SPY = """
import builtins, importlib.util
real_max = builtins.max
builtins.x = marker = object()  # so that an injected max(x, 2) at module level runs...
def spy(*args, **kwargs):       # ...and is seen
    if marker in args:
        open("PWNED", "w").close()
        return 0
    return real_max(*args, **kwargs)
builtins.max = spy
spec = importlib.util.spec_from_file_location("generated", "generated.py")
spec.loader.exec_module(importlib.util.module_from_spec(spec))
"""


@pytest.mark.slow
@pytest.mark.parametrize("language", ["python", "numpy"])
@pytest.mark.parametrize("br", ["\n", "\r", "\f", "\u2028"], ids=repr)
def test_importing_python_code_runs_no_line_of_the_formula(language, br, tmp_path):
    code = code_of("hessian", language, br)
    module = ast.parse(code)
    assert all(isinstance(node, (ast.Import, ast.FunctionDef)) for node in module.body)
    (tmp_path / "generated.py").write_text(code, encoding="utf-8", newline="")
    run = subprocess.run([sys.executable, "-c", SPY], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(("language", "grammar"), [("julia", "tree_sitter_julia"), ("octave", "tree_sitter_matlab")])
@pytest.mark.parametrize("br", ["\n", "\r", "\u2028"], ids=repr)
def test_julia_and_octave_see_only_comments_and_functions(language, grammar, br):
    import tree_sitter

    code = code_of("vector", language, br)
    parser = tree_sitter.Parser(tree_sitter.Language(importlib.import_module(grammar).language()))
    top = [node.type for node in parser.parse(code.encode()).root_node.children]
    assert set(top) <= {"comment", "line_comment", "function_definition", "\n"}, top
    assert "function_definition" in top


@pytest.mark.slow
@pytest.mark.parametrize("br", ["\n", "\u2028", "\u2029"], ids=repr)
def test_javascript_runs_no_line_of_the_formula(br, tmp_path):
    node = require_tool("node")
    (tmp_path / "generated.js").write_text(code_of("hessian", "js", br), encoding="utf-8")
    run = subprocess.run([node, "generated.js"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr  # an injected max(x, 2) is a ReferenceError


COMPILERS = {
    "c": ("gcc", "generated.c", ["-fsyntax-only", "-Wall", "-Werror"]),
    "fortran": ("gfortran", "generated.f90", ["-fsyntax-only"]),
    "rust": ("rustc", "generated.rs", ["--crate-type", "lib", "--emit", "metadata", "-o", "generated.rmeta"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(COMPILERS))
def test_compiled_languages_accept_the_file(language, tmp_path):
    tool, name, flags = COMPILERS[language]
    compiler = require_tool(tool)
    (tmp_path / name).write_text(code_of("vector", language, "\r\n"), encoding="utf-8", newline="")
    run = subprocess.run([compiler, *flags, name], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


@pytest.mark.slow
def test_the_spy_sees_an_injected_line(tmp_path):
    """The import check above can fail: a header broken as on the old main runs the spy."""
    code = code_of("gradient", "python", " ").replace("# gradient of x* ", "# gradient of x*\n", 1)
    assert any(not isinstance(node, (ast.Import, ast.FunctionDef)) for node in ast.parse(code).body)
    (tmp_path / "generated.py").write_text(code, encoding="utf-8")
    subprocess.run([sys.executable, "-c", SPY], cwd=tmp_path, capture_output=True, check=False)
    assert (tmp_path / "PWNED").exists()
