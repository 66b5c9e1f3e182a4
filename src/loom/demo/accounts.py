"""Who the demo is for: its organisations, its logins (one per role) and how they are created."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import SCOPE_KEY, bind_scope
from loom.kernel.identity.models import User
from loom.kernel.identity.service import create_user
from loom.kernel.tenancy.models import Organisation, OrgKind, Role
from loom.kernel.tenancy.scope import Actor, Scope
from loom.kernel.tenancy.service import add_membership, create_organisation

DEMO_PASSWORD = "loom-demo-2024"  # noqa: S105 - printed on the console; dev demo only  # nosec B105
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

#: the full district's extra login: the owner of a second garment factory
SECOND_OWNER = DemoLogin(
    "factory2", "孙厂长", "Second garment factory owner (admin)", (("siming-knitwear", Role.ADMIN),)
)
DISTRICT_LOGINS = (*LOGINS, SECOND_OWNER)


def ensure_organisations(
    session: Session, wanted: Iterable[tuple[str, str, OrgKind]]
) -> dict[str, Organisation]:
    """Return every organisation by slug, creating those of ``wanted`` that are missing."""
    orgs: dict[str, Organisation] = {org.slug: org for org in session.scalars(select(Organisation))}
    for slug, name, kind in wanted:
        if slug not in orgs:
            orgs[slug] = create_organisation(session, SYSTEM, slug=slug, name=name, kind=kind)
    return orgs


def ensure_logins(
    session: Session, orgs: dict[str, Organisation], logins: Iterable[DemoLogin], password: str
) -> None:
    """Create each login that does not exist yet, with its memberships."""
    for login in logins:
        if session.scalar(select(User).where(User.username == login.username)) is not None:
            continue
        user = create_user(session, login.username, login.display_name, password)
        for slug, role in login.memberships:
            add_membership(session, SYSTEM, orgs[slug], user, role)


def scope_of(org: Organisation, reason: str) -> Scope:
    """Return a system scope acting for ``org`` in the demo seed."""
    return system_scope(org.id, org.kind, f"demo-seed:{reason}")


@contextmanager
def bound(session: Session, scope: Scope) -> Iterator[Scope]:
    """Bind ``scope`` to the session for a block; the caller's scope is back afterwards."""
    previous = session.info.get(SCOPE_KEY)
    bind_scope(session, scope)
    try:
        yield scope
    finally:
        # the seed goes on with other organisations in the same session
        if previous is None:
            session.info.pop(SCOPE_KEY, None)
        else:
            session.info[SCOPE_KEY] = previous
