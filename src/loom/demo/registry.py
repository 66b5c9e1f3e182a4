"""The district's registry: 60 fictional enterprises, 55 of them pilots in the plan's two batches.

Names are made up from common Chinese firm words (any likeness to a real firm is chance); towns
are Haishu's manufacturing 镇 and 街道. The six garment factories with shop floors come first.
Pilots join Loom as enterprise organisations (they are assessed on site in it); the five
non-pilots stay registry entries only, as a firm that has not joined would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from loom.demo.accounts import SYSTEM
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import create_organisation
from loom.modules.programme.models import Enterprise
from loom.modules.programme.registry.creditcode import make_code
from loom.modules.programme.service import registry

SEED = 2025
#: slug, name, town, sub-sector, batch: the garment factories whose shop floors are seeded
FACTORIES = (
    ("lihua-garments", "宁波立华服装有限公司", "高桥镇", "休闲服装", "batch-1"),
    ("dongqian-sports", "宁波东钱运动服饰有限公司", "横街镇", "运动服装", "batch-1"),
    ("gulin-fashion", "宁波古林时装有限公司", "古林镇", "休闲服装", "batch-1"),
    ("yongfeng-apparel", "宁波甬丰服饰有限公司", "集士港镇", "运动服装", "batch-2"),
    ("siming-knitwear", "宁波四明针织有限公司", "古林镇", "针织服装", "batch-2"),
    ("tianyi-sportswear", "宁波天一运动服饰有限公司", "石碶街道", "户外服装", "batch-2"),
)
FACTORY_SLUGS = tuple(f[0] for f in FACTORIES)
#: two-character firm words for the generated names (none is meant to name a real firm)
WORDS = (
    "宏泰", "嘉禾", "锦程", "恒丰", "瑞祥", "鑫源", "汇通", "协力", "联创", "凯旋", "永新",
    "兴达", "启航", "晨光", "远扬", "卓越", "盛世", "和美", "宝利", "东升", "云帆", "青禾",
    "润泽", "丰联", "华锦", "锦绣", "新航", "骏达", "博远", "众诚", "德润", "佳禾", "长风",
    "明辉", "华晨", "康达", "欣悦", "乐途", "银河", "星河", "泰和", "昌盛", "凌云", "弘毅",
    "致远", "尚品", "秀丽", "丽景", "恒远", "金帆", "万隆", "顺捷",
)  # fmt: skip
APPAREL_KINDS = ("服饰", "制衣", "针织", "运动用品", "服装", "织造")
APPAREL_SUBS = ("运动服装", "休闲服装", "针织服装", "户外服装", "童装")
NEV_SUBS = ("电池结构件", "电机零部件", "汽车线束")
TOWNS = (
    "集士港镇", "古林镇", "高桥镇", "横街镇", "石碶街道", "望春街道", "段塘街道", "鄞江镇",
    "洞桥镇",
)  # fmt: skip
#: pilots per batch and sector, as the plan's quotas set them (batch-1 23 + 1, batch-2 25 + 6)
QUOTAS = (
    ("batch-1", "apparel", 23),
    ("batch-1", "home_appliances", 1),
    ("batch-2", "apparel", 25),
    ("batch-2", "nev_parts", 6),
)
#: the non-pilots: sector and what became of their application ("" never applied)
NON_PILOTS = (
    ("apparel", "not_selected"),
    ("apparel", "submitted"),
    ("apparel", ""),
    ("nev_parts", "not_selected"),
    ("home_appliances", "submitted"),
)


@dataclass(frozen=True)
class Firm:
    """One registry enterprise of the district as the seed plans it."""

    index: int
    name: str
    slug: str | None  # its organisation in Loom, if it joined
    sector: str
    sub_sector: str
    town: str
    batch: str | None  # the pilot batch, None for a non-pilot
    application: str  # the pilot application's end status ("" never applied)


def _generated_name(n: int, sector: str) -> str:
    word = WORDS[n % len(WORDS)]
    if sector == "apparel":
        return f"宁波{word}{APPAREL_KINDS[n % len(APPAREL_KINDS)]}有限公司"
    if sector == "nev_parts":
        return f"宁波{word}汽车零部件有限公司"
    return f"宁波{word}电器有限公司"


def district_firms() -> list[Firm]:
    """Return the 60 enterprises: pilots by batch and sector (factories first), then the rest."""
    firms: list[Firm] = []
    named = {batch: [f for f in FACTORIES if f[4] == batch] for batch in ("batch-1", "batch-2")}
    counters = {"apparel": 0, "nev_parts": 0, "home_appliances": 0}
    generated = 0
    for batch, sector, count in QUOTAS:
        for k in range(count):
            index = len(firms)
            if sector == "apparel" and k < len(named[batch]):
                slug, name, town, sub, _batch = named[batch][k]
                firms.append(Firm(index, name, slug, sector, sub, town, batch, "selected"))
                continue
            counters[sector] += 1
            name = _generated_name(generated, sector)
            generated += 1
            slug = f"hs-{sector.replace('_', '-')}-{counters[sector]:02d}"
            sub = _sub_sector(sector, counters[sector])
            town = TOWNS[index % len(TOWNS)]
            firms.append(Firm(index, name, slug, sector, sub, town, batch, "selected"))
    for sector, application in NON_PILOTS:
        index = len(firms)
        name = _generated_name(generated, sector)
        generated += 1
        sub = _sub_sector(sector, index)
        firms.append(
            Firm(index, name, None, sector, sub, TOWNS[index % len(TOWNS)], None, application)
        )
    return firms


def _sub_sector(sector: str, n: int) -> str:
    if sector == "apparel":
        return APPAREL_SUBS[n % len(APPAREL_SUBS)]
    if sector == "nev_parts":
        return NEV_SUBS[n % len(NEV_SUBS)]
    return "小家电"


def _values(firm: Firm, rng: random.Random) -> dict[str, object]:
    # about two thirds of the pilots are above scale (规上: revenue of 20 million CNY or more)
    above = firm.index % 3 != 2
    return {
        "name": firm.name,
        "credit_code": make_code(f"91330203MA2H{firm.index:03d}{'ABCDEFGH'[firm.index % 8]}"),
        "sector": firm.sector,
        "sub_sector": firm.sub_sector,
        "size": "above" if above else "below",
        "town": firm.town,
        "employees": rng.randint(150, 900) if above else rng.randint(30, 140),
        "revenue_wan": Decimal(rng.randint(2_100, 48_000) if above else rng.randint(400, 1_900)),
        "cloud": rng.random() < (0.85 if above else 0.55),
        "contact_name": "联系人",
        "contact_phone": f"1390574{firm.index:04d}",
    }


def seed_registry(
    session: Session, office: Scope, orgs: dict[str, Organisation]
) -> list[tuple[Firm, Enterprise]]:
    """Create the registry and the pilots' organisations, linked to their entries."""
    rng = random.Random(SEED)
    made: list[tuple[Firm, Enterprise]] = []
    for firm in district_firms():
        entry = registry.create(session, office, _values(firm, rng))
        if firm.slug is not None:
            if firm.slug not in orgs:
                orgs[firm.slug] = create_organisation(
                    session, SYSTEM, slug=firm.slug, name=firm.name, kind=OrgKind.ENTERPRISE
                )
            registry.link(session, office, entry.id, orgs[firm.slug].id)
        made.append((firm, entry))
    # levels the city's evaluator assessed outside Loom, and two recognised smart workshops
    for firm, entry in made:
        if firm.batch is None and firm.application != "":
            registry.record_level(session, office, entry.id, level=1, assessed_on=date(2024, 4, 18))
    for _firm, entry in made[5:7]:
        registry.mark_smart_factory(session, office, entry.id, date(2025, 6, 30))
    return made
