"""The contact directory page: sources and dates shown, "nummer onbekend" where no number is public, and an
admin loading the organisation's own file — validated whole, nothing written on an error. Entries are synthetic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from language_check import assert_language
from web_fixtures import csrf_token

from signaal.settings import Settings
from signaal.web import create_app

OWN = b"""# synthetic regional list
regional:
  zorgcoordinator:
    by: care_region
    entries:
      utrecht: {name: "Zorgco\xc3\xb6rdinator Utrecht (synthetisch)", phone: 030-0000000, source: synthetic, checked: 2026-11-30}
"""


@pytest.fixture
def admin(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """A client of an admin, with a place for the organisation's own directory file."""
    own = settings.model_copy(update={"role": "admin", "directory_file": tmp_path / "own" / "directory.yaml"})
    with TestClient(create_app(own), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50002)) as test_client:
        yield test_client


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_directory_shows_sources_dates_and_unknown_numbers(client: TestClient, lang: str) -> None:
    client.get(f"/lang/{lang}?next=/directory")
    page = client.get("/directory")
    assert page.status_code == 200
    assert_language(page.text, lang, "directory")
    assert ("nummer onbekend" if lang == "nl" else "number unknown") in page.text
    assert "14 0xx" not in page.text and "comensha.nl" in page.text
    assert 'name="file"' not in page.text  # only an admin loads a list


def test_an_admin_loads_the_organisations_own_list(admin: TestClient, tmp_path: Path) -> None:
    token = csrf_token(admin, "/directory")
    sent = admin.post(
        "/directory", data={"csrf_token": token}, files={"file": ("onze-lijst.yaml", OWN, "text/yaml")}
    )
    assert sent.status_code == 200 and "De eigen lijst is geladen" in sent.text
    assert (tmp_path / "own" / "directory.yaml").read_bytes() == OWN
    assert "030-0000000" in admin.get("/directory").text


def test_a_bad_list_is_refused_whole_naming_the_file(admin: TestClient, tmp_path: Path) -> None:
    token = csrf_token(admin, "/directory")
    bad = OWN.replace(b"030-0000000", b'"14 0xx"')
    sent = admin.post("/directory", data={"csrf_token": token}, files={"file": ("onze-lijst.yaml", bad, "text/yaml")})
    assert sent.status_code == 422
    assert "onze-lijst.yaml" in sent.text and "Er is niets veranderd" in sent.text
    assert not (tmp_path / "own" / "directory.yaml").exists()
    broken = admin.post(
        "/directory", data={"csrf_token": token}, files={"file": ("kapot.yaml", b"regional: [", "text/yaml")}
    )
    assert broken.status_code == 422 and "kapot.yaml" in broken.text and "regel" in broken.text
