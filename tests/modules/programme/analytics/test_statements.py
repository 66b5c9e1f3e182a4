"""The analytics read their pilots in one statement and the subsidy in one, same figures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.modules.programme.service.analytics import Filters, analytics_report
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.programme.analytics.helpers import seed


@both_backends
def test_pilots_levels_names_and_subsidy_in_two_statements(factory: Factory) -> None:
    s = seed(factory)
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if sql.lstrip().startswith("SELECT") and "set_config" not in sql:
            seen.append(" ".join(sql.split()))

    scope = system_scope(s.bureau.id, OrgKind.BUREAU, "test")
    engine = factory.runtime.engine
    with session_scope(factory.runtime.session_factory) as db:
        bind_scope(db, scope)
        event.listen(engine, "before_cursor_execute", note)
        try:
            report = analytics_report(db, scope, Filters(sector="nev_parts"))
        finally:
            event.remove(engine, "before_cursor_execute", note)
    projects = [sql for sql in seen if "FROM programme_project" in sql]
    assert len(projects) == 1
    # the enterprises' names, both on-site results and the contractors' names come with it
    for table in ("programme_enterprise", "programme_onsite_result", "tenancy_organisation"):
        assert [sql for sql in seen if table in sql] == projects, table
    payments = [sql for sql in seen if "subsidy_payment" in sql]
    assert len(payments) == 1
    assert "subsidy_award" in payments[0]
    # helpers' table: P4 (nev_parts, contractor B) from 0 to 2, 400,000 CNY awarded and paid
    (pilot,) = report.pilots
    assert pilot.project_id == s.projects["P4"]
    assert (pilot.before, pilot.after, pilot.gained) == (0, 2, 2)
    assert (pilot.awarded_fen, pilot.paid_fen) == (40_000_000, 40_000_000)
    assert pilot.enterprise.endswith("-P4 服饰有限公司")
    # only the contractor of the pilots shown is named, as before
    b = s.contractors["B"]
    assert report.contractor_names == {str(b.id): "hs 总包B"}
