"""A request that finds every pooled connection busy answers 503 with Retry-After, not 500."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout

from loom.kernel.messaging.ingest import is_transient
from loom.kernel.web.errors import RETRY_AFTER_SECONDS

# SQLAlchemy's own text when QueuePool waited pool_timeout seconds in vain
POOL_MESSAGE = "QueuePool limit of size 5 overflow 10 reached, connection timed out"


def test_a_pool_timeout_is_transient() -> None:
    assert is_transient(PoolTimeout(POOL_MESSAGE))
    assert not is_transient(ValueError(POOL_MESSAGE))


def test_a_pool_timeout_answers_503_with_retry_after(loom_app: FastAPI) -> None:
    @loom_app.get("/api/v1/pool-probe")
    def pool_probe() -> None:
        raise PoolTimeout(POOL_MESSAGE)

    with TestClient(loom_app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/pool-probe")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json()["error"]["code"] == "unavailable"
