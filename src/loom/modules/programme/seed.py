"""Demo data of a district programme: registry, pilots, a contractor, products and projects.

The demo replays part of the plan's first phase (2024) through the real services, so every
row is checked and audited as if people had entered it; steps are dated in 2024.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Actor, Scope
from loom.kernel.tenancy.service import create_organisation
from loom.modules.assessment.planner.samples import sample_answers, sample_answers_after
from loom.modules.assessment.service import assessments
from loom.modules.programme.models import (
    ContractorApplication,
    ContractorScore,
    Enterprise,
    PilotApplication,
    PilotScore,
)
from loom.modules.programme.registry.creditcode import make_code
from loom.modules.programme.service import catalogue, lifecycle, plans, projects, registry
from loom.modules.programme.service.onsite import Evaluation, record_onsite
from loom.modules.programme.service.planning import plan_project

SEED = 2024
WORDS = (
    "甬丰", "四明", "天一", "鄞江", "望春", "集士", "高桥", "古林", "横街", "洞桥", "石碶", "段塘",
)  # fmt: skip
KINDS = ("服饰", "针织", "制衣", "运动用品", "时装", "户外服装")
#: pilots accepted in 2024 in the demo: their organisations join Loom to be assessed on site
ACCEPTED = (
    ("lihua-garments", "宁波立华服装有限公司"),
    ("dongqian-sports", "宁波东钱运动服饰有限公司"),
    ("gulin-fashion", "宁波古林时装有限公司"),
)
#: name, scenario code, scenes, indicators, price in CNY, weeks, deployment
#: an enterprise in Loom and in the registry that has not applied yet: the browser walk's pilot
NEWCOMER = ("tianyi-sportswear", "宁波天一运动服饰有限公司")
PRODUCTS: tuple[tuple[str, str, dict[str, int], dict[str, list[str]], int, int, str], ...] = (
    ("裁床数字化排料与裁剪管理", "C-CUT", {"S05": 2}, {}, 98_000, 4, "cloud"),
    ("吊挂线平衡与扫码报工", "C-LINE", {"S06": 2, "S07": 2}, {}, 168_000, 6, "on_premise"),
    ("面辅料仓储条码管理", "C-WMS", {"S09": 2}, {}, 56_000, 3, "cloud"),
    ("订单交期看板与APS排产", "C-APS", {"S04": 2}, {"M3": ["D"]}, 120_000, 5, "cloud"),
    ("能耗监测与设备联网", "C-ENERGY", {"S10": 2, "S12": 2}, {}, 75_000, 4, "on_premise"),
)


def _scope(org: Organisation, reason: str) -> Scope:
    return system_scope(org.id, org.kind, f"demo-seed:{reason}")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)


def seed_programme(session: Session, orgs: dict[str, Organisation]) -> None:
    """Seed the demo programme once (nothing happens if the bureau already has a registry)."""
    bureau = orgs["haishu-bureau"]
    if session.scalars(select(Enterprise.id).where(Enterprise.org_id == bureau.id)).first():
        return
    actor = Actor(kind="system", label="system:demo-seed")
    for slug, name in (*ACCEPTED, NEWCOMER):
        if slug not in orgs:
            orgs[slug] = create_organisation(
                session, actor, slug=slug, name=name, kind=OrgKind.ENTERPRISE
            )
    office = _scope(bureau, "bureau")
    plans.publish(session, office, note="演示：发布行动方案第1版")
    entries = _registry(session, office, orgs)
    _contractor(session, bureau, orgs["zhiyun-tech"])
    _products(session, orgs["zhiyun-tech"], office)
    pilots = entries[:5]  # the linked organisations of ACCEPTED and the demo factories
    _applications(session, bureau, pilots + entries[8:14])
    _projects(session, office, orgs, pilots)


def _registry(session: Session, office: Scope, orgs: dict[str, Organisation]) -> list[Enterprise]:
    rng = random.Random(SEED)
    towns = ["石碶街道", "集士港镇", "古林镇", "高桥镇", "横街镇", "鄞江镇", "段塘街道"]
    named = [(orgs[s].name, s) for s in ("yongfeng-apparel", "siming-knitwear")]
    named += [(name, slug) for slug, name in ACCEPTED]
    named += [(NEWCOMER[1], NEWCOMER[0])]
    names = named + [
        (f"宁波{WORDS[i % len(WORDS)]}{KINDS[i % len(KINDS)]}有限公司", None) for i in range(3, 31)
    ]
    entries: list[Enterprise] = []
    for index, (name, slug) in enumerate(names):
        sector = "apparel" if index < 28 else ("nev_parts" if index < 30 else "home_appliances")
        above = index < 20
        values = {
            "name": name,
            "credit_code": make_code(f"9133020{index % 10}MA2{index:02d}H{rng.randint(10, 99)}"),
            "sector": sector,
            "size": "above" if above else "below",
            "town": towns[index % len(towns)],
            "employees": rng.randint(120, 900) if above else rng.randint(20, 110),
            "revenue_wan": Decimal(
                rng.randint(2_000, 60_000) if above else rng.randint(300, 1_900)
            ),
            "cloud": rng.random() < (0.8 if above else 0.5),
            "contact_name": "联系人",
            "contact_phone": f"1380574{index:04d}",
        }
        entry = registry.create(session, office, values)
        if slug is not None:
            registry.link(session, office, entry.id, orgs[slug].id)
        entries.append(entry)
    for entry in entries[10:15]:  # levels assessed outside Loom by the city's evaluator
        registry.record_level(session, office, entry.id, level=2, assessed_on=date(2024, 5, 20))
    registry.mark_smart_factory(session, office, entries[12].id, date(2024, 9, 1))
    return entries


def _contractor(session: Session, bureau: Organisation, contractor: Organisation) -> None:
    application = ContractorApplication(
        org_id=bureau.id,
        contractor_org_id=contractor.id,
        sector="apparel",
        statement="服装行业数字化改造总承包（联合产业大脑平台）",
        status="chosen",
        decision_note="综合评分第一",
    )
    session.add(application)
    session.flush()
    for group, evaluator, marks in (
        ("experts", "专家甲", (88, 85, 80, 78)),
        ("associations", "服装协会", (82, 90, 76, 80)),
        ("pilot_enterprises", "试点企业代表", (85, 88, 82, 75)),
    ):
        criteria = (
            "technology_products",
            "sector_experience",
            "service_staff",
            "ecosystem_resources",
        )
        session.add(
            ContractorScore(
                org_id=bureau.id,
                application_id=application.id,
                evaluator_group=group,
                evaluator=evaluator,
                scores=dict(zip(criteria, marks, strict=True)),
                entered_by="system:demo-seed",
            )
        )


def _products(session: Session, contractor: Organisation, office: Scope) -> None:
    seller = _scope(contractor, "contractor")
    for index, (name, code, scenes, indicators, price, weeks, deployment) in enumerate(PRODUCTS):
        product = catalogue.publish(
            session,
            seller,
            catalogue.ProductIn(
                name=name,
                price_fen=price * 100,
                delivery_weeks=weeks,
                deployment=deployment,
                scenario_code=code,
                scenes=scenes,
                indicators=indicators,
            ),
        )
        if index < 2:
            catalogue.mark(session, office, product.id, excellent=True, on=date(2024, 10, 8))


def _applications(session: Session, bureau: Organisation, entries: list[Enterprise]) -> None:
    rng = random.Random(SEED + 1)
    principles = (
        "leader_will",
        "stable_operations",
        "management_base",
        "digital_base",
        "replicable",
    )
    for entry in entries:
        selected = entry.enterprise_org_id is not None
        application = PilotApplication(
            org_id=bureau.id,
            enterprise_id=entry.id,
            enterprise_org_id=entry.enterprise_org_id,
            sector=entry.sector,
            statement="申请列入中小企业数字化改造试点",
            status="selected" if selected else "submitted",
            batch="batch-1" if selected else None,
        )
        session.add(application)
        session.flush()
        for expert in ("专家甲", "专家乙", "专家丙"):
            base = 85 if selected else 70
            marks = {p: min(100, base + rng.randint(-8, 8)) for p in principles}
            session.add(
                PilotScore(
                    org_id=bureau.id,
                    application_id=application.id,
                    expert=expert,
                    scores=marks,
                    entered_by="system:demo-seed",
                )
            )
    session.flush()


def onsite_assessment(
    session: Session, assessor: Scope, firm: int, phase: str, day: date, after: bool
) -> int:
    """Write, answer and submit an on-site assessment of ``firm``; return its id."""
    q = sample_answers_after() if after else sample_answers()
    made = assessments.create(
        session,
        assessor,
        phase=phase,
        assessed_on=day,
        title="改造后现场评定" if after else "改造前现场评估",
        enterprise_org_id=firm,
    )
    assessments.save_answers(session, assessor, made.id, q["answers"], q["scenes"])
    return assessments.submit(session, assessor, made.id).id


def _projects(
    session: Session, office: Scope, orgs: dict[str, Organisation], pilots: list[Enterprise]
) -> None:
    assessor = _scope(orgs["kepu-assess"], "assessor")
    builder = _scope(orgs["zhiyun-tech"], "contractor")
    applications = {
        a.enterprise_id: a.id
        for a in session.scalars(
            select(PilotApplication).where(PilotApplication.status == "selected")
        )
    }
    for entry in pilots:
        firm = entry.enterprise_org_id
        assert firm is not None
        org = session.get(Organisation, firm)
        assert org is not None
        project = projects.create(session, office, application_id=applications[entry.id])
        projects.update(
            session,
            office,
            project.id,
            projects.ProjectChanges(
                contractor_org_id=orgs["zhiyun-tech"].id,
                assessor_org_id=orgs["kepu-assess"].id,
                contract_no=f"HS-SZ-2024-{project.id:03d}",
                contract_signed_on=date(2024, 3, 1),
                contract_amount_fen=38_000_000,
            ),
        )
        step = _stepper(session, project.id)
        step(office, "approve", date(2024, 2, 20))
        if org.slug == "siming-knitwear":
            continue  # approved, waiting for its baseline assessment
        before = onsite_assessment(session, assessor, firm, "before", date(2024, 3, 5), after=False)
        record_onsite(session, assessor, project.id, before)
        plan_project(session, _scope(org, "enterprise"), project.id, before)
        step(builder, "start", date(2024, 3, 10))
        if org.slug == "yongfeng-apparel":
            continue  # in progress: the demo's own factory is being transformed
        for category, text, amount in (
            ("software", "吊挂线平衡与扫码报工系统", 16_800_000),
            ("hardware", "车间网络与扫码终端", 9_500_000),
            ("cloud", "产业大脑云服务（首年）", 2_400_000),
        ):
            projects.add_investment(
                session, builder, project.id, category=category, description=text, amount_fen=amount
            )
        step(builder, "request_acceptance", date(2024, 10, 15))
        after = onsite_assessment(session, assessor, firm, "after", date(2024, 11, 1), after=True)
        record_onsite(session, assessor, project.id, after)
        step(office, "begin_review", date(2024, 11, 5))
        lifecycle.decide(
            session,
            office,
            project.id,
            Evaluation(80, 76, 72, Decimal("1.42"), "pass", "改造成效明显，数据贯通良好"),
            today=date(2024, 11, 20),
            when=_at(date(2024, 11, 20)),
        )
        if org.slug == "lihua-garments":
            step(office, "designate_regional_sample", date(2024, 12, 2), "区域样本遴选")
            step(office, "designate_municipal_sample", date(2024, 12, 10), "市级样本遴选")


def _stepper(session: Session, project_id: int) -> Callable[..., None]:
    def step(scope: Scope, action: str, day: date, reason: str = "") -> None:
        lifecycle.transition(
            session, scope, project_id, action, reason=reason, today=day, when=_at(day)
        )

    return step
