"""Helpers shared by the test files: import them as ``from helpers import ...``.

(``tests/`` is on ``sys.path`` because ``tests/conftest.py`` lives there.)

* ``require_tool``: the one way a test asks for a system program (pdflatex,
  a compiler, node); see ``TOOLS`` for the Debian package of each.
* ``symgrad_script``: the installed ``symgrad`` console script.
* ``clean_env``: the environment for a ``symgrad`` subprocess, without the
  variables that change how output is written.
* ``npy_bytes`` / ``npz_bytes``: NumPy files in memory, for input tests.
* ``rosenbrock`` / ``log_sum_exp``: formula text of any size.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

# ---------------------------------------------------------------------------
# System tools

#: Every program outside Python that a test runs, and the Debian package that
#: brings it. ``.ci/run`` installs the missing ones with apt-get.
TOOLS: dict[str, str] = {
    "pdflatex": "texlive-latex-base",
    "pdftoppm": "poppler-utils",
    "gcc": "gcc",
    "gfortran": "gfortran",
    "rustc": "rustc",
    "node": "nodejs",
    "maxima": "maxima",
}


def under_ci() -> bool:
    """True when the environment variable CI is "true" (as CI sets it)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_tool_message(name: str) -> str:
    package = TOOLS[name]
    return (
        f"{name} is not installed (Debian package {package}: "
        f"apt-get install {package}, or run bash .ci/run)"
    )


def require_tool(name: str) -> str:
    """The path of the program ``name``, for a test that runs it.

    When it is not on PATH, the calling test is skipped with a one-line
    reason naming the tool and its Debian package, except under CI
    (``CI=true``), where it fails with the same line: CI must run every test.
    """
    path = shutil.which(name)
    if path is not None:
        return path
    message = missing_tool_message(name)
    if under_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def symgrad_script() -> str:
    """The ``symgrad`` console script that pip installed beside this Python.

    Found beside ``sys.executable`` first, so that a virtual environment's
    Python run without activating the environment finds its own script.
    """
    beside = Path(sys.executable).with_name("symgrad")
    found = str(beside) if beside.exists() else shutil.which("symgrad")
    assert found, "the symgrad console script is not installed (python -m pip install -e .)"
    return found


# ---------------------------------------------------------------------------
# Environments

#: Environment variables that change how symgrad or Rich write output.
OUTPUT_VARIABLES = (
    "FORCE_COLOR",
    "NO_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
)


def clean_env() -> dict[str, str]:
    """This process's environment less ``OUTPUT_VARIABLES``, for a subprocess."""
    return {name: value for name, value in os.environ.items() if name not in OUTPUT_VARIABLES}


# ---------------------------------------------------------------------------
# NumPy files in memory


# numpy is imported in the functions, not here: conftest imports this module,
# and every test should start with the imports it makes itself.


def npy_bytes(array: Any) -> bytes:
    """``array`` as the bytes of a ``.npy`` file."""
    import numpy as np

    out = io.BytesIO()
    np.save(out, array)
    return out.getvalue()


def npz_bytes(*args: Any, **kwargs: Any) -> bytes:
    """The arrays as the bytes of a ``.npz`` file (``numpy.savez``'s arguments)."""
    import numpy as np

    out = io.BytesIO()
    np.savez(out, *args, **kwargs)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Formulas of any size


def rosenbrock(n: int) -> str:
    """The extended Rosenbrock function of ``x1 … xn`` (n - 1 coupled terms)."""
    return " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n))


def log_sum_exp(n: int, m: int) -> str:
    """``log`` of a sum of ``m`` exponentials of linear forms in ``x1 … xn``."""
    forms = [" + ".join(f"{(i * 7 + j * 3) % 11 - 5}*x{j}" for j in range(1, n + 1)) for i in range(m)]
    return "log(" + " + ".join(f"exp({form})" for form in forms) + ")"
