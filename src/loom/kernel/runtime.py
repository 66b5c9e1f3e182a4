"""The runtime container built once by ``create_app`` and shared through ``app.state``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from loom.kernel.authz.registry import PermissionRegistry
from loom.kernel.identity.throttle import LoginThrottle
from loom.kernel.plugins.spec import AppSpec
from loom.settings import Settings


@dataclass
class Runtime:
    """Settings, database, permission registry and the loaded apps of one Loom instance."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    registry: PermissionRegistry
    apps: dict[str, AppSpec] = field(default_factory=dict)
    login_throttle: LoginThrottle | None = None

    def throttle(self) -> LoginThrottle:
        """Return this instance's failed-login throttle (made on first use from settings)."""
        if self.login_throttle is None:
            self.login_throttle = LoginThrottle(
                self.settings.login_client_failures, self.settings.login_client_window_seconds
            )
        return self.login_throttle


def runtime_of(request: Request) -> Runtime:
    """Return the runtime of the application serving ``request``."""
    runtime: Runtime = request.app.state.loom
    return runtime


def get_db(request: Request) -> Iterator[Session]:
    """Own the request's transaction: commit after the handler, roll back on any error."""
    session = runtime_of(request).session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if getattr(request.state, "db", None) is session:
            # Error pages render after this point; they must not reopen a closed session.
            request.state.db = None
