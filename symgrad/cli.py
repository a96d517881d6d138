"""The ``symgrad`` command: a thin layer over the library.

It reads options, runs one job per ``EXPR`` set (or per stdin line) through
:func:`symgrad.jobs.run_job`, renders it with the chosen renderer and maps
the library's exceptions to one ``Error:`` line and an exit code, in one
place (:func:`_reported`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from .cli_analysis import analysis_options
from .errors import ExitCode, ParseError, ResourceLimitError, SymgradError
from .limits import DEFAULT_TIMEOUT, time_limit
from .render import available_formats
from .render.options import CODE_FORMATS, LATEX_ENVS, LATEX_STYLES

EPILOG = """\b
Examples:
  symgrad "x**2+y*z" --at x=1,y=2,z=3     gradient, and its value at a point
  symgrad "(1-x)^2 + 100(y-x^2)^2" -H     gradient and Hessian (Rosenbrock)
  symgrad "x*y" "x+y"                     Jacobian of a vector function
  symgrad "a*x^2 + b*x" --wrt x -a x=1,a=2,b=3   a, b are parameters
  symgrad "sin(x)*y" --at x=pi/4,y=2      exact inputs give exact results
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

\b
Names: pi, E (Euler's number), I and oo are constants (--symbols E,I makes
them variables); every other name is a variable unless it is followed by
"(" and is a known function (sin, exp, log, sqrt, Abs, erf, gamma, ...).

