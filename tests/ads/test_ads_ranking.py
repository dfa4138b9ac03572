"""Ranking of groups: structure outweighs phrases, one advertiser is no organisation (synthetic ads:
every ad, name and number here is invented)."""

from __future__ import annotations

from ads_fixtures import HUB, SCREENER, telefonist_ads

from signaal.ads.extract import extract
from signaal.ads.model import Ad, IndicatorHit, Span
from signaal.ads.screen import screen_features


def _lisa(n: int, cities: tuple[str, ...] = ("Leiden", "Haarlem")) -> list[Ad]:
    """One independent worker reposting the same ad, under her own number, in two cities."""
    return [
        Ad(
            id=f"l{i}",
            title="Lisa, zelfstandig",
            body="Hoi, ik ben Lisa, zelfstandig. Ik werk alleen op afspraak, altijd veilig. Bel 06-1234 9999",
            city=cities[i % len(cities)],
            posted=f"2024-05-0{i + 1}",
        )
        for i in range(n)
    ]


def _screen(ads: list[Ad], max_group: int = 100):  # type: ignore[no-untyped-def]
    feats = [extract(a) for a in ads]
    return feats, screen_features(feats, max_group_size=max_group, movement_window_days=14)


def _cluster_of(result, ad_index: int):  # type: ignore[no-untyped-def]
    label = f"c{result.cluster[ad_index]}"
    return next(c for c in result.clusters if c.id == label)


def test_one_worker_in_two_cities_is_movement_not_a_hub_and_ranks_below_atelefonist_ads() -> None:
    ads = [*telefonist_ads(), *_lisa(3)]
    _feats, result = _screen(ads)
    lisa = _cluster_of(result, 5)
    assert lisa.hubs == []  # two cities make no hub on their own
    assert lisa.movement is not None  # ... they are movement, scored once
    assert sum("movement" in r for r in lisa.reasons) == 1
    # one name under one number: her reposts earn no template points
    assert not any("template shared" in r for r in lisa.reasons)
    tele = _cluster_of(result, 0)
    assert [h.contact for h in tele.hubs] == [f"phone:{HUB}"]
    assert any("different cities" in e for e in tele.hubs[0].evidence)  # cities stay evidence
    assert result.clusters[0].id == tele.id and tele.score > lisa.score


def test_counter_signals_cannot_cancel_a_hub() -> None:
    plain = _cluster_of(_screen(telefonist_ads())[1], 0)
    claims = _cluster_of(_screen(telefonist_ads("Zelfstandig, geen bureau, altijd veilig, reviews, screening."))[1], 0)
    structure = [r for r in plain.reasons if r.startswith("+") and "risk phrases" not in r]
    assert structure and all(r in claims.reasons for r in structure)
    hub_points = sum(float(r.split()[0]) for r in structure)
    assert claims.score >= hub_points


def test_a_contact_beyond_the_group_limit_is_still_reported_as_a_hub() -> None:
    _feats, result = _screen(telefonist_ads(), max_group=4)
    assert [h.contact for h in result.hubs] == [f"phone:{HUB}"]
    hub = result.hubs[0]
    assert hub.linked is False and len(hub.names) == 5
    assert hub.as_dict()["ad_count"] == 5
    # the contact links no ads (their texts still may), and every group they are in shows the hub
    assert len(set(result.contact_cluster)) == 5
    assert {c.id for c in result.clusters} == {f"c{label}" for label in result.cluster}
    assert all(c.hubs == [hub] for c in result.clusters)


def test_a_stated_minor_age_scores_on_its_own_and_beyond_the_phrase_cap() -> None:
    feats = [extract(Ad(id="m", body="Nieuw, zelfstandig, ik ben Mia. Bel 06-1234 7777"))]
    baseline = screen_features(feats, max_group_size=100, movement_window_days=14).ad_scores[0]
    feats[0].indicators.append(IndicatorHit("ad_stated_minor", Span("body", 0, 0, ""), 5.0))
    flagged = screen_features(feats, max_group_size=100, movement_window_days=14).ad_scores[0]
    assert flagged >= baseline + 40


