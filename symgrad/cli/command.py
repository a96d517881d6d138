"""The ``symgrad`` command: a thin layer over the library.

It reads options, checks them against the plan (:mod:`symgrad.cli.plan`),
runs one job per ``EXPR`` set (or per stdin line) through
:func:`symgrad.jobs.run_job` and renders it with the chosen renderer;
``--points``/``--grid`` go to :mod:`symgrad.cli.points`. Every failure is
turned into one ``Error:`` line and an exit code by
:class:`symgrad.cli.report.Reporter`, in one place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import click
from click.core import ParameterSource

from ..errors import ExitCode, OptionError, ResourceLimitError, SymgradError
from ..limits import DEFAULT_TIMEOUT, MAX_INPUT_LENGTH, check_timeout_option, time_limit
from ..output import available_formats
from ..output.options import DIGITS_RANGE, LATEX_ENVS, LATEX_STYLES
from . import plan as cli_plan
from .analysis import analysis_options, analysis_spec
from .help import SectionedCommand, long_name
from .report import (
    Reporter,
    carried_past_click,
    error,
    install_signal_handlers,
    isatty,
    leave,
    warning,
)
from .streams import guard_closed

EPILOG = """\b
Examples:
  symgrad "x**2+y*z" --at x=1,y=2,z=3     gradient, and its value at a point
  symgrad "(1-x)^2 + 100(y-x^2)^2" -H     gradient and Hessian (Rosenbrock)
  symgrad "x*y" "x+y"                     Jacobian of a vector function
  symgrad "a*x^2 + b*x" --wrt x -a x=1,a=2,b=3   a, b are parameters
  symgrad "sin(x)*y" --at x=pi/4,y=2      exact inputs give exact results
  symgrad "cos(x)*y" --at x=0.3,y=1 --digits 4   values to 4 significant digits
  symgrad "-x^2+y" --json | jq .gradient  JSON for scripts
  symgrad "x^2*y" --latex                 LaTeX (amsmath align*) for papers
  symgrad "x^2*y" -H --latex --standalone  a LaTeX document that pdflatex compiles
  symgrad "x^2*y" -H -f c --name energy   C functions grad_energy and hess_energy
  cat formulas.txt | symgrad --json -     one job per line, JSON Lines out
  cat pts.csv | symgrad "x^2*y" -H --points -   at every row of a CSV (CSV out)
  symgrad "2x^2+3y^2" --grid x=-1:1:0.5,y=0:1:n=3   on a mesh (-o grad.npz: arrays)
  symgrad "x^3*y" -H --check              verify the derivatives numerically
  symgrad "(x^2+y-11)^2+(x+y^2-7)^2" --critical   minima, maxima, saddles
  symgrad "exp(x)*y" --taylor 2 --at x=0,y=1      Taylor polynomial of order 2
  symgrad "x*y" "y*z" "z*x" --divergence --curl   vector calculus (also --laplacian)
  symgrad "x^2*y" --along 1,1 --diff x,y,y        directional derivative, one mixed partial
  symgrad "x^3-3x+y^2" --critical --plot f.png    contours, gradient arrows, critical points

\b
Names: pi, E (Euler's number), I and oo are constants (--symbols E,I makes
them variables); every other name is a variable unless it is followed by
"(" and is a known function (sin, exp, log, sqrt, Abs, erf, gamma, ...).

