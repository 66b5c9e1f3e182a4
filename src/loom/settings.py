"""Runtime settings read from the environment (prefix ``LOOM_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - the known default we refuse outside dev  # nosec B105

Environment = Literal["dev", "test", "production"]


class Settings(BaseSettings):
    """Everything Loom reads from the environment, validated once at startup."""

    model_config = SettingsConfigDict(env_prefix="LOOM_", env_file=None, extra="ignore")

    env: Environment = "dev"
    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = DEV_SECRET
    mqtt_url: str = "mqtt://127.0.0.1:1883"
    # longest wait between an ingest worker's attempts to reach a lost broker (paho's is 120 s)
    mqtt_reconnect_max_seconds: int = Field(default=10, ge=1, le=600)
    locale: Literal["zh_CN", "en"] = "zh_CN"
    session_max_age_seconds: int = Field(default=12 * 3600, gt=60)
    cookie_secure: bool = False
    # wrong passwords in a row before an account is locked, and for how long
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=15 * 60, ge=1)
    # failed logins from one client address per window before it must wait (429)
    login_client_failures: int = Field(default=20, ge=1)
    login_client_window_seconds: int = Field(default=5 * 60, ge=1)
    demo: bool = False
    # bearer token of GET /metrics (Prometheus); empty: the route answers 404
    metrics_token: str = ""
    # PostgreSQL connections per server process (pool and overflow)
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=5, ge=0)
    # requests a server process runs at once (never more than its connections): the others
    # wait up to request_queue_seconds, then get 503. One interpreter lock runs a process's
    # Python: beyond a few requests, more threads only fight over it (docs/benchmarks.md §13)
    request_concurrency: int = Field(default=4, ge=1)
    request_queue_seconds: float = Field(default=10.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("LOOM_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env != "dev" and (self.secret_key == DEV_SECRET or len(self.secret_key) < 32):
            raise ValueError(
                "LOOM_SECRET_KEY must be set to a random value of at least 32 characters "
                "outside dev (the built-in default is public)"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        """Return the configured URL, or the embedded SQLite file under the data directory."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'loom.sqlite3').resolve()}"


def normalise_database_url(url: str) -> str:
    """Select psycopg 3 for plain ``postgresql://`` URLs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url
