"""Organisations and sharing acts as pure rules: who sees which field groups of a signal, no database.

Every organisation, user, number and text here is synthetic.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from signaal.domain.access import (
    OWNER_SCOPE,
    FieldGroup,
    SharingAct,
    decide_access,
    may_share,
    may_write,
    parse_scope,
    redact_signal,
    redact_summary,
)
from signaal.domain.actor import Actor, Role
from signaal.domain.signal import SignalPublic, SignalSummary

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
MARK = "[synthetisch] beschrijving 5521"


def _signal() -> SignalPublic:
    return SignalPublic.model_validate(
        {
            "id": "abc123abc123",
            "status": "new",
            "owner_org": "org-a",
            "created_at": NOW,
            "updated_at": NOW,
            "received_at": date(2026, 3, 2),
            "observed_at": None,
            "reporter_org": "org-a",
            "reporter_sector": "youth",
            "police_unit": "Midden-Nederland",
            "municipality": "Utrecht",
            "narrative": MARK,
            "indicators": [{"indicator_id": "older_controlling_partner", "words": "veel oudere vriend"}],
            "forms": [{"form": "sexual"}],
            "persons": [{"role": "victim", "age": 16, "gender": "v", "residence": "dutch"}],
            "identifiers": [{"kind": "phone", "value": "+31612340001", "raw": "06 1234 0001"}],
            "facts": {"minor": True},
            "source_id": "synthetic-case-1",
            "purpose": "signal_handling",
            "legal_basis": "public_task",
            "consent": "not_asked",
        }
    )


def _act(org: str = "org-b", scope: tuple[str, ...] = (), **changes: object) -> SharingAct:
    values: dict[str, object] = {
        "id": "act1",
        "signal_id": "abc123abc123",
        "org": org,
        "basis": "wgs_convenant",
        "purpose": "synthetic case meeting",
        "scope": parse_scope(scope),
        "granted_by": "coordinator-a",
        "granted_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=30),
    }
    values.update(changes)
    return SharingAct(**values)  # type: ignore[arg-type]


def test_the_owning_organisation_sees_everything_whatever_its_role() -> None:
    for role in Role:
        access = decide_access(Actor("u", "org-a", role), "org-a", [], NOW)
        assert access is not None and access.owner and access.scope == OWNER_SCOPE
        assert redact_signal(_signal(), access) == _signal()


@pytest.mark.parametrize("role", list(Role))
def test_another_organisation_sees_nothing_without_an_act_whatever_its_role(role: Role) -> None:
    assert decide_access(Actor("u", "org-b", role), "org-a", [], NOW) is None


def test_an_act_for_another_organisation_grants_nothing_to_this_one() -> None:
    assert decide_access(Actor("u", "org-c", Role.COORDINATOR), "org-a", [_act("org-b", ("narrative",))], NOW) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"expires_at": NOW},  # expired at this very moment
        {"expires_at": NOW - timedelta(seconds=1)},
        {"revoked_at": NOW - timedelta(seconds=1), "revoked_by": "coordinator-a"},
        {"granted_at": NOW + timedelta(minutes=1)},  # not yet in force
    ],
)
def test_an_expired_revoked_or_future_act_grants_nothing(changes: dict[str, object]) -> None:
    assert decide_access(Actor("u", "org-b", Role.COORDINATOR), "org-a", [_act(**changes)], NOW) is None


def test_a_summary_act_shows_the_summary_only() -> None:
    access = decide_access(Actor("u", "org-b", Role.COORDINATOR), "org-a", [_act()], NOW)
    assert access is not None and access.scope == {FieldGroup.SUMMARY}
    seen = redact_signal(_signal(), access)
    assert seen.narrative == "" and all(i.words == "" for i in seen.indicators)
    assert seen.identifiers == [] and seen.persons == [] and seen.facts == {} and seen.source_id is None
    assert (seen.received_at, seen.status, seen.municipality, [f.form for f in seen.forms]) == (
        date(2026, 3, 2),
        _signal().status,
        "Utrecht",
        ["sexual"],
    )
    assert seen.withheld == ["history", "identifiers", "narrative", "persons", "route"]
    assert MARK not in seen.model_dump_json()


@pytest.mark.parametrize("group", [g for g in FieldGroup if g != FieldGroup.SUMMARY])
def test_an_act_grants_exactly_its_scope(group: FieldGroup) -> None:
    access = decide_access(Actor("u", "org-b", Role.COORDINATOR), "org-a", [_act(scope=(group.value,))], NOW)
    assert access is not None
    assert access.scope == {FieldGroup.SUMMARY, group}
    seen = redact_signal(_signal(), access)
    full = _signal()
    assert (seen.narrative == full.narrative) == (group == FieldGroup.NARRATIVE)
    assert (seen.identifiers == full.identifiers) == (group == FieldGroup.IDENTIFIERS)
    assert (seen.persons == full.persons) == (group == FieldGroup.PERSONS)
    assert (seen.facts == full.facts) == (group == FieldGroup.ROUTE)
    assert seen.withheld == sorted(g.value for g in FieldGroup if g not in (FieldGroup.SUMMARY, group))


def test_two_acts_for_one_organisation_grant_the_union_of_their_scopes() -> None:
    acts = [_act(scope=("narrative",)), _act(id="act2", scope=("persons",))]
    access = decide_access(Actor("u", "org-b", Role.COORDINATOR), "org-a", acts, NOW)
    assert access is not None
    assert access.scope == {FieldGroup.SUMMARY, FieldGroup.NARRATIVE, FieldGroup.PERSONS}
    assert access.acts == ("act1", "act2")


def test_an_analyst_outside_sees_pseudonyms_and_no_narrative() -> None:
    access = decide_access(Actor("u", "org-b", Role.ANALYST), "org-a", [_act()], NOW)
    assert access is not None and access.pseudonymise
    seen = redact_signal(_signal(), access, lambda kind, value: f"pseudo:{kind}:{len(value)}")
    assert [(i.kind.value, i.value, i.raw) for i in seen.identifiers] == [("phone", "pseudo:phone:12", None)]
    assert seen.narrative == ""
    assert "+31612340001" not in seen.model_dump_json() and "1234" not in seen.model_dump_json()


def test_without_a_pseudonym_key_an_analyst_gets_no_identifiers_at_all() -> None:
    access = decide_access(Actor("u", "org-b", Role.ANALYST), "org-a", [_act()], NOW)
    assert access is not None
    assert redact_signal(_signal(), access, None).identifiers == []


def test_an_act_granting_identifiers_and_narrative_shows_them_to_an_analyst() -> None:
    access = decide_access(Actor("u", "org-b", Role.ANALYST), "org-a", [_act(scope=("identifiers", "narrative"))], NOW)
    assert access is not None and not access.pseudonymise
    seen = redact_signal(_signal(), access, lambda kind, value: "pseudo")
    assert seen.identifiers == _signal().identifiers and seen.narrative == MARK


def test_a_worklist_row_loses_the_youngest_age_without_the_persons() -> None:
    fields = set(SignalSummary.model_fields) - {"forms", "indicator_count", "urgency", "youngest_age"}
    row = SignalSummary.model_validate(
        {
            **_signal().model_dump(include=fields),
            "forms": ["sexual"],
            "indicator_count": 1,
            "urgency": 3,
            "youngest_age": 16,
        }
    )
    summary_only = decide_access(Actor("u", "org-b", Role.COORDINATOR), "org-a", [_act()], NOW)
    with_persons = decide_access(Actor("u", "org-b", Role.COORDINATOR), "org-a", [_act(scope=("persons",))], NOW)
    assert summary_only is not None and with_persons is not None
    assert redact_summary(row, summary_only).youngest_age is None
    assert redact_summary(row, with_persons).youngest_age == 16


def test_only_a_receiving_coordinator_or_admin_with_the_route_may_act_on_a_shared_signal() -> None:
    route = _act(scope=("route",))
    for role in Role:
        actor = Actor("u", "org-b", role)
        with_route = decide_access(actor, "org-a", [route], NOW)
        without = decide_access(actor, "org-a", [_act()], NOW)
        assert with_route is not None and without is not None
        assert may_write(actor, with_route, FieldGroup.ROUTE) == (role in (Role.COORDINATOR, Role.ADMIN))
        assert not may_write(actor, with_route, FieldGroup.SUMMARY)  # the record itself stays the owner's
        assert not may_write(actor, without, FieldGroup.ROUTE)


def test_only_a_coordinator_or_admin_of_the_owner_shares() -> None:
    assert may_share(Actor("u", "org-a", Role.COORDINATOR), "org-a")
    assert may_share(Actor("u", "org-a", Role.ADMIN), "org-a")
    assert not may_share(Actor("u", "org-a", Role.REPORTER), "org-a")
    assert not may_share(Actor("u", "org-a", Role.ANALYST), "org-a")
    assert not may_share(Actor("u", "org-b", Role.ADMIN), "org-a")


def test_an_unknown_field_group_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown field group .adres.*narrative"):
        parse_scope(["narrative,adres"])
