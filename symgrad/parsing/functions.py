"""The functions and constants a formula may use, and their guarded constructors.

:data:`FUNCTIONS` maps every function name the parser knows (aliases such
as ``ln`` and ``arcsin`` included) to a :class:`KnownFunction`: how to build
it and how many arguments it takes. Constructors whose exact values can grow
without bound (factorial, gamma, binomial, powers, exp) check their
arguments against :mod:`symgrad.limits` first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import limits

if TYPE_CHECKING:
    import sympy as sp

__all__ = [
    "CONSTANT_NAMES",
    "FUNCTIONS",
    "FUNCTION_NAMES",
    "GUARDED_ARGUMENTS",
    "SPECIAL_FUNCTIONS",
    "KnownFunction",
    "constant",
    "power",
]

#: Names read as constants unless listed in ``symbols``.
CONSTANT_NAMES = ("pi", "E", "I", "oo")


def constant(name: str) -> sp.Expr:
    import sympy as sp

    return {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo}[name]


def _guarded_factorial(x: Any) -> Any:
    import sympy as sp

    limits.check_factorial("factorial", x)
    return sp.factorial(x)


def _guarded_gamma(x: Any) -> Any:
    import sympy as sp

    limits.check_factorial("gamma", x)
    return sp.gamma(x)


def _guarded_gamma_family(name: str) -> Callable[[Any], Any]:
    """loggamma, digamma: exact values at big rationals need a huge factorial or sum."""

    def build(x: Any) -> Any:
        import sympy as sp

        limits.check_factorial(name, x)
        return getattr(sp, name)(x)

    build.__name__ = name
    return build


def _sqrt(x: Any) -> Any:
    import sympy as sp

    return power(x, sp.S.Half)


def _real_arguments(x: Any) -> bool:
    """Whether every symbol of ``x`` is real (the default; not with ``--complex``)."""
    return all(s.is_real for s in x.free_symbols)


def _cbrt(x: Any) -> Any:
    """The real cube root for real arguments (``cbrt(-8) = -2``, as in C, NumPy and
    Julia), SymPy's principal root for complex ones."""
    import sympy as sp

    return _real_root(x, sp.Integer(3)) if _real_arguments(x) else power(x, sp.Rational(1, 3))


def _real_root(x: Any, n: Any) -> Any:
    """The real ``n``-th root: ``sign(x)*Abs(x)**(1/n)`` for odd ``n`` and real ``x``;
    for even ``n`` (or complex ``x``) the principal root, as ``root``."""
    import sympy as sp

    from ..errors import ParseError

    if not (isinstance(n, sp.Integer) and n > 0):
        raise ParseError(f"real_root(x, n) needs a positive integer n, not {n}")
    if n % 2 == 0 or not _real_arguments(x):
        return power(x, sp.Integer(1) / n)
    if x.is_Number:
        return sp.sign(x) * power(abs(x), sp.Integer(1) / n)
    return sp.sign(x) * power(sp.Abs(x), sp.Integer(1) / n)


def _abs(x: Any) -> Any:
    import sympy as sp

    limits.check_abs(x)
    return sp.Abs(x)


def _exp(x: Any) -> Any:
    import sympy as sp

    limits.check_exp(x)
    return sp.exp(x)


def _guarded_binomial(n: Any, k: Any) -> Any:
    import sympy as sp

    limits.check_binomial(n, k)
    return sp.binomial(n, k)


def _log(x: Any, base: Any = None) -> Any:
    import sympy as sp

    return sp.log(x) if base is None else sp.log(x, base)


def _root(x: Any, n: Any) -> Any:
    import sympy as sp

    return power(x, sp.Integer(1) / n)


def _hypot(x: Any, y: Any) -> Any:
    import sympy as sp

    return power(power(x, sp.Integer(2)) + power(y, sp.Integer(2)), sp.S.Half)


def _sympy_function(name: str) -> Callable[..., Any]:
    def build(*args: Any) -> Any:
        import sympy as sp

        return getattr(sp, name)(*args)

    build.__name__ = name
    return build


def check_special_arguments(name: str, args: Sequence[Any], orders: Sequence[int],
                            factorials: Sequence[int]) -> None:
    """Check ``args[i]`` for ``i`` in ``orders`` (an order or degree) and in
    ``factorials`` (a gamma-like argument) against the limits."""
    for i in orders:
        if i < len(args):
            limits.check_order(name, args[i])
    for i in factorials:
        if i < len(args):
            limits.check_factorial(name, args[i])


