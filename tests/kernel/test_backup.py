"""`loom backup` and `loom restore`: identical content after a round trip, SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import MetaData, create_engine, func, select, text
from sqlalchemy.engine import make_url

from loom.demo.accounts import (
    DEMO_PASSWORD,
    LOGINS,
    ORGANISATIONS,
    ensure_logins,
    ensure_organisations,
)
from loom.demo.small import seed_defects
from loom.kernel.audit.models import AuditEvent
from loom.kernel.audit.service import record
from loom.kernel.db.session import build_engine, make_session_factory, session_scope
from loom.kernel.portability import backup as backup_module
from loom.kernel.portability import pgtools
from loom.kernel.tenancy.models import OrgKind
from loom.modules.programme.seed import seed_programme
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.seed import seed_shopfloor
from loom.modules.subsidy.seed import seed_subsidies
from loom.testing.databases import fresh_sqlite, postgres_url
from loom.testing.factory import TEST_ACTOR, Factory
from loom.testing.plugin import both_backends
from tests.conftest import RunCli


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Read every table through plain reflection (not the code under test), rows sorted."""
    engine = build_engine(url)
    meta = MetaData()
    try:
        with engine.connect() as conn:
            meta.reflect(conn)
            return {
                name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
                for name, t in meta.tables.items()
            }
    finally:
        engine.dispose()


def _audit_count(url: str) -> int:
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one())
    finally:
        engine.dispose()


def _seed(app: FastAPI) -> None:
    """Fill several modules: the small demo without its equipment (the slowest part to seed)."""
    runtime = app.state.loom
    with session_scope(runtime.session_factory) as session:
        orgs = ensure_organisations(session, ORGANISATIONS)
        ensure_logins(session, orgs, LOGINS, DEMO_PASSWORD)
        seed_programme(session, orgs)
        seed_subsidies(session, orgs["haishu-bureau"])
        today = datetime.now(LOCAL_TZ).date()
        factory = orgs["yongfeng-apparel"]
        seed_shopfloor(session, factory, secret_key=runtime.settings.secret_key, today=today)
        seed_defects(session, factory)


@pytest.fixture
def empty_target(loom_backend: str, tmp_path: Path, loom_sqlite_template: Path) -> Iterator[str]:
    """Return a second, empty database: a migrated SQLite copy, or a new PostgreSQL database."""
    if loom_backend == "sqlite":
        yield fresh_sqlite(loom_sqlite_template, tmp_path)
        return
    server = postgres_url()
    assert server is not None  # the postgres parameter is skipped without it
    name = f"loom_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@both_backends
