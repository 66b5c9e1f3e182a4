"""Run pg_dump and pg_restore for a SQLAlchemy URL, the password in the environment only."""

from __future__ import annotations

import os
import shutil
import subprocess  # only the PostgreSQL client tools, with argument lists  # nosec B404
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

# URL query parameters that libpq also reads from the environment (libpq "Environment Variables").
_QUERY_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "host": "PGHOST",
    "port": "PGPORT",
}


class ToolError(Exception):
    """A PostgreSQL client tool is missing or failed; the message says which and why."""


def libpq_env(url: str) -> dict[str, str]:
    """Return the environment that points libpq at ``url`` (nothing of it goes on argv)."""
    parsed = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    pairs = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
    }
    for key, value in parsed.query.items():
        name = _QUERY_ENV.get(key)
        if name is None:
            raise ToolError(f"database URL parameter {key!r} is not supported by backup/restore")
        pairs[name] = value if isinstance(value, str) else value[-1]
    env.update({k: v for k, v in pairs.items() if v})
    return env


def database_name(url: str) -> str:
    """Return the database named by ``url``."""
    name = make_url(url).database
    if not name:
        raise ToolError("the PostgreSQL URL names no database")
    return name


def tool(name: str) -> str:
    """Return the absolute path of a PostgreSQL client tool (``LOOM_PG_BIN`` first, then PATH)."""
    directory = os.environ.get("LOOM_PG_BIN")
    found = shutil.which(name, path=directory) if directory else shutil.which(name)
    if found is None:
        raise ToolError(f"{name} not found: install the PostgreSQL client (or set LOOM_PG_BIN)")
    return found


def run_tool(argv: Sequence[str], url: str) -> None:
    """Run a client tool for ``url``; raise ToolError with its message when it fails."""
    # argv is built by this package from a resolved tool path and fixed options; no shell.
    done = subprocess.run(  # noqa: S603 - fixed argv, password in env  # nosec B603
        list(argv), env=libpq_env(url), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip()
        raise ToolError(f"{Path(argv[0]).name} failed ({done.returncode}): {message}")
