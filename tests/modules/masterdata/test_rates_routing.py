"""Piece-rate versions and the rate in force on a day; routings and their precedence."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.modules.masterdata.helpers import API, bad_fields, create_op, create_style


def _add(client: TestClient, op_id: int, rate: str, day: str) -> object:
    return client.post(
        f"{API}/operations/{op_id}/rates", json={"rate": rate, "effective_from": day}
    )


def test_the_rate_in_force_follows_the_effective_dates(admin: TestClient) -> None:
    op = create_op(admin)
    rates = f"{API}/operations/{op['id']}"
    assert admin.get(f"{rates}/rate", params={"on": "2025-01-01"}).status_code == 404
    first = admin.post(f"{rates}/rates", json={"rate": "0.30", "effective_from": "2025-01-01"})
    assert first.status_code == 201
    second = admin.post(f"{rates}/rates", json={"rate": "0.35", "effective_from": "2025-07-01"})
    assert second.status_code == 201
    # hand-checked: 0.30 holds up to the eve of the change, 0.35 from its first day on
    june = admin.get(f"{rates}/rate", params={"on": "2025-06-30"}).json()
    assert (june["rate"], june["effective_from"]) == ("0.3000", "2025-01-01")
    july = admin.get(f"{rates}/rate", params={"on": "2025-07-01"}).json()
    assert (july["rate"], july["effective_from"]) == ("0.3500", "2025-07-01")
    assert admin.get(f"{rates}/rate", params={"on": "2024-12-31"}).status_code == 404
    history = admin.get(f"{rates}/rates").json()
    assert [(r["rate"], r["effective_from"]) for r in history] == [
        ("0.3000", "2025-01-01"),
        ("0.3500", "2025-07-01"),
    ]


def test_a_past_rate_is_never_rewritten(admin: TestClient) -> None:
    op = create_op(admin)
    url = f"{API}/operations/{op['id']}/rates"
    assert admin.post(url, json={"rate": "0.30", "effective_from": "2025-07-01"}).status_code == 201
    for day in ("2025-07-01", "2025-03-01"):
        refused = admin.post(url, json={"rate": "0.40", "effective_from": day})
        assert bad_fields(refused) == {"effective_from"}
    assert bad_fields(admin.post(url, json={"rate": "-1", "effective_from": "2026-01-01"})) == {
        "rate"
    }
    assert bad_fields(admin.post(url, json={"rate": "0.3", "effective_from": "2026-02-30"})) == {
        "effective_from"
    }
    assert [r["rate"] for r in admin.get(url).json()] == ["0.3000"]
    # there is no route to edit or delete a version
    assert (
        admin.put(f"{url}", json={"rate": "0.1", "effective_from": "2025-07-01"}).status_code == 405
    )


def test_a_routing_is_set_in_order_with_precedence(admin: TestClient) -> None:
    style = create_style(admin)
    a, b, c = (create_op(admin, f"OP-{n}")["id"] for n in (1, 2, 3))
    url = f"{API}/styles/{style['id']}/routing"
    assert admin.get(url).json() == {"style_id": style["id"], "steps": []}
    steps = [
        {"operation_id": b, "predecessors": []},
        {"operation_id": a, "predecessors": []},
        {"operation_id": c, "predecessors": [a, b]},
    ]
    saved = admin.put(url, json={"steps": steps})
    assert saved.status_code == 200, saved.text
    assert [(s["seq"], s["operation_id"]) for s in saved.json()["steps"]] == [
        (1, b),
        (2, a),
        (3, c),
    ]
    assert admin.get(url).json() == saved.json()
    # replacing the routing renumbers it
    again = admin.put(url, json={"steps": [{"operation_id": c}]}).json()
    assert [(s["seq"], s["operation_id"], s["predecessors"]) for s in again["steps"]] == [
        (1, c, [])
    ]
    # an operation a routing uses cannot be deleted; the style can, with its routing
    assert admin.delete(f"{API}/operations/{c}").status_code == 409
    assert admin.delete(f"{API}/styles/{style['id']}").status_code == 204
    assert admin.delete(f"{API}/operations/{c}").status_code == 204


def test_a_routing_with_a_cycle_or_bad_steps_is_refused(admin: TestClient) -> None:
    style = create_style(admin)
    a, b, c = (create_op(admin, f"OP-{n}")["id"] for n in (1, 2, 3))
    url = f"{API}/styles/{style['id']}/routing"
    cycle = [
        {"operation_id": a, "predecessors": [c]},
        {"operation_id": b, "predecessors": [a]},
        {"operation_id": c, "predecessors": [b]},
    ]
    refused = admin.put(url, json={"steps": cycle})
    assert bad_fields(refused) == {"steps"}
    # a waits on c, c on b, b on a
    assert f"{a} → {c} → {b} → {a}" in refused.json()["error"]["details"][0]["message"]
    bad = [
        {"operation_id": 99999, "predecessors": []},
        {"operation_id": a, "predecessors": [a, b]},
        {"operation_id": a, "predecessors": []},
    ]
    assert bad_fields(admin.put(url, json={"steps": bad})) == {
        "steps[0].operation_id",
        "steps[1].predecessors",
        "steps[2].operation_id",
    }
    assert admin.get(url).json()["steps"] == []
    assert admin.put(f"{API}/styles/99999/routing", json={"steps": []}).status_code == 404


def test_out_of_range_ids_are_refused_by_field(admin: TestClient) -> None:
    style = create_style(admin)
    huge = {"steps": [{"operation_id": 2**40, "predecessors": [0]}]}
    assert bad_fields(admin.put(f"{API}/styles/{style['id']}/routing", json=huge)) == {
        "steps.0.operation_id",
        "steps.0.predecessors.0",
    }
