"""Behaviour of the ``symgrad`` command (in-process, through click's runner)."""

from __future__ import annotations

import json
import math
import re
import shlex
import subprocess
import sys
from importlib.metadata import version

import pytest
import sympy as sp

import symgrad
from symgrad.cli.command import main

ANSI = re.compile(r"\x1b\[([0-9;]*)m")


def ok(result):
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def doc_of(result):
    return json.loads(ok(result))


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def colour_codes(text: str) -> list[str]:
    """SGR parameters that set a colour (30-38, 40-48, 90-97, 100-107)."""
    found = []
    for params in ANSI.findall(text):
        for p in params.split(";"):
            if p and (30 <= int(p) <= 48 or 90 <= int(p) <= 107):
                found.append(p)
    return found


# --- JSON schema -----------------------------------------------------------


def test_json_main_example_matches_spec(cli):
    doc = doc_of(cli("x**2+y*z", "--at", "x=1,y=2,z=3", "--json"))
    assert doc == {
        "expressions": ["x**2 + y*z"],
        "variables": ["x", "y", "z"],
        "gradient": ["2*x", "z", "y"],
        "points": [{"at": {"x": 1, "y": 2, "z": 3}, "value": 7, "gradient": [2, 3, 2],
                    "exact": {"value": "7", "gradient": ["2", "3", "2"]}}],
    }
    assert list(doc) == ["expressions", "variables", "gradient", "points"]


def test_json_hessian_matches_spec(cli):
    doc = doc_of(cli("x**2+y*z", "--at", "x=1,y=2,z=3", "--hessian", "--json"))
    assert doc == {
        "expressions": ["x**2 + y*z"],
        "variables": ["x", "y", "z"],
        "gradient": ["2*x", "z", "y"],
        "hessian": [["2", "0", "0"], ["0", "0", "1"], ["0", "1", "0"]],
        "points": [
            {
                "at": {"x": 1, "y": 2, "z": 3},
                "value": 7,
                "gradient": [2, 3, 2],
                "hessian": [[2, 0, 0], [0, 0, 1], [0, 1, 0]],
                "exact": {"value": "7", "gradient": ["2", "3", "2"],
                          "hessian": [["2", "0", "0"], ["0", "0", "1"], ["0", "1", "0"]]},
            }
        ],
    }


def test_json_without_point_has_empty_points(cli):
    assert doc_of(cli("x*y", "--json")) == {
        "expressions": ["x*y"],
        "variables": ["x", "y"],
        "gradient": ["y", "x"],
        "points": [],
    }


def test_several_expr_give_jacobian_m_by_n_and_no_gradient(cli):
    doc = doc_of(cli("x*y", "x+y", "x**2", "--at", "x=3,y=2", "--json"))
    assert doc == {
        "expressions": ["x*y", "x + y", "x**2"],
        "variables": ["x", "y"],
        "jacobian": [["y", "x"], ["1", "1"], ["2*x", "0"]],
        "points": [{"at": {"x": 3, "y": 2}, "value": [6, 5, 9], "jacobian": [[2, 3], [1, 1], [6, 0]],
                    "exact": {"value": ["6", "5", "9"], "jacobian": [["2", "3"], ["1", "1"], ["6", "0"]]}}],
    }


def test_vector_hessian_is_a_list_of_n_by_n_hessians(cli):
    doc = doc_of(cli("x*y", "x+y", "x**2*y", "-H", "--at", "x=3,y=2", "--json"))
    assert set(doc) == {"expressions", "variables", "jacobian", "hessian", "points"}
    assert doc["hessian"] == [
        [["0", "1"], ["1", "0"]],
        [["0", "0"], ["0", "0"]],
        [["2*y", "2*x"], ["2*x", "0"]],
    ]
    assert doc["points"] == [
        {
            "at": {"x": 3, "y": 2},
            "value": [6, 5, 18],
            "jacobian": [[2, 3], [1, 1], [12, 9]],
            "hessian": [[[0, 1], [1, 0]], [[0, 0], [0, 0]], [[4, 6], [6, 0]]],
            "exact": {
                "value": ["6", "5", "18"],
                "jacobian": [["2", "3"], ["1", "1"], ["12", "9"]],
                "hessian": [[["0", "1"], ["1", "0"]], [["0", "0"], ["0", "0"]], [["4", "6"], ["6", "0"]]],
            },
        }
    ]