def test_round_trip_restores_identical_content(
    loom_app: FastAPI, run_cli: RunCli, tmp_path: Path, empty_target: str
) -> None:
    _seed(loom_app)
    source = loom_app.state.loom.settings.database_url
    before = _rows(source)
    filled = {name.split("_")[0] for name, rows in before.items() if rows}
    # the seed writes rows of at least these modules (see _seed)
    assert {
        "tenancy",
        "identity",
        "audit",
        "programme",
        "subsidy",
        "shopfloor",
        "quality",
    } <= filled

    archive = tmp_path / "loom.zip"
    made = run_cli("backup", "--out", str(archive))
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    for name, rows in before.items():
        assert manifest["tables"][name]["rows"] == len(rows), name
    heads = sorted(r[0] for r in before["alembic_version"])
    assert manifest["alembic_heads"] == heads
    # the documented hash: SHA-256 over one compact JSON array per row, in primary-key order
    expected = "".join(json.dumps([head]) + "\n" for head in heads).encode()
    assert manifest["tables"]["alembic_version"]["sha256"] == hashlib.sha256(expected).hexdigest()

    run_cli.use_database(empty_target)
    restored = run_cli("restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "content matches the manifest" in restored.output
    assert _rows(empty_target) == before
    verified = run_cli("audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_restore_refuses_data_unless_forced_and_confirmed(
    loom_app: FastAPI, factory: Factory, run_cli: RunCli, tmp_path: Path
) -> None:
    factory.org("acme")
    factory.user("alice", (factory.org("bureau", OrgKind.BUREAU), "admin"))
    source = loom_app.state.loom.settings.database_url
    archive = tmp_path / "loom.zip"
    assert run_cli("backup", "--out", str(archive)).exit_code == 0
    before = _rows(source)
    assert run_cli("org", "create", "late", "Late Ltd", "enterprise").exit_code == 0

    refused = run_cli("restore", str(archive))
    assert refused.exit_code == 2
    assert "not empty" in refused.output
    declined = run_cli("restore", str(archive), "--force", input="n\n")
    assert declined.exit_code == 1  # click's Abort
    assert len(_rows(source)["tenancy_organisation"]) == len(before["tenancy_organisation"]) + 1

    replaced = run_cli("restore", str(archive), "--force", input="y\n")
    assert replaced.exit_code == 0, replaced.output
    assert _rows(source) == before  # the organisation made after the backup is gone


def _writer(url: str, started: threading.Event, stop: threading.Event) -> Callable[[], int]:
    """Start a thread appending system audit events until ``stop``; return a join function."""
    engine = build_engine(url)
    factory = make_session_factory(engine)
    written = [0]
    failures: list[BaseException] = []

    def loop() -> None:
        try:
            ticks()
        except BaseException as exc:  # surfaced by join(): a dead writer must fail the test
            failures.append(exc)
            started.set()
            stop.set()

    def ticks() -> None:
        while not stop.is_set():
            with session_scope(factory) as session:
                record(
                    session,
                    org_id=None,
                    actor=TEST_ACTOR,
                    action="test.tick",
                    target_type="tick",
                    target_id=written[0],
                )
            written[0] += 1
            if written[0] >= 5:
                started.set()

    thread = threading.Thread(target=loop)
    thread.start()

    def join() -> int:
        stop.set()
        thread.join()
        engine.dispose()
        if failures:
            raise failures[0]
        return written[0]

    return join


def test_sqlite_backup_while_writes_continue_is_consistent(
    loom_app: FastAPI, tmp_path: Path, empty_target: str
) -> None:
    # PostgreSQL: test_postgres_dump_and_hashes_share_one_snapshot places a write exactly
    # between the snapshot and pg_dump; SQLite's single backup step cannot be interrupted.
    source = loom_app.state.loom.settings.database_url
    started, stop = threading.Event(), threading.Event()
    join = _writer(source, started, stop)
    try:
        started.wait()  # set after five writes, or at once if the writer failed
        at_start = _audit_count(source)
        manifest = backup_module.create_backup(source, tmp_path / "busy.zip")
        in_backup = manifest["tables"]["audit_event"]["rows"]
        # keep writing until at least one event lands after the backup returned
        while _audit_count(source) <= in_backup and not stop.is_set():
            stop.wait(0.01)
    finally:
        total = join()
    assert at_start <= in_backup < total
    report = backup_module.restore_backup(tmp_path / "busy.zip", empty_target)
    assert _audit_count(empty_target) == in_backup
    # a torn copy would break the chain: audit_head and audit_event come from one snapshot
    assert report.audit_records == in_backup


@pytest.mark.postgres
@pytest.mark.parametrize("loom_backend", ["postgres"], indirect=True)
def test_postgres_dump_and_hashes_share_one_snapshot(
    loom_app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = loom_app.state.loom.settings.database_url
    engine = build_engine(source)
    factory = make_session_factory(engine)

    def write(action: str) -> None:
        with session_scope(factory) as session:
            record(
                session, org_id=None, actor=TEST_ACTOR, action=action, target_type="t", target_id=1
            )

    write("test.before")
    real_run = pgtools.run_tool

    def late_write_then_run(argv: list[str], url: str) -> None:
        write("test.between")  # committed after the snapshot was exported, before pg_dump
        real_run(argv, url)

    monkeypatch.setattr(backup_module, "run_tool", late_write_then_run)
    manifest = backup_module.create_backup(source, tmp_path / "snap.zip")
    engine.dispose()
    assert _audit_count(source) == 2
    assert manifest["tables"]["audit_event"]["rows"] == 1
    # the dump holds the first event and not the one committed after its snapshot
    with zipfile.ZipFile(tmp_path / "snap.zip") as zf:
        zf.extract("database.pgdump", tmp_path)
    argv = [pgtools.tool("pg_restore"), "--data-only", "--table=audit_event", "--file=-"]
    done = subprocess.run(
        [*argv, str(tmp_path / "database.pgdump")], capture_output=True, text=True, check=True
    )
    assert "test.before" in done.stdout
    assert "test.between" not in done.stdout


def _rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes]) -> None:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, change(name, src.read(name)))


