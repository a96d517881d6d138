"""Dense and sparse Hessians end to end, with baselines measured in the same run.

Shapes: dense, the log-sum-exp ``log(exp(x1) + ... + exp(xn))`` (every
Hessian entry holds the whole sum; its structure is ``diag(p) - p pᵀ`` with
``p = softmax(x)``), and sparse, the chained Rosenbrock function (each
entry holds two or three variables). For each n (default 50, 100, 200) each
form is run as the command a user would type, in a fresh process, wall time
(best of three runs, with Python's compiled modules cached as a user's are:
``PYTHONDONTWRITEBYTECODE`` is dropped for the commands):

* ``text``: ``symgrad -H F`` (stdout to a file);
* ``json@``: ``symgrad -H F --json --at x1=0.1,...``;
* ``c``: ``symgrad -H F -f c``;
* ``points``: ``symgrad -H F --points in.npy -o out.npy`` (1e4 rows; with
  ``--rows`` more sizes, e.g. ``--rows 10000,1000000``);
* ``eval``: symgrad's compiled evaluation alone, in this process, after
  compiling (as JAX's time is taken), in the chunks ``--points`` uses, on
  the baselines' blocks of rows. symgrad computes the gradient and the
  Hessian's upper triangle (n + n(n+1)/2 numbers a row), the baselines the
  whole n×n Hessian.

Baselines, measured in this run: ``python -c "import sympy"`` (the floor
of any SymPy-based command; the column ``/ import`` is each form's time
divided by it), and for ``points``: a hand-written vectorised NumPy Hessian
of the same function on the same rows (``/ numpy``), and JAX's
``jit(vmap(hessian(f)))`` after compilation (``/ jax``) when JAX is installed
(both in this process, on blocks of rows when all rows' n×n Hessians would
not fit in memory);
without it the column says ``-`` and a note is printed. Every run has a
time limit (``--limit``, default 60 s); a form that hits it shows ``>60``.

Run:

    python benchmarks/bench_dense.py                     # n = 50, 100, 200
    python benchmarks/bench_dense.py --sizes 50,100 --rows 10000,1000000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import symgrad  # this checkout's, as the commands run it
from symgrad.evaluation.compiled import CompiledEntries
from symgrad.points.run import rows_at_once


def lse_text(n: int) -> str:
    return "log(" + " + ".join(f"exp(x{i})" for i in range(1, n + 1)) + ")"


def rosenbrock_text(n: int) -> str:
    return " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n))


def lse_hand(x: np.ndarray) -> np.ndarray:
    """Hessians of log-sum-exp at rows of ``x`` (rows, n): diag(p) - p pᵀ."""
    z = np.exp(x - x.max(axis=1, keepdims=True))
    p = z / z.sum(axis=1, keepdims=True)
    h = -p[:, :, None] * p[:, None, :]
    idx = np.arange(x.shape[1])
    h[:, idx, idx] += p
    return h


def rosenbrock_hand(x: np.ndarray) -> np.ndarray:
    """Hessians of the chained Rosenbrock function at rows of ``x`` (tridiagonal)."""
    rows, n = x.shape
    h = np.zeros((rows, n, n))
    idx = np.arange(n - 1)
    h[:, idx, idx] += 1200.0 * x[:, :-1] ** 2 - 400.0 * x[:, 1:] + 2.0
    h[:, idx + 1, idx + 1] += 200.0
    h[:, idx, idx + 1] = -400.0 * x[:, :-1]
    h[:, idx + 1, idx] = -400.0 * x[:, :-1]
    return h


#: The points command is not run when its output file would be larger (1e6
#: rows of the n = 100 Hessian are 41 GB); its eval row still is.
MAX_OUTPUT_BYTES = 4e9


def jax_hessian(shape: str):
    """JAX's jitted Hessian of the shape over a batch of rows, or None without JAX."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)

    def lse(x):
        return jax.scipy.special.logsumexp(x)

    def rosen(x):
        return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    f = lse if shape == "dense" else rosen
    return jax.jit(jax.vmap(jax.hessian(f)))


#: Runs of each command; the best is shown (the machine's speed varies from run to run).
REPEAT = 3


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(cmd: list[str], limit: float, stdout: str = os.devnull, repeat: int = REPEAT) -> float:
    """Best wall time of ``repeat`` runs of ``cmd``, or inf when it fails or passes ``limit`` seconds.

    Python may cache compiled modules (``__pycache__``), as it does for a
    user and as pip's install does for SymPy: ``PYTHONDONTWRITEBYTECODE`` is
    dropped, so only the first run compiles symgrad's modules.
    """
    return min(_run_once(cmd, limit, stdout) for _ in range(repeat))


def _run_once(cmd: list[str], limit: float, stdout: str) -> float:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with open(stdout, "w") as out:
        try:
            done = subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env, timeout=limit,
                                  check=False)
        except subprocess.TimeoutExpired:
            return float("inf")
    elapsed = time.perf_counter() - start
    return elapsed if done.returncode == 0 else float("inf")