def test_wrt_reorders_and_makes_other_symbols_parameters(cli):
    doc = doc_of(cli("x**2*y*z", "--wrt", "z,x", "--at", "x=1,y=2,z=3", "-H", "--json"))
    assert doc == {
        "expressions": ["x**2*y*z"],
        "variables": ["z", "x"],
        "gradient": ["x**2*y", "2*x*y*z"],
        "hessian": [["0", "2*x*y"], ["2*x*y", "2*y*z"]],
        # the point lists variables first, in --wrt order, then parameters
        "points": [
            {"at": {"z": 3, "x": 1, "y": 2}, "value": 6, "gradient": [2, 12], "hessian": [[0, 4], [4, 12]],
             "exact": {"value": "6", "gradient": ["2", "12"], "hessian": [["0", "4"], ["4", "12"]]}}
        ],
    }


def test_wrt_parameters_named_in_pretty_header(cli):
    out = ok(cli("x**2*y*z", "--wrt", "z,x", "-f", "pretty", env={"COLUMNS": "80"}))
    assert out.splitlines()[2] == "variables z, x   parameters y"


def test_parameters_need_values(cli):
    result = cli("a*x", "--wrt", "x", "--at", "x=1")
    assert result.exit_code == 2
    assert result.stderr == "Error: --at: no value for a\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # constant derivatives are broadcast to the full shape, never a scalar
        (
            ["x+y", "-H", "--at", "x=1,y=2"],
            {"gradient": ["1", "1"], "hessian": [["0", "0"], ["0", "0"]],
             "points": [{"at": {"x": 1, "y": 2}, "value": 3, "gradient": [1, 1], "hessian": [[0, 0], [0, 0]],
                         "exact": {"value": "3", "gradient": ["1", "1"], "hessian": [["0", "0"], ["0", "0"]]}}]},
        ),
        (
            ["5", "--wrt", "x,y", "-H", "--at", "x=1,y=2"],
            {"gradient": ["0", "0"], "hessian": [["0", "0"], ["0", "0"]],
             "points": [{"at": {"x": 1, "y": 2}, "value": 5, "gradient": [0, 0], "hessian": [[0, 0], [0, 0]],
                         "exact": {"value": "5", "gradient": ["0", "0"], "hessian": [["0", "0"], ["0", "0"]]}}]},
        ),
        (
            ["3", "x", "--wrt", "x,y", "-H", "--at", "x=1,y=1"],
            {"jacobian": [["0", "0"], ["1", "0"]],
             "hessian": [[["0", "0"], ["0", "0"]], [["0", "0"], ["0", "0"]]],
             "points": [{"at": {"x": 1, "y": 1}, "value": [3, 1], "jacobian": [[0, 0], [1, 0]],
                         "hessian": [[[0, 0], [0, 0]], [[0, 0], [0, 0]]],
                         "exact": {"value": ["3", "1"], "jacobian": [["0", "0"], ["1", "0"]],
                                   "hessian": [[["0", "0"], ["0", "0"]], [["0", "0"], ["0", "0"]]]}}]},
        ),
        (
            ["x", "--at", "x=7"],
            {"gradient": ["1"], "points": [{"at": {"x": 7}, "value": 7, "gradient": [1],
                                            "exact": {"value": "7", "gradient": ["1"]}}]},
        ),
    ],
)
def test_arrays_have_full_shape(cli, args, expected):
    doc = doc_of(cli(*args, "--json"))
    for key, value in expected.items():
        assert doc[key] == value


def test_several_points_in_order(cli):
    doc = doc_of(cli("x**3", "--at", "x=2", "--at", "x=-1", "--at", "x=0", "--json"))
    assert doc["points"] == [
        {"at": {"x": 2}, "value": 8, "gradient": [12], "exact": {"value": "8", "gradient": ["12"]}},
        {"at": {"x": -1}, "value": -1, "gradient": [3], "exact": {"value": "-1", "gradient": ["3"]}},
        {"at": {"x": 0}, "value": 0, "gradient": [0], "exact": {"value": "0", "gradient": ["0"]}},
    ]


