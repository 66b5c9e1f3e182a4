"""The match-making flow through the services, on both backends, with the real providers.

Post → rank → invite → accept (a production order in the factory) → progress at the
consented granularity; the decline path; a factory sharing no capacity is never ranked.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.series import week_of
from loom.modules.brain.models import BrainRead
from loom.modules.brain.service.consent import set_consent
from loom.modules.matching.models import MatchInvitation
from loom.modules.matching.service import invitations as inv
from loom.modules.matching.service import orders as svc
from loom.modules.matching.service.progress import progress
from loom.modules.matching.service.ranking import rank_order
from loom.modules.shopfloor.models import ProductionOrder
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.matching.helpers import District, build, finish

#: 1,000 shirts at the category default SAM 18.5 (engine.categories) = 18,500 minutes
NEED_MINUTES = 18_500


@pytest.fixture
def district(factory: Factory, loom_app: FastAPI) -> tuple[FastAPI, District]:
    """The brand and three factories of tests.modules.matching.helpers."""
    refs = {
        slug: factory.org(slug, OrgKind.ENTERPRISE, name=name)
        for slug, name in (
            ("brand", "Brand Co"),
            ("fa", "Factory A"),
            ("fb", "Factory B"),
            ("fc", "Factory C"),
        )
    }
    with session_scope(loom_app.state.loom.session_factory) as s:
        orgs = {slug: s.get(Organisation, ref.id) for slug, ref in refs.items()}
        found = build(s, {k: v for k, v in orgs.items() if v is not None})
    return loom_app, found


def _scope(org_id: int, who: str) -> Scope:
    return system_scope(org_id, OrgKind.ENTERPRISE, who)


def _shirts(due: date, **extra: object) -> svc.OrderIn:
    return svc.OrderIn(
        category="shirts",
        quantity=1000,
        due_date=due,
        max_dhu_pct=3.0,
        style_name="Oxford shirt",
        description="white oxford, button-down collar",
        quantities={"navy": {"M": 600, "L": 400}},
        **extra,  # type: ignore[arg-type]
    )


def _post(s: Session, app: FastAPI, d: District) -> int:
    brand = _scope(d.brand, "brand")
    with acting_as(s, brand):
        order = svc.post(s, brand, _shirts(svc.today() + timedelta(days=14)))
        rank_order(s, brand, app.state.loom.apps, order.id)
        return order.id


@both_backends
def test_sharing_factories_are_ranked_with_explanations(
    district: tuple[FastAPI, District],
) -> None:
    app, d = district
    with session_scope(app.state.loom.session_factory) as s:
        order_id = _post(s, app, d)
        brand = _scope(d.brand, "brand")
        with acting_as(s, brand):
            order = svc.get(s, brand, order_id)
            ranking = order.ranking
            assert order.sam_minutes == 18.5
            assert order.sam_defaulted
        # Factory C shares nothing: not a candidate at all
        assert [row["org_id"] for row in ranking] == [d.fa, d.fb]
        a, b = ({f["name"]: f for f in row["factors"]} for row in ranking)
        # A: 6 operators × 480 min on ≥ 10 working days ≥ 28,800 > 18,500 → 40; 1,500 shirts
        # ≥ 1,000 → 25; DHU 2 % ≤ 3 % → 20; digital level not shared → 0. Total 85.
        assert a["capacity"]["value"] >= 28_800
        assert a["capacity"]["points"] == 40
        assert a["experience"] == {
            "name": "experience",
            "value": 1500.0,
            "points": 25.0,
            "weight": 25.0,
            "state": "shared",
        }
        assert a["quality"]["value"] == 2.0
        assert a["quality"]["points"] == 20
        assert a["digital_level"]["state"] == "not_shared"
        assert a["digital_level"]["points"] == 0
        assert ranking[0]["score"] == 85.0
        assert ranking[0]["feasible"]
        # B: one operator cannot cover 18,500 minutes in two weeks: points in proportion;
        # it shares orders but made no shirts (0 points, shared); quality not shared
        assert 0 < b["capacity"]["value"] < NEED_MINUTES
        assert b["capacity"]["points"] == pytest.approx(
            40 * b["capacity"]["value"] / NEED_MINUTES, abs=0.01
        )
        assert b["experience"]["state"] == "shared"
        assert b["experience"]["points"] == 0
        assert b["quality"]["state"] == "not_shared"
        assert not ranking[1]["feasible"]
        # every read is in the read factory's log, naming the posted order
        reads = s.scalars(
            select(BrainRead)
            .where(BrainRead.org_id == d.fa)
            .execution_options(loom_all_tenants=True)
        ).all()
        assert {r.metric for r in reads} >= {
            "scheduling.free_minutes",
            "shopfloor.category_pieces",
            "quality.dhu",
        }
        assert all(f"MO-{order_id}" in r.purpose for r in reads)
        assert not s.scalars(
            select(BrainRead)
            .where(BrainRead.org_id == d.fc)
            .execution_options(loom_all_tenants=True)
        ).all()


@both_backends
def test_accepting_makes_a_production_order_and_progress_flows_back(
    district: tuple[FastAPI, District],
) -> None:
    app, d = district
    apps = app.state.loom.apps
    with session_scope(app.state.loom.session_factory) as s:
        order_id = _post(s, app, d)
        brand = _scope(d.brand, "brand")
        with acting_as(s, brand):
            sent = inv.invite(s, brand, order_id, [d.fa, d.fb], "please quote")
        fa = _scope(d.fa, "fa")
        with acting_as(s, fa):
            # A sees its own invitation only, with the offer copied onto it
            page = inv.received(s, fa)
            assert [i.id for i in page.items] == [sent[0].id]
            accepted = inv.accept(s, fa, sent[0].id)
            made = s.get(ProductionOrder, accepted.production_order_id)
            assert made is not None
            assert made.org_id == d.fa
            assert made.number == f"MO-{order_id}"
            assert made.customer == "Brand Co"
            assert made.quantities == {"navy": {"M": 600, "L": 400}}
            assert made.total_qty == 1000
            assert made.due_date == svc.today() + timedelta(days=14)
            with pytest.raises(Conflict):
                inv.accept(s, fa, sent[0].id)
        with acting_as(s, brand):
            order = svc.get(s, brand, order_id)
            assert order.status == "placed"
            assert order.placed_org_id == d.fa
            statuses = {i.factory_org_id: i.status for i in inv.sent(s, brand, order)}
            assert statuses == {d.fa: "accepted", d.fb: "closed"}
            assert progress(s, brand, apps, order).finished == 0  # type: ignore[union-attr]
        finish(s, d.fa, made.id, svc.today(), 250)
        with acting_as(s, brand):
            shown = progress(s, brand, apps, order)
            assert shown is not None
            assert shown.granularity == "daily"
            assert shown.points == [(svc.today(), 250, 250)]
            assert shown.percent == 25.0
        # A stops sharing orders: the poster sees the acceptance only
        with acting_as(s, fa):
            set_consent(s, fa, "orders", "none")
        with acting_as(s, brand):
            shown = progress(s, brand, apps, order)
            assert shown is not None
            assert shown.granularity == "none"
            assert shown.finished is None
            assert shown.invitation.status == "accepted"
        actions = set(s.scalars(select(AuditEvent.action).where(AuditEvent.org_id == d.brand)))
        assert {
            "matching.order.posted",
            "matching.order.ranked",
            "matching.invitation.sent",
            "matching.invitation.accepted",
        } <= actions


@both_backends
def test_weekly_progress_and_the_decline_path(district: tuple[FastAPI, District]) -> None:
    app, d = district
    with session_scope(app.state.loom.session_factory) as s:
        brand = _scope(d.brand, "brand")
        first, second = _post(s, app, d), _post(s, app, d)
        with acting_as(s, brand):
            (one,) = inv.invite(s, brand, first, [d.fb])
            (two,) = inv.invite(s, brand, second, [d.fb])
        fb = _scope(d.fb, "fb")
        with acting_as(s, fb):
            with pytest.raises(ValidationFailed) as refused:
                inv.decline(s, fb, one.id, "  ")
            assert refused.value.field == "reason"
            inv.decline(s, fb, one.id, "fully booked")
            accepted = inv.accept(s, fb, two.id)
        assert accepted.production_order_id is not None
        finish(s, d.fb, accepted.production_order_id, svc.today(), 40)
        with acting_as(s, brand):
            declined = s.get(MatchInvitation, one.id)
            assert declined is not None
            assert declined.status == "declined"
            assert declined.reason == "fully booked"
            assert svc.get(s, brand, first).status == "open"  # still open for others
            shown = progress(s, brand, app.state.loom.apps, svc.get(s, brand, second))
            # B shares orders weekly: one sample dated the Monday of this week
            assert shown is not None
            assert shown.granularity == "weekly"
            assert shown.points == [(week_of(svc.today()), 40, 40)]
