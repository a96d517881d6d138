r"""Readable LaTeX (issue 12, item 4): inverse trig as a person writes it,
distinct names typeset distinctly, terms in natural order, nothing numeric changed.

The documents are compiled with pdflatex (tests/output/test_latex_compiles.py's
helpers), which these tests need as that module does.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import sympy as sp
from helpers import require_tool
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad.output.latex import TexPrinter
from symgrad.output.latex_names import NEEDS_PACKAGE, kept, spelled_out
from symgrad.parsing import natural_key
from symgrad.parsing.values import is_name


def _compiles_module():
    spec = importlib.util.spec_from_file_location("_latex_compiles", Path(__file__).with_name("test_latex_compiles.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPILES = _compiles_module()


@pytest.fixture(scope="module")
def pdflatex() -> str:
    return require_tool("pdflatex")


def first_line(cli, *args: str) -> str:
    """The ``f(...) &= ...`` line of ``symgrad ARGS --latex``."""
    result = cli(*args, "--latex")
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[1]


def printed(names, reserve=True) -> dict[str, str]:
    """Each name's LaTeX in one document (its symbols reserved first, as a job's are, or printed in turn)."""
    tex = TexPrinter()
    symbols = [sp.Symbol(n) for n in names]
    if reserve:
        tex.printer.reserve(symbols)
    return {s.name: tex.tex(s) for s in symbols}


def shown(tex: str) -> str:
    """What TeX typesets the same: spaces do not show."""
    return re.sub(r"\s", "", tex)


# -- 1. inverse trigonometric and hyperbolic functions ------------------------

INVERSE = {
    "asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan",
    "acot": r"\operatorname{arccot}", "asec": r"\operatorname{arcsec}", "acsc": r"\operatorname{arccsc}",
    "asinh": r"\operatorname{arsinh}", "acosh": r"\operatorname{arcosh}", "atanh": r"\operatorname{artanh}",
    "acoth": r"\operatorname{arcoth}", "asech": r"\operatorname{arsech}", "acsch": r"\operatorname{arcsch}",
}


@pytest.mark.parametrize("name", sorted(INVERSE))
def test_inverse_functions_are_typeset_by_their_names(cli, name):
    line = first_line(cli, f"{name}(x)*y")
    assert INVERSE[name] + r"{\left(x \right)}" in line
    assert rf"\operatorname{{{name}}}" not in line


def test_inverse_functions_under_a_power_and_a_derivative(cli):
    line = first_line(cli, "asin(x)^2 + atan(x*y)^3")
    assert r"\arcsin^{2}{\left(x \right)}" in line and r"\arctan^{3}{\left(x y \right)}" in line
    grad = cli("asinh(x)*y", "--latex").stdout
    assert r"\operatorname{arsinh}{\left(x \right)}" in grad  # d/dy keeps the function


def test_atan2_is_one_operator_name(cli):
    line = first_line(cli, "atan2(y, x)^2 + atan2(x, y + 1)")
    assert r"\operatorname{atan2}^{2}{\left(y,x \right)}" in line
    assert r"\operatorname{atan2}{\left(x,y + 1 \right)}" in line
    assert r"\operatorname{atan}_{2}" not in line  # SymPy's spelling


# -- 2. distinct names, distinct LaTeX ------------------------------------------

#: Pieces whose joins SymPy often spells alike (Greek words and letters,
#: subscripts, superscripts, accents, SymPy's name modifiers).
PIECES = ["x", "y", "e", "é", "o", "A", "alpha", "α", "Alpha", "Α", "lamda", "lambda", "λ", "omicron",
          "Δ", "Delta", "_", "__", "1", "2", "12", "dot", "hat", "bar", "prime", "prm", "abs", "mag",
          "bold", "bm", "vec", "avec", "scr"]
GREEK = "αβγδεζηθικλμνξοπρστυφχψωΓΔΘΛΞΠΣΦΨΩΑΒΕ"
LETTERS = "abcxyzAXé" + GREEK

pieced = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
spelled = st.builds(
    lambda first, rest: first + rest, st.sampled_from(LETTERS), st.text(LETTERS + "0123456789_", max_size=6)
)
names = st.one_of(pieced, spelled).filter(is_name)


def test_sympy_alone_spells_these_names_alike():
    """The property below can fail: SymPy's own printer gives these pairs one spelling."""
    for a, b in [("x1", "x_1"), ("lambda", "lamda"), ("xbold", "xbm"), ("xprime", "xprm"), ("xabs", "xmag"),
                 ("x_a_b", "x_ab")]:  # the last two differ by a space, which TeX does not show
        assert shown(sp.latex(sp.Symbol(a))) == shown(sp.latex(sp.Symbol(b))), (a, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(names, min_size=2, max_size=6, unique=True), st.booleans())