def test_a_template_group_shows_its_shared_text_and_the_words_that_vary() -> None:
    ads = [
        Ad(
            id=f"s{i}",
            title=f"{name} nieuw in de stad",
            body=f"Zij is jong en lief, alleen vandaag in het centrum. Bel 06-1234 200{i}. Prijs 100 per uur.",
            city="Utrecht",
        )
        for i, name in enumerate(["Anna", "Bella", "Carmen"])
    ]
    _feats, result = _screen(ads)
    template = result.clusters[0].as_dict()["template"]
    assert template is not None and template["ads"] == 3
    assert "zij is jong en lief" in template["text"] and "anna" not in template["text"]
    assert {"anna", "bella", "carmen"} <= set(template["slots"])
    # a lone ad has no template to show
    alone = _screen([ads[0]])[1]
    assert all(c.as_dict()["template"] is None for c in alone.clusters)


def test_a_screened_dump_shows_templates_through_the_workers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from signaal.ads.batch import BATCH
    from signaal.ads.synthetic import generate_ads
    from signaal.services.ads import screen_dump
    from signaal.settings import Settings

    dump = tmp_path / "ads.jsonl"
    dump.write_text("".join(json.dumps(a) + "\n" for a in generate_ads(3 * BATCH, seed=3)), encoding="utf-8")
    screen_dump(SCREENER, dump, tmp_path / "out", Settings(), html=True, workers=2)
    clusters = [json.loads(x) for x in (tmp_path / "out" / "clusters.jsonl").read_text().splitlines()]
    shown = [c for c in clusters if c["template"]]
    assert shown and all(c["template"]["text"] and c["template"]["ads"] >= 2 for c in shown)
    assert all(c["template"] is None for c in clusters if c["template_ads"] < 2)
    assert "Gedeelde tekst van" in (tmp_path / "out" / "report.html").read_text()  # Dutch by default


def test_a_minor_age_in_the_age_field_is_scored_and_the_report_still_renders(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from signaal.services.ads import screen_dump
    from signaal.settings import Settings

    rows = [
        {"id": "m1", "body": "Nieuw hier, bel 06-1234 5555", "age": "17", "city": "Utrecht", "synthetic": True},
        {"id": "m2", "body": "Lieve dame, bel 06-1234 5555", "age": "24", "city": "Utrecht", "synthetic": True},
    ]
    dump = tmp_path / "ads.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    screen_dump(SCREENER, dump, tmp_path / "out", Settings(), html=True)
    (cluster,) = [json.loads(x) for x in (tmp_path / "out" / "clusters.jsonl").read_text().splitlines()]
    assert any("ad_stated_minor" in r for r in cluster["reasons"]) and cluster["score"] >= 40
    from signaal.ads.reasons import indicator_label

    html = (tmp_path / "out" / "report.html").read_text()
    assert "ad_stated_minor" not in html and indicator_label("ad_stated_minor", "nl") in html


def test_a_lone_ad_scores_what_a_group_of_one_would() -> None:
    # the short path for ads linked to nothing must give the group figure: phrases less
    # counter-signals (each capped), plus the strong indicators, at most 100
    from signaal.ads.resources import rules
    from signaal.ads.scoring import lone_ad_points, phrase_points, strong_points

    weights = rules()["scoring"]
    strong_id = next(iter(weights["strong_indicators"]))
    span = Span("body", 0, 1, "x")
    cases = [
        [],
        [IndicatorHit("third_person", span, 6.0)],
        [IndicatorHit("third_person", span, 6.0), IndicatorHit("third_person", span, 4.0)],
        [IndicatorHit("available_24_7", span, 5.0), IndicatorHit("independent", span, 8.0, counter=True)],
        [IndicatorHit("independent", span, 9.0, counter=True)],
        [IndicatorHit(strong_id, span, 0.0), IndicatorHit("independent", span, 9.0, counter=True)],
        [IndicatorHit(f"risk_{k}", span, 9.0) for k in range(30)] + [IndicatorHit(strong_id, span, 0.0)],
    ]
    for hits in cases:
        feats = extract(Ad(id="lone", body="(synthetic)"))
        feats.indicators = hits
        plus, minus, _ = phrase_points([feats], weights)
        strong, _ = strong_points([feats], weights)
        assert lone_ad_points(feats, weights) == min(100.0, max(0.0, plus - minus) + strong)
