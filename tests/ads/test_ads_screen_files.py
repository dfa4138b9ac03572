"""A screen's folder: who screened which dump, one group read without the dump, who checked which ad.

Every ad, name and number here is invented (synthetic).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from ads_fixtures import HUB, SCREENER, telefonist_ads

from signaal.ads.model import Ad
from signaal.domain.actor import Actor, Role
from signaal.errors import NotFound
from signaal.services.ads import check_one_ad, screen_dump
from signaal.settings import Settings
from signaal.store.screen_files import ScreenFolder


def _dump(path: Path) -> Path:
    ads = telefonist_ads()
    path.write_text(
        "".join(
            json.dumps({"id": a.id, "title": a.title, "body": a.body, "city": a.city, "posted": a.posted}) + "\n"
            for a in ads
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def screened(tmp_path: Path) -> Path:
    dump = _dump(tmp_path / "dump.jsonl")
    screen_dump(SCREENER, dump, tmp_path / "out", Settings(), html=False, workers=1)
    return tmp_path / "out"


def test_the_folder_says_who_screened_which_dump(screened: Path) -> None:
    manifest = ScreenFolder(screened).manifest()
    assert manifest["screened_by"] == {"user": "moderator", "org": "platform-a", "role": "moderator"}
    dump = screened.parent / "dump.jsonl"
    assert manifest["dump"] == {
        "name": "dump.jsonl",
        "bytes": dump.stat().st_size,
        "sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
    }
    assert manifest["ads"] == 5 and manifest["groups"] == 1 and manifest["hubs"] == 1


def test_one_group_and_its_ads_are_read_without_the_dump(screened: Path) -> None:
    (screened.parent / "dump.jsonl").unlink()
    folder = ScreenFolder(screened)
    [listed] = folder.groups()
    group = folder.group(listed["id"])
    assert group == listed
    ads = folder.group_ads(listed["id"], limit=2)
    assert [line["id"] for line, _text in ads] == ["t0", "t1"]
    assert [text["body"] for _line, text in ads] == [a.body for a in telefonist_ads()[:2]]
    assert all(line["cluster"] == listed["id"] for line, _text in ads)
    with pytest.raises(NotFound):
        folder.group("c-none")


def test_a_check_records_who_checked_which_ad_but_not_its_text(screened: Path) -> None:
    checker = Actor(user="checker", org="platform-b", role=Role.MODERATOR)
    ad = Ad(id="new1", body="Nieuw: Fleur, geheim adres. Bel +31 6 1234 0001")
    result = check_one_ad(checker, screened / "index.json", ad)
    assert [h["contact"] for h in result["known_hubs"]] == [f"phone:{HUB}"]
    [row] = [json.loads(x) for x in (screened / "checks.jsonl").read_text(encoding="utf-8").splitlines()]
    assert row["checked_by"] == {"user": "checker", "org": "platform-b", "role": "moderator"}
    assert row["ad"] == "new1" and row["known_hubs"] == [f"phone:{HUB}"]
    assert "geheim" not in json.dumps(row)
