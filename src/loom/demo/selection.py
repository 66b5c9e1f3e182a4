"""The district's contractors and their products, and the pilots chosen into the two batches.

Everything goes through the programme's services: contractors apply and are scored by the
plan's three evaluator groups and chosen per sector; pilots apply, three experts score each on
the plan's five principles, and the bureau selects them into batches within the quotas.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy.orm import Session

from loom.demo.accounts import scope_of
from loom.demo.registry import Firm
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise, PilotApplication
from loom.modules.programme.service import (
    catalogue,
    contractor_ranking,
    contractor_selection,
    selection,
    selection_ranking,
)

SEED = 2026
#: slug, name, the sector it is general contractor of
CONTRACTORS = (
    ("zhiyun-tech", "浙江智云数字科技有限公司", "apparel"),
    ("shuzhi-gonglian", "宁波数智工联科技有限公司", "nev_parts"),
    ("yongyi-cloud", "宁波甬易云科技有限公司", "home_appliances"),
)
#: per contractor: name, scenario code, scenes, indicators, price in CNY, weeks, deployment
PRODUCTS: dict[
    str, tuple[tuple[str, str, dict[str, int], dict[str, list[str]], int, int, str], ...]
]
PRODUCTS = {
    "zhiyun-tech": (
        ("裁床数字化排料与裁剪管理", "C-CUT", {"S05": 2}, {}, 98_000, 4, "cloud"),
        ("吊挂线平衡与扫码报工", "C-LINE", {"S06": 2, "S07": 2}, {}, 168_000, 6, "on_premise"),
        ("面辅料仓储条码管理", "C-WMS", {"S09": 2}, {}, 56_000, 3, "cloud"),
        ("订单交期看板与APS排产", "C-APS", {"S04": 2}, {"M3": ["D"]}, 120_000, 5, "cloud"),
        ("能耗监测与设备联网", "C-ENERGY", {"S10": 2, "S12": 2}, {}, 75_000, 4, "on_premise"),
    ),
    "shuzhi-gonglian": (
        ("冲压件质量追溯系统", "N-TRACE", {"S08": 2}, {}, 135_000, 6, "on_premise"),
        ("设备OEE采集与看板", "N-OEE", {"S10": 2}, {}, 88_000, 4, "on_premise"),
        ("供应商协同门户", "N-SRM", {"S11": 2}, {}, 64_000, 3, "cloud"),
        ("电池结构件MES轻量版", "N-MES", {"S06": 2, "S07": 2}, {}, 190_000, 8, "cloud"),
    ),
    "yongyi-cloud": (
        ("小家电订单协同云", "H-ORDER", {"S03": 2, "S04": 2}, {}, 72_000, 3, "cloud"),
        ("售后服务工单平台", "H-SERVICE", {"S15": 2}, {}, 48_000, 2, "cloud"),
        ("财务业务一体化", "H-FIN", {"S13": 2}, {"B4": ["D", "N"]}, 60_000, 3, "cloud"),
    ),
}
EXCELLENT = ("C-LINE", "C-APS", "N-OEE")
SECTOR_NAMES = {
    "apparel": "运动休闲服装",
    "nev_parts": "新能源汽车零部件",
    "home_appliances": "家用电器",
}
GROUPS = (
    ("experts", "专家甲"),
    ("associations", "服装协会"),
    ("pilot_enterprises", "试点企业代表"),
)
CRITERIA = ("technology_products", "sector_experience", "service_staff", "ecosystem_resources")
PRINCIPLES = ("leader_will", "stable_operations", "management_base", "digital_base", "replicable")


def seed_contractors(session: Session, bureau: Organisation, orgs: dict[str, Organisation]) -> None:
    """Each contractor bids for its sector (the first also for apparel's rival bid); choose."""
    office = scope_of(bureau, "bureau")
    rng = random.Random(SEED)
    bids: list[tuple[int, str, bool]] = []
    for slug, _name, sector in CONTRACTORS:
        seller = scope_of(orgs[slug], "contractor")
        made = contractor_selection.apply(
            session,
            seller,
            bureau_org_id=bureau.id,
            sector=sector,
            statement=f"申请承担{SECTOR_NAMES[sector]}行业数字化改造总承包",
        )
        bids.append((made.id, sector, True))
    # a rival bid for apparel, scored lower: the bureau declines it with a reason
    rival = contractor_selection.apply(
        session,
        scope_of(orgs["shuzhi-gonglian"], "contractor"),
        bureau_org_id=bureau.id,
        sector="apparel",
        statement="申请承担服装行业数字化改造总承包",
    )
    bids.append((rival.id, "apparel", False))
    for bid_id, _sector, strong in bids:
        for group, evaluator in GROUPS:
            base = 86 if strong else 72
            marks = {c: base + rng.randint(-5, 5) for c in CRITERIA}
            contractor_selection.enter_sheet(
                session, office, bid_id, group=group, evaluator=evaluator, scores=marks
            )
    for bid_id, _sector, strong in bids:
        if strong:
            contractor_ranking.choose(session, office, bid_id, note="综合评分第一")
    contractor_selection.decline(session, office, rival.id, "综合评分低于智云数字科技")


def seed_products(session: Session, bureau: Organisation, orgs: dict[str, Organisation]) -> None:
    """Publish each contractor's 小快轻准 products; the bureau marks three excellent."""
    office = scope_of(bureau, "bureau")
    for slug, rows in PRODUCTS.items():
        seller = scope_of(orgs[slug], "contractor")
        for name, code, scenes, indicators, price, weeks, deployment in rows:
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
            if code in EXCELLENT:
                catalogue.mark(session, office, product.id, excellent=True, on=date(2024, 10, 8))


def seed_pilots(
    session: Session, office: Scope, firms: list[tuple[Firm, Enterprise]]
) -> dict[int, PilotApplication]:
    """Apply, score and select the pilots into their batches; return applications by entry id."""
    rng = random.Random(SEED + 1)
    applied: dict[int, PilotApplication] = {}
    for firm, entry in firms:
        if firm.application == "":
            continue
        app = selection.create(session, office, entry.id, "申请列入中小企业数字化改造试点")
        for expert in ("专家甲", "专家乙", "专家丙"):
            base = 86 if firm.batch is not None else 66
            marks = {p: min(100, base + rng.randint(-7, 7)) for p in PRINCIPLES}
            selection.enter_sheet(session, office, app.id, expert, marks)
        applied[entry.id] = app
    for batch in ("batch-1", "batch-2"):
        ids = [applied[e.id].id for f, e in firms if f.batch == batch]
        selection_ranking.select_into_batch(session, office, batch, ids, note="专家评审通过")
    for firm, entry in firms:
        if firm.application == "not_selected":
            selection.not_select(
                session, office, applied[entry.id].id, "企业数字化基础较弱，建议下一轮再申报"
            )
    return applied


def contractor_of(orgs: dict[str, Organisation], firm: Firm) -> Organisation:
    """Return the general contractor of the firm's sector."""
    slug = next(s for s, _n, sector in CONTRACTORS if sector == firm.sector)
    org = orgs[slug]
    assert org.kind == OrgKind.CONTRACTOR
    return org
