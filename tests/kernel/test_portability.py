"""Organisation export and import: a full round trip into an empty database."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.app import create_app
from loom.kernel.bootstrap import cli_runtime
from loom.kernel.db.base import Base
from loom.kernel.db.session import build_engine, session_scope
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import Organisation
from loom.testing.databases import fresh_sqlite
from loom.testing.factory import TEST_PASSWORD, Factory, login
from loom.testing.leak import make_tenant_pair
from loom.testing.plugin import both_backends
from tests.conftest import RunCli


def _rows(url: str, org_id: int) -> dict[str, list[dict[str, object]]]:
    """Return every row that belongs to the organisation, per table, keyed for comparison."""
    engine = build_engine(url)
    out: dict[str, list[dict[str, object]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if "org_id" in table.c:
                stmt = select(table).where(table.c.org_id == org_id)
            elif table.name == "tenancy_organisation":
                stmt = select(table).where(table.c.id == org_id)
            else:
                continue
            out[table.name] = [
                dict(r) for r in conn.execute(stmt.order_by(*table.primary_key)).mappings()
            ]
    engine.dispose()
    return out


@both_backends
def test_round_trip_restores_every_row(
    loom_app: FastAPI,
    factory: Factory,
    run_cli: RunCli,
    tmp_path: Path,
    loom_sqlite_template: Path,
    loom_apps: list[AppSpec],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pair = make_tenant_pair(factory)
    for name in ("cutting", "sewing"):
        pair.client_a.post(
            "/api/v1/tokens", json={"name": name, "permissions": ["kernel.home.view"]}
        )
    pair.client_a.put("/api/v1/members/1", json={"role": "admin"})
    source_url = loom_app.state.loom.settings.database_url
    before = _rows(source_url, pair.a.id)
    assert len(before["identity_api_token"]) == 2
    assert len(before["audit_event"]) >= 4

    archive = tmp_path / "org-a.zip"
    exported = run_cli("org", "export", "org-a", "--out", str(archive))
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["organisation"]["slug"] == "org-a"
    assert manifest["tables"]["identity_api_token"]["rows"] == 2
    assert manifest["tables"]["identity_user"]["rows"] == 1  # alice only, never bob
    with zipfile.ZipFile(archive) as zf:
        users = zf.read("tables/identity_user.jsonl").decode()
    assert "alice" in users
    assert "bob" not in users

    # Import into a brand-new, migrated SQLite database.
    target_url = fresh_sqlite(loom_sqlite_template, tmp_path)
    run_cli.use_database(target_url)
    imported = run_cli("org", "import", str(archive))
    assert imported.exit_code == 0, imported.output
    after = _rows(target_url, pair.a.id)
    assert after == before
    verified = run_cli("audit", "verify")
    assert verified.exit_code == 0, verified.output

    # The restored user can log in with the same password.
    settings = loom_app.state.loom.settings.model_copy(update={"database_url": target_url})
    restored = create_app(settings, loom_apps)
    client = TestClient(restored)
    client.get("/login")
    login(client, "alice", TEST_PASSWORD)
    assert client.get("/api/v1/me").json()["org_id"] == pair.a.id
    restored.state.loom.engine.dispose()


def test_import_refuses_a_non_empty_database(
    factory: Factory, run_cli: RunCli, tmp_path: Path
) -> None:
    make_tenant_pair(factory)
    archive = tmp_path / "a.zip"
    assert run_cli("org", "export", "org-a", "--out", str(archive)).exit_code == 0
    result = run_cli("org", "import", str(archive))
    assert result.exit_code == 2
    assert "empty database" in result.output


def test_import_refuses_a_tampered_archive(
    factory: Factory,
    run_cli: RunCli,
    tmp_path: Path,
    loom_sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_tenant_pair(factory)
    archive = tmp_path / "a.zip"
    assert run_cli("org", "export", "org-a", "--out", str(archive)).exit_code == 0
    tampered = tmp_path / "b.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "tables/tenancy_organisation.jsonl":
                data = data.replace(b"Org A", b"Org X")
            dst.writestr(item, data)
    run_cli.use_database(fresh_sqlite(loom_sqlite_template, tmp_path))
    result = run_cli("org", "import", str(tampered))
    assert result.exit_code == 2
    assert "checksum mismatch" in result.output
    with session_scope(cli_runtime().session_factory) as s:
        assert s.scalar(select(Organisation)) is None


def test_export_of_unknown_organisation_names_it(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("org", "export", "nope", "--out", str(tmp_path / "x.zip"))
    assert result.exit_code == 2
    assert "'nope'" in result.output


def test_admin_downloads_own_organisation_only(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    response = pair.client_a.get("/api/v1/org/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    import io

    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        users = zf.read("tables/identity_user.jsonl").decode()
    assert manifest["organisation"]["id"] == pair.a.id
    assert "alice" in users
    assert "bob" not in users
    actions = [e["action"] for e in pair.client_a.get("/api/v1/audit").json()["items"]]
    assert "kernel.org.exported" in actions


def test_members_cannot_download_the_export(factory: Factory) -> None:
    from loom.kernel.tenancy.models import Role

    org = factory.org("acme")
    factory.user("worker", (org, Role.MEMBER))
    assert factory.client("worker").get("/api/v1/org/export").status_code == 403
