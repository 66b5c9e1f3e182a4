"""The demo factories' choices of what to share with the industry brain: every kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from loom.demo.accounts import bound, scope_of
from loom.kernel.plugins.spec import SHARING_CATEGORIES
from loom.modules.brain.service.consent import set_consent

if TYPE_CHECKING:
    from loom.demo.district import District

#: per factory, the granularity of each category (missing: not shared). Four factories share
#: everything daily so the district's indices pass the 3-enterprise rule; one shares weekly
#: and keeps its orders to itself; one shared, then withdrew all but its digital level.
CHOICES: dict[str, dict[str, str]] = {
    "yongfeng-apparel": dict.fromkeys(SHARING_CATEGORIES, "daily"),
    "siming-knitwear": dict.fromkeys(SHARING_CATEGORIES, "daily"),
    "lihua-garments": dict.fromkeys(SHARING_CATEGORIES, "daily"),
    "dongqian-sports": {**dict.fromkeys(SHARING_CATEGORIES, "daily"), "energy": "weekly"},
    "gulin-fashion": {**dict.fromkeys(SHARING_CATEGORIES, "weekly"), "orders": "none"},
    "tianyi-sportswear": {"digital_level": "weekly"},
}
#: the factory whose history shows a revocation: it shared these daily before withdrawing
REVOKED = ("tianyi-sportswear", ("output", "quality", "capacity"))


def seed_consents(session: Session, district: District) -> None:
    """Record each factory's sharing choices through the brain's own (audited) service."""
    slug, withdrawn = REVOKED
    for factory, choices in CHOICES.items():
        org = district.orgs[factory]
        with bound(session, scope_of(org, "consent")) as scope:
            if factory == slug:
                for category in withdrawn:
                    set_consent(session, scope, category, "daily")
            for category in SHARING_CATEGORIES:
                set_consent(session, scope, category, choices.get(category, "none"))
