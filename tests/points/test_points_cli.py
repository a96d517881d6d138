"""``--points`` and ``--grid`` on the command line (in-process).

Expected values are derived by hand (the derivative written out in NumPy),
from numpy.gradient, or from symgrad's exact ``--at`` evaluation, never
copied from the bulk output itself.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys

import numpy as np
import pytest
from helpers import npy_bytes, npz_bytes

# f = x**2*y + sin(z)*x and its derivatives, written out by hand
F = "x**2*y + sin(z)*x"
ENTRIES = ["df/dx", "df/dy", "df/dz"]
HESSIAN = ["d2f/dx^2", "d2f/dxdy", "d2f/dxdz", "d2f/dy^2", "d2f/dydz", "d2f/dz^2"]


def value(x, y, z):
    return x**2 * y + np.sin(z) * x


def hand(x, y, z):
    grad = [2 * x * y + np.sin(z), x**2, x * np.cos(z)]
    hess = [2 * y, 2 * x, np.cos(z), 0 * x, 0 * x, -x * np.sin(z)]
    return grad, hess


def sample(rows=10, seed=1):
    return np.random.default_rng(seed).uniform(-3, 3, size=(rows, 3))


def csv_text(points, order=("x", "y", "z"), extra=True) -> str:
    head = ["id", *order, "note"] if extra else list(order)
    lines = [",".join(head)]
    for k, (x, y, z) in enumerate(points.tolist()):
        value = {"x": x, "y": y, "z": z}
        fields = [repr(value[name]) for name in order]
        lines.append(",".join([f"p{k}", *fields, f'"n {k}, ok"'] if extra else fields))
    return "\n".join(lines) + "\n"


def parse_csv(text: str, delimiter=","):
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return rows[0], rows[1:]


def check_one_error_line(result, *needles):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


# ---------------------------------------------------------------------------
# CSV in, CSV out


def test_csv_pass_through_and_values(cli):
    points = sample()
    text = csv_text(points, order=("z", "x", "y"))
    result = cli(F, "-H", "--points", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out_lines = result.stdout.splitlines()
    in_lines = text.splitlines()
    assert len(out_lines) == len(in_lines)
    assert out_lines[0] == in_lines[0] + "," + ",".join(["f", *ENTRIES, *HESSIAN])
    for line_in, line_out, (x, y, z) in zip(in_lines[1:], out_lines[1:], points):
        # the input line is repeated byte for byte, then the values
        assert line_out.startswith(line_in + ",")
        values = [float(v) for v in line_out[len(line_in) + 1:].split(",")]
        grad, hess = hand(x, y, z)
        np.testing.assert_allclose(values, [value(x, y, z), *grad, *hess], rtol=1e-13, atol=1e-15)


def test_pass_through_keeps_spacing_quotes_and_number_spelling(cli):
    text = 'x , label,y\n 1.50 ,"a ""quoted"", b",2e0\n-0,x,+3\n'
    result = cli("x*y", "--points", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "x , label,y,f,df/dx,df/dy",
        ' 1.50 ,"a ""quoted"", b",2e0,3.0,2.0,1.5',
        "-0,x,+3,-0.0,3.0,-0.0",
    ]


def test_header_only_input_gives_the_header(cli):
    result = cli("x*y", "--points", "-", input="y,x\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "y,x,f,df/dx,df/dy\n"


def test_values_read_back_as_the_same_doubles(cli):
    # 17 significant digits: the CSV holds exactly what was computed
    points = np.random.default_rng(2).uniform(-1e5, 1e5, size=(30, 2))
    text = "x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in points.tolist())
    result = cli("x*y", "--points", "-", input=text)
    _, rows = parse_csv(result.stdout)
    got = np.array([[float(v) for v in row[2:]] for row in rows])
    # f = x*y, one rounding as in Python; df/dx = y, df/dy = x, exactly
    assert got[:, 0].tolist() == [a * b for a, b in points.tolist()]
    assert np.array_equal(got[:, 1:], points[:, ::-1])


def test_tsv_in_tsv_out(cli):
    text = "y\tx\tlabel\n2\t3\ta, b\n"
    result = cli("x**2*y", "--points", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "y\tx\tlabel\tf\tdf/dx\tdf/dy\n2\t3\ta, b\t18.0\t12.0\t9.0\n"


def test_blank_lines_are_skipped(cli):
    result = cli("x*y", "--points", "-", input="\nx,y\n\n1,2\n   \n\r\n3,4\n\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "x,y,f,df/dx,df/dy\n1,2,2.0,2.0,1.0\n3,4,12.0,4.0,3.0\n"


def test_crlf_input(cli):
    result = cli("x*y", "--points", "-", input="x,y\r\n1,2\r\n")
    assert result.stdout == "x,y,f,df/dx,df/dy\n1,2,2.0,2.0,1.0\n"


def test_vector_function_column_names_and_values(cli):
    result = cli("x*y", "x+y**3", "-H", "--points", "-", input="x,y\n2,3\n")
    assert result.exit_code == 0, result.stderr
    head, rows = parse_csv(result.stdout)
    assert head == ["x", "y", "f1", "f2", "df1/dx", "df1/dy", "df2/dx", "df2/dy",
                    "d2f1/dx^2", "d2f1/dxdy", "d2f1/dy^2", "d2f2/dx^2", "d2f2/dxdy", "d2f2/dy^2"]
    # f = (6, 2 + 27); J = [[y, x], [1, 3y^2]]; H1 = [[0,1],[1,0]]; H2 = [[0,0],[0,6y]]
    assert [float(v) for v in rows[0][2:]] == [6, 29, 3, 2, 1, 27, 0, 1, 0, 0, 0, 18]


def test_constant_entries_fill_their_columns(cli):
    result = cli("3*x + y**2", "--points", "-", input="x,y\n1,1\n2,5\n7,-2\n")
    _, rows = parse_csv(result.stdout)
    assert [float(row[2]) for row in rows] == [4, 31, 25]
    assert [row[3] for row in rows] == ["3.0", "3.0", "3.0"]
    assert [float(row[4]) for row in rows] == [2, 10, -4]


# ---------------------------------------------------------------------------
# Other input formats


def test_json_lines_in_csv_out(cli):
    text = '{"y": 2, "x": 1, "tag": "a"}\n\n{"x": 3, "y": 4}\n'
    result = cli("x**2*y", "--points", "-", input=text)
    assert result.exit_code == 0, result.stderr
    # no header line to repeat: the symbols, then the entries, all as doubles
    assert result.stdout == "x,y,f,df/dx,df/dy\n1.0,2.0,2.0,4.0,1.0\n3.0,4.0,36.0,24.0,9.0\n"


def test_json_lines_in_json_lines_out(cli):
    text = '{"y": 2, "x": 1, "tag": "a"}\n{"x": 3, "y": 4}\n'
    result = cli("x**2*y", "-H", "--points", "-", "--json", input=text)
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert docs == [
        {"at": {"x": 1, "y": 2}, "value": 2, "gradient": [4, 1], "hessian": [[4, 2], [2, 0]],
         "extra": {"tag": "a"}},
        {"at": {"x": 3, "y": 4}, "value": 36, "gradient": [24, 9], "hessian": [[8, 6], [6, 0]]},
    ]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_in_json_lines_out_passes_other_columns_as_extra(cli, delimiter):
    text = delimiter.join(["id", "x", "y", "note"]) + "\n"
    text += delimiter.join(["p1", "1", "2", '"a, b"' if delimiter == "," else "a, b"]) + "\n"
    text += delimiter.join(["007", "3", "4", ""]) + "\n"
    result = cli("x**2*y", "--points", "-", "--json", input=text)
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert docs == [
        {"at": {"x": 1, "y": 2}, "value": 2, "gradient": [4, 1], "extra": {"id": "p1", "note": "a, b"}},
        # strings as in the file: the id keeps its zeros
        {"at": {"x": 3, "y": 4}, "value": 36, "gradient": [24, 9], "extra": {"id": "007", "note": ""}},
    ]


def test_csv_of_only_symbols_gives_no_extra(cli):
    result = cli("x*y", "--points", "-", "--json", input="y,x\n2,1\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"at": {"x": 1, "y": 2}, "value": 2, "gradient": [2, 1]}


def test_json_output_layout_matches_the_at_json(cli):
    # the same point through --at --json and --points --json: same layout and values
    args = ["x*y", "sin(x)+y", "-H", "--json"]
    exact = cli(*args, "--at", "x=0.5,y=-2")
    assert exact.exit_code == 0, exact.stderr
    (point,) = json.loads(exact.stdout)["points"]
    bulk = cli(*args, "--points", "-", input="x,y\n0.5,-2\n")
    assert bulk.exit_code == 0, bulk.stderr
    (doc,) = [json.loads(line) for line in bulk.stdout.splitlines()]
    # the same keys ("value" whether or not the --at JSON has it yet)
    assert set(doc) - {"value"} == set(point) - {"value"}
    assert doc["at"] == point["at"]
    assert doc["value"] == [0.5 * -2, math.sin(0.5) - 2]
    if "value" in point:
        np.testing.assert_allclose(np.array(doc["value"]), np.array(point["value"], dtype=float), rtol=1e-15)
    np.testing.assert_allclose(np.array(doc["jacobian"]), np.array(point["jacobian"]), rtol=1e-15)
    np.testing.assert_allclose(np.array(doc["hessian"]), np.array(point["hessian"]), rtol=1e-15)


GRID_XY = np.array([[1.0, 2.0], [3.0, 4.0], [-0.5, 8.0]])
EXPECTED_XY = ("x,y,f,df/dx,df/dy\n1.0,2.0,2.0,4.0,1.0\n3.0,4.0,36.0,24.0,9.0\n"
               "-0.5,8.0,2.0,-8.0,0.25\n")  # x**2*y by hand


@pytest.mark.parametrize("layout", ["npy", "npz-names", "npz-matrix"])
@pytest.mark.parametrize("via", ["file", "stdin"])
def test_binary_inputs(cli, tmp_path, layout, via):
    if layout == "npy":
        data = npy_bytes(GRID_XY)
    elif layout == "npz-names":
        data = npz_bytes(y=GRID_XY[:, 1], x=GRID_XY[:, 0], unused=np.zeros(7))
    else:
        data = npz_bytes(GRID_XY)
    if via == "file":
        path = tmp_path / ("p." + layout[:3])
        path.write_bytes(data)
        result = cli("x**2*y", "--points", str(path))
    else:
        result = cli("x**2*y", "--points", "-", input=data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED_XY


def test_npy_columns_follow_wrt_then_parameters(cli, tmp_path):
    path = tmp_path / "p.npy"
    np.save(path, np.array([[2.0, 3.0, 10.0]]))  # columns: y, x (--wrt order), then a
    result = cli("a*x + y**2", "--wrt", "y,x", "--points", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "y,x,a,f,df/dy,df/dx\n2.0,3.0,10.0,34.0,4.0,10.0\n"


@pytest.mark.parametrize(
    "data, name",
    [
        ("x,y\n1,2\n", "csv"),
        ("x\ty\n1\t2\n", "tsv"),
        ('{"x": 1, "y": 2}\n', "jsonl"),
        (npy_bytes(np.array([[1.0, 2.0]])), "npy"),
        (npz_bytes(x=np.array([1.0]), y=np.array([2.0])), "npz"),
    ],
)
def test_stdin_format_is_sniffed(cli, data, name):
    result = cli("x**2*y", "--points", "-", input=data)
    assert result.exit_code == 0, (name, result.stderr)
    head, rows = parse_csv(result.stdout, "\t" if name == "tsv" else ",")
    assert head[-2:] == ["df/dx", "df/dy"]
    assert [float(v) for v in rows[0][-2:]] == [4, 1]


def test_file_suffix_decides_the_format(cli, tmp_path):
    path = tmp_path / "points.jsonl"
    path.write_text('{"x": 2, "y": 1}\n')
    assert cli("x*y", "--points", str(path)).stdout == "x,y,f,df/dx,df/dy\n2.0,1.0,2.0,1.0,2.0\n"


# ---------------------------------------------------------------------------
# --output files


def run_to(cli, tmp_path, suffix, text="id,x,y\na,1,2\nb,3,4\n", *extra):
    path = tmp_path / f"out{suffix}"
    result = cli("x**2*y", "-H", "--points", "-", "-o", str(path), *extra, input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    return path


# x**2*y at (1,2) and (3,4): its value, grad (2xy, x^2), Hessian (2y, 2x, 0)
EXPECTED_ROWS = [[2, 4, 1, 4, 2, 0], [36, 24, 9, 8, 6, 0]]
NAMES = ["f", "df/dx", "df/dy", "d2f/dx^2", "d2f/dxdy", "d2f/dy^2"]


def test_output_csv(cli, tmp_path):
    path = run_to(cli, tmp_path, ".csv")
    head, rows = parse_csv(path.read_text())
    assert head == ["id", "x", "y", *NAMES]
    assert [r[:3] for r in rows] == [["a", "1", "2"], ["b", "3", "4"]]
    assert [[float(v) for v in r[3:]] for r in rows] == EXPECTED_ROWS


def test_output_tsv_from_csv_input_is_tab_separated(cli, tmp_path):
    path = run_to(cli, tmp_path, ".tsv", 'id,x,y\n"a,1",1,2\nb,3,4\n')
    head, rows = parse_csv(path.read_text(), "\t")
    assert head == ["id", "x", "y", *NAMES]
    assert [r[:3] for r in rows] == [["a,1", "1", "2"], ["b", "3", "4"]]
    assert [[float(v) for v in r[3:]] for r in rows] == EXPECTED_ROWS


def test_output_jsonl(cli, tmp_path):
    path = run_to(cli, tmp_path, ".jsonl")
    docs = [json.loads(line) for line in path.read_text().splitlines()]
    assert [d["at"] for d in docs] == [{"x": 1, "y": 2}, {"x": 3, "y": 4}]
    assert [d["value"] for d in docs] == [2, 36]
    assert [d["gradient"] for d in docs] == [[4, 1], [24, 9]]
    assert [d["hessian"] for d in docs] == [[[4, 2], [2, 0]], [[8, 6], [6, 0]]]


def test_output_npy(cli, tmp_path):
    saved = np.load(run_to(cli, tmp_path, ".npy"))
    assert saved.shape == (2, 6) and saved.dtype == np.float64
    assert saved.tolist() == EXPECTED_ROWS


def test_output_npz(cli, tmp_path):
    with np.load(run_to(cli, tmp_path, ".npz")) as saved:
        assert sorted(saved.files) == sorted(["x", "y", *NAMES])
        assert saved["x"].tolist() == [1, 3] and saved["y"].tolist() == [2, 4]
        assert [saved[name].tolist() for name in NAMES] == [list(c) for c in zip(*EXPECTED_ROWS)]


def test_output_parquet(cli, tmp_path):
    import pyarrow.parquet as pq  # in the test extra: this test must run, not skip

    table = pq.read_table(run_to(cli, tmp_path, ".parquet")).to_pydict()
    assert list(table) == ["x", "y", *NAMES]
    assert table["x"] == [1, 3]
    assert [table[name] for name in NAMES] == [list(c) for c in zip(*EXPECTED_ROWS)]


def test_output_parquet_without_pyarrow(cli, tmp_path, monkeypatch):
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    path = tmp_path / "out.parquet"
    result = cli("x*y", "--points", "-", "-o", str(path), input="x,y\n1,2\n")
    check_one_error_line(result, "pyarrow", "pip install")
    assert result.stdout == ""


def test_output_unknown_suffix(cli, tmp_path):
    result = cli("x*y", "--points", "-", "-o", str(tmp_path / "out.xlsx"), input="x,y\n1,2\n")
    check_one_error_line(result, "out.xlsx")


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".npy", ".npz", ".parquet"])
@pytest.mark.parametrize("source", ["--points", "--grid"])
def test_output_into_a_missing_folder(cli, tmp_path, monkeypatch, suffix, source):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    args = ["--points", "-"] if source == "--points" else ["--grid", "x=0:1:1,y=0:1:1"]
    result = cli("x*y", *args, "-o", str(tmp_path / "no" / f"o{suffix}"), input="x,y\n1,2\n")
    check_one_error_line(result, "cannot write")
    assert list(scratch.iterdir()) == []  # no temporary files left behind


# ---------------------------------------------------------------------------
# A rich table on a terminal, for small inputs


def test_small_input_is_a_table_when_pretty(cli):
    result = cli("x**2*y", "--points", "-", "-f", "pretty", input="x,y\n1,2\n3,4\n")
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert rows[0] == ["x", "y", "f", "df/dx", "df/dy"]
    assert ["1", "2", "2", "4", "1"] in rows and ["3", "4", "36", "24", "9"] in rows
    assert "," not in result.stdout


def test_large_input_streams_csv_even_when_pretty(cli):
    text = "x,y\n" + "".join(f"{i},1\n" for i in range(150))
    result = cli("x**2*y", "--points", "-", "-f", "pretty", input=text)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "x,y,f,df/dx,df/dy"
    assert lines[1:] == [f"{i},1,{float(i * i)},{2.0 * i},{float(i * i)}" for i in range(150)]


# ---------------------------------------------------------------------------
# --at supplies the symbols the points do not


def test_at_gives_parameters_with_points(cli):
    result = cli("a*x**2 + b*y", "--wrt", "x,y", "--at", "a=3,b=pi/2", "--points", "-",
                 input="x,y\n1,0\n2,5\n")
    assert result.exit_code == 0, result.stderr
    head, rows = parse_csv(result.stdout)
    assert head == ["x", "y", "f", "df/dx", "df/dy"]
    assert [[float(v) for v in r[3:]] for r in rows] == [[6, math.pi / 2], [12, math.pi / 2]]
    # f = a*x**2 + b*y with a = 3, b = pi/2
    assert [float(r[2]) for r in rows] == pytest.approx([3, 12 + 5 * math.pi / 2], rel=1e-15)


def test_at_gives_parameters_with_points_json(cli):
    result = cli("a*x", "--wrt", "x", "--at", "a=2", "--points", "-", "--json", input="x\n5\n")
    assert json.loads(result.stdout) == {"at": {"x": 5, "a": 2}, "value": 10, "gradient": [2]}


def test_at_gives_parameters_to_binary_points(cli, tmp_path):
    path = tmp_path / "p.npy"
    np.save(path, np.array([[1.0], [2.0]]))
    result = cli("k*x**3", "--wrt", "x", "--at", "k=1/3", "--points", str(path))
    assert result.exit_code == 0, result.stderr
    # df/dx = 3 k x^2 = x^2
    assert [float(line.split(",")[-1]) for line in result.stdout.splitlines()[1:]] == \
        pytest.approx([1.0, 4.0], rel=1e-15)


def test_at_gives_parameters_with_grid(cli):
    result = cli("a*x*y", "--wrt", "x,y", "--grid", "x=0:1:1,y=2:2:1", "--at", "a=5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "x,y,a,f,df/dx,df/dy\n0.0,2.0,5.0,0.0,10.0,0.0\n1.0,2.0,5.0,10.0,10.0,5.0\n"


def test_missing_parameter_column_is_named(cli):
    result = cli("a*x", "--wrt", "x", "--points", "-", input="x\n1\n")
    check_one_error_line(result, "missing column a")


def test_at_and_points_giving_the_same_symbol_is_refused(cli):
    result = cli("a*x", "--wrt", "x", "--at", "a=2,x=3", "--points", "-", input="x\n1\n")
    check_one_error_line(result, "x")


# ---------------------------------------------------------------------------
# Errors: one Error: line, exit code 2, never a traceback


@pytest.mark.parametrize(
    "text, needles",
    [
        ("a,b\n1,2\n", ["missing columns x, y", "a, b"]),
        ("x,b\n1,2\n", ["missing column y"]),
        ("x,y,x\n1,2,3\n", ["column x appears 2 times"]),
        ("x,y\n1,2\n\n3,zwei\n", ["line 4", "value of y is not a number", "zwei"]),
        ("x,y\n1,2\nnan,3\n", ["line 3", "x", "not a finite real number"]),
        ("x,y\n1,inf\n", ["line 2", "y", "not a finite real number"]),
        ("x,y\n1,1e400\n", ["line 2", "y", "not a finite real number"]),
        ("x,y\n1,2\n3\n", ["line 3", "expected 2 columns, found 1"]),
        ("x,y,n\n1,2,a\n3,4\n", ["line 3", "expected 3 columns, found 2"]),
        ("x,y\n1,2,3\n", ["line 2", "expected 2 columns, found 3"]),
        ("", ["empty"]),
        ('{"x": 1, "y": 2}\n{"x": 1}\n', ["line 2", "no value for y"]),
        ('{"x": 1, "y": "2"}\n', ["line 1", "value of y is not a number"]),
        ('{"x": 1, "y": 2}\nnot json\n', ["line 2"]),
        ('{"x": 1, "y": Infinity}\n', ["line 1", "not a finite real number"]),
    ],
)
def test_bad_points_input(cli, text, needles):
    check_one_error_line(cli("x*y", "--points", "-", input=text), *needles)


@pytest.mark.parametrize(
    "array, needles",
    [
        (np.zeros((2, 3)), ["shape (2, 3)", "x, y"]),
        (np.array([[1.0, np.nan]]), ["row 1", "y", "not a finite real number"]),
        (np.zeros((2, 2), dtype=complex), ["not real numbers"]),
    ],
)
def test_bad_binary_input(cli, array, needles):
    check_one_error_line(cli("x*y", "--points", "-", input=npy_bytes(array)), *needles)


def test_bad_input_not_utf8(cli):
    check_one_error_line(cli("x*y", "--points", "-", input=b"x,y\n1,\xff\xfe\n"))


def test_missing_file(cli, tmp_path):
    check_one_error_line(cli("x*y", "--points", str(tmp_path / "nope.csv")), "nope.csv")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["x*y", "--points", "-", "--grid", "x=0:1:1,y=0:1:1"], "--points does not work with --grid"),
        (["-", "--points", "-"], "EXPR"),
        (["x*y", "--points", "-", "--at", "x=1", "--at", "y=2"], "--at"),
        (["x*y", "--points", "-", "--latex"], "latex"),
        (["x*y", "--points", "-", "--at", "q=1"], "q"),
        (["x*y", "--points", "-", "--complex"], "complex"),
        (["x*y", "--points", "-", "--chunk-rows", "0"], "chunk-rows"),
        (["x*y", "--points", "-", "--backend", "gpu"], "backend"),
        (["Heaviside(x)*y", "--points", "-", "--backend", "symengine"], "symengine"),
        (["x*y", "--grid", "x=0:1:1", "--at", "y=1,x=2"], "both"),
        (["x*y", "--strict"], "--strict"),
        (["x*y", "-o", "out.csv"], "--output"),
    ],
)
def test_usage_errors(cli, args, needle):
    result = cli(*args, input="x,y\n1,2\n")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(error_lines) == 1, result.stderr
    assert needle.lower() in error_lines[0].lower(), error_lines[0]


def test_error_after_some_rows_keeps_stdout_consistent(cli):
    # streaming: rows before the bad chunk are already written; the error is still one line
    text = "x,y\n" + "".join(f"{i},1\n" for i in range(10)) + "oops,1\n"
    result = cli("x*y", "--points", "-", "--chunk-rows", "4", input=text)
    check_one_error_line(result, "line 12")
    lines = result.stdout.splitlines()
    assert lines[0] == "x,y,f,df/dx,df/dy"
    assert lines[1:] == [f"{i},1,{float(i)},1.0,{float(i)}" for i in range(8)]


# ---------------------------------------------------------------------------
# Undefined values: nan/inf in the output, a count on stderr, --strict


def test_undefined_entries_are_reported(cli):
    text = "x,y\n1,4\n0,4\n2,-1\n0,9\n"
    result = cli("1/x + sqrt(y)", "--points", "-", input=text)
    assert result.exit_code == 0
    _, rows = parse_csv(result.stdout)
    f = [float(r[2]) for r in rows]
    dx = [float(r[3]) for r in rows]
    dy = [float(r[4]) for r in rows]
    assert f[0] == 3 and math.isinf(f[1]) and math.isnan(f[2]) and math.isinf(f[3])
    assert dx[0] == -1 and math.isinf(dx[1]) and dx[2] == -0.25 and math.isinf(dx[3])
    assert dy[0] == 0.25 and math.isnan(dy[2]) and dy[3] == pytest.approx(1 / 6)
    messages = result.stderr.splitlines()
    assert len(messages) == 3
    by_entry = {m.split()[1]: m for m in messages}
    assert set(by_entry) == {"f", "df/dx", "df/dy"}
    assert "3 of 4 rows" in by_entry["f"] and "line 3" in by_entry["f"]
    assert all(m.startswith("Warning: ") for m in messages)
    assert "2 of 4 rows" in by_entry["df/dx"] and "line 3" in by_entry["df/dx"]
    assert "x=0.0" in by_entry["df/dx"]
    assert "1 of 4 rows" in by_entry["df/dy"] and "line 4" in by_entry["df/dy"]


def test_strict_makes_undefined_values_exit_1(cli):
    text = "x\n1\n\n0\n"
    result = cli("log(x)", "--points", "-", "--strict", input=text)
    assert result.exit_code == 1
    note, line = result.stderr.splitlines()
    assert note.startswith("Warning: f ")  # the value, -inf: a note, not the failure
    assert line.startswith("Error: df/dx")
    assert "1 of 2 rows" in line and "line 4" in line
    # the values are still written
    assert result.stdout.splitlines()[-1].split(",")[1:] == ["-inf", "inf"]


def test_strict_without_problems_exits_0(cli):
    result = cli("log(x)", "--points", "-", "--strict", input="x\n1\n2\n")
    assert result.exit_code == 0 and result.stderr == ""


def test_binary_and_grid_problems_name_the_row(cli):
    result = cli("1/x", "--grid", "x=-1:1:0.5")
    assert result.exit_code == 0
    assert "1 of 5 rows" in result.stderr and "row 3" in result.stderr


def test_undefined_values_in_json_lines(cli):
    result = cli("sqrt(x)", "--points", "-", "--json", input="x\n4\n-1\n")
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert docs[0]["gradient"] == [0.25]
    assert docs[1]["gradient"] == ["nan"]


def test_overflow_is_inf_not_an_error(cli):
    result = cli("exp(x)", "--points", "-", input="x\n1000\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "1000,inf,inf"
    assert [m.split()[1] for m in result.stderr.splitlines()] == ["f", "df/dx"]
    assert "1 of 1 rows" in result.stderr


# ---------------------------------------------------------------------------
# Chunking: the same output whatever the chunk size


def chunk_input():
    rng = np.random.default_rng(9)
    lines = ["label,x,y,z"]
    for k, (x, y, z) in enumerate(rng.uniform(-2, 2, size=(40, 3)).tolist()):
        lines.append(f"r{k},{x!r},{y!r},{z!r}")
        if k % 6 == 0:
            lines.append("")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fmt", [[], ["--json"]])
def test_chunk_size_does_not_change_the_output(cli, fmt):
    text = chunk_input()
    outputs = []
    for rows in (None, "1", "7"):
        args = [F, "-H", "--points", "-", *fmt] + (["--chunk-rows", rows] if rows else [])
        result = cli(*args, input=text)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0].splitlines()) == 40 + (0 if fmt else 1)


@pytest.mark.parametrize("rows", ["1", "3", "7", "65536"])
def test_chunk_size_and_binary_outputs(cli, tmp_path, rows):
    text = chunk_input()
    path = tmp_path / "o.npy"
    result = cli(F, "--points", "-", "-o", str(path), "--chunk-rows", rows, input=text)
    assert result.exit_code == 0, result.stderr
    points = np.array([[float(v) for v in line.split(",")[1:]]
                       for line in text.splitlines()[1:] if line])
    grad, _ = hand(*points.T)
    np.testing.assert_allclose(np.load(path), np.column_stack([value(*points.T), *grad]),
                               rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("rows", ["1", "2", "3", "5", "1000"])
def test_line_numbers_in_errors_across_chunks(cli, rows):
    lines = ["x,y"] + [f"{i},1" for i in range(12)]
    lines.insert(5, "")          # a blank line shifts the numbering
    lines[10] = "7,seven"       # line 11 of the file
    result = cli("x*y", "--points", "-", "--chunk-rows", rows, input="\n".join(lines) + "\n")
    check_one_error_line(result, "line 11", "seven")


@pytest.mark.parametrize("rows", ["1", "4", "1000"])
def test_line_numbers_of_undefined_values_across_chunks(cli, rows):
    text = "x\n" + "\n".join(["1", "2", "", "3", "0", "5", "0"]) + "\n"
    result = cli("1/x", "--points", "-", "--chunk-rows", rows, input=text)
    assert "2 of 6 rows" in result.stderr and "line 6" in result.stderr


# ---------------------------------------------------------------------------
# Agreement with exact --at evaluation, through the CLI


@pytest.mark.parametrize(
    "formulas",
    [("x**2*y + sin(z)*x",), ("exp(-x**2)*atan2(y, z + 5)",), ("x*y*z", "log(1 + x**2)*y")],
)
def test_points_agree_with_at(cli, formulas):
    points = np.random.default_rng(4).uniform(-2, 2, size=(5, 3))
    text = "x,y,z\n" + "".join(f"{a!r},{b!r},{c!r}\n" for a, b, c in points.tolist())
    bulk = cli(*formulas, "-H", "--json", "--points", "-", input=text)
    assert bulk.exit_code == 0, bulk.stderr
    docs = [json.loads(line) for line in bulk.stdout.splitlines()]
    for doc, (a, b, c) in zip(docs, points.tolist()):
        exact = cli(*formulas, "-H", "--json", "--at", f"x={a!r},y={b!r},z={c!r}")
        assert exact.exit_code == 0, exact.stderr
        (point,) = json.loads(exact.stdout)["points"]
        for key in ("gradient", "jacobian", "hessian"):
            if key in point:
                np.testing.assert_allclose(np.array(doc[key], dtype=float),
                                           np.array(point[key], dtype=float),
                                           rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("backend", ["numpy", "symengine", "auto"])
def test_backends_give_the_same_csv(cli, backend):
    text = chunk_input()
    ref = cli(F, "-H", "--points", "-", "--backend", "numpy", input=text)
    got = cli(F, "-H", "--points", "-", "--backend", backend, input=text)
    assert got.exit_code == 0, got.stderr
    _, rows_ref = parse_csv(ref.stdout)
    _, rows = parse_csv(got.stdout)
    np.testing.assert_allclose(np.array([r[1:] for r in rows], dtype=float),
                               np.array([r[1:] for r in rows_ref], dtype=float),
                               rtol=1e-13, atol=1e-15)


# ---------------------------------------------------------------------------
# --grid


SEED = "2*x**2 + 3*y**2 - 4*z"
SEED_GRID = "x=-100:100:25,y=-100:100:25,z=-100:100:25"


def test_seed_grid_npz_matches_numpy_gradient(cli, tmp_path):
    path = tmp_path / "out.npz"
    result = cli(SEED, "--grid", SEED_GRID, "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""

    x, y, z = np.mgrid[-100:101:25.0, -100:101:25.0, -100:101:25.0]
    V = 2 * x**2 + 3 * y**2 - 4 * z
    numpy_unit = np.gradient(V)
    h = 25.0
    numpy_spaced = np.gradient(V, h)
    with np.load(path) as saved:
        exact = [saved["df/dx"], saved["df/dy"], saved["df/dz"]]
        assert sorted(saved.files) == ["df/dx", "df/dy", "df/dz", "f", "x", "y", "z"]
        assert np.array_equal(saved["f"], V)  # small integers: exact
        assert saved["x"].tolist() == np.mgrid[-100:101:25.0].tolist()
    # exactly the shapes numpy.gradient returns
    assert [e.shape for e in exact] == [g.shape for g in numpy_unit] == [(9, 9, 9)] * 3
    assert all(e.dtype == np.float64 for e in exact)
    # exact values: 4x, 6y and -4 broadcast over the whole mesh
    assert np.array_equal(exact[0], 4 * x)
    assert np.array_equal(exact[1], 6 * y)
    assert np.array_equal(exact[2], np.full((9, 9, 9), -4.0))

    inner = (slice(1, -1),) * 3
    for e, g in zip(exact, numpy_spaced):
        # central differences are exact for a quadratic: the interiors agree
        assert np.array_equal(e[inner], g[inner])
    # without the spacing (taken as 1) numpy's interior values are h = 25
    # times too large: differences per index, not per unit of x
    for e, g in zip(exact, numpy_unit):
        assert np.array_equal(g[inner], h * e[inner])
    # at the edges numpy.gradient's one-sided first-order differences are off
    # by a*h for a*x**2 (2*25 = 50 for x, 3*25 = 75 for y), 0 for the linear z
    assert np.abs(numpy_spaced[0] - exact[0]).max() == 2 * h
    assert np.abs(numpy_spaced[1] - exact[1]).max() == 3 * h
    assert np.abs(numpy_spaced[2] - exact[2]).max() == 0
    assert np.array_equal((numpy_spaced[0] - exact[0])[0], np.full((9, 9), 2 * h))
    assert np.array_equal((numpy_spaced[0] - exact[0])[-1], np.full((9, 9), -2 * h))
    # second-order edges are exact for a quadratic
    for e, g in zip(exact, np.gradient(V, h, edge_order=2)):
        np.testing.assert_array_equal(e, g)


def test_seed_grid_npy_is_entries_by_mesh(cli, tmp_path):
    path = tmp_path / "out.npy"
    result = cli(SEED, "--grid", SEED_GRID, "-o", str(path), "--chunk-rows", "100")
    assert result.exit_code == 0, result.stderr
    saved = np.load(path)
    x, y, z = np.mgrid[-100:101:25.0, -100:101:25.0, -100:101:25.0]
    V = 2 * x**2 + 3 * y**2 - 4 * z
    # the value, then the gradient as np.gradient stacks it
    assert saved.shape == (1 + 3, 9, 9, 9)
    assert saved[1:].shape == np.array(np.gradient(V)).shape
    assert np.array_equal(saved, np.array([V, 4 * x, 6 * y, np.full_like(z, -4)]))


def test_grid_with_hessian_npz(cli, tmp_path):
    path = tmp_path / "h.npz"
    result = cli("x**2*y", "-H", "--grid", "x=0:2:1,y=-1:1:n=3", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    x, y = np.mgrid[0:2:3j, -1:1:3j]
    with np.load(path) as saved:
        for name, want in [("df/dx", 2 * x * y), ("df/dy", x**2), ("d2f/dx^2", 2 * y),
                           ("d2f/dxdy", 2 * x), ("d2f/dy^2", 0 * x)]:
            assert saved[name].shape == (3, 3)
            assert np.array_equal(saved[name], want), name


def test_grid_axis_order_follows_the_grid_option(cli, tmp_path):
    path = tmp_path / "g.npz"
    result = cli("x*y**2", "--grid", "y=0:1:1,x=0:2:1", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    with np.load(path) as saved:
        # axis 0 is y (2 values), axis 1 is x (3 values)
        assert saved["df/dx"].shape == (2, 3)
        yy, xx = np.meshgrid([0.0, 1.0], [0.0, 1.0, 2.0], indexing="ij")
        assert np.array_equal(saved["df/dx"], yy**2)
        assert np.array_equal(saved["df/dy"], 2 * xx * yy)


def test_grid_streams_csv_without_output(cli):
    result = cli("x*y", "--grid", "x=0:1:0.5,y=1:2:1")
    assert result.exit_code == 0, result.stderr
    expected = ["x,y,f,df/dx,df/dy"] + [
        f"{x!r},{y!r},{x * y!r},{y!r},{x!r}" for x in (0.0, 0.5, 1.0) for y in (1.0, 2.0)]
    assert result.stdout.splitlines() == expected


def test_grid_streams_json_lines(cli):
    result = cli("x*y", "--grid", "x=0:1:n=2,y=3:3:1", "--json")
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert docs == [{"at": {"x": 0, "y": 3}, "value": 0, "gradient": [3, 0]},
                    {"at": {"x": 1, "y": 3}, "value": 3, "gradient": [3, 1]}]


def test_grid_to_csv_and_parquet_files(cli, tmp_path):
    import pyarrow.parquet as pq

    for suffix in (".csv", ".parquet"):
        path = tmp_path / f"g{suffix}"
        result = cli("x*y", "--grid", "x=0:1:1,y=0:2:2", "-o", str(path))
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "g.csv").read_text().splitlines() == [
        "x,y,f,df/dx,df/dy", "0.0,0.0,0.0,0.0,0.0", "0.0,2.0,0.0,2.0,0.0", "1.0,0.0,0.0,0.0,1.0",
        "1.0,2.0,2.0,2.0,1.0"]
    table = pq.read_table(tmp_path / "g.parquet").to_pydict()
    assert list(table) == ["x", "y", "f", "df/dx", "df/dy"]
    assert table["f"] == [0, 0, 0, 2] and table["df/dy"] == [0, 0, 1, 1]


def test_grid_exact_bounds(cli):
    result = cli("sin(x)", "--grid", "x=-pi:pi:pi/2")
    _, rows = parse_csv(result.stdout)
    xs = [float(r[0]) for r in rows]
    assert len(xs) == 5 and xs[0] == -math.pi and xs[-1] == pytest.approx(math.pi, abs=1e-15)
    np.testing.assert_allclose([float(r[1]) for r in rows], np.sin(xs), atol=1e-15)
    np.testing.assert_allclose([float(r[2]) for r in rows], np.cos(xs), atol=1e-15)


@pytest.mark.parametrize(
    "grid, needles",
    [
        ("x=0:1:0,y=0:1:1", ["step must not be 0"]),
        ("x=0:1:-1,y=0:1:1", ["never gets from 0 to 1"]),
        ("x=0:1,y=0:1:1", ["expected start:stop:step"]),
        ("x=0:1:n=0,y=0:1:1", ["n must be a positive whole number"]),
        ("x=0:1:1e-5,y=0:1:1e-5", ["more than the limit"]),
        ("x=0:1:1,y=0:1:1,w=0:1:1", ["w does not occur"]),
        ("x=0:1:1", ["no values for y"]),
        ("x=0:1:1,y=0:abc:1", ["abc"]),
    ],
)
def test_grid_errors(cli, grid, needles):
    check_one_error_line(cli("x*y", "--grid", grid), *needles)


# ---------------------------------------------------------------------------
# -f csv for --at points (render/csv_.py): the --points columns, one row per point


def test_csv_format_at_points(cli):
    result = cli("x**2*y", "-H", "-f", "csv", "--at", "x=1,y=2", "--at", "x=pi/4,y=0.5")
    assert result.exit_code == 0, result.stderr
    head, rows = parse_csv(result.stdout)
    assert head == ["x", "y", *NAMES[1:]]
    # grad (2xy, x^2), Hessian (2y, 2x, 0), by hand
    assert [float(v) for v in rows[0]] == [1, 2, 4, 1, 4, 2, 0]
    x, y = math.pi / 4, 0.5
    np.testing.assert_allclose([float(v) for v in rows[1]],
                               [x, y, 2 * x * y, x * x, 2 * y, 2 * x, 0], rtol=1e-15)


def test_csv_format_has_the_same_columns_as_points(cli):
    args = ["a*x*y", "x+y**2", "-H", "--wrt", "x,y"]
    at = cli(*args, "-f", "csv", "--at", "x=1,y=2,a=3")
    bulk = cli(*args, "--at", "a=3", "--points", "-", input="x,y\n1,2\n")
    at_head, at_rows = parse_csv(at.stdout)
    bulk_head, bulk_rows = parse_csv(bulk.stdout)
    # the bulk output has the value columns f1, f2 (-f csv of --at has them too once it writes values)
    values = [name for name in ("f1", "f2") if name not in at_head]
    assert bulk_head[2:4] == ["f1", "f2"]
    assert at_head == ["x", "y", "a", *[n for n in bulk_head[2:] if n not in values]]
    bulk_row = dict(zip(bulk_head, bulk_rows[0]))
    assert [float(v) for v in at_rows[0][3:]] == [float(bulk_row[n]) for n in at_head[3:]]
    assert [float(bulk_row["f1"]), float(bulk_row["f2"])] == [3 * 1 * 2, 1 + 2**2]


def test_csv_format_without_points_is_symbolic(cli):
    result = cli("x**2*y", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    head, rows = parse_csv(result.stdout)
    assert head == ["x", "y", "df/dx", "df/dy"]
    assert rows == [["", "", "2*x*y", "x**2"]]


def test_csv_format_undefined_value(cli):
    result = cli("1/x", "-f", "csv", "--at", "x=0")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: df/dx")
    value = result.stdout.splitlines()[1].split(",")[1]
    try:
        number = float(value)
    except ValueError:  # "zoo": complex infinity
        number = math.nan
    assert not math.isfinite(number)


# ---------------------------------------------------------------------------
# Progress bar: only for a big file with stderr on a terminal


def big_file(tmp_path, rows=2000):
    path = tmp_path / "big.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i % 7}\n" for i in range(rows)))
    return path


def test_no_progress_bar_when_stderr_is_piped(cli, tmp_path, monkeypatch):
    import symgrad.cli.points

    monkeypatch.setattr(symgrad.cli.points, "PROGRESS_BYTES", 10)  # the file is "large"
    result = cli("x*y", "--points", str(big_file(tmp_path)), "-o", str(tmp_path / "o.npy"))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_progress_bar_on_a_terminal_leaves_the_output_alone(cli, tmp_path, monkeypatch):
    import symgrad.cli.command
    import symgrad.cli.points

    started = []
    real = symgrad.cli.points._Progress

    class Spy(real):
        def __init__(self, total):
            started.append(total)
            super().__init__(total)

    monkeypatch.setattr(symgrad.cli.points, "PROGRESS_BYTES", 10)
    monkeypatch.setattr(symgrad.cli.points, "_Progress", Spy)
    monkeypatch.setattr(symgrad.cli.points, "isatty", lambda stream: True)
    path = big_file(tmp_path)
    out = tmp_path / "o.npy"
    result = cli("x*y", "--points", str(path), "--chunk-rows", "100", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert started == [path.stat().st_size]
    saved = np.load(out)
    i = np.arange(2000.0)
    assert np.array_equal(saved, np.column_stack([i * (i % 7), i % 7, i]))


def test_no_progress_bar_for_a_small_file(cli, tmp_path, monkeypatch):
    import symgrad.cli.command
    import symgrad.cli.points

    monkeypatch.setattr(symgrad.cli.points, "isatty", lambda stream: True)
    monkeypatch.setattr(symgrad.cli.points, "_Progress", None)  # would fail if used
    result = cli("x*y", "--points", str(big_file(tmp_path, 10)), "-o", str(tmp_path / "o.npy"))
    assert result.exit_code == 0, result.stderr


# ---------------------------------------------------------------------------
# Grids in chunks: the same arrays whatever the chunk size


@pytest.mark.parametrize("suffix", [".npz", ".npy", ".csv"])
def test_grid_chunk_size_does_not_change_the_arrays(cli, tmp_path, suffix):
    outputs = []
    for rows in (None, "1", "7"):
        path = tmp_path / f"g{rows}{suffix}"
        args = ["x*exp(y)", "x*y", "-H", "--grid", "x=-1:1:0.25,y=0:1:n=6", "-o", str(path)]
        result = cli(*args, *(["--chunk-rows", rows] if rows else []))
        assert result.exit_code == 0, result.stderr
        if suffix == ".npz":
            with np.load(path) as saved:
                outputs.append({k: saved[k] for k in saved.files})
        elif suffix == ".npy":
            outputs.append({"all": np.load(path)})
        else:
            outputs.append({"text": path.read_text()})
    for other in outputs[1:]:
        assert other.keys() == outputs[0].keys()
        for key in other:
            assert np.array_equal(other[key], outputs[0][key]), key
    if suffix == ".npz":
        x, y = np.meshgrid(np.arange(-1, 1.01, 0.25), np.linspace(0, 1, 6), indexing="ij")
        got = outputs[0]
        assert got["df1/dx"].shape == got["f1"].shape == (9, 6)
        np.testing.assert_allclose(got["f1"], x * np.exp(y), rtol=1e-15)
        assert np.array_equal(got["f2"], x * y)
        np.testing.assert_allclose(got["df1/dy"], x * np.exp(y), rtol=1e-15)
        assert np.array_equal(got["df2/dx"], y) and np.array_equal(got["d2f2/dxdy"], np.ones((9, 6)))
    if suffix == ".npy":
        assert outputs[0]["all"].shape == (2 + 4 + 6, 9, 6)


# ---------------------------------------------------------------------------
# Values at kinks and other special points: batch and --at agree


@pytest.mark.parametrize(
    "formula, at, value, expected",
    [
        ("Abs(x)*y", "x=0,y=2", "0", ["0", "0"]),           # sign(0) = 0
        ("Max(x, y)", "x=1,y=1", "1", ["0.5", "0.5"]),       # Heaviside(0) = 1/2
        ("Min(x, y)", "x=1,y=1", "1", ["0.5", "0.5"]),
        ("Heaviside(x)*y", "x=0,y=2", "1", ["nan", "0.5"]),  # DiracDelta(0) is undefined
        ("sqrt(x)*y", "x=0,y=1", "0", ["inf", "0"]),
        ("log(x)", "x=-1", "nan", ["-1"]),                  # 1/x, real for x < 0; log(-1) is not
    ],
)
def test_special_points_agree_with_at(cli, formula, at, value, expected):
    names = [part.split("=")[0] for part in at.split(",")]
    values = [part.split("=")[1] for part in at.split(",")]
    bulk = cli(formula, "--points", "-", input=",".join(names) + "\n" + ",".join(values) + "\n")
    got = bulk.stdout.splitlines()[1].split(",")[len(names):]
    assert [float(v) for v in got] == pytest.approx([float(value), *map(float, expected)], nan_ok=True)
    exact = cli(formula, "--json", "--at", at)
    (point,) = json.loads(exact.stdout)["points"]
    plain = [v if isinstance(v, str) else float(v) for v in point["gradient"]]
    for g, e in zip(plain, expected):
        if e in ("nan", "inf"):
            assert isinstance(g, str)  # not a finite real, on both sides
        else:
            assert g == float(e)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", ".npy"])
def test_output_onto_the_input_file_is_refused(tmp_path, suffix):
    import subprocess

    path = tmp_path / f"points{suffix}"
    if suffix == ".csv":
        path.write_text("x,y\n" + "".join(f"{i},{i}\n" for i in range(20_000)))
    else:
        np.save(path, np.ones((20_000, 2)))
    before = path.read_bytes()
    # in a child process: the .npy case kills the process that runs it
    proc = subprocess.run([sys.executable, "-m", "symgrad", "x*y", "--points", str(path),
                           "-o", str(path)], capture_output=True, text=True, timeout=120)
    assert path.read_bytes() == before
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and str(path) in proc.stderr


@pytest.mark.parametrize("rows, table", [(100, True), (101, False)])
def test_table_limit_is_100_rows(cli, rows, table):
    text = "x\n" + "".join(f"{i}\n" for i in range(rows))
    result = cli("x**2", "--points", "-", "-f", "pretty", "--chunk-rows", "7", input=text)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    if table:
        assert "," not in result.stdout
        assert sum(1 for line in lines if line.split()[:1] and line.split()[0].isdigit()) == rows
    else:
        assert lines == ["x,f,df/dx"] + [f"{i},{float(i * i)},{2.0 * i}" for i in range(rows)]


def test_strict_with_an_output_file_still_writes_it(cli, tmp_path):
    path = tmp_path / "o.npy"
    result = cli("1/x", "--points", "-", "--strict", "-o", str(path), input="x\n2\n0\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Warning: f ")  # 1/x = inf at x = 0: a note
    assert "Error: df/dx" in result.stderr and "line 3" in result.stderr
    saved = np.load(path)
    assert saved[:, 0].tolist() == [0.5, math.inf]
    assert saved[0, 1] == -0.25 and np.isinf(saved[1, 1])


@pytest.mark.parametrize("source", ["points", "grid"])
def test_fixed_parameters_are_substituted_before_compiling(cli, source):
    # d2/dx2 x**n is n*(n - 1)*x**(n - 2): with n = 1 given by --at it is 0 at x = 0,
    # as --at x=0,n=1 says, not 0*inf = nan
    args = ["x**n", "--wrt", "x", "-H", "--at", "n=1"]
    if source == "points":
        result = cli(*args, "--points", "-", input="x\n0\n2\n")
    else:
        result = cli(*args, "--grid", "x=0:2:2")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    assert [row[-2:] for row in rows] == [["1.0", "0.0"], ["1.0", "0.0"]]


def test_fixed_parameter_too_large_for_exact_work_is_refused(cli):
    result = cli("factorial(a)*x", "--wrt", "x", "--points", "-", "--at", "a=100000", input="x\n1\n")
    assert result.exit_code == 1
    assert "factorial(100000) is too large to compute exactly" in result.stderr