def test_distinct_names_print_distinct_latex(group, reserve):
    tex = printed(group, reserve=reserve)
    assert len({shown(t) for t in tex.values()}) == len(group), tex


@settings(max_examples=100, deadline=None)
@given(st.lists(names, min_size=2, max_size=6, unique=True))
def test_the_spelling_does_not_depend_on_the_order_of_the_names(group):
    assert printed(group) == printed(group[::-1])


@settings(max_examples=200, deadline=None)
@given(names, names)
def test_spelled_out_names_are_distinct_and_never_a_kept_spelling(a, b):
    assert not kept(spelled_out(a))
    if a != b:
        assert spelled_out(a) != spelled_out(b)
        assert spelled_out(a, code_points=True) != spelled_out(b, code_points=True)


def test_a_name_alone_keeps_sympys_spelling():
    for name in ["x1", "x_1", "x12", "alpha", "α", "sigma_k", "xdot", "xhat", "xbar", "Delta", "Omega_2"]:
        assert printed([name])[name] == sp.latex(sp.Symbol(name)) or not name.isascii(), name
    assert printed(["α"])["α"] == r"\alpha"


def test_when_two_names_share_a_spelling_the_literal_one_keeps_it(cli):
    assert printed(["x1", "x_1"]) == {"x1": r"\mathit{x1}", "x_1": "x_{1}"}
    # \alpha reads back as alpha (the text form's name), so alpha keeps it (issue 14)
    assert printed(["alpha", "α"]) == {"alpha": r"\alpha", "α": r"\mathit{{\alpha}}"}
    assert printed(["e", "é"]) == {"e": r"\mathit{e}", "é": r"\mathit{{\acute{e}}}"}  # e alone is Euler's number
    assert printed(["x_ab", "x_a_b"]) == {"x_ab": "x_{ab}", "x_a_b": r"\mathit{x\_a\_b}"}
    for wrt in ("x1,x_1", "x_1,x1"):  # the job: whatever the variables' order
        line = first_line(cli, "x1*x_1 + x_1", "--wrt", wrt)
        assert r"\mathit{x1}" in line and "x_{1}" in line
        assert line.count("x_{1}") == 3  # f(..., x_1, ...), both terms


def test_the_function_name_is_distinct_from_the_variables(cli):
    line = first_line(cli, "φ*x + x1", "--name", "phi")
    assert line.startswith(r"\mathit{phi}(x, x_{1}, \phi) &= ")
    assert first_line(cli, "φ*x").startswith(r"f(x, \phi) &= ")


@pytest.mark.parametrize(
    ("name", "misread"),
    [("x__2", "^{2}"), ("xabs", r"\left|"), ("xmag", r"\left|"), ("xnorm", r"\left\|"), ("xprime", "'"),
     ("x_", "_{}"), ("xscr", r"\mathscr"), ("beth", r"\beth")],
)
def test_spellings_that_read_as_something_else_are_spelled_out(cli, name, misread):
    assert misread in sp.latex(sp.Symbol(name))  # SymPy's spelling
    line = first_line(cli, f"{name}*y")
    assert misread not in line
    assert spelled_out(name) in line


