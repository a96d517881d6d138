"""symgrad --grid next to numpy.gradient, on the same mesh.

V = 2x² + 3y² − 4z sampled on mgrid[-100:101:25.] (9 values per axis).
numpy.gradient differences the samples; symgrad evaluates the exact
derivatives at the same points and writes them with the same shapes.

Run: python examples/grid_vs_numpy.py
"""

import os
import subprocess
import tempfile

import numpy as np

FORMULA = "2*x**2 + 3*y**2 - 4*z"
GRID = "x=-100:100:25,y=-100:100:25,z=-100:100:25"

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "grad.npz")
    subprocess.run(["symgrad", FORMULA, "--grid", GRID, "--name", "V", "-o", path], check=True)
    with np.load(path) as saved:
        exact = [saved["dV/dx"], saved["dV/dy"], saved["dV/dz"]]

x, y, z = np.mgrid[-100:101:25.0, -100:101:25.0, -100:101:25.0]
V = 2 * x**2 + 3 * y**2 - 4 * z
unit = np.gradient(V)            # the common slip: spacing not given, taken as 1
spaced = np.gradient(V, 25.0)    # spacing given

print("shapes  numpy.gradient:", [g.shape for g in unit], " symgrad:", [g.shape for g in exact])
for name, e, u, s in zip("xyz", exact, unit, spaced):
    interior = (slice(1, -1),) * 3
    print(f"d/d{name}: max |error| without spacing {np.abs(u - e).max():7g}, "
          f"with spacing: interior {np.abs(s - e)[interior].max():g}, "
          f"edges {np.abs(s - e).max():g}")
