"""Readability: how big symgrad's derivatives are, beside SymPy's and Maxima's.

For every formula of the corpus (``benchmarks/readability_corpus.txt``,
one per line; ``formula | x, y`` names the variables) the entries are the
gradient and the Hessian's upper triangle. Each entry is written by:

* symgrad, in each mode: ``symgrad.hessian(formula, simplify=MODE)`` for
  ``off``, ``tidy`` and ``full``. Without the ``simplify`` keyword (before
  the tidy step exists) ``off`` is the plain ``symgrad.hessian(formula)``
  and ``tidy``/``full`` are "n/a", with a note;
* the peers, each starting from symgrad's ``off`` entry: SymPy
  ``simplify(entry)`` and ``factor(entry)``, each under a SIGALRM time
  budget (``--budget``, default 10 s a call), and Maxima, one process per
  formula (``maxima --very-quiet --batch-string=...``, ``display2d:false``):
  Maxima differentiates the formula itself (``diff(f, x)``, then
  ``diff(g, y)`` of the gradient entry) and the Maxima entry is the
  smallest of ``d``, ``ratsimp(d)``, ``fullratsimp(d)``, ``factor(d)``,
  ``trigsimp(d)`` and ``radcan(d)`` (see ``readability_peers.py``).
  Maxima's text is read back with symgrad's safe parser (``%e``, ``%pi``,
  ``%i`` respelled), never ``sympify``. Without Maxima (``--maxima PATH``,
  default the ``maxima`` on PATH; Debian package ``maxima``) its column is
  "n/a", with a note.

Every entry other than symgrad's ``off`` one is checked numerically against
it: at random rational points in [0.13, 0.87] (seeded, ``--seed``), at 30
digits (SymPy ``evalf``, i.e. mpmath), the two must agree to 1e-10 relative
at two points or more. A peer entry that times out, fails, does not parse
or has another value is reported and does not count: that column is
charged the ``off`` entry there (the peer gave nothing usable), and the
best peer is chosen among the others. A symgrad mode with another value is
a bug and is reported as WRONG.

The measure, the same for every column: ``sympy.count_ops(expr,
visual=False)`` of the entry, ties broken by ``len(str(expr))``. The table
has one row per column: the total operations over all entries; the median
over entries (those whose ``off`` entry has at least one operation) of the
entry's operations over its ``off`` operations; the total over ``off``'s
total; the total over the total of the best peer per entry (for each
entry, the smallest valid one of simplify, factor and Maxima, by the
measure; ``off`` where no peer is valid); the entries that failed; and the
wall time: symgrad's modes time the whole ``symgrad.hessian`` call (parse,
differentiate, tidy), SymPy's peers their calls on the ``off`` entries
(on top of ``off``), Maxima its processes (start-up, its own differentiation
and all six candidates), the best peer the three peers together. SymPy's
cache is cleared before each symgrad call and each SymPy peer's formula.
The whole corpus takes about two minutes on two shared cores, most of it
in ``simplify`` and Maxima.

Run:

    python benchmarks/bench_readability.py                 # the table
    python benchmarks/bench_readability.py --per-formula   # and one row per formula
    python benchmarks/bench_readability.py --json          # machine output
    python benchmarks/bench_readability.py --skip full,simplify   # quicker: those columns n/a
"""

from __future__ import annotations

import argparse
import inspect
import json
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp
from readability_peers import (
    Outcome,
    entry_labels,
    maxima_peer,
    numeric,
    random_points,
    same_value,
    size,
    sympy_peer,
)

import symgrad

CORPUS = Path(__file__).with_name("readability_corpus.txt")
MODES = ("off", "tidy", "full")
PEERS = ("simplify", "factor", "maxima")
COLUMNS = (*MODES, *PEERS)
BEST = "best peer"


def read_corpus(path: Path) -> list[tuple[str, str | None]]:
    """(formula, variables or None) for each line that is not blank or a comment."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            formula, _, wrt = text.partition("|")
            found.append((formula.strip(), wrt.strip() or None))
    return found


def has_modes() -> bool:
    """Whether ``symgrad.hessian`` takes ``simplify=`` (the tidy step exists)."""
    return "simplify" in inspect.signature(symgrad.hessian).parameters


@dataclass
class Row:
    """One formula: its entries, each column's outcome per entry, each column's time."""

    formula: str
    variables: tuple[str, ...]
    labels: list[str]
    cells: dict[str, list[Outcome]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def value(self, column: str, k: int) -> Any:
        """The entry a column is charged: its own if valid, else ``off``'s."""
        outcome = self.cells.get(column, [None] * len(self.labels))[k]
        if outcome is None or outcome.expr is None:
            return self.cells["off"][k].expr
        return outcome.expr

    def charged(self, column: str, k: int) -> Any:
        """What ``column`` (or the best peer) is charged for entry ``k``."""
        return self.best(k) if column == BEST else self.value(column, k)

    def best(self, k: int) -> Any:
        valid = [self.cells[p][k].expr for p in PEERS
                 if p in self.cells and self.cells[p][k].expr is not None]
        return min(valid, key=size) if valid else self.cells["off"][k].expr


