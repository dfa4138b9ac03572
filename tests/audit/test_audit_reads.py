"""Every read, list, export and disclosure of a signal leaves one access record (NEN 7513)."""

from __future__ import annotations

import pytest
from audit_fixtures import make_signal

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput, NotFound
from signaal.services import audit, referrals
from signaal.services import signals as service
from signaal.services.signals import SignalQuery
from signaal.store import Store
from signaal.web import views

ADMIN = Actor("fg", "org-a", Role.ADMIN)


def accesses(store: Store, **filters: str) -> list[audit.AuditEntry]:
    return [e for e in audit.list_audit(store, ADMIN, limit=1000, **filters) if e.action != "audit_list"]


def test_reading_a_signal_records_who_what_when_and_why(store: Store, actor: Actor) -> None:
    signal = service.record_signal(store, actor, make_signal(1))
    with audit.access("meldcode step 2", on_behalf_of="duty-officer"):
        service.get_signal(store, actor, signal.id)
    [entry] = accesses(store, signal_id=signal.id)
    assert (entry.user, entry.org, entry.role, entry.action) == ("tester", "org-a", "coordinator", "read")
    assert (entry.purpose, entry.on_behalf_of) == ("meldcode step 2", "duty-officer")
    assert entry.at is not None


def test_a_read_without_a_named_purpose_records_the_roles_purpose(store: Store, actor: Actor) -> None:
    signal = service.record_signal(store, actor, make_signal(1))
    service.get_signal(store, actor, signal.id)
    service.get_signal(store, actor, signal.id)
    entries = accesses(store, signal_id=signal.id)
    assert [e.purpose for e in entries] == ["care coordination", "care coordination"]


def test_a_refused_read_writes_nothing(store: Store, actor: Actor, reporter_b: Actor) -> None:
    signal = service.record_signal(store, actor, make_signal(1))
    with pytest.raises(NotFound):
        service.get_signal(store, reporter_b, signal.id)
    assert accesses(store, signal_id=signal.id) == []


def test_the_signal_page_is_one_record_however_often_it_reads(store: Store, actor: Actor) -> None:
    signal = service.record_signal(store, actor, make_signal(1))
    views.signal_page(store, actor, signal.id, store.settings)
    assert [e.action for e in accesses(store, signal_id=signal.id)] == ["read"]


def test_a_worklist_page_is_one_record_naming_the_signals_shown(store: Store, actor: Actor) -> None:
    ids = {service.record_signal(store, actor, make_signal(n)).id for n in range(3)}
    service.list_signals(store, actor, SignalQuery(status="new"))
    [entry] = [e for e in accesses(store) if e.action == "list"]
    assert set(entry.detail["signal_ids"]) == ids
    assert entry.detail["filters"] == {"status": "new"}


def test_an_export_records_every_exported_signal(store: Store, actor: Actor) -> None:
    ids = {service.record_signal(store, actor, make_signal(n)).id for n in range(3)}
    assert {s.id for s in service.export_signals(store, actor)} == ids
    [entry] = [e for e in accesses(store) if e.action == "export"]
    assert set(entry.detail["signal_ids"]) == ids


def test_a_referral_is_recorded_as_a_disclosure(store: Store, actor: Actor) -> None:
    signal = service.record_signal(store, actor, make_signal(1))
    referrals.add_referral(store, actor, signal.id, "police-avim", settings=store.settings)
    [entry] = [e for e in accesses(store, signal_id=signal.id) if e.action == "disclose"]
    assert entry.detail["to"] == "police-avim"


def test_only_admins_read_the_audit_and_their_reading_is_recorded(store: Store, actor: Actor) -> None:
    with pytest.raises(Forbidden):
        audit.list_audit(store, actor)
    assert audit.list_audit(store, ADMIN) == []
    assert [(e.action, e.user) for e in audit.list_audit(store, ADMIN)] == [("audit_list", "fg")]


def test_an_empty_purpose_is_refused() -> None:
    with pytest.raises(InvalidInput), audit.access("  "):
        pass


def test_reads_keep_the_audit_chain_verifiable(store: Store, actor: Actor) -> None:
    signal = service.record_signal(store, actor, make_signal(1))
    for _ in range(5):
        service.get_signal(store, actor, signal.id)
    report = audit.verify(store)
    assert report.ok
    assert report.chains[1].rows == 5
