"""The function's own value in ``--points`` / ``--grid`` output: a column named
as the function (``f``; ``f1``, ``f2`` for a vector function; the ``--name``)
after the symbols and before the entries, and ``"value"`` in each JSON point.

Expected values come from mpmath at 30 digits (the formulas written again
in mpmath, not read from symgrad), or by hand.
"""

from __future__ import annotations

import csv
import io
import json
import math

import mpmath
import numpy as np
import pytest

import symgrad.cli.points

mpmath.mp.dps = 30

# (symgrad formulas, the same in mpmath of (x, y, z))
FORMULAS = {
    "polynomial and sine": (["x**2*y + sin(z)*x"], lambda x, y, z: [x**2 * y + mpmath.sin(z) * x]),
    "gaussian and atan2": (["exp(-x**2)*atan2(y, z + 5)"],
                           lambda x, y, z: [mpmath.exp(-x**2) * mpmath.atan2(y, z + 5)]),
    "norm": (["sqrt(x**2 + y**2 + z**2)"], lambda x, y, z: [mpmath.sqrt(x**2 + y**2 + z**2)]),
    # seven exp calls: the symengine backend computes them with NumPy (_StagedExps)
    "log-sum-exp": (["log(exp(x) + exp(2*y) + exp(x + y) + exp(-x) + exp(-y) + exp(z) + exp(x - z))"],
                    lambda x, y, z: [mpmath.log(mpmath.exp(x) + mpmath.exp(2 * y) + mpmath.exp(x + y)
                                                + mpmath.exp(-x) + mpmath.exp(-y) + mpmath.exp(z)
                                                + mpmath.exp(x - z))]),
    "vector": (["x*y*z", "log(1 + x**2)*y", "cos(x)/(1 + y**2)"],
               lambda x, y, z: [x * y * z, mpmath.log(1 + x**2) * y, mpmath.cos(x) / (1 + y**2)]),
}


def points_csv(points: np.ndarray) -> str:
    return "x,y,z\n" + "".join(f"{a!r},{b!r},{c!r}\n" for a, b, c in points.tolist())


def rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def oracle(function, *point: float) -> list[float]:
    return [float(v) for v in function(*(mpmath.mpf(p) for p in point))]


