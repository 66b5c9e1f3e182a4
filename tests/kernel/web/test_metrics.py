"""``GET /metrics``: refused without its token, counts by route template, ingest outcomes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from loom.app import create_app
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import Role
from loom.settings import Settings
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.ingest.support import make_plant

TOKEN = "metrics-token-for-the-tests-0123456789"
WIP = "/api/v1/shopfloor/orders/{order_id}/wip"


@pytest.fixture
def loom_settings(loom_settings: Settings) -> Settings:
    """Return the test settings with a metrics token configured."""
    return loom_settings.model_copy(update={"metrics_token": TOKEN})


@pytest.fixture
def scraper(loom_app: FastAPI) -> Iterator[TestClient]:
    """Return a client that holds the metrics token."""
    with TestClient(loom_app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    """Return every sample of one scrape by (name, labels)."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """Return one sample's value, 0 when the series does not exist yet."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_refuse_callers_without_the_token(loom_app: FastAPI, factory: Factory) -> None:
    with TestClient(loom_app) as anonymous:
        missing = anonymous.get("/metrics")
        wrong = anonymous.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    org = factory.org("acme")
    factory.user("ada", (org, Role.ADMIN))
    logged_in = factory.client("ada").get("/metrics")
    # a valid API token of a user is not the metrics token either
    api_token = factory.token(org, ["kernel.profile.view"])
    with_api_token = factory.token_client(api_token).get("/metrics")
    for response in (missing, wrong, logged_in, with_api_token):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert "loom_http_requests" not in response.text
    assert missing.headers["www-authenticate"] == "Bearer"


def test_metrics_are_off_without_a_configured_token(
    loom_settings: Settings, loom_apps: list[AppSpec]
) -> None:
    app = create_app(loom_settings.model_copy(update={"metrics_token": ""}), loom_apps)
    try:
        with TestClient(app) as client:
            # not even an empty bearer matches the empty setting
            for headers in ({}, {"Authorization": "Bearer "}):
                response = client.get("/metrics", headers=headers)
                assert response.status_code == 404
                assert "loom_" not in response.text
    finally:
        app.state.loom.engine.dispose()


@both_backends
def test_requests_are_counted_by_route_template(scraper: TestClient, anon: TestClient) -> None:
    before = scrape(scraper)
    # three different raw paths of one route; anonymous, so each answers 401
    for order_id in (5, 6, 777):
        assert anon.get(f"/api/v1/shopfloor/orders/{order_id}/wip").status_code == 401
    assert anon.get("/api/v1/health").status_code == 200
    assert anon.get("/no/such/page-4711").status_code == 404
    after = scrape(scraper)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("loom_http_requests_total", method="GET", route=WIP, status="401") == 3
    assert (
        moved("loom_http_requests_total", method="GET", route="/api/v1/health", status="200") == 1
    )
    assert moved("loom_http_requests_total", method="GET", route="<unmatched>", status="404") == 1
    assert (
        moved("loom_http_request_duration_seconds_count", method="GET", route=WIP, status="401")
        == 3
    )
    # the raw paths never become label values: the series count stays bounded
    routes = {dict(labels).get("route", "") for _name, labels in after}
    assert not any("777" in route or "4711" in route for route in routes)
    # the pool gauge is read from this app's engine at scrape time
    assert value(after, "loom_db_pool_size") >= 1


@both_backends
def test_ingest_outcomes_are_counted(scraper: TestClient, factory: Factory) -> None:
    plant = make_plant(factory)
    before = scrape(scraper)
    first = plant.event(0, 0)
    # one new event, the same event again in the next batch, one malformed event
    assert plant.post([first])["accepted"] == 1
    answer = plant.post([first, {"id": "not-an-event"}])
    assert (answer["accepted"], answer["duplicates"], len(answer["rejected"])) == (0, 1, 1)
    after = scrape(scraper)

    def moved(outcome: str) -> float:
        labels = {"channel": "events", "outcome": outcome}
        return value(after, "loom_ingest_events_total", **labels) - value(
            before, "loom_ingest_events_total", **labels
        )

    assert (moved("accepted"), moved("duplicate"), moved("rejected")) == (1, 1, 1)


COUNT_IN_WORKER = """
import sys
from sqlalchemy import create_engine
from loom.kernel.web.metrics import _exposition, count_ingest
count_ingest("events", accepted=3, duplicates=0, rejected=0)
if sys.argv[1:] == ["scrape"]:
    print(_exposition(create_engine("sqlite://")).decode())
"""


def test_several_workers_are_summed_in_multiprocess_mode(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    # two worker processes count 3 accepted events each; the second then answers a scrape
    subprocess.run([sys.executable, "-c", COUNT_IN_WORKER], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", COUNT_IN_WORKER, "scrape"], env=env, check=True, capture_output=True
    ).stdout.decode()
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(out)
        for s in family.samples
    }
    # the scrape shows both workers' counts: 3 + 3
    assert value(samples, "loom_ingest_events_total", channel="events", outcome="accepted") == 6
