"""``--points``/``--grid`` and ``--at`` differentiate through the one job runner; ``--at`` is parsed once."""

from __future__ import annotations

import importlib

import pytest

import symgrad.evaluation.exact
import symgrad.jobs
import symgrad.parsing


@pytest.fixture
def engines(monkeypatch):
    """The engine each differentiation of the run was asked for."""
    seen: list[str] = []
    real = symgrad.jobs.differentiate

    def spy(parsed, **kwargs):
        seen.append(kwargs.get("engine", "auto"))
        return real(parsed, **kwargs)

    monkeypatch.setattr(symgrad.jobs, "differentiate", spy)
    return seen


@pytest.mark.parametrize("engine", ["sympy", "symengine"])
def test_points_honour_the_engine(cli, engines, engine):
    result = cli("x^2*y", "--points", "-", "--engine", engine, input="x,y\n1,2\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "x,y,f,df/dx,df/dy\n1,2,2.0,4.0,1.0\n"
    assert engines == [engine]


def test_grid_and_at_use_the_same_derivation(cli, engines):
    assert cli("x^2", "--grid", "x=0:1:1", "--engine", "symengine").exit_code == 0
    assert cli("x^2", "--at", "x=1", "--engine", "symengine").exit_code == 0
    assert engines == ["symengine", "symengine"]


@pytest.fixture
def value_parses(monkeypatch):
    """Texts given to parse_value; evaluate and check must not parse a point again."""
    texts: list[str] = []
    real = symgrad.parsing.parse_value

    def counted(text, name="value", real_only=True):
        texts.append(text)
        return real(text, name, real_only)

    def refused(*args, **kwargs):
        raise AssertionError("a point value was parsed a second time")

    monkeypatch.setattr(symgrad.parsing, "parse_value", counted)
    monkeypatch.setattr(symgrad.evaluation.exact, "parse_value", refused)
    # (the package's name ``check`` is the function, so import the module by name)
    monkeypatch.setattr(importlib.import_module("symgrad.analysis.check"), "parse_value", refused)
    return texts


def test_at_is_parsed_once(cli, value_parses):
    result = cli("x^2*y", "--at", "x=pi/4,y=1e-3", "--at", "x=1,y=2", "--check")
    assert result.exit_code == 0, result.stderr
    assert sorted(value_parses) == sorted(["pi/4", "1e-3", "1", "2"])


def test_at_keeps_exact_and_decimal_values(cli, value_parses):
    out = cli("x^2*y", "--at", "x=1/3,y=3", "--at", "x=0.5,y=2").stdout
    assert "df/dx(x=1/3,y=3) = 2\n" in out
    assert "df/dy(x=1/3,y=3) = 1/9\n" in out
    assert "df/dx(x=0.5,y=2) = 2.0\n" in out


def test_fixed_at_values_with_points_are_parsed_once(cli, value_parses):
    result = cli("a*x^2", "--wrt", "x", "--points", "-", "--at", "a=1/2", input="x\n2\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "x,f,df/dx\n2,2.0,2.0\n"
    assert value_parses == ["1/2"]


def test_a_problem_names_a_decimal_point_as_given(cli):
    result = cli("1/x", "--at", "x=0.0")
    assert result.exit_code == 1
    assert result.stderr == "Error: df/dx = zoo: division by zero (complex infinity) at x=0.0\n"


def test_library_errors_do_not_name_cli_options():
    import symgrad

    with pytest.raises(symgrad.VariableError) as caught:
        symgrad.jobs.run_job(["x**2"], symgrad.jobs.JobSpec(points=({"q": 1},)))
    assert "--at" not in str(caught.value)
    assert caught.value.input == "point"
