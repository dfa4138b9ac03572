"""Grouping rules of ad screening on small synthetic ads (every ad and number here is invented)."""

from __future__ import annotations

import collections
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from ads_fixtures import SCREENER

from signaal.ads.contacts import find_handles
from signaal.ads.extract import extract, parse_posted
from signaal.ads.grouping import UnionFind, centre_clusters
from signaal.ads.model import Ad
from signaal.ads.screen import screen_features
from signaal.ads.synthetic import generate_ads
from signaal.ads.textsim import estimated_similarity, jaccard, minhash, shingle_sets, token_hashes
from signaal.services.ads import screen_ads, screen_dump
from signaal.settings import Settings

OWN_A, OWN_B, LINE = "0612340011", "0612340022", "0612340099"  # fictitious


def _screen(ads: list[Ad]):  # type: ignore[no-untyped-def]
    feats = [extract(a) for a in ads]
    return feats, screen_features(feats, max_group_size=100, movement_window_days=14)


def test_a_number_in_the_text_beside_another_field_number_is_co_listed_not_own() -> None:
    # synthetic: two advertisers with their own field numbers both name the same "app only" line
    ads = [
        Ad(id="a", body=f"Hoi ik ben Anna. Alleen app: {LINE}", city="Utrecht", phones=(OWN_A,)),
        Ad(id="b", body=f"Hoi ik ben Bella. Alleen app: {LINE}", city="Breda", phones=(OWN_B,)),
        Ad(id="c", body=f"Hoi ik ben Carmen. Alleen app: {LINE}", city="Zwolle", phones=(OWN_B,)),
    ]
    feats, result = _screen(ads)
    assert [c.own for c in feats[0].contacts if c.key == "phone:+31612340099"] == [False]
    assert feats[0].own_keys == ["phone:+31612340011"]
    # contact groups follow the own numbers only: b and c share one, a stands alone
    assert result.contact_cluster[1] == result.contact_cluster[2] != result.contact_cluster[0]
    hub = next(h for h in result.hubs if h.contact == "phone:+31612340099")
    assert sorted(hub.ads) == ["a", "b", "c"] and len(hub.clusters) == 2
    assert hub.role == "text_only_beside_call_numbers"
    # the hub is reported on every group it touches, with its evidence
    for cluster_id in hub.clusters:
        cluster = next(c for c in result.clusters if c.id == cluster_id)
        assert hub in cluster.hubs and cluster.score > 0


def test_without_a_contact_field_the_numbers_in_the_text_are_own() -> None:
    ads = [Ad(id=str(i), body=f"Nieuw! Bel {LINE}", city=city) for i, city in enumerate(["Utrecht", "Breda"])]
    _feats, result = _screen(ads)
    assert result.contact_cluster[0] == result.contact_cluster[1]


def test_centre_clusters_do_not_chain_where_union_find_does() -> None:
    # 0~1, 1~2, 2~3: a chain. Components join all four; centres keep each member next to its centre.
    left, right = [0, 1, 2], [1, 2, 3]
    assert len(set(UnionFind().components(4, zip(left, right, strict=True)))) == 1
    labels = centre_clusters(4, left, right)
    members = collections.defaultdict(list)
    for node, label in enumerate(labels):
        members[label].append(node)
    linked = set(zip(left, right, strict=True)) | set(zip(right, left, strict=True))
    for group in members.values():
        # some member is linked to every other member of its cluster: the centre
        assert len(group) == 1 or any(all((c, m) in linked for m in group if m != c) for c in group)
    assert len(members) >= 2


def test_centre_clusters_cap_the_size() -> None:
    labels = centre_clusters(6, [0, 0, 0, 0, 0], [1, 2, 3, 4, 5], max_size=3)
    assert max(collections.Counter(labels).values()) == 3


