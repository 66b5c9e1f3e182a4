"""Rules of consent: what an enterprise shares with the brain, changed only by itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import ValidationFailed
from loom.kernel.plugins.spec import SHARING_CATEGORIES
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.models import GRANULARITIES, BrainConsent


def consents_of(session: Session, scope: Scope) -> dict[str, str]:
    """Return the scope's enterprise's granularity per category ("none" when never set)."""
    rows = session.scalars(select(BrainConsent).where(BrainConsent.org_id == scope.org_id))
    chosen = {row.category: row.granularity for row in rows}
    return {category: chosen.get(category, "none") for category in SHARING_CATEGORIES}


def set_consent(session: Session, scope: Scope, category: str, granularity: str) -> BrainConsent:
    """Share ``category`` at ``granularity`` ("none" revokes); audited with before and after."""
    if scope.org_kind != OrgKind.ENTERPRISE:
        raise ValidationFailed("Only an enterprise shares its own data", field="org")
    if category not in SHARING_CATEGORIES:
        raise ValidationFailed(
            "category: one of %(choices)s",
            field="category",
            params={"choices": ", ".join(SHARING_CATEGORIES)},
        )
    if granularity not in GRANULARITIES:
        raise ValidationFailed(
            "granularity: one of %(choices)s",
            field="granularity",
            params={"choices": ", ".join(GRANULARITIES)},
        )
    row = session.scalar(
        select(BrainConsent).where(
            BrainConsent.org_id == scope.org_id, BrainConsent.category == category
        )
    )
    before = row.granularity if row is not None else "none"
    if row is None:
        row = BrainConsent(org_id=scope.org_id, category=category, granularity=granularity)
        session.add(row)
    row.granularity = granularity
    row.changed_by = scope.actor.label
    session.flush()
    record_scoped(
        session,
        scope,
        "brain.consent.changed",
        "brain_consent",
        row.id,
        before={"category": category, "granularity": before},
        after={"category": category, "granularity": granularity},
    )
    return row


def sharing_orgs(session: Session, category: str) -> dict[int, str]:
    """Return every enterprise sharing ``category`` with its granularity (system-wide read)."""
    # Consent rows are the one thing the brain reads across tenants without a data read:
    # they say whom it may read at all.
    rows = session.execute(
        select(BrainConsent.org_id, BrainConsent.granularity)
        .where(BrainConsent.category == category, BrainConsent.granularity != "none")
        .execution_options(loom_all_tenants=True)
    )
    return {int(org_id): str(granularity) for org_id, granularity in rows}


def sharing_enterprises(session: Session, category: str) -> list[tuple[Organisation, str]]:
    """Return the active enterprises sharing ``category`` with their granularity, by id.

    ``sharing_orgs`` and the organisations behind it in one statement: the brain's pages ask
    this on every view.
    """
    rows = session.execute(
        select(Organisation, BrainConsent.granularity)
        .join(BrainConsent, BrainConsent.org_id == Organisation.id)
        .where(
            BrainConsent.category == category,
            BrainConsent.granularity != "none",
            Organisation.kind == OrgKind.ENTERPRISE,
            Organisation.is_active.is_(True),
        )
        .order_by(Organisation.id)
        .execution_options(loom_all_tenants=True)
    )
    return [(org, str(granularity)) for org, granularity in rows]
