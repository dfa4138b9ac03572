"""Link cases that are signals follow the sharing acts, on both databases; SYNTHETIC data.

care-synth holds a signal with two invented phones; riec-synth holds one with the first of them.
An analyst of riec-synth sees care-synth's signal, its case id and its other phone in link lists
and networks only through an act granting the identifiers; a revoked act hides them again.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from link_fixtures import ANALYST, PHONE_A, PHONE_B, police_rows, share, signal, write_csv

from signaal.domain.actor import Actor, Role
from signaal.domain.signal import IdentifierIn, PersonIn, SignalCreate
from signaal.services.link import import_registrations, run_linking
from signaal.services.link_review import get_link, linked_to, list_links
from signaal.services.network import export_network, list_networks, show_network
from signaal.services.sharing import revoke_act
from signaal.services.signals import record_signal
from signaal.store import Store

OWNER = Actor("coo", "care-synth", Role.COORDINATOR)


def _care_signal(store: Store) -> str:
    """A SYNTHETIC care-synth signal with both invented phones and a victim."""
    data = SignalCreate(
        received_at=date(2026, 3, 1),
        reporter_org=OWNER.org,
        reporter_sector="care",
        region="Eindhoven",
        persons=[PersonIn(role="victim", age=19, gender="f", nationality="RO")],
        identifiers=[IdentifierIn(kind="phone", value=PHONE_A), IdentifierIn(kind="phone", value=PHONE_B)],
        source_id="care-secret-7",
        forms=[{"form": "sexual"}],  # type: ignore[list-item]
    )
    return record_signal(store, OWNER, data).id


def _world(store: Store) -> tuple[str, str]:
    theirs = _care_signal(store)
    ours = signal(store, Actor("rep", ANALYST.org, Role.REPORTER), PHONE_A, "riec-1")
    run_linking(store, ANALYST)
    return theirs, ours


def _everything(store: Store) -> str:
    """All an analyst of riec-synth reads about links and networks, as one text."""
    links = list_links(store, ANALYST)
    shown = [get_link(store, ANALYST, link["id"]) for link in links]
    nets = list_networks(store, ANALYST)
    details = [show_network(store, ANALYST, n["id"]) for n in nets]
    exports = [export_network(store, ANALYST, n["id"], f).decode() for n in nets for f in ("json", "graphml")]
    return json.dumps([links, shown, nets, details], default=str) + "".join(exports)


def test_another_organisations_signal_is_hidden_without_an_act(store: Store) -> None:
    theirs, ours = _world(store)
    link = next(x for x in list_links(store, ANALYST) if x["kind"] == "exact")
    views = {link["left"]["hidden"], link["right"]["hidden"]}
    assert views == {True, False}
    hidden = link["left"] if link["left"]["hidden"] else link["right"]
    assert hidden["org"] == "care-synth" and "another organisation holds a match" in hidden["contact"]
    assert link["key"] == "phone"  # the kind, not the number
    text = _everything(store)
    assert ours in text and "held by another organisation" in text
    assert theirs not in text and PHONE_B not in text and "care-secret-7" not in text
    net = next(n for n in list_networks(store, ANALYST) if any(s["id"] == ours for s in n["signals"]))
    assert net["held_by_other_organisations"][0]["org"] == "care-synth"
    assert net["size"]["cases"] == 1  # what is shown counts only the cases in sight
    assert net["classification"]["also_counts_held_cases"] == 1  # the classification counts every case


def test_an_act_granting_identifiers_shows_them_and_a_revoked_act_hides_them(store: Store) -> None:
    theirs, _ = _world(store)
    summary_only = share(store, theirs, [])
    text = _everything(store)
    assert theirs in text and PHONE_B not in text  # the case, not its identifiers
    revoke_act(store, OWNER, theirs, summary_only, "synthetic")
    act = share(store, theirs, ["identifiers"])
    link = next(x for x in list_links(store, ANALYST) if x["kind"] == "exact")
    assert not link["left"]["hidden"] and not link["right"]["hidden"] and link["key"] == f"phone:{PHONE_A}"
    text = _everything(store)
    assert theirs in text and PHONE_B in text
    assert "care-secret-7" not in text  # the reporter's case number needs narrative and persons
    revoke_act(store, OWNER, theirs, act, "synthetic")
    text = _everything(store)
    assert theirs not in text and PHONE_B not in text


def test_imported_registrations_keep_the_registry_rule(store: Store, tmp_path: Path) -> None:
    import_registrations(store, Actor("root", ANALYST.org, Role.ADMIN), write_csv(tmp_path / "p.csv", police_rows()))
    sid = signal(store, Actor("rep", "care-synth", Role.REPORTER), PHONE_A, "care-1")
    run_linking(store, ANALYST)
    link = next(x for x in list_links(store, ANALYST) if x["kind"] == "exact")
    registration = link["left"] if link["left"].get("ref", "").startswith("reg:") else link["right"]
    assert registration["ref"] == "reg:politie-synth:Z1"  # a linker of the registry sees the registration
    assert sid not in json.dumps(link)  # and not the care signal, which is not shared
    seen = linked_to(store, OWNER, sid)  # the signal's owner sees the registration too (a coordinator)
    assert seen[0]["other"]["ref"] == "reg:politie-synth:Z1" and seen[0]["key"] == f"phone:{PHONE_A}"
