"""Exit codes and the ``Error:`` lines on stderr (SPEC: Errors and exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import clean_env, symgrad_script

import symgrad.jobs
from symgrad.errors import ExitCode


def assert_usage_error(result, message):
    """Exit 2, nothing on stdout, exactly one ``Error:`` line naming the problem."""
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


# --- parse errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "message", "column"),
    [
        ("x+", "unexpected end of formula", 2),
        ("x**2+*y", "unexpected '*'", 5),
        ("sin(x", "'(' of sin( was never closed", 3),
        ("x+y)*2", "unmatched ')'", 3),
        ("x y", "unexpected 'y' (for a product, write x*y)", 2),
        ("sin x", "unexpected 'x' (to apply sin, write sin(x))", 4),
        ("ln 2", "unexpected '2' (to apply ln, write ln(2))", 3),
        ("3 % x", "unexpected character '%'", 2),
        ("x[0]", "unexpected character '[' (use parentheses for grouping)", 1),
        ("x==1", "unexpected character '=' (give a formula, not an equation)", 1),
        ("foo(x)+1", "unknown function 'foo'", 0),
        ("x*exp(y)*frobnicate(z)", "unknown function 'frobnicate'", 9),
        ("sin(x,y)", "sin() takes 1 argument, got 2", 0),
    ],
)
def test_parse_error_has_message_source_and_caret(cli, formula, message, column):
    result = cli(formula, "--at", "x=1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {message}",
        f"  {formula}",
        "  " + " " * column + "^",
    ]


def test_parse_error_in_the_second_expr_shows_that_expr(cli):
    result = cli("x*y", "x+")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["Error: unexpected end of formula", "  x+", "    ^"]


def test_parse_error_in_json_mode_writes_no_json(cli):
    result = cli("x+", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "Error: unexpected end of formula"


def test_empty_formula_is_a_parse_error(cli):
    result = cli("")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "Error: empty formula"


def test_no_expr_on_a_terminal_is_a_usage_error(runner, monkeypatch):
    from symgrad.cli import command as cli_module

    monkeypatch.setattr(cli_module, "isatty", lambda stream: True)
    result = runner.invoke(cli_module.main, [], prog_name="symgrad")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        'Error: missing EXPR (a formula such as "x**2+y*z")'
    )


# --- --at, --wrt, --symbols --------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "point", "message"),
    [
        ("x*y", "x=1", "--at: no value for y"),
        ("x*y*z", "y=1", "--at: no value for x, z"),
        ("x", "x=1,q=2", "--at: unknown variable 'q' (the formula's symbols: x)"),
        ("x", "x=1,x=2", "--at: 'x' is given twice"),
        ("x", "x=nan", "--at: value of x is not a finite real number: 'nan'"),
        ("x", "x=inf", "--at: value of x is not a finite real number: 'inf'"),
        ("x", "x=-inf", "--at: value of x is not a finite real number: '-inf'"),
        ("x", "x=abc", "--at: value of x is not a finite real number: 'abc'"),
        ("x", "x=1/0", "--at: value of x is not a finite real number: '1/0'"),
        ("x", "x=I", "--at: value of x is not a finite real number: 'I'"),
        ("x", "x=sqrt(-1)", "--at: value of x is not a finite real number: 'sqrt(-1)'"),
        ("x", "x=", "--at: no value given for x"),
        ("x", "x", "--at: expected name=value, got 'x'"),
        ("x", "x=1,", "--at: empty entry in 'x=1,'"),
        ("x", "x=1;2", "--at: value of x is not a number: '1;2' (unexpected character ';')"),
    ],
)
def test_bad_points_are_usage_errors_that_name_the_problem(cli, formula, point, message):
    assert_usage_error(cli(formula, "--at", point), message)


def test_a_bad_second_point_writes_nothing(cli):
    assert_usage_error(cli("x", "--at", "x=1", "--at", "x=nan"),
                       "--at: value of x is not a finite real number: 'nan'")


@pytest.mark.parametrize("value", ["1e400", "-1e400", "10**400"])
def test_value_beyond_the_double_range_is_rejected(cli, value):
    assert_usage_error(cli("x", "--at", f"x={value}"),
                       f"--at: value of x is not a finite real number: '{value}'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x*y", "--wrt", "x,x"], "--wrt: 'x' is given twice"),
        (["x*E", "--wrt", "E"],
         "--wrt: 'E' is a constant; add --symbols E to use it as a variable"),
        (["x", "--symbols", "x"],
         "--symbols takes constant names (pi, E, I, oo); 'x' is already a variable"),
    ],
)
def test_bad_wrt_and_symbols(cli, args, message):
    assert_usage_error(cli(*args), message)


def test_negative_timeout_is_a_usage_error(cli):
    result = cli("x", "--timeout", "-1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for '--timeout'")


# --- the mathematics fails at a point ----------------------------------------


def test_undefined_at_a_point_prints_result_and_exits_1(cli):
    result = cli("1/x", "--at", "x=0")
    assert result.exit_code == 1
    assert result.stdout == "f = 1/x\ndf/dx = -1/x**2\nf(x=0) = zoo\ndf/dx(x=0) = zoo\n"
    assert result.stderr == "Error: df/dx = zoo: division by zero (complex infinity) at x=0\n"


def test_undefined_at_a_point_json_has_zoo_and_warnings(cli):
    result = cli("1/x", "-H", "--at", "x=0", "--at", "x=2", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "expressions": ["1/x"],
        "variables": ["x"],
        "gradient": ["-1/x**2"],
        "hessian": [["2/x**3"]],
        "points": [
            {"at": {"x": 0}, "value": "zoo", "gradient": ["zoo"], "hessian": [["zoo"]],
             "exact": {"value": "zoo", "gradient": ["zoo"], "hessian": [["zoo"]]}},
            {"at": {"x": 2}, "value": 0.5, "gradient": [-0.25], "hessian": [[0.25]],
             "exact": {"value": "1/2", "gradient": ["-1/4"], "hessian": [["1/4"]]}},
        ],
        "warnings": [
            "df/dx = zoo: division by zero (complex infinity) at x=0",
            "d2f/dx^2 = zoo: division by zero (complex infinity) at x=0",
        ],
    }
    assert result.stderr.splitlines() == [
        "Error: df/dx = zoo: division by zero (complex infinity) at x=0",
        "Error: d2f/dx^2 = zoo: division by zero (complex infinity) at x=0",
    ]


def test_undefined_entry_of_a_vector_function_is_named(cli):
    result = cli("x*y", "log(y)", "--at", "x=1,y=0", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["points"] == [{"at": {"x": 1, "y": 0}, "value": [0, "zoo"], "jacobian": [[0, 1], [0, "zoo"]],
                              "exact": {"value": ["0", "zoo"], "jacobian": [["0", "1"], ["0", "zoo"]]}}]
    assert doc["warnings"] == ["df2/dy = zoo: division by zero (complex infinity) at x=1, y=0"]
    assert result.stderr == (
        "Error: df2/dy = zoo: division by zero (complex infinity) at x=1, y=0\n"
    )


@pytest.mark.parametrize(
    ("formula", "point", "value", "reason"),
    [
        ("sqrt(x)", "x=-1", "0.0-0.5j", "not a real number at x=-1"),
        ("sqrt(x)", "x=-1.0", "0.0-0.5j", "not a real number at x=-1.0"),
        ("sqrt(x)", "x=-4", "0.0-0.25j", "not a real number at x=-4"),
        ("Heaviside(x)", "x=0", "nan", "undefined at x=0"),
    ],
)
def test_non_real_values_are_strings_with_warnings(cli, formula, point, value, reason):
    result = cli(formula, "--at", point, "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["points"][0]["gradient"] == [value]
    assert doc["warnings"] == [f"df/dx = {value}: {reason}"]
    assert result.stderr == f"Error: df/dx = {value}: {reason}\n"


def test_complex_value_parses_as_python_complex(cli):
    doc = json.loads(cli("asin(x)", "--at", "x=2", "--json").stdout)
    (entry,) = doc["points"][0]["gradient"]
    assert complex(entry) == pytest.approx(-1j / 3**0.5)


def test_infinite_float_value(cli):
    result = cli("x**(10**10)", "--at", "x=2.0", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["points"] == [{"at": {"x": 2.0}, "value": "inf", "gradient": ["inf"]}]
    assert doc["warnings"] == ["df/dx = inf: infinite at x=2.0"]


def test_huge_exact_value_at_a_point_is_refused_with_exit_1(cli):
    result = cli("x**(10**10)", "--at", "x=2")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: df/dx at x=2: the power (2)**(9999999999) is too large to compute exactly "
        "(limit: 10000 bits); use decimal values for a floating-point result\n"
    )


# --- internal errors and --debug ----------------------------------------------


def test_internal_error_is_one_line_and_exit_3(cli, monkeypatch):
    def boom(formulas, spec):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(symgrad.jobs, "run_job", boom)
    result = cli("x")
    assert result.exit_code == ExitCode.INTERNAL == 3
    assert result.stdout == ""
    assert result.stderr == (
        "Error: internal error (ZeroDivisionError: boom); --debug shows the traceback\n"
    )


def test_debug_lets_the_exception_through(runner, monkeypatch):
    from symgrad.cli.command import main

    def boom(formulas, spec):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(symgrad.jobs, "run_job", boom)
    result = runner.invoke(main, ["x", "--debug"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_recursion_error_is_reported_as_too_deep(cli, monkeypatch):
    def deep(formulas, spec):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(symgrad.jobs, "run_job", deep)
    assert_usage_error(cli("x"), "formula is nested too deeply")


# --- time limit (a real subprocess: SIGALRM and a genuinely slow job) ---------


def slow_formula() -> str:
    """A formula whose Hessian takes far longer than a second to compute."""
    e = "x"
    for i in range(8):
        e = f"sin({e}*y{i}+exp(z{i}*{e}))"
    return e


@pytest.mark.slow
def test_timeout_is_exit_1_with_one_error_line(tmp_path):
    exe = symgrad_script()
    assert exe is not None
    proc = subprocess.run(
        # SymPy is what is slow on this formula; symengine may finish in time
        [exe, slow_formula(), "-H", "--timeout", "0.5", "--engine", "sympy"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, env=clean_env(),
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == "Error: time limit of 0.5 s exceeded (raise it with --timeout)\n"


@pytest.mark.slow
def test_timeout_applies_per_stdin_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "symgrad", "--timeout", "0.5", "--engine", "sympy", "-"],
        input=f"x**2\n{slow_formula()}\ny**3\n",
        capture_output=True, text=True, timeout=60, cwd=tmp_path, env=clean_env(),
    )
    assert proc.returncode == 1
    assert proc.stdout == "f = x**2\ndf/dx = 2*x\n\nf = y**3\ndf/dy = 3*y**2\n"
    assert proc.stderr == (
        "Error: line 2: time limit of 0.5 s exceeded (raise it with --timeout)\n"
    )


@pytest.mark.slow
def test_reader_going_away_is_quiet(tmp_path):
    """``symgrad - | head -1``: no traceback when stdout closes early."""
    formula = "*".join(f"x{i}" for i in range(40))  # ~6 kB of text per job
    proc = subprocess.Popen(
        [sys.executable, "-m", "symgrad", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=tmp_path, env=clean_env(),
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(((formula + "\n") * 100).encode())  # ~600 kB of output in all
    proc.stdin.close()
    assert proc.stdout.readline().startswith(b"f = x0*x1*")
    proc.stdout.close()
    try:
        proc.wait(timeout=60)
    finally:
        proc.kill()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert stderr == ""
    assert proc.returncode == 141  # 128 + SIGPIPE, as for a tool the signal ended


def test_blank_formula_among_several_is_named(cli):
    result = cli("x", "  ")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: formula 2 of 2 is empty"]
