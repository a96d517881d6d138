"""Hostile input at the library level.

Two promises from SPEC "Errors": no input executes code or touches files,
and no input runs without bound. Every case below must end with a
``SymgradError`` subclass: never ``RecursionError``, ``MemoryError``,
``ValueError`` or any other exception, and never a file on disk.

The time bound (< 5 s) only says "does not hang"; it is not a performance
assertion. A watchdog turns a real hang into a failure instead of a stuck run.
"""

from __future__ import annotations

import builtins
import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
import sympy.parsing.sympy_parser as sympy_parser

import symgrad
from symgrad import limits
from symgrad.errors import (
    EvaluationError,
    ParseError,
    PointError,
    ResourceLimitError,
    SymgradError,
    UnknownFunctionError,
    VariableError,
)
from symgrad.parsing import parse, parse_expression, parse_point, parse_value

#: "Does not hang" bound, generous for a loaded 2-core machine.
QUICK = 5.0
#: A hang turns into a test failure after this long.
WATCHDOG = 60.0


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so no ``except Exception`` swallows it."""


@contextlib.contextmanager
def watchdog(seconds: float = WATCHDOG) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def refused_quickly(
    call: Callable[[], Any], expected: type[SymgradError] = SymgradError
) -> SymgradError:
    """Run ``call``; it must raise ``expected`` (a SymgradError) within QUICK seconds."""
    start = time.monotonic()
    with watchdog():
        with pytest.raises(expected) as info:
            call()
    elapsed = time.monotonic() - start
    assert elapsed < QUICK, f"took {elapsed:.1f} s"
    assert isinstance(info.value, SymgradError)
    assert str(info.value)  # a message the CLI can print
    return info.value


# ---------------------------------------------------------------------------
# Code execution: nothing runs, nothing is written

#: (payload template, whether Python itself would create the file from it).
#: ``{path}`` is the absolute path of a file that must never appear.
PAYLOADS = [
    ("__import__('os').system('touch {path}')", True),
    ('__import__("os").system("touch {path}")', True),
    ("__import__('os').system('touch ' + '{path}')", True),
    ("open('{path}', 'w')", True),
    ("open('{path}','w').write('x')", True),
    ("exec(\"open('{path}', 'w')\")", True),
    ("eval(\"open('{path}', 'w')\")", True),
    ("f\"{{open('{path}', 'w')}}\"", True),
    ("x; open('{path}', 'w')", False),
    ("1\nopen('{path}', 'w')", True),
    ("x\n__import__('os').system('touch {path}')", False),
    ("(lambda: open('{path}', 'w'))()", True),
    ("[open('{path}', 'w') for _ in (1,)]", True),
    ("x if open('{path}', 'w') else y", False),
    ("().__class__.__bases__[0].__subclasses__() and open('{path}', 'w')", True),
    ("x.__class__.__init__.__globals__['os'].system('touch {path}')", False),
    ("__builtins__['open']('{path}', 'w')", True),
    ("getattr(__builtins__, 'open')('{path}', 'w')", False),
    ("sin(x) + __import__('os').system('touch {path}')", False),
    ("2*x + exec(\"import os; os.system('touch {path}')\")", False),
    ("Symbol('x') + open('{path}', 'w').close() ", False),
    ("sympify(\"open('{path}', 'w')\")", False),
    ("(yield open('{path}', 'w'))", False),
    ("open('{path}', 'w') and 1", True),
    ("b'{path}' and open('{path}', 'w')", True),
]


@pytest.fixture
def target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return (tmp_path / "pwned").resolve()


def _payload(template: str, path: Path) -> str:
    return template.format(path=path)


@pytest.mark.parametrize("template, creates", PAYLOADS)
def test_payload_does_not_run(template, creates, target, tmp_path):
    payload = _payload(template, target)
    refused_quickly(lambda: parse_expression(payload), ParseError)
    refused_quickly(lambda: parse(payload), ParseError)
    refused_quickly(lambda: symgrad.gradient(payload), ParseError)
    refused_quickly(lambda: parse_value(payload, "x"), PointError)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("template", [t for t, creates in PAYLOADS if creates])
def test_payloads_are_live(template, target):
    """Control: plain Python *would* create the file, so the test above can fail."""
    exec(_payload(template, target), {})  # noqa: S102 - our own payload, in tmp_path
    assert target.exists()


@pytest.mark.parametrize("template, creates", PAYLOADS)
def test_payload_in_a_point_does_not_run(template, creates, target, tmp_path):
    payload = _payload(template, target)
    g = symgrad.gradient("x**2")
    refused_quickly(lambda: g.at(x=payload), PointError)
    with watchdog():
        try:
            point = parse_point(f"x={payload}")
        except VariableError:
            point = None
    if point is not None:
        refused_quickly(lambda: g.at(point), SymgradError)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("template, creates", PAYLOADS)
def test_payload_as_names_does_not_run(template, creates, target, tmp_path):
    payload = _payload(template, target)
    refused_quickly(lambda: parse("x", wrt=payload), VariableError)
    refused_quickly(lambda: parse("x", symbols=payload), VariableError)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "text",
    [
        "x.__class__",
        "().__class__.__bases__",
        "().__class__.__bases__[0].__subclasses__()",
        "lambda: 0",
        "lambda x: x",
        'exec("1")',
        'eval("1")',
        "exec(x)",
        "eval(x)",
        "compile(x)",
        "__import__(x)",
        "getattr(x, y)",
        "globals()",
        "vars(x)",
        "open(x)",
        "sympify(x)",
        "parse_expr(x)",
        "Symbol(x)",
        "Function(x)",
        "Lambda(x, x)",
        "Integral(x, x)",
        "__import__",
        "__builtins__",
        "__class__",
        "x + __dict__",
        "__x",
        "5 .__class__",
        "5.__class__",
        'f"{x}"',
        "f'x'",
        "x; y",
        "x;",
        "x\ny",
        "x\nimport os",
        "x = 1",
        "x := 1",
        "import os",
        "x if y else z",
        "not x",
        "x and y",
        "[x]",
        "{x: 1}",
        "*x",
        "**x",
        "x[0]",
        "x @ y",
        "`x`",
        "\\x",
        "x\x00",
        "x\u202e",
        "#",
        "x # comment",
        "...",
        "None",
    ],
)
def test_python_only_syntax_is_refused(text):
    if text in ("None",):
        # a plain name: a variable, not Python's None
        assert parse_expression(text) == sp.Symbol("None", real=True)
        return
    err = refused_quickly(lambda: parse_expression(text), ParseError)
    assert isinstance(err, ParseError)


def test_dunder_names_are_refused_even_as_variables():
    for text in ("__x", "__class__ + 1", "2*__import__"):
        err = refused_quickly(lambda: parse_expression(text), ParseError)
        assert "__" in err.message


def test_unknown_python_builtins_are_unknown_functions():
    for name in ("exec", "eval", "open", "compile", "__import__", "getattr", "sympify", "Symbol"):
        text = f"{name}(x)"
        err = refused_quickly(lambda: parse_expression(text), ParseError)
        if not name.startswith("__"):
            assert isinstance(err, UnknownFunctionError)
            assert f"'{name}'" in err.message


def test_parser_never_evaluates_text(monkeypatch, target, tmp_path):
    """No eval/exec/compile/parse_expr ever sees a piece of user text."""
    marker = "zqmarker"
    seen: list[str] = []

    def tripwire(original: Callable[..., Any], name: str) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if any(isinstance(arg, str) and marker in arg for arg in args):
                seen.append(name)
            return original(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(builtins, "eval", tripwire(builtins.eval, "eval"))
    monkeypatch.setattr(builtins, "exec", tripwire(builtins.exec, "exec"))
    monkeypatch.setattr(builtins, "compile", tripwire(builtins.compile, "compile"))
    monkeypatch.setattr(sympy_parser, "parse_expr", tripwire(sympy_parser.parse_expr, "parse_expr"))
    monkeypatch.setattr(sympy_parser, "eval_expr", tripwire(sympy_parser.eval_expr, "eval_expr"))
    good = [
        f"{marker}**2 + sin({marker})*atan2({marker}, 1)",
        f"2{marker}^2 + 3({marker}+1)",
        f"Max({marker}, 1) + gamma({marker}) + binomial({marker}, 3) + digamma({marker})",
        f"√{marker} + {marker}² + π{marker}",
    ]
    for text in good:
        parse_expression(text)
        symgrad.gradient(text)
    for template, _ in PAYLOADS:
        text = _payload(template, target) + f" + {marker}"
        with pytest.raises(SymgradError):
            parse_expression(text)
    with pytest.raises(PointError):
        parse_value(f"{marker}", "x")
    assert seen == []
    # the tripwire works: SymPy's own parser does trip it
    sp.sympify(f"{marker} + 1")
    assert "parse_expr" in seen


# ---------------------------------------------------------------------------
# Resource exhaustion: refused quickly, with a SymgradError

BIG_LITERAL = "9" * 2999 + "7"  # 3000 digits: the largest integer literal accepted

HUGE = [
    # giant integer powers
    "2**10**10",
    "9**9**9**9",
    "2**2**2**2**2",
    "sqrt(2)**10**9",
    "(2/3)**(10**8)",
    "(1/2)**(-(10**6))",
    "(-2)**100000",
    "(1+I)**(10**6)",
    "I**(10**10)",
    "2**(10**6/3)",
    "10**10**10 - 10**10**10",
    "sin(10**10000)",
    "x**(10**3000*10**3000)",
    "2^10^10",
    "2²²²²²²²²²",
    "exp(10**9*log(2))",
    "E**(10**9*log(2))",
    "exp(log(2)*(10**9 + 1/2))",
    "exp(10**9*(log(2) + log(3)))",
    "exp(10**9*log(3/2))",
    # factorials, gamma, binomials
    "factorial(10**6)",
    "factorial(factorial(7))",
    "gamma(10**7)",
    "gamma(2001/2)",
    "loggamma(10**7)",
    "loggamma(10**7 + 1/2)",
    "digamma(10**5)",
    "digamma(10**7 + 1/2)",
    "binomial(10**9, 10**5)",
    "binomial(10**4, 5000)",
    "binomial(1/2, 10**6)",
    "binomial(2.5, 10**6)",
    "binomial(pi, 300)",
    "binomial(pi + sqrt(2) + E, 30)",
    "binomial(1 + I, 1000)",
    # huge literals and products of big numbers
    "9" * 5000,
    "1" * 3001,
    "1e999999999999",
    "1.5e-999999999999",
    "x" + "²" * 5000,
    "*".join(["10**3000"] * 1000),
    "*".join(["10**2500"] * 1000),
    "/".join(["10**2500"] * 1000),
    "+".join(f"1/(10**2500+{i})" for i in range(200)),
    "+".join(f"x/(10**2500+{i})" for i in range(200)),
    "*".join([BIG_LITERAL] * 30),
    f"({BIG_LITERAL}*{BIG_LITERAL})**2",
    f"factorial({BIG_LITERAL}*{BIG_LITERAL})",
    f"binomial({BIG_LITERAL}*{BIG_LITERAL}, 3)",
    f"gamma({BIG_LITERAL}*{BIG_LITERAL}/7)",
    # roots of big numbers (SymPy's perfect-power search is slow)
    f"sqrt({BIG_LITERAL})",
    f"√{BIG_LITERAL}",
    f"({BIG_LITERAL})**(1/3)",
    f"root({BIG_LITERAL}, 7)",
    f"sqrt({'*'.join([BIG_LITERAL] * 33)})",
    "Abs(10**2000*I + 3)",
    "hypot(10**2000, 10**2000)",
]


@pytest.mark.parametrize("text", HUGE, ids=lambda t: t if len(t) <= 40 else f"{t[:30]}...[{len(t)}]")
def test_huge_work_is_refused(text):
    refused_quickly(lambda: parse_expression(text), ResourceLimitError)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10**6,  # 1 MB
        "x+" * 500_000 + "x",
        "(" * 10_000 + "x" + ")" * 10_000,
        "(" * 10_000,
        "-" * 100_000 + "x",
        "-" * 99_999 + "x",
        "+" * 99_999 + "x",
        "√" * 50_000 + "x",
        "sin(" * 10_000 + "x" + ")" * 10_000,
        "2**" * 10_000 + "2",
        "x^" * 30_000 + "x",
        "Max(" * 5_000 + "x" + ")" * 5_000,
        "(" * 101 + "x" + ")" * 101,
        "-(" * 60 + "x" + ")" * 60,
        "1" + "+1" * 60_000,
        " " * 10**6 + "x",
    ],
    ids=lambda t: f"{t[:12]}...[{len(t)}]",
)
def test_deep_or_long_input_is_refused(text):
    err = refused_quickly(lambda: parse_expression(text), ResourceLimitError)
    assert "RecursionError" not in str(err)


@pytest.mark.parametrize("depth", [200, 1_000, 5_000])
def test_deep_nesting_never_raises_recursion_error(depth):
    for text in ("(" * depth + "x" + ")" * depth, "-" * depth + "x", "exp(" * depth + "x" + ")" * depth):
        refused_quickly(lambda: parse_expression(text), ResourceLimitError)


def test_deep_nesting_with_a_low_recursion_limit():
    """Even when Python's stack is short, the parser reports a ResourceLimitError."""
    import inspect
    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 80)
    try:
        with pytest.raises(ResourceLimitError):
            parse_expression("(" * 90 + "x" + ")" * 90)
    finally:
        sys.setrecursionlimit(old)