def test_every_spelling_compiles(pdflatex, tmp_path):
    """SymPy's modifiers, its Greek and other letters, and the spelled-out forms, in one document."""
    from sympy.printing.latex import greek_letters_set, modifier_dict, other_symbols, tex_greek_dictionary

    group = [f"x{m}" for m in modifier_dict] + sorted(other_symbols | greek_letters_set | set(tex_greek_dictionary))
    group += ["x1", "x_1", "x__2", "é", "e", "Δx", "α_1", "ä", "ǖ", "ﬁ", "中", "Å", "Å"]
    tex = printed(group)
    assert not [t for t in tex.values() if any(command in t for command in NEEDS_PACKAGE)]
    body = "\n".join(f"${t}$\\par" for t in tex.values())
    doc = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\n\\end{document}\n"
    run, log = COMPILES.compile_tex(pdflatex, doc, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Undefined control sequence" not in log and "Missing" not in log


# -- 3. natural term order -------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("x10 + x8", "x_{8} + x_{10}"),
        ("x2*y + x10", "x_{2} y + x_{10}"),
        ("x2*y + x10*y + x1", "x_{1} + x_{2} y + x_{10} y"),
        ("sin(x10) + sin(x9)", r"\sin{\left(x_{9} \right)} + \sin{\left(x_{10} \right)}"),
    ],
)
def test_terms_in_natural_order(formula, expected):
    expr = sp.sympify(formula)
    assert TexPrinter().tex(expr) == expected
    assert sp.latex(expr) != expected  # SymPy's own order compares names as strings


def test_natural_order_over_many_subscripts():
    xs = sp.symbols("x1:25")
    expr = sp.Add(*[(i % 3 + 1) * x for i, x in enumerate(reversed(xs))])
    text = TexPrinter().tex(expr)
    subscripts = [int(n) for n in re.findall(r"x_\{(\d+)\}", text)]
    assert subscripts == sorted(subscripts) == list(range(1, 25))


def test_factors_in_natural_order(cli):
    xs = sp.symbols("x1:13")
    assert TexPrinter().tex(sp.Mul(*xs)) == " ".join(f"x_{{{i}}}" for i in range(1, 13))
    assert sp.latex(sp.Mul(*xs)).startswith("x_{1} x_{10}")  # SymPy's own order
    line = first_line(cli, "x10*x8*sin(x9*x11) + y")
    assert line.endswith(r"&= x_{8} x_{10} \sin{\left(x_{9} x_{11} \right)} + y \\")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["x1", "x2", "x9", "x10", "x11", "x_1", "x_10", "y", "y2", "y10", "α1", "α10"]),
                min_size=2, max_size=6, unique=True), st.integers(0, 2))
def test_renamed_symbols_print_as_themselves(group, shape):
    """Sorting renames symbols; whatever the product or sum, each prints under its own name."""
    symbols = [sp.Symbol(n) for n in group]
    exprs = [sp.Mul(*symbols), sp.Add(*symbols), sp.sin(sp.Mul(*symbols[1:])) * symbols[0] / (1 + sp.Add(*symbols))]
    tex = TexPrinter()
    names = {n: tex.tex(s) for n, s in zip(group, symbols)}
    text = tex.tex(exprs[shape])
    assert "\x00" not in text and "\x01" not in text
    for name in group:
        assert names[name] in text, (name, names[name], text)


def test_degrees_are_ordered_as_sympy_orders_them():
    x, x2, x10 = sp.symbols("x x2 x10")
    assert TexPrinter().tex(x**2 + x + x10) == "x^{2} + x + x_{10}"
    assert TexPrinter().tex(x10**3 + x10 + x2**2 + x2) == "x_{2}^{2} + x_{2} + x_{10}^{3} + x_{10}"


@pytest.mark.parametrize("formula", ["x**2 + y*z", "(1 - x)**2 + 100*(y - x**2)**2", "sin(x)*y + cos(y) - 3",
                                     "1 - x", "x - mu", "a*x**2 + b*x + c", "exp(-x**2 - y**2)*(1 - 2*x**2)"])
def test_names_already_in_natural_order_print_as_sympy_prints_them(formula):
    expr = sp.sympify(formula)
    assert TexPrinter().tex(expr) == sp.latex(expr, inv_trig_style="full")


def test_text_and_json_keep_sympys_order(cli):
    assert "x10 + x8" in cli("x10 + x8").stdout
    assert '"x10 + x8"' in cli("x10 + x8", "--json").stdout


