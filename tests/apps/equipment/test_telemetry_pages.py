"""The OEE page: a maintenance lead sees OEE per line with the downtime Pareto; catalogues."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from loom.apps.equipment.app import HERE, spec
from loom.apps.equipment.permissions import TELEMETRY
from loom.kernel.tenancy.models import Role
from loom.testing.factory import Factory
from loom.testing.i18n import code_msgids, template_msgids
from tests.apps.equipment.telemetry_fixtures import TELEMETRY_WRITE, count, seed_ledger, state
from tests.kernel.web.test_i18n import CJK, placeholders

PAGE = "/apps/equipment/oee"
MINE = [
    HERE / "service" / name
    for name in ("oee.py", "oee_views.py", "telemetry.py", "telemetry_settings.py")
] + [HERE / "service" / "telemetry_records.py", HERE / "pages" / "telemetry.py"]


def _lead(factory: Factory) -> tuple[TestClient, int]:
    """Return a logged-in maintenance lead (a manager) of a plant with a day of telemetry."""
    org = factory.org("plant")
    ledger = seed_ledger(factory.runtime.session_factory, org.id)
    device = factory.token_client(factory.token(org, TELEMETRY_WRITE, kind="device"))
    records = [
        state(0, "M01", "running"),
        state(60, "M01", "down", "needle"),
        state(90, "M01", "running"),
        *(count(m, "M01", 20, 1) for m in range(10, 540, 20)),
        state(0, "M02", "running"),
        state(100, "M02", "down", "jam"),
        state(130, "M02", "running"),
        state(300, "M02", "down", "jam"),
        state(320, "M02", "running"),
    ]
    assert device.post("/api/v1/ingest/telemetry", json=records).status_code == 200
    factory.user("lee", (org, Role.MANAGER))
    return factory.client("lee"), ledger.line_id


def test_the_page_shows_oee_per_line_and_the_pareto(factory: Factory) -> None:
    lead, line_id = _lead(factory)
    response = lead.get(PAGE, params={"date": "2026-03-02"})
    assert response.status_code == 200
    html = response.text
    assert "L1 · 缝制一线" in html
    assert html.count('data-testid="oee-machine"') == 3  # M01, M02 and M03 (on no line)
    assert "未归属产线的设备" in html  # Machines on no line
    # M01: availability 450 / 480 = 93.8 %; the line's total row is there too
    assert "93.8%" in html
    assert 'data-testid="oee-line-total"' in html
    # the Pareto: jam 20 + 30 = 50 min in 2 stoppages, needle 30 min in 1, as bars
    option = json.loads(re.search(r"id=\"oee-pareto-chart\"[^>]*data-option='([^']*)'", html)[1])
    assert option["xAxis"]["data"] == ["jam", "needle"]
    assert option["series"][0]["data"] == [50.0, 30.0]
    # cumulative share: 50 / 80 = 62.5 %, then 100 %
    assert option["series"][1]["data"] == [62.5, 100.0]
    one_line = lead.get(PAGE, params={"date": "2026-03-02", "line": line_id})
    assert one_line.text.count('data-testid="oee-machine"') == 2


def test_the_page_is_chinese_by_default_and_handles_empty_days(factory: Factory) -> None:
    lead, _line = _lead(factory)
    html = lead.get(PAGE, params={"date": "2026-01-05"}).text
    assert "停机原因柏拉图" in html
    assert "当天没有计划外停机。" in html
    # nothing reported that day: every share is unknown, shown as a dash
    assert html.count("—") >= 3 * 4


def test_a_factory_without_machines_sees_an_empty_state(factory: Factory) -> None:
    org = factory.org("empty-plant")
    factory.user("eve", (org, Role.ADMIN))
    html = factory.client("eve").get(PAGE).text
    assert "还没有设备" in html  # No machines yet


def test_another_tenant_sees_none_of_the_plant(factory: Factory) -> None:
    _lead(factory)
    other = factory.org("other-plant")
    factory.user("otto", (other, Role.ADMIN))
    html = factory.client("otto").get(PAGE, params={"date": "2026-03-02"}).text
    assert "M01" not in html
    assert "needle" not in html


def _msgids() -> set[str]:
    """Return every text the telemetry part can show."""
    return (
        template_msgids(HERE / "templates", "telemetry_*.html")
        | code_msgids([*MINE, HERE / "api" / "telemetry.py"])
        | {perm.description for perm in TELEMETRY}
        | {item.label for item in spec.nav if item.path == PAGE}
        | {"Downtime minutes", "Cumulative share", "Minutes", "(no reason given)"}
    )


def test_every_text_has_its_chinese_and_keeps_placeholders() -> None:
    path = HERE / "translations" / "zh_CN" / "LC_MESSAGES" / "telemetry.po"
    with Path(path).open("rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    ids = _msgids()
    assert len(ids) > 25, "the extraction found suspiciously few texts"
    missing = sorted(ids - catalogue.keys())
    assert missing == []
    for msgid in ids:
        assert placeholders(msgid) == placeholders(catalogue[msgid]), msgid
        if msgid != "OEE":
            assert CJK.search(catalogue[msgid]), msgid
