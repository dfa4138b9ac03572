"""Linking keeps no names, dates of birth or identifiers in the clear, matches on lookup
pseudonyms, and a person in an imported registration is found, exported and erased through
them, on SQLite and PostgreSQL. SYNTHETIC data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from link_fixtures import ADMIN, ANALYST, PHONE_A, police_rows, signal, write_csv
from sqlalchemy import text

from signaal.domain.actor import Actor, Role
from signaal.errors import NotFound
from signaal.services import audit, sharing, subjects
from signaal.services.encryption import reencrypt
from signaal.services.link import import_registrations, run_linking
from signaal.services.link_review import linked_to
from signaal.services.subjects import SubjectQuery
from signaal.store import Store
from signaal.store.schema import target_metadata

TRACES = ("Kalo Mirensa", "1990-04-07", "Tovi Dane", "2003-11-02", PHONE_A, "612340001")
LINK_TABLES = ("link_cases", "link_persons", "link_keys", "links")


def link_text(store: Store) -> str:
    with store.engine.connect() as conn:
        return "\n".join(
            " ".join(str(v) for v in row) for t in LINK_TABLES for row in conn.execute(text(f"SELECT * FROM {t}"))
        )


def every_table(store: Store) -> str:
    with store.engine.connect() as conn:
        return "\n".join(
            " ".join(str(v) for v in row) for t in target_metadata.sorted_tables for row in conn.execute(t.select())
        )


@pytest.fixture
def linked(store: Store, tmp_path: Path) -> str:
    """The police registration imported, a care signal sharing its phone, linking run: the signal id."""
    import_registrations(store, ADMIN, write_csv(tmp_path / "police.csv", police_rows()))
    sid = signal(store, Actor("rep", "care-synth", Role.REPORTER), PHONE_A, "care-1")
    run = run_linking(store, ANALYST)
    assert run.exact_links >= 1
    # The care organisation shares the signal's identifiers with the analyst's organisation, who then sees its links.
    coordinator = Actor("coo", "care-synth", Role.COORDINATOR)
    sharing.grant_act(
        store, coordinator, sid, org=ANALYST.org, basis="wgs_convenant", purpose="synthetic", scope=["identifiers"]
    )
    return sid


def test_linking_stores_ciphertext_and_pseudonyms_only(store: Store, linked: str) -> None:
    stored = link_text(store)
    for trace in TRACES:
        assert trace not in stored, trace
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM data_keys WHERE signal_id = 'reg:politie-synth:Z1'")).scalar() == 1
        lookups = conn.execute(text("SELECT name_lookup, birth_lookup FROM link_persons WHERE case_ref LIKE 'reg:%'")).all()
        assert all(len(n) == 64 and len(b) == 64 for n, b in lookups)
    # the analyst still sees the shared number, decrypted from the case's key
    assert linked_to(store, ANALYST, linked)[0]["key"] == f"phone:{PHONE_A}"


def test_a_person_in_a_registration_is_found_exported_and_erased(store: Store, linked: str, tmp_path: Path) -> None:
    query = SubjectQuery(name="tovi  DANE", birth_date="2003-11-02")
    assert subjects.find_all(store, ADMIN, query) == ([], ["reg:politie-synth:Z1"])
    out = tmp_path / "subject.json"
    counts = subjects.export_subject(store, ADMIN, query, out, "AVG-2026-40")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert counts["registrations"] == 1
    assert {p["name"] for p in document["registrations"][0]["persons"]} == {"Kalo Mirensa", "Tovi Dane"}
    assert subjects.erase_subject(store, ADMIN, query, "AVG-2026-40") == ["reg:politie-synth:Z1"]
    stored = every_table(store)
    for trace in TRACES[:4]:
        assert trace not in stored, trace
    with store.engine.connect() as conn:
        wrapped = conn.execute(text("SELECT wrapped FROM data_keys WHERE signal_id = 'reg:politie-synth:Z1'")).one()
        assert wrapped == (None,)  # the case's key is destroyed; the reference stays as the record of it
        assert conn.execute(text("SELECT count(*) FROM link_cases WHERE ref LIKE 'reg:%'")).scalar() == 0
    with pytest.raises(NotFound):
        subjects.find_all(store, ADMIN, query)
    assert audit.verify(store).ok
    # the signal's own copy in linking stays, its link to the erased case is gone
    assert linked_to(store, ANALYST, linked) == []


def test_the_name_and_birth_date_must_come_together(store: Store, linked: str) -> None:
    from signaal.errors import InvalidInput

    with pytest.raises(InvalidInput, match="birth-date"):
        subjects.find_all(store, ADMIN, SubjectQuery(name="Tovi Dane"))


def test_reencrypt_seals_linking_rows_stored_in_the_clear(store: Store, linked: str) -> None:
    with store.engine.begin() as conn:  # as a registry from before revision 0014 holds them
        conn.execute(text("UPDATE link_persons SET name = 'Tovi Dane', name_lookup = NULL WHERE role = 'victim'"))
        conn.execute(text("UPDATE link_keys SET value = :v, key_ref = NULL WHERE kind = 'phone'"), {"v": PHONE_A})
        conn.execute(text("UPDATE links SET key_value = :v WHERE kind = 'exact'"), {"v": PHONE_A})
    assert "Tovi Dane" in link_text(store)
    done = reencrypt(store, ADMIN)
    assert done.link_values_sealed >= 3
    stored = link_text(store)
    for trace in ("Tovi Dane", PHONE_A):
        assert trace not in stored
    assert linked_to(store, ANALYST, linked)[0]["key"] == f"phone:{PHONE_A}"
    assert subjects.find_all(store, ADMIN, SubjectQuery(name="Tovi Dane", birth_date="2003-11-02"))[1]
    assert reencrypt(store, ADMIN).link_values_sealed == 0