def test_damaged_or_foreign_archives_are_refused(
    factory: Factory, run_cli: RunCli, tmp_path: Path, loom_sqlite_template: Path
) -> None:
    factory.org("acme")
    archive = tmp_path / "loom.zip"
    assert run_cli("backup", "--out", str(archive)).exit_code == 0
    # an organisation export is a zip with a manifest too, of another format
    org_export = tmp_path / "org.zip"
    assert run_cli("org", "export", "acme", "--out", str(org_export)).exit_code == 0

    flipped = tmp_path / "flipped.zip"

    def flip(name: str, data: bytes) -> bytes:
        if name != "database.sqlite3":
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    _rewrite(archive, flipped, flip)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    newer = tmp_path / "newer.zip"

    def bump(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["alembic_heads"].append("zz_from_the_future")
        return json.dumps(manifest).encode()

    _rewrite(archive, newer, bump)

    target = fresh_sqlite(loom_sqlite_template, tmp_path)
    run_cli.use_database(target)
    expected = {
        flipped: "does not match its checksum",
        truncated: "not a Loom backup or is damaged",
        org_export: "not a Loom backup",
        newer: "unknown here",
        tmp_path / "missing.zip": "not found",
    }
    for path, message in expected.items():
        result = run_cli("restore", str(path))
        assert result.exit_code == 2, (path.name, result.output)
        assert message in result.output, (path.name, result.output)
    assert not any(_rows(target)[name] for name in ("tenancy_organisation", "audit_event"))

    # a manifest that disagrees with its intact payload: restored, then the check says so
    lying = tmp_path / "lying.zip"

    def other_hash(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tables"]["tenancy_organisation"]["sha256"] = "0" * 64
        return json.dumps(manifest).encode()

    _rewrite(archive, lying, other_hash)
    result = run_cli("restore", str(lying))
    assert result.exit_code == 1, result.output
    assert "tenancy_organisation: same 1 rows, different content" in result.output


def test_password_goes_to_the_environment_never_to_argv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []

    class Done:
        returncode, stdout, stderr = 0, "", ""

    def fake_run(argv: list[str], *, env: dict[str, str], **_: object) -> Done:
        calls.append((argv, env))
        return Done()

    monkeypatch.setattr(pgtools.subprocess, "run", fake_run)
    url = "postgresql+psycopg://loom:s3cret@db.example:6543/prod?sslmode=require"
    pgtools.run_tool(["/usr/bin/pg_dump", "--format=custom"], url)
    argv, env = calls[0]
    assert not any("s3cret" in arg for arg in argv)
    assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"]) == ("s3cret", "db.example", "6543")
    assert (env["PGUSER"], env["PGDATABASE"], env["PGSSLMODE"]) == ("loom", "prod", "require")
    with pytest.raises(pgtools.ToolError, match="'weird'"):
        pgtools.libpq_env("postgresql+psycopg://loom@h/prod?weird=1")
