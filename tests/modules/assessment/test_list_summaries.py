"""The assessment list in one statement: the same rows, totals and names as the repository's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import organisation_names
from loom.modules.assessment.models import Assessment, RuleSetVersion
from loom.modules.assessment.service import summaries
from loom.modules.assessment.service.assessments import AssessmentRepository
from loom.modules.assessment.service.rulesets import ensure_builtin
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from loom.testing.statements import selects_during

T = TypeVar("T")


@dataclass(frozen=True)
class Orgs:
    """Two enterprises and an assessor; ``ids`` maps each assessment's title to its id."""

    acme: OrgRef
    beta: OrgRef
    assessor: OrgRef
    ids: dict[str, int]


#: title, owner, kind, phase, day of March 2026, status, score, level, by the assessor
ROWS = (
    ("A1 自评", "acme", "self", "before", 1, "submitted", 31.5, 1, False),
    ("A2 自评", "acme", "self", "after", 5, "draft", None, None, False),
    ("A3 现场", "acme", "onsite", "before", 3, "submitted", 28.0, 1, True),
    ("A4 自评", "acme", "self", "after", 9, "submitted", 44.25, 2, False),
    ("A5 自评", "acme", "self", "before", 9, "draft", None, None, False),
    ("B1 现场", "beta", "onsite", "after", 7, "submitted", 40.0, 2, True),
    ("B2 自评", "beta", "self", "before", 2, "submitted", 20.0, 0, False),
)


@pytest.fixture
def orgs(factory: Factory) -> Orgs:
    acme = factory.org("acme", OrgKind.ENTERPRISE, name="Acme 服饰")
    beta = factory.org("beta", OrgKind.ENTERPRISE, name="Beta 电机")
    assessor = factory.org("judge", OrgKind.ASSESSOR, name="评估所")
    owners = {"acme": acme, "beta": beta}
    ids: dict[str, int] = {}
    with session_scope(factory.runtime.session_factory) as db:
        ensure_builtin(db)
        ruleset = db.scalars(select(RuleSetVersion.id).order_by(RuleSetVersion.id)).first()
        assert ruleset is not None
        for title, owner, kind, phase, day, status, score, level, onsite in ROWS:
            row = Assessment(
                kind=kind,
                phase=phase,
                title=title,
                assessed_on=date(2026, 3, day),
                status=status,
                ruleset_id=ruleset,
                questionnaire={"answers": {}, "scenes": {}},
                score=score,
                level=level,
                assessor_org_id=assessor.id if onsite else None,
            )
            row.org_id = owners[owner].id
            db.add(row)
            db.flush()
            ids[title] = row.id
    return Orgs(acme, beta, assessor, ids)


@contextmanager
def _scoped(factory: Factory, org: OrgRef) -> Iterator[tuple[Session, Scope]]:
    scope = system_scope(org.id, org.kind, "test")
    with session_scope(factory.runtime.session_factory) as db:
        bind_scope(db, scope)
        yield db, scope


def _counted(factory: Factory, action: Callable[[], T]) -> tuple[T, list[str]]:
    return selects_during(factory.runtime.engine, action)


FIELDS = ("id", "kind", "phase", "title", "assessed_on", "status", "score", "level", "org_id")


def _old(db: Session, scope: Scope, **query: Any) -> tuple[list[tuple[Any, ...]], int, list[int]]:
    """Return what the page used to read: the repository's page, total and submitted ids."""
    repo = AssessmentRepository(db, scope)
    page = repo.listing(**query)
    rows = [tuple(getattr(a, f) for f in FIELDS) for a in page.items]
    submitted = [a.id for a in repo.listing(limit=200).items if a.status == "submitted"]
    return rows, page.total, submitted


QUERIES: list[dict[str, Any]] = [
    {"limit": 25},
    {"limit": 2},
    {"offset": 2, "limit": 2},
    {"offset": 4, "limit": 2},
    {"offset": 40, "limit": 2},
    {"kind": "self", "limit": 25},
    {"phase": "after", "limit": 1},
    {"q": "现场", "limit": 25},
    {"q": "zzz", "limit": 25},
    {"kind": "onsite", "phase": "before", "offset": 1, "limit": 25},
]


@both_backends
@pytest.mark.parametrize("who", ["acme", "beta", "assessor"])
def test_the_list_shows_what_the_repository_listed(factory: Factory, orgs: Orgs, who: str) -> None:
    org = getattr(orgs, who)
    with _scoped(factory, org) as (db, scope):
        for query in QUERIES:
            page, submitted = summaries.list_view(db, scope, **query)
            rows, total, old_submitted = _old(db, scope, **query)
            assert [tuple(getattr(s, f) for f in FIELDS) for s in page.items] == rows, query
            assert (page.total, page.offset) == (total, query.get("offset", 0)), query
            assert [s.id for s in submitted] == old_submitted
            names = organisation_names(db, [s.org_id for s in [*page.items, *submitted]])
            assert {s.org_id: s.org_name for s in [*page.items, *submitted]} == names


@both_backends
def test_rows_names_and_walls_by_hand(factory: Factory, orgs: Orgs) -> None:
    ids = orgs.ids
    with _scoped(factory, orgs.acme) as (db, scope):
        (page, submitted), sql = _counted(factory, lambda: summaries.list_view(db, scope))
    # newest first, the 9th's two by id (A5 was added after A4): acme's five, none of beta's
    assert [s.title for s in page.items] == ["A5 自评", "A4 自评", "A2 自评", "A3 现场", "A1 自评"]
    assert [s.id for s in submitted] == [ids["A4 自评"], ids["A3 现场"], ids["A1 自评"]]
    assert {s.org_name for s in page.items} == {"Acme 服饰"}
    assert page.total == 5
    assert len(sql) == 1  # the page, the comparison choices and the names: one statement
    with _scoped(factory, orgs.assessor) as (db, scope):
        (page, _submitted), sql = _counted(
            factory, lambda: summaries.list_view(db, scope, kind="onsite")
        )
    # the assessor sees the on-site ones it wrote, in both enterprises, with their names
    assert [(s.title, s.org_name) for s in page.items] == [
        ("B1 现场", "Beta 电机"),
        ("A3 现场", "Acme 服饰"),
    ]
    assert len(sql) == 2  # filtered: the page, then the newest for the comparison
    with _scoped(factory, orgs.beta) as (db, scope):
        page, _submitted = summaries.list_view(db, scope, q="A")
    assert page.items == []
    assert page.total == 0


@both_backends
def test_more_than_the_recent_ones_still_counts_the_total(
    factory: Factory, orgs: Orgs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # with only the 3 newest read for the comparison, acme's 5 need a count
    monkeypatch.setattr(summaries, "RECENT", 3)
    with _scoped(factory, orgs.acme) as (db, scope):
        (page, submitted), sql = _counted(factory, lambda: summaries.list_view(db, scope, limit=2))
    assert [s.title for s in page.items] == ["A5 自评", "A4 自评"]
    assert page.total == 5
    assert page.has_next
    assert [s.title for s in submitted] == ["A4 自评"]  # of A5, A4, A2
    assert len(sql) == 2
