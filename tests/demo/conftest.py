"""The demo district, seeded once for these tests by ``loom demo --seed-only`` in-process."""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from loom.kernel.bootstrap import cli_runtime
from loom.kernel.db.session import build_engine, make_session_factory


@dataclass(frozen=True)
class Seeded:
    """The seeded database: its file, URL, secret, the command's output and how long it took."""

    path: Path
    url: str
    secret_key: str
    output: str
    seconds: float
    sessions: sessionmaker[Session]


@pytest.fixture(scope="session")
def district(
    tmp_path_factory: pytest.TempPathFactory, loom_sqlite_template: Path
) -> Iterator[Seeded]:
    """Seed the full district into a fresh migrated SQLite file through the CLI, once."""
    from loom.cli import app, mount_app_clis

    directory = tmp_path_factory.mktemp("demo-district")
    path = directory / "district.sqlite3"
    shutil.copyfile(loom_sqlite_template, path)
    url = f"sqlite:///{path}"
    secret = secrets.token_urlsafe(36)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOOM_DATABASE_URL", url)
        patch.setenv("LOOM_DATA_DIR", str(directory / "data"))
        patch.setenv("LOOM_SECRET_KEY", secret)
        patch.setenv("LOOM_ENV", "test")
        cli_runtime.cache_clear()
        mount_app_clis()
        started = time.monotonic()
        result = CliRunner().invoke(app, ["demo", "--seed-only"], catch_exceptions=False)
        seconds = time.monotonic() - started
        cli_runtime().engine.dispose()
        cli_runtime.cache_clear()
    assert result.exit_code == 0, result.output
    engine = build_engine(url)
    yield Seeded(path, url, secret, result.output, seconds, make_session_factory(engine))
    engine.dispose()


@pytest.fixture
def db(district: Seeded) -> Iterator[Session]:
    """Return a session on the seeded district (read-only use: it is rolled back)."""
    session = district.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
