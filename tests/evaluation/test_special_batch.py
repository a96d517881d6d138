"""Batch (compiled) values of the special functions agree with their exact values.

Each corpus formula's value and gradient are computed by
:class:`~symgrad.evaluation.compiled.CompiledEntries` at three points near
the corpus point (SciPy where it has the function, point by point
otherwise) and compared with the exact evaluation at the same points.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from special_corpus import CORPUS

import symgrad
from symgrad.evaluation import compiled
from symgrad.evaluation.compiled import CompiledEntries

SLOW = {"elliptic_pi", "elliptic_f", "expint_real_order", "uppergamma", "lowergamma", "appellf1", "polylog"}
STEPS = (0, sp.Rational(1, 50), sp.Rational(-1, 40))


def cases() -> list[object]:
    return [pytest.param(c, marks=pytest.mark.slow) if c in SLOW else c for c in CORPUS]


def check(case: str) -> None:
    formula, point, _ = CORPUS[case]
    g = symgrad.gradient(formula, wrt=[v for v in ("x", "y") if v in point])
    c = CompiledEntries(g, value=True)
    rows = []
    for step in STEPS:
        rows.append({s.name: sp.Rational(point[s.name]) + (step if s.name in "xy" else 0) for s in c.symbols})
    block = c(np.array([[float(r[s.name]) for s in c.symbols] for r in rows])).values
    for row, got in zip(rows, block):
        exact = g.at(row)
        want = [float(sp.N(v, 20)) for v in (*exact.function, *exact.gradient)]
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, err_msg=case)


@pytest.mark.parametrize("case", cases())
def test_batch_values_match_exact_values(case):
    check(case)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["besselj", "zeta_hurwitz", "elliptic_k", "hyp2f1", "Shi", "LambertW"])
def test_without_scipy_point_by_point(case, monkeypatch, capsys):
    """Without SciPy the special functions are evaluated point by point, with a notice."""
    import builtins

    real_import = builtins.__import__

    def no_scipy(name, *args, **kwargs):
        if name == "scipy" or name.startswith("scipy."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_scipy)
    monkeypatch.setattr(compiled, "_NOTICES", set())
    check(case)
    assert "evaluated point by point" in capsys.readouterr().err


SCIPY_IMPORTED = """
import sys
import numpy as np
import symgrad
from symgrad.evaluation.compiled import CompiledEntries
c = CompiledEntries(symgrad.gradient(sys.argv[1], wrt=["x"]), "numpy", value=True)
c(np.array([[0.5]]))
print("scipy" in sys.modules)
"""


@pytest.mark.parametrize(("formula", "imported"), [
    ("log(exp(x) + exp(2*x)) + sqrt(x)*atan(x)", False),  # elementary: NumPy alone
    ("erf(x) + x", True), ("besselj(0, x)", True), ("x*airyai(x)", True),
])
def test_scipy_is_imported_only_for_what_needs_it(formula, imported):
    """SciPy's import (half a second) is paid only by jobs whose code it changes."""
    import subprocess
    import sys

    from helpers import clean_env

    done = subprocess.run([sys.executable, "-c", SCIPY_IMPORTED, formula], capture_output=True, text=True,
                          env=clean_env(), timeout=120, check=True)
    assert done.stdout.strip() == str(imported), done.stderr