def test_a_long_sum_split_into_lines_keeps_the_natural_order(cli):
    formula = " + ".join(f"sin(x{i})*exp(y)" for i in (12, 3, 10, 1, 2, 11, 9))
    out = cli(formula, "--wrt", "y", "--latex").stdout
    first = out.split(r"\frac{d f}", 1)[0]  # the function, over two lines
    assert r"\\ &\quad" in out  # the sum is broken into lines
    subscripts = [int(n) for n in re.findall(r"x_\{(\d+)\}", first)]
    assert subscripts == sorted(subscripts) and len(subscripts) == 7


# -- 4. nothing numeric changes; the documents compile ------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 3), st.floats(-1e6, 1e6, allow_nan=False)),
                min_size=1, max_size=12))
def test_the_printed_terms_are_the_sums_terms(terms):
    """Reordering changes no term: the terms printed add up to the sum, floats and all."""
    expr = sp.Add(*[sp.Float(c) * sp.Symbol(f"x{i}") ** k for i, k, c in terms])
    tex = TexPrinter()
    if not expr.is_Add:
        return
    ordered = tex.printer._as_ordered_terms(expr)
    assert sorted(map(sp.srepr, ordered)) == sorted(map(sp.srepr, expr.args))
    keys = [natural_key(t.as_coeff_Mul()[1].as_base_exp()[0].name) for t in ordered if t.free_symbols]
    degrees = [t.as_coeff_Mul()[1].as_base_exp()[1] for t in ordered if t.free_symbols]
    pairs = list(zip(keys, degrees))
    assert pairs == sorted(pairs, key=lambda p: (p[0], -p[1]))  # natural names, then degree down


@pytest.mark.parametrize("value", [0.1, 1 / 3, 2 / 3, 6.02e23, 1e-300, 123456.789, -2.5e-7, 5e-324,
                                   1.7976931348623157e308])
def test_floats_round_trip(value):
    """A float prints the digits that read back as it, alone and as a coefficient in a reordered sum."""
    x8, x10 = sp.symbols("x8 x10")
    alone = TexPrinter().tex(sp.Float(value))
    mantissa, _, exponent = alone.partition(r" \cdot 10^")
    assert float(mantissa + ("e" + exponent.strip("{}") if exponent else "")) == value
    in_sum = TexPrinter().tex(sp.Float(abs(value)) * x10 + x8)
    assert in_sum in (f"x_{{8}} + {alone.lstrip('-')} x_{{10}}", f"x_{{8}} + {alone.lstrip('-')} \\cdot x_{{10}}")


