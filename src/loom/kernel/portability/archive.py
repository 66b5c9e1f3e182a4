"""Export one organisation's rows to a zip with a checksum manifest, and import it back."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import Column, ColumnElement, Table, func, select, text
from sqlalchemy.orm import Session

from loom import __version__
from loom.kernel.db.base import Base, utcnow
from loom.kernel.db.metadata import import_all_models
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import Membership, Organisation

FORMAT = "loom-org-export"
FORMAT_VERSION = 1


def _selector(table: Table, org_id: int) -> ColumnElement[bool] | None:
    """Return the condition picking the organisation's rows of ``table``, or None to skip it."""
    if table.name == "tenancy_organisation":
        return table.c.id == org_id
    if table.name == "identity_user":
        members = select(Membership.user_id).where(Membership.org_id == org_id)
        return table.c.id.in_(members)
    if table.name == "audit_head":
        return table.c.chain == org_id
    if "org_id" in table.c:
        return table.c.org_id == org_id
    return None


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _python_type(column: Column[Any]) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:  # JSON and some custom types have none
        return None


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = _python_type(column)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if kind is UUID:
        return UUID(value)
    return value


def export_org(session: Session, org_slug: str, out: Path) -> dict[str, Any]:
    """Write every row of the organisation to ``out`` and return the manifest."""
    org = session.scalar(select(Organisation).where(Organisation.slug == org_slug))
    if org is None:
        raise NotFound(f"no organisation with slug {org_slug!r}", field="org")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "core_version": __version__,
        "exported_at": utcnow().isoformat(),
        "organisation": {"id": org.id, "slug": org.slug, "name": org.name, "kind": org.kind.value},
        "tables": {},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in Base.metadata.sorted_tables:
            where = _selector(table, org.id)
            if where is None:
                continue
            pk = list(table.primary_key.columns)
            rows = session.execute(select(table).where(where).order_by(*pk)).mappings()
            lines = [
                json.dumps(
                    {k: _encode(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True
                )
                for row in rows
            ]
            data = ("\n".join(lines) + ("\n" if lines else "")).encode()
            name = f"tables/{table.name}.jsonl"
            archive.writestr(name, data)
            manifest["tables"][table.name] = {
                "file": name,
                "rows": len(lines),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """Read and check the manifest and every table file's checksum."""
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except KeyError as exc:
        raise ValidationFailed("archive has no manifest.json", field="archive") from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed("archive is not a Loom organisation export (v1)", field="archive")
    for name, entry in manifest["tables"].items():
        digest = hashlib.sha256(archive.read(entry["file"])).hexdigest()
        if digest != entry["sha256"]:
            raise ValidationFailed(
                f"table {name}: checksum mismatch; the archive is damaged", field="archive"
            )
    return manifest


def import_archive(session: Session, path: Path, apps: Iterable[AppSpec] = ()) -> dict[str, Any]:
    """Restore an exported organisation into a database that holds no organisation yet."""
    import_all_models([s.models_module for s in apps if s.models_module])
    if not path.is_file():
        raise NotFound(f"archive {path} not found", field="archive")
    if session.scalar(select(func.count()).select_from(Organisation)):
        raise Conflict(
            "the target database already holds organisations; import needs an "
            "empty database (run `loom db upgrade` on a new one)",
            field="database",
        )
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        unknown = sorted(set(manifest["tables"]) - set(tables))
        if unknown:
            raise ValidationFailed(
                f"archive holds tables of apps not installed here: {unknown}", field="archive"
            )
        for table in Base.metadata.sorted_tables:
            entry = manifest["tables"].get(table.name)
            if entry is None or entry["rows"] == 0:
                continue
            raw = archive.read(entry["file"]).decode().splitlines()
            rows = [
                {k: _decode(table.c[k], v) for k, v in json.loads(line).items()} for line in raw
            ]
            session.execute(table.insert(), rows)
            _reset_sequence(session, table)
    session.flush()
    return manifest


def _reset_sequence(session: Session, table: Table) -> None:
    # Explicit ids bypass PostgreSQL sequences; move them past the restored rows.
    if session.get_bind().dialect.name != "postgresql" or "id" not in table.c:
        return
    highest = session.scalar(select(func.max(table.c.id))) or 1
    session.execute(
        text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
        {"t": table.name, "v": highest},
    )