# --- exact and decimal values ----------------------------------------------


def test_exact_inputs_give_exact_results(cli):
    out = ok(cli("sin(x)*y", "--at", "x=pi/4,y=2"))
    assert out.splitlines()[-2:] == [
        "df/dx(x=pi/4,y=2) = sqrt(2)",
        "df/dy(x=pi/4,y=2) = sqrt(2)/2",
    ]
    doc = doc_of(cli("sin(x)*y", "--at", "x=pi/4,y=2", "--json"))
    assert doc["points"] == [
        {"at": {"x": math.pi / 4, "y": 2}, "value": math.sqrt(2), "gradient": [math.sqrt(2), math.sqrt(2) / 2],
         "exact": {"value": "sqrt(2)", "gradient": ["sqrt(2)", "sqrt(2)/2"]}}
    ]
    assert type(doc["points"][0]["at"]["y"]) is int


def test_exact_rationals_stay_exact(cli):
    out = ok(cli("x**2", "--at", "x=1/3"))
    assert out.splitlines()[-1] == "df/dx(x=1/3) = 2/3"
    out = ok(cli("x**3", "--at", "x=sqrt(2)"))
    assert out.splitlines()[-1] == "df/dx(x=sqrt(2)) = 6"


def test_exact_integers_are_json_integers(cli):
    doc = doc_of(cli("x**2*y", "--at", "x=3,y=2", "--json"))
    assert doc["points"][0]["gradient"] == [12, 9]
    assert [type(v) for v in doc["points"][0]["gradient"]] == [int, int]


def test_decimal_inputs_give_floats(cli):
    doc = doc_of(cli("x**2*y", "--at", "x=3.0,y=2", "--json"))
    gradient = doc["points"][0]["gradient"]
    assert gradient == [12.0, 9.0]
    assert [type(v) for v in gradient] == [float, float]
    out = ok(cli("x**2*y", "--at", "x=3.0,y=2"))
    assert out.splitlines()[-2:] == ["df/dx(x=3.0,y=2) = 12.0", "df/dy(x=3.0,y=2) = 9.0"]


def test_scientific_decimal_input(cli):
    doc = doc_of(cli("x**2", "--at", "x=1e-3", "--json"))
    assert doc["points"] == [{"at": {"x": 0.001}, "value": 1e-06, "gradient": [0.002]}]  # no "exact": floats


# --- format selection --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "latex"])
def test_format_shortcuts(cli, fmt):
    args = ["x**2+y*z", "--at", "x=1,y=2,z=3"]
    assert ok(cli(*args, f"--{fmt}")) == ok(cli(*args, "--format", fmt))
    assert ok(cli(*args, f"--{fmt}")) == ok(cli(*args, "-f", fmt))


def test_latex_is_an_align_block(cli):
    out = ok(cli("x**2*y", "--latex"))
    assert out == (
        "\\begin{align*}\n"
        "f(x, y) &= x^{2} y \\\\\n"
        "\\nabla f &= \\begin{bmatrix} 2 x y \\\\ x^{2} \\end{bmatrix}\n"
        "\\end{align*}\n"
    )


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--latex", "--json"], "json and latex"),
        (["--json", "-f", "text"], "json and text"),
        (["--latex", "--format", "pretty"], "latex and pretty"),
        (["--json", "--latex", "-f", "json"], "json and latex"),
    ],
)
def test_conflicting_format_flags_are_a_usage_error(cli, flags, named):
    result = cli("x**2", *flags)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: choose one output format, not {named}\n"


def test_same_format_twice_is_fine(cli):
    assert ok(cli("x**2", "--json", "-f", "json")) == ok(cli("x**2", "--json"))


def test_unknown_format_is_a_usage_error(cli):
    result = cli("x**2", "-f", "yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(
        "Error: Invalid value for '-f' / '--format': 'yaml' is not one of 'auto', "
    )


