"""Seed a small demo district: one organisation of each kind and one login per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.equipment.service.seed import seed_equipment
from loom.apps.quality.service.catalogue import seed_common as seed_defect_catalogue
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import SCOPE_KEY, bind_scope
from loom.kernel.identity.models import User
from loom.kernel.identity.service import create_user
from loom.kernel.tenancy.models import Organisation, OrgKind, Role
from loom.kernel.tenancy.scope import Actor
from loom.kernel.tenancy.service import add_membership, create_organisation
from loom.modules.programme.seed import seed_programme
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.seed import seed_shopfloor
from loom.modules.subsidy.seed import seed_subsidies

DEMO_PASSWORD = "loom-demo-2024"  # noqa: S105 - printed on the console; dev demo only
SYSTEM = Actor(kind="system", label="system:demo-seed")

ORGANISATIONS = (
    ("haishu-bureau", "海曙区经济和信息化局", OrgKind.BUREAU),
    ("yongfeng-apparel", "宁波甬丰服饰有限公司", OrgKind.ENTERPRISE),
    ("siming-knitwear", "宁波四明针织有限公司", OrgKind.ENTERPRISE),
    ("zhiyun-tech", "浙江智云数字科技有限公司", OrgKind.CONTRACTOR),
    ("kepu-assess", "宁波科普评估咨询有限公司", OrgKind.ASSESSOR),
)


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: who it is for and where it logs in."""

    username: str
    display_name: str
    role_label: str
    memberships: tuple[tuple[str, Role], ...]


LOGINS = (
    DemoLogin("bureau", "王科长", "District bureau (admin)", (("haishu-bureau", Role.ADMIN),)),
    DemoLogin("factory", "李厂长", "Enterprise owner (admin)", (("yongfeng-apparel", Role.ADMIN),)),
    DemoLogin(
        "planner", "陈计划", "Enterprise planner (manager)", (("yongfeng-apparel", Role.MANAGER),)
    ),
    DemoLogin(
        "operator", "张师傅", "Shop-floor operator (member)", (("yongfeng-apparel", Role.MEMBER),)
    ),
    DemoLogin(
        "contractor",
        "赵工程师",
        "General contractor (admin; also viewer at two factories)",
        (
            ("zhiyun-tech", Role.ADMIN),
            ("yongfeng-apparel", Role.VIEWER),
            ("siming-knitwear", Role.VIEWER),
        ),
    ),
    DemoLogin("assessor", "周评估师", "Assessor (manager)", (("kepu-assess", Role.MANAGER),)),
)


def seed_demo(
    session: Session, password: str = DEMO_PASSWORD, *, secret_key: str = ""
) -> list[DemoLogin]:
    """Create the demo organisations and users once; running it again changes nothing.

    With the server's ``secret_key`` the garment factory also gets this morning's signed scans.
    """
    orgs: dict[str, Organisation] = {org.slug: org for org in session.scalars(select(Organisation))}
    for slug, name, kind in ORGANISATIONS:
        if slug not in orgs:
            orgs[slug] = create_organisation(session, SYSTEM, slug=slug, name=name, kind=kind)
    for login in LOGINS:
        if session.scalar(select(User).where(User.username == login.username)) is not None:
            continue
        user = create_user(session, login.username, login.display_name, password)
        for slug, role in login.memberships:
            add_membership(session, SYSTEM, orgs[slug], user, role)
    seed_programme(session, orgs)
    seed_subsidies(session, orgs["haishu-bureau"])
    today = datetime.now(LOCAL_TZ).date()
    factory = orgs["yongfeng-apparel"]
    seed_shopfloor(session, factory, secret_key=secret_key, today=today)
    seed_equipment(session, factory, today=today)
    _seed_defect_catalogue(session, factory)
    return list(LOGINS)


def _seed_defect_catalogue(session: Session, org: Organisation) -> None:
    """Give the factory the common garment defects (codes it already has are left alone)."""
    previous = session.info.get(SCOPE_KEY)
    bind_scope(session, system_scope(org.id, org.kind, "demo-seed"))
    try:
        seed_defect_catalogue(session, system_scope(org.id, org.kind, "demo-seed"))
    finally:
        # the scope of whoever called the seed stays in force after it
        if previous is None:
            session.info.pop(SCOPE_KEY, None)
        else:
            session.info[SCOPE_KEY] = previous