def _special(name: str, orders: tuple[int, ...] = (), factorials: tuple[int, ...] = ()) -> Callable[..., Any]:
    """SymPy's ``name``; exact arguments at ``orders`` (an order or degree) and
    ``factorials`` (a gamma-like argument) are checked against the limits first."""

    def build(*args: Any) -> Any:
        import sympy as sp

        check_special_arguments(name, args, orders, factorials)
        return getattr(sp, name)(*args)

    build.__name__ = name
    return build


def _erfcinv(x: Any) -> Any:
    import sympy as sp

    return sp.erfinv(1 - x)


def _erf2(x: Any, y: Any) -> Any:
    import sympy as sp

    return sp.erf(y) - sp.erf(x)


def _hyper(p: int, q: int) -> Callable[..., Any]:
    """The generalised hypergeometric function pFq(a1..ap; b1..bq; z) with fixed p, q."""

    def build(*args: Any) -> Any:
        import sympy as sp

        return sp.hyper(args[:p], args[p : p + q], args[-1])

    build.__name__ = f"hyp{p}f{q}"
    return build


#: The special functions beyond the elementary ones: name -> (SymPy name,
#: fewest and most arguments, positions of orders/degrees, positions of
#: gamma-like arguments). Every one has derivatives SymPy knows with respect
#: to its main argument(s); see :data:`SPECIAL_FUNCTIONS`.
_SPECIAL: dict[str, tuple[str, int, int, tuple[int, ...], tuple[int, ...]]] = {
    # exponential, logarithmic, trigonometric and hyperbolic integrals
    "Ei": ("Ei", 1, 1, (), ()),
    "li": ("li", 1, 1, (), ()),
    "Li": ("Li", 1, 1, (), ()),
    "Si": ("Si", 1, 1, (), ()),
    "Ci": ("Ci", 1, 1, (), ()),
    "Shi": ("Shi", 1, 1, (), ()),
    "Chi": ("Chi", 1, 1, (), ()),
    "expint": ("expint", 2, 2, (0,), ()),
    "fresnels": ("fresnels", 1, 1, (), ()),
    "fresnelc": ("fresnelc", 1, 1, (), ()),
    # gamma family and error functions
    "uppergamma": ("uppergamma", 2, 2, (0,), ()),
    "lowergamma": ("lowergamma", 2, 2, (0,), ()),
    "polygamma": ("polygamma", 2, 2, (0,), (1,)),
    "trigamma": ("trigamma", 1, 1, (), (0,)),
    # zeta and polylogarithm, Lambert W
    "zeta": ("zeta", 1, 2, (0, 1), ()),
    "polylog": ("polylog", 2, 2, (0,), ()),
    "LambertW": ("LambertW", 1, 2, (1,), ()),
    # Bessel and Airy functions
    "besselj": ("besselj", 2, 2, (0,), ()),
    "bessely": ("bessely", 2, 2, (0,), ()),
    "besseli": ("besseli", 2, 2, (0,), ()),
    "besselk": ("besselk", 2, 2, (0,), ()),
    "airyai": ("airyai", 1, 1, (), ()),
    "airybi": ("airybi", 1, 1, (), ()),
    "airyaiprime": ("airyaiprime", 1, 1, (), ()),
    "airybiprime": ("airybiprime", 1, 1, (), ()),
    # complete and incomplete elliptic integrals
    "elliptic_k": ("elliptic_k", 1, 1, (), ()),
    "elliptic_e": ("elliptic_e", 1, 2, (), ()),
    "elliptic_f": ("elliptic_f", 2, 2, (), ()),
    "elliptic_pi": ("elliptic_pi", 2, 3, (), ()),
    # orthogonal polynomials (degree first)
    "legendre": ("legendre", 2, 2, (0,), ()),
    "assoc_legendre": ("assoc_legendre", 3, 3, (0, 1), ()),
    "hermite": ("hermite", 2, 2, (0,), ()),
    "hermite_prob": ("hermite_prob", 2, 2, (0,), ()),
    "chebyshevt": ("chebyshevt", 2, 2, (0,), ()),
    "chebyshevu": ("chebyshevu", 2, 2, (0,), ()),
    "laguerre": ("laguerre", 2, 2, (0,), ()),
    "assoc_laguerre": ("assoc_laguerre", 3, 3, (0,), ()),
    "gegenbauer": ("gegenbauer", 3, 3, (0,), ()),
    "jacobi": ("jacobi", 4, 4, (0,), ()),
}

#: Hypergeometric functions by fixed numbers of parameters: ``hyp2f1(a, b, c, z)``
#: is SymPy's ``hyper([a, b], [c], z)``.
_HYPER = {"hyp0f1": (0, 1), "hyp1f1": (1, 1), "hyp2f1": (2, 1)}

