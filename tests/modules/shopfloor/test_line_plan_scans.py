"""Scans judged against the line's published plan: ``not_assigned``, re-applied anyway or fixed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.errors import ValidationFailed
from loom.modules.masterdata.models import Operator, RoutingStep, Style, Workstation
from loom.modules.masterdata.service.line_plans import (
    PlannedTask,
    publish_line_plan,
    withdraw_line_plan,
)
from loom.modules.shopfloor.models import OpCount, Quarantined, ScanEvent
from loom.modules.shopfloor.service import quarantine, rebuild, refcache
from loom.modules.shopfloor.service.resolve import load_context
from loom.testing.factory import Factory
from loom.testing.plugin import LoomCli, both_backends
from tests.kernel.web.test_i18n import CJK
from tests.modules.shopfloor.ingest.support import T0, Plant, make_plant
from tests.modules.shopfloor.pages.test_dashboard_pages import CATALOGUES

#: the scanner installed at line 1's first workstation
DEVICE = "L1-01"


@dataclass
class PlannedPlant:
    """A sample plant whose line 1 runs a plan: its k-th operator sews the k-th operation."""

    plant: Plant
    codes: list[str]  # line 1's badges
    ids: dict[str, int]  # badge → operator id

    def scan(self, bundle: int, op: int, who: int, **changes: Any) -> dict[str, Any]:
        """Return a signed "done" of ``bundle``'s ``op``-th operation by line 1's ``who``-th."""
        fields: dict[str, Any] = {"operator": self.codes[who], "device": DEVICE}
        return self.plant.event(bundle, op, **(fields | changes))

    def publish(self, style_id: int | None = None, ops: list[int] | None = None) -> int:
        """Publish the k-th operator ↔ k-th operation plan to line 1 (of the sample's style)."""
        sample = self.plant.sample
        operations = ops if ops is not None else sample.operations
        entries = [
            PlannedTask(k + 1, self.ids[self.codes[k]], op, 1) for k, op in enumerate(operations)
        ]
        with self.plant.session() as s:
            return publish_line_plan(
                s,
                self.scope(),
                line_id=sample.lines[0],
                style_id=style_id or sample.style_id,
                entries=entries,
                source="test",
                cycle_time_e4=7_000,
            )

    def scope(self) -> Any:
        """Return a system scope of the plant's enterprise."""
        return system_scope(self.plant.org.id, self.plant.org.kind, "test")


def planned_plant(factory: Factory, slug: str = "plant", *, publish: bool = True) -> PlannedPlant:
    """Seed a two-line sample plant, a scanner on line 1 and (by default) line 1's plan."""
    plant = make_plant(factory, slug, lines=2)
    line = plant.sample.lines[0]
    with plant.session() as s:
        s.add(Workstation(org_id=plant.org.id, line_id=line, code="WS-01", device_code=DEVICE))
        ids = dict(s.execute(select(Operator.code, Operator.id)).all())
    planned = PlannedPlant(plant, plant.sample.operators[line], ids)
    if publish:
        planned.publish()
    return planned


def _reasons(planned: PlannedPlant) -> list[str]:
    with planned.plant.session() as s:
        return list(s.scalars(select(Quarantined.reason).order_by(Quarantined.id)))


@both_backends
def test_a_scan_by_an_operator_the_plan_does_not_assign_is_quarantined(
    factory: Factory,
) -> None:
    p = planned_plant(factory)
    # operator 0 is assigned operation 0, operator 1 operation 1 (and not operation 0)
    answer = p.plant.post([p.scan(0, 0, who=0), p.scan(1, 0, who=1)])
    assert (answer["accepted"], answer["quarantined"]) == (2, 1)
    assert _reasons(p) == ["not_assigned"]
    with p.plant.session() as s:
        entry = s.scalars(select(Quarantined)).one()
        assert entry.detail == (
            f"operator {p.codes[1]} is not assigned to operation "
            f"{p.plant.sample.operations[0]} in the published line plan"
        )
        # 20 pieces of bundle 0, operation 0, by the assigned operator only
        assert s.scalar(select(OpCount.done_qty)) == 20
        assert rebuild.check(s, p.plant.org.id).differences == []


def test_rework_and_defects_are_checked_like_done(factory: Factory) -> None:
    p = planned_plant(factory)
    answer = p.plant.post([p.scan(0, 2, who=5, kind="rework", qty=2)])
    assert answer["quarantined"] == 1
    assert p.plant.post([p.scan(0, 5, who=5, kind="defect", qty=1)])["quarantined"] == 0


def test_without_a_plan_or_for_another_style_nothing_changes(factory: Factory) -> None:
    p = planned_plant(factory, publish=False)
    # no plan on line 1 yet: operator 1 may sew operation 0
    assert p.plant.post([p.scan(0, 0, who=1)])["quarantined"] == 0
    # a plan for another style (a polo with the same first operation) does not cover the tee
    with p.plant.session() as s:
        polo = Style(org_id=p.plant.org.id, code="POLO", name="Polo", colours=[], sizes=[])
        s.add(polo)
        s.flush()
        first = p.plant.sample.operations[0]
        s.add(RoutingStep(org_id=p.plant.org.id, style_id=polo.id, operation_id=first, seq=1))
        polo_id = polo.id
    p.publish(style_id=polo_id, ops=[first])
    assert p.plant.post([p.scan(1, 0, who=1)])["quarantined"] == 0
    # the tee's own plan does: the same kind of scan is now refused
    p.publish()
    assert p.plant.post([p.scan(2, 0, who=1)])["quarantined"] == 1
    # a scanner without a workstation, or on line 2 (no plan), is not checked
    assert p.plant.post([p.scan(3, 0, who=1, device="loose-phone")])["quarantined"] == 0
    with p.plant.session() as s:
        s.add(
            Workstation(
                org_id=p.plant.org.id,
                line_id=p.plant.sample.lines[1],
                code="WS-01",
                device_code="L2-01",
            )
        )
    assert p.plant.post([p.scan(4, 0, who=1, device="L2-01")])["quarantined"] == 0
    # once the plan is withdrawn, line 1 is not checked either
    with p.plant.session() as s:
        withdraw_line_plan(s, p.scope(), p.plant.sample.lines[0])
    assert p.plant.post([p.scan(5, 0, who=1)])["quarantined"] == 0
    assert _reasons(p) == ["not_assigned"]


@both_backends
def test_a_supervisor_applies_it_anyway_or_fixes_the_badge(factory: Factory) -> None:
    p = planned_plant(factory)
    later = T0 + timedelta(minutes=5)
    p.plant.post([p.scan(0, 0, who=1), p.scan(1, 0, who=2, ts=later)])
    with p.plant.session() as s:
        first, second = s.scalars(select(Quarantined.id).order_by(Quarantined.id)).all()
    # re-applied unchanged, the plan still refuses it, naming the badge
    with p.plant.session() as s, pytest.raises(ValidationFailed) as refused:
        quarantine.fix(s, p.scope(), first)
    assert refused.value.field == "operator_code"
    # "covering for an absent colleague": applied anyway, audited as such
    with p.plant.session() as s:
        assert quarantine.fix(s, p.scope(), first, anyway=True).status == "fixed"
    # the badge was mistyped: corrected to the assigned operator, applied normally
    with p.plant.session() as s:
        assert quarantine.fix(s, p.scope(), second, operator_code=p.codes[0]).status == "fixed"
    with p.plant.session() as s:
        assert s.scalar(select(OpCount.done_qty)) == 40  # two bundles of 20 at operation 0
        assert sorted(s.scalars(select(ScanEvent.status))) == ["applied", "applied"]
        audits = s.scalars(
            select(AuditEvent.after).where(AuditEvent.action == "shopfloor.quarantine.fixed")
        ).all()
        overridden = [a.get("plan_overridden", False) for a in audits]
        assert sorted(overridden) == [False, True]
        assert rebuild.check(s, p.plant.org.id).differences == []


def test_the_api_and_the_page_apply_anyway(factory: Factory, loom_cli: LoomCli) -> None:
    p = planned_plant(factory)
    p.plant.post([p.scan(0, 0, who=1), p.scan(1, 0, who=1, ts=T0 + timedelta(minutes=1))])
    factory.user("sam", (p.plant.org, "admin"))
    client = factory.client("sam")
    entries = client.get("/api/v1/shopfloor/quarantine?reason=not_assigned").json()["items"]
    assert len(entries) == 2
    page = client.get("/apps/shopfloor/quarantine").text
    assert page.count('data-testid="apply-anyway"') == 2
    # the reason in Chinese, the page's default language
    label = CATALOGUES.gettext(
        "zh_CN", "Operator not assigned to this operation in the published line plan"
    )
    assert CJK.search(label)
    assert page.count(f"<strong>{label}</strong>") == 2
    refused = client.post(f"/api/v1/shopfloor/quarantine/{entries[1]['id']}/fix", json={})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "operator_code"
    fixed = client.post(
        f"/api/v1/shopfloor/quarantine/{entries[1]['id']}/fix", json={"anyway": True}
    )
    assert fixed.json()["status"] == "fixed"
    done = client.post(
        f"/apps/shopfloor/quarantine/{entries[0]['id']}/fix",
        data={"anyway": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    with p.plant.session() as s:
        assert s.scalar(select(OpCount.done_qty)) == 40
    # the command agrees: what was re-applied is counted once, the rest nowhere
    result = loom_cli("shopfloor", "rebuild", "--check", "--json")
    assert result.exit_code == 0, result.output
    assert '"differences": []' in result.output


def test_the_plan_costs_one_query_per_batch(factory: Factory) -> None:
    """Loading a cold batch context runs as many statements for 1 device as for 9, plan or not."""
    p = planned_plant(factory)
    sample = p.plant.sample

    def statements(devices: set[str]) -> int:
        with p.plant.session() as s:
            seen: list[str] = []
            engine = s.get_bind()
            assert isinstance(engine, Engine)
            refcache.forget(engine)  # cold: nothing held from the call before
            listener = lambda *args: seen.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
            event.listen(engine, "before_cursor_execute", listener)
            try:
                bundles = {b for b, _, _ in sample.bundles}
                load_context(s, p.plant.org.id, bundles, set(p.codes), (), devices)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            return len([q for q in seen if not q.startswith("BEGIN")])  # SQLite's BEGIN IMMEDIATE

    one = statements({DEVICE})
    many = statements({DEVICE, *(f"phone-{n}" for n in range(8))})
    without = statements(set())
    # token, bundles, routing, SAM, rates, operators: 6; the plan adds exactly one
    assert one == many == without + 1 == 7
