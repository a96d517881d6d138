"""--points text in and out: quoted CSV rows and one way of writing a double."""

from __future__ import annotations

import csv
import io
import json

import pytest

from symgrad.results import float_text


def test_a_quoted_field_holding_a_newline_is_one_field(cli):
    text = 'x,note,y\n1,"first\nsecond",2\n3,"a, b",4\n'
    result = cli("x*y", "--points", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == 'x,note,y,f,df/dx,df/dy\n1,"first\nsecond",2,2.0,2.0,1.0\n3,"a, b",4,12.0,4.0,3.0\n'


def test_a_row_spanning_lines_is_named_by_its_first_line(cli):
    result = cli("x*y", "--points", "-", input='x,note,y\n1,"a\nb",2\n3,"c\nd",four\n')
    assert result.exit_code == 2
    assert result.stderr == "Error: --points: line 4: value of y is not a number: 'four'\n"


# doubles whose 17-digit form is longer than their shortest one
DOUBLES = ["0.2", "0.30000000000000004", "1e-07", "123456789.0", "2.5e+20", "5e-324"]


@pytest.mark.parametrize("value", DOUBLES)
def test_points_csv_and_csv_format_write_a_double_alike(cli, value):
    # d(x*y)/dx = y: the same double through --at -f csv and through --points
    at = cli("x*y", "-f", "csv", "--at", f"x=1.5,y={value}")
    bulk = cli("x*y", "--points", "-", input=f"x,y\n1.5,{value}\n")
    assert at.exit_code == 0 and bulk.exit_code == 0, (at.stderr, bulk.stderr)
    (at_row, bulk_row) = (dict(zip(*csv.reader(io.StringIO(r.stdout)))) for r in (at, bulk))
    assert at_row["df/dx"] == bulk_row["df/dx"] == float_text(float(value)) == value


@pytest.mark.parametrize("source", ["points", "grid"])
def test_every_points_output_writes_doubles_as_float_text(cli, tmp_path, source):
    args = ["x/10", "x**3/7"]
    where = ["--points", "-"] if source == "points" else ["--grid", "x=0.1:0.3:0.1"]
    text = "x\n0.1\n0.2\n0.30000000000000004\n"
    runs = {fmt: cli(*args, *where, *extra, input=text if source == "points" else None)
            for fmt, extra in (("csv", []), ("jsonl", ["--json"]), ("tsv", ["-o", str(tmp_path / "o.tsv")]))}
    assert all(r.exit_code == 0 for r in runs.values()), [r.stderr for r in runs.values()]
    csv_rows = list(csv.reader(io.StringIO(runs["csv"].stdout)))[1:]
    tsv_rows = list(csv.reader(io.StringIO((tmp_path / "o.tsv").read_text()), delimiter="\t"))[1:]
    docs = [json.loads(line) for line in runs["jsonl"].stdout.splitlines()]
    for row, tsv_row, doc in zip(csv_rows, tsv_rows, docs, strict=True):
        values = doc["value"] + [v for pair in doc["jacobian"] for v in pair]
        assert row[1:] == tsv_row[1:] == [float_text(v) for v in values]
        # JSON's encoder writes floats with the same function
        assert json.dumps(values) == "[" + ", ".join(row[1:]) + "]"
        assert all(float_text(float(cell)) == cell for cell in row)
