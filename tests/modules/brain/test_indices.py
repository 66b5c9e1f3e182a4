"""Industry indices: only consenting enterprises count, small cells are hidden everywhere.

The district and its figures are in ``district.py``.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.session import session_scope
from loom.modules.brain.engine.kanon import ALL, TOTAL
from loom.modules.brain.models import BrainRead
from loom.modules.brain.service.indices import IndexTable, index_table
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.brain.district import END, METRIC, START, W1, W2, District, seed_district, share

API = "/api/v1/brain"
PAGES = "/apps/brain"


def _index(factory: Factory, district: District, by: str = "all") -> IndexTable:
    with session_scope(factory.runtime.session_factory) as s:
        return index_table(s, district.reader(), factory.runtime.apps, METRIC, START, END, by)


def _shown(found: IndexTable, row: object, column: object) -> float | None:
    cell = found.table.shown(row, column)
    return None if cell is None else cell.numerator


def test_only_consenting_enterprises_make_the_district_figure(factory: Factory) -> None:
    district = seed_district(factory)
    found = _index(factory, district)
    # 1 050 in W1 (five enterprises), 720 in W2 (four), 1 770 in all: E5 never counts
    assert _shown(found, ALL, W1) == 1050
    assert _shown(found, ALL, W2) == 720
    assert _shown(found, ALL, TOTAL) == 1770
    assert found.table.cell(ALL, TOTAL).orgs == {
        district.orgs[n].id for n in ("E1", "E2", "E3", "E4", "E6")
    }


def test_each_read_is_logged_for_the_enterprise_read_and_no_other(factory: Factory) -> None:
    district = seed_district(factory)
    _index(factory, district)
    with session_scope(factory.runtime.session_factory) as s:
        reads = s.scalars(select(BrainRead)).all()
        by_org = {r.org_id: r for r in reads}
        assert set(by_org) == {district.orgs[n].id for n in ("E1", "E2", "E3", "E4", "E6")}
        e2 = by_org[district.orgs["E2"].id]
        assert (e2.metric, e2.granularity, e2.reader_org_id) == (
            METRIC,
            "weekly",
            district.bureau.id,
        )
        assert e2.purpose == "Industry index of the district"
        assert (e2.period_start, e2.period_end) == (START, END)
        # the audit event sits in the read enterprise's own chain; E5 has none
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "brain.data.read")).all()
        assert sorted(e.org_id for e in events) == sorted(by_org)


@both_backends
def test_revoking_removes_the_enterprise_from_the_next_computation(factory: Factory) -> None:
    district = seed_district(factory)
    assert _shown(_index(factory, district), ALL, TOTAL) == 1770
    share(factory, district.orgs["E3"], "output", "none")
    found = _index(factory, district)
    # without E3: W1 1 050 − 300 = 750, W2 720 − 330 = 390, in all 1 140
    assert (_shown(found, ALL, W1), _shown(found, ALL, W2)) == (750, 390)
    assert _shown(found, ALL, TOTAL) == 1140
    with session_scope(factory.runtime.session_factory) as s:
        e3_reads = s.scalar(
            select(func.count())
            .select_from(BrainRead)
            .where(BrainRead.org_id == district.orgs["E3"].id)
        )
    assert e3_reads == 1  # the first computation only


def test_a_two_enterprise_town_is_hidden(factory: Factory) -> None:
    district = seed_district(factory)
    found = _index(factory, district, "town")
    # 古林镇 has E1 and E2 only: every one of its figures is hidden; so is 高桥镇 (E3 and E4;
    # E5 does not share) and the unlisted E6. The district row still shows: it sums at least
    # three enterprises, and no shown cell can be subtracted from it.
    for town in ("古林镇", "高桥镇", ""):
        for column in (W1, W2, TOTAL):
            assert found.table.cell(town, column).orgs
            assert found.table.shown(town, column) is None
            assert found.table.is_suppressed(town, column)
    assert _shown(found, ALL, TOTAL) == 1770


@both_backends
def test_the_api_hides_the_same_cells(factory: Factory) -> None:
    seed_district(factory)
    client = factory.client("bea")
    got = client.get(
        f"{API}/indices/{METRIC}", params={"from": "2026-03-09", "to": "2026-03-22", "by": "town"}
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["columns"] == ["2026-03-09", "2026-03-16"]
    rows = {row["group"]: row for row in body["rows"]}
    assert set(rows) == {"古林镇", "高桥镇", "", "*"}
    gulin = rows["古林镇"]
    assert [c["value"] for c in gulin["cells"]] == [None, None]
    assert all(c["suppressed"] for c in gulin["cells"])
    assert gulin["total"]["suppressed"]
    assert gulin["enterprises"] is None
    district = rows["*"]
    assert [c["value"] for c in district["cells"]] == [1050, 720]
    assert district["total"]["value"] == 1770
    assert district["enterprises"] == 5


def test_the_page_and_the_workbook_hide_the_same_cells(factory: Factory) -> None:
    seed_district(factory)
    client = factory.client("bea")
    params = {"metric": METRIC, "from": "2026-03-09", "to": "2026-03-22", "by": "town"}
    page = client.get(f"{PAGES}/indices", params=params)
    assert page.status_code == 200, page.text
    # three towns (two named, one unlisted) × two weeks and a total each are hidden
    assert page.text.count('data-testid="suppressed"') == 9
    assert "1,770" in page.text
    assert "5,000" not in page.text
    assert "5,330" not in page.text
    sheet = client.get(f"{PAGES}/indices.xlsx", params=params)
    assert sheet.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    ws = book.active
    assert isinstance(ws, Worksheet)
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    hidden = by_label["古林镇"]
    assert all(isinstance(v, str) and "3" in v for v in hidden[:3])
    numbers = [v for row in rows[1:] for v in row[1:4] if isinstance(v, (int, float))]
    assert sorted(numbers) == [720, 1050, 1770]  # only the district row carries figures
