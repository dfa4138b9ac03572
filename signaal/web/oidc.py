"""Single sign-on with an organisation's OpenID Connect provider (authorisation code flow, PKCE).

The provider is the deployment's own identity provider, named by ``SIGNAAL_OIDC_ISSUER``. At each
sign-in its discovery document and key set are read from the issuer (keys rotate). The ID token
must be signed by a key of that set (RS/ES/PS algorithms, never ``none`` or a shared secret), name
the configured issuer, have signaal's client id as audience, carry the nonce of this sign-in and
not be expired. The user's organisation and role come from configured claims; an organisation not
in ``SIGNAAL_OIDC_ALLOWED_ORGS`` or an unknown role is refused. Every refusal is an
:class:`OidcRefused` with a reason code the login page translates, never a traceback.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

from signaal.domain.actor import Actor, Role
from signaal.settings import Settings

__all__ = ["OidcRefused", "Pending", "authorization_url", "finish", "start"]

#: Asymmetric algorithms accepted for ID tokens (a shared-secret or unsigned token is refused).
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
#: Seconds allowed for clock difference with the provider.
LEEWAY = 60
#: Seconds any call to the provider may take.
TIMEOUT = 10
#: The prefix of user names from single sign-on: never the same as a name in the users file.
NAME_PREFIX = "sso:"


class OidcRefused(Exception):
    """A single sign-on that cannot be accepted; ``reason`` is a code of the login page's texts."""

    def __init__(self, reason: str, detail: str = "", user: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.user = user


@dataclass(frozen=True)
class Pending:
    """What the browser carries (signed) from the redirect to the provider back to the callback."""

    state: str
    nonce: str
    verifier: str
    next: str

    def as_dict(self) -> dict[str, str]:
        """The fields, for the signed cookie."""
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier, "next": self.next}


def _get_json(url: str, data: dict[str, str] | None = None, auth: tuple[str, str] | None = None) -> dict[str, Any]:
    """GET (or POST a form to) the provider and read a JSON object; OidcRefused when it fails."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"accept": "application/json"})
    if auth is not None:
        import base64

        pair = f"{urllib.parse.quote(auth[0], safe='')}:{urllib.parse.quote(auth[1], safe='')}"
        request.add_header("authorization", "Basic " + base64.b64encode(pair.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # the configured issuer only
            value = json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as exc:
        raise OidcRefused("provider", f"{url} answered {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise OidcRefused("provider", f"{url}: {exc}") from None
    if not isinstance(value, dict):
        raise OidcRefused("provider", f"{url} did not answer a JSON object")
    return value


def discover(settings: Settings) -> dict[str, Any]:
    """The provider's discovery document; its issuer must be exactly the configured one."""
    issuer = settings.oidc_issuer or ""
    document = _get_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    if document.get("issuer") != issuer:
        raise OidcRefused("provider", f"discovery names issuer {document.get('issuer')!r}, not {issuer!r}")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise OidcRefused("provider", f"discovery document has no {key}")
    return document


def start(next_path: str) -> Pending:
    """Fresh state, nonce and PKCE verifier for one sign-in."""
    return Pending(generate_token(32), generate_token(32), generate_token(64), next_path)


def authorization_url(settings: Settings, document: dict[str, Any], pending: Pending, redirect_uri: str) -> str:
    """Where to send the browser: the provider's authorisation endpoint with state, nonce and PKCE."""
    query = {
        "response_type": "code",
        "client_id": settings.oidc_client_id or "",
        "redirect_uri": redirect_uri,
        "scope": "openid profile",
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": create_s256_code_challenge(pending.verifier),
        "code_challenge_method": "S256",
    }
    endpoint = str(document["authorization_endpoint"])
    return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode(query)


def finish(
    settings: Settings, pending: Pending, params: dict[str, str], redirect_uri: str, now: int | None = None
) -> Actor:
    """Check the provider's answer, exchange the code, verify the ID token; the signed-in actor."""
    if params.get("error"):
        raise OidcRefused("provider", f"the provider refused: {params['error'][:80]}")
    if not secrets.compare_digest(params.get("state", "").encode(), pending.state.encode()):
        raise OidcRefused("state", "the answer does not belong to a sign-in started here")
    code = params.get("code", "")
    if not code:
        raise OidcRefused("provider", "the answer carries no code")
    document = discover(settings)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": pending.verifier,
        "client_id": settings.oidc_client_id or "",
    }
    secret = settings.oidc_client_secret
    tokens = _get_json(str(document["token_endpoint"]), form, (form["client_id"], secret) if secret else None)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcRefused("token", "the provider's answer has no ID token")
    claims = verify_id_token(settings, id_token, _get_json(str(document["jwks_uri"])), pending.nonce, now)
    return actor_of(settings, claims)


def verify_id_token(
    settings: Settings, id_token: str, jwks: dict[str, Any], nonce: str, now: int | None = None
) -> dict[str, Any]:
    """The claims of an ID token signed by a key of ``jwks`` for this client, issuer and nonce."""
    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
    except (JoseError, ValueError, TypeError) as exc:
        raise OidcRefused("token", f"the ID token's signature does not verify: {exc}") from None
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        now=now if now is not None else int(time.time()),
        leeway=LEEWAY,
        iss={"essential": True, "value": settings.oidc_issuer or ""},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise OidcRefused("expired", str(exc)) from None
    except JoseError as exc:
        raise OidcRefused("token", str(exc)) from None
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.oidc_client_id not in audiences:
        raise OidcRefused("audience", f"the ID token is for {audience!r}")
    if len(audiences) > 1 and claims.get("azp") != settings.oidc_client_id:
        raise OidcRefused("audience", "the ID token has several audiences and another authorised party")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"].encode(), nonce.encode()):
        raise OidcRefused("nonce", "the ID token's nonce is not this sign-in's")
    return claims


def actor_of(settings: Settings, claims: dict[str, Any]) -> Actor:
    """The actor of verified claims: name, and the organisation and role from the configured claims."""
    subject = str(claims.get("preferred_username") or claims["sub"])[:100]
    name = NAME_PREFIX + subject
    org = claims.get(settings.oidc_org_claim)
    if not isinstance(org, str) or org not in settings.oidc_orgs:
        raise OidcRefused("organisation", f"organisation {str(org)[:60]!r} may not sign in here", user=name)
    role = claims.get(settings.oidc_role_claim)
    if role not in {r.value for r in Role}:
        raise OidcRefused("role", f"role {str(role)[:30]!r} is not a signaal role", user=name)
    return Actor(user=name, org=org, role=Role(str(role)))
