"""User text on stderr is escaped: no control, format or line-separator character reaches the terminal.

Every channel that repeats the user's text in a message is tried in a real
``symgrad`` process: a formula (its message and caret line), ``--at`` names
and values, ``--wrt``, click's own usage errors, CSV header names and
``.npz`` member names in a missing-column message, ``--points`` and ``-o``
paths, and stdin-mode lines. The payloads hold an OSC title sequence
(``ESC ] 0 ; ... BEL``), a CSI clear-screen, RLO (U+202E), the bidi isolates
(U+2066-U+2069), LRM/RLM, NEL, DEL, a C1 control and U+2028/U+2029. On stderr
each must be spelled as an escape (``\\x1b``, ``\\u202e``), ordinary Unicode
(``α``, ``∂``, CJK) must be kept, and every message must stay one line.
"""

from __future__ import annotations

import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import clean_env, npz_bytes, symgrad_script
from hypothesis import assume, given
from hypothesis import strategies as st

from symgrad.errors import ParseError
from symgrad.parsing import parse_expression
from symgrad.text import display_width, one_line, printable

#: The terminal's title and a cleared screen: what ``symgrad $'x+\e]0;TITLE\a\e[2J'`` did.
TITLE = "\x1b]0;TITLE\x07\x1b[2J"
#: Bidi and other invisible controls, a C1 control, DEL and the Unicode line separators.
INVISIBLE = "\u202e\u2066\u2067\u2068\u2069\u200e\u200f\x85\x9b\x7f\u2028\u2029"
HOSTILE = TITLE + INVISIBLE


def test_printable_escapes_controls_and_keeps_unicode():
    assert printable("x+" + TITLE) == "x+\\x1b]0;TITLE\\x07\\x1b[2J"
    assert printable(INVISIBLE) == (
        "\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\x85\\x9b\\x7f\\u2028\\u2029"
    )
    assert printable("a\tb\nc\rd\x00") == "a\\tb\\nc\\rd\\x00"
    assert printable("∂f/∂α = 中文 · x²") == "∂f/∂α = 中文 · x²"
    assert printable("\udcff") == "\\udcff"  # an undecodable byte of a file name
    assert printable("\U000e0041") == "\\U000e0041"  # a tag character (format)


def test_one_line_joins_every_kind_of_line_break():
    assert one_line("x*\nmax(x, 2)") == "x* max(x, 2)"
    assert one_line("a\r\n\x0b\x0c\x85\u2028\u2029\x1c\x1d\x1e\x1f\tb") == "a b"
    assert one_line("x\x1b") == "x\\x1b"


@given(st.text())
def test_printable_leaves_no_control_and_changes_nothing_else(text):
    shown = printable(text)
    assert _raw_controls(shown.encode("utf-8", "surrogateescape")) == []
    assert "\n" not in shown
    kept = [ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp")]
    assert printable("".join(kept)) == "".join(kept)


@given(st.text(min_size=1, max_size=400), st.data())
def test_the_caret_points_at_the_escaped_character(source, data):
    assume(source.strip())
    column = data.draw(st.integers(0, len(source) - 1))
    line, caret = ParseError("m", source, column).caret_lines()
    assert caret.strip() == "^"
    start = max(0, column - 60) if len(source) > 200 else 0
    head = ("..." if start else "") + printable(source[start:column])
    assert line[2:].startswith(head)
    assert line[2 + len(head):].startswith(printable(source[column]))
    assert len(caret) - 1 == 2 + display_width(head)


def test_error_and_warning_lines_are_escaped(capsys):
    from symgrad.cli.report import error, warning

    error("missing column " + HOSTILE)
    warning("row 3: " + HOSTILE + "\nWarning: forged")
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "Error: missing column " + printable(HOSTILE),
        "Warning: row 3: " + printable(HOSTILE) + "\\nWarning: forged",
    ]
    assert _raw_controls("\n".join(lines).encode()) == []


def test_display_width_counts_wide_characters_twice():
    assert display_width("x+1") == 3
    assert display_width("中文") == 4
    assert display_width("é") == 1  # e and a combining accent


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("x+\x1b+1", "\\x1b"),  # the ESC itself is the offending character
        ("\u2028x $", "$"),  # the tokenizer reads U+2028 as a space
        ("x\n+ $", "$"),  # a newline in the formula, on one line
        ("中文 + $", "$"),
        ("α\u202e", "\\u202e"),
    ],
)
def test_the_caret_stays_under_its_character_after_escaping(text, wanted):
    with pytest.raises(ParseError) as info:
        parse_expression(text)
    source, caret = info.value.caret_lines()
    assert printable(source) == source  # nothing left to escape
    assert caret.strip() == "^"
    column = len(caret) - 1
    at = [k for k in range(len(source)) if display_width(source[:k]) == column]
    assert at and source[at[0]:].startswith(wanted), (source, caret)


