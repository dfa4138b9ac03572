"""Confirming or rejecting a link needs sight of both cases and of the evidence, on both databases;
a link the actor may not judge gets the answer of a link that does not exist. SYNTHETIC data.

care-synth holds a signal with an invented phone; riec-synth (and org-a on the command line) holds
one with the same phone, so an exact link joins them.
"""

from __future__ import annotations

import pytest
from link_fixtures import ANALYST, PHONE_A, share, signal
from sqlalchemy import func, select

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.errors import EXIT_CODES, NotFound
from signaal.services.link import run_linking
from signaal.services.link_review import confirm_link, get_link, list_links, reject_link
from signaal.store import Store
from signaal.store.tables import EventRow

pytestmark = pytest.mark.storage

CARE = Actor("rep", "care-synth", Role.REPORTER)


def _exact_link(store: Store, ours_org: str = ANALYST.org) -> tuple[int, str]:
    theirs = signal(store, CARE, PHONE_A, "care-1")
    signal(store, Actor("rep", ours_org, Role.REPORTER), PHONE_A, "ours-1")
    run_linking(store, Actor("root", ours_org, Role.ADMIN))
    [link] = [x for x in list_links(store, Actor("root", ours_org, Role.ADMIN)) if x["kind"] == "exact"]
    return int(link["id"]), theirs


def _events(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(EventRow)) or 0)


def _refused(store: Store, decide: object, link_id: int) -> str:
    with pytest.raises(NotFound) as caught:
        decide(store, ANALYST, link_id, "synthetic")  # type: ignore[operator]
    return str(caught.value).replace(str(link_id), "ID")


@pytest.mark.parametrize("decide", [confirm_link, reject_link], ids=["confirm", "reject"])
def test_a_link_to_an_unseen_case_is_refused_as_if_it_did_not_exist(store: Store, decide: object) -> None:
    link_id, theirs = _exact_link(store)
    before = _events(store)
    missing = _refused(store, decide, 999_999)
    assert _refused(store, decide, link_id) == missing
    share(store, theirs, [])  # the case, but not the identifier the link rests on
    assert _refused(store, decide, link_id) == missing
    assert get_link(store, ANALYST, link_id)["status"] == "suggested"
    assert _events(store) == before + 1  # the act's "shared" event only; no link decision recorded


def test_a_link_whose_cases_and_evidence_are_in_sight_is_judged(store: Store) -> None:
    link_id, theirs = _exact_link(store)
    share(store, theirs, ["identifiers"])
    assert confirm_link(store, ANALYST, link_id, "synthetic")["status"] == "confirmed"
    assert reject_link(store, ANALYST, link_id, "synthetic")["status"] == "rejected"


def test_the_command_line_refuses_it_with_the_not_found_answer(
    store: Store, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    link_id, _ = _exact_link(store, "org-a")  # the CLI user is a coordinator of org-a
    capsys.readouterr()
    answers = []
    for which in (link_id, 999_999):
        code = main(["link", "confirm", str(which), "--reason", "synthetic"])
        err = capsys.readouterr().err.replace(str(which), "ID")
        answers.append((code, err))
    assert answers[0] == answers[1] and answers[0][0] == EXIT_CODES[NotFound]
    assert get_link(store, Actor("root", "org-a", Role.ADMIN), link_id)["status"] == "suggested"