def test_exact_jaccard_and_estimate_agree_with_sets() -> None:
    rng = np.random.default_rng(1)
    texts = [" ".join(rng.choice(["lief", "nieuw", "stad", "bel", "nu", "jong", "zij", "is"], 30)) for _ in range(6)]
    tokens = [token_hashes(t) for t in texts]
    sh = shingle_sets(tokens, 3)
    left = np.array([a for a, _ in itertools.combinations(range(6), 2)], dtype=np.int64)
    right = np.array([b for _, b in itertools.combinations(range(6), 2)], dtype=np.int64)
    exact = jaccard(sh, left, right)
    for k, (a, b) in enumerate(zip(left, right, strict=True)):
        sa = set(sh.values[sh.offsets[a] : sh.offsets[a + 1]].tolist())
        sb = set(sh.values[sh.offsets[b] : sh.offsets[b + 1]].tolist())
        assert exact[k] == pytest.approx(len(sa & sb) / len(sa | sb))
    estimate = estimated_similarity(minhash(sh, 256), left, right)
    assert np.abs(estimate - exact).max() < 0.2


def test_short_texts_get_one_shingle_and_empty_texts_none() -> None:
    sh = shingle_sets([token_hashes("hallo daar"), token_hashes("")], 3)
    assert list(sh.sizes()) == [1, 0]


def test_near_duplicate_texts_with_other_names_share_a_template() -> None:
    body = (
        "Nieuw in de stad, {n} is net aangekomen en heel lief, zij ontvangt je graag in een "
        "rustig appartement vlakbij het station, discreet en schoon, alleen deze week."
    )
    ads = [Ad(id=n, body=body.format(n=n), city="Utrecht") for n in ("Anna", "Bella", "Carmen")]
    ads.append(Ad(id="other", body="Hoi, ik ben Lisa, zelfstandig, ik werk alleen op afspraak en altijd veilig."))
    _feats, result = _screen(ads)
    assert len({result.template_cluster[i] for i in range(3)}) == 1
    assert result.template_cluster[3] != result.template_cluster[0]


def test_snap_chat_and_insta_model_are_no_handles() -> None:
    assert find_handles("add me on snap chat") == []
    assert find_handles("insta model, sweet") == []
    assert [h.value for h in find_handles("snapchat: lisa_nl")] == ["lisa_nl"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Tue 18 Jul 2017 02:29 PM", "2017-07-18"), ("2024-03-01", "2024-03-01"), ("31 Feb 2017", None), ("", None)],
)
def test_posting_dates(text: str, expected: str | None) -> None:
    parsed = parse_posted(text)
    assert (parsed.isoformat() if parsed else None) == expected


def test_two_workers_give_the_same_groups_as_one() -> None:
    ads = [
        Ad(id=a["id"], title=a["title"], body=a["body"], city=a["city"], posted=a["posted"], phones=tuple(a["phones"]))
        for a in generate_ads(2600, seed=5)
    ]
    _, one = screen_ads(SCREENER, ads, Settings(), workers=1)
    _, two = screen_ads(SCREENER, ads, Settings(), workers=2)
    assert one.cluster == two.cluster and one.template_cluster == two.template_cluster


def test_the_screen_finds_the_planted_telefonist_groups(tmp_path: Path) -> None:
    ads = list(generate_ads(400, seed=2026))  # synthetic
    planted: dict[str, set[str]] = collections.defaultdict(set)
    for ad in ads:
        if "telefonist" in ad:
            planted[ad["telefonist"]].add(ad["id"])
    dump = tmp_path / "ads.jsonl"
    dump.write_text("".join(json.dumps(a) + "\n" for a in ads), encoding="utf-8")
    summary = screen_dump(SCREENER, dump, tmp_path / "out", Settings(), html=False)
    lines = [json.loads(x) for x in (tmp_path / "out" / "ads.jsonl").read_text(encoding="utf-8").splitlines()]
    cluster_of = {line["id"]: line["cluster"] for line in lines}
    members: dict[str, set[str]] = collections.defaultdict(set)
    for line in lines:
        members[line["cluster"]].add(line["id"])
    clusters = {c["id"]: c for c in map(json.loads, (tmp_path / "out" / "clusters.jsonl").open(encoding="utf-8"))}
    assert len(planted) >= 5 and summary.hubs >= len(planted)
    for ids in planted.values():
        found = {cluster_of[i] for i in ids}
        assert len(found) == 1
        label = found.pop()
        assert members[label] == ids
        assert clusters[label]["hubs"] and clusters[label]["score"] >= 40