def test_default_format_is_text_when_piped(cli):
    args = ["x**2+y*z", "--at", "x=1,y=2,z=3"]
    out = ok(cli(*args))
    assert out == ok(cli(*args, "-f", "text"))
    assert out.splitlines()[0] == "f = x**2 + y*z"


@pytest.mark.parametrize(
    "env", [{"TTY_COMPATIBLE": "1"}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": "1", "TERM": "dumb"}]
)
def test_default_format_is_pretty_on_a_terminal(cli, env):
    args = ["x**2+y*z", "--at", "x=1,y=2,z=3"]
    pretty = ok(cli(*args, "-f", "pretty", env={"COLUMNS": "80"}))
    out = ok(cli(*args, env={"COLUMNS": "80", **env}))
    assert strip_ansi(out) == pretty


def test_tty_compatible_0_wins_over_force_color(cli):
    out = ok(cli("x*y", env={"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}))
    assert out == "f = x*y\ndf/dx = y\ndf/dy = x\n"


def test_terminal_output_is_coloured(cli):
    out = ok(cli("x*y", "--at", "x=1,y=2", env={"FORCE_COLOR": "1", "COLUMNS": "80"}))
    assert colour_codes(out) != []


@pytest.mark.parametrize("force", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}])
def test_no_color_is_honoured(cli, force):
    """Rich with NO_COLOR drops colours but keeps bold/dim (that is what it does)."""
    env = {"NO_COLOR": "1", "COLUMNS": "80", **force}
    out = ok(cli("x*y", "--at", "x=1,y=2", env=env))
    assert colour_codes(out) == []
    assert set(ANSI.findall(out)) <= {"0", "1", "2", "22", ""}  # only bold, dim, reset
    plain = ok(cli("x*y", "--at", "x=1,y=2", "-f", "pretty", env={"COLUMNS": "80"}))
    assert strip_ansi(out) == plain


def test_pretty_not_on_terminal_has_no_escape_codes(cli):
    out = ok(cli("sin(x)*y", "--at", "x=pi/4,y=2", "-H", "-f", "pretty", env={"COLUMNS": "80"}))
    assert ANSI.findall(out) == []
    assert "\x1b" not in out


def test_pretty_names_the_constants(cli):
    out = ok(cli("E*x+pi", "-f", "pretty", env={"COLUMNS": "200"}))
    assert out.splitlines()[:3] == [
        "f(x) = ℯ⋅x + π",
        "variables x",
        "constants: E is Euler's number e = 2.71828…; pi is π = 3.14159… "
        "(--symbols E,pi makes them variables)",
    ]


# --- formulas that begin with "-" and short options ------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-x**2+y"], "f = -x**2 + y\ndf/dx = -2*x\ndf/dy = 1\n"),
        (["-x"], "f = -x\ndf/dx = -1\n"),
        (["-a*x", "--wrt", "x"], "f = -a*x\ndf/dx = -a\n"),
        (["-2*x"], "f = -2*x\ndf/dx = -2\n"),
        (["-(x+1)**2"], "f = -(x + 1)**2\ndf/dx = -2*x - 2\n"),
        (["--", "-x"], "f = -x\ndf/dx = -1\n"),
        (["--wrt", "x", "--", "-a*x"], "f = -a*x\ndf/dx = -a\n"),
    ],
)
def test_expr_beginning_with_minus(cli, args, expected):
    assert ok(cli(*args)) == expected


def test_expr_beginning_with_minus_in_a_vector(cli):
    doc = doc_of(cli("-x*y", "-x-y", "--json"))
    assert doc["expressions"] == ["-x*y", "-x - y"]
    assert doc["jacobian"] == [["-y", "-x"], ["-1", "-1"]]


def test_short_options_still_work_beside_minus_formulas(cli):
    doc = doc_of(cli("-H", "-x**2+y", "-ax=1,y=2", "--json"))
    assert doc == {
        "expressions": ["-x**2 + y"],
        "variables": ["x", "y"],
        "gradient": ["-2*x", "1"],
        "hessian": [["-2", "0"], ["0", "0"]],
        "points": [{"at": {"x": 1, "y": 2}, "value": 1, "gradient": [-2, 1], "hessian": [[-2, 0], [0, 0]],
                    "exact": {"value": "1", "gradient": ["-2", "1"], "hessian": [["-2", "0"], ["0", "0"]]}}],
    }


