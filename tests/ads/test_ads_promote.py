"""``--promote`` end to end: screen a small synthetic dump, record a group in a real registry.

Runs on SQLite and PostgreSQL through the ``store`` fixture. Every ad here is synthetic.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ads_fixtures import SCREENER

from signaal.ads.synthetic import generate_ads
from signaal.domain.actor import Actor
from signaal.errors import NotFound
from signaal.services.ads import promote_groups, screen_dump
from signaal.services.signals import get_signal
from signaal.settings import Settings
from signaal.store import Store


def _screen(tmp_path: Path) -> tuple[Path, dict[str, str], list[dict[str, object]]]:
    ads = list(generate_ads(120, seed=11))  # synthetic
    dump = tmp_path / "ads.jsonl"
    dump.write_text("".join(json.dumps(a) + "\n" for a in ads), encoding="utf-8")
    out = tmp_path / "screen"
    screen_dump(SCREENER, dump, out, Settings(), html=False)
    clusters = [json.loads(x) for x in (out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, {str(a["id"]): str(a["url"]) for a in ads}, clusters


def test_promote_records_the_group_with_its_evidence(tmp_path: Path, store: Store, actor: Actor) -> None:
    out, urls, clusters = _screen(tmp_path)
    top = next(c for c in clusters if c["hubs"])
    [signal_id] = promote_groups(store, actor, out, [str(top["id"])])
    signal = get_signal(store, actor, signal_id)
    assert signal.reporter_sector == "platform"
    assert [(f.form, f.set_by) for f in signal.forms] == [("sexual", "suggestion")]
    identifiers = {(i.kind, i.value) for i in signal.identifiers}
    hub_phone = str(top["hubs"][0]["contact"]).split(":", 1)[1]  # type: ignore[index]
    assert ("phone", hub_phone) in identifiers
    ad_urls = {urls[str(a)] for a in top["ads"]}  # type: ignore[attr-defined]
    assert ad_urls and ad_urls <= {v for k, v in identifiers if k == "url"}
    shared = next(i for i in signal.indicators if i.indicator_id == "ad_shared_contact")
    assert hub_phone in shared.words and "different" in shared.words
    assert shared.origin == "suggested"
    assert str(top["id"]) in signal.narrative
    assert signal.source_id is not None and signal.source_id.startswith("ads-screen:")
    assert signal.source_id.endswith(f":{top['id']}")  # the screen's dump, then the group


def test_promote_rejects_an_unknown_group(tmp_path: Path, store: Store, actor: Actor) -> None:
    out, _urls, _clusters = _screen(tmp_path)
    with pytest.raises(NotFound):
        promote_groups(store, actor, out, ["c-none"])
