"""The N+X lists: the sectors' scenarios, every pilot's surveyed needs, and published lists.

A need reported by at least half of a sector's pilots is common (N), the rest individual (X):
the programme classifies them, the seed only records what pilots said in the survey.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from loom.demo.registry import Firm
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise
from loom.modules.programme.service import needs, needs_lists, needs_scenarios

#: code, title, sector, stage, national scenes and levels
SCENARIOS = (
    ("C-CUT", "裁床数字化", "apparel", "manufacturing", {"S05": 2}),
    ("C-LINE", "吊挂线平衡与扫码报工", "apparel", "manufacturing", {"S06": 2, "S07": 2}),
    ("C-APS", "订单交期与排产", "apparel", "operations", {"S04": 2}),
    ("C-WMS", "面辅料仓储管理", "apparel", "purchasing_sales", {"S09": 2}),
    ("C-CHAIN", "产业链订单协同", "apparel", "chain_collaboration", {"S11": 2}),
    ("N-TRACE", "质量追溯", "nev_parts", "manufacturing", {"S08": 2}),
    ("N-OEE", "设备联网与OEE", "nev_parts", "manufacturing", {"S10": 2}),
    ("H-ORDER", "订单协同", "home_appliances", "purchasing_sales", {"S03": 2, "S04": 2}),
)
#: need key, title, stage, scenario, how many of the sector's pilots report it (starting at a
#: different pilot for each need, so each pilot reports a different mix)
NEEDS = {
    "apparel": (
        ("bundle-scan", "计件工资靠手工统计，易出错", "manufacturing", "C-LINE", 30),
        ("line-balance", "缝制线不平衡，在制品堆积", "manufacturing", "C-LINE", 27),
        ("due-date", "订单交期难以承诺", "operations", "C-APS", 26),
        ("cut-waste", "裁床排料凭经验，面料浪费", "manufacturing", "C-CUT", 12),
        ("fabric-stock", "面辅料库存不清", "purchasing_sales", "C-WMS", 8),
        ("chain-orders", "外发加工进度看不到", "chain_collaboration", "C-CHAIN", 5),
    ),
    "nev_parts": (
        ("quality-trace", "质量问题追溯到批次困难", "manufacturing", "N-TRACE", 5),
        ("machine-oee", "设备停机原因不明", "manufacturing", "N-OEE", 4),
        ("supplier-portal", "供应商交付协同靠电话", "purchasing_sales", "", 2),
    ),
    "home_appliances": (("order-sync", "电商订单与生产脱节", "purchasing_sales", "H-ORDER", 1),),
}


def seed_needs(session: Session, office: Scope, firms: list[tuple[Firm, Enterprise]]) -> int:
    """Record the scenarios and the pilots' survey needs, then publish each sector's lists."""
    for code, title, sector, stage, scenes in SCENARIOS:
        needs_scenarios.create_scenario(
            session, office, needs_scenarios.ScenarioIn(code, title, sector, stage, dict(scenes))
        )
    recorded = 0
    for sector, rows in NEEDS.items():
        pilots = [(f, e) for f, e in firms if f.sector == sector and f.batch is not None]
        for k, (key, title, stage, scenario, count) in enumerate(rows):
            for n in range(count):
                _firm, entry = pilots[(7 * k + n) % len(pilots)]
                problem = f"{title}（调研记录{n + 1}）"
                data = needs.NeedIn(entry.id, stage, problem, key, title, scenario)
                needs.record_need(session, office, data)
                recorded += 1
        needs_lists.publish(session, office, sector)
    return recorded
