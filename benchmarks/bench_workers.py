"""``--workers`` and a local Dask cluster against the single process, measured in one run.

Workload: the gradient of ``x^2*y + sin(x*y)`` (with its value) at ROWS random
points. It times, each as a ``symgrad`` subprocess:

1. ``--points in.csv -o out.csv --workers 1`` (the single process: the baseline);
2. the same with ``--workers 2`` (its output must be byte-identical to 1's);
3. ``--points in.csv -o out.parquet --workers 1`` (baseline of 4);
4. ``--points parts/ --workers 2 -o outdir/``: the same rows as 4 CSV
   partitions on a 2-worker local Dask cluster (its partitions, read back
   in order, must equal 3's output bit for bit).

and prints each time with its ratio to its baseline (below 1 is faster; the
target is 2 ≤ 1/1.7 of 1), and the load average before and after: on a
shared machine other processes take cores from the run, so note it with
the numbers. Run:

    python benchmarks/bench_workers.py                 # 1e7 rows (about 400 MB of CSV)
    python benchmarks/bench_workers.py --rows 2000000  # quicker
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

FORMULA = "x^2*y + sin(x*y)"


def write_csv(path: str, rows: int, seed: int = 0, piece: int = 1_000_000) -> None:
    rng = np.random.default_rng(seed)
    with open(path, "w") as out:
        out.write("x,y\n")
        for start in range(0, rows, piece):
            block = rng.normal(size=(min(piece, rows - start), 2))
            out.write("\n".join(f"{a!r},{b!r}" for a, b in block.tolist()) + "\n")


def split_csv(path: str, folder: str, parts: int, rows: int) -> None:
    os.makedirs(folder)
    per = -(-rows // parts)
    with open(path) as source:
        header = source.readline()
        for k in range(parts):
            with open(os.path.join(folder, f"p{k:02d}.csv"), "w") as out:
                out.write(header)
                for _ in range(per):
                    line = source.readline()
                    if not line:
                        break
                    out.write(line)


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "symgrad", FORMULA, *args], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--parts", type=int, default=4)
    args = parser.parse_args()
    import pyarrow as pa
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "in.csv")
        write_csv(source, args.rows)
        split_csv(source, os.path.join(tmp, "parts"), args.parts, args.rows)
        size = os.path.getsize(source) / 2**20
        print(f"{args.rows:,} rows, {size:.0f} MiB of CSV; {os.cpu_count()} cores; load before: {load()}")
        one = timed("--points", source, "-o", os.path.join(tmp, "w1.csv"), "--workers", "1")
        two = timed("--points", source, "-o", os.path.join(tmp, "w2.csv"), "--workers", "2")
        same = filecmp.cmp(os.path.join(tmp, "w1.csv"), os.path.join(tmp, "w2.csv"), shallow=False)
        single = timed("--points", source, "-o", os.path.join(tmp, "one.parquet"), "--workers", "1")
        cluster = timed("--points", os.path.join(tmp, "parts"), "--workers", "2",
                        "-o", os.path.join(tmp, "outdir"))
        parts = sorted(n for n in os.listdir(os.path.join(tmp, "outdir")) if n.endswith(".parquet"))
        merged = pa.concat_tables([pq.read_table(os.path.join(tmp, "outdir", n)) for n in parts])
        equal = merged.equals(pq.read_table(os.path.join(tmp, "one.parquet")))
        print(f"load after: {load()}")
        print(f"{'run':<44}{'seconds':>9}{'ratio':>8}")
        print(f"{'--workers 1, CSV out (baseline)':<44}{one:>9.2f}{1:>8.2f}")
        print(f"{'--workers 2, CSV out':<44}{two:>9.2f}{two / one:>8.2f}   "
              f"speed-up {one / two:.2f}x, output identical: {same}")
        print(f"{'--workers 1, Parquet out (baseline)':<44}{single:>9.2f}{1:>8.2f}")
        print(f"{f'local Dask cluster, 2 workers, {args.parts} partitions':<44}{cluster:>9.2f}"
              f"{cluster / single:>8.2f}   speed-up {single / cluster:.2f}x, output identical: {equal}")


if __name__ == "__main__":
    main()