def test_the_caret_stays_under_its_character_in_a_long_source():
    text = "\x1b" * 150 + "x+$" + "+x" * 100
    err = ParseError("m", text, text.index("$"))
    source, caret = err.caret_lines()
    assert source.startswith("  ...")
    assert source[len(caret) - 1] == "$"


# ---------------------------------------------------------------------------
# Every channel, in a real process


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    #: What stderr must show of the payload, escaped (not dropped).
    shown: str
    input: str | None = None


def _files(directory: Path) -> dict[str, Path]:
    header = "x,y," + "a" + HOSTILE + "b\n1,2,3\n"
    csv = directory / "header.csv"
    csv.write_text(header.replace("x,", "w,"), encoding="utf-8")
    good = directory / "good.csv"
    good.write_text("x,y\n1,2\n", encoding="utf-8")
    npz = directory / "members.npz"
    npz.write_bytes(npz_bytes(**{"w": [1.0], "y": [2.0], "a" + HOSTILE: [3.0]}))
    return {"csv": csv, "good": good, "npz": npz}


def _cases(files: dict[str, Path]) -> dict[str, Case]:
    escaped = "\\x1b]0;TITLE\\x07"
    return {
        "formula": Case(("x+" + HOSTILE,), escaped),
        "formula-rlo": Case(("x" + INVISIBLE + "+$",), "\\u202e"),
        "formula-newline": Case(("x*\n$\x85+1",), "\\n$\\x85"),
        "at-name": Case(("x*y", "--at", "x=1,y=2,q" + HOSTILE + "=3"), escaped),
        "at-value": Case(("x*y", "--at", "x=1" + HOSTILE + ",y=2"), escaped),
        "wrt": Case(("x*y", "--wrt", "x," + HOSTILE), escaped),
        "click-option": Case(("x", "--o" + HOSTILE), escaped),
        "click-choice": Case(("x", "--engine", HOSTILE), escaped),
        "csv-header": Case(("x*y", "--points", str(files["csv"])), escaped),
        "npz-member": Case(("x*y", "--points", str(files["npz"])), escaped),
        "points-path": Case(
            ("x*y", "--points", str(files["good"].parent / ("no" + HOSTILE + "\nx.csv"))), escaped
        ),
        "output-path": Case(
            ("x*y", "--points", str(files["good"]), "-o",
             str(files["good"].parent / ("no" + HOSTILE + "\ndir") / "out.csv")),
            escaped,
        ),
        "stdin": Case(("-",), "\\x1b]0", input="x**2\nx+" + TITLE.replace(";", "") + "\n"),
        "stdin-rlo": Case(("--json", "-"), "\\u202e", input="x+\u202e1\n"),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[Case, subprocess.CompletedProcess[bytes]]]:
    directory = tmp_path_factory.mktemp("terminal_text")
    cases = _cases(_files(directory))

    def run(case: Case) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [symgrad_script(), *case.args],
            check=False, input=None if case.input is None else case.input.encode(),
            capture_output=True, cwd=directory, env=clean_env(), timeout=120,
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(cases, pool.map(run, cases.values())))
    return {name: (cases[name], results[name]) for name in cases}


CASE_NAMES = sorted(_cases({"csv": Path("c"), "good": Path("g"), "npz": Path("n")}))


def _raw_controls(stderr: bytes) -> list[str]:
    """The control, format and separator characters of ``stderr`` (newline apart)."""
    text = stderr.decode("utf-8", errors="surrogateescape")
    return [
        repr(ch) for ch in text
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", CASE_NAMES)
def test_stderr_holds_no_raw_control_character(runs, name):
    case, result = runs[name]
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr
    assert not [b for b in result.stderr if (b < 0x20 and b != 0x0A) or b == 0x7F], result.stderr
    assert _raw_controls(result.stderr) == [], result.stderr
    text = result.stderr.decode()
    assert case.shown in text, text  # the payload is shown escaped, not dropped
    errors = [line for line in text.splitlines() if line.startswith("Error: ")]
    others = [line for line in text.splitlines() if not line.startswith("Error: ")]
    assert len(errors) == 1, text
    assert all(line.startswith("  ") for line in others), text  # only a caret line pair


@pytest.mark.slow
def test_ordinary_unicode_is_kept_on_stderr(tmp_path):
    result = subprocess.run(
        [symgrad_script(), "α*中文 + $"], check=False, capture_output=True, cwd=tmp_path, env=clean_env(), timeout=120
    )
    assert result.returncode == 2
    source, caret = result.stderr.decode().splitlines()[1:]
    assert source == "  α*中文 + $"
    assert display_width(source[: source.index("$")]) == caret.index("^")
