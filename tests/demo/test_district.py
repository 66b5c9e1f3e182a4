"""The seeded demo district: the programme's registry, pilots, projects, money and N+X lists."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.demo.district import MARKER
from loom.kernel.audit.verify import verify_chains
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.modules.programme.engine import ProjectStatus
from loom.modules.programme.models import (
    ContractorApplication,
    Enterprise,
    ListVersion,
    PilotApplication,
    Product,
    Project,
)
from loom.modules.subsidy.models import Award, Payment

# one xdist worker seeds the district once for every test of the package
pytestmark = pytest.mark.xdist_group("demo")


def _bureau(db: Session) -> Organisation:
    bureau = db.scalar(select(Organisation).where(Organisation.slug == "haishu-bureau"))
    assert bureau is not None
    return bureau


def test_the_registry_holds_60_enterprises_with_the_plans_pilots(db: Session) -> None:
    entries = db.scalars(select(Enterprise).where(Enterprise.org_id == _bureau(db).id)).all()
    assert len(entries) == 60
    # 55 pilots (48 apparel, 6 NEV parts, 1 home appliance) plus the non-pilots of
    # registry.NON_PILOTS: 3 apparel, 1 NEV parts, 1 home appliance
    assert Counter(e.sector for e in entries) == {
        "apparel": 51,
        "nev_parts": 7,
        "home_appliances": 2,
    }
    assert all(e.town and e.sub_sector and e.employees > 0 and e.revenue_wan > 0 for e in entries)
    # above scale (规上) means revenue of 20 million CNY (2,000 wan) or more
    assert all((e.size == "above") == (e.revenue_wan >= Decimal(2000)) for e in entries)
    selected = Counter(
        (a.batch, a.sector)
        for a in db.scalars(select(PilotApplication).where(PilotApplication.status == "selected"))
    )
    # the plan's quotas: batch 1 = 23 apparel + 1 home appliance, batch 2 = 25 apparel + 6 NEV
    assert selected == {
        ("batch-1", "apparel"): 23,
        ("batch-1", "home_appliances"): 1,
        ("batch-2", "apparel"): 25,
        ("batch-2", "nev_parts"): 6,
    }
    others = Counter(
        a.status
        for a in db.scalars(select(PilotApplication).where(PilotApplication.status != "selected"))
    )
    assert others == {"not_selected": 2, "submitted": 2}
    # pilots joined Loom (they are assessed on site in it); the non-pilots did not
    linked = [e for e in entries if e.enterprise_org_id is not None]
    assert len(linked) == 55


def test_projects_are_in_every_lifecycle_status(db: Session) -> None:
    rows = db.scalars(select(Project)).all()
    statuses = Counter(p.status for p in rows)
    assert set(statuses) == {s.value for s in ProjectStatus}
    # projects.BATCH_1 and BATCH_2 by hand: accepted 21 + 8, in progress 1 + 7 (one resumed
    # after rectification), rectification 1 + 1, withdrawn 1 + 1, the rest in batch 2 only
    assert statuses == {
        "accepted": 29,
        "in_progress": 8,
        "acceptance_requested": 4,
        "onsite_review": 3,
        "approved": 3,
        "applied": 4,
        "rectification": 2,
        "withdrawn": 2,
    }
    honours = Counter(h for p in rows for h in p.honours)
    assert honours == {"regional_sample": 4, "municipal_sample": 2, "benchmark": 1}
    # acceptance copies the on-site level into the registry, and it must be 2 or more
    accepted = {p.enterprise_id for p in rows if p.status == "accepted"}
    levels = db.scalars(select(Enterprise.digital_level).where(Enterprise.id.in_(accepted)))
    assert all(level is not None and level >= 2 for level in levels)


def test_three_contractors_publish_products_and_each_sector_has_one_chosen(db: Session) -> None:
    contractors = db.scalars(
        select(Organisation).where(Organisation.kind == OrgKind.CONTRACTOR)
    ).all()
    assert {c.slug for c in contractors} == {"zhiyun-tech", MARKER, "yongyi-cloud"}
    products = Counter(
        p.org_id for p in db.scalars(select(Product).where(Product.status == "published"))
    )
    assert sorted(products.values()) == [3, 4, 5]
    chosen = db.scalars(
        select(ContractorApplication.sector).where(ContractorApplication.status == "chosen")
    ).all()
    assert sorted(chosen) == ["apparel", "home_appliances", "nev_parts"]


def test_accepted_pilots_are_awarded_within_the_rules_and_paid_by_each_funder(
    db: Session,
) -> None:
    awards = db.scalars(select(Award)).all()
    # 29 pilot-project awards, two municipal samples and one benchmark
    assert Counter(a.rule_id for a in awards) == {
        "pilot-project": 29,
        "municipal-sample-award": 2,
        "benchmark-award": 1,
    }
    for award in awards:
        if award.rule_id == "pilot-project":
            assert award.investment_fen is not None
            # at most half the investment and at most 500,000 CNY, split 5 : 3 : 2
            assert award.amount_fen <= min(award.investment_fen // 2, 50_000_000)
            for funder, parts in (("central", 5), ("city", 3), ("district", 2)):
                assert abs(award.split[funder] - award.amount_fen * parts / 10) <= 1
        assert sum(award.split.values()) == award.amount_fen
    paid: Counter[tuple[int, str]] = Counter()
    for payment in db.scalars(select(Payment)):
        paid[payment.award_id, payment.funder] += payment.amount_fen
    shares = {(a.id, f): fen for a in awards for f, fen in a.split.items()}
    assert paid
    assert all(fen <= shares[key] for key, fen in paid.items())


def test_each_sector_has_published_n_and_x_lists(db: Session) -> None:
    lists = db.scalars(select(ListVersion)).all()
    assert Counter((row.sector, row.kind) for row in lists) == {
        (sector, kind): 1
        for sector in ("apparel", "nev_parts", "home_appliances")
        for kind in ("problems", "needs", "scenarios")
    }
    apparel = next(r for r in lists if r.sector == "apparel" and r.kind == "needs")
    kinds = {item["key"]: item["kind"] for item in apparel.items}
    # needs.NEEDS: 30, 27 and 26 of the 48 apparel pilots (over half) make N; 12, 8, 5 make X
    assert kinds == {
        "bundle-scan": "N",
        "line-balance": "N",
        "due-date": "N",
        "cut-waste": "X",
        "fabric-stock": "X",
        "chain-orders": "X",
    }


def test_every_seeded_change_is_in_an_intact_audit_chain(db: Session) -> None:
    result = verify_chains(db)
    assert result.ok, result.problem
    # each service call records an event: thousands, not a handful
    assert result.checked > 2_000


def test_the_district_has_every_kind_of_organisation(db: Session) -> None:
    kinds = Counter(db.scalars(select(Organisation.kind)).all())
    # a bureau, three contractors, one assessor, and the 55 pilot enterprises
    assert kinds == {
        OrgKind.BUREAU: 1,
        OrgKind.CONTRACTOR: 3,
        OrgKind.ASSESSOR: 1,
        OrgKind.ENTERPRISE: 55,
    }
    assert db.scalar(select(func.count()).select_from(Organisation)) == 60
