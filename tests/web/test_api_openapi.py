"""The OpenAPI of the JSON API says what each route returns and how it fails."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from signaal.settings import Settings
from signaal.web import api, create_app


def _openapi(settings: Settings) -> dict[str, Any]:
    return create_app(settings).openapi()  # type: ignore[no-any-return]


def test_every_api_route_declares_its_error_responses(settings: Settings) -> None:
    paths = _openapi(settings)["paths"]
    ours = {route.path for route in api.router.routes if isinstance(route, APIRoute)}
    routes = {(path, method): op for path, ops in paths.items() if path in ours for method, op in ops.items()}
    assert len(routes) >= 25
    for (path, method), op in routes.items():
        for status in ("404", "409", "422"):
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


def test_the_ad_check_and_the_signal_routes_declare_their_answers(settings: Settings) -> None:
    spec = _openapi(settings)
    paths = spec["paths"]

    def answer(path: str, method: str, status: str = "200") -> Any:
        return paths[path][method]["responses"][status]["content"]["application/json"]["schema"]

    assert answer("/api/ads/check", "post") == {"$ref": "#/components/schemas/AdCheckOut"}
    assert answer("/api/signals", "post", "201") == {"$ref": "#/components/schemas/SignalPublic"}
    assert answer("/api/me", "get") == {"$ref": "#/components/schemas/MeOut"}
    assert answer("/api/signals/{signal_id}/history", "get")["items"]["$ref"].endswith("/EventPublic")
    check = spec["components"]["schemas"]["AdCheckOut"]["properties"]
    assert {"known_hubs", "known_clusters", "template_clusters", "score", "reasons"} <= set(check)
