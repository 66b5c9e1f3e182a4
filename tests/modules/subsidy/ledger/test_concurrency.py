"""Two approvals at once on PostgreSQL: the second waits, then sees the first and is refused.

PostgreSQL reads committed data, so without a lock both transactions would quote the same
headroom before either commits. The second test takes the lock away and shows exactly that: both
pass and the enterprise ends up past its cap. It proves the first test's lock is what holds.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.modules.subsidy.models import Award
from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service.awards import CapExceeded
from loom.modules.subsidy.service.claims import ClaimIn
from loom.testing.factory import Factory
from tests.modules.subsidy.ledger import WAN, bureau, db, pilot_project, scope_of

postgres_only = pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
WAIT = 1.0  # seconds the second approval is given to (wrongly) get through


def _race(factory: Factory) -> tuple[list[Any], int]:
    """Approve 500,000 twice for one enterprise from two sessions; return outcomes and count."""
    district = bureau(factory)
    scope = scope_of(district.org)
    project = pilot_project(factory, district.org, 1, invest_fen=150 * WAN)
    claim = ClaimIn("pilot-project", project_id=project)
    first: Session = factory.runtime.session_factory()
    second: Session = factory.runtime.session_factory()
    outcomes: list[Any] = []

    def approve_second() -> None:
        try:
            outcomes.append(svc.approve(second, scope, claim).amount_fen)
            second.commit()
        except CapExceeded as refused:
            second.rollback()
            outcomes.append(refused)

    try:
        svc.approve(first, scope, claim)  # flushed, holding its locks, not yet committed
        racer = threading.Thread(target=approve_second)
        racer.start()
        racer.join(WAIT)
        waited = racer.is_alive()
        first.commit()
        racer.join(30)
        assert not racer.is_alive()
        outcomes.insert(0, waited)
    finally:
        first.close()
        second.close()
    with db(factory) as session:
        count = session.scalar(select(func.count()).select_from(Award)) or 0
    return outcomes, count


@postgres_only
def test_the_second_of_two_concurrent_approvals_is_refused(factory: Factory) -> None:
    (waited, second), count = _race(factory)
    assert waited is True  # blocked on the beneficiary's lock until the first committed
    assert isinstance(second, CapExceeded)
    assert (second.limit, second.most_fen) == ("per_beneficiary_cap", 0)
    assert count == 1


@postgres_only
def test_without_the_lock_both_would_pass_the_cap(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "_lock", lambda *_args: None)
    (_waited, second), count = _race(factory)
    # both quoted 500,000 before either committed: 1,000,000 for one enterprise
    assert second == 50 * WAN
    assert count == 2