\b
Exit codes: 0 ok; 1 the mathematics failed (undefined at a point, time
limit); 2 bad usage or a formula that cannot be parsed.
"""

_FORMULA_CHARS = set("*+/^()-. ")


class _Command(click.Command):
    """Lets an ``EXPR`` begin with ``-`` (``symgrad "-x**2+y"``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
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
@click.option("--latex-env", type=click.Choice(LATEX_ENVS), default=None, help="LaTeX: matrix environment (default bmatrix).")
@click.option("--latex-style", type=click.Choice(LATEX_STYLES), default=None, help="LaTeX: whole vectors, one equation per entry, or values as a table (default vector).")
@click.option("--standalone", is_flag=True, help="LaTeX: a complete document (amsmath only) that pdflatex compiles.")
@click.option("--name", "func_name", metavar="NAME", default=None, help="The function's name in LaTeX, generated code (grad_NAME) and --points/--grid columns (dNAME/dx); default f.")
@click.option("--symbols", metavar="E,I", default="", help="Read these constant names as plain variables.")
@click.option("--complex", "complex_", is_flag=True, help="Variables are complex, not real.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS", help="Time limit per job (0: none); exit code 1 when hit.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
@click.option("--engine", type=click.Choice(["auto", "sympy", "symengine"]), default="auto", show_default=True, help="Differentiation engine; auto uses symengine for big formulas (results are the same).")
@click.option("--full", is_flag=True, help="Pretty output: draw big vectors, matrices and tables in full instead of folding them.")
# -- many points (symgrad/bulk.py) --
@click.option("--points", "points_file", metavar="FILE", help="Evaluate at every row of FILE (CSV/TSV with a header, JSON Lines, .npy, .npz; - for stdin).")
@click.option("--grid", metavar="x=-1:1:0.5,y=0:1:n=11", help="Evaluate on a mesh: start:stop:step or start:stop:n=COUNT per variable.")
@click.option("-o", "--output", "output_file", metavar="FILE", help="With --points/--grid: write to FILE (.csv .tsv .jsonl .npy .npz .parquet).")
@click.option("--strict", is_flag=True, help="With --points/--grid: exit 1 if any value is nan or inf.")
@click.option("--backend", type=click.Choice(["auto", "symengine", "numpy"]), default="auto", show_default=True, help="With --points/--grid: compiled evaluator.")
@click.option("--chunk-rows", type=click.IntRange(min=1), default=65_536, show_default=True, help="With --points/--grid: rows evaluated per chunk.")
@analysis_options  # --check --critical --taylor --divergence --curl --laplacian --along --diff (cli_analysis.py)
@click.version_option(package_name="symgrad", prog_name="symgrad")
def main(
    exprs: tuple[str, ...],
    wrt: str | None,
    points: tuple[str, ...],
    hessian: bool,
    fmt: str,
    latex_flag: bool,
    json_flag: bool,
    latex_env: str | None,
    latex_style: str | None,
    standalone: bool,
    func_name: str | None,
    symbols: str,
    complex_: bool,
    timeout: float,
    debug: bool,
    engine: str,
    full: bool,
    points_file: str | None,
    grid: str | None,
    output_file: str | None,
    strict: bool,
    backend: str,
    chunk_rows: int,
    analysis: Any,
) -> None:
    """Exact gradient, Hessian and Jacobian of EXPR, and their values at points.

    EXPR is a formula in Python/SymPy syntax; ^ means power and 2x, 3(x+1),
    (x+1)(x-1) multiply. Several EXPR form a vector function (its Jacobian).
    EXPR "-" (or none, with stdin not a terminal) reads one job per line
    from stdin; a line may hold several formulas separated by ";".
    """
    from .console import Environment, resolve_format

    chosen = [f for f, on in (("latex", latex_flag), ("json", json_flag)) if on]
    if fmt != "auto":
        chosen.append(fmt)
    if len(set(chosen)) > 1:
        raise click.UsageError(f"choose one output format, not {' and '.join(sorted(set(chosen)))}")
    env = Environment()
    fmt = resolve_format(chosen[0] if chosen else "auto", env)
    bulk_mode = points_file is not None or grid is not None
    settings = _render_settings(fmt, latex_env, latex_style, standalone, func_name, bulk_mode)
    output = _Output(fmt, env, settings | ({"full": True} if full else {}))

    stdin = sys.stdin  # (click.get_text_stream is deprecated in Click 8.5)
    stream_mode = exprs == ("-",) or (not exprs and not _isatty(stdin))
    if not exprs and not stream_mode:
        raise click.UsageError("missing EXPR (a formula such as \"x**2+y*z\")")
    if "-" in exprs and len(exprs) > 1:
        raise click.UsageError("'-' (read stdin) must be the only EXPR")

    from .jobs import JobSpec
    from .parsing import parse_point

    with _reported(debug) as status:
        spec = JobSpec(
            wrt=wrt,
            symbols=symbols,
            real=not complex_,
            hessian=hessian,
            points=tuple(parse_point(p) for p in points),
            # stdin mode: many jobs share symengine's import, so it pays off
            engine="symengine" if stream_mode and engine == "auto" else engine,
            analysis=analysis.spec(),
        )
    if status.code:
        sys.exit(status.code)

    if bulk_mode:
        from .cli_bulk import BulkOptions, run_bulk_command

        bulk = BulkOptions(points_file, grid, output_file, strict, backend, chunk_rows, func_name or "f")
        sys.exit(run_bulk_command(exprs, spec, bulk, output.fmt, timeout, debug))
    for flag, given in (("--output", output_file), ("--strict", strict)):
        if given:
            raise click.UsageError(f"{flag} works with --points or --grid")

    if points and fmt in CODE_FORMATS:
        raise click.UsageError(f"--at does not apply to --format {fmt}: generated code takes the point as arguments")
    if stream_mode and standalone:
        raise click.UsageError("--standalone makes one document: give the formulas as EXPR, not on stdin")
    if stream_mode:
        code, count = _run_stream(_stdin_jobs(stdin), spec, output, timeout, debug)
        if count == 0 and not exprs:
            raise click.UsageError("missing EXPR, and no formula on stdin")
        sys.exit(code)
    sys.exit(_run_job(exprs, spec, output, timeout, debug))


def _render_settings(
    fmt: str, latex_env: str | None, latex_style: str | None, standalone: bool, name: str | None,
    bulk: bool = False,
) -> dict[str, Any]:
    """LaTeX and code-generation settings; an option the format ignores is a usage error.

    ``--name`` also names the columns of ``--points``/``--grid`` output (``bulk``).
    """
    from .render.options import NAME_PATTERN

    latex = {"latex_env": latex_env, "latex_style": latex_style, "standalone": standalone or None}
    if fmt != "latex":
        for option, value in latex.items():
            if value is not None:
                raise click.UsageError(f"--{option.replace('_', '-')} works with --format latex")
    if name is not None:
        if fmt != "latex" and fmt not in CODE_FORMATS and not bulk:
            raise click.UsageError("--name works with --format latex, the code formats, --points and --grid")
        if not NAME_PATTERN.fullmatch(name):
            raise click.UsageError(
                f"--name {name!r}: use a letter followed by up to 31 letters, digits or underscores"
            )
    settings = {key: value for key, value in latex.items() if value is not None}
    return settings | ({"name": name} if name is not None else {})


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _Status:
    """The exit code :func:`_reported` settled on."""

    def __init__(self) -> None:
        self.code = ExitCode.OK


@contextmanager
def _reported(debug: bool, prefix: str = "") -> Iterator[_Status]:
    """The one place that turns exceptions into ``Error:`` lines and exit codes."""
    status = _Status()
    try:
        yield status
    except SymgradError as err:
        status.code = err.exit_code
        _error(prefix + str(err))
        if isinstance(err, ParseError):
            for line in err.caret_lines():
                click.echo(line, err=True)
    except (RecursionError, MemoryError) as err:
        if debug:
            raise
        limit = ResourceLimitError(
            "formula is nested too deeply" if isinstance(err, RecursionError) else "out of memory"
        )
        status.code = limit.exit_code
        _error(prefix + str(limit))
    except Exception as err:  # a bug: report it in one line unless debugging
        if debug:
            raise
        status.code = ExitCode.MATH
        _error(f"{prefix}internal error ({type(err).__name__}: {err}); --debug shows the traceback")


def _error(message: str) -> None:
    click.echo(f"Error: {message}", err=True)


class _Output:
    """Renders jobs in one format and writes them to stdout."""

    def __init__(self, fmt: str, env: Any, settings: dict[str, Any] | None = None):
        from .render import RenderOptions, get_renderer

        self.fmt = fmt
        self.renderer = get_renderer(fmt)
        self.console = None
        width = 80
        if fmt == "pretty":
            from .console import make_console

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


def _run_job(
    formulas: Sequence[str], spec: Any, output: _Output, timeout: float, debug: bool, line: int | None = None
) -> ExitCode:
    """Compute, render and write one job (from stdin ``line``); report its errors. Returns its exit code."""
    import dataclasses

    import sympy  # noqa: F401  (its one-time import must not count against the time limit)

    from .jobs import run_job

    prefix = "" if line is None else f"line {line}: "
    rendered = job = None
    with _reported(debug, prefix) as status, time_limit(timeout):
        job = dataclasses.replace(run_job(formulas, spec), line=line)
        rendered = output.render(job)
    if status.code:
        return status.code
    output.write(rendered)
    assert job is not None
    for problem in job.problems:
        _error(f"{prefix}{problem.entry} = {problem.value}: {problem.reason}")
    return ExitCode.MATH if job.problems else ExitCode.OK


def _stdin_jobs(stream: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, formulas) for each non-empty, non-comment line."""
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        yield number, [part for part in text.split(";")]


def _run_stream(
    jobs: Iterable[tuple[int, list[str]]], spec: Any, output: _Output, timeout: float, debug: bool
) -> tuple[ExitCode, int]:
    """Run each stdin job, streaming results. Returns the worst exit code and the job count."""
    worst = ExitCode.OK
    count = 0
    for number, formulas in jobs:
        count += 1
        code = _run_job(formulas, spec, output, timeout, debug, line=number)
        worst = max(worst, code)
    return worst, count


def run() -> None:
    """Console-script entry point: ``main`` plus quiet handling of closed pipes."""
    try:
        main(prog_name="symgrad")
    except BrokenPipeError:
        # The reader went away (symgrad ... | head): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitCode.MATH)
    except KeyboardInterrupt:
        sys.exit(130)
