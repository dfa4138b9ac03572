"""Pseudonym overlap between two registries: hit or no hit, counts, and no raw value crossing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from link_fixtures import ADMIN, PHONE_A, PHONE_B, write_csv

from signaal.domain.actor import Actor, Role
from signaal.errors import ConfigError, InvalidInput
from signaal.keystore import KeyStore
from signaal.services.link import import_registrations
from signaal.services.link_pseudonyms import export_pseudonyms, overlap
from signaal.settings import Settings
from signaal.store import Store, open_store

POLICE = Actor("ana", "politie-synth", Role.ANALYST)
SHELTER = Actor("bo", "opvang-synth", Role.ANALYST)


def registry(tmp_path: Path, name: str, keys: Path | None, rows: list[dict[str, str]]) -> Store:
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / name}.db", key_dir=keys))
    import_registrations(store, ADMIN, write_csv(tmp_path / f"{name}.csv", rows))
    return store


def rows(org: str, phones: list[str], iban: str | None = None) -> list[dict[str, str]]:
    out = [{"source": org, "case_id": f"c{i}", "role": "victim", "phone": p} for i, p in enumerate(phones)]
    if iban:
        out.append({"source": org, "case_id": "bank", "iban": iban})
    return out


def test_two_registries_learn_their_overlap_without_exchanging_values(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    KeyStore(keys).new("pseudonym")
    police = registry(tmp_path, "police", keys, rows("politie-synth", [PHONE_A, "+31612340003"], "NL91ABNA0417164300"))
    shelter = registry(tmp_path, "shelter", keys, rows("opvang-synth", ["06 1234 0001", PHONE_B]))
    exported = tmp_path / "police-pseudonyms.json"
    report = export_pseudonyms(police, POLICE, exported)
    assert report["counts"] == {"phone": 2, "iban": 1}
    text = exported.read_text()
    for raw in (PHONE_A, "612340001", "0612340001", "NL91ABNA0417164300", "417164300"):
        assert raw not in text
    assert oct(exported.stat().st_mode & 0o777) == "0o600"
    result = overlap(shelter, SHELTER, exported, show_ours=True)
    assert result["hit"] and result["common"] == 1 and result["partner"] == "politie-synth"
    assert result["per_kind"]["phone"] == {"theirs": 2, "ours": 2, "common": 1}
    assert result["our_cases"] == ["reg:opvang-synth:c0"]
    clinic = registry(tmp_path, "clinic", keys, rows("opvang-synth", ["+31612340009"]))
    none = overlap(clinic, SHELTER, exported)
    assert not none["hit"] and none["common"] == 0
    for store in (police, shelter, clinic):
        store.close()


def test_missing_or_other_key_stops_and_writes_nothing(tmp_path: Path) -> None:
    no_keys = registry(tmp_path, "nokey", None, rows("politie-synth", [PHONE_A]))
    out = tmp_path / "never.json"
    with pytest.raises(ConfigError, match="SIGNAAL_KEY_DIR"):
        export_pseudonyms(no_keys, POLICE, out)
    assert not out.exists()
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    KeyStore(mine).new("pseudonym")
    KeyStore(theirs).new("pseudonym", "partner1")
    a = registry(tmp_path, "a", theirs, rows("politie-synth", [PHONE_A]))
    b = registry(tmp_path, "b", mine, rows("opvang-synth", [PHONE_A]))
    path = tmp_path / "a.json"
    export_pseudonyms(a, POLICE, path)
    with pytest.raises(ConfigError, match="same pseudonym key"):
        overlap(b, SHELTER, path)
    path.write_text(
        json.dumps({"format": "signaal-pseudonyms/1", "key": "pseudonym.k1", "pseudonyms": {"phone": ["x"]}})
    )
    with pytest.raises(InvalidInput, match="64-hex"):
        overlap(b, SHELTER, path)
