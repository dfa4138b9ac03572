"""A small, synthetic OpenID Connect provider for the single sign-on tests, served on a local port.

It has its own RSA key, a discovery document, a key set, an authorisation endpoint that signs in
one configured synthetic user at once (no login form), and a token endpoint that checks the code,
the redirect URI, the client's secret and the PKCE verifier before it issues a signed ID token.
``Provider.tweaks`` bends the next ID token (another nonce, audience, expiry, organisation, key)
so the tests can see each refusal.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

__all__ = ["CLIENT_ID", "CLIENT_SECRET", "Provider", "serve_provider"]

CLIENT_ID = "signaal-synthetic"
CLIENT_SECRET = "synthetic-client-secret-0123456789"


@dataclass
class Provider:
    """The provider's state: its key, the user it signs in, codes issued, and the tweaks."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "synthetic-1"}))
    claims: dict[str, Any] = field(
        default_factory=lambda: {
            "sub": "synthetic-subject-1",
            "preferred_username": "j.synthetic",
            "organisation": "org-a",
            "signaal_role": "coordinator",
        }
    )
    tweaks: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: int = 0

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        claims.update(self.tweaks.get("claims", {}))
        key = self.tweaks.get("key", self.key)
        return jwt.encode({"alg": "RS256", "kid": "synthetic-1"}, claims, key)


def provider_app(provider: Provider) -> FastAPI:
    """The provider's routes."""
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        return {
            "issuer": provider.issuer,
            "authorization_endpoint": f"{provider.issuer}/authorize",
            "token_endpoint": f"{provider.issuer}/token",
            "jwks_uri": f"{provider.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return {"keys": [provider.key.as_dict(private=False)]}

    @app.get("/authorize")
    def authorize(request: Request) -> RedirectResponse:
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
            raise HTTPException(400, "bad authorisation request")
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {
            "challenge": q["code_challenge"],
            "nonce": q["nonce"],
            "redirect_uri": q["redirect_uri"],
        }
        return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}", 302)

    @app.post("/token")
    def token(
        request: Request,
        grant_type: str = Form(...),
        code: str = Form(...),
        redirect_uri: str = Form(...),
        code_verifier: str = Form(...),
    ) -> JSONResponse:
        provider.token_requests += 1
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return JSONResponse({"error": "invalid_client"}, 401)
        issued = provider.codes.pop(code, None)
        digest = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
        if grant_type != "authorization_code" or issued is None or issued["redirect_uri"] != redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, 400)
        if digest != issued["challenge"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        nonce = provider.tweaks.get("nonce", issued["nonce"])
        return JSONResponse({"access_token": "synthetic", "token_type": "Bearer", "id_token": provider.id_token(nonce)})

    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_provider() -> tuple[Provider, uvicorn.Server, threading.Thread]:
    """Start the provider on a free local port in a thread; returns it with its server and thread."""
    port = _free_port()
    provider = Provider(issuer=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(provider_app(provider), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    return provider, server, thread
