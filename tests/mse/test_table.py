"""Reading capture-pattern tables: layout, strata, merged lists, and bad input refused by name."""

from __future__ import annotations

import numpy as np
import pytest
from mse_synthetic import csv_text, table

from signaal.errors import InvalidInput
from signaal.mse import merge_lists, table_from_histories, table_from_rows


def rows_of(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    lines = text.strip().splitlines()
    header = lines[0].split(",")
    return header, [(i + 2, dict(zip(header, line.split(","), strict=True))) for i, line in enumerate(lines[1:])]


def test_published_layout_maps_first_list_to_most_significant_column() -> None:
    header, rows = rows_of("A,B,C,count\n1,0,0,5\n0,1,0,4\n0,0,1,3\n1,1,0,2\n1,0,1,1\n0,1,1,0\n1,1,1,7\n")
    (t,) = table_from_rows(header, rows, "t.csv")
    assert t.lists == ("A", "B", "C")
    assert t.counts[0b001] == 5 and t.counts[0b010] == 4 and t.counts[0b100] == 3
    assert t.counts[0b011] == 2 and t.counts[0b111] == 7
    assert t.observed == 22
    assert t.list_totals() == {"A": 15, "B": 13, "C": 11}
    assert t.overlap(0b011) == 9


def test_round_trip_through_the_published_layout() -> None:
    t = table("ABC", {"A": 9, "B": 8, "C": 7, "AB": 3, "BC": 2, "ABC": 1})
    (back,) = table_from_rows(*rows_of(csv_text(t)), "t.csv")
    assert np.array_equal(back.counts, t.counts)


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("1,0,-3", "count", "negative count"),
        ("1,0,", "count", "missing count"),
        ("1,0,2.5", "count", "not a whole number"),
        ("1,0,many", "count", "not a number"),
        ("2,0,4", "A", "expected 0 or 1"),
        (",0,4", "A", "expected 0 or 1"),
    ],
)
def test_bad_cells_are_refused_with_line_and_field(row: str, field: str, reason: str) -> None:
    header, rows = rows_of(f"A,B,count\n0,1,4\n{row}\n1,1,2\n")
    with pytest.raises(InvalidInput) as caught:
        table_from_rows(header, rows, "bad.csv")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("bad.csv", 3, field)
    assert reason in problem.reason


def test_a_table_without_count_column_or_with_one_list_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no 'count' column"):
        table_from_rows(*rows_of("A,B,n\n1,0,3\n"), "t.csv")
    with pytest.raises(InvalidInput, match="at least two list columns"):
        table_from_rows(*rows_of("A,count\n1,3\n"), "t.csv")


def test_an_observed_all_zero_pattern_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        table_from_rows(*rows_of("A,B,count\n0,0,12\n1,0,3\n0,1,2\n1,1,1\n"), "t.csv")
    assert "unseen" in caught.value.problems[0].reason


def test_strata_become_tables_and_unknown_strata_are_refused() -> None:
    text = "A,B,count,stratum\n1,0,3,2014\n0,1,2,2014\n1,1,1,2014\n1,0,5,2015\n0,1,4,2015\n1,1,2,2015\n"
    tables = table_from_rows(*rows_of(text), "t.csv")
    assert [t.stratum for t in tables] == ["2014", "2015"]
    assert [t.observed for t in tables] == [6, 11]
    with pytest.raises(InvalidInput) as caught:
        table_from_rows(*rows_of(text), "t.csv", strata=["2014"])
    assert caught.value.problems[0].field == "stratum"
    assert "unknown stratum '2015'" in caught.value.problems[0].reason


def test_histories_count_each_person_once_in_their_pattern() -> None:
    t = table_from_histories(["police", "care"], [{"police"}, {"police", "care"}, {"care"}, {"care"}, set()])
    assert t.counts.tolist() == [0, 1, 2, 1]
    with pytest.raises(InvalidInput, match="unknown list 'ngo'"):
        table_from_histories(["police", "care"], [{"ngo"}])


def test_merging_lists_puts_a_person_on_the_merged_list_if_on_any_member() -> None:
    t = table("ABC", {"A": 9, "B": 8, "C": 7, "AB": 3, "BC": 2, "AC": 4, "ABC": 1})
    merged = merge_lists(t, {"BC": ["B", "C"]})
    assert merged.lists == ("A", "BC")
    assert merged.observed == t.observed
    assert merged.list_totals() == {"A": 17, "BC": 25}
    assert merged.overlap(0b11) == 3 + 4 + 1
    assert "merged lists" in merged.notes[0]


def test_dropping_a_list_removes_those_seen_only_by_it() -> None:
    from signaal.mse import drop_lists

    t = table("ABC", {"A": 9, "B": 8, "C": 7, "AB": 3, "BC": 2, "AC": 4, "ABC": 1})
    dropped = drop_lists(t, ["C"])
    assert dropped.lists == ("A", "B")
    assert dropped.counts.tolist() == [0, 9 + 4, 8 + 2, 3 + 1]
    assert "7 persons seen only by them" in dropped.notes[0]
    with pytest.raises(InvalidInput, match="unknown lists"):
        drop_lists(t, ["Q"])
