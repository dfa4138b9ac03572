"""Worklist, intake, signal page and follow-up routes: pages and their JSON twins (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_fixtures import SYNTHETIC_SIGNAL


def _intake_form(token: str, **overrides: object) -> dict[str, object]:
    # synthetic intake form values
    form: dict[str, object] = {
        "csrf_token": token,
        "received_at": "2026-02-01",
        "reporter_sector": "care",
        "region": "Utrecht",
        "narrative": "Synthetic: de man spreekt steeds voor haar en ze heeft geen paspoort.",
        "indicator": ["always_reachable"],
        "form": ["sexual"],
        "victim_age": "24",
        "victim_residence": "eu",
        "fact_needs_shelter": "yes",
        "identifier_kind_0": "phone",
        "identifier_value_0": "06 12345678",
    }
    form.update(overrides)
    return form


def test_worklist_page_and_json_show_the_same_signals(client: TestClient, signal_id: str) -> None:
    page = client.get("/signals")
    data = client.get("/api/signals").json()
    assert page.status_code == 200
    assert data["total"] == 1 and data["items"][0]["id"] == signal_id
    assert data["status_counts"] == {"new": 1}
    assert f'href="/signals/{signal_id}"' in page.text


def test_worklist_filters_by_form_age_group_and_region(client: TestClient, signal_id: str) -> None:
    assert client.get("/api/signals", params={"form": "labour"}).json()["total"] == 0
    assert client.get("/api/signals", params={"age_group": "minor"}).json()["total"] == 1
    assert client.get("/api/signals", params={"age_group": "adult"}).json()["total"] == 0
    assert client.get("/api/signals", params={"police_unit": "midden-nederland"}).json()["total"] == 1
    page = client.get("/signals", params={"form": "labour"})
    assert signal_id not in page.text


def test_worklist_rejects_an_unknown_age_group_with_a_message(client: TestClient) -> None:
    response = client.get("/api/signals", params={"age_group": "teen"})
    assert response.status_code == 422
    assert "age group" in response.json()["error"]


def test_intake_options_offer_the_checklist_of_a_setting(client: TestClient) -> None:
    labour = client.get("/api/intake", params={"setting": "labour"}).json()
    youth = client.get("/api/intake", params={"setting": "criminal_youth"}).json()
    assert labour["setting"] == "labour"
    assert {i["id"] for i in labour["indicators"]} != {i["id"] for i in youth["indicators"]}
    page = client.get("/signals/new", params={"setting": "labour"})
    assert page.status_code == 200
    for indicator in labour["indicators"][:3]:
        assert f'id="ind-{indicator["id"]}"' in page.text


def test_intake_form_records_a_signal_and_opens_it(client: TestClient, token: str) -> None:
    response = client.post("/signals", data=_intake_form(token), follow_redirects=False)
    assert response.status_code == 303
    signal_id = response.headers["location"].split("/")[2].split("?")[0]
    stored = client.get(f"/api/signals/{signal_id}").json()["signal"]
    assert stored["reporter_sector"] == "care"
    assert stored["identifiers"][0]["value"] == "+31612345678"
    assert stored["facts"] == {"needs_shelter": True}
    assert {i["indicator_id"] for i in stored["indicators"]} >= {"always_reachable"}


def test_intake_with_suggestions_marks_them_as_suggested(client: TestClient, token: str) -> None:
    form = _intake_form(
        token, indicator=[], narrative="Synthetic: ze moet altijd bereikbaar zijn.", apply_suggestions="1"
    )
    response = client.post("/signals", data=form, follow_redirects=False)
    signal_id = response.headers["location"].split("/")[2].split("?")[0]
    indicators = client.get(f"/api/signals/{signal_id}").json()["signal"]["indicators"]
    assert indicators and all(i["origin"] == "suggested" for i in indicators)


def test_intake_errors_stand_next_to_the_field_with_values_kept_and_nothing_saved(
    client: TestClient, token: str
) -> None:
    form = _intake_form(token, reporter_sector="", received_at="01-02-2026", victim_age="vijftien")
    response = client.post("/signals", data=form)
    assert response.status_code == 422
    html = response.text
    assert 'id="err-reporter_sector"' in html and 'id="err-received_at"' in html and 'id="err-victim_age"' in html
    assert "Vul dit veld in." in html  # Dutch by default
    assert "de man spreekt steeds voor haar" in html  # the narrative is kept
    assert 'value="vijftien"' in html
    assert client.get("/api/signals").json()["total"] == 0


def test_intake_errors_are_in_english_after_the_switch(client: TestClient, token: str) -> None:
    client.get("/lang/en?next=/signals/new")
    response = client.post("/signals", data=_intake_form(token, reporter_sector=""))
    assert response.status_code == 422
    assert "Fill in this field." in response.text
    assert '<html lang="en">' in response.text


def test_intake_reports_an_unknown_region_at_the_region_field(client: TestClient, token: str) -> None:
    response = client.post("/signals", data=_intake_form(token, region="Atlantis"))
    assert response.status_code == 422
    assert re.search(r'id="err-region"[^>]*>.*Atlantis', response.text, re.S)
    assert client.get("/api/signals").json()["total"] == 0


def test_form_post_without_csrf_token_is_refused_and_nothing_saved(client: TestClient, token: str) -> None:
    form = _intake_form(token)
    del form["csrf_token"]
    response = client.post("/signals", data=form)
    assert response.status_code == 403
    assert client.get("/api/signals").json()["total"] == 0


def test_record_through_the_api_validates_the_body(client: TestClient) -> None:
    bad = {**SYNTHETIC_SIGNAL, "received_at": "not a date"}
    response = client.post("/api/signals", json=bad)
    assert response.status_code == 422
    assert any("received_at" in p["field"] for p in response.json()["problems"])


def test_unknown_signal_gives_a_404_page_and_json(client: TestClient) -> None:
    page = client.get("/signals/000000000000")
    assert page.status_code == 404
    assert "Traceback" not in page.text and "Niet gevonden" in page.text
    api = client.get("/api/signals/000000000000")
    assert api.status_code == 404 and api.json()["error"].startswith("no signal")


def test_signal_page_shows_the_action_perspective_with_a_next_step(client: TestClient, signal_id: str) -> None:
    data = client.get(f"/api/signals/{signal_id}").json()
    assert data["route"]["steps"], "a minor with shelter needed has a route"
    assert data["facts"]["age"] == 15
    page = client.get(f"/signals/{signal_id}")
    assert page.status_code == 200
    assert data["route"]["steps"][0]["title"] in page.text
    assert "Volgende stap" in page.text
    assert len(data["meldcode"]["items"]) == 5


def test_routing_decision_referral_and_close_through_the_pages(client: TestClient, signal_id: str, token: str) -> None:
    closed_early = client.post(f"/signals/{signal_id}/status", data={"csrf_token": token, "status": "closed"})
    assert closed_early.status_code == 409
    assert "routebesluit" in closed_early.text  # the rule in the user's language, not a CLI hint
    assert "signaal decide" not in closed_early.text
    missing_reason = client.post(
        f"/signals/{signal_id}/decision", data={"csrf_token": token, "route": "care route", "reason": ""}
    )
    assert missing_reason.status_code == 422
    assert 'id="err-decision"' in missing_reason.text and 'value="care route"' in missing_reason.text
    decided = client.post(
        f"/signals/{signal_id}/decision",
        data={
            "csrf_token": token,
            "route": "Veilig Thuis",
            "reason": "minor, synthetic case",
            "contact": ["veilig-thuis"],
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303
    referred = client.post(
        f"/signals/{signal_id}/referrals",
        data={"csrf_token": token, "contact_id": "veilig-thuis"},
        follow_redirects=False,
    )
    assert referred.status_code == 303
    data = client.get(f"/api/signals/{signal_id}").json()
    assert data["signal"]["status"] == "routed"
    assert data["decisions"][0]["route"] == "Veilig Thuis"
    referral = data["referrals"][0]
    moved = client.post(
        f"/referrals/{referral['id']}/state",
        data={"csrf_token": token, "signal_id": signal_id, "state": "accepted"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    closed = client.post(
        f"/signals/{signal_id}/status",
        data={"csrf_token": token, "status": "closed", "reason": "taken over", "confirmed": "yes"},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    data = client.get(f"/api/signals/{signal_id}").json()
    assert data["signal"]["status"] == "closed"
    assert data["referrals"][0]["state"] == "accepted"
    kinds = [e["kind"] for e in data["history"]]
    assert kinds[0] == "created" and "routing_decided" in kinds and kinds[-1] == "status_changed"


def test_routing_decision_referral_and_close_through_the_api(client: TestClient, signal_id: str) -> None:
    assert client.post(f"/api/signals/{signal_id}/status", json={"status": "closed"}).status_code == 409
    decision = client.post(f"/api/signals/{signal_id}/decision", json={"route": "care", "reason": "synthetic"})
    assert decision.status_code == 201 and decision.json()["contacts"]
    referral = client.post(f"/api/signals/{signal_id}/referrals", json={"contact_id": "zorgcoordinator"})
    assert referral.status_code == 201
    moved = client.post(f"/api/referrals/{referral.json()['id']}/state", json={"state": "feedback_received"})
    assert moved.json()["state"] == "feedback_received"
    assert client.post(f"/api/signals/{signal_id}/status", json={"status": "closed"}).json()["status"] == "closed"
    assert client.get(f"/api/signals/{signal_id}/history").json()[-1]["kind"] == "status_changed"


def test_unknown_contact_for_a_referral_is_refused(client: TestClient, signal_id: str) -> None:
    response = client.post(f"/api/signals/{signal_id}/referrals", json={"contact_id": "ghostbusters"})
    assert response.status_code == 422 and "unknown contact" in response.json()["error"]


def test_open_questions_are_answered_on_the_page(client: TestClient, signal_id: str, token: str) -> None:
    before = client.get(f"/api/signals/{signal_id}/route").json()
    assert "acute_danger" in {q["fact"] for q in before["route"]["open_questions"]}
    response = client.post(
        f"/signals/{signal_id}/facts", data={"csrf_token": token, "fact_acute_danger": "no"}, follow_redirects=False
    )
    assert response.status_code == 303
    after = client.get(f"/api/signals/{signal_id}/route").json()
    assert after["facts"]["acute_danger"] is False
    assert (
        client.post(f"/api/signals/{signal_id}/facts", json={"facts": {"willing_to_talk_to_police": True}}).json()[
            "facts"
        ]["willing_to_talk_to_police"]
        is True
    )


def test_meldcode_steps_are_done_once_and_the_next_one_is_offered(
    client: TestClient, signal_id: str, token: str
) -> None:
    items = client.get(f"/api/signals/{signal_id}").json()["meldcode"]["items"]
    first, second = items[0]["id"], items[1]["id"]
    done = client.post(
        f"/signals/{signal_id}/meldcode/{first}", data={"csrf_token": token, "note": "mapped"}, follow_redirects=False
    )
    assert done.status_code == 303
    after = client.get(f"/api/signals/{signal_id}").json()["meldcode"]
    assert after["items"][0]["done"] and after["next_step"] == second
    assert client.post(f"/api/signals/{signal_id}/meldcode/{first}", json={}).status_code == 409


def test_suggested_indicators_are_confirmed_or_rejected(client: TestClient, token: str) -> None:
    body = {**SYNTHETIC_SIGNAL, "indicators": [], "narrative": "Synthetic: ze moet altijd bereikbaar zijn en spijbelt."}
    signal = client.post("/api/signals", params={"apply_suggestions": "true"}, json=body).json()
    suggested = [i["indicator_id"] for i in signal["indicators"] if i["origin"] == "suggested"]
    assert len(suggested) >= 2
    keep, drop = suggested[0], suggested[1]
    client.post(f"/signals/{signal['id']}/indicators/{keep}/confirm", data={"csrf_token": token})
    client.post(f"/api/signals/{signal['id']}/indicators/{drop}/reject", json={})
    after = {
        i["indicator_id"]: i["origin"]
        for i in client.get(f"/api/signals/{signal['id']}").json()["signal"]["indicators"]
    }
    assert after[keep] == "confirmed" and drop not in after


def test_form_hypotheses_are_confirmed_and_removed(client: TestClient, signal_id: str) -> None:
    assert client.post(f"/api/signals/{signal_id}/forms/labour/confirm", json={}).status_code == 200
    forms = client.post(f"/api/signals/{signal_id}/forms/sexual/reject", json={}).json()["forms"]
    assert [f["form"] for f in forms] == ["labour"]


def test_narrative_suggestions_fragment_and_json(client: TestClient, token: str) -> None:
    text = "Synthetic: ze moet altijd bereikbaar zijn."
    fragment = client.post("/signals/suggest", data={"narrative": text}, headers={"X-CSRF-Token": token})
    assert fragment.status_code == 200 and "altijd bereikbaar" in fragment.text
    data = client.post("/api/narrative/suggest", json={"text": text}).json()
    assert "always_reachable" in {h["id"] for h in data["indicators"]}


def test_intake_without_person_details_records_no_person_and_no_guessed_residence(
    client: TestClient, token: str
) -> None:
    form = _intake_form(token, victim_age="", victim_residence="unknown")
    response = client.post("/signals", data=form, follow_redirects=False)
    signal_id = response.headers["location"].split("/")[2].split("?")[0]
    assert client.get(f"/api/signals/{signal_id}").json()["signal"]["persons"] == []


def test_worklist_pages_keep_their_filters(client: TestClient) -> None:
    for n in range(3):
        body = {**SYNTHETIC_SIGNAL, "source_id": f"synthetic-{n}"}
        assert client.post("/api/signals", json=body).status_code == 201
    page = client.get("/signals", params={"form": "sexual", "limit": 2})
    assert re.search(r'href="\?form=sexual[^"]*&page=2" rel="next"', page.text)
    second = client.get("/api/signals", params={"form": "sexual", "limit": 2, "page": 2}).json()
    assert len(second["items"]) == 1 and second["pages"] == 2


def test_intake_records_a_suspect_next_to_the_victim(client: TestClient, token: str) -> None:
    form = _intake_form(token, suspect_age="41", suspect_gender="man")
    signal_id = (
        client.post("/signals", data=form, follow_redirects=False).headers["location"].split("/")[2].split("?")[0]
    )
    persons = client.get(f"/api/signals/{signal_id}").json()["signal"]["persons"]
    assert [(p["role"], p["age"]) for p in persons] == [("victim", 24), ("suspect", 41)]
    bad = client.post("/signals", data=_intake_form(token, suspect_age="1000"))
    assert bad.status_code == 422 and 'id="err-suspect_age"' in bad.text


def test_follow_up_lists_waiting_referrals_and_marks_overdue_ones(client: TestClient, signal_id: str) -> None:
    old = client.post(
        f"/api/signals/{signal_id}/referrals", json={"contact_id": "comensha", "at": "2026-01-06T10:00:00+00:00"}
    ).json()
    fresh = client.post(f"/api/signals/{signal_id}/referrals", json={"contact_id": "veilig-thuis"}).json()
    data = client.get("/api/referrals", params={"days": 14}).json()
    marked = {r["id"]: r["overdue"] for r in data["referrals"]}
    assert marked == {old["id"]: True, fresh["id"]: False} and data["overdue"] == 1
    client.post(f"/api/referrals/{old['id']}/state", json={"state": "feedback_received"})
    assert [r["id"] for r in client.get("/api/referrals").json()["referrals"]] == [fresh["id"]]
    page = client.get("/referrals")
    assert page.status_code == 200 and signal_id in page.text


def test_an_unknown_status_filter_is_a_message_not_an_empty_list(client: TestClient) -> None:
    response = client.get("/api/signals?status=nieuw")
    assert response.status_code == 422
    assert "unknown status 'nieuw'" in response.json()["error"]


def test_intake_needs_a_description_or_an_indicator_and_says_so_with_the_other_errors(
    client: TestClient, token: str
) -> None:
    response = client.post("/signals", data=_intake_form(token, narrative="", indicator=[], reporter_sector=""))
    assert response.status_code == 422
    html = response.text
    assert 'id="err-narrative"' in html and 'id="err-reporter_sector"' in html  # all errors at once
    assert "ten minste één indicator" in html
    assert client.get("/api/signals").json()["total"] == 0