def shown(seconds: float, limit: float) -> str:
    if np.isnan(seconds):  # not run
        return f"not run ({MAX_OUTPUT_BYTES / 1e9:g} GB output limit)"
    return f">{limit:g}" if seconds == float("inf") else f"{seconds:.2f}"


def ratio(a: float, b: float | None) -> str:
    if b is None or not np.isfinite(a) or not b:
        return "-"
    return f"{a / b:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200")
    parser.add_argument("--rows", default="10000", help="row counts for the points form")
    parser.add_argument("--shapes", default="dense,sparse")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per command")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    row_counts = [int(float(r)) for r in args.rows.split(",")]
    command = [sys.executable, "-m", "symgrad"]
    floor = run([sys.executable, "-c", "import sympy"], 60)
    print(f"python -c 'import sympy': {floor:.2f} s (best of {REPEAT}, this run; each command: best of {REPEAT})")
    jax_missing = jax_hessian("dense") is None
    if jax_missing:
        print("note: JAX is not installed (pip install jax): the / jax column is skipped")
    print()
    print("| shape | n | form | seconds | / import | numpy s | / numpy | jax s | / jax |")
    print("|---|---|---|---|---|---|---|---|---|")
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            for n in sizes:
                formula = lse_text(n) if shape == "dense" else rosenbrock_text(n)
                point = ",".join(f"x{i}={0.1 * (i % 7) - 0.3:.1f}" for i in range(1, n + 1))
                limit = ["--timeout", "0"]
                forms = {
                    "text": [*command, "-H", formula, *limit],
                    "json@": [*command, "-H", formula, "--json", "--at", point, *limit],
                    "c": [*command, "-H", formula, "-f", "c", *limit],
                }
                for form, cmd in forms.items():
                    t = run(cmd, args.limit, os.path.join(tmp, "out.txt"))
                    print(f"| {shape} | {n} | {form} | {shown(t, args.limit)} | {ratio(t, floor)} | | | | |",
                          flush=True)
                hand = lse_hand if shape == "dense" else rosenbrock_hand
                jitted = jax_hessian(shape)
                for rows in row_counts:
                    x = rng.uniform(-1.0, 1.0, size=(rows, n))
                    path = os.path.join(tmp, "in.npy")
                    np.save(path, x)  # a plain 2-D array: columns are the variables in order
                    cmd = [*command, "-H", formula, "--points", path, "-o", os.path.join(tmp, "out.npy"),
                           "--no-value", *limit]
                    output_bytes = rows * (n + n * (n + 1) // 2) * 8
                    # the command writes every row's entries: beyond MAX_OUTPUT_BYTES it is not run
                    t = run(cmd, args.limit) if output_bytes <= MAX_OUTPUT_BYTES else float("nan")
                    # The baselines' Hessians are rows×n×n doubles: beyond memory (1e6
                    # rows of n = 100 are 80 GB) they are timed on blocks of rows,
                    # one block repeated, and scaled to all rows.
                    block = min(rows, max(1, int(5e7 // (n * n))))
                    scale = rows / block
                    xb = x[:block]
                    numpy_s = timed(lambda hand=hand, xb=xb: hand(xb)) * scale
                    jax_s = None
                    if jitted is not None:
                        jitted(xb).block_until_ready()  # compiled for this block's shape
                        jax_s = timed(lambda jitted=jitted, xb=xb: jitted(xb).block_until_ready()) * scale
                    print(f"| {shape} | {n} | points {rows:.0e} | {shown(t, args.limit)} | {ratio(t, floor)} "
                          f"| {'-' if numpy_s is None else f'{numpy_s:.3f}'} | {ratio(t, numpy_s)} "
                          f"| {'-' if jax_s is None else f'{jax_s:.3f}'} | {ratio(t, jax_s)} |", flush=True)
                    # symgrad's compiled evaluation alone (after compiling, as JAX's is
                    # timed), in the chunks --points uses, on the same block, scaled
                    compiled = CompiledEntries(symgrad.hessian(formula), "auto", rows=rows)
                    step = rows_at_once(compiled)
                    compiled(xb[:step])  # warm
                    sg_s = timed(lambda compiled=compiled, xb=xb, step=step: [
                        compiled(xb[k : k + step]) for k in range(0, xb.shape[0], step)]) * scale
                    print(f"| {shape} | {n} | eval {rows:.0e} ({compiled.backend}) | {sg_s:.3f} | "
                          f"| {numpy_s:.3f} | {ratio(sg_s, numpy_s)} "
                          f"| {'-' if jax_s is None else f'{jax_s:.3f}'} | {ratio(sg_s, jax_s)} |", flush=True)


if __name__ == "__main__":
    main()
