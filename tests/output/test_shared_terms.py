"""``--shared-terms``: text and JSON name the big subexpressions the entries share.

The named form must mean the same derivatives: every entry, with the names'
values put back, is compared at random points (mpmath, 30 digits) with the
same entry printed without the option; names never collide with the
formula's own symbols; the option is refused where it does not apply.
"""

from __future__ import annotations

import json
import random

import mpmath as mp
import pytest
import sympy as sp

from symgrad.parsing import parse_expression


def log_sum_exp(n: int) -> str:
    return "log(" + " + ".join(f"exp(x{i})" for i in range(1, n + 1)) + ")"


FORMULAS = [
    log_sum_exp(6),
    "exp(-((x - a)**2 + (y - b)**2)/(2*s**2))/(2*pi*s**2)",  # a Gaussian: its exponential is shared
    "sqrt(x**2 + y**2 + z**2) + 1/sqrt(x**2 + y**2 + z**2)",
    "t0*log(1 + exp(t0*x + t1*y))",  # the names t0, t1 are the formula's own
]


def read(text: str, names: dict[str, sp.Expr]) -> sp.Expr:
    """A printed entry read back (symgrad's own safe parser), the named terms put back."""
    expr = parse_expression(text, real=True)
    values: dict[sp.Symbol, sp.Expr] = {}
    for name, value in names.items():
        values[sp.Symbol(name, real=True)] = value
    return expr.xreplace(values)


def same_value(a: sp.Expr, b: sp.Expr, symbols: set[sp.Symbol]) -> bool:
    rng = random.Random(4)
    for _ in range(4):
        point = {s: sp.Rational(rng.randint(5, 40), 17) for s in symbols}
        with mp.workdps(30):
            va, vb = complex(sp.N(a.subs(point), 30)), complex(sp.N(b.subs(point), 30))
        if abs(va - vb) > 1e-20 * max(1.0, abs(vb)):
            return False
    return True


def text_entries(out: str) -> dict[str, str]:
    return dict(line.split(" = ", 1) for line in out.splitlines())


@pytest.mark.parametrize("formula", FORMULAS)
def test_text_with_names_means_the_same_derivatives(cli, formula):
    plain = cli(formula, "-H", "-f", "text")
    named = cli(formula, "-H", "-f", "text", "--shared-terms")
    assert plain.exit_code == named.exit_code == 0, named.stderr
    want, got = text_entries(plain.stdout), text_entries(named.stdout)
    temps = [k for k in got if k not in want]
    assert [k for k in got if k in want] == list(want)  # the same entries, in the same order
    values: dict[str, sp.Expr] = {}
    for t in temps:  # each name is defined before it is used, from the earlier ones
        values[t] = read(got[t], values)
    for key, text in want.items():
        if key == "f":
            assert got[key] == text
            continue
        mine = read(got[key], values)
        theirs = parse_expression(text, real=True)
        assert same_value(mine, theirs, theirs.free_symbols | mine.free_symbols), key


def test_a_dense_hessian_names_its_sum_once(cli):
    named = cli(log_sum_exp(6), "-H", "-f", "text", "--shared-terms").stdout
    lines = named.splitlines()
    assert lines[1].startswith("t0 = exp(")
    whole_sum = lines[1].split(" = ", 1)[1]
    assert sum(line.count(whole_sum) for line in lines[1:]) == 1
    assert len(named) < len(cli(log_sum_exp(6), "-H", "-f", "text").stdout) / 2


def test_the_names_avoid_the_formulas_symbols(cli):
    out = cli("t0*log(1 + exp(t0*x + t1*y))", "-f", "text", "--shared-terms").stdout
    defined = [line.split(" = ")[0] for line in out.splitlines() if not line.startswith(("f ", "df/"))]
    assert defined and not {"t0", "t1"} & set(defined)


def test_json_has_a_shared_object_and_entries_in_its_names(cli):
    formula = log_sum_exp(4)
    doc = json.loads(cli(formula, "-H", "--json", "--shared-terms", "--at", "x1=0,x2=1,x3=2,x4=3").stdout)
    plain = json.loads(cli(formula, "-H", "--json", "--at", "x1=0,x2=1,x3=2,x4=3").stdout)
    assert list(doc["shared"]) == ["t0"]
    assert set(doc) - set(plain) == {"shared"}
    assert doc["points"] == plain["points"]  # values are not affected
    values = {"t0": read(doc["shared"]["t0"], {})}
    for mine, theirs in zip(doc["hessian"][1], plain["hessian"][1]):
        assert same_value(read(mine, values), parse_expression(theirs, real=True), set(sp.symbols("x1:5", real=True)))


def test_nothing_shared_prints_as_without_the_option(cli):
    assert cli("x**2*y", "-H", "-f", "text", "--shared-terms").stdout == cli("x**2*y", "-H", "-f", "text").stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--latex"], "--shared-terms works with --format text or json"),
    (["-f", "pretty"], "--shared-terms works with --format text or json"),
    (["--grid", "x=0:1:n=3,y=0:1:n=3"], "--shared-terms"),
])
def test_the_option_is_refused_where_it_does_not_apply(cli, args, message):
    result = cli("x*y", "--shared-terms", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr


def test_putting_the_names_back_gives_the_entries_exactly():
    """named_terms' rewriting is exact: the values substituted back are the entries again."""
    import symgrad
    from symgrad.subexpressions import expand_terms, named_terms

    for formula in FORMULAS:
        d = symgrad.hessian(formula)
        entries = [e.value for e in d.entries()]
        names, rewritten = named_terms(entries, [s.name for s in d.variables])
        back = expand_terms(names, rewritten)
        assert all(sp.simplify(a - b) == 0 for a, b in zip(back, entries)), formula
