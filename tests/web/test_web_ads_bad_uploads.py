"""Every bad upload of an ad file is refused or fails in the reader's language, naming the uploaded
file, with the form kept and never a traceback (all files here are small and synthetic)."""

from __future__ import annotations

import html
import io
import time
import zipfile

import pytest
from fastapi.testclient import TestClient
from language_check import assert_language


def _not_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hallo.txt", "synthetisch: dit is geen werkmap")
    return out.getvalue()


# name, content: refused on the form itself (422)
REFUSED = [
    ("leeg.csv", b""),
    ("alleen-spaties.csv", b"   \n  \n"),
    ("foto.png", b"\x89PNG\r\n\x1a\n synthetisch"),
    ("zonder-extensie", b"id,title\n1,x\n"),
    ("latin1.csv", "id,title,body\n1,Café,één twee\n".encode("latin-1")),
    ("kapot.xlsx", b"PK\x03\x04 synthetisch, geen echte werkmap"),
    ("map-zonder-blad.xlsx", _not_a_workbook()),
    ("zonder-tekstkolom.csv", b"kenmerk;stad\n1;Utrecht\n"),
]

# name, content: accepted on the form, then the screening itself fails (told on the job page)
FAILED_LATER = [
    ("kapotte-regels.jsonl", b'{"id": 1, "title": \n[1, 2]\n"tekst"\n'),
    ("lege-advertenties.csv", b"id,title,body\n1,,\n2,,\n"),
    ("alleen-kop.csv", b"id,title,body\n"),
]


def _post(client: TestClient, token: str, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        "/ads",
        data={"csrf_token": token, "region": "NL"},
        files={"dump": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("name", "content"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_file_is_refused_on_the_form_naming_it(
    client: TestClient, token: str, lang: str, name: str, content: bytes
) -> None:
    client.get(f"/lang/{lang}?next=/ads")
    response = _post(client, token, name, content)
    assert response.status_code == 422, response.text[:500]
    page = html.unescape(response.text)
    assert name in page and "Traceback" not in page and 'id="err-dump"' in page
    assert_language(response.text, lang, name)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("name", "content"), FAILED_LATER, ids=[r[0] for r in FAILED_LATER])
def test_a_file_without_a_readable_ad_fails_in_the_readers_language(
    client: TestClient, token: str, lang: str, name: str, content: bytes
) -> None:
    client.get(f"/lang/{lang}?next=/ads")
    response = _post(client, token, name, content)
    if response.status_code == 422:  # found out on the form already: as good
        page = html.unescape(response.text)
        assert name in page and "Traceback" not in page
        assert_language(response.text, lang, name)
        return
    assert response.status_code == 303
    job = response.headers["location"]
    for _ in range(600):
        if client.get(f"/api{job}").json()["job"]["finished"]:
            break
        time.sleep(0.05)
    page = client.get(job).text
    assert name in html.unescape(page) and "Traceback" not in page and 'role="alert"' in page
    assert_language(page, lang, name)
