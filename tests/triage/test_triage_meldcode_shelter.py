"""Meldcode checklist and shelter waiting-time figures on a small hand-checked example.

All records are synthetic.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from signaal.errors import Conflict, InvalidInput
from signaal.knowledge import bundled
from signaal.triage.meldcode import checklist, complete_step
from signaal.triage.shelter import (
    ShelterRecord,
    check_order,
    percentile,
    shelter_stats,
    waiting_requests,
)


def test_meldcode_has_five_steps_and_records_who_and_when() -> None:
    steps = bundled().routing_rules.meldcode
    assert [s.id for s in steps] == ["map_signals", "consult", "talk", "weigh", "decide"]
    current = checklist(steps)
    assert current.next_step is not None and current.next_step.step.id == "map_signals"
    at = datetime(2025, 3, 1, 10, 0)
    current, item = complete_step(current, "1", "a.jansen", at)
    assert item.completed_by == "a.jansen" and item.completed_at == at
    assert current.next_step is not None and current.next_step.step.id == "consult"
    with pytest.raises(Conflict):
        complete_step(current, "map_signals", "b", at)
    with pytest.raises(Conflict):
        complete_step(current, "decide", "b", at)
    with pytest.raises(InvalidInput):
        complete_step(current, "pray", "b", at)
    for step in ("consult", "talk", "weigh", "decide"):
        current, _ = complete_step(current, step, "a.jansen", at)
    assert current.complete


def d(day: int, month: int = 1) -> datetime:
    return datetime(2025, month, day, 12, 0)


# Hand-checked example (synthetic):
#   COSM waits (request -> start): r1 2 days, r2 10 days, r3 4 days, r4 30 days
#     sorted 2, 4, 10, 30 -> median (4+10)/2 = 7; p90 position 0.9*3 = 2.7 -> 10 + 0.7*20 = 24
#   COSM r5 requested 20 Jan, never started, as of 31 Jan -> waiting 11 days, 2 "no place" events
#   OMM r6 waits 6 days; r7 withdrawn (not waiting)
RECORDS = [
    ShelterRecord("r1", "cosm", "amsterdam", d(1), d(2), d(3), no_place_at=()),
    ShelterRecord("r2", "cosm", "amsterdam", d(2), None, d(12), no_place_at=(d(3), d(5))),
    ShelterRecord("r3", "cosm", "rotterdam", d(5), None, d(9)),
    ShelterRecord("r4", "cosm", "rotterdam", d(1), None, d(31), no_place_at=(d(10),)),
    ShelterRecord("r5", "cosm", "amsterdam", d(20), no_place_at=(d(21), d(25))),
    ShelterRecord("r6", "omm", "amsterdam", d(10), d(12), d(16), d(20)),
    ShelterRecord("r7", "omm", "rotterdam", d(11), withdrawn_at=d(14)),
]
AS_OF = d(31)


def test_percentile_linear_interpolation() -> None:
    assert percentile([2, 4, 10, 30], 0.5) == 7
    assert percentile([2, 4, 10, 30], 0.9) == pytest.approx(24)
    assert percentile([], 0.5) is None
    assert percentile([5], 0.9) == 5


def test_shelter_figures_per_type_are_hand_checked() -> None:
    for record in RECORDS:
        check_order(record)
    groups = {dict(g.key)["type"]: g for g in shelter_stats(RECORDS, AS_OF, by=("type",))}
    cosm = groups["cosm"]
    assert (cosm.requests, cosm.started, cosm.waiting) == (5, 4, 1)
    assert cosm.median_days == pytest.approx(7)
    assert cosm.p90_days == pytest.approx(24)
    assert cosm.longest_waiting_days == pytest.approx(11)
    assert cosm.no_place_events == 5
    omm = groups["omm"]
    assert (omm.requests, omm.started, omm.withdrawn, omm.waiting) == (2, 1, 1, 0)
    assert omm.median_days == pytest.approx(6)


def test_shelter_figures_per_region_and_month() -> None:
    by_region = {dict(g.key)["region"]: g for g in shelter_stats(RECORDS, AS_OF, by=("region",))}
    # amsterdam waits: r1 2, r2 10, r6 6 -> median 6
    assert by_region["amsterdam"].median_days == pytest.approx(6)
    assert by_region["rotterdam"].started == 2
    months = shelter_stats(RECORDS, AS_OF, by=("type", "month"))
    assert [dict(g.key) for g in months] == [
        {"type": "cosm", "month": "2025-01"},
        {"type": "omm", "month": "2025-01"},
    ]


def test_still_waiting_requests_and_their_age() -> None:
    waiting = waiting_requests(RECORDS, AS_OF)
    assert [w.id for w in waiting] == ["r5"]
    assert waiting[0].waiting_days == pytest.approx(11)
    assert waiting[0].no_place_events == 2


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (ShelterRecord("x", "cosm", None, d(10), offered_at=d(9)), "offered_at"),
        (ShelterRecord("x", "cosm", None, d(10), d(12), d(11)), "started_at"),
        (ShelterRecord("x", "cosm", None, d(10), None, d(12), d(11)), "ended_at"),
        (ShelterRecord("x", "cosm", None, d(10), no_place_at=(d(9),)), "no_place_at"),
        (ShelterRecord("x", "hotel", None, d(10)), "type"),
        (ShelterRecord("x", "cosm", None, d(10), ended_at=d(12)), "ended_at"),
    ],
)
def test_dates_out_of_order_are_refused_naming_the_conflict(record: ShelterRecord, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_order(record)
    assert field in {p.field for p in err.value.problems}


def test_an_unknown_shelter_type_is_named_as_such_not_as_dates_out_of_order() -> None:
    with pytest.raises(InvalidInput) as err:
        check_order(ShelterRecord("r9", "castle", "amsterdam", d(1)))
    assert "unknown type" in err.value.message
    assert "dates" not in err.value.message
    with pytest.raises(InvalidInput) as both:
        check_order(ShelterRecord("r9", "castle", "amsterdam", d(5), d(1)))
    assert "unknown type" in both.value.message and "dates out of order" in both.value.message