def entries_of(derivs: Any) -> list[Any]:
    """The gradient, then the Hessian's upper triangle row by row."""
    grad, hess = derivs.first[0], derivs.hessians[0]
    n = len(grad)
    return [*grad, *(hess[i][j] for i in range(n) for j in range(i, n))]


def symgrad_column(formula: str, wrt: str | None, mode: str, modes: bool) -> tuple[Any, float]:
    sp.core.cache.clear_cache()
    start = time.perf_counter()
    derivs = (symgrad.hessian(formula, wrt=wrt, simplify=mode) if modes  # type: ignore[call-arg]
              else symgrad.hessian(formula, wrt=wrt))
    return derivs, time.perf_counter() - start


def check(row: Row, column: str, outcomes: list[Outcome], reference: list[list[complex | None]],
          points: list[dict[str, sp.Rational]]) -> None:
    """Drop (with a note) each outcome whose value differs from ``off``'s."""
    for k, outcome in enumerate(outcomes):
        if outcome.expr is not None and not same_value(reference[k], outcome.expr, points):
            outcome.problem, outcome.expr = "not equal", None
            if column in MODES:
                row.notes.append(f"WRONG: {column} {row.labels[k]} differs from off")
        if outcome.problem and column not in MODES:
            row.notes.append(f"{column} {row.labels[k]}: {outcome.problem}")


def measure_formula(formula: str, wrt: str | None, args: argparse.Namespace, modes: bool) -> Row:
    """Every column's entries for one formula, checked against ``off``."""
    off, seconds = symgrad_column(formula, wrt, "off", modes)
    names = tuple(v.name for v in off.variables)
    row = Row(formula, names, entry_labels(names))
    row.cells["off"] = [Outcome(e) for e in entries_of(off)]
    row.seconds["off"] = seconds
    points = random_points([s.name for s in off.parsed.symbols], args.seed)
    reference = [[numeric(o.expr, p) for p in points] for o in row.cells["off"]]
    if modes:
        for mode in (m for m in MODES[1:] if m not in args.skip):
            derivs, seconds = symgrad_column(formula, wrt, mode, modes)
            row.cells[mode], row.seconds[mode] = [Outcome(e) for e in entries_of(derivs)], seconds
    for name, how in (("simplify", sp.simplify), ("factor", sp.factor)):
        if name in args.skip:
            continue
        sp.core.cache.clear_cache()
        outcomes = [sympy_peer(how, o.expr, args.budget) for o in row.cells["off"]]
        row.cells[name] = outcomes
        row.seconds[name] = sum(o.seconds for o in outcomes)
    if args.maxima and "maxima" not in args.skip:
        candidates, problem, seconds = maxima_peer(
            args.maxima, off.exprs[0], off.variables, args.maxima_timeout)
        row.seconds["maxima"] = seconds
        if candidates is None:
            row.notes.append(f"maxima: {problem}")
            row.cells["maxima"] = [Outcome(problem=problem) for _ in row.labels]
        else:
            row.cells["maxima"] = [pick(cands, reference[k], points)
                                   for k, cands in enumerate(candidates)]
    for column, outcomes in row.cells.items():
        if column != "off":
            check(row, column, outcomes, reference, points)
    return row


def pick(candidates: list[Outcome], reference: list[complex | None],
         points: list[dict[str, sp.Rational]]) -> Outcome:
    """The smallest candidate with the right value, or why there is none."""
    good = [c for c in candidates if c.expr is not None and same_value(reference, c.expr, points)]
    if good:
        return min(good, key=lambda c: size(c.expr))
    problems = sorted({c.problem or "not equal" for c in candidates}) or ["no output"]
    return Outcome(problem="; ".join(problems))


def summary(rows: list[Row], columns: list[str]) -> dict[str, dict[str, Any]]:
    """Per column: total ops, median ratio vs off, total / off, total / best peer, failed, time."""
    def ops(e: Any) -> int:
        return size(e)[0]

    entries = [(row, k) for row in rows for k in range(len(row.labels))]
    off_total = sum(ops(row.cells["off"][k].expr) for row, k in entries)
    best_total = sum(ops(row.best(k)) for row, k in entries)
    table: dict[str, dict[str, Any]] = {}
    for column in [*columns, BEST]:
        if column != BEST and not all(column in row.cells for row in rows):
            table[column] = {}
            continue
        total = sum(ops(row.charged(column, k)) for row, k in entries)
        ratios = [ops(row.charged(column, k)) / ops(row.cells["off"][k].expr)
                  for row, k in entries if ops(row.cells["off"][k].expr) > 0]
        failed = 0 if column == BEST else sum(
            1 for row, k in entries if row.cells[column][k].expr is None)
        seconds = (sum(row.seconds.get(p, 0.0) for row in rows for p in PEERS) if column == BEST
                   else sum(row.seconds.get(column, 0.0) for row in rows))
        table[column] = {
            "total_ops": total,
            "median_ratio_vs_off": statistics.median(ratios) if ratios else None,
            "total_vs_off": total / off_total if off_total else None,
            "total_vs_best_peer": total / best_total if best_total else None,
            "failed": failed,
            "seconds": seconds,
        }
    return table


