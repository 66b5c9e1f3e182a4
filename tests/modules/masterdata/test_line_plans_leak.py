"""Tenant walls around published line plans: B neither sees nor touches A's, nor uses A's rows."""

from __future__ import annotations

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.modules.masterdata.service.line_plans import (
    assignments_by_line,
    current_line_plan,
)
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import API, bad_fields
from tests.modules.masterdata.test_line_plans import plan_body, publish, seed_floor


@both_backends
def test_b_cannot_see_or_change_a_plan_nor_publish_with_a_rows(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    floor_a = seed_floor(pair.client_a)
    floor_b = seed_floor(pair.client_b, tag="b")
    publish(pair.client_a, floor_a)
    a_url = f"{API}/lines/{floor_a.line}/plan"

    # A's line answers 404 to B for reading, listing, publishing and withdrawing
    assert pair.client_b.get(a_url).status_code == 404
    assert pair.client_b.get(f"{API}/lines/{floor_a.line}/plans").status_code == 404
    assert pair.client_b.post(a_url, json=plan_body(floor_b)).status_code == 404
    assert pair.client_b.delete(a_url).status_code == 404
    page = f"/apps/masterdata/lines/{floor_a.line}/plan/withdraw"
    assert pair.client_b.get(page).status_code == 404
    assert pair.client_b.post(page).status_code == 404
    # A's plan is untouched
    assert pair.client_a.get(a_url).json()["version"] == 1

    # B's own line with A's style, operators and operations: each named, nothing published
    b_url = f"{API}/lines/{floor_b.line}/plan"
    assert bad_fields(pair.client_b.post(b_url, json=plan_body(floor_a))) == {
        "style_id",
        "entries[0].operator_id",
        "entries[0].operation_id",
        "entries[1].operator_id",
        "entries[1].operation_id",
        "entries[2].operator_id",
        "entries[2].operation_id",
        "entries[3].operator_id",
        "entries[3].operation_id",
    }
    assert pair.client_b.get(b_url).json() is None

    with session_scope(factory.runtime.session_factory) as s:
        scope_b = system_scope(pair.b.id, pair.b.kind, "test")
        assert current_line_plan(s, scope_b, floor_a.line) is None
        # what the shop floor loads per batch is confined to the batch's organisation
        assert assignments_by_line(s, pair.b.id, {floor_a.line}) == {}
        assert set(assignments_by_line(s, pair.a.id, {floor_a.line})) == {floor_a.line}
