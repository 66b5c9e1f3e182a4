"""JSON bodies refuse true/false in integer fields and text in id fields, naming the field."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi.testclient import TestClient
from pydantic import Field, ValidationError

from loom.kernel.web.inputs import ApiIn, is_id_field
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair


class Body(ApiIn):
    line_id: Annotated[int, Field(ge=1)] | None = None
    qty: int = 0
    order_ids: list[int] = []
    sizes: dict[str, int] = {}
    active: bool = True
    note: str | int = ""


def _refused(body: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        Body.model_validate(body)
    return [(e["loc"], e["type"]) for e in caught.value.errors()]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"line_id": True}, "line_id"),
        ({"line_id": "12"}, "line_id"),  # an id as text
        ({"qty": False}, "qty"),
        ({"order_ids": [3, True]}, "order_ids"),
        ({"order_ids": ["3"]}, "order_ids"),
        ({"sizes": {"M": True}}, "sizes"),
    ],
)
def test_booleans_and_text_ids_are_refused(body: dict[str, Any], field: str) -> None:
    assert _refused(body) == [((field,), "int_type")]


def test_numbers_and_other_fields_pass_as_before() -> None:
    found = Body.model_validate(
        {"line_id": 3, "qty": "12", "order_ids": [1, 2], "sizes": {"M": 4}, "active": 1}
    )
    # a count as text is still lax (only ids are strict); bool fields keep pydantic's rules
    assert (found.line_id, found.qty, found.order_ids, found.sizes) == (3, 12, [1, 2], {"M": 4})
    assert found.active is True
    assert Body.model_validate({"note": "true"}).note == "true"  # the union admits text
    assert Body.model_validate({"line_id": None}).line_id is None
    assert _refused({"line_id": 0}) == [(("line_id",), "greater_than_equal")]


def test_id_fields_are_named_by_their_suffix() -> None:
    assert [is_id_field(n) for n in ("id", "line_id", "order_ids", "idle", "paid")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def _fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [d["field"] for d in response.json()["error"]["details"]]


def _operators(client: TestClient) -> list[str]:
    listed = client.get("/api/v1/masterdata/operators")
    assert listed.status_code == 200, listed.text
    return [row["code"] for row in listed.json()["items"]]


def test_api_routes_answer_422_naming_the_field(factory: Factory) -> None:
    client = make_tenant_pair(factory).client_a
    token = {"name": "x", "permissions": ["kernel.home.view"]}
    assert _fields(client.post("/api/v1/tokens", json={**token, "days": True})) == ["days"]
    assert client.post("/api/v1/tokens", json={**token, "days": 9}).status_code == 201

    line = client.post(
        "/api/v1/masterdata/lines", json={"code": "L1", "name": "一线", "shift_minutes": 480}
    )
    assert line.status_code == 201, line.text
    line_id = line.json()["id"]
    operator = {"code": "W1", "name": "王"}
    for wrong in (True, str(line_id)):
        sent = client.post("/api/v1/masterdata/operators", json={**operator, "line_id": wrong})
        assert _fields(sent) == ["line_id"]
    assert _operators(client) == []  # nothing stored by the refused calls
    made = client.post("/api/v1/masterdata/operators", json={**operator, "line_id": line_id})
    assert made.status_code == 201, made.text
    assert _operators(client) == ["W1"]
