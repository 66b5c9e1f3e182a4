"""A sample factory and signed events for the ingest tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.modules.shopfloor.engine.events import event_dict
from loom.modules.shopfloor.engine.tickets import ticket_key
from loom.modules.shopfloor.models import LineHour, OpCount, OperatorDay, OperatorHour
from loom.modules.shopfloor.service.sample import SampleFactory, seed_sample_factory
from loom.testing.factory import Factory, OrgRef

EVENTS = "/api/v1/shopfloor/events"
#: 2026-03-02 09:15 Beijing time = 01:15 UTC
T0 = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)


@dataclass
class Plant:
    """A seeded sample factory with a device client and a way to sign events."""

    org: OrgRef
    sample: SampleFactory
    device: TestClient
    key: bytes
    app: FastAPI

    def event(self, bundle_index: int = 0, op_index: int = 0, **changes: Any) -> dict[str, Any]:
        """Return a signed "done" event by the line's first operator for a bundle/operation."""
        bundle_no, qty, _ = self.sample.bundles[bundle_index]
        line = self.sample.lines[0]
        fields: dict[str, Any] = {
            "bundle": bundle_no,
            "operation": self.sample.operations[op_index],
            "operator": self.sample.operators[line][0],
            "ts": T0,
            "qty": qty,
        }
        fields.update(changes)
        return event_dict(self.key, self.org.id, **fields)

    def post(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        """Post a batch and return the answer, asserting it was a 200."""
        response = self.device.post(EVENTS, json=events)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def session(self) -> Any:
        """Open a unit of work bound to the plant's scope."""
        return _BoundSession(self.app, self.org)


class _BoundSession:
    def __init__(self, app: FastAPI, org: OrgRef) -> None:
        self.cm = session_scope(app.state.loom.session_factory)
        self.org = org

    def __enter__(self) -> Session:
        session = self.cm.__enter__()
        bind_scope(session, system_scope(self.org.id, self.org.kind, "test"))
        return session

    def __exit__(self, *exc: Any) -> None:
        self.cm.__exit__(*exc)


def make_plant(factory: Factory, slug: str = "plant", *, lines: int = 1, **kw: Any) -> Plant:
    """Seed a sample factory for a new enterprise and return it with a device client."""
    org = factory.org(slug, OrgKind.ENTERPRISE)
    with session_scope(factory.runtime.session_factory) as session:
        scope = system_scope(org.id, org.kind, "test")
        bind_scope(session, scope)
        sample = seed_sample_factory(session, scope, prefix=slug[:3].upper(), lines=lines, **kw)
    token = factory.token(org, ["shopfloor.event.write"], kind="device")
    key = ticket_key(factory.runtime.settings.secret_key, org.id)
    return Plant(org, sample, factory.token_client(token), key, factory.app)


def counters(session: Session, org_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Return every counter row of an organisation, sorted, for comparisons."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in (OpCount, LineHour, OperatorHour, OperatorDay):
        table = model.__table__
        rows = session.execute(select(table).where(table.c.org_id == org_id)).all()
        out[model.__tablename__] = sorted(tuple(r) for r in rows)
    return out
