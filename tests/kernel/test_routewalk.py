"""The generated leak test's tools: body text of workbooks and zips, markers, bodies, digests."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date

from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import update

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Membership, Role
from loom.testing.factory import Factory
from loom.testing.routewalk import (
    Route,
    body_text,
    markers_in,
    minimal_value,
    openapi_path,
    rows_digest,
)
from tests.kernel.test_generated_leak import _object_table, _url


def _workbook(*rows: list[str | int | None]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_is_read_as_its_cells() -> None:
    text = body_text(_workbook(["款号", "YF-TEE"], [3, None]), "application/vnd.ms-excel")
    assert text.split("\n") == ["款号", "YF-TEE", "3"]
    assert markers_in(text, {"YF-TEE", "PO-9"}) == ["YF-TEE"]


def test_a_zip_is_read_file_by_file() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("styles.json", json.dumps([{"code": "LKA-1"}]))
        archive.writestr("lines.json", json.dumps([{"code": "LKA-2"}]))
    assert markers_in(body_text(out.getvalue()), {"LKA-1", "LKA-2", "LKA-3"}) == [
        "LKA-1",
        "LKA-2",
    ]


def test_json_escapes_of_chinese_are_seen_through() -> None:
    # json.dumps escapes non-ASCII by default: "宁波" becomes "\u5b81\u6ce2"
    escaped = json.dumps({"name": "宁波甬丰"})
    assert "宁波" not in escaped
    assert markers_in(escaped, {"宁波甬丰", "四明"}) == ["宁波甬丰"]


def test_minimal_value_fills_required_fields_only() -> None:
    components = {
        "Line": {
            "type": "object",
            "required": ["code", "when", "qty", "tags", "note"],
            "properties": {
                "code": {"type": "string", "minLength": 3},
                "when": {"type": "string", "format": "date"},
                "qty": {"type": "integer", "minimum": 5},
                "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "note": {"anyOf": [{"type": "null"}, {"enum": ["a", "b"]}]},
                "optional": {"type": "string"},
            },
        }
    }
    assert minimal_value({"$ref": "#/components/schemas/Line"}, components) == {
        "code": "xxx",
        "when": date.today().isoformat(),
        "qty": 5,
        "tags": ["x"],
        "note": "a",
    }


def test_route_parameters_are_found_and_filled() -> None:
    route = Route("GET", "/apps/energy/meters/{meter_id:int}/readings/{day}", None)
    assert route.params == ("meter_id", "day")
    assert route.fill(lambda name: 7 if name == "meter_id" else "2026-01-02") == (
        "/apps/energy/meters/7/readings/2026-01-02"
    )
    assert openapi_path(route.path) == "/apps/energy/meters/{meter_id}/readings/{day}"


def test_the_walk_maps_parameters_by_path_and_names_the_unmapped() -> None:
    plans = "/apps/equipment/maintenance/plans/{plan_id:int}/edit"
    assert _object_table(Route("GET", plans, None), "plan_id") == "equipment_maintenance_plan"
    balancing = Route("GET", "/api/v1/balancing/plans/{plan_id}", None)
    assert _object_table(balancing, "plan_id") == "balancing_plan"
    url, is_object, missing = _url(balancing, {"balancing_plan": 41}, "rules")
    assert (url, is_object, missing) == ("/api/v1/balancing/plans/41", True, [])
    # a parameter nobody mapped is reported, so a new route cannot slip through
    _unused, is_object, missing = _url(Route("GET", "/x/{widget_id}", None), {}, "rules")
    assert (is_object, missing) == (False, ["widget_id"])


def test_rows_digest_sees_a_changed_row(loom_app: FastAPI, factory: Factory) -> None:
    org = factory.org("digest-a")
    other = factory.org("digest-b")
    factory.user("dora", (org, Role.MEMBER))
    factory.user("olaf", (other, Role.MEMBER))
    sessions = loom_app.state.loom.session_factory
    with sessions() as session:
        before = rows_digest(session, [org.id])
    with session_scope(sessions) as session:
        session.execute(
            update(Membership).where(Membership.org_id == other.id).values(role="admin")
        )
    with sessions() as session:
        assert rows_digest(session, [org.id]) == before  # another organisation's row changed
    with session_scope(sessions) as session:
        session.execute(update(Membership).where(Membership.org_id == org.id).values(role="admin"))
    with sessions() as session:
        after = rows_digest(session, [org.id])
        ignored = rows_digest(session, [org.id], {"tenancy_membership": Membership.id > 0})
    assert [t for t in before if before[t] != after[t]] == ["tenancy_membership"]
    # every membership ignored: the digest is that of no rows at all
    assert ignored["tenancy_membership"] == hashlib.sha256(repr([]).encode()).hexdigest()
