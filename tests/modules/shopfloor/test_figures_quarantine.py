"""The quarantine API: list by status and reason, fix naming the field, discard."""

from __future__ import annotations

from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.figures_seed import API, quarantine_entries, seed_figures


@both_backends
def test_list_read_fix_and_discard(factory: Factory) -> None:
    s = seed_figures(factory)
    e = quarantine_entries(factory, s)
    listed = s.client.get(f"{API}/quarantine").json()
    assert [i["id"] for i in listed["items"]] == [e["bundle"], e["operator"], e["malformed"]]
    assert listed["items"][1]["payload"]["operator"] == "X99"
    assert listed["items"][2]["event_key"] is None
    by_reason = s.client.get(f"{API}/quarantine?reason=unknown_operator").json()
    assert [i["id"] for i in by_reason["items"]] == [e["operator"]]
    assert s.client.get(f"{API}/quarantine?status=bogus").status_code == 422

    still_bad = s.client.post(
        f"{API}/quarantine/{e['operator']}/fix", json={"operator_code": "X98"}
    )
    assert still_bad.status_code == 422
    assert still_bad.json()["error"]["details"][0]["field"] == "operator_code"
    bad_body = s.client.post(f"{API}/quarantine/{e['operator']}/fix", json={"bundle_no": 0})
    assert bad_body.status_code == 422

    fixed = s.client.post(f"{API}/quarantine/{e['operator']}/fix", json={"operator_code": "W2"})
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["status"], fixed.json()["resolved_by"] != "") == ("fixed", True)
    day = s.client.get(f"{API}/operators/{s.ids['W2']}/pay/days/2026-03-12").json()
    assert [(x["code"], x["qty"], x["amount"]) for x in day["lines"]] == [("OP-040", 4, "0.40")]

    discarded = s.client.post(f"{API}/quarantine/{e['bundle']}/discard")
    assert discarded.json()["status"] == "discarded"
    assert s.client.post(f"{API}/quarantine/{e['bundle']}/discard").status_code == 409
    open_now = s.client.get(f"{API}/quarantine").json()
    assert [i["id"] for i in open_now["items"]] == [e["malformed"]]
    assert s.client.get(f"{API}/quarantine/2147483648").status_code == 422
    assert s.client.get(f"{API}/quarantine/999999").status_code == 404
