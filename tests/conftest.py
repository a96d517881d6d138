"""Shared fixtures: an in-process CLI runner and golden-file checks.

Shared plain functions (system tools, environments, NumPy files, formula
builders) are in ``helpers.py`` beside this file.

``pytest --update-golden`` rewrites the files under ``tests/golden/`` from the
current output instead of comparing against them. Review every rewritten file
by hand (``git diff tests/golden``): a golden file is only as good as that
review.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import OUTPUT_VARIABLES
from hypothesis import settings

# Property tests draw the same examples on every run by default, so CI is
# reproducible and a red run can be replayed; ``--hypothesis-profile explore``
# draws fresh random examples (and more of them) to hunt for new bugs.
settings.register_profile("default", settings(derandomize=True, database=None))
settings.register_profile("explore", settings(derandomize=False, max_examples=1000))
settings.load_profile("default")

GOLDEN_DIR = Path(__file__).parent / "golden"

#: Environment variables that change how symgrad or Rich write output. They
#: are removed for every in-process run so that the developer's or CI's
#: environment cannot change what the tests see; a test sets them explicitly.
OUTPUT_ENV: dict[str, str | None] = {name: None for name in OUTPUT_VARIABLES}


#: Parametrized cases that take more than a second while their siblings are
#: quick (a whole test over a second is marked ``@pytest.mark.slow`` where it
#: is defined). tests/test_require_tool.py checks that each is collected.
SLOW_CASES = frozenset(
    {
        'tests/cli/test_readme.py::test_console_example'
        '[symgrad "(x^2+y-11)^2+(x+y^2-7)^2" --critical | grep critical]',
        "tests/analysis/test_critical.py::test_newton_finds_degenerate_points_and_classifies_them"
        "[x**10 - y**4-degenerate]",
        "tests/output/test_latex_compiles.py::test_latex_compiles[functions]",
    }
)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid in SLOW_CASES:
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the current output instead of comparing",
    )


class Golden:
    """Compares text with ``<directory>/<name>``, or rewrites it when updating."""

    def __init__(self, directory: Path, update: bool):
        self.directory = directory
        self.update = update

    def path(self, name: str) -> Path:
        return self.directory / name

    def check(self, name: str, text: str) -> None:
        path = self.path(name)
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            return
        if not path.exists():
            pytest.fail(
                f"golden file {path} does not exist; run `pytest --update-golden` to create it, "
                "then review it by hand",
                pytrace=False,
            )
        expected = path.read_bytes().decode("utf-8")
        if text != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"golden/{name}",
                    tofile="actual",
                )
            )
            pytest.fail(
                f"output differs from golden file {path}\n{diff}\n"
                "If the change is intended, run `pytest --update-golden` and review the diff.",
                pytrace=False,
            )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(GOLDEN_DIR, bool(request.config.getoption("--update-golden")))


@pytest.fixture
def runner() -> Iterator[CliRunner]:
    """A click runner (stdout and stderr kept apart) with a neutral environment.

    An in-process run stands for a fresh ``symgrad`` process, which has no
    garbage-collector callbacks; hypothesis registers one for its own timing
    once a property test has run, and Python drops an exception raised in a
    gc callback, so the alarm of a time limit landing there would be lost
    (``--critical`` on Himmelblau then ran on to the job's 10 s limit).
    """
    saved = list(gc.callbacks)
    gc.callbacks.clear()
    try:
        yield CliRunner(env=dict(OUTPUT_ENV))
    finally:
        gc.callbacks[:] = saved


@pytest.fixture
def cli(runner: CliRunner) -> Callable[..., Result]:
    """Run ``symgrad ARGS`` in-process; no exception may escape other than SystemExit."""
    from symgrad.cli.command import main

    def invoke(
        *args: str, input: str | None = None, env: Mapping[str, str | None] | None = None
    ) -> Result:
        result = runner.invoke(
            main, list(args), input=input, env=dict(env or {}), prog_name="symgrad"
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(
                f"symgrad {list(args)!r} raised {result.exception!r}"
            ) from result.exception
        return result

    return invoke