def markdown(table: dict[str, dict[str, Any]], n_formulas: int, n_entries: int) -> str:
    head = ["column", "total ops", "median ratio vs off", "total / off", "total / best peer",
            "failed", "time (s)"]
    lines = [f"{n_formulas} formulas, {n_entries} entries (gradient + Hessian upper triangle)", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for column, cells in table.items():
        if not cells:
            lines.append(f"| {column} |" + " n/a |" * (len(head) - 1))
            continue
        def fmt(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.2f}"
        lines.append(
            f"| {column} | {cells['total_ops']} | {fmt(cells['median_ratio_vs_off'])} | "
            f"{fmt(cells['total_vs_off'])} | {fmt(cells['total_vs_best_peer'])} | "
            f"{cells['failed']} | {cells['seconds']:.1f} |")
    return "\n".join(lines)


def per_formula(rows: list[Row], columns: list[str]) -> str:
    head = ["formula", "entries", *columns, BEST]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = []
        for column in [*columns, BEST]:
            if column != BEST and column not in row.cells:
                cells.append("n/a")
                continue
            cells.append(str(sum(size(row.charged(column, k))[0] for k in range(len(row.labels)))))
        lines.append(f"| `{row.formula}` | {len(row.labels)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def as_json(rows: list[Row], table: dict[str, dict[str, Any]], notes: list[str]) -> str:
    formulas = []
    for row in rows:
        entries = []
        for k, label in enumerate(row.labels):
            entry: dict[str, Any] = {"entry": label}
            for column, outcomes in row.cells.items():
                o = outcomes[k]
                entry[column] = ({"ops": size(o.expr)[0], "text": str(o.expr)} if o.expr is not None
                                 else {"problem": o.problem})
            best = row.best(k)
            entry[BEST] = {"ops": size(best)[0], "text": str(best)}
            entries.append(entry)
        formulas.append({"formula": row.formula, "variables": list(row.variables),
                         "entries": entries, "seconds": row.seconds, "notes": row.notes})
    return json.dumps({"summary": table, "notes": notes, "formulas": formulas}, indent=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--maxima", default=shutil.which("maxima"),
                        help="the Maxima program (default: maxima on PATH); '' to skip it")
    parser.add_argument("--budget", type=float, default=10.0,
                        help="seconds for each SymPy simplify/factor call (default 10)")
    parser.add_argument("--maxima-timeout", type=float, default=60.0,
                        help="seconds for each formula's Maxima process (default 60)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--skip", type=lambda text: {c.strip() for c in text.split(",")},
                        default=set(), help="columns not to run, e.g. full,simplify (n/a)")
    parser.add_argument("--per-formula", action="store_true", help="print each formula's row too")
    parser.add_argument("--json", action="store_true", help="machine output (JSON) instead")
    args = parser.parse_args(argv)
    if args.skip - set(COLUMNS[1:]):
        parser.error(f"--skip takes columns among {', '.join(COLUMNS[1:])}")
    if args.maxima and shutil.which(args.maxima) is None:
        args.maxima = None
    notes = []
    modes = has_modes()
    if not modes:
        notes.append("symgrad.hessian has no simplify= keyword yet: tidy and full are n/a, "
                     "off is today's symgrad.hessian(formula)")
    if not args.maxima:
        notes.append("Maxima not found (Debian package maxima) or --maxima '': its column is n/a")
    if args.skip:
        notes.append(f"--skip {','.join(sorted(args.skip))}: n/a")
    rows = []
    for formula, wrt in read_corpus(args.corpus):
        row = measure_formula(formula, wrt, args, modes)
        rows.append(row)
        notes += [f"{formula}: {note}" for note in row.notes]
    table = summary(rows, list(COLUMNS))
    if args.json:
        print(as_json(rows, table, notes))
        return 0
    n_entries = sum(len(row.labels) for row in rows)
    print(markdown(table, len(rows), n_entries))
    if args.per_formula:
        print()
        print(per_formula(rows, list(COLUMNS)))
    if notes:
        print()
        print("Notes:")
        for note in notes:
            print(f"* {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
