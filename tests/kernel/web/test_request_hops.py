"""Thread hops per request: the session opens on the event loop, the guard reuses the principal.

Each sync dependency FastAPI runs in the thread pool is a hop (~60 µs of CPU, and under load a
wait for the GIL and a pool thread). An app's page used five: open the session, AppEnabled,
Guard, the handler, the commit. Now three: AppEnabled (principal and enablement), the handler
and the commit; a kernel page's Guard reads the principal in its one hop instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio.to_thread
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.runtime import get_db
from loom.kernel.tenancy.models import Organisation, Role
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends


@contextmanager
def hops() -> Iterator[list[str]]:
    """Record the name of every function sent to a worker thread."""
    seen: list[str] = []
    original = anyio.to_thread.run_sync

    async def counting(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(func, "__qualname__", repr(func)))
        return await original(func, *args, **kwargs)

    anyio.to_thread.run_sync = counting  # type: ignore[assignment]
    try:
        yield seen
    finally:
        anyio.to_thread.run_sync = original


def test_app_and_kernel_pages_take_three_hops_each(factory: Factory) -> None:
    org = factory.org("garments")
    factory.user("mira", (org, Role.ADMIN))
    client = factory.client("mira")
    for path in ("/apps/balancing/plans", "/"):
        assert client.get(path).status_code == 200
        with hops() as seen:
            assert client.get(path).status_code == 200
        assert len(seen) == 3, (path, seen)
        assert seen[-1] == "_end"  # the commit, last and in a thread


@both_backends
def test_the_session_commits_after_the_handler_and_rolls_back_on_an_error(
    loom_app: FastAPI, factory: Factory
) -> None:
    org = factory.org("garments", name="Before")

    def rename(db: Session = Depends(get_db, scope="function")) -> dict[str, str]:
        found = db.get(Organisation, org.id)
        assert found is not None
        found.name = "Committed"
        db.flush()
        return {"ok": "yes"}

    def rename_then_fail(db: Session = Depends(get_db, scope="function")) -> None:
        found = db.get(Organisation, org.id)
        assert found is not None
        found.name = "Rolled back"
        db.flush()
        raise RuntimeError("the handler failed after its write")

    loom_app.add_api_route("/__test/rename", rename, methods=["GET"])
    loom_app.add_api_route("/__test/fail", rename_then_fail, methods=["GET"])
    client = factory.client()
    assert client.get("/__test/rename").json() == {"ok": "yes"}
    assert _name(factory, org.id) == "Committed"
    with pytest.raises(RuntimeError, match="failed after its write"):
        client.get("/__test/fail")
    assert _name(factory, org.id) == "Committed"
    # and the pool got every connection back
    pool = loom_app.state.loom.engine.pool
    assert getattr(pool, "checkedout", lambda: 0)() == 0


def _name(factory: Factory, org_id: int) -> str:
    with factory.runtime.session_factory() as s:
        return str(s.scalar(select(Organisation.name).where(Organisation.id == org_id)))
