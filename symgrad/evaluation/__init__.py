"""Values of a job's derivatives: at one point, or compiled over many.

* :mod:`.exact` substitutes a point (exact values stay exact, decimals are
  computed with 30 digits) and names the entries that are not finite reals;
* :mod:`.compiled` turns every entry into one compiled function of a block
  of points (symengine's LLVM code, or NumPy), used by :mod:`symgrad.points`.
"""
