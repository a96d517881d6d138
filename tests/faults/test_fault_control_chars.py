"""Control characters in every channel never reach stderr raw, nor a line of generated code.

Issue 11: the caret line of a parse error, missing-column messages (CSV
header names, ``.npz`` member names) and file paths printed ESC/BEL/RLO as
they were (``symgrad $'x+\\e]0;TITLE\\a\\e[2J'`` retitled and cleared the
terminal); a line break in the formula became a line of code after the
generated header comment. Every channel gets the same payload here; the
run must fail or succeed as usual, with stderr in the SPEC's shape and no
forbidden character (``faultkit.raw_controls``).

The channels run in-process (the ``cli`` fixture: the same code path as the
console script, far faster); the issue's own terminal example also runs in
a real process.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faultkit import code_problems, raw_controls, run, stderr_problems, verdict
from helpers import npz_bytes

#: OSC retitle + BEL, clear screen, CR, backspace, DEL, RLO, a C1 CSI, a tab.
PAYLOAD = "\x1b]0;PWNED\x07\x1b[2J\r\b\x7f\u202e\x9b1m\t"


def channel_args(channel: str, folder: Path) -> tuple[list[str], str | None]:
    """The argv and stdin that carry ``PAYLOAD`` through ``channel``."""
    p = PAYLOAD
    if channel == "csv-header":
        (folder / "in.csv").write_text(f"x,y{p}\n1,2\n", encoding="utf-8")
        return ["x*y", "--points", str(folder / "in.csv")], None
    if channel == "csv-value":
        (folder / "in.csv").write_text(f"x,y\n1,{p}\n", encoding="utf-8")
        return ["x*y", "--points", str(folder / "in.csv")], None
    if channel == "npz-member":
        (folder / "in.npz").write_bytes(npz_bytes(**{"x": np.ones(2), f"y{p}": np.ones(2)}))
        return ["x*y", "--points", str(folder / "in.npz")], None
    if channel == "existing-path":
        (folder / f"in{p}.csv").write_text("x\n1\n", encoding="utf-8")
        return ["x*y", "--points", str(folder / f"in{p}.csv")], None
    simple: dict[str, tuple[list[str], str | None]] = {
        "formula": ([f"x+{p}"], None),
        "formula-start": ([f"{p}x"], None),
        "formula-name": ([f"x{p}y(x)"], None),
        "at-name": (["x*y", "--at", f"x=1,y=2,z{p}=3"], None),
        "at-value": (["x", "--at", f"x={p}"], None),
        "wrt": (["x", "--wrt", f"x,{p}"], None),
        "symbols": (["x", "--symbols", p], None),
        "name": (["x", "-f", "c", "--name", p], None),
        "grid": (["x", "--grid", f"x=0:1:{p}"], None),
        "grid-name": (["x", "--grid", f"x{p}=0:1:n=2"], None),
        "timeout": (["x", "--timeout", p], None),
        "box": (["x", "--check", "--box", p], None),
        "diff": (["x*y", "--diff", f"x,{p}"], None),
        "along": (["x*y", "--along", p], None),
        "unknown-option": (["x", f"--{p}"], None),
        "format": (["x", "-f", p], None),
        "points-path": (["x", "--points", str(folder / f"missing{p}.csv")], None),
        "output-suffix": (["x", "--points", "-", "-o", str(folder / f"out{p}.xyz")], "x\n1\n"),
        "output-folder": (["x", "--points", "-", "-o", str(folder / f"no{p}" / "o.csv")], "x\n1\n"),
        "stdin-line": (["-"], f"x+{p}\nx*y\n"),
        "stdin-json-line": (["--json", "-"], f"{p}\n"),
        "jsonl-key": (["x*y", "--points", "-"], f'{{"x": 1, "y{p}": 2}}\n'),
        "jsonl-value": (["x*y", "--points", "-"], f'{{"x": 1, "y": "{p}"}}\n'),
    }
    return simple[channel]


CHANNELS = ["formula", "formula-start", "formula-name", "at-name", "at-value", "wrt", "symbols", "name", "grid",
            "grid-name", "timeout", "box", "diff", "along", "unknown-option", "format", "points-path",
            "existing-path", "output-suffix", "output-folder", "stdin-line", "stdin-json-line", "csv-header",
            "csv-value", "jsonl-key", "jsonl-value", "npz-member"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_control_characters_never_reach_stderr_raw(cli, tmp_path, channel):
    args, feed = channel_args(channel, tmp_path)
    result = cli(*args, input=feed)
    stdin_mode = args[-1] == "-" and "--points" not in args
    verdict(code_problems(result.exit_code, 0, 1, 2),
            stderr_problems(result.stderr.encode(), many_errors=stdin_mode))


@pytest.mark.slow
def test_the_terminal_retitle_example_in_a_real_process():
    proc = run("x+\x1b]0;TITLE\x07\x1b[2J")
    verdict(code_problems(proc.returncode, 2), stderr_problems(proc.stderr, errors=1))
    assert b"\x1b" not in proc.stderr and b"\x07" not in proc.stderr


# --- generated code -------------------------------------------------------------

LANGUAGES = ["c", "fortran", "js", "julia", "numpy", "octave", "python", "rust", "latex"]
BREAKS = {"lf": "\n", "cr": "\r", "crlf": "\r\n", "ls": "\u2028", "ps": "\u2029", "vt": "\x0b", "ff": "\x0c",
          "nel": "\x85"}
INJECTED = "max(x, 2)"  # the printers write Max(2, x) or max(2, x): this text can only be the formula's


@pytest.mark.parametrize("brk", sorted(BREAKS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_line_break_in_the_formula_never_starts_a_line_of_code(cli, language, brk):
    result = cli(f"x*{BREAKS[brk]}{INJECTED}", "-f", language)
    problems = [*code_problems(result.exit_code, 0, 2), *stderr_problems(result.stderr.encode())]
    if result.exit_code == 0:
        injected = [line for line in result.stdout.splitlines() if line.strip().startswith(INJECTED)]
        if injected:
            problems.append(f"the formula's second line is a line of {language}: {injected[0]!r}")
        controls = sorted(set(raw_controls(result.stdout)) - {"'\\n'"})
        if controls:
            problems.append(f"raw control characters in the {language} code: {controls}")
    verdict(problems)
