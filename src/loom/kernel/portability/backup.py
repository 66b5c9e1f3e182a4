"""Whole-database backup and restore, verified against a manifest of per-table hashes.

The archive is a zip holding ``manifest.json`` and one payload: an SQLite file made with the
online backup API, or a ``pg_dump --format=custom`` file. Both are taken from one snapshot, and
the manifest's hashes are computed from that same snapshot, so writes that continue meanwhile
appear in neither.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from loom import __version__
from loom.kernel.audit.verify import verify_chains
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import build_engine
from loom.kernel.portability.content import alembic_heads, content_digests, holds_data
from loom.kernel.portability.pgtools import ToolError, database_name, run_tool, tool

FORMAT = "loom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """The archive or the target cannot be used; nothing was changed (CLI exit code 2)."""

    exit_code = 2


class VerifyFailed(BackupError):
    """The restored database differs from the manifest, or its audit log is broken (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class RestoreReport:
    """What a verified restore brought back."""

    manifest: dict[str, Any]
    rows: int
    audit_records: int


def backend_of(url: str) -> str:
    """Return ``sqlite`` or ``postgresql`` for a database URL."""
    name = make_url(url).get_backend_name()
    if name not in PAYLOADS:
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("backup needs an SQLite file, not an in-memory database")
    return Path(database)


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _manifest(backend: str, connection: Connection, payload: Path) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "backend": backend,
        "core_version": __version__,
        "created_at": utcnow().isoformat(),
        "alembic_heads": alembic_heads(connection),
        "payload": {"file": PAYLOADS[backend], "sha256": _sha256(payload)},
        "tables": content_digests(connection),
    }


def _snapshot_sqlite(url: str, copy: Path) -> dict[str, Any]:
    source_path = _sqlite_file(url)
    if not source_path.is_file():
        raise BackupError(f"database file {source_path} does not exist")
    # One backup step (pages=-1) copies every page inside one read transaction: a consistent
    # snapshot, while writers carry on in the WAL.
    with (
        closing(sqlite3.connect(source_path, timeout=30)) as source,
        closing(sqlite3.connect(copy)) as target,
    ):
        source.backup(target)
        # a self-contained file: no -wal beside it in the archive
        target.execute("PRAGMA journal_mode=DELETE")
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as connection:
            return _manifest("sqlite", connection, copy)
    finally:
        engine.dispose()


def _snapshot_postgres(url: str, dump: Path) -> dict[str, Any]:
    engine = build_engine(url)
    try:
        repeatable = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with repeatable as conn, conn.begin():
            # pg_dump reads the snapshot this transaction exported; the hashes below are
            # computed in the same transaction, so both see exactly the same rows.
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            argv = [tool("pg_dump"), "--format=custom", "--no-password"]
            argv += [f"--snapshot={snapshot}", f"--file={dump}"]
            run_tool(argv, url)
            return _manifest("postgresql", conn, dump)
    finally:
        engine.dispose()


def create_backup(url: str, out: Path) -> dict[str, Any]:
    """Write a consistent backup of the database at ``url`` to ``out``; return its manifest."""
    backend = backend_of(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as work:
        payload = Path(work) / PAYLOADS[backend]
        try:
            if backend == "sqlite":
                manifest = _snapshot_sqlite(url, payload)
            else:
                manifest = _snapshot_postgres(url, payload)
        except ToolError as exc:
            raise BackupError(str(exc)) from exc
        partial = Path(work) / "archive.zip"
        with zipfile.ZipFile(partial, "w") as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
            # pg_dump's custom format is compressed already; an SQLite file is not
            method = zipfile.ZIP_DEFLATED if backend == "sqlite" else zipfile.ZIP_STORED
            archive.write(payload, PAYLOADS[backend], compress_type=method)
        shutil.move(partial, out)  # a reader never sees half an archive under the final name
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """Return the manifest of a backup archive, refusing a foreign or malformed file."""
    if not path.is_file():
        raise BackupError(f"backup file {path} not found")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a Loom backup or is damaged ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Loom backup (no {FORMAT} manifest)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is backup format {manifest.get('format_version')!r}; "
            f"this Loom reads format {FORMAT_VERSION}"
        )
    if manifest.get("backend") not in PAYLOADS or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"{path} has a malformed manifest")
    return manifest


