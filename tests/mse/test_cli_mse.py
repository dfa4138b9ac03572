"""``signaal mse estimate`` on synthetic CSV files: JSON shape, text, and bad input without a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from mse_synthetic import csv_text, expected_counts, table

from signaal.cli import main

TABLE = table("ABC", expected_counts(3, 2000, [0.2, 0.3, 0.25]))


def test_json_has_estimate_interval_model_method_and_warnings(
    write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(csv_text(TABLE))
    assert main(["mse", "estimate", str(path), "--method", "independence", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["estimate"] == pytest.approx(2000, rel=0.02)
    low, high = out["interval"]
    assert low < out["estimate"] < high
    assert out["model"] == ["A", "B", "C"]
    assert out["method"] == "independence"
    assert out["interval_kind"] == "profile"
    assert out["warnings"] == []


def test_fixed_terms_and_text_output(write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(csv_text(TABLE))
    assert main(["mse", "estimate", str(path), "--method", "fixed:A:B", "--interval", "wald"]) == 0
    out = capsys.readouterr().out
    assert "model: [12,3]" in out and "95% interval (wald)" in out


def test_strata_column_gives_a_total_with_each_stratum(
    write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    text = csv_text(TABLE, "2019") + "".join(csv_text(TABLE, "2020").splitlines(keepends=True)[1:])
    path = write_csv(text)
    assert (
        main(["mse", "estimate", str(path), "--method", "independence", "--interval", "wald", "--format", "json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert [s["stratum"] for s in out["strata"]] == ["2019", "2020"]
    assert out["estimate"] == pytest.approx(4000, rel=0.02)


def test_merge_option_merges_lists(write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(csv_text(table("ABCD", expected_counts(4, 3000, [0.2, 0.3, 0.25, 0.1]))))
    assert (
        main(["mse", "estimate", str(path), "--method", "independence", "--merge", "CD=C+D", "--format", "json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["lists"] == ["A", "B", "CD"]
    assert any("merged lists" in w for w in out["warnings"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A,B,count\n1,0,5\n0,1,-2\n1,1,3\n", ":3, field 'count': negative count -2"),
        ("A,B,count\n1,0,5\n0,1,\n1,1,3\n", ":3, field 'count': missing count"),
        ("A,B,count\n1,0,5\n0,x,4\n1,1,3\n", ":3, field 'B': expected 0 or 1"),
        ("A,B,C,count\n1,0,0,5\n0,1,0,4\n0,0,1,3\n1,1,0,2\n", "field 'C': this list shares no person"),
        ("A,B,count,stratum\n1,0,5,x\n0,1,4,y\n1,1,3,x\n", "unknown stratum 'y'"),
        ("A,B,count\n1,0,5,9\n", ":2: 4 fields where the header has 3"),
    ],
)
def test_bad_tables_are_refused_by_name_without_traceback(
    write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = write_csv(text)
    args = ["mse", "estimate", str(path), "--method", "independence"]
    if "stratum" in text:
        args += ["--strata", "x"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert str(path) in err
    assert "Traceback" not in err


def test_unknown_method_is_refused(write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(csv_text(TABLE))
    assert main(["mse", "estimate", str(path), "--method", "lasso"]) == 2
    assert "unknown method 'lasso'" in capsys.readouterr().err


def test_a_list_without_overlap_can_be_left_out(
    write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    text = "A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,20\n1,1,0,6\n1,0,1,0\n0,1,1,0\n1,1,1,0\n"
    path = write_csv(text)
    assert main(["mse", "estimate", str(path), "--method", "independence"]) == 2
    assert "field 'C'" in capsys.readouterr().err
    assert main(["mse", "estimate", str(path), "--method", "independence", "--drop", "C", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["lists"] == ["A", "B"]
    assert out["estimate"] == pytest.approx(46 * 36 / 6)
    assert any("lists left out: C" in w for w in out["warnings"])
