"""SymPy objects given to the library meet the rules of formula text.

``gradient()``, ``hessian()``, ``jacobian()`` and ``parse()`` take SymPy
expressions as well as text. They used to take them as they were, past the
function allow-list and the name checks: ``Integral(x, x)``,
``Function('f')(x)`` and ``Symbol('x); system(...)')`` all went through (and
the symbol's name reached generated code and LaTeX). Now each is refused with
the error the same formula written as text gets, a good SymPy expression
still works as it did, and a ``Parsed`` made by hand is checked the same way.
"""

from __future__ import annotations

import pytest
import sympy as sp

import symgrad
from symgrad import ParseError, ResourceLimitError, SymgradError, UnknownFunctionError
from symgrad.codegen import generate
from symgrad.parsing import Parsed, parse, parse_expression

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
f, g = sp.Function("f"), sp.Function("g")

#: name -> (SymPy object, the error class, text of that message)
REFUSED = {
    "integral": (sp.Integral(x, x), UnknownFunctionError, "unknown function 'Integral'"),
    "integral-limits": (sp.Integral(x * y, (x, 0, 1)), UnknownFunctionError, "unknown function 'Integral'"),
    "undefined-function": (f(x), UnknownFunctionError, "unknown function 'f'"),
    "symbol-injection": (sp.Symbol('x); system("touch PWNED")'), ParseError, "is not a valid variable name"),
    "symbol-newline": (sp.Symbol("x\nimport os") * y, ParseError, "is not a valid variable name"),
    "symbol-escape": (sp.Symbol("x\x1b]0;T\x07"), ParseError, "is not a valid variable name"),
    "symbol-dunder": (sp.Symbol("__class__"), ParseError, "is not a valid variable name"),
    "symbol-empty": (sp.Symbol("") + x, ParseError, "is not a valid variable name"),
    "nested-function": (x + sp.exp(sp.sin(g(x) * y) ** 2), UnknownFunctionError, "unknown function 'g'"),
    "nested-integral": (x**2 + sp.log(1 + sp.Integral(sp.sin(x * y), x)), UnknownFunctionError, "'Integral'"),
    "nested-symbol": (sp.cos(x * sp.Symbol("a b")) + y, ParseError, "'a b' is not a valid variable name"),
    "derivative": (sp.Derivative(x**2 * y, x), UnknownFunctionError, "unknown function 'Derivative'"),
    "piecewise": (sp.Piecewise((x, y > 0), (y, True)), UnknownFunctionError, "unknown function 'Piecewise'"),
    "dummy": (sp.Dummy("x") * y, ParseError, "use a plain Symbol"),
    "equation": (sp.Eq(x, 1), ParseError, "Equality is not part of a formula"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
@pytest.mark.parametrize("api", ["gradient", "hessian", "jacobian", "parse"])
def test_sympy_input_outside_the_grammar_is_refused(api, name):
    expr, error, message = REFUSED[name]
    with pytest.raises(error) as info:
        getattr(symgrad, api)(expr)
    assert message in str(info.value)
    assert "--" not in str(info.value)  # the library's words, no command-line option


@pytest.mark.parametrize(("expr", "text"), [(sp.Integral(x, x), "Integral(x, x)"), (f(x), "f(x)")])
def test_the_error_is_the_one_the_text_formula_gets(expr, text):
    with pytest.raises(SymgradError) as as_text:
        parse(text)
    with pytest.raises(SymgradError) as as_sympy:
        parse(expr)
    assert type(as_sympy.value) is type(as_text.value)
    assert as_sympy.value.message == as_text.value.message


def test_a_refused_symbol_never_reaches_generated_code():
    with pytest.raises(ParseError):
        symgrad.gradient(sp.Symbol("x\nimport os") + x)


def test_a_good_sympy_expression_still_works():
    expr = sp.sin(x) * y + sp.exp(x * y) + sp.Max(x, 2) + sp.Rational(1, 3) * sp.sqrt(y) + sp.pi
    from_text = symgrad.gradient("sin(x)*y + exp(x*y) + Max(x, 2) + sqrt(y)/3 + pi")
    assert symgrad.gradient(expr).gradient == from_text.gradient
    assert symgrad.hessian(expr).hessian == symgrad.hessian(from_text.exprs[0]).hessian
    assert symgrad.jacobian(expr, x * y).jacobian[1] == (y, x)
    code = generate(symgrad.hessian(expr), "python")
    assert "def hess_f(x, y):" in code


def test_sympy_symbols_keep_their_assumptions():
    z = sp.Symbol("z")  # not real
    p = parse(sp.re(z) + z**2)
    assert p.variables == (z,)
    assert symgrad.gradient(sp.Abs(z)).gradient == (sp.diff(sp.Abs(z), z),)


def test_every_function_of_the_table_is_accepted_as_sympy():
    from symgrad.parsing import FUNCTION_NAMES
    from symgrad.parsing.functions import FUNCTIONS
    from symgrad.parsing.sympy_input import check_expression

    for name in FUNCTION_NAMES:
        two = ("atan2", "arctan2", "beta", "binomial", "root", "hypot")
        text = f"{name}(x, y)" if name in two else f"{name}(x + y, 3)" if name == "real_root" else f"{name}(x + y/3)"
        if FUNCTIONS[name].min_args > 2 or (FUNCTIONS[name].min_args == 2 and name not in (*two, "real_root")):
            text = f"{name}({', '.join(['x + y/3'] + ['y'] * (FUNCTIONS[name].min_args - 1))})"  # special functions
        check_expression(parse_expression(text))
        check_expression(parse_expression(text, real=False))


EVALUATED = [
    "sin(oo)", "im(log(x))", "digamma(x) + digamma(1/2)", "log(x, 2) + log10(x)", "hypot(x, y)", "gamma(1/2)",
    "erf(I*x)", "cos(I*x)", "acsc(0)", "atan2(oo, 0)", "Heaviside(x, 1/2) + DiracDelta(x)", "E + EulerGamma",
    "1e2999 + 1." + "0" * 2990 + "1",
]


@pytest.mark.parametrize("text", EVALUATED, ids=lambda text: text[:24])
def test_what_the_text_parser_makes_passes_the_sympy_check(text):
    from symgrad.parsing.sympy_input import check_expression

    for real in (True, False):
        check_expression(parse_expression(text, real=real))


@pytest.mark.slow
def test_the_deepest_tree_text_can_make_passes_the_sympy_check():
    from symgrad.limits import MAX_DEPTH
    from symgrad.parsing.sympy_input import check_expression

    check_expression(parse_expression("x/(1+" * MAX_DEPTH + "x" + ")" * MAX_DEPTH))  # 3 levels each


def test_a_constant_name_needs_symbols():
    pi = sp.Symbol("pi", real=True)
    with pytest.raises(ParseError, match="name of a constant"):
        symgrad.gradient(pi * x)
    assert symgrad.gradient(pi * x, symbols="pi").gradient == (x, pi)  # d/dpi, d/dx


def test_two_symbols_of_one_name_are_refused():
    with pytest.raises(ParseError, match="two different symbols are named 'x'"):
        symgrad.gradient(sp.Symbol("x") + x)
    with pytest.raises(ParseError, match="two different symbols are named 'x'"):
        symgrad.jacobian(sp.sin(sp.Symbol("x")), "x**2")  # text symbols are real


def test_size_guards_hold_for_sympy_input():
    from symgrad.parsing.sympy_input import MAX_NODES, MAX_TREE_DEPTH
    with pytest.raises(ResourceLimitError, match="too large to compute exactly"):
        symgrad.gradient(x * sp.Integer(2) ** 20_000)
    with pytest.raises(ResourceLimitError, match="precision"):
        symgrad.gradient(x * sp.Float("1.5", 5_000))
    with pytest.raises(ResourceLimitError, match="too large or too small"):
        symgrad.gradient(x * sp.Float("1e100000", 15))
    with pytest.raises(ResourceLimitError, match="too large or too small"):
        symgrad.gradient(x * sp.Float("1e-100000", 15))
    with pytest.raises(ResourceLimitError, match="characters long"):
        symgrad.gradient(sp.Symbol("x" * 100_001))
    deep = x
    for _ in range(MAX_TREE_DEPTH):
        deep = sp.sin(deep, evaluate=False)
    with pytest.raises(ResourceLimitError, match="nested more than"):
        symgrad.gradient(deep)
    shared = x  # a small DAG whose tree is huge: the walk stops at the limit
    for _ in range(20):
        shared = sp.sin(shared) + sp.cos(shared)  # 2**21 leaves
    with pytest.raises(ResourceLimitError, match=f"more than {MAX_NODES} parts"):
        symgrad.gradient(shared)


def test_a_parsed_made_by_hand_is_checked():
    with pytest.raises(UnknownFunctionError):
        Parsed(sources=("f(x)",), exprs=(f(x),), variables=(x,), parameters=())
    with pytest.raises(ParseError, match="two different symbols"):
        Parsed(sources=("x",), exprs=(x,), variables=(sp.Symbol("x"),), parameters=())
    good = parse("x**2 + a*y", wrt="x,y")
    again = Parsed(sources=good.sources, exprs=good.exprs, variables=good.variables, parameters=good.parameters)
    assert again == good


def test_a_number_is_checked_without_walking_the_function_table():
    """A point's value (a lone number) gets the number checks, and the same
    verdict as before: huge precision and magnitude refused, the rest passed."""
    import sympy as sp

    from symgrad.errors import ResourceLimitError
    from symgrad.parsing import sympy_input
    from symgrad.parsing.sympy_input import _number_classes, check_expression

    sympy_input._allowed_classes.cache_clear()
    for number in (sp.Integer(7), sp.Rational(-2, 3), sp.Float(0.25), sp.S.Half, sp.S.Zero, sp.oo, sp.nan):
        check_expression(number)
    assert sympy_input._allowed_classes.cache_info().currsize == 0  # the table was not built
    assert _number_classes() <= sympy_input._allowed_classes()
    with pytest.raises(ResourceLimitError):
        check_expression(sp.Float(1, precision=sympy_input.MAX_FLOAT_BITS + 1))
    with pytest.raises(ResourceLimitError):
        check_expression(sp.Float._new((0, 1, sympy_input.MAX_FLOAT_EXPONENT_BITS + 1, 1), 53))