@contextmanager
def _extracted(path: Path, manifest: dict[str, Any], directory: Path) -> Iterator[Path]:
    """Extract the payload next to the target and check it against the manifest's hash."""
    with tempfile.TemporaryDirectory(dir=directory) as work:
        payload = Path(work) / "payload"
        try:
            with (
                zipfile.ZipFile(path) as archive,
                archive.open(manifest["payload"]["file"]) as src,
                payload.open("wb") as dst,
            ):
                shutil.copyfileobj(src, dst, _CHUNK)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise BackupError(f"{path} is damaged: cannot read its payload ({exc})") from exc
        if _sha256(payload) != manifest["payload"]["sha256"]:
            raise BackupError(f"{path} is damaged: the payload does not match its checksum")
        yield payload


def _verify(url: str, manifest: dict[str, Any]) -> RestoreReport:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            found = content_digests(connection)
        problems = []
        for name, expected in sorted(manifest["tables"].items()):
            got = found.get(name)
            if got is None:
                problems.append(f"table {name} is missing")
            elif got["rows"] != expected["rows"]:
                problems.append(f"table {name}: {got['rows']} rows, expected {expected['rows']}")
            elif got["sha256"] != expected["sha256"]:
                problems.append(f"table {name}: same {got['rows']} rows, different content")
        for name in sorted(set(found) - set(manifest["tables"])):
            if found[name]["rows"]:
                problems.append(f"table {name} is not in the backup but holds rows")
        if problems:
            raise VerifyFailed("restored content differs from the backup: " + "; ".join(problems))
        with Session(engine) as session:
            audit = verify_chains(session)
        if not audit.ok:
            raise VerifyFailed(f"restored audit log does not verify: {audit.problem}")
    finally:
        engine.dispose()
    rows = sum(int(t["rows"]) for t in manifest["tables"].values())
    return RestoreReport(manifest=manifest, rows=rows, audit_records=audit.checked)


def target_tables_with_data(url: str) -> list[str]:
    """Return the target's tables that hold rows (empty when the database does not exist yet)."""
    if backend_of(url) == "sqlite" and not _sqlite_file(url).exists():
        return []
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return holds_data(connection)
    finally:
        engine.dispose()


def restore_backup(
    path: Path,
    url: str,
    *,
    force: bool = False,
    known_revisions: Callable[[str], bool] = lambda _rev: True,
) -> RestoreReport:
    """Replace the database at ``url`` with the backup, then verify content and audit log."""
    manifest = read_manifest(path)
    backend = backend_of(url)
    if manifest["backend"] != backend:
        raise BackupError(f"{path} is a {manifest['backend']} backup; the target is {backend}")
    unknown = [rev for rev in manifest.get("alembic_heads", []) if not known_revisions(rev)]
    if unknown:
        raise BackupError(
            f"the backup's migrations {unknown} are unknown here: it was made by "
            "a newer Loom or with apps that are not installed"
        )
    full = target_tables_with_data(url)
    if full and not force:
        raise BackupError(
            f"the target database is not empty ({len(full)} tables hold rows, "
            f"e.g. {full[0]}); use --force to replace it"
        )
    if backend == "sqlite":
        target = _sqlite_file(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with (
            _extracted(path, manifest, target.parent) as payload,
            closing(sqlite3.connect(payload)) as source,
            closing(sqlite3.connect(target, timeout=30)) as dest,
        ):
            source.backup(dest)
    else:
        with _extracted(path, manifest, Path(tempfile.gettempdir())) as payload:
            try:
                argv = [tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl"]
                argv += ["--single-transaction", "--exit-on-error", "--no-password"]
                argv += [f"--dbname={database_name(url)}", str(payload)]
                run_tool(argv, url)
            except ToolError as exc:
                raise BackupError(str(exc)) from exc
    return _verify(url, manifest)
