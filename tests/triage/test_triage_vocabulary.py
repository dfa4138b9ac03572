"""The routing facts speak the registry's vocabulary: the values a signal can record are the values
the router accepts. (The router keeps its own tuples so the pure core does not import the wire
schemas; these tests keep the two from drifting apart.)"""

from __future__ import annotations

from signaal.domain.signal import Residence
from signaal.knowledge import bundled
from signaal.triage.facts import FORMS, REPORTER_SECTORS, RESIDENCES


def test_residences_are_the_recorded_residence_statuses() -> None:
    assert tuple(r.value for r in Residence) == RESIDENCES


def test_reporter_sectors_are_the_bundled_catalogue_sectors() -> None:
    assert set(REPORTER_SECTORS) == set(bundled().catalogue.reporter_sectors)


def test_forms_are_the_catalogue_forms_with_unknown() -> None:
    assert set(FORMS) == set(bundled().catalogue.forms) | {"unknown"}