def test_resource_errors_map_to_their_exit_codes():
    # an exact number too large to compute: the mathematics failed (1)
    err = refused_quickly(lambda: parse_expression("2**10**10"), ResourceLimitError)
    assert err.exit_code == 1
    # an input beyond its size limits: a usage error (2)
    err = refused_quickly(lambda: parse_expression("1" * 3001), ResourceLimitError)
    assert err.exit_code == 2


def test_error_message_for_a_huge_number_does_not_fail_to_print():
    # the base has more digits than Python will convert to text
    err = refused_quickly(lambda: parse_expression(f"({BIG_LITERAL}*{BIG_LITERAL})**2"))
    assert len(str(err)) < 500


# ---------------------------------------------------------------------------
# Evaluation at a point


def test_huge_power_at_an_exact_point_is_refused():
    g = symgrad.gradient("x**(10**10)")
    err = refused_quickly(lambda: g.at(x=2), EvaluationError)
    assert "x=2" in str(err)
    refused_quickly(lambda: g.at(x="2"), EvaluationError)
    refused_quickly(lambda: g.at(x=sp.Rational(3, 2)), EvaluationError)


def test_huge_factorial_at_an_exact_point_is_refused():
    g = symgrad.gradient("x*factorial(y)")
    refused_quickly(lambda: g.at(x=1, y=10**7), EvaluationError)


def test_huge_value_in_a_point_is_refused():
    g = symgrad.gradient("x**2")
    refused_quickly(lambda: g.at(x="2**10**10"), SymgradError)
    refused_quickly(lambda: g.at(x="9" * 5000), SymgradError)
    refused_quickly(lambda: g.at(x="1e999999999999"), SymgradError)
    refused_quickly(lambda: g.at(x="x" * 10**6), SymgradError)


@pytest.mark.parametrize("text", ["x**(10**10)", "factorial(x)", "x**2", "2**x"])
def test_the_same_formulas_at_small_points_work(text):
    """Control: the guards refuse size, not the formulas themselves."""
    g = symgrad.gradient(text)
    with watchdog():
        values = g.at(x=1)
    assert len(values.gradient) == 1


def test_limits_are_what_the_docs_say():
    assert limits.MAX_INPUT_LENGTH == 100_000
    assert limits.MAX_DEPTH == 100
    assert limits.MAX_EXACT_BITS == 10_000
