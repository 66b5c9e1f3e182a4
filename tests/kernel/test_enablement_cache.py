"""App enablement is read once per transaction, and writes are seen at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.enablement import enabled_apps, is_enabled, set_enabled
from loom.kernel.tenancy.models import Organisation
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends


@contextmanager
def counted(app: FastAPI) -> Iterator[list[str]]:
    """Collect the statements sent on the app's engine inside the block."""
    seen: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    engine = app.state.loom.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def _enablement_reads(statements: list[str]) -> int:
    return sum("plugins_app_enablement" in s for s in statements)


@both_backends
def test_every_app_is_decided_with_one_query_per_transaction(
    loom_app: FastAPI, factory: Factory
) -> None:
    ref = factory.org("acme")
    apps = loom_app.state.loom.apps
    with session_scope(loom_app.state.loom.session_factory) as s:
        org = s.get(Organisation, ref.id)
        assert org is not None
        with counted(loom_app) as statements:
            first = enabled_apps(s, org, apps)
            again = enabled_apps(s, org, apps)
    # one query for all installed apps (there are more than ten), none the second time
    assert len(apps) > 10
    assert _enablement_reads(statements) == 1
    assert [spec.slug for spec in first] == [spec.slug for spec in again]
    assert first  # an enterprise has apps on by default


def _set(session: Session, ref_id: int, slug: str, app: FastAPI, on: bool) -> None:
    org = session.get(Organisation, ref_id)
    assert org is not None
    spec = app.state.loom.apps[slug]
    set_enabled(session, system_scope(org.id, org.kind, "test"), org, spec, on)


@both_backends
def test_a_change_is_seen_in_the_same_transaction_and_by_the_next(
    loom_app: FastAPI, factory: Factory
) -> None:
    # The organisation has no rows: every app is at its default (on). Each change below
    # creates a row, which only a fresh read can find.
    acme, beta = factory.org("acme"), factory.org("beta")
    spec = loom_app.state.loom.apps["quality"]
    sessions = loom_app.state.loom.session_factory
    reader = sessions()
    try:
        org = reader.get(Organisation, acme.id)
        assert org is not None
        assert is_enabled(reader, org, spec)  # read, and kept, before anyone changes it
        _set(reader, acme.id, "quality", loom_app, False)
        assert not is_enabled(reader, org, spec)  # the writer dropped what was kept
        other_org = reader.get(Organisation, beta.id)
        assert other_org is not None
        assert is_enabled(reader, other_org, spec)
        reader.commit()
        with session_scope(sessions) as other:  # another request turns it off for beta
            _set(other, beta.id, "quality", loom_app, False)
        assert not is_enabled(reader, other_org, spec)  # the reader's next transaction sees it
    finally:
        reader.close()
