"""The load scenario's smoke run: demo users browse every page while scans arrive, on PostgreSQL.

It checks behaviour under concurrency (no failed page view, login or scan, every page opened,
/metrics summing the workers), never latency: the figures are the benchmark's (``make bench``).
"""

from __future__ import annotations

import pytest
from bench.load import run_on
from bench.load_pages import every_page
from bench.load_result import SMOKE, checks, lines


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_load_smoke_has_no_errors_and_opens_every_page(loom_db_url: str) -> None:
    result = run_on(SMOKE, loom_db_url)
    report = "\n".join(lines(result))
    assert result.errors == 0, report
    opened = {page for page, stats in result.pages.items() if stats.count > 0}
    assert opened == set(every_page()), report
    # 500 events/s for 20 s in batches of 100 (bench/load_result.py SMOKE): 100 batches, 10,000
    # scans; batches still due when the 20 s are up are not sent (a busy machine lags behind)
    unsent = result.ingest["batches_unsent_at_the_end"]
    assert result.ingest["accepted"] == 10_000 - unsent * 100 > 0, report
    assert (result.ingest["duplicates"], result.ingest["rejected"], result.ingest["errors"]) == (
        0,
        0,
        0,
    ), report
    # the CPU accounting found PostgreSQL's processes and the driver's own work
    assert result.cpu["postgresql_cpu_seconds"] > 0, report
    assert result.cpu["driver_cpu_seconds"] > 0, report
    # the server's /metrics saw the same scans as the driver
    assert result.metrics_accepted == result.ingest["accepted"], report
    assert [what for what, ok, _ in checks(result) if not ok] == [], report
