"""Sharing acts through the services on SQLite and PostgreSQL: another organisation sees a signal
only through an active act, exactly its scope, in every read path (signal, page, worklist, export,
history, referrals), and revoking or expiry takes effect at once. All data synthetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from signaal.domain.actor import Actor, Role
from signaal.domain.signal import SignalCreate
from signaal.errors import Forbidden, NotFound
from signaal.keystore import KeyStore
from signaal.link.keys import pseudonym
from signaal.services import audit, referrals, sharing
from signaal.services import signals as service
from signaal.services.signals import SignalQuery
from signaal.store import Store
from signaal.store.tables_access import SharingActRow
from signaal.web import views

pytestmark = pytest.mark.storage

OWNER = Actor("coordinator-a", "org-a", Role.COORDINATOR)
OWNER_REPORTER = Actor("reporter-a", "org-a", Role.REPORTER)
RECEIVER = Actor("coordinator-b", "org-b", Role.COORDINATOR)
RECEIVER_ANALYST = Actor("analyst-b", "org-b", Role.ANALYST)
THIRD = Actor("coordinator-c", "org-c", Role.COORDINATOR)
ADMIN_C = Actor("admin-c", "org-c", Role.ADMIN)
MARK = "[synthetisch 0]"


def make_signal(n: int = 0) -> SignalCreate:
    """A synthetic care signal with a narrative, a person and two identifiers."""
    return SignalCreate.model_validate(
        {
            "source_id": f"synthetic-{n}",
            "received_at": date(2026, 3, 2),
            "reporter_org": "org-a",
            "reporter_sector": "youth",
            "region": "Utrecht",
            "narrative": f"[synthetisch {n}] Zij heeft een veel oudere vriend die haar ophaalt.",
            "indicators": [{"indicator_id": "older_controlling_partner", "words": "veel oudere vriend"}],
            "forms": [{"form": "sexual"}],
            "persons": [{"role": "victim", "age": 16, "gender": "v", "residence": "dutch"}],
            "identifiers": [{"kind": "phone", "value": f"06 1234 {n:04d}"}, {"kind": "plate", "value": "xx-100-b"}],
        }
    )


def _grant(store: Store, signal_id: str, *scope: str, org: str = "org-b") -> sharing.ActPublic:
    return sharing.grant_act(
        store, OWNER, signal_id, org=org, basis="wgs_convenant", purpose="synthetic case meeting", scope=scope
    )


def _listed(store: Store, actor: Actor) -> set[str]:
    return {s.id for s in service.list_signals(store, actor, SignalQuery()).items}


def _exported(store: Store, actor: Actor) -> dict[str, str]:
    return {s.id: s.narrative for s in service.export_signals(store, actor)}


def test_without_an_act_no_other_organisation_sees_a_signal_in_any_read_path(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    for actor in (RECEIVER, RECEIVER_ANALYST, THIRD, ADMIN_C):
        with pytest.raises(NotFound):
            service.get_signal(store, actor, signal.id)
        with pytest.raises(NotFound):
            views.signal_page(store, actor, signal.id, store.settings)
        with pytest.raises(NotFound):
            service.signal_history(store, actor, signal.id)
        with pytest.raises(NotFound):
            sharing.list_acts(store, actor, signal.id)
        assert signal.id not in _listed(store, actor), actor
        assert signal.id not in _exported(store, actor), actor


def test_a_summary_act_shows_the_summary_in_every_read_path_and_nothing_more(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    _grant(store, signal.id)
    seen = service.get_signal(store, RECEIVER, signal.id)
    assert (seen.narrative, seen.identifiers, seen.persons, seen.facts) == ("", [], [], {})
    assert seen.municipality == signal.municipality and seen.withheld
    assert signal.id in _listed(store, RECEIVER)
    assert [s.youngest_age for s in service.list_signals(store, RECEIVER, SignalQuery()).items] == [None]
    assert _exported(store, RECEIVER) == {signal.id: ""}
    page = views.signal_page(store, RECEIVER, signal.id, store.settings)
    assert MARK not in str(page) and "06 1234" not in str(page) and "+3161234" not in str(page)
    assert page["history"] == [] and page["decisions"] == [] and page["steps"] == []
    with pytest.raises(Forbidden):
        service.signal_history(store, RECEIVER, signal.id)
    # The act names org-b only.
    with pytest.raises(NotFound):
        service.get_signal(store, THIRD, signal.id)


def test_an_act_grants_its_scope_the_narrative_and_the_history(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    _grant(store, signal.id, "narrative", "history")
    seen = service.get_signal(store, RECEIVER, signal.id)
    assert MARK in seen.narrative and seen.identifiers == [] and seen.persons == []
    assert [e.kind for e in service.signal_history(store, RECEIVER, signal.id)][:2] == ["created", "shared"]
    assert MARK in _exported(store, RECEIVER)[signal.id]


def test_revoking_takes_effect_at_once_everywhere(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    act = _grant(store, signal.id, "narrative")
    assert signal.id in _listed(store, RECEIVER)
    revoked = sharing.revoke_act(store, OWNER, signal.id, act.act.id, "synthetic: case closed")
    assert not revoked.active and revoked.act.revoked_by == OWNER.user
    with pytest.raises(NotFound):
        service.get_signal(store, RECEIVER, signal.id)
    assert signal.id not in _listed(store, RECEIVER)
    assert signal.id not in _exported(store, RECEIVER)
    with pytest.raises(NotFound):
        sharing.revoke_act(store, OWNER, signal.id, act.act.id)  # twice: there is no unrevoked act


def test_an_expired_act_grants_nothing(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    act = _grant(store, signal.id, "narrative")
    with store.session() as session:  # time passes: the act's end is now behind us
        past = datetime.now(UTC) - timedelta(seconds=1)
        session.execute(update(SharingActRow).where(SharingActRow.id == act.act.id).values(expires_at=past))
    with pytest.raises(NotFound):
        service.get_signal(store, RECEIVER, signal.id)
    assert signal.id not in _listed(store, RECEIVER) and signal.id not in _exported(store, RECEIVER)
    [listed] = sharing.list_acts(store, OWNER, signal.id)
    assert not listed.active


def test_an_analyst_outside_sees_keyed_pseudonyms_not_the_identifiers(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    _grant(store, signal.id)
    seen = service.get_signal(store, RECEIVER_ANALYST, signal.id)
    key = KeyStore(store.settings.key_dir).active("pseudonym").material
    assert sorted(i.value for i in seen.identifiers) == sorted(
        pseudonym(key, i.kind.value, i.value) for i in signal.identifiers
    )
    assert all(i.raw is None for i in seen.identifiers) and seen.narrative == ""
    # A coordinator under the same act sees no identifiers at all.
    assert service.get_signal(store, RECEIVER, signal.id).identifiers == []


def test_granting_and_revoking_are_history_events_and_audit_records(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    act = _grant(store, signal.id, "persons")
    sharing.revoke_act(store, OWNER, signal.id, act.act.id, "synthetic")
    kinds = [e.kind for e in service.signal_history(store, OWNER, signal.id)]
    assert kinds[-2:] == ["shared", "share_revoked"]
    admin = Actor("fg", "org-a", Role.ADMIN)
    actions = [(e.action, e.detail.get("act")) for e in audit.list_audit(store, admin, limit=100)]
    assert ("disclose", act.act.id) in actions and ("revoke", act.act.id) in actions


def test_only_a_coordinator_or_admin_of_the_owner_grants_or_revokes(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    with pytest.raises(Forbidden):
        _grant_as(store, OWNER_REPORTER, signal.id)
    with pytest.raises(NotFound):  # cannot even tell that it exists
        _grant_as(store, THIRD, signal.id)
    act = _grant(store, signal.id, "route")
    with pytest.raises(Forbidden):  # the receiver cannot pass it on, nor revoke it
        _grant_as(store, RECEIVER, signal.id, org="org-c")
    with pytest.raises(Forbidden):
        sharing.revoke_act(store, RECEIVER, signal.id, act.act.id)


def _grant_as(store: Store, actor: Actor, signal_id: str, org: str = "org-b") -> None:
    sharing.grant_act(store, actor, signal_id, org=org, basis="consent", purpose="synthetic", scope=[])


def test_a_receiving_coordinator_acts_on_the_route_only_when_the_act_grants_it(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    act = _grant(store, signal.id)
    with pytest.raises(Forbidden):
        service.update_facts(store, RECEIVER, signal.id, {"needs_shelter": True})
    sharing.revoke_act(store, OWNER, signal.id, act.act.id)
    _grant(store, signal.id, "route")
    changed = service.update_facts(store, RECEIVER, signal.id, {"needs_shelter": True})
    assert changed.facts.get("needs_shelter") is True
    with pytest.raises(Forbidden):  # the record itself stays the owner's
        service.confirm_form(store, RECEIVER, signal.id, "labour")
    with pytest.raises(Forbidden):  # an analyst of the receiver does not route
        service.update_facts(store, RECEIVER_ANALYST, signal.id, {"needs_shelter": False})


def test_referrals_of_a_shared_signal_are_listed_only_with_the_route(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    referrals.add_referral(store, OWNER, signal.id, "police-avim", settings=store.settings)
    _grant(store, signal.id)
    assert referrals.list_referrals(store, RECEIVER) == []
    _grant(store, signal.id, "route")
    assert [r.signal_id for r in referrals.list_referrals(store, RECEIVER)] == [signal.id]


def test_assignment_is_recorded_as_an_event_and_only_by_the_owner(store: Store) -> None:
    signal = service.record_signal(store, OWNER_REPORTER, make_signal(0))
    sharing.assign_signal(store, OWNER, signal.id, assignee="coordinator-a", team="synthetic team")
    history = service.signal_history(store, OWNER, signal.id)
    assert (history[-1].kind, history[-1].data) == ("assigned", {"assignee": "coordinator-a", "team": "synthetic team"})
    page = views.signal_page(store, OWNER, signal.id, store.settings)
    assert (page["sharing"]["assignee"], page["sharing"]["team"]) == ("coordinator-a", "synthetic team")
    _grant(store, signal.id, "route")
    with pytest.raises(Forbidden):
        sharing.assign_signal(store, RECEIVER, signal.id, assignee="coordinator-b")