def test_attached_short_option_values(cli):
    doc = doc_of(cli("-wy,x", "-x*y*z", "-ax=1,y=2,z=3", "-fjson"))
    assert doc["variables"] == ["y", "x"]
    assert doc["gradient"] == ["-x*z", "-y*z"]
    assert doc["points"] == [{"at": {"y": 2, "x": 1, "z": 3}, "value": -6, "gradient": [-3, -6],
                              "exact": {"value": "-6", "gradient": ["-3", "-6"]}}]


def test_option_values_may_begin_with_minus(cli):
    doc = doc_of(cli("-x**3", "-a", "x=-2", "--at", "x=-1/2", "--json"))
    assert doc["points"] == [
        {"at": {"x": -2}, "value": 8, "gradient": [-12], "exact": {"value": "8", "gradient": ["-12"]}},
        {"at": {"x": -0.5}, "value": 0.125, "gradient": [-0.75],
         "exact": {"value": "1/8", "gradient": ["-3/4"]}},
    ]


# --- names -----------------------------------------------------------------


def test_E_is_a_constant_by_default(cli):
    doc = doc_of(cli("E*x", "--at", "x=1", "--json"))
    assert doc["variables"] == ["x"]
    assert doc["gradient"] == ["E"]
    assert doc["points"] == [{"at": {"x": 1}, "value": math.e, "gradient": [math.e],
                              "exact": {"value": "E", "gradient": ["E"]}}]


def test_symbols_makes_E_a_variable(cli):
    doc = doc_of(cli("E*x", "--symbols", "E", "--at", "E=2,x=5", "--json"))
    assert doc == {
        "expressions": ["Symbol('E')*x"],  # plain "E" would read back as Euler's number
        "variables": ["E", "x"],
        "gradient": ["x", "Symbol('E')"],
        "points": [{"at": {"E": 2, "x": 5}, "value": 10, "gradient": [5, 2],
                    "exact": {"value": "10", "gradient": ["5", "2"]}}],
    }


def test_complex_variables(cli):
    real = doc_of(cli("sqrt(x**2)", "--json"))
    assert (real["expressions"], real["gradient"]) == (["Abs(x)"], ["sign(x)"])
    cplx = doc_of(cli("sqrt(x**2)", "--complex", "--json"))
    assert (cplx["expressions"], cplx["gradient"]) == (["sqrt(x**2)"], ["sqrt(x**2)/x"])


# --- version, help, python -m ------------------------------------------------


def test_version(cli):
    assert ok(cli("--version")) == f"symgrad, version {version('symgrad')}\n"


def test_help_lists_every_option_and_the_examples(cli):
    out = ok(cli("--help"))
    assert out.startswith("Usage: symgrad [OPTIONS] EXPR...\n")
    for param in main.params:
        for opt in param.opts + param.secondary_opts:
            if opt.startswith("-"):
                assert re.search(rf"(^|[ ,]){re.escape(opt)}([ ,]|$)", out, re.M), opt
    assert ok(cli("-h")) == out
    examples = [line.strip() for line in out.splitlines() if line.strip().startswith("symgrad ")]
    assert len(examples) >= 6
    assert 'symgrad "x**2+y*z" --at x=1,y=2,z=3' in out
    assert "Exit codes:" in out


@pytest.mark.slow
def test_help_examples_run(cli):
    """Every ``symgrad ...`` example in --help works as shown."""
    out = ok(cli("--help"))
    ran = 0
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("symgrad "):
            continue
        command = re.split(r"\s{2,}", line)[0].split(" | ")[0]
        args = shlex.split(command)[1:]
        if args[-1:] == ["-"]:
            result = cli(*args, input="x**2\nx*y\n")
        else:
            result = cli(*args)
        assert result.exit_code == 0, (command, result.stderr)
        assert result.stdout != ""
        ran += 1
    assert ran >= 6


