"""Stdin mode: one job per line (``-``, or no EXPR with stdin not a terminal)."""

from __future__ import annotations

import json

import pytest

X2 = "f = x**2\ndf/dx = 2*x\n"
XY = "f = x*y\ndf/dx = y\ndf/dy = x\n"


def json_lines(text: str) -> list[dict]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("args", [["-"], []])
def test_one_job_per_line(cli, args):
    result = cli(*args, input="x**2\nx*y\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    # text jobs are separated by one blank line
    assert result.stdout == X2 + "\n" + XY


def test_last_line_without_newline(cli):
    result = cli("-", input="x**2\nx*y")
    assert result.exit_code == 0
    assert result.stdout == X2 + "\n" + XY


def test_json_lines(cli):
    result = cli("--json", "-", "--at", "x=2,y=3", input="x**2*y\nx+y\n")
    assert result.exit_code == 0, result.stderr
    assert json_lines(result.stdout) == [
        {
            "expressions": ["x**2*y"],
            "variables": ["x", "y"],
            "gradient": ["2*x*y", "x**2"],
            "points": [{"at": {"x": 2, "y": 3}, "value": 12, "gradient": [12, 4],
                        "exact": {"value": "12", "gradient": ["12", "4"]}}],
        },
        {
            "expressions": ["x + y"],
            "variables": ["x", "y"],
            "gradient": ["1", "1"],
            "points": [{"at": {"x": 2, "y": 3}, "value": 5, "gradient": [1, 1],
                        "exact": {"value": "5", "gradient": ["1", "1"]}}],
        },
    ]


def test_options_apply_to_every_line(cli):
    result = cli("-H", "--wrt", "y,x", "--json", input="x**2*y\nx*y\n")
    assert result.exit_code == 0, result.stderr
    docs = json_lines(result.stdout)
    assert [d["variables"] for d in docs] == [["y", "x"], ["y", "x"]]
    assert [d["hessian"] for d in docs] == [
        [["0", "2*x"], ["2*x", "2*y"]],
        [["0", "1"], ["1", "0"]],
    ]


def test_blank_lines_and_comments_are_skipped(cli):
    text = "\n# a comment\nx**2\n   \n  # indented comment\n\t\nx*y\n\n"
    result = cli("-", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == X2 + "\n" + XY


def test_crlf_line_endings(cli):
    result = cli("--json", "-", input="x**2\r\nx*y\r\n")
    assert result.exit_code == 0, result.stderr
    assert [d["expressions"] for d in json_lines(result.stdout)] == [["x**2"], ["x*y"]]


def test_semicolon_separates_the_formulas_of_a_vector_function(cli):
    result = cli("--json", "-", "--at", "x=1,y=2", input="x*y; x+y\nx*y;x**2 ;y\n")
    assert result.exit_code == 0, result.stderr
    assert json_lines(result.stdout) == [
        {
            "expressions": ["x*y", "x + y"],
            "variables": ["x", "y"],
            "jacobian": [["y", "x"], ["1", "1"]],
            "points": [{"at": {"x": 1, "y": 2}, "value": [2, 3], "jacobian": [[2, 1], [1, 1]],
                        "exact": {"value": ["2", "3"], "jacobian": [["2", "1"], ["1", "1"]]}}],
        },
        {
            "expressions": ["x*y", "x**2", "y"],
            "variables": ["x", "y"],
            "jacobian": [["y", "x"], ["2*x", "0"], ["0", "1"]],
            "points": [{"at": {"x": 1, "y": 2}, "value": [2, 1, 2], "jacobian": [[2, 1], [2, 0], [0, 1]],
                        "exact": {"value": ["2", "1", "2"], "jacobian": [["2", "1"], ["2", "0"], ["0", "1"]]}}],
        },
    ]


def test_a_semicolon_inside_brackets_does_not_separate_formulas(cli):
    """LaTeX's hypergeometric function writes ``;`` between its argument lists."""
    result = cli("--json", "-", "--from", "latex", "--wrt", "z",
                 input="{}_{2}F_{1}(a, b; c; z) \\; + z; z^2\n")
    assert result.exit_code == 0, result.stderr
    (doc,) = json_lines(result.stdout)
    assert doc["expressions"] == ["z + hyper((a, b), (c,), z)", "z**2"]


def test_point_naming_a_symbol_a_line_lacks_fails_that_line(cli):
    result = cli("--json", "-", "--at", "x=1,y=2", input="x*y; x+y\nx**2\n")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: line 2: --at: unknown variable 'y' (the formula's symbols: x)\n"
    )


def test_bad_line_is_reported_with_its_number_and_skipped(cli):
    text = "x**2\n# comment\n\nfoo(x)\nx*y\nx+\n"
    result = cli("-", input=text)
    assert result.exit_code == 2
    assert result.stdout == X2 + "\n" + XY
    assert result.stderr.splitlines() == [
        "Error: line 4: unknown function 'foo'",
        "  foo(x)",
        "  ^",
        "Error: line 6: unexpected end of formula",
        "  x+",
        "    ^",
    ]
    assert "Traceback" not in result.stderr


def test_bad_line_in_json_mode(cli):
    result = cli("--json", "-", input="x**2\nx**2+*y\nx*y\n")
    assert result.exit_code == 2
    assert [d["expressions"] for d in json_lines(result.stdout)] == [["x**2"], ["x*y"]]
    assert result.stderr.splitlines() == [
        "Error: line 2: unexpected '*'",
        "  x**2+*y",
        "       ^",
    ]


def test_exit_1_when_only_the_mathematics_failed(cli):
    result = cli("--json", "-", "--at", "x=0", input="x**2\n1/x\nx**3\n")
    assert result.exit_code == 1
    docs = json_lines(result.stdout)
    assert [d["points"] for d in docs] == [
        [{"at": {"x": 0}, "value": 0, "gradient": [0], "exact": {"value": "0", "gradient": ["0"]}}],
        [{"at": {"x": 0}, "value": "zoo", "gradient": ["zoo"], "exact": {"value": "zoo", "gradient": ["zoo"]}}],
        [{"at": {"x": 0}, "value": 0, "gradient": [0], "exact": {"value": "0", "gradient": ["0"]}}],
    ]
    assert docs[1]["warnings"] == ["df/dx = zoo: division by zero (complex infinity) at x=0"]
    assert "warnings" not in docs[0]
    assert result.stderr == (
        "Error: line 2: df/dx = zoo: division by zero (complex infinity) at x=0\n"
    )


def test_exit_2_wins_over_exit_1(cli):
    result = cli("-", "--at", "x=0", input="1/x\nsin(\nx\n")
    assert result.exit_code == 2
    assert result.stdout == (
        "f = 1/x\ndf/dx = -1/x**2\nf(x=0) = zoo\ndf/dx(x=0) = zoo\n\nf = x\ndf/dx = 1\nf(x=0) = 0\ndf/dx(x=0) = 1\n"
    )
    assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] == [
        "Error: line 1: df/dx = zoo: division by zero (complex infinity) at x=0",
        "Error: line 2: unexpected end of formula",
    ]


def test_every_line_bad(cli):
    result = cli("-", input="foo(x)\nbar(y)\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] == [
        "Error: line 1: unknown function 'foo'",
        "Error: line 2: unknown function 'bar'",
    ]


def test_empty_stdin_without_expr_is_a_usage_error(cli):
    result = cli(input="")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "Error: missing EXPR, and no formula on stdin"


def test_only_comments_without_expr_is_a_usage_error(cli):
    result = cli(input="# nothing\n\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "Error: missing EXPR, and no formula on stdin"


@pytest.mark.parametrize("text", ["", "\n\n# only a comment\n"])
def test_empty_stdin_with_explicit_dash_is_fine(cli, text):
    result = cli("-", input=text)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == ""


def test_dash_must_be_the_only_expr(cli):
    result = cli("x", "-", input="x**2\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "Error: '-' (read stdin) must be the only EXPR"


def test_expr_given_ignores_stdin(cli):
    result = cli("x**2", input="x*y\n")
    assert result.exit_code == 0
    assert result.stdout == X2


def test_stdin_pretty_jobs(cli):
    result = cli("-", "-f", "pretty", input="x**2\ny**2\n", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert result.stdout == (
        "        2\n"
        "f(x) = x \n"
        "variables x\n"
        "\n"
        "∇f = [2⋅x]\n"
        "\n"
        "        2\n"
        "f(y) = y \n"
        "variables y\n"
        "\n"
        "∇f = [2⋅y]\n"
    )


@pytest.mark.parametrize(("line", "message"), [
    ("x**2;", "Error: line 2: formula 2 of 2 is empty"),
    (";x", "Error: line 2: formula 1 of 2 is empty"),
    ("x; ;y", "Error: line 2: formula 2 of 3 is empty"),
])
def test_empty_part_of_a_vector_line_is_named_without_a_blank_caret(cli, line, message):
    result = cli("-", input=f"x\n{line}\ny\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout.count("df/d") == 2  # the good lines still ran


def test_code_formats_number_each_lines_functions(cli):
    # functions of different lines must not clash when pasted into one file
    result = cli("-f", "python", "-H", "-", input="x**2*y\n\n# a comment\nsin(x)\n")
    assert result.exit_code == 0, result.stderr
    namespace: dict = {}
    exec(result.stdout, namespace)  # noqa: S102 - our own generated code
    assert namespace["grad_f_1"](2.0, 3.0) == [12.0, 4.0]
    assert namespace["hess_f_1"](2.0, 3.0) == [[6.0, 4.0], [4.0, 0.0]]
    assert namespace["grad_f_4"](0.0) == [1.0]  # the line number, blank and comment lines counted
    assert not any(name in namespace for name in ("grad_f", "grad_f_2", "grad_f_3"))


def test_code_formats_number_a_named_function_too(cli):
    result = cli("-f", "c", "--name", "energy", "-", input="x*y\nx+y\n")
    assert result.exit_code == 0, result.stderr
    signatures = [line for line in result.stdout.splitlines() if line.startswith("void ")]
    assert signatures == [
        "void grad_energy_1(double x, double y, double *out)",
        "void grad_energy_2(double x, double y, double *out)",
    ]


def test_one_shot_code_keeps_the_plain_name(cli):
    result = cli("-f", "python", "x*y")
    assert result.exit_code == 0, result.stderr
    assert "def grad_f(x, y):" in result.stdout
