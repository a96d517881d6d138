"""A finite real beyond a double's range is a JSON number, as the SPEC says of every finite real."""

from __future__ import annotations

import decimal
import json

import mpmath

from symgrad.output.json_ import dumps
from symgrad.results import LargeReal


def test_large_real_is_written_as_a_number(cli) -> None:
    result = cli("exp(x)", "--at", "x=1000", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert '"gradient": [1.970071114017047e+434]' in result.stdout
    job = json.loads(result.stdout, parse_float=decimal.Decimal)
    (value,) = job["points"][0]["gradient"]
    with mpmath.workdps(30):  # an independent value of e**1000, to 16 digits
        assert abs(mpmath.mpf(str(value)) / mpmath.exp(1000) - 1) < 1e-15
    assert "warnings" not in job


def test_only_marked_values_lose_their_quotes() -> None:
    data = {"a": [LargeReal("-2.5e+400"), "2.5e+400", "x\x00y"], "b": {"c": LargeReal("1e+309")}}
    text = dumps(data)
    assert text == '{"a": [-2.5e+400, "2.5e+400", "x\\u0000y"], "b": {"c": 1e+309}}'
    back = json.loads(text, parse_float=decimal.Decimal)
    assert back["a"][0] == decimal.Decimal("-2.5e+400") and back["a"][1] == "2.5e+400"
