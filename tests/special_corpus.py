"""A corpus with every special function of the function table, and an independent oracle.

``CORPUS`` maps a case name to ``(formula, point, oracle)``: the formula uses
the function with its main argument(s) in the variables ``x`` (and ``y``);
``point`` is a place where it is real and smooth; ``oracle`` computes the
same function with mpmath alone (never SymPy), so derivatives can be checked
by mpmath's finite differences at high precision. ``ALIASES`` names every
alias with the function it must equal. Imported by the special-function
tests (``tests/`` is on ``sys.path``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath as mp

Oracle = Callable[..., Any]

#: case -> (formula, point, mpmath function of the point's values in the point's order);
#: the variables are ``x`` and ``y``, other names are parameters
CORPUS: dict[str, tuple[str, dict[str, str], Oracle]] = {
    "Ei": ("Ei(x)", {"x": "7/10"}, lambda x: mp.ei(x)),
    "li": ("li(x)", {"x": "5/2"}, lambda x: mp.li(x)),
    "Li": ("Li(x)", {"x": "5/2"}, lambda x: mp.li(x, offset=True)),
    "Si": ("Si(x)", {"x": "13/10"}, lambda x: mp.si(x)),
    "Ci": ("Ci(x)", {"x": "13/10"}, lambda x: mp.ci(x)),
    "Shi": ("Shi(x)", {"x": "9/10"}, lambda x: mp.shi(x)),
    "Chi": ("Chi(x)", {"x": "9/10"}, lambda x: mp.chi(x)),
    "expint": ("expint(2, x)", {"x": "3/4"}, lambda x: mp.expint(2, x)),
    "expint_real_order": ("expint(x, y)", {"x": "3/2", "y": "3/4"}, lambda x, y: mp.expint(x, y)),
    "fresnels": ("fresnels(x)", {"x": "7/10"}, lambda x: mp.fresnels(x)),
    "fresnelc": ("fresnelc(x)", {"x": "7/10"}, lambda x: mp.fresnelc(x)),
    "uppergamma": ("uppergamma(x, y)", {"x": "5/2", "y": "3/2"}, lambda x, y: mp.gammainc(x, y)),
    "lowergamma": ("lowergamma(x, y)", {"x": "5/2", "y": "3/2"}, lambda x, y: mp.gammainc(x, 0, y)),
    "polygamma": ("polygamma(2, x)", {"x": "13/10"}, lambda x: mp.psi(2, x)),
    "trigamma": ("trigamma(x)", {"x": "13/10"}, lambda x: mp.psi(1, x)),
    "erfcinv": ("erfcinv(x)", {"x": "3/10"}, lambda x: mp.erfinv(1 - x)),
    "erf2": ("erf2(x, y)", {"x": "1/5", "y": "9/10"}, lambda x, y: mp.erf(y) - mp.erf(x)),
    "zeta": ("x*zeta(5/2)", {"x": "5/2"}, lambda x: x * mp.zeta(2.5)),
    "zeta_hurwitz": ("zeta(3, x)", {"x": "7/10"}, lambda x: mp.zeta(3, x)),
    "polylog": ("polylog(2, x)", {"x": "2/5"}, lambda x: mp.polylog(2, x)),
    "LambertW": ("LambertW(x)", {"x": "6/5"}, lambda x: mp.lambertw(x).real),
    "LambertW_branch": ("LambertW(x, -1)", {"x": "-1/5"}, lambda x: mp.lambertw(x, -1).real),
    "besselj": ("besselj(1/3, x)", {"x": "17/10"}, lambda x: mp.besselj(mp.mpf(1) / 3, x)),
    "bessely": ("bessely(2, x)", {"x": "17/10"}, lambda x: mp.bessely(2, x)),
    "besseli": ("besseli(1, x)", {"x": "17/10"}, lambda x: mp.besseli(1, x)),
    "besselk": ("besselk(0, x)", {"x": "17/10"}, lambda x: mp.besselk(0, x)),

    "airyai": ("airyai(x)", {"x": "-6/5"}, lambda x: mp.airyai(x)),
    "airybi": ("airybi(x)", {"x": "-6/5"}, lambda x: mp.airybi(x)),
    "airyaiprime": ("airyaiprime(x)", {"x": "-6/5"}, lambda x: mp.airyai(x, derivative=1)),
    "airybiprime": ("airybiprime(x)", {"x": "-6/5"}, lambda x: mp.airybi(x, derivative=1)),
    "elliptic_k": ("elliptic_k(x)", {"x": "2/5"}, lambda x: mp.ellipk(x)),
    "elliptic_e": ("elliptic_e(x)", {"x": "2/5"}, lambda x: mp.ellipe(x)),
    "elliptic_e_incomplete": ("elliptic_e(x, y)", {"x": "4/5", "y": "2/5"}, lambda x, y: mp.ellipe(x, y)),
    "elliptic_f": ("elliptic_f(x, y)", {"x": "4/5", "y": "2/5"}, lambda x, y: mp.ellipf(x, y)),
    "elliptic_pi": ("elliptic_pi(x, y)", {"x": "1/5", "y": "2/5"}, lambda x, y: mp.ellippi(x, y)),
    "elliptic_pi_incomplete": (
        "elliptic_pi(1/5, x, y)", {"x": "4/5", "y": "2/5"}, lambda x, y: mp.ellippi(mp.mpf(1) / 5, x, y)
    ),
    "legendre": ("legendre(5, x)", {"x": "3/10"}, lambda x: mp.legendre(5, x)),
    "legendre_degree": ("legendre(n, x)", {"n": "4", "x": "3/10"}, lambda n, x: mp.legendre(n, x)),
    "assoc_legendre": ("assoc_legendre(4, 2, x)", {"x": "3/10"}, lambda x: mp.legenp(4, 2, x)),
    "hermite": ("hermite(4, x)", {"x": "7/10"}, lambda x: mp.hermite(4, x)),
    "hermite_prob": (
        "hermite_prob(4, x)", {"x": "7/10"}, lambda x: mp.hermite(4, x / mp.sqrt(2)) / 4
    ),
    "chebyshevt": ("chebyshevt(6, x)", {"x": "3/10"}, lambda x: mp.chebyt(6, x)),
    "chebyshevu": ("chebyshevu(6, x)", {"x": "3/10"}, lambda x: mp.chebyu(6, x)),
    "laguerre": ("laguerre(4, x)", {"x": "7/10"}, lambda x: mp.laguerre(4, 0, x)),
    "assoc_laguerre": ("assoc_laguerre(3, x, y)", {"x": "1/2", "y": "7/10"}, lambda x, y: mp.laguerre(3, x, y)),
    "gegenbauer": ("gegenbauer(3, x, y)", {"x": "3/2", "y": "3/10"}, lambda x, y: mp.gegenbauer(3, x, y)),
    "jacobi": ("jacobi(3, 1/2, x, y)", {"x": "3/2", "y": "3/10"}, lambda x, y: mp.jacobi(3, 0.5, x, y)),
    "hyp0f1": ("hyp0f1(3/2, x)", {"x": "7/10"}, lambda x: mp.hyp0f1(1.5, x)),
    "hyp1f1": ("hyp1f1(1/2, 3/2, x)", {"x": "7/10"}, lambda x: mp.hyp1f1(0.5, 1.5, x)),
    "hyp2f1": ("hyp2f1(1/2, 1, 3/2, x)", {"x": "2/5"}, lambda x: mp.hyp2f1(0.5, 1, 1.5, x)),
    "appellf1": (
        "appellf1(1, 1/2, 1/3, 2, x, y)", {"x": "1/5", "y": "3/10"},
        lambda x, y: mp.appellf1(1, 0.5, mp.mpf(1) / 3, 2, x, y),
    ),
}

#: alias -> (formula with the alias, formula with the function it names)
ALIASES: dict[str, tuple[str, str]] = {
    "lambertw": ("lambertw(x)", "LambertW(x)"),
    "expi": ("expi(x)", "Ei(x)"),
    "ellipk": ("ellipk(x)", "elliptic_k(x)"),
    "ellipe": ("ellipe(x)", "elliptic_e(x)"),
}


def function_name(formula: str) -> str:
    """The function a corpus formula calls."""
    return formula.split("(", 1)[0]
