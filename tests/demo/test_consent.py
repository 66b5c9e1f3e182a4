"""The district's sharing choices: every granularity, a withdrawal, and indices that show."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.models import AuditEvent
from loom.kernel.tenancy.models import Organisation
from loom.modules.brain.models import BrainConsent
from loom.modules.brain.service.consent import sharing_orgs

pytestmark = pytest.mark.xdist_group("demo")


def _granularity(value: object) -> object:
    data = json.loads(value) if isinstance(value, str) else value
    return data.get("granularity") if isinstance(data, dict) else None


def _org(db: Session, slug: str) -> int:
    org_id = db.scalar(select(Organisation.id).where(Organisation.slug == slug))
    assert org_id is not None
    return org_id


def test_consent_settings_of_every_kind(db: Session) -> None:
    rows = db.scalars(select(BrainConsent).execution_options(loom_all_tenants=True)).all()
    # six factories x six categories, each recorded once
    assert len(rows) == 36
    assert set(Counter(r.granularity for r in rows)) == {"daily", "weekly", "none"}
    # output is shared daily by yongfeng, siming, lihua, dongqian and weekly by gulin: five
    output = sharing_orgs(db, "output")
    assert sorted(output.values()) == ["daily"] * 4 + ["weekly"]
    assert _org(db, "tianyi-sportswear") not in output
    # orders: gulin keeps them, tianyi shares nothing but its digital level
    assert len(sharing_orgs(db, "orders")) == 4
    assert sharing_orgs(db, "digital_level")[_org(db, "tianyi-sportswear")] == "weekly"


def test_a_factory_that_withdrew_shows_it_in_its_history(db: Session) -> None:
    tianyi = _org(db, "tianyi-sportswear")
    changes = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.org_id == tianyi, AuditEvent.action == "brain.consent.changed")
        .order_by(AuditEvent.seq)
    ).all()
    withdrawn = [
        e for e in changes if _granularity(e.before) == "daily" and _granularity(e.after) == "none"
    ]
    # output, quality and capacity were shared daily, then withdrawn
    assert len(withdrawn) == 3
