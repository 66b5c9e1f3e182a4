"""The request's session commits before the response is sent: nothing acknowledged is lost."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.db.session import session_scope
from loom.kernel.identity.models import ApiToken
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair


def _token_count(app: FastAPI) -> int:
    with session_scope(app.state.loom.session_factory) as s:
        return s.scalar(select(func.count()).select_from(ApiToken)) or 0


def test_failed_commit_is_not_acknowledged(
    loom_app: FastAPI, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = make_tenant_pair(factory)

    def broken_commit(self: Session) -> None:
        raise RuntimeError("disk full")

    # A client that reports server errors as responses, as a real browser would see them.
    client = TestClient(loom_app, raise_server_exceptions=False, headers=pair.client_a.headers)
    client.cookies = pair.client_a.cookies
    monkeypatch.setattr(Session, "commit", broken_commit)
    response = client.post(
        "/api/v1/tokens", json={"name": "x", "permissions": ["kernel.home.view"]}
    )
    monkeypatch.undo()
    # Had the commit run after sending, the client would have seen 201 for a lost row.
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert _token_count(loom_app) == 0


def test_acknowledged_write_is_visible_to_a_new_session(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    response = pair.client_a.post(
        "/api/v1/tokens", json={"name": "x", "permissions": ["kernel.home.view"]}
    )
    assert response.status_code == 201
    assert _token_count(loom_app) == 1
