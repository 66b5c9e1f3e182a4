"""Organisation export of rows with UUID columns (found by the API fuzzer: GET /org/export 500)."""

from __future__ import annotations

import json
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import build_engine, session_scope
from loom.kernel.portability.archive import export_org, import_archive
from loom.modules.shopfloor.models import ScanEvent
from loom.testing.databases import fresh_sqlite
from loom.testing.factory import Factory

KEY = uuid.UUID("12345678-1234-5678-1234-567812345678")
ORIGIN = uuid.UUID("87654321-4321-8765-4321-876543218765")


def test_export_and_import_keep_uuid_columns(
    loom_app: FastAPI, factory: Factory, tmp_path: Path, loom_sqlite_template: Path
) -> None:
    org = factory.org("uuid-org")
    runtime = loom_app.state.loom
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    with session_scope(runtime.session_factory) as session:
        bind_scope(session, system_scope(org.id, org.kind, "test"))
        session.add(
            ScanEvent(
                org_id=org.id, key=KEY, origin_id=ORIGIN, ts=now, received_at=now,
                device="d1", operator_code="op1", bundle_no=1, operation_id=1, qty=1,
                kind="done", status="applied",
            )
        )  # fmt: skip
    archive = tmp_path / "org.zip"
    with session_scope(runtime.session_factory) as session:
        export_org(session, "uuid-org", archive)
    with zipfile.ZipFile(archive) as zf:
        row = json.loads(zf.read("tables/shopfloor_event.jsonl").decode().splitlines()[0])
    assert row["key"] == str(KEY)  # the canonical 8-4-4-4-12 text form
    assert row["origin_id"] == str(ORIGIN)

    target = build_engine(fresh_sqlite(loom_sqlite_template, tmp_path))
    with session_scope(sessionmaker(bind=target)) as session:
        import_archive(session, archive)
    with target.connect() as conn:
        restored = conn.execute(select(ScanEvent.__table__)).mappings().one()
    target.dispose()
    assert (restored["key"], restored["origin_id"]) == (KEY, ORIGIN)