def test_readable_latex_compiles(cli, pdflatex, tmp_path):
    formula = " + ".join(f"{f}(x/9)" for f in INVERSE if f not in ("acosh", "asec", "acsc", "acoth"))
    formula += " + acosh(x+2) + asec(x+2) + acsc(x+2) + acoth(x+2) + atan2(y, x)^2 + x10*x1 + x_1 + x8"
    formula += " + alpha*α + x__2 + xabs + é*e + xdot"
    args = [formula, "-H", "--at", "x=1/2,y=3,x1=1,x_1=2,x8=3,x10=4,alpha=1,α=2,x__2=1,xabs=1,é=1,e=2,xdot=1"]
    run, log = COMPILES.compile_tex(pdflatex, COMPILES.standalone(cli, args), tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Undefined control sequence" not in log


# -- 5. what is printed reads back (issue 14): names, constants, special functions ------


@pytest.mark.parametrize(
    ("name", "tex"),
    [
        ("rate", r"\mathit{rate}"),  # not the product r a t e
        ("mu0x", r"\mathit{mu0x}"),  # not m u 0 x
        ("rate_1", r"\mathit{rate}_{1}"),
        ("e", r"\mathit{e}"),  # not Euler's number
        ("pi", r"\mathit{pi}"),  # not the constant
        ("Gamma", r"{\Gamma}"),  # \Gamma(x) is the gamma function
        ("E", "E"),
        ("I", "I"),
        ("alpha", r"\alpha"),
        ("sigma_k", r"\sigma_{k}"),
        ("x1", "x_{1}"),
        ("xdot", r"\dot{x}"),
    ],
)
def test_a_name_prints_as_one_name_that_reads_back(name, tex):
    from symgrad.parsing import parse_latex

    assert printed([name])[name] == tex
    symbol = parse_latex(tex, symbols=name) if name in ("pi", "E", "I") else parse_latex(tex)
    assert isinstance(symbol, sp.Symbol)
    with_parentheses = parse_latex(tex + r" \left(y + 1\right)^{2}")
    assert with_parentheses == symbol * (sp.Symbol("y", real=True) + 1) ** 2


@settings(max_examples=300, deadline=None)
@given(st.lists(names, min_size=1, max_size=6, unique=True))
def test_every_printed_name_reads_back_as_a_distinct_symbol(group):
    """The LaTeX reader reads each name of a document as one symbol, a different one for each name."""
    from symgrad.parsing import parse_latex

    tex = printed(group)
    back = {name: parse_latex(t) for name, t in tex.items()}
    assert all(isinstance(b, sp.Symbol) for b in back.values()), (tex, back)
    assert len(set(back.values())) == len(group), (tex, back)


def test_word_names_in_a_job(cli):
    line = first_line(cli, "rate*x + e*x + mu0x")
    assert line.startswith(r"f(e, \mu0x, rate, x)") is False  # SymPy's spellings are gone
    assert r"\mathit{rate} x" in line and r"\mathit{e} x" in line and r"\mathit{mu0x}" in line
    assert first_line(cli, "E*x").endswith(r"&= e x \\")  # Euler's number stays e


def test_the_imaginary_unit_is_upright():
    assert TexPrinter().tex(sp.I * sp.Symbol("x")) == r"\mathrm{i} x"
    assert printed(["i"])["i"] == "i"  # a variable i stays italic


@pytest.mark.parametrize(
    ("expr", "tex"),
    [
        (sp.Heaviside(sp.Symbol("x")), r"\operatorname{Heaviside}\left(x\right)"),
        (sp.DiracDelta(sp.Symbol("x")), r"\operatorname{DiracDelta}\left(x\right)"),
        (sp.DiracDelta(sp.Symbol("x"), 2), r"\operatorname{DiracDelta}\left(x, 2\right)"),
        (sp.besselj(0, sp.Symbol("x")) ** 2, r"\left(\operatorname{J}_{0}\left(x\right)\right)^{2}"),
        (sp.zeta(sp.Symbol("s")), r"\operatorname{\zeta}\left(s\right)"),
        (sp.elliptic_f(sp.Symbol("x"), sp.Symbol("m")), r"\operatorname{F}\left(x\middle| m\right)"),
        (sp.assoc_legendre(sp.Symbol("n"), 2, sp.Symbol("x")),
         r"\operatorname{P}_{n}^{\left(2\right)}\left(x\right)"),
        (sp.hyper([1, 2], [3], sp.Symbol("x")), r"{}_{2}\operatorname{F}_{1}\left(1, 2; 3; x\right)"),
        (sp.airyaiprime(sp.Symbol("x")), r"\operatorname{Ai}'\left(x\right)"),
    ],
)
def test_special_functions_print_upright_symbols(expr, tex):
    """Not theta(x), delta(x), J_0(x), zeta(s): those read back as products of symbols."""
    assert TexPrinter().tex(expr) == tex


def test_special_functions_compile(cli, pdflatex, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from special_corpus import CORPUS

    # erfcinv (printed as \operatorname{erfinv}) is left out: in this sum it meets an internal
    # error of tidy's numeric check (erfinv evaluated outside [-1, 1]), which is not LaTeX's
    formula = " + ".join(f for f, _, _ in CORPUS.values() if ("(x)" in f or "x)" in f) and "erfcinv" not in f)
    formula += " + Heaviside(x)*DiracDelta(y) + legendre(n, x) + assoc_legendre(n, 2, x) + jacobi(n, a, b, x)"
    formula += " + hermite(n, x) + hermite_prob(n, x) + chebyshevt(n, x) + chebyshevu(n, x) + laguerre(n, x)"
    formula += " + assoc_laguerre(n, a, x) + gegenbauer(n, a, x) + hyp0f1(a, x) + besselj(0, x)**2"
    args = [formula, "--wrt", "x,y"]
    run, log = COMPILES.compile_tex(pdflatex, COMPILES.standalone(cli, args), tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Undefined control sequence" not in log
