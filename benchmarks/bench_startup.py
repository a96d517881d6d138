"""Start-up and stdin throughput of the command line.

* one-shot: ``symgrad "x**2+y*z" --at x=1,y=2,z=3 --format json`` against
  the floor ``python -c "import sympy"``, both with this interpreter, runs
  alternating, median of each (target: at most 1.15 times the floor);
* stdin mode: ``symgrad -H --json -`` on N small jobs (gradient, Hessian and
  JSON of one formula a line), as jobs per second over the whole run and
  over the jobs after the first tenth (start-up taken out). Two job sets:
  ``simple`` (``x**2*sin(y)+z`` with varying numbers and powers) and
  ``mixed`` (two or three random terms of sin, cos, exp, log, sqrt, tanh,
  powers and products of x, y, z). Target: at least 500 jobs per second.

The command is run as its console script does (``symgrad.cli.launch.main``) in
a fresh interpreter each time. Two more rows show where the time goes: the
command without the launcher (``symgrad.cli.command.run`` called directly: the
cycle collector runs during imports and walks every object once more at
shutdown), and the floor treated as the launcher treats the command (its
objects set aside with ``gc.freeze()`` before shutdown), which is symgrad's
own overhead laid bare. Run:

    python benchmarks/bench_startup.py
    python benchmarks/bench_startup.py --runs 31 --jobs 4000
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import statistics
import subprocess
import sys
import time

CLI = [sys.executable, "-c", "from symgrad.cli.launch import main; main()"]
#: The same command without the launcher (the collector runs during imports).
CLI_PLAIN = [sys.executable, "-c", "from symgrad.cli.command import run; run()"]
FLOOR = [sys.executable, "-c", "import sympy"]
ONE_SHOT = [*CLI, "x**2+y*z", "--at", "x=1,y=2,z=3", "--format", "json"]
#: Where the time above the floor goes: SymPy's own first use (its first sum
#: imports sympy.tensor and sympy.combinatorics), and symgrad's imports.
SYMPY_USE = [
    sys.executable,
    "-c",
    (
        "import sympy; x, y, z = sympy.symbols('x y z', real=True); f = x**2 + y*z; "
        "[f.diff(v).subs({x: 1, y: 2, z: 3}) for v in (x, y, z)]"
    ),
]
IMPORTS = [sys.executable, "-c", "import sympy, symgrad.cli.command, symgrad.output.json_"]
FLOOR_FROZEN = [sys.executable, "-c", "import gc, sympy; gc.freeze()"]


def wall(command: list[str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, input=stdin, text=True, capture_output=True, check=True)
    return time.perf_counter() - start


def simple_jobs(count: int, rng: random.Random) -> list[str]:
    shapes = [
        "x**2*sin(y)+z",
        "{a}*x**2*sin(y)+z",
        "x**{b}*sin(y)+{a}*z",
        "x**2*cos({a}*y)+z**{b}",
        "{a}*x*sin(y)+z**2",
    ]
    return [rng.choice(shapes).format(a=rng.randint(2, 9), b=rng.randint(2, 5)) for _ in range(count)]


def mixed_jobs(count: int, rng: random.Random) -> list[str]:
    funcs = ["sin", "cos", "exp", "log", "sqrt", "tanh"]
    names = ["x", "y", "z"]

    def term() -> str:
        a, k = rng.randint(1, 9), rng.randint(2, 4)
        v, w = rng.choice(names), rng.choice(names)
        return rng.choice(
            [f"{a}*{v}**{k}*{rng.choice(funcs)}({w})", f"{v}**{k}*{w}", f"{rng.choice(funcs)}({a}*{v}+{w})", f"{a}*{v}*{w}"]
        )

    return ["+".join(term() for _ in range(rng.randint(2, 3))) for _ in range(count)]


def compile_symgrad() -> None:
    """Byte-compile symgrad's modules, as ``pip install`` does.

    An editable install run with ``PYTHONDONTWRITEBYTECODE`` set would
    otherwise compile every edited module from source on every run, and the
    table would measure the compiler.
    """
    import symgrad

    compileall.compile_dir(os.path.dirname(symgrad.__file__), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="one-shot runs of each command")
    parser.add_argument("--jobs", type=int, default=2000, help="jobs per stdin run")
    args = parser.parse_args()
    compile_symgrad()

    commands = {
        '`python -c "import sympy"` (floor)': FLOOR,
        "SymPy's own first use: build x**2+y*z, differentiate, substitute": SYMPY_USE,
        "`import sympy, symgrad.cli.command, symgrad.output.json_`": IMPORTS,
        '`symgrad "x**2+y*z" --at x=1,y=2,z=3 --format json`': ONE_SHOT,
        "the same without the launcher (`symgrad.cli.command.run`)": [*CLI_PLAIN, *ONE_SHOT[len(CLI) :]],
        '`python -c "import gc, sympy; gc.freeze()"`': FLOOR_FROZEN,
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        wall(command)  # warm the file cache
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(wall(command))
    floor = statistics.median(times[next(iter(commands))])
    print(f"python {sys.version.split()[0]}; medians of {args.runs} alternating runs")
    print()
    print("| command | seconds | ratio to the floor |")
    print("|---|---|---|")
    for name in commands:
        median = statistics.median(times[name])
        print(f"| {name} | {median:.3f} | {median / floor:.2f} |")
    print()

    rng = random.Random(0)
    print(f"stdin mode, `symgrad -H --json -`, {args.jobs} jobs; median of 3 runs")
    print()
    print("| jobs | whole run (s) | jobs/s | jobs/s after start-up |")
    print("|---|---|---|---|")
    for name, make in (("simple", simple_jobs), ("mixed", mixed_jobs)):
        lines = make(args.jobs, rng)
        tenth = args.jobs // 10
        full_text = "\n".join(lines) + "\n"
        head_text = "\n".join(lines[:tenth]) + "\n"
        whole = statistics.median(wall([*CLI, "-H", "--json", "-"], full_text) for _ in range(3))
        head = statistics.median(wall([*CLI, "-H", "--json", "-"], head_text) for _ in range(3))
        steady = (args.jobs - tenth) / (whole - head)
        print(f"| {name} | {whole:.2f} | {args.jobs / whole:.0f} | {steady:.0f} |")


if __name__ == "__main__":
    main()