def test_cli_counts_records_for_the_progress_bar_and_rejects_negative_workers(tmp_path: Path) -> None:
    from signaal.cli import main
    from signaal.cli.ads import _count_records

    dump = tmp_path / "ads.jsonl"
    rows = [{"id": a["id"], "body": a["body"], "synthetic": True} for a in generate_ads(7, seed=3)]
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert _count_records(dump) == 7
    assert main(["ads", "screen", str(dump), "--out", str(tmp_path / "o"), "--workers", "-1"]) == 2
    assert main(["ads", "screen", str(dump), "--out", str(tmp_path / "o"), "--workers", "1", "--no-report"]) == 0
    assert not (tmp_path / "o" / "report.html").exists()


def test_a_field_number_that_is_no_valid_number_still_groups_its_ads() -> None:
    # synthetic: a North-American field value starting with 1 reads as no valid number
    ads = [
        Ad(id=str(i), body=f"new in town, call 416 555 01{i}{i}", city=city, phones=("1312345678",))
        for i, city in enumerate(["Toronto", "Ottawa"])
    ]
    feats = [extract(a, "CA") for a in ads]
    _, result = (feats, screen_features(feats, max_group_size=100, movement_window_days=14))
    assert feats[0].own_keys == ["phone:1312345678"]
    assert result.contact_cluster[0] == result.contact_cluster[1]


def test_a_copy_of_any_template_member_is_recognised_at_posting_time() -> None:
    """Members are like the centre, not like each other: the index keeps the centre (synthetic)."""
    from signaal.ads.check import build_index, check_ad

    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [f"w{a}{b}" for a in letters[:5] for b in letters[:5]][:24]  # distinct words, no digits
    other = [f"x{a}{b}" for a in letters[:4] for b in letters[:4]]
    centre = " ".join(words)
    # two members, each like the centre but not like each other
    left_side = " ".join(words[:17] + other[:7])
    right_side = " ".join(other[8:15] + words[7:])
    texts = [left_side, centre, right_side]  # the centre is not the smallest member (the label)
    ads = [Ad(id=f"a{i}", body=t, phones=(f"06-1234 100{i}",)) for i, t in enumerate(texts)]
    feats = [extract(a) for a in ads]
    sh = shingle_sets([f.tokens for f in feats], 3)  # type: ignore[misc]
    pair = lambda a, b: float(jaccard(sh, np.array([a]), np.array([b]))[0])  # noqa: E731
    assert pair(0, 1) >= 0.45 and pair(1, 2) >= 0.45 and pair(0, 2) < 0.45
    result = screen_features(feats, max_group_size=100, movement_window_days=14)
    assert len(set(result.template_cluster)) == 1
    index = build_index(feats, result)
    for i, text in enumerate(texts):
        found = check_ad(index, Ad(id=f"new{i}", body=text, phones=("06-1234 9000",)))
        assert found["template_clusters"] == [f"c{result.cluster[0]}"], i


def test_token_hashes_are_the_crc32_of_each_word_in_ascii_and_in_other_text() -> None:
    # the ASCII short path must cut words exactly where the general word pattern does:
    # underscores, control characters and punctuation split, letters and digits do not
    import random
    import zlib

    from signaal.ads.textsim import template_words, token_hashes

    rng = random.Random(5)
    alphabet = [chr(i) for i in range(128)] + ["é", "ß", "ı", "💋", "\u00a0", "٣"]
    texts = ["", "a_b c-d e.f\tg\x1ch", "Lisa 0 bel__0", "crème brûlée"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(400)]
    for text in texts:
        expected = [zlib.crc32(w.encode()) for w in template_words(text)]
        assert token_hashes(text).tolist() == expected, text
