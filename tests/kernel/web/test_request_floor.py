"""The per-request floor: one query for the user and memberships, batched audit and enablement."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest
from babel.numbers import format_decimal, parse_pattern
from fastapi import FastAPI, Request
from sqlalchemy import event, select, update

from loom.kernel.audit.models import AuditEvent
from loom.kernel.audit.service import GENESIS, event_digest, record, record_each
from loom.kernel.audit.verify import verify_chains
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.enablement import is_enabled, preload, set_enabled
from loom.kernel.tenancy.models import Organisation, Role
from loom.kernel.web.i18n import LOCALE_COOKIE, LOCALES
from loom.kernel.web.templating import page_context
from loom.testing.factory import TEST_ACTOR, Factory
from loom.testing.plugin import both_backends


def _deactivate(app: FastAPI, org_id: int) -> None:
    with session_scope(app.state.loom.session_factory) as s:
        s.execute(update(Organisation).where(Organisation.id == org_id).values(is_active=False))


def _statements_of(app: FastAPI, action: Callable[[], object]) -> list[str]:
    seen: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        seen.append(" ".join(sql.split()))

    event.listen(app.state.loom.engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(app.state.loom.engine, "before_cursor_execute", note)
    return seen


@both_backends
def test_a_session_skips_inactive_organisations_and_ends_with_the_last(
    loom_app: FastAPI, factory: Factory
) -> None:
    first = factory.org("aaa-first", name="Aaa first")
    second = factory.org("bbb-second", name="Bbb second")
    factory.user("mira", (first, Role.ADMIN), (second, Role.MEMBER))
    client = factory.client("mira")
    home = client.get("/")
    assert home.status_code == 200
    assert "Aaa first" in home.text
    assert "Bbb second" in home.text
    # the user, the memberships and their organisations come in one statement, no lazy load
    statements = _statements_of(loom_app, lambda: client.get("/"))
    assert sum("FROM identity_user" in sql for sql in statements) == 1
    assert not [sql for sql in statements if "WHERE tenancy_organisation.id = " in sql]
    _deactivate(loom_app, first.id)
    # the session named the first organisation; it is gone, so the second one is active
    home = client.get("/")
    assert home.status_code == 200
    assert "Aaa first" not in home.text
    assert "Bbb second" in home.text
    _deactivate(loom_app, second.id)
    assert client.get("/", follow_redirects=False).status_code in (302, 303, 401)


@both_backends
def test_record_each_chains_like_record_one_by_one(loom_app: FastAPI, factory: Factory) -> None:
    one, two = factory.org("chain-one"), factory.org("chain-two")
    with session_scope(loom_app.state.loom.session_factory) as s:
        record(s, org_id=one.id, actor=TEST_ACTOR, action="t.a", target_type="t", target_id=1)
        written = record_each(
            s,
            [(two.id, 7, {"n": 1}), (one.id, 8, {"n": 2}), (two.id, 9, {"n": 3})],
            actor=TEST_ACTOR,
            action="t.read",
            target_type="t",
            request_id="req",
        )
        assert [(e.chain, e.target_id) for e in written] == [
            (two.id, "7"),
            (one.id, "8"),
            (two.id, "9"),
        ]
    with session_scope(loom_app.state.loom.session_factory) as s:
        assert verify_chains(s).problem is None
        rows = {
            chain: list(
                s.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.chain == chain, AuditEvent.action.like("t.%"))
                    .order_by(AuditEvent.seq)
                )
            )
            for chain in (one.id, two.id)
        }
    two_events = rows[two.id]
    # a fresh chain: the first of the batch starts it, the second follows it
    assert [e.target_id for e in two_events] == ["7", "9"]
    assert two_events[1].seq == two_events[0].seq + 1
    assert two_events[1].prev_hash == two_events[0].hash
    assert all(e.hash == event_digest(e) for e in two_events)
    # an existing chain: the batch's event follows the event recorded before it
    before, after = rows[one.id][-2:]
    assert (before.action, after.action) == ("t.a", "t.read")
    assert after.prev_hash == before.hash != GENESIS
    assert json.loads(json.dumps(after.after)) == {"n": 2}
    assert after.request_id == "req"


@both_backends
def test_preload_reads_every_organisation_once_and_sees_a_change_next_time(
    loom_app: FastAPI, factory: Factory
) -> None:
    orgs = [factory.org(f"pre-{n}") for n in range(3)]
    runtime = loom_app.state.loom
    spec = next(s for s in runtime.apps.values() if orgs[0].kind in s.org_kinds)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        if "app_enablement" in sql:
            statements.append(sql)

    with session_scope(runtime.session_factory) as s:
        event.listen(runtime.engine, "before_cursor_execute", count)
        try:
            preload(s, [o.id for o in orgs])
            states = [is_enabled(s, s.get(Organisation, o.id), spec) for o in orgs]
        finally:
            event.remove(runtime.engine, "before_cursor_execute", count)
        assert len(statements) == 1
        assert states == [spec.enabled_by_default] * 3
        target = s.get(Organisation, orgs[1].id)
        scope = system_scope(target.id, target.kind, "test")
        set_enabled(s, scope, target, spec, not spec.enabled_by_default)
        preload(s, [o.id for o in orgs])  # after a write: read again, not the stale rows
        assert is_enabled(s, target, spec) is not spec.enabled_by_default


def _fmt_num(app: FastAPI, locale: str) -> Callable[..., str]:
    cookie = f"{LOCALE_COOKIE}={locale}".encode()
    request = Request({"type": "http", "app": app, "headers": [(b"cookie", cookie)]})
    fmt: Callable[..., str] = page_context(request)["fmt_num"]
    return fmt


@pytest.mark.parametrize("locale", LOCALES)
def test_integers_are_formatted_as_babel_formats_them(loom_app: FastAPI, locale: str) -> None:
    fmt = _fmt_num(loom_app, locale)
    pattern = parse_pattern("#,##0")
    samples = [0, 7, -7, 999, 1000, -1000, 12345, 999_999, 1_000_000, -98_765_432, 10**15]
    samples += [random.Random(n).randint(-(10**12), 10**12) for n in range(300)]
    for value in samples:
        assert fmt(value) == format_decimal(value, format=pattern, locale=locale)
    # not integers: Babel as before (its rounding differs from Python's for floats)
    assert fmt(2.675, 2) == format_decimal(2.675, format="#,##0.00", locale=locale)
    assert fmt(None) == "—"
