"""The command's plan: its options in sections, and one table of what goes with what.

:data:`SECTIONS` groups the options for ``--help``; :data:`RULES` says, one
row each, which options need or exclude what (``--tol`` needs ``--check``,
``--points`` excludes ``--grid``, an analysis needs a format that shows
it, ...). :func:`check` walks the rows in order and raises
:class:`~symgrad.errors.OptionError` for the first one broken, so every
such mistake reads the same (``Error: --tol works with --check``, exit 2);
``--help`` writes the same rows as "With --check: ..." before an option's
text. What a format supports is asked of :func:`symgrad.output.format_info`.

An option counts as given when it is on the command line, even with its
default value (``--backend auto`` without ``--points`` is a mistake too).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import OptionError
from ..output import FormatInfo, available_formats, format_info
from ..output.options import NAME_PATTERN

#: ``--help``'s sections, in order: (title, the options' long names).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Input", ("--wrt", "--at", "--hessian", "--from", "--symbols", "--complex")),
    ("Output", ("--format", "--latex", "--json", "--simplify", "--digits", "--full", "--shared-terms", "--name")),
    ("LaTeX", ("--latex-env", "--latex-style", "--standalone")),
    ("Many points", ("--points", "--grid", "--output", "--strict", "--no-value", "--backend", "--chunk-rows",
                     "--workers", "--scheduler")),
    ("Analysis", ("--check", "--tol", "--box", "--seed", "--critical", "--taylor",
                  "--divergence", "--curl", "--laplacian", "--along", "--diff", "--steps")),
    ("Plot", ("--plot",)),
    ("Limits", ("--timeout", "--engine")),
    ("Other", ("--debug", "--version", "--help")),
)

#: The options that ask for an analysis beyond the gradient (symgrad/cli_analysis.py).
ANALYSES = ("--check", "--critical", "--taylor", "--divergence", "--curl", "--laplacian", "--along", "--diff",
            "--steps")


@dataclass(frozen=True)
class Invocation:
    """What the rules look at: the options given, their values, the output format."""

    #: Long names of the options on the command line.
    given: frozenset[str]
    #: Every option's value, by long name.
    values: Mapping[str, Any]
    exprs: tuple[str, ...]
    #: The output formats asked for (``--format``, ``--latex``, ``--json``), as given.
    formats: tuple[str, ...]
    #: The output format, ``auto`` resolved.
    fmt: str
    #: Formulas come from stdin (EXPR ``-``, or none with stdin not a terminal).
    stream: bool

    @property
    def info(self) -> FormatInfo:
        return format_info(self.fmt)

    @property
    def bulk(self) -> bool:
        return "--points" in self.given or "--grid" in self.given


@dataclass(frozen=True)
class When:
    """A condition rows refer to, and how messages name it."""

    says: str
    holds: Callable[[Invocation], bool]


def given(option: str) -> When:
    return When(option, lambda inv: option in inv.given)


LATEX = When("--format latex", lambda inv: inv.fmt == "latex")
#: The formats a person reads, which ``--digits`` rounds the doubles of.
READ = When("--format pretty, text or latex", lambda inv: inv.fmt in ("pretty", "text", "latex"))
CODE = When("a code format", lambda inv: inv.info.code)
THIS_CODE_FORMAT = When("--format {fmt}", lambda inv: inv.info.code)
BULK = When("--points or --grid", lambda inv: inv.bulk)
STDIN = When("formulas on stdin", lambda inv: inv.stream)
NO_ANALYSIS_FORMAT = When("--format {fmt}", lambda inv: not inv.info.analysis)
#: The formats that show analyses, as messages list them.
ANALYSIS_FORMATS = ", ".join(f for f in available_formats() if format_info(f).analysis)


def _either(whens: tuple[When, ...]) -> str:
    says = [w.says for w in whens]
    return says[0] if len(says) == 1 else f"{', '.join(says[:-1])} or {says[-1]}"


@dataclass(frozen=True)
class Needs:
    """Each of ``options`` works only with one of ``any_of``."""

    options: tuple[str, ...]
    any_of: tuple[When, ...]

    def broken(self, inv: Invocation) -> str | None:
        for option in self.options:
            if option in inv.given and not any(w.holds(inv) for w in self.any_of):
                return f"{option} works with {_either(self.any_of)}"
        return None


@dataclass(frozen=True)
class Excludes:
    """None of ``options`` works with ``when``; ``why`` says what to do instead."""

    options: tuple[str, ...]
    when: When
    why: str = ""

    def broken(self, inv: Invocation) -> str | None:
        for option in self.options:
            if option in inv.given and self.when.holds(inv):
                says = self.when.says.format(fmt=inv.fmt)
                return f"{option} does not work with {says}" + (f"; {self.why}" if self.why else "")
        return None


@dataclass(frozen=True)
class Valid:
    """The value of ``option`` must pass ``test``; ``what`` says what it must be."""

    option: str
    test: Callable[[Any], bool]
    what: str

    def broken(self, inv: Invocation) -> str | None:
        value = inv.values.get(self.option)
        if self.option in inv.given and not self.test(value):
            return f"{self.option} {value!r}: {self.what}"
        return None


@dataclass(frozen=True)
class Check:
    """Any other rule about the whole command line."""

    fails: Callable[[Invocation], bool]
    message: Callable[[Invocation], str]

    def broken(self, inv: Invocation) -> str | None:
        return self.message(inv) if self.fails(inv) else None


Rule = Needs | Excludes | Valid | Check

RULES: tuple[Rule, ...] = (
    Check(lambda inv: len(set(inv.formats)) > 1,
          lambda inv: f"choose one output format, not {' and '.join(sorted(set(inv.formats)))}"),
    Needs(("--latex-env", "--latex-style", "--standalone"), (LATEX,)),
    Needs(("--name",), (LATEX, CODE, BULK)),
    Needs(("--digits",), (READ,)),
    Needs(("--shared-terms",), (When("--format text or json", lambda inv: inv.fmt in ("text", "json")),)),
    Excludes(("--shared-terms",), BULK, "values at many points show no derivative"),
    Valid("--name", lambda name: bool(NAME_PATTERN.fullmatch(name)),
          "use a letter followed by up to 31 letters, digits or underscores"),
    Check(lambda inv: not inv.exprs and not inv.stream,
          lambda inv: 'missing EXPR (a formula such as "x**2+y*z")'),
    Check(lambda inv: "-" in inv.exprs and len(inv.exprs) > 1,
          lambda inv: "'-' (read stdin) must be the only EXPR"),
    Excludes(("--points",), given("--grid")),
    Excludes(("--points", "--grid"), STDIN, "give the formula as EXPR"),
    Check(lambda inv: inv.bulk and len(inv.values["--at"]) > 1,
          lambda inv: "--at may be given once with --points or --grid (the values of the other symbols)"),
    Check(lambda inv: inv.bulk and "--output" not in inv.given and not inv.info.bulk,
          lambda inv: f"--format {inv.fmt} does not work with --points or --grid; use csv, json or --output"),
    Needs(("--output", "--strict", "--no-value", "--backend", "--chunk-rows", "--workers", "--scheduler"),
          (BULK,)),
    Excludes(("--at",), THIS_CODE_FORMAT, "generated code takes the point as arguments"),
    Excludes(("--standalone",), STDIN, "it makes one document: give the formulas as EXPR"),
    Needs(("--box",), (given("--check"), given("--critical"), given("--plot"))),
    Needs(("--seed",), (given("--check"), given("--critical"))),
    Excludes(("--plot",), BULK, "use --at for the values of the other symbols"),
    Excludes(("--plot",), STDIN, "give the formula as EXPR"),
    Needs(("--tol",), (given("--check"),)),
    Valid("--tol", math.isfinite, "use a finite positive number"),
    Needs(("--taylor",), (given("--at"),)),
    Excludes(ANALYSES, BULK, "use --at"),
    Excludes(("--digits",), BULK, "it rounds the values at --at points"),
    Excludes(("--simplify",), BULK, "values at many points are computed from the raw derivatives"),
    Excludes(ANALYSES, NO_ANALYSIS_FORMAT, f"the formats that show analyses: {ANALYSIS_FORMATS}"),
)


def broken(inv: Invocation) -> Iterator[str]:
    """The message of every rule ``inv`` breaks, in table order."""
    for rule in RULES:
        message = rule.broken(inv)
        if message is not None:
            yield message


def check(inv: Invocation) -> None:
    """Raise :class:`~symgrad.errors.OptionError` for the first rule ``inv`` breaks."""
    for message in broken(inv):
        raise OptionError(message)


def needs(option: str) -> str | None:
    """What ``option`` works with, as ``--help`` says it ("--check or --critical"), if it is a rule."""
    for rule in RULES:
        if isinstance(rule, Needs) and option in rule.options:
            return _either(rule.any_of)
    return None
