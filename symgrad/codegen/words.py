"""Identifiers the generated code must not give an argument, per language.

SymPy's printers keep the keywords of Python, C and Rust; these are the
library names beside them: math.h's macros and functions, Rust's prelude
values and ``std::f64::consts``, Julia's SpecialFunctions.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Python: SymPy's keyword list lacks ``async`` and ``await``; the rest are
#: the names the generated functions use.
PY_WORDS = words("async await math numpy functools shape full value out abs max min")
#: C library names a parameter would hide (SymPy's printer lists C's keywords only).
MATH_FUNCS = words(
    "sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp log log10 log2 sqrt "
    "cbrt pow abs fabs erf erfc tgamma lgamma gamma fmax fmin max min sign hypot floor ceil"
)

#: math.h's macros (a parameter named NAN would be replaced by the macro) and
#: C99's other math functions.
C_MATH = words(
    "NAN INFINITY HUGE_VAL HUGE_VALF HUGE_VALL FP_NAN FP_INFINITE FP_ZERO FP_SUBNORMAL FP_NORMAL "
    "FP_FAST_FMA FP_FAST_FMAF FP_FAST_FMAL FP_ILOGB0 FP_ILOGBNAN MATH_ERRNO MATH_ERREXCEPT "
    "math_errhandling float_t double_t signgam M_E M_LOG2E M_LOG10E M_LN2 M_LN10 M_PI M_PI_2 "
    "M_PI_4 M_1_PI M_2_PI M_2_SQRTPI M_SQRT2 M_SQRT1_2 fpclassify isfinite isinf isnan isnormal "
    "signbit isgreater isgreaterequal isless islessequal islessgreater isunordered exp2 expm1 "
    "log1p logb ilogb frexp ldexp modf scalbn scalbln fma fdim remainder remquo copysign nan "
    "nextafter nexttoward round lround llround trunc rint lrint llrint nearbyint fmod"
)
#: The constants of std::f64::consts and the prelude's values (a parameter
#: named None is read as the pattern None).
RUST_CONSTS = (
    "PI", "E", "TAU", "SQRT_2", "FRAC_1_SQRT_2", "FRAC_1_PI", "FRAC_2_PI", "FRAC_PI_2", "FRAC_PI_3",
    "FRAC_PI_4", "FRAC_PI_6", "FRAC_PI_8", "FRAC_2_SQRT_PI", "LN_2", "LN_10", "LOG2_E", "LOG10_E",
    "LOG2_10", "LOG10_2",
)
RUST_WORDS = words("f64 out None Some Ok Err") | frozenset(RUST_CONSTS)

#: Julia functions from the SpecialFunctions package, not Base, that SymPy's printer writes.
JULIA_SPECIAL = frozenset(
    "erf erfc erfi erfinv erfcinv gamma loggamma digamma trigamma polygamma beta airyai "
    "airyaiprime airybi airybiprime besselj bessely besseli besselk hankelh1 hankelh2".split()
)

__all__ = ["C_MATH", "JULIA_SPECIAL", "MATH_FUNCS", "PY_WORDS", "RUST_CONSTS", "RUST_WORDS", "words"]
