"""The API description documents Loom's error envelope and the codes each route can answer."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loom.app import create_app
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.web.openapi import ErrorOut, documented_path
from loom.settings import Settings
from loom.testing.databases import fresh_sqlite
from loom.testing.factory import Factory


@pytest.fixture(scope="module")
def spec(
    tmp_path_factory: pytest.TempPathFactory, loom_apps: list[AppSpec], loom_sqlite_template: Path
) -> dict[str, Any]:
    """Return the served description once for the module (reading it changes nothing)."""
    root = tmp_path_factory.mktemp("openapi")
    settings = Settings(
        env="test",
        database_url=fresh_sqlite(loom_sqlite_template, root),
        data_dir=root / "data",
        secret_key=secrets.token_urlsafe(48),
    )
    app = create_app(settings, loom_apps)
    with TestClient(app) as client:
        document: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    app.state.loom.engine.dispose()
    return document


def _codes(spec: dict[str, Any], method: str, path: str) -> set[str]:
    return set(spec["paths"][path][method]["responses"])


def test_every_documented_error_is_the_envelope(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    # FastAPI's {"detail": [...]} shape is never sent, so it is no longer described
    assert "HTTPValidationError" not in schemas
    assert set(schemas["ErrorOut"]["required"]) == {"error"}
    errors = 0
    for item in spec["paths"].values():
        for operation in item.values():
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, code
                    errors += 1
    assert errors > 500  # several per operation across some 300 operations


def test_a_real_validation_error_fits_the_documented_schema(factory: Factory) -> None:
    org = factory.org("acme")
    client = factory.token_client(factory.token(org, ["kernel.token.read"]))
    body = client.get("/api/v1/tokens?offset=-1").json()
    parsed = ErrorOut.model_validate(body)
    assert parsed.error.code == "validation_error"
    details = parsed.error.details
    assert isinstance(details, list)
    assert [f.field for f in details] == ["offset"]


def test_codes_follow_the_route_shape(spec: dict[str, Any]) -> None:
    # guarded, a path parameter, an unsafe method: 401, 403, 404, 409 and the 422 of bad input
    assert {"401", "403", "404", "409", "422"} <= _codes(
        spec, "put", "/api/v1/members/{membership_id}"
    )
    # the unguarded health check answers nothing but 200
    assert _codes(spec, "get", "/api/v1/health") == {"200"}
    # a read-only list without ids: no 404 and no 409
    assert not {"404", "409"} & _codes(spec, "get", "/api/v1/tokens")
    # an app's route answers 404 where the app is disabled, even without a path parameter
    assert "404" in _codes(spec, "get", "/api/v1/masterdata/lines")
    # a body that is not UTF-8 is refused with 400 before any validation
    assert "400" in _codes(spec, "post", "/api/v1/tokens")


def test_typed_path_parameters_keep_their_guard_codes(spec: dict[str, Any]) -> None:
    # /contractor-applications/{application_id:int} was documented without 401/403 before
    assert documented_path("/a/{application_id:int}/b/{x}") == "/a/{application_id}/b/{x}"
    path = "/api/v1/programme/contractor-applications/{application_id}"
    assert {"401", "403", "404"} <= _codes(spec, "get", path)


def test_pages_are_not_in_the_api_description(spec: dict[str, Any]) -> None:
    # the shop floor, quality, scheduling and equipment page routers were listed as API before
    paths = spec["paths"]
    assert [p for p in paths if not p.startswith("/api/v1/")] == []


def test_route_specific_errors_are_declared(spec: dict[str, Any]) -> None:
    # adding an unknown username without a password answers 404
    assert "404" in _codes(spec, "post", "/api/v1/members")
    # batch endpoints refuse an oversized body with 413
    assert "413" in _codes(spec, "post", "/api/v1/shopfloor/events")
    assert "413" in _codes(spec, "post", "/api/v1/ingest/meters")


def test_batch_bodies_document_records_without_requiring_them(spec: dict[str, Any]) -> None:
    # each record is judged on its own and bad ones come back in "rejected" (200), so the
    # request schema may not claim that a batch with a bad record is refused
    paths = spec["paths"]
    for path in ("/api/v1/shopfloor/events", "/api/v1/ingest/telemetry"):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body["type"] == "array"
        assert "type" not in body["items"]
        assert "x-record" in body["items"]
    events = paths["/api/v1/shopfloor/events"]["post"]["requestBody"]["content"]
    assert "id" in events["application/json"]["schema"]["items"]["x-record"]["properties"]
