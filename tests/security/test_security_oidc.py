"""Single sign-on against a real (small, synthetic) OpenID Connect provider on a local port.

The provider signs its ID tokens with its own RSA key and publishes the key set; signaal fetches
discovery and keys from it at sign-in, exchanges the code with PKCE, and checks state, nonce,
audience, expiry, signature and organisation. Every refusal is a page with a clear message and an
audit record, never a traceback and never a session. All users and claims are synthetic.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sec_fixtures import STRONG_SECRET, login, write_users
from sqlalchemy import text

from signaal.settings import Settings
from signaal.web import create_app
from signaal.web.auth import SESSION_COOKIE

pytest.importorskip("authlib", reason="authlib is in the web extra: pip install -e '.[web]'")
from joserfc.jwk import RSAKey
from oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, serve_provider

pytestmark = pytest.mark.storage


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    served, server, thread = serve_provider()
    yield served
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(settings: Settings, tmp_path: Path, provider: Provider) -> Iterator[TestClient]:
    provider.tweaks.clear()
    sso = settings.model_copy(
        update={
            "auth_users_file": write_users(tmp_path / "users.yaml"),
            "secret_key": STRONG_SECRET,
            "oidc_issuer": provider.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_allowed_orgs": "org-a, org-b",
        }
    )
    with TestClient(create_app(sso), base_url="https://testserver") as c:
        yield c


def _to_provider(client: TestClient) -> str:
    start = client.get("/login/oidc?next=/signals/abc", follow_redirects=False)
    assert start.status_code == 303
    return start.headers["location"]


def _back_from_provider(location: str) -> str:
    answer = httpx.get(location, follow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert back.path == "/login/oidc/callback"
    return f"{back.path}?{back.query}"


def _sign_in(client: TestClient) -> httpx.Response:
    return client.get(_back_from_provider(_to_provider(client)), follow_redirects=False)


def _actions(client: TestClient) -> list[tuple[str, str]]:
    store = client.app.state.signaal.store  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(text("SELECT action, actor_user FROM audit_log ORDER BY seq"))]


def _refused(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status
    assert words in response.text
    assert "Traceback" not in response.text and SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_the_authorisation_request_carries_state_nonce_and_pkce(client: TestClient) -> None:
    query = parse_qs(urlsplit(_to_provider(client)).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert all(len(query[k][0]) >= 32 for k in ("state", "nonce", "code_challenge"))
    assert query["redirect_uri"] == ["https://testserver/login/oidc/callback"]


def test_a_user_of_an_allowed_organisation_signs_in_with_a_server_side_session(
    client: TestClient, provider: Provider
) -> None:
    answer = _sign_in(client)
    assert answer.status_code == 303 and answer.headers["location"] == "/signals/abc"
    me = client.get("/api/me").json()
    assert me == {"user": "sso:j.synthetic", "org": "org-a", "role": "coordinator"}
    assert ("login", "sso:j.synthetic") in _actions(client)
    store = client.app.state.signaal.store  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM web_sessions WHERE user_name = 'sso:j.synthetic'")).scalar() == 1
    admin = TestClient(client.app, base_url="https://testserver")
    assert login(admin, "admin-a").status_code == 303
    page = admin.get("/admin/sessions").text
    assert "sso:j.synthetic" in page and "single sign-on" in page and "bij de identiteitsprovider" in page


def test_a_bad_state_is_refused(client: TestClient) -> None:
    path = _back_from_provider(_to_provider(client))
    query = parse_qs(urlsplit(path).query)
    forged = f"/login/oidc/callback?{urlencode({'code': query['code'][0], 'state': 'forged-state'})}"
    _refused(client.get(forged, follow_redirects=False), 400, "Begin opnieuw")
    assert client.get("/api/me").status_code == 401


def test_an_answer_without_a_sign_in_started_in_this_browser_is_refused(client: TestClient) -> None:
    path = _back_from_provider(_to_provider(client))
    stranger = TestClient(client.app, base_url="https://testserver")
    _refused(stranger.get(path, follow_redirects=False), 400, "niet bij een aanmelding")


@pytest.mark.parametrize(
    ("tweak", "words"),
    [
        ({"nonce": "another-sign-in"}, "hoort niet bij deze aanmelding"),
        ({"claims": {"aud": "another-client"}}, "niet voor deze toepassing"),
        ({"claims": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}}, "verlopen"),
        ({"claims": {"organisation": "org-unknown"}}, "Uw organisatie heeft geen toegang"),
        ({"claims": {"signaal_role": "superuser"}}, "geen rol in deze registratie"),
        ({"key": RSAKey.generate_key(2048, parameters={"kid": "synthetic-1"})}, "niet worden gecontroleerd"),
    ],
    ids=["wrong-nonce", "wrong-audience", "expired", "unknown-organisation", "unknown-role", "foreign-key"],
)
def test_a_bad_id_token_is_refused_clearly(
    client: TestClient, provider: Provider, tweak: dict[str, object], words: str
) -> None:
    provider.tweaks.update(tweak)
    _refused(_sign_in(client), 403, words)
    assert client.get("/api/me").status_code == 401
    assert [a for a in _actions(client) if a[0] == "login_refused"]
    assert not [a for a in _actions(client) if a[0] == "login"]


def test_a_refusal_reads_in_english_too(client: TestClient, provider: Provider) -> None:
    client.get("/lang/en")
    provider.tweaks.update({"claims": {"organisation": "org-unknown"}})
    _refused(_sign_in(client), 403, "Your organisation has no access")


def test_a_locked_single_sign_on_account_is_refused(client: TestClient) -> None:
    from signaal.services import accounts

    store = client.app.state.signaal.store  # type: ignore[attr-defined]
    accounts.sign_in_failed(store, "sso:j.synthetic", 1, "synthetic")
    _refused(_sign_in(client), 403, "geblokkeerd")


def test_a_provider_that_refuses_or_is_gone_gives_a_message(client: TestClient) -> None:
    path = _back_from_provider(_to_provider(client))
    state = parse_qs(urlsplit(path).query)["state"][0]
    denied = client.get(f"/login/oidc/callback?{urlencode({'error': 'access_denied', 'state': state})}")
    _refused(denied, 403, "identiteitsprovider")


def test_single_sign_on_alone_is_multi_user_mode(settings: Settings, provider: Provider) -> None:
    provider.tweaks.clear()
    sso_only = settings.model_copy(
        update={
            "secret_key": STRONG_SECRET,
            "oidc_issuer": provider.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_allowed_orgs": "org-b",
        }
    )
    provider.tweaks.update({"claims": {"organisation": "org-b", "signaal_role": "reporter"}})
    with TestClient(create_app(sso_only), base_url="https://testserver") as client:
        assert client.get("/api/me").status_code == 401
        page = client.get("/login").text
        assert 'href="/login/oidc' in page and 'name="password"' not in page
        assert _sign_in(client).status_code == 303
        assert client.get("/api/me").json() == {"user": "sso:j.synthetic", "org": "org-b", "role": "reporter"}


def test_the_command_line_does_not_act_as_the_local_account_under_single_sign_on(
    settings: Settings, provider: Provider
) -> None:
    from signaal.cli.context import actor
    from signaal.errors import Forbidden

    sso_only = settings.model_copy(update={"oidc_issuer": provider.issuer, "oidc_client_id": CLIENT_ID})
    with pytest.raises(Forbidden, match="users file"):
        actor(sso_only)


def test_an_issuer_over_plain_http_elsewhere_is_refused() -> None:
    from signaal.errors import ConfigError
    from signaal.settings import load_settings

    with pytest.raises(ConfigError, match="https"):
        load_settings(oidc_issuer="http://idp.example.org", oidc_client_id=CLIENT_ID)