\b
Exit codes: 0 ok; 1 the mathematics failed (undefined at a point, time
limit); 2 bad usage or a formula that cannot be parsed; 3 a bug in symgrad;
128+N ended by signal N (130 Ctrl-C, 143 SIGTERM); 141 the reader of the
output went away (| head).
"""

_FORMULA_CHARS = set("*+/^()-. ")


class _Command(SectionedCommand):
    """The command: sectioned help, EXPRs that begin with ``-``, one error path.

    ``main`` runs click in non-standalone mode inside :meth:`Reporter.run`,
    so click's usage errors, the library's errors, bugs, signals and closed
    pipes all end the same way: one ``Error:`` line (or none) and an exit code.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        reporter = Reporter()
        run = super().main  # bound here: the lambda below has no __class__ cell for super()
        code = reporter.run(lambda: run(args, prog_name, complete_var, False, obj=reporter, **extra))
        if standalone_mode:
            leave(code)
        return code

    def invoke(self, ctx: click.Context) -> Any:
        with carried_past_click():
            return super().invoke(ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Lets an ``EXPR`` begin with ``-`` (``symgrad "-x**2+y"``)."""
        return super().parse_args(ctx, list(_protect_formulas(self.get_params(ctx), args)))


def _protect_formulas(params: Sequence[click.Parameter], args: Sequence[str]) -> Iterator[str]:
    """Prefix a space to arguments that are formulas, not options.

    Click never reads an argument that starts with a space as an option, and
    the parser ignores the space. An argument starting with ``-`` is an
    option when it is one (``-H``, ``--at``), or a short option with its
    value attached (``-ax=1``, ``-wx,y``); anything else (``-x**2+y``,
    ``-x``) is a formula.
    """
    takes_value: set[str] = set()
    flags: set[str] = set()
    for param in params:  # with the help option (-h), which is not in command.params
        if isinstance(param, click.Option):
            names = param.opts + param.secondary_opts
            (flags if param.is_flag or param.count else takes_value).update(names)
    expecting_value = False
    rest_are_arguments = False
    for arg in args:
        if rest_are_arguments or expecting_value:
            expecting_value = False
            yield arg
            continue
        if arg == "--":
            rest_are_arguments = True
        elif arg.startswith("--"):
            expecting_value = arg in takes_value
        elif arg.startswith("-") and len(arg) > 1:
            if arg in flags:
                pass
            elif arg in takes_value:
                expecting_value = True
            elif arg[:2] in takes_value and _attached_value(arg[:2], arg[2:]):
                pass
            else:
                arg = " " + arg
        yield arg


def _attached_value(option: str, rest: str) -> bool:
    if option == "-a":
        return "=" in rest
    return not (_FORMULA_CHARS & set(rest))


def _formats() -> list[str]:
    return ["auto", *available_formats()]


@click.command(
    cls=_Command,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("exprs", nargs=-1, metavar="EXPR...")
@click.option("-w", "--wrt", metavar="x,y,...", help="Differentiate with respect to these, in this order; other symbols are parameters.")
@click.option("-a", "--at", "points", multiple=True, metavar="x=1,y=2", help="Evaluate at this point (repeatable). Values: exact (pi/4, 1/3) or decimal (1e-3).")
@click.option("-H", "--hessian", is_flag=True, help="Also compute the Hessian (one per formula).")
@click.option("-f", "--format", "fmt", type=click.Choice(_formats()), default="auto", show_default=True, help="Output form; auto is pretty on a terminal, text when piped.")
@click.option("--latex", "latex_flag", is_flag=True, help="Same as --format latex.")
@click.option("--json", "json_flag", is_flag=True, help="Same as --format json.")
@click.option("--latex-env", type=click.Choice(LATEX_ENVS), default=None, help="the matrix environment (default bmatrix).")
@click.option("--latex-style", type=click.Choice(LATEX_STYLES), default=None, help="whole vectors, one equation per entry, or values as a table (default vector).")
@click.option("--standalone", is_flag=True, help="a complete document (amsmath only) that pdflatex compiles.")
@click.option("--name", "func_name", metavar="NAME", default=None, help="the function's name in LaTeX, generated code (grad_NAME) and --points/--grid columns (dNAME/dx); default f.")
@click.option("--from", "syntax", type=click.Choice(["auto", "text", "latex"]), default="auto", show_default=True, help="How EXPR (and stdin lines) are written: text (Python/SymPy syntax) or latex (\\frac, \\sqrt, \\sin, e^{x}, x_{1}, ...); auto reads a formula with a LaTeX command (a backslash and a letter, as \\frac or \\sin) as LaTeX.")
@click.option("--symbols", metavar="E,I", default="", help="Read these constant names as plain variables.")
@click.option("--complex", "complex_", is_flag=True, help="Variables are complex, not real: holomorphic derivatives, complex --at values (z=1+I).")
@click.option("--timeout", type=click.FloatRange(min=0), callback=check_timeout_option, default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS", help="Time limit per job (0 or inf: none); exit code 1 when hit.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
@click.option("--engine", type=click.Choice(["auto", "sympy", "symengine"]), default="auto", show_default=True, help="Differentiation engine; auto uses symengine for big formulas (results are the same).")
@click.option("--digits", type=click.IntRange(*DIGITS_RANGE), metavar="N", default=None, help="round each double computed at a point to N significant digits (exact values stay exact). Default: the shortest text that reads back as the same double.")
@click.option("--simplify", type=click.Choice(["off", "tidy", "full"]), default="tidy", show_default=True, help="How derivatives are written: off is SymPy's raw diff; tidy pulls out factors, cancels and merges, keeping the smallest form (every rewrite checked numerically); full adds simplify() within a time budget.")
@click.option("--full", is_flag=True, help="Pretty output: draw big vectors, matrices and tables in full instead of folding them.")
@click.option("--shared-terms", "shared_terms", is_flag=True, help="name the big subexpressions the entries share (t0 = ...; JSON: a \"shared\" object) and write the entries in those names.")
@click.option("--points", "points_file", metavar="FILE", help="Evaluate at every row of FILE (CSV/TSV with a header, JSON Lines, .npy, .npz; - for stdin).")
@click.option("--grid", metavar="x=-1:1:0.5,y=0:1:n=11", help="Evaluate on a mesh: start:stop:step or start:stop:n=COUNT per variable.")
@click.option("-o", "--output", "output_file", metavar="FILE", help="write to FILE (.csv .tsv .jsonl .npy .npz .parquet).")
@click.option("--strict", is_flag=True, help="exit 1 if any derivative is nan or inf (the function's value alone never fails).")
@click.option("--no-value", "no_value", is_flag=True, help="leave out the column of the function's own value (the entries' columns alone).")
@click.option("--backend", type=click.Choice(["auto", "symengine", "numpy"]), default="auto", show_default=True, help="the compiled evaluator.")
@click.option("--chunk-rows", type=click.IntRange(min=1), default=65_536, show_default=True, help="rows evaluated per chunk.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", default=None, help="processes evaluating the points, output in input order (default: every core for input files of 16 MiB or more, else 1; a --grid uses 1); with a directory or glob of partitions, a local Dask cluster of N workers.")
@click.option("--scheduler", metavar="ADDRESS", default=None, help="evaluate on the dask.distributed cluster at ADDRESS (tcp://host:8786; needs the 'dask' extra); a directory or glob of Parquet/CSV partitions in, a directory of Parquet partitions out (-o DIR).")
@click.option("--plot", "plot_file", metavar="FILE|-", help="draw f to FILE (.png .svg .pdf; needs the plot extra): contours and gradient arrows over two variables (critical points marked with --critical), f, f' (and f'' with -H) over one; the window is --box, else around the --at points; - draws a character plot (the terminal-plot extra).")
@analysis_options  # --check --critical --taylor --divergence --curl --laplacian --along --diff (cli_analysis.py)
@click.version_option(package_name="symgrad", prog_name="symgrad")
@click.pass_context
def main(ctx: click.Context, /, exprs: tuple[str, ...], **options: Any) -> int:
    """Exact gradient, Hessian and Jacobian of EXPR, and their values at points.

    EXPR is a formula in Python/SymPy syntax; ^ means power and 2x, 3(x+1),
    (x+1)(x-1) multiply. Several EXPR form a vector function (its Jacobian).
    EXPR "-" (or none, with stdin not a terminal) reads one job per line
    from stdin; a line may hold several formulas separated by ";".
    """
    from ..output.console import Environment, resolve_format

    reporter: Reporter = ctx.obj
    reporter.debug = options["debug"]
    o = options
    formats = (*(["latex"] if o["latex_flag"] else []), *(["json"] if o["json_flag"] else []),
               *([o["fmt"]] if o["fmt"] != "auto" else []))
    env = Environment()
    stdin = sys.stdin  # (click.get_text_stream is deprecated in Click 8.5)
    stream = exprs == ("-",) or (not exprs and not isatty(stdin))
    fmt = resolve_format(formats[0] if formats else "auto", env)
    cli_plan.check(_invocation(ctx, exprs, formats, fmt, stream))

    import dataclasses

    from ..jobs import JobSpec

    spec = JobSpec(
        wrt=o["wrt"],
        symbols=o["symbols"],
        real=not o["complex_"],
        syntax=o["syntax"],
        hessian=o["hessian"],
        points=_read_points(o["points"], real=not o["complex_"]),
        # stdin mode: many jobs share symengine's import, so it pays off
        engine="symengine" if stream and o["engine"] == "auto" else o["engine"],
        simplify=o["simplify"],
        analysis=analysis_spec(o),
    )
    if o["points_file"] is not None or o["grid"] is not None:
        from .points import BulkOptions, run_bulk_command

        bulk = BulkOptions(o["points_file"], o["grid"], o["output_file"], o["strict"], o["backend"],
                           o["chunk_rows"], o["func_name"] or "f", value=not o["no_value"],
                           workers=o["workers"], scheduler=o["scheduler"])
        # many points show no derivative: the raw ones compile to the fastest code (measured:
        # the log-sum-exp Hessian on 5e5 grid points takes 15% longer tidied)
        spec = dataclasses.replace(spec, simplify="off")
        return run_bulk_command(exprs, spec, bulk, fmt, o["timeout"], reporter)
    settings = _render_settings(o["latex_env"], o["latex_style"], o["standalone"], o["func_name"])
    settings |= {"full": True} if o["full"] else {}
    settings |= {"shared": True} if o["shared_terms"] else {}
    settings |= {"digits": o["digits"]} if o["digits"] is not None else {}
    output = _Output(fmt, env, settings)
    after = None
    if o["plot_file"] is not None:
        from .plot import plotter

        after = plotter(o["plot_file"], o["box"])
    if stream:
        code, count = _run_stream(_stdin_jobs(stdin), spec, output, o["timeout"], reporter)
        if count == 0 and not exprs:
            raise OptionError("missing EXPR, and no formula on stdin")
        return code
    return _run_job(exprs, spec, output, o["timeout"], reporter, after=after)


def _invocation(ctx: click.Context, exprs: tuple[str, ...], formats: tuple[str, ...], fmt: str,
                stream: bool) -> cli_plan.Invocation:
    """What the plan checks: which options are on the command line, and their values."""
    options = [p for p in ctx.command.params if isinstance(p, click.Option) and p.name in ctx.params]
    given = frozenset(
        long_name(p) for p in options if ctx.get_parameter_source(p.name or "") is not ParameterSource.DEFAULT
    )
    values = {long_name(p): ctx.params[p.name or ""] for p in options}
    return cli_plan.Invocation(given, values, exprs, formats, fmt, stream)


def _read_points(texts: Sequence[str], real: bool = True) -> tuple[dict[str, Any], ...]:
    """Each ``--at`` text as ``{name: SymPy number}``, parsed once (exact stays exact)."""
    if not texts:
        return ()
    from ..parsing import parse_point, parse_value

    points = []
    for text in texts:
        point = parse_point(text, "--at")  # its messages name --at themselves
        try:
            points.append({name: parse_value(value, name, real) for name, value in point.items()})
        except SymgradError as err:
            raise err.about("--at") from None
    return tuple(points)


def _render_settings(
    latex_env: str | None, latex_style: str | None, standalone: bool, name: str | None
) -> dict[str, Any]:
    """The LaTeX and code-generation settings given (the plan checked that they apply)."""
    latex = {"latex_env": latex_env, "latex_style": latex_style, "standalone": standalone or None}
    settings = {key: value for key, value in latex.items() if value is not None}
    return settings | ({"name": name} if name is not None else {})


class _Output:
    """Renders jobs in one format and writes them to stdout."""

    def __init__(self, fmt: str, env: Any, settings: dict[str, Any] | None = None):
        from ..output import RenderOptions, get_renderer

        self.fmt = fmt
        self.renderer = get_renderer(fmt)
        self.console = None
        width = 80
        if fmt == "pretty":
            from ..output.console import make_console

            self.console = make_console(env)
            width = max(self.console.width, 40)
        self.options = RenderOptions(width=width, **(settings or {}))
        self.jobs = 0

    def render(self, job: Any) -> Any:
        return self.renderer(job, self.options)

    def write(self, rendered: Any) -> None:
        if self.jobs and self.fmt != "json":
            click.echo("")
        self.jobs += 1
        if self.console is not None:
            self.console.print(rendered)
        else:
            click.echo(rendered)
        sys.stdout.flush()


#: The option the command line reads each input of a job from (errors name it).
_OPTION_OF_INPUT = {"point": "--at"}


def _run_job(
    formulas: Sequence[str], spec: Any, output: _Output, timeout: float, reporter: Reporter,
    line: int | None = None, after: Callable[[Any], str | None] | None = None,
) -> int:
    """Compute, render and write one job (from stdin ``line``); report its errors. Returns its exit code.

    ``after`` (``--plot``) is called with the job once it is rendered; the text it returns is
    written after the job's output."""
    import dataclasses

    import sympy  # noqa: F401  (its one-time import must not count against the time limit)

    from ..jobs import run_job

    prefix = "" if line is None else f"line {line}: "
    rendered = job = extra = None
    with reporter.job(prefix) as status:
        with time_limit(timeout):
            try:
                job = dataclasses.replace(run_job(formulas, spec), line=line)
            except SymgradError as err:
                if err.input in _OPTION_OF_INPUT:
                    err.about(_OPTION_OF_INPUT[err.input])
                raise
            rendered = output.render(job)
        # the drawing (a fixed number of samples) is not the mathematics --timeout bounds
        extra = after(job) if after is not None else None
    if status.code:
        return status.code
    output.write(rendered)
    if extra is not None:
        click.echo(extra)
    assert job is not None
    from ..output.common import point_text

    for values in job.points:
        for entry in values.limits:
            warning(f"{prefix}{entry} at {point_text(values)} is a limit: the formula has no value there (0/0)")
    for note in job.derivatives.parsed.warnings:
        warning(f"{prefix}{note}")
    for problem in job.problems:
        error(f"{prefix}{problem.entry} = {problem.value}: {problem.reason}")
    return ExitCode.MATH if job.problems else ExitCode.OK


def _stdin_jobs(stream: IO[str]) -> Iterator[tuple[int, list[str] | None]]:
    """(line number, formulas) for each non-empty, non-comment line; ``None`` for a line
    over :data:`~symgrad.limits.MAX_INPUT_LENGTH` characters, which is skipped unread."""
    limit = MAX_INPUT_LENGTH
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            while (rest := stream.readline(limit)) and not rest.endswith("\n"):
                pass  # the rest of the long line, a piece at a time
            yield number, None
            continue
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        yield number, split_formulas(text)


def split_formulas(text: str) -> list[str]:
    """A stdin line's formulas: split at each ``;`` outside brackets (``(``,
    ``[``, ``{``), so that LaTeX's ``{}_{2}F_{1}(a, b; c; z)`` stays one
    formula; ``\\;`` is a LaTeX space, not a separator."""
    parts: list[str] = []
    depth = 0
    start = 0
    previous = ""
    for k, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0 and previous != "\\":
            parts.append(text[start:k])
            start = k + 1
        previous = char
    parts.append(text[start:])
    return parts


def _run_stream(
    jobs: Iterable[tuple[int, list[str] | None]], spec: Any, output: _Output, timeout: float, reporter: Reporter
) -> tuple[int, int]:
    """Run each stdin job, streaming results. Returns the worst exit code and the job count."""
    worst = 0
    count = 0
    for number, formulas in jobs:
        count += 1
        if formulas is None:
            with reporter.job(f"line {number}: ") as status:
                raise ResourceLimitError(f"the line is longer than a formula may be (limit: {MAX_INPUT_LENGTH})")
            worst = max(worst, status.code)
            continue
        worst = max(worst, _run_job(formulas, spec, output, timeout, reporter, line=number))
    return worst, count


def run() -> None:
    """Console-script entry point: the command, with SIGINT/SIGTERM/SIGHUP ending it cleanly."""
    install_signal_handlers()
    guard_closed()
    main(prog_name="symgrad")
