"""A batch waiting for its group's commit lends its admission turn, unless the backlog is long."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from loom.modules.shopfloor.api import events as events_api
from loom.modules.shopfloor.service import ingest_group
from loom.testing.admission import HeldCall, one_turn, probe_while_held
from loom.testing.factory import Factory

from .support import EVENTS, make_plant


@pytest.mark.parametrize("backlog_limit", [16, 0], ids=["lent", "kept"])
def test_a_batch_waiting_for_its_commit_lends_its_turn(
    factory: Factory, monkeypatch: pytest.MonkeyPatch, backlog_limit: int
) -> None:
    plant = make_plant(factory, bundles_per_order=4)
    one_turn(plant.app)
    monkeypatch.setattr(events_api, "LEND_BELOW_BACKLOG", backlog_limit)
    write = HeldCall(ingest_group.store_group)
    monkeypatch.setattr(ingest_group, "store_group", write)
    answers: list[dict[str, Any]] = []
    # one client, one event loop: the admission's turns belong to a loop
    with TestClient(plant.app, headers=dict(plant.device.headers)) as client:

        def post() -> None:
            answers.append(client.post(EVENTS, json=[plant.event(0, 0)]).json())

        # once the batch is in the writer's hands, a health check asks for the only turn
        health = probe_while_held(write, post, lambda: client.get("/api/v1/health"))
    if backlog_limit:
        assert health.status_code == 200
    else:
        # "backlog below 0" never holds: the batch kept its turn, the check waited in vain
        assert health.status_code == 503
    assert answers == [{"accepted": 1, "duplicates": 0, "quarantined": 0, "rejected": []}]