@pytest.mark.parametrize("backend", ["numpy", "symengine"])
@pytest.mark.parametrize("case", list(FORMULAS))
def test_values_agree_with_mpmath(cli, case, backend):
    formulas, function = FORMULAS[case]
    points = np.random.default_rng(7).uniform(-2, 2, size=(20, 3))
    result = cli(*formulas, "-H", "--backend", backend, "--points", "-", input=points_csv(points))
    assert result.exit_code == 0, result.stderr
    names = ["f"] if len(formulas) == 1 else [f"f{k + 1}" for k in range(len(formulas))]
    header = result.stdout.splitlines()[0].split(",")
    assert header[3 : 3 + len(names)] == names  # right after the symbols
    assert header[3 + len(names)].startswith("d")  # then the derivatives
    for row, point in zip(rows_of(result.stdout), points.tolist(), strict=True):
        got = [float(row[name]) for name in names]
        np.testing.assert_allclose(got, oracle(function, *point), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("backend", ["numpy", "symengine"])
def test_grid_values_with_a_parameter_fixed_by_at(cli, tmp_path, backend):
    path = tmp_path / "g.npz"
    result = cli("a*exp(-x**2)*cos(y) + b", "--wrt", "x,y", "--at", "a=pi/3,b=1/7", "--backend", backend,
                 "--grid", "x=-1:1:0.25,y=0:2:n=5", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    with np.load(path) as saved:
        assert sorted(saved.files) == ["df/dx", "df/dy", "f", "x", "y"]
        value, xs, ys = saved["f"], saved["x"], saved["y"]
    assert value.shape == (9, 5)
    a, b = mpmath.pi / 3, mpmath.mpf(1) / 7
    want = [[float(a * mpmath.exp(-mpmath.mpf(x) ** 2) * mpmath.cos(y) + b) for y in ys.tolist()]
            for x in xs.tolist()]
    np.testing.assert_allclose(value, want, rtol=1e-12)


def test_points_values_with_a_parameter_fixed_by_at_in_json_lines(cli):
    result = cli("k*x**3", "--wrt", "x", "--at", "k=1/3", "--points", "-", "--json", input="x\n1.5\n-2\n")
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["value"] for d in docs] == pytest.approx([1.5**3 / 3, -8 / 3], rel=1e-15)
    assert [d["gradient"] for d in docs] == [[pytest.approx(2.25)], [pytest.approx(4.0)]]
    assert list(docs[0]) == ["at", "value", "gradient"]


# ---------------------------------------------------------------------------
# Every output form, for a vector function with --name


VECTOR = ["x*y", "x + y**2"]  # F = (xy, x + y^2) at (2, 3): (6, 11); J = [[3, 2], [1, 6]]
WANT = {"F1": 6.0, "F2": 11.0, "dF1/dx": 3.0, "dF1/dy": 2.0, "dF2/dx": 1.0, "dF2/dy": 6.0}


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".npy", ".npz", ".parquet"])
def test_every_output_file_holds_the_value(cli, tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    result = cli(*VECTOR, "--name", "F", "--points", "-", "-o", str(path), input="x,y\n2,3\n")
    assert result.exit_code == 0, result.stderr
    if suffix in (".csv", ".tsv"):
        text = path.read_text()
        delimiter = "\t" if suffix == ".tsv" else ","
        assert text.splitlines()[0].split(delimiter) == ["x", "y", *WANT]
        (row,) = rows_of(text, delimiter)
        assert {k: float(row[k]) for k in WANT} == WANT
    elif suffix == ".jsonl":
        (doc,) = [json.loads(line) for line in path.read_text().splitlines()]
        assert doc == {"at": {"x": 2, "y": 3}, "value": [6, 11], "jacobian": [[3, 2], [1, 6]]}
    elif suffix == ".npy":
        assert np.load(path).tolist() == [list(WANT.values())]
    elif suffix == ".npz":
        with np.load(path) as saved:
            assert sorted(saved.files) == sorted(["x", "y", *WANT])
            assert {k: saved[k].tolist() for k in WANT} == {k: [v] for k, v in WANT.items()}
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(path).to_pydict()
        assert list(table) == ["x", "y", *WANT]
        assert {k: table[k] for k in WANT} == {k: [v] for k, v in WANT.items()}


@pytest.mark.parametrize("fmt", ["csv", "json", "pretty"])
def test_stdout_holds_the_value(cli, fmt):
    result = cli(*VECTOR, "--name", "F", "--points", "-", "-f", fmt, input="x,y\n2,3\n")
    assert result.exit_code == 0, result.stderr
    if fmt == "csv":
        (row,) = rows_of(result.stdout)
        assert list(row) == ["x", "y", *WANT]
        assert {k: float(row[k]) for k in WANT} == WANT
    elif fmt == "json":
        assert json.loads(result.stdout)["value"] == [6, 11]
    else:  # the table's columns and the row
        lines = [line.split() for line in result.stdout.splitlines() if line.strip()]
        assert lines[0] == ["x", "y", *WANT]
        assert ["2", "3", "6", "11", "3", "2", "1", "6"] in lines


def test_grid_npy_stacks_the_value_first(cli, tmp_path):
    path = tmp_path / "g.npy"
    result = cli(*VECTOR, "--grid", "x=0:2:1,y=-1:1:1", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    x, y = np.mgrid[0:2:3j, -1:1:3j]
    saved = np.load(path)
    assert saved.shape == (2 + 4, 3, 3)
    assert np.array_equal(saved[0], x * y) and np.array_equal(saved[1], x + y**2)
    assert np.array_equal(saved[5], 2 * y)  # dF2/dy


# ---------------------------------------------------------------------------
# A value that is not finite: reported, written, never a --strict failure alone


def test_a_value_that_is_not_finite_does_not_fail_strict(cli):
    # log(x) + y by y: the derivative is 1 everywhere, the value -inf at x = 0
    result = cli("log(x) + y", "--wrt", "y", "--points", "-", "--strict", input="x,y\n1,2\n0,3\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["x,y,f,df/dy", "1,2,2.0,1.0", "0,3,-inf,1.0"]
    (line,) = result.stderr.splitlines()
    assert line.startswith("Warning: f is not finite") and "1 of 2 rows" in line and "line 3" in line


def test_a_value_that_is_not_finite_in_json_lines(cli):
    result = cli("log(x) + y", "--wrt", "y", "--points", "-", "--json", "--strict", input="x,y\n0,3\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"at": {"x": 0, "y": 3}, "value": "-inf", "gradient": [1]}


def test_strict_still_fails_for_an_entry(cli):
    result = cli("log(x)", "--grid", "x=0:1:1", "--strict")
    assert result.exit_code == 1
    note, failure = result.stderr.splitlines()
    assert note.startswith("Warning: f ") and "row 1" in note
    assert failure.startswith("Error: df/dx ") and "row 1" in failure
    assert result.stdout.splitlines() == ["x,f,df/dx", "0.0,-inf,inf", "1.0,0.0,1.0"]


# ---------------------------------------------------------------------------
# A symbol named as the value column


def check_one_error_line(result, *needles):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in line, line
    return line


@pytest.mark.parametrize("suffix", [None, ".csv", ".tsv", ".npz", ".parquet"])
@pytest.mark.parametrize("source", ["points", "grid"])
def test_a_symbol_named_as_the_value_column_is_refused(cli, tmp_path, suffix, source):
    where = ["--points", "-"] if source == "points" else ["--grid", "f=0:1:1,x=0:1:1"]
    out = [] if suffix is None else ["-o", str(tmp_path / f"o{suffix}")]
    result = cli("f*x", *where, *out, input='{"f": 1, "x": 2}\n')
    check_one_error_line(result, "value, f,", "symbol f", "--name", "--no-value")
    assert list(tmp_path.iterdir()) == []


def test_a_csv_column_named_as_the_value_column_is_refused(cli):
    result = cli("f*x", "--points", "-", input="f,x\n1,2\n")
    check_one_error_line(result, "f")


@pytest.mark.parametrize("args, grid, name", [
    (["x*f1", "y"], "x=0:1:1,y=0:1:1,f1=0:1:1", "f1"),  # the first formula's value, f1
    (["x*y", "--name", "y"], "x=0:1:1,y=0:1:1", "y"),
])
def test_a_component_or_a_name_clashing_with_a_symbol_is_refused(cli, args, grid, name):
    result = cli(*args, "--grid", grid)
    check_one_error_line(result, f"value, {name}, would have the name of the symbol {name};")


def test_another_name_resolves_the_clash(cli):
    result = cli("f*x", "--name", "g", "--grid", "f=2:2:1,x=3:3:1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["f,x,g,dg/df,dg/dx", "2.0,3.0,6.0,3.0,2.0"]


@pytest.mark.parametrize("fmt", ["jsonl", "npy"])
def test_outputs_without_column_names_do_not_clash(cli, tmp_path, fmt):
    path = tmp_path / f"o.{fmt}"
    result = cli("f*x", "--grid", "f=2:2:1,x=3:3:1", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    if fmt == "jsonl":
        assert json.loads(path.read_text()) == {"at": {"f": 2, "x": 3}, "value": 6, "gradient": [3, 2]}
    else:  # a grid .npy: the computed columns stacked
        assert np.load(path).tolist() == [[[6.0]], [[3.0]], [[2.0]]]


# ---------------------------------------------------------------------------
# The opt-out (BulkOptions.value, the command line's --no-value): today's columns


@pytest.fixture
def no_value(monkeypatch):
    """The command line with the value left out, as ``--no-value`` sets it
    (test_the_no_value_flag_gives_the_old_columns runs the flag itself)."""
    real = symgrad.cli.points.BulkOptions

    def without_value(*args, **kwargs):
        return real(*args, **{**kwargs, "value": False})

    monkeypatch.setattr(symgrad.cli.points, "BulkOptions", without_value)


# the output of these before the value column existed (x**2*y at (1,2), (3,4), with -H)
OLD_CSV = "id,x,y,df/dx,df/dy,d2f/dx^2,d2f/dxdy,d2f/dy^2\na,1,2,4.0,1.0,4.0,2.0,0.0\nb,3,4,24.0,9.0,8.0,6.0,0.0\n"
OLD_JSONL = ('{"at": {"x": 1.0, "y": 2.0}, "gradient": [4.0, 1.0], "hessian": [[4.0, 2.0], [2.0, 0.0]], '
             '"extra": {"id": "a"}}\n'
             '{"at": {"x": 3.0, "y": 4.0}, "gradient": [24.0, 9.0], "hessian": [[8.0, 6.0], [6.0, 0.0]], '
             '"extra": {"id": "b"}}\n')
ENTRIES = ["df/dx", "df/dy", "d2f/dx^2", "d2f/dxdy", "d2f/dy^2"]
ROWS = [[4, 1, 4, 2, 0], [24, 9, 8, 6, 0]]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".npy", ".npz", ".parquet"])
def test_without_the_value_the_columns_are_as_before(cli, tmp_path, no_value, suffix):
    path = tmp_path / f"out{suffix}"
    result = cli("x**2*y", "-H", "--points", "-", "-o", str(path), input="id,x,y\na,1,2\nb,3,4\n")
    assert result.exit_code == 0, result.stderr
    if suffix in (".csv", ".tsv"):
        assert path.read_text() == (OLD_CSV if suffix == ".csv" else OLD_CSV.replace(",", "\t"))
    elif suffix == ".jsonl":
        assert path.read_text() == OLD_JSONL
    elif suffix == ".npy":
        saved = np.load(path)
        assert saved.shape == (2, 5) and saved.tolist() == ROWS
    elif suffix == ".npz":
        with np.load(path) as saved:
            assert sorted(saved.files) == sorted(["x", "y", *ENTRIES])
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(path).column_names == ["x", "y", *ENTRIES]


def test_without_the_value_stdout_and_grids_are_as_before(cli, tmp_path, no_value):
    assert cli("x*y", "--grid", "x=0:1:1,y=2:2:1").stdout == "x,y,df/dx,df/dy\n0.0,2.0,2.0,0.0\n1.0,2.0,2.0,1.0\n"
    assert cli("x*y", "--points", "-", "--json", input="x,y\n1,2\n").stdout == \
        '{"at": {"x": 1.0, "y": 2.0}, "gradient": [2.0, 1.0]}\n'
    path = tmp_path / "g.npy"
    assert cli("x*y", "--grid", "x=0:1:1,y=2:2:1", "-o", str(path)).exit_code == 0
    assert np.load(path).shape == (2, 2, 1)


def test_without_the_value_a_symbol_named_f_is_fine(cli, no_value):
    result = cli("f*x", "--points", "-", "--strict", input="f,x\n1,2\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "f,x,df/df,df/dx\n1,2,2.0,1.0\n"
    # and the value's problems are not computed, so not reported
    result = cli("log(x) + y", "--wrt", "y", "--points", "-", input="x,y\n0,3\n")
    assert result.exit_code == 0 and result.stderr == ""


def test_the_old_csv_is_today_with_the_value_column_dropped(cli, no_value, monkeypatch):
    text = "id,x,y\na,1,2\nb,3,4\n"
    old = cli("x**2*y", "-H", "--points", "-", input=text).stdout
    monkeypatch.undo()
    new = cli("x**2*y", "-H", "--points", "-", input=text).stdout
    dropped = [{k: v for k, v in row.items() if k != "f"} for row in rows_of(new)]
    assert rows_of(old) == dropped
    assert [math.isclose(float(r["f"]), x * x * y) for r, (x, y) in zip(rows_of(new), [(1, 2), (3, 4)])] == [True] * 2


def test_a_formula_holding_complex_infinity_is_refused_before_any_row(cli):
    # x**2*y*log(0) is zoo*x**2*y: refused as typed (a SymPy expression holding zoo
    # gets a nan value column: test_batch.test_a_constant_formula_has_a_constant_value_column)
    result = cli("x**2*y*log(0)", "--points", "-", input="x,y\n1,2\n")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: the formula has no value as written")


def test_an_input_column_named_as_the_value_column_is_refused(cli):
    # not a symbol: a label column f, which the CSV output repeats beside the value column f
    result = cli("x**2", "--points", "-", input="x,f\n3,a\n")
    check_one_error_line(result, "a column named f", "--name", "--no-value")


def test_an_input_column_named_as_an_entry_is_refused_as_before(cli):
    result = cli("x**2", "--points", "-", input="x,df/dx\n3,a\n")
    line = check_one_error_line(result, "a column named df/dx", "--name")
    assert "--no-value" not in line


def test_the_no_value_flag_gives_the_old_columns(cli, tmp_path):
    path = tmp_path / "out.csv"
    result = cli("x**2*y", "-H", "--points", "-", "-o", str(path), "--no-value", input="id,x,y\na,1,2\nb,3,4\n")
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == OLD_CSV
    assert cli("f*x", "--points", "-", "--no-value", input="f,x\n1,2\n").stdout == "f,x,df/df,df/dx\n1,2,2.0,1.0\n"


def test_the_no_value_flag_needs_many_points(cli):
    result = cli("x*y", "--at", "x=1,y=2", "--no-value")
    assert result.exit_code == 2
    assert result.stderr == "Error: --no-value works with --points or --grid\n"
