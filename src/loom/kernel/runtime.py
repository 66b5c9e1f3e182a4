"""The runtime container built once by ``create_app`` and shared through ``app.state``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from anyio import CancelScope, CapacityLimiter, to_thread
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


async def get_db(request: Request) -> AsyncIterator[Session]:
    """Own the request's transaction: commit after the handler, roll back on any error."""
    # Async, so that opening the session costs no thread hop: making a Session does no I/O
    # (the first statement, in a worker thread, takes a connection). Ending it does I/O and
    # runs in a worker thread with its own limiter, as FastAPI runs a sync generator's exit:
    # waiting for a pool thread while holding a connection could deadlock the pool.
    session = runtime_of(request).session_factory()
    try:
        yield session
    except BaseException:
        with CancelScope(shield=True):
            await to_thread.run_sync(_end, request, session, False, limiter=CapacityLimiter(1))
        raise
    with CancelScope(shield=True):
        await to_thread.run_sync(_end, request, session, True, limiter=CapacityLimiter(1))


def _end(request: Request, session: Session, commit: bool) -> None:
    """Commit (or roll back) and close the request's session."""
    try:
        if commit:
            try:
                session.commit()
            except BaseException:
                session.rollback()
                raise
        else:
            session.rollback()
    finally:
        session.close()
        if getattr(request.state, "db", None) is session:
            # Error pages render after this point; they must not reopen a closed session.
            request.state.db = None
