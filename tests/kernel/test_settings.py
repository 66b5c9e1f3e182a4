"""Settings: LOOM_ prefix, embedded default database, refusal of the public default secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from loom.settings import DEV_SECRET, Settings


def test_defaults_use_embedded_sqlite_under_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOOM_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOM_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.env == "dev"
    assert settings.locale == "zh_CN"
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve()}/loom.sqlite3"


def test_postgres_urls_use_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOM_DATABASE_URL", "postgresql://u@db:5432/loom")
    assert Settings().effective_database_url == "postgresql+psycopg://u@db:5432/loom"


@pytest.mark.parametrize("env", ["production", "test"])
def test_default_secret_is_refused_outside_dev(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOM_ENV", env)
    monkeypatch.delenv("LOOM_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="LOOM_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("LOOM_SECRET_KEY", "short")
    with pytest.raises(ValidationError, match="at least 32"):
        Settings()
    monkeypatch.setenv("LOOM_SECRET_KEY", "x" * 40)
    assert Settings().secret_key == "x" * 40


def test_dev_accepts_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOOM_ENV", raising=False)
    monkeypatch.delenv("LOOM_SECRET_KEY", raising=False)
    assert Settings().secret_key == DEV_SECRET


def test_unknown_database_driver_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOM_DATABASE_URL", "mysql://root@localhost/loom")
    with pytest.raises(ValidationError, match="LOOM_DATABASE_URL"):
        Settings()


def test_locale_must_be_known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOM_LOCALE", "fr")
    with pytest.raises(ValidationError, match="locale"):
        Settings()