#: Aliases of the special functions: SciPy's and mpmath's spellings, where
#: they name the same function with the same arguments.
_SPECIAL_ALIASES = {
    "lambertw": "LambertW",
    "expi": "Ei",
    "ellipk": "elliptic_k",
    "ellipe": "elliptic_e",
}


@dataclass(frozen=True)
class KnownFunction:
    """An entry of the function table: its constructor and how many arguments it takes."""

    build: Callable[..., Any]
    min_args: int = 1
    max_args: int | None = 1  # None: any number


def _function_table() -> dict[str, KnownFunction]:
    one_arg = (
        "sin cos tan cot sec csc asin acos atan acot asec acsc "
        "sinh cosh tanh coth sech csch asinh acosh atanh acoth asech acsch "
        "sign erf erfc erfi erfinv "
        "sinc re im conjugate"
    ).split()
    table = {name: KnownFunction(_sympy_function(name)) for name in one_arg}
    table.update(
        {
            "log": KnownFunction(_log, 1, 2),
            "factorial": KnownFunction(_guarded_factorial),
            "gamma": KnownFunction(_guarded_gamma),
            "loggamma": KnownFunction(_guarded_gamma_family("loggamma")),
            "digamma": KnownFunction(_guarded_gamma_family("digamma")),
            "exp": KnownFunction(_exp),
            "Abs": KnownFunction(_abs),
            "sqrt": KnownFunction(_sqrt),
            "cbrt": KnownFunction(_cbrt),
            "binomial": KnownFunction(_guarded_binomial, 2, 2),
            "beta": KnownFunction(_sympy_function("beta"), 2, 2),
            "Heaviside": KnownFunction(_sympy_function("Heaviside"), 1, 2),
            # DiracDelta(x, k): its k-th derivative, as symgrad's text writes it
            "DiracDelta": KnownFunction(_special("DiracDelta", orders=(1,)), 1, 2),
            "Max": KnownFunction(_sympy_function("Max"), 1, None),
            "Min": KnownFunction(_sympy_function("Min"), 1, None),
            "atan2": KnownFunction(_sympy_function("atan2"), 2, 2),
            "root": KnownFunction(_root, 2, 2),
            "real_root": KnownFunction(_real_root, 2, 2),
            "hypot": KnownFunction(_hypot, 2, 2),
        }
    )
    aliases = {
        "ln": "log",
        "abs": "Abs",
        "arcsin": "asin",
        "arccos": "acos",
        "arctan": "atan",
        "arcsinh": "asinh",
        "arccosh": "acosh",
        "arctanh": "atanh",
        "arctan2": "atan2",
        "max": "Max",
        "min": "Min",
    }
    for name, (sympy_name, low, high, orders, factorials) in _SPECIAL.items():
        table[name] = KnownFunction(_special(sympy_name, orders, factorials), low, high)
    for name, (p, q) in _HYPER.items():
        table[name] = KnownFunction(_hyper(p, q), p + q + 1, p + q + 1)
    table["appellf1"] = KnownFunction(_sympy_function("appellf1"), 6, 6)
    # SymPy's erfcinv has no numeric value (mpmath has none); erfinv(1 - x) is the same function
    table["erfcinv"] = KnownFunction(_erfcinv)
    table["erf2"] = KnownFunction(_erf2, 2, 2)  # the same for erf2 (erf(y) - erf(x))
    aliases.update(_SPECIAL_ALIASES)
    for alias, target in aliases.items():
        table[alias] = table[target]

    def log_base(base: int) -> KnownFunction:
        def build(x: Any) -> Any:
            import sympy as sp

            return sp.log(x, sp.Integer(base))

        return KnownFunction(build)

    table["log10"] = log_base(10)
    table["log2"] = log_base(2)
    return table


FUNCTIONS = _function_table()
#: Every function name the parser knows (aliases included).
FUNCTION_NAMES = tuple(sorted(FUNCTIONS, key=str.lower))
#: The special functions' names (aliases included): derivatives with respect
#: to their orders or parameters are mostly unknown to SymPy and refused.
#: SymPy class name -> (positions of orders/degrees, positions of gamma-like
#: arguments) to check when a value at a point rebuilds the function.
GUARDED_ARGUMENTS = {
    sympy_name: (orders, factorials)
    for sympy_name, _, _, orders, factorials in _SPECIAL.values()
    if orders or factorials
}
SPECIAL_FUNCTIONS = tuple(sorted([*_SPECIAL, *_HYPER, "appellf1", "erfcinv", "erf2", *_SPECIAL_ALIASES], key=str.lower))


# ---------------------------------------------------------------------------
# Guarded construction


def power(base: Any, exp: Any) -> Any:
    """``base**exp``, refusing exact numbers too large to build."""
    limits.check_power(base, exp)
    return base**exp
