"""Make the README's picture of ``--plot``: Himmelblau's function, its gradient and its 9 critical points.

    python examples/plot_himmelblau.py [--output docs/himmelblau.png]

Runs the library the way ``symgrad "(x^2+y-11)^2+(x+y^2-7)^2" --critical
--plot docs/himmelblau.png`` does: the derivatives, the critical points
(exact solving gives way to Newton from seeded starts), then the figure of
:func:`symgrad.plot.figure`, saved as a PNG. Needs the ``plot`` extra
(matplotlib).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import symgrad
from symgrad import plot
from symgrad.analysis import critical_points

ROOT = Path(__file__).resolve().parents[1]
HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "himmelblau.png")
    args = parser.parse_args()
    derivs = symgrad.hessian(HIMMELBLAU)
    report = critical_points(derivs)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts.items()))
    plot.save(plot.figure(derivs, critical=report), str(args.output))
    print(f"{args.output}: {len(report.points)} critical points ({counts})")


if __name__ == "__main__":
    main()
