"""Bad input gets a 4xx with a message naming the field; never a 500, never an HTML 500."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair


def test_malformed_json_is_a_422_envelope(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    response = pair.client_a.post(
        "/api/v1/tokens", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_wrong_types_name_the_field(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    response = pair.client_a.post(
        "/api/v1/tokens", json={"name": "x", "permissions": "kernel.home.view", "days": "soon"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    fields = {d["field"] for d in error["details"]}
    assert fields == {"permissions", "days"}
    assert "days" in error["message"]


def test_non_integer_path_parameter_is_a_422(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    response = pair.client_a.get("/api/v1/tokens/abc")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "token_id"


def test_unknown_api_route_and_method(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    missing = pair.client_a.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = pair.client_a.delete("/api/v1/tokens")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


def test_unknown_page_is_a_friendly_html_404(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    page = pair.client_a.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text


def test_huge_offsets_and_limits_are_validated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert pair.client_a.get("/api/v1/tokens?limit=100000").status_code == 422
    assert pair.client_a.get("/api/v1/tokens?offset=-1").status_code == 422
    page = pair.client_a.get("/api/v1/tokens?offset=1000000").json()
    assert page["items"] == []
    assert page["next_offset"] is None


def test_every_response_carries_a_request_id(anon: TestClient) -> None:
    response = anon.get("/api/v1/health", headers={"X-Request-ID": "probe-123"})
    assert response.json() == {"status": "ok"}
    assert response.headers["X-Request-ID"] == "probe-123"
    generated = anon.get("/api/v1/health").headers["X-Request-ID"]
    assert len(generated) == 32
    hostile = anon.get("/api/v1/health", headers={"X-Request-ID": "a b\x7f" * 40})
    assert hostile.headers["X-Request-ID"] != "a b\x7f" * 40


def test_openapi_document_is_served(anon: TestClient) -> None:
    spec = anon.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Loom"
    assert "/api/v1/tokens" in spec["paths"]
    assert "/login" not in spec["paths"]  # pages are not API
