"""Delphi dimension and combination rules on small synthetic indicator tables."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from signaal.triage.delphi import assess, assess_signal, dimension_positive, lists_for


@dataclass(frozen=True)
class Ref:
    list: str
    dimension: str
    strength: str


@dataclass(frozen=True)
class Ind:
    delphi: tuple[Ref, ...]


def table(list_id: str, spec: dict[str, tuple[str, str]]) -> dict[str, Ind]:
    """Synthetic indicator table: id -> (dimension, strength) in one list."""
    return {i: Ind((Ref(list_id, dim, strength),)) for i, (dim, strength) in spec.items()}


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "positive"),
    [
        (2, 0, 0, True),
        (1, 1, 0, True),
        (1, 0, 1, True),
        (0, 3, 0, True),
        (0, 2, 1, True),
        (1, 0, 0, False),
        (0, 2, 0, False),
        (0, 1, 5, False),
        (0, 0, 9, False),
    ],
)
def test_dimension_rule(strong: int, medium: int, weak: int, positive: bool) -> None:
    assert dimension_positive(strong, medium, weak) is positive


ADULT = table(
    "adult_labour",
    {
        "deceived_job": ("deceptive_recruitment", "strong"),
        "deceived_wage": ("deceptive_recruitment", "medium"),
        "excessive_hours": ("exploitative_conditions", "strong"),
        "low_pay": ("exploitative_conditions", "medium"),
        "documents": ("coercion_at_destination", "strong"),
        "debt": ("coercion_at_destination", "strong"),
        "beliefs": ("vulnerability_at_destination", "weak"),
    },
)


def test_adult_needs_recruitment_exploitation_and_means() -> None:
    full = ["deceived_job", "deceived_wage", "excessive_hours", "low_pay", "documents", "debt"]
    result = assess(full, ADULT, "adult_labour")
    assert result.trafficked
    assert result.positive_dimensions == ("deceptive_recruitment", "exploitative_conditions", "coercion_at_destination")
    coercion = next(d for d in result.dimensions if d.dimension == "coercion_at_destination")
    assert coercion.strong == ("documents", "debt")
    no_means = assess(full[:4], ADULT, "adult_labour")
    assert not no_means.trafficked
    assert "does not meet" in no_means.explanation


def test_other_lists_and_unknown_ids_are_ignored() -> None:
    result = assess(["deceived_job", "not_an_indicator"], ADULT, "adult_sexual")
    assert result.positive_dimensions == ()


def test_child_does_not_need_means() -> None:
    child = table(
        "child_sexual",
        {
            "lured": ("deceptive_recruitment", "strong"),
            "older_partner": ("deceptive_recruitment", "medium"),
            "forced_sex": ("exploitative_conditions", "strong"),
            "quota": ("exploitative_conditions", "medium"),
        },
    )
    result = assess(["lured", "older_partner", "forced_sex", "quota"], child, "child_sexual")
    assert result.trafficked
    assert "coercion_at_destination" not in result.positive_dimensions


def test_lists_follow_age_and_form() -> None:
    assert lists_for(False, ["labour"]) == ("adult_labour",)
    assert lists_for(True, ["sexual", "criminal"]) == ("child_labour", "child_sexual")
    assert lists_for(None, ["unknown"]) == ("adult_labour", "adult_sexual", "child_labour", "child_sexual")
    assert [a.list for a in assess_signal(["debt"], ADULT, False, ["labour"])] == ["adult_labour"]