def test_python_dash_m(cli):
    proc = subprocess.run(
        [sys.executable, "-m", "symgrad", "x**2+y*z", "--at", "x=1,y=2,z=3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == ok(cli("x**2+y*z", "--at", "x=1,y=2,z=3"))


# --- round trips and text layout -----------------------------------------------

ROUND_TRIP = [
    "x**2+y*z",
    "(1-x)**2 + 100*(y-x**2)**2",
    "sin(x)*y",
    "x**x",
    "Abs(x)*y",
    "sqrt(x**2+y**2)",
    "exp(-x**2/2)/sqrt(2*pi)",
    "log10(x)*atan2(y, x)",
    "gamma(x)*erf(y)",
    "Max(x, y)**2",
    "0.5*x**2 + 1e-3*y",
    "x**(1/3)*y",
    "E**x + I*y",
    "1/(x - y)",
]


@pytest.mark.parametrize("formula", ROUND_TRIP)
def test_json_symbolic_entries_parse_back(cli, formula):
    doc = doc_of(cli(formula, "-H", "--json"))
    local = {name: sp.Symbol(name, real=True) for name in doc["variables"]}

    def back(text):
        return sp.parse_expr(text, local_dict=local)

    want = symgrad.hessian(formula)
    assert [back(s) for s in doc["expressions"]] == list(want.exprs)
    assert [back(s) for s in doc["gradient"]] == list(want.gradient)
    assert [[back(s) for s in row] for row in doc["hessian"]] == [list(r) for r in want.hessian]
    # and they are the derivatives of the expression, computed independently
    f = back(doc["expressions"][0])
    variables = [local[n] for n in doc["variables"]]
    for text, v in zip(doc["gradient"], variables):
        assert sp.simplify(back(text) - sp.diff(f, v)) == 0


def test_json_vector_entries_parse_back(cli):
    doc = doc_of(cli("x*y", "exp(x)*sin(y)", "-H", "--json"))
    local = {name: sp.Symbol(name, real=True) for name in doc["variables"]}
    x, y = local["x"], local["y"]
    fs = [x * y, sp.exp(x) * sp.sin(y)]
    assert [[sp.parse_expr(s, local_dict=local) for s in row] for row in doc["jacobian"]] == [
        [sp.diff(f, v) for v in (x, y)] for f in fs
    ]
    assert [
        [[sp.parse_expr(s, local_dict=local) for s in row] for row in h] for h in doc["hessian"]
    ] == [[[sp.diff(f, a, b) for b in (x, y)] for a in (x, y)] for f in fs]


def test_text_format_is_one_name_value_per_line(cli):
    out = ok(cli("x**2+y*z", "-H", "--at", "x=1,y=2,z=3", "--at", "x=0.5,y=0,z=-1"))
    lines = out.splitlines()
    pairs = [line.split(" = ") for line in lines]
    assert all(len(p) == 2 and " " not in p[0] and p[1] for p in pairs), lines
    keys = [p[0] for p in pairs]
    second = ["d2f/dx^2", "d2f/dxdy", "d2f/dxdz", "d2f/dy^2", "d2f/dydz", "d2f/dz^2"]
    at1, at2 = "(x=1,y=2,z=3)", "(x=0.5,y=0,z=-1)"
    first = ["df/dx", "df/dy", "df/dz"]
    assert keys == (
        ["f", *first, *second]
        + [k + at1 for k in ["f", *first, *second]]
        + [k + at2 for k in ["f", *first, *second]]
    )
    values = dict(pairs)
    assert values["f" + at1] == "7"
    assert values["f" + at2] == "0.25"
    assert values["df/dx" + at1] == "2"
    assert values["df/dx" + at2] == "1.0"
    assert values["df/dz" + at2] == "0.0"
    assert values["d2f/dydz" + at2] == "1.0"
    assert out.endswith("\n") and not out.endswith("\n\n")


def test_dash_h_is_help_not_a_formula(cli):
    out = ok(cli("-h"))
    assert out == ok(cli("--help"))
    assert out.startswith("Usage: symgrad [OPTIONS] EXPR...\n")
    assert ok(cli("-H", "-h")) == out
    # a formula that merely starts with -h is still a formula
    assert ok(cli("-h*x")) == "f = -h*x\ndf/dh = -x\ndf/dx = -h\n"
