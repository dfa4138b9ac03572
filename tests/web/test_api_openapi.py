"""The OpenAPI of the JSON API says what each route returns and how it fails."""

from __future__ import annotations

from typing import Any

from signaal.settings import Settings
from signaal.web import create_app

#: Errors every operation under /api/ declares (the ErrorOut body); the others as they apply:
#: 404 where the path names an object, 413 where there is a body (400 for JSON that does not parse),
#: 409 where a change can be refused.
ALWAYS = ("401", "403", "422", "503")
#: Changes that no stored state can refuse: reading a narrative, starting a screen.
NO_CONFLICT = {("post", "/api/narrative/suggest"), ("post", "/api/ads/jobs")}
#: Operations that name an object in the query rather than the path (the screening job of ?job=).
NAMED_IN_QUERY = {("post", "/api/ads/check")}
#: Answers that are not JSON: a file to download, with its media type (none under /api/ today).
DOWNLOADS: dict[tuple[str, str], str] = {}


def _openapi(settings: Settings) -> dict[str, Any]:
    return create_app(settings).openapi()  # type: ignore[no-any-return]


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, ops in spec["paths"].items()
        if path.startswith("/api/")
        for method, op in ops.items()
    }


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _shapeless(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """True for a schema that says nothing of its fields: a bare object or a dict of anything."""
    schema = _resolve(spec, schema)
    if schema.get("type") == "array":
        return _shapeless(spec, schema.get("items", {}))
    if "anyOf" in schema:
        return any(_shapeless(spec, s) for s in schema["anyOf"] if s.get("type") != "null")
    return not schema or (schema.get("type") == "object" and "properties" not in schema)


def test_every_api_answer_declares_its_fields(settings: Settings) -> None:
    spec = _openapi(settings)
    operations = _operations(spec)
    assert len(operations) >= 35
    assert ("get", "/api/monitor") in operations and ("get", "/api/networks") in operations
    missing = []
    for (method, path), op in operations.items():
        answers = {code: r for code, r in op["responses"].items() if code.startswith("2")}
        assert answers, (method, path)
        for code, answer in answers.items():
            content = answer.get("content", {})
            if code == "204":
                assert not content, (method, path)
            elif (method, path) in DOWNLOADS:
                assert set(content) == {DOWNLOADS[method, path]}, (method, path)
            elif "application/json" not in content or _shapeless(spec, content["application/json"]["schema"]):
                missing.append(f"{method.upper()} {path} {code}")
    assert not missing, "answers without a model: " + ", ".join(missing)


def _expected_errors(method: str, path: str, op: dict[str, Any]) -> set[str]:
    expected = set(ALWAYS)
    if "{" in path or (method, path) in NAMED_IN_QUERY:
        expected.add("404")
    if "requestBody" in op:
        expected.add("413")
        if "application/json" in op["requestBody"]["content"]:
            expected.add("400")  # a body that does not parse
    if method == "post" and (method, path) not in NO_CONFLICT:
        expected.add("409")
    if path == "/api/narrative/suggest":
        expected.add("429")
    return expected


def test_every_api_route_declares_its_error_responses(settings: Settings) -> None:
    spec = _openapi(settings)
    for (method, path), op in _operations(spec).items():
        declared = {code for code in op["responses"] if not code.startswith("2")}
        assert declared == _expected_errors(method, path, op), (method, path)
        for status in declared:
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"error", "status", "problems"} and error["additionalProperties"] is False
    get_me = spec["paths"]["/api/me"]["get"]["responses"]
    assert "404" not in get_me and "409" not in get_me  # names nothing, changes nothing


def test_the_ad_check_and_the_signal_routes_declare_their_answers(settings: Settings) -> None:
    spec = _openapi(settings)
    paths = spec["paths"]

    def answer(path: str, method: str, status: str = "200") -> Any:
        return paths[path][method]["responses"][status]["content"]["application/json"]["schema"]

    assert answer("/api/ads/check", "post") == {"$ref": "#/components/schemas/AdCheckOut"}
    assert answer("/api/signals", "post", "201") == {"$ref": "#/components/schemas/SignalPublic"}
    assert answer("/api/me", "get") == {"$ref": "#/components/schemas/MeOut"}
    assert answer("/api/signals/{signal_id}/history", "get")["items"]["$ref"].endswith("/EventPublic")
    assert answer("/api/signals", "get") == {"$ref": "#/components/schemas/WorklistOut"}
    assert answer("/api/signals/{signal_id}", "get") == {"$ref": "#/components/schemas/SignalPageOut"}
    check = spec["components"]["schemas"]["AdCheckOut"]["properties"]
    assert {"known_hubs", "known_clusters", "template_clusters", "score", "reasons"} <= set(check)
    page = spec["components"]["schemas"]["SignalPageOut"]
    assert page["properties"]["referrals"]["items"]["$ref"].endswith("/ReferralOut")
    # a field the model does not declare is refused, so the schema says no other field is sent
    for name in ("SignalPageOut", "WorklistOut", "ShelterBoardOut", "MonitorOut", "NetworkOut", "AdCheckOut"):
        assert spec["components"]["schemas"][name]["additionalProperties"] is False, name


def test_an_error_answer_has_the_declared_body(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from signaal.web.api_models import ErrorOut

    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)) as client:
        missing = client.get("/api/signals/000000000000")
        refused = client.post("/api/signals", json={"reporter_org": ""})
    assert missing.status_code == 404 and ErrorOut.model_validate(missing.json()).status == 404
    body = ErrorOut.model_validate(refused.json())
    assert refused.status_code == 422 and body.problems and all(p.field for p in body.problems)
