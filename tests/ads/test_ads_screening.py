"""Ad screening on small synthetic Dutch ads (all ads and numbers here are invented: synthetic)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ads_fixtures import HUB, SCREENER, telefonist_ads

from signaal.ads.extract import extract
from signaal.ads.model import Ad
from signaal.ads.normalise import fold
from signaal.ads.phones import find_phones
from signaal.ads.screen import screen_features
from signaal.cli import main
from signaal.settings import Settings


def _phones(text: str, region: str = "NL") -> list[str]:
    return [p.e164 for p in find_phones(fold(text).text, region)]


@pytest.mark.parametrize(
    "text",
    [
        "Bel 06-1234 0001",
        "bel 06.12.34.00.01",
        "06~1234~0001 alleen sms",
        "O6 1234 OOO1",
        "nul zes een twee drie vier nul nul nul een",
        "0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣0️⃣0️⃣0️⃣1️⃣",
        "+31 6 1234 0001",
        "(06) 12340001",
        "０６１２３４０００１",
    ],
)
def test_obfuscated_dutch_number_reads_as_e164(text: str) -> None:
    assert _phones(text) == [HUB]


def test_english_spelled_digits_and_words_inside_words() -> None:
    assert _phones("call 2ONE2-5FIVE5-0ONE2THREE", "US") == ["+12125550123"]
    assert _phones("someone called me at one o'clock") == []


def test_dutch_article_een_next_to_a_number_is_not_a_digit() -> None:
    assert _phones("bel een 0612340001") == [HUB]


def test_span_points_into_the_original_text() -> None:
    ad = Ad(id="s1", body="Lieve groet 📞 0️⃣6️⃣-12340001 ✨")
    feats = extract(ad)
    span = feats.contacts[0].span
    assert span is not None and ad.body[span.start : span.end].startswith("0")


def _independent_ad() -> Ad:
    return Ad(
        id="ind",
        title="Lisa, zelfstandig",
        body=(
            "Hoi, ik ben Lisa, zelfstandig en al jaren in Leiden. Ik werk alleen op afspraak, "
            "altijd veilig, met een kleine aanbetaling. Bel 06-1234 9999"
        ),
        city="Leiden",
        posted="2024-05-01",
    )


def _screen(ads: list[Ad]):  # type: ignore[no-untyped-def]
    feats = [extract(a) for a in ads]
    return feats, screen_features(feats, max_group_size=100, movement_window_days=14)


def test_telefonist_is_a_hub_with_evidence_and_ranks_first() -> None:
    _feats, result = _screen([*telefonist_ads(), _independent_ad()])
    top = result.clusters[0]
    assert len(top.ads) == 5
    assert [h.contact for h in top.hubs] == [f"phone:{HUB}"]
    assert len(top.hubs[0].names) == 5 and len(top.hubs[0].cities) == 4
    assert top.movement is not None and len(top.movement.cities) >= 2
    assert any("ad_movement" in r for r in top.reasons)
    # the lone independent ad forms no group; its own score stays low
    assert all("ind" not in c.ads for c in result.clusters)
    assert result.ad_scores[5] < 10 < top.score


def test_independent_worker_scores_low_on_its_own() -> None:
    feats, result = _screen([_independent_ad()])
    assert result.ad_scores[0] < 10
    assert any(h.counter for h in feats[0].indicators)


def test_nationality_words_alone_fire_no_indicator() -> None:
    feats = extract(Ad(id="n", body="Braziliaanse en Roemeense dame"))
    assert feats.indicators == []


def test_cli_screen_writes_outputs_and_reports_bad_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dump = tmp_path / "ads.jsonl"
    lines = [
        json.dumps(
            {"id": a.id, "title": a.title, "body": a.body, "city": a.city, "posted": a.posted, "synthetic": True}
        )
        for a in telefonist_ads()
    ]
    lines.insert(2, "{broken json")
    lines.append(json.dumps({"id": "empty", "title": "", "body": ""}))
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    out = tmp_path / "out"
    assert main(["ads", "screen", str(dump), "--out", str(out)]) == 0
    ads = [json.loads(x) for x in (out / "ads.jsonl").read_text().splitlines()]
    assert len(ads) == 5 and len({a["cluster"] for a in ads}) == 1
    assert all(a["contacts"] == [f"phone:{HUB}"] for a in ads)
    clusters = [json.loads(x) for x in (out / "clusters.jsonl").read_text().splitlines()]
    assert clusters[0]["hubs"][0]["role"] == "shared_contact"
    html = (out / "report.html").read_text()
    assert "<mark" in html and "<script" not in html
    new_ad = json.dumps({"id": "new", "body": "Nieuw! Bel 06 1234 0001", "synthetic": True})
    assert main(["ads", "check", new_ad, "--index", str(out / "index.json")]) == 0


def test_cli_rejects_a_bad_mapping(tmp_path: Path) -> None:
    dump = tmp_path / "ads.csv"
    dump.write_text("id,text\n1,hallo\n", encoding="utf-8")
    assert main(["ads", "screen", str(dump), "--out", str(tmp_path / "o"), "--map", "nofield"]) == 2


def test_settings_limit_skips_a_huge_ad(tmp_path: Path) -> None:
    from signaal.ingest.ads import SkipReport, read_ads

    dump = tmp_path / "big.jsonl"
    dump.write_text(json.dumps({"id": "big", "body": "x" * 5000}) + "\n", encoding="utf-8")
    report = SkipReport()
    assert list(read_ads(dump, max_bytes=Settings().ads_max_ad_bytes // 64, report=report)) == []
    assert report.skipped == 1 and report.problems[0].line == 1


def test_records_parsed_in_workers_keep_every_good_ad_and_report_bad_lines_in_order(tmp_path: Path) -> None:
    """A dump of several batches screened by two workers: a whole batch of broken lines, bad
    lines scattered, and every good ad's line keeps its own labels (synthetic ads)."""
    from signaal.ads.batch import BATCH
    from signaal.ads.synthetic import generate_ads
    from signaal.services.ads import screen_dump

    good = list(generate_ads(2 * BATCH + 40, seed=5))
    lines = [json.dumps(a, ensure_ascii=False) for a in good]
    lines[3:3] = ["{broken"] * (2 * BATCH)  # at least one whole batch with no ad in it
    lines.insert(BATCH * 3 + 50, "[1, 2]")
    lines.append(json.dumps({"id": "empty", "title": " ", "body": ""}))
    dump = tmp_path / "ads.jsonl"
    dump.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe not utf-8\n")
    summary = screen_dump(SCREENER, dump, tmp_path / "out", Settings(), html=False, workers=2)
    written = [json.loads(x) for x in (tmp_path / "out" / "ads.jsonl").read_text().splitlines()]
    assert [a["id"] for a in written] == [a["id"] for a in good]
    assert summary.skipped.read == len(good) and summary.skipped.skipped == 2 * BATCH + 3
    reported = [p.line for p in summary.skipped.problems]
    assert reported == sorted(reported) and reported[0] == 4
    reasons = {p.reason.split(" (")[0] for p in summary.skipped.problems}
    assert reasons == {"broken JSON", "not a JSON object", "empty ad", "not UTF-8"}
    # the labels of each line belong to that ad: ads sharing a contact share a contact cluster
    by_contact: dict[str, set[str]] = {}
    for a in written:
        for c in a["contacts"]:
            by_contact.setdefault(c, set()).add(a["contact_cluster"])
    assert all(len(labels) == 1 for labels in by_contact.values())
