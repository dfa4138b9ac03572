"""The care worker's and coordinator's pages: the worklist order, confirmation steps, the phone menu,
the shelter board's waiting-time bars and the monthly charts. All data is synthetic."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from language_check import assert_language
from web_fixtures import SYNTHETIC_SIGNAL

from signaal.web.charts import MAX_SERIES, stacked_bars
from signaal.web.filters import format_month
from signaal.web.shelter_bars import waiting_bars

ACUTE = {  # synthetic: a high-urgency signal (acute danger, a minor)
    **SYNTHETIC_SIGNAL,
    "facts": {"acute_danger": True},
    "narrative": "Synthetic: meisje van 14 in acuut gevaar.",
    "persons": [{"role": "victim", "age": 14, "residence": "dutch"}],
}
PLAIN = {  # synthetic: a low-urgency signal (an adult, no indicators)
    **SYNTHETIC_SIGNAL,
    "indicators": [],
    "narrative": "Synthetic: een volwassen man werkt lange dagen.",
    "persons": [{"role": "victim", "age": 40, "residence": "dutch"}],
    "facts": {},
}


def _record(client: TestClient, body: dict[str, object]) -> str:
    created = client.post("/api/signals", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _decide(client: TestClient, signal_id: str) -> None:
    decided = client.post(f"/api/signals/{signal_id}/decision", json={"route": "care", "reason": "synthetic"})
    assert decided.status_code == 201, decided.text


def test_a_closed_signal_never_sorts_above_an_open_one(client: TestClient) -> None:
    acute, plain = _record(client, ACUTE), _record(client, PLAIN)
    urgency = {s["id"]: s["urgency"] for s in client.get("/api/signals").json()["items"]}
    assert urgency[acute] > urgency[plain]
    _decide(client, acute)
    assert client.post(f"/api/signals/{acute}/status", json={"status": "closed"}).status_code == 200
    order = [s["id"] for s in client.get("/api/signals").json()["items"]]
    assert order.index(plain) < order.index(acute)
    page = client.get("/signals").text
    assert page.index(f'href="/signals/{plain}"') < page.index(f'href="/signals/{acute}"')


def test_closing_asks_for_a_confirmation_that_works_without_javascript(
    client: TestClient, signal_id: str, token: str
) -> None:
    _decide(client, signal_id)
    asked = client.post(
        f"/signals/{signal_id}/status", data={"csrf_token": token, "status": "closed", "reason": "overgedragen"}
    )
    assert asked.status_code == 200
    assert client.get(f"/api/signals/{signal_id}").json()["signal"]["status"] != "closed"  # nothing done yet
    assert f'action="/signals/{signal_id}/status"' in asked.text
    assert 'name="reason" value="overgedragen"' in asked.text and 'name="confirmed" value="yes"' in asked.text
    assert f'href="/signals/{signal_id}#status"' in asked.text  # "no, go back"
    assert "<script" not in asked.text.split("<body", 1)[1].split("</main>")[0]
    assert_language(asked.text, "nl", "confirmation")
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', asked.text)
    assert fresh is not None
    done = client.post(
        f"/signals/{signal_id}/status",
        data={"csrf_token": fresh.group(1), "status": "closed", "reason": "overgedragen", "confirmed": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    data = client.get(f"/api/signals/{signal_id}").json()
    assert data["signal"]["status"] == "closed"
    assert data["history"][-1]["data"].get("reason") == "overgedragen"


def test_closing_without_a_decision_says_why_at_once(client: TestClient, signal_id: str, token: str) -> None:
    refused = client.post(f"/signals/{signal_id}/status", data={"csrf_token": token, "status": "closed"})
    assert refused.status_code == 409 and "routebesluit" in refused.text


def test_withdrawing_a_shelter_request_asks_first(client: TestClient, signal_id: str, token: str) -> None:
    client.post(f"/signals/{signal_id}/shelter", data={"csrf_token": token, "type": "cosm"})
    request_id = client.get("/api/shelter").json()["open"][0]["id"]
    client.get("/lang/en?next=/shelter")
    asked = client.post(f"/shelter/{request_id}/events", data={"csrf_token": token, "kind": "withdrawn"})
    assert asked.status_code == 200 and "Withdraw shelter request" in asked.text
    assert_language(asked.text, "en", "confirmation")
    assert client.get("/api/shelter").json()["open"][0]["id"] == request_id  # still waiting
    client.post(f"/shelter/{request_id}/events", data={"csrf_token": token, "kind": "withdrawn", "confirmed": "yes"})
    assert client.get("/api/shelter").json()["open"] == []


def test_every_page_has_a_menu_button_for_a_phone(client: TestClient) -> None:
    page = client.get("/signals").text
    menu = page.split('<details class="nav-menu">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Menu</summary>" in menu
    assert menu.count("<a href=") == page.split('<nav class="nav-wide"', 1)[1].split("</nav>")[0].count("<a href=")


def test_the_shelter_board_draws_a_bar_per_request(client: TestClient, signal_id: str, token: str) -> None:
    client.post(f"/signals/{signal_id}/shelter", data={"csrf_token": token, "type": "cosm"})
    request_id = client.get("/api/shelter").json()["open"][0]["id"]
    client.post(f"/shelter/{request_id}/events", data={"csrf_token": token, "kind": "no_place"})
    board = client.get("/shelter").text
    bars = board.split('id="wait-open"', 1)[1].split("</ol>", 1)[0]
    assert f'href="/signals/{signal_id}"' in bars and "wacht nu 0 dagen" in bars
    assert bars.count("<line") == 1  # the "no place" mark
    assert_language(board, "nl", "shelter board")


def test_waiting_bars_share_one_scale_and_show_the_offer() -> None:
    now = datetime(2026, 12, 20, 12, tzinfo=UTC)

    def request(rid: str, requested: str, state: str, **moments: str | list[str]) -> dict[str, object]:
        return {
            "id": rid,
            "signal_id": "s-" + rid,
            "type": "cosm",
            "state": state,
            "requested_at": requested,
            **moments,
        }

    bars = waiting_bars(
        [request("a", "2026-12-10T12:00:00+00:00", "requested", no_place_at=["2026-12-15T12:00:00+00:00"])],
        [
            request(
                "b",
                "2026-11-30T12:00:00+00:00",
                "started",
                offered_at="2026-12-10T12:00:00+00:00",
                started_at="2026-12-20T12:00:00+00:00",
            ),
            request("c", "2026-12-01T12:00:00+00:00", "withdrawn"),
        ],
        now,
    )
    assert bars["scale_days"] == 20.0
    (waiting,) = bars["waiting"]
    assert waiting["waiting_pct"] == 50.0 and waiting["no_place_pct"] == [25.0]
    (placed,) = bars["placed"]  # the withdrawn request has no wait to show
    assert (placed["waiting_pct"], placed["offer_pct"]) == (50.0, 50.0)


def test_a_chart_keeps_few_series_and_marks_the_running_month() -> None:
    months = ["2026-10", "2026-11", "2026-12"]
    series = {f"region-{i}": {"2026-10": i + 1, "2026-12": 1} for i in range(10)}
    html = stacked_bars(
        months,
        series,
        {k: k.upper() for k in series},
        "by region",
        month_label=lambda m: format_month(m, "nl"),
        other="overig",
        partial_note="dec. 2026 loopt nog",
    )
    legend = html.split('<ul class="legend">', 1)[1].split("</ul>", 1)[0]
    assert legend.count("<li>") == MAX_SERIES and "overig" in legend and "REGION-9" in legend
    assert "REGION-0" not in legend  # the smallest fold into "other"
    assert "okt. 2026" in html and "dec. 2026 loopt nog" in html
    assert html.count('fill-opacity="0.45"') == MAX_SERIES  # the running month is paler
    assert format_month("2026-03", "en") == "Mar 2026" and format_month("bad", "nl") == "bad"
