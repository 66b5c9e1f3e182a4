"""The simulated floor: precedence, speeds around SAM, rework and defect rates, breaks, pacing."""

from __future__ import annotations

import itertools
import random
import socket
import statistics
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from loom.kernel.authz.guard import system_scope
from loom.modules.shopfloor.engine import keys, tickets
from loom.modules.shopfloor.engine.simulation import (
    Scan,
    SimBundle,
    SimFactory,
    SimOperation,
    SimOperator,
    SimOrder,
    WorkCalendar,
    balance,
    simulate,
)
from loom.modules.shopfloor.models import ScanEvent
from loom.modules.shopfloor.service.simulator import load_factory, pace, payloads
from loom.settings import Settings
from loom.testing.databases import mqtt_url
from loom.testing.factory import Factory
from loom.testing.plugin import LoomCli
from tests.modules.shopfloor.mqtt_fixtures import (
    WAIT,
    Workers,
    seed_factory,
    unique_slug,
    wait_until,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2026-11-16 00:00 in Shanghai
MONDAY = datetime(2026, 11, 16, tzinfo=SHANGHAI)
OPS = {
    1: SimOperation(1, 0.50, "overlock", 2),
    2: SimOperation(2, 1.25, "lockstitch", 3),
    3: SimOperation(3, 0.90, "lockstitch", 2),
    4: SimOperation(4, 0.40, "button", 1),
}
# 1 first, then 2 and 3 in either order, then 4
ROUTING = {1: (), 2: (1,), 3: (1,), 4: (2, 3)}


def _operator(code: str, line: int, efficiency: int = 90) -> SimOperator:
    """Return an operator of ``line`` with grade 4 on every machine."""
    skills = dict.fromkeys(("overlock", "lockstitch", "button"), (4, efficiency))
    return SimOperator(code, line, f"dev-{code}", skills)


def _factory(bundles: int, operators: int = 8, done: frozenset[tuple[int, int]] = frozenset()):
    """Return one order of 20-piece bundles on line 1 with ``operators`` operators."""
    order = SimOrder(1, 10, 1, tuple(SimBundle(n, 20) for n in range(1, bundles + 1)))
    staff = tuple(_operator(f"E{k:02d}", 1) for k in range(operators))
    return SimFactory(OPS, {10: ROUTING}, (order,), staff, done)


def _run(factory: SimFactory, seed: int = 7) -> list[Scan]:
    """Return the seeded run's scans from Monday 00:00."""
    return list(simulate(factory, MONDAY, random.Random(seed)))


def test_every_operation_waits_for_its_predecessors_on_each_bundle() -> None:
    scans = _run(_factory(bundles=150))
    done = {(s.bundle, s.operation): s.ts for s in scans if s.kind == "done"}
    # 150 bundles × 4 operations, each done exactly once
    assert len(done) == 600
    assert (
        Counter((s.bundle, s.operation) for s in scans if s.kind == "done").most_common(1)[0][1]
        == 1
    )
    for (bundle, op), ts in done.items():
        for pred in ROUTING[op]:
            assert done[(bundle, pred)] < ts, (bundle, op, pred)
    assert scans == sorted(scans, key=lambda s: s.ts)


def test_the_first_operator_works_at_sam_divided_by_efficiency() -> None:
    # one operator per operation: the operator of operation 1 never waits for material
    staff = tuple(_operator(f"E{k}", 1, efficiency=90) for k in range(4))
    order = SimOrder(1, 10, 1, tuple(SimBundle(n, 20) for n in range(1, 301)))
    factory = SimFactory(OPS, {10: ROUTING}, (order,), staff)
    scans = _run(factory)
    crew = balance(staff, list(OPS.values()))
    cutter = crew[1][0].code
    first = [s for s in scans if s.operator == cutter and s.operation == 1 and s.kind == "done"]
    assert len(first) == 300
    reworked = {s.bundle for s in scans if s.kind == "rework"}
    calendar = WorkCalendar("Asia/Shanghai")
    gaps = []
    for before, after in itertools.pairwise(first):
        minutes = (after.ts - before.ts).total_seconds() / 60
        # a gap that spans a break (its wall time is not all working time) or follows a
        # rework is not one bundle's work
        spans_pause = abs((calendar.add(before.ts, minutes) - after.ts).total_seconds()) > 1
        if before.bundle in reworked or spans_pause:
            continue
        gaps.append(minutes)
    # expected minutes per bundle: SAM 0.50 × 20 pieces × 100 / 90 % = 11.11
    assert statistics.mean(gaps) == pytest.approx(11.11, rel=0.05)
    # the spread is 12 % of a task's time
    assert statistics.stdev(gaps) / statistics.mean(gaps) == pytest.approx(0.12, abs=0.04)


def test_rework_and_defects_come_at_their_rates() -> None:
    scans = _run(_factory(bundles=1000, operators=12), seed=3)
    kinds = Counter(s.kind for s in scans)
    assert kinds["done"] == 4000
    # 2 % rework and 1 % defects per done scan; 3 standard deviations of 4,000 draws
    assert kinds["rework"] / 4000 == pytest.approx(0.02, abs=0.0067)
    assert kinds["defect"] / 4000 == pytest.approx(0.01, abs=0.0048)
    assert all(s.qty <= 3 for s in scans if s.kind == "rework")


def test_nobody_scans_during_breaks_or_at_night() -> None:
    scans = _run(_factory(bundles=200))
    pauses = [
        (time(0, 0), time(8, 0)),
        (time(10, 0, 0, 1), time(10, 15)),
        (time(12, 0, 0, 1), time(13, 0)),
        (time(15, 0, 0, 1), time(15, 15)),
        (time(17, 30, 0, 1), time(23, 59, 59, 999999)),
    ]
    for scan in scans:
        local = scan.ts.astimezone(SHANGHAI).time()
        assert not any(a <= local < b for a, b in pauses), scan


def test_the_work_calendar_skips_breaks_and_nights() -> None:
    calendar = WorkCalendar("Asia/Shanghai")
    at = MONDAY.replace(hour=9, minute=50)
    # 10 minutes before the tea break, 10 after it ends at 10:15
    assert calendar.add(at, 20) == MONDAY.replace(hour=10, minute=25)
    # 10 minutes before 17:30, the other 10 from 08:00 the next day
    assert calendar.add(MONDAY.replace(hour=17, minute=20), 20) == MONDAY.replace(
        hour=8, minute=10
    ) + timedelta(days=1)
    assert calendar.next_working(MONDAY.replace(hour=12, minute=30)) == MONDAY.replace(hour=13)


def test_a_rerun_skips_what_is_already_done() -> None:
    done = frozenset({(1, 1), (1, 2), (2, 1)})
    scans = _run(_factory(bundles=3, done=done))
    pairs = {(s.bundle, s.operation) for s in scans if s.kind == "done"}
    assert pairs == {(b, op) for b in (1, 2, 3) for op in OPS} - done


def test_operations_are_balanced_over_the_line_by_minutes() -> None:
    staff = [_operator(f"E{k}", 1) for k in range(6)]
    crew = balance(staff, list(OPS.values()))
    # six operators, four operations: the two spare operators join the heaviest per head,
    # first 上领 (1.25 min alone), then 上袖 (0.90) rather than 上领 again (1.25 / 2 = 0.625)
    assert {op: len(people) for op, people in crew.items()} == {1: 1, 2: 2, 3: 2, 4: 1}


def test_payloads_are_signed_coupons_with_time_ordered_ids() -> None:
    scan = Scan(MONDAY.replace(hour=9), "E01", "dev-1", 5, 2, 20, "done")
    (event,) = payloads([scan], "s" * 40, 42, seed=1)
    key = tickets.ticket_key("s" * 40, 42)
    assert tickets.verify(key, 42, 5, 2, str(event["sig"]))
    event_id = keys.storage_key(__import__("uuid").UUID(str(event["id"])), scan.ts)
    assert event_id.version == 7
    assert keys.key_millis(event_id) == int(scan.ts.timestamp() * 1000)
    assert event["ts"] == "2026-11-16T09:00:00+08:00"


def test_pace_sends_batches_at_the_rate() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        """Advance the fake clock."""
        slept.append(round(seconds, 6))
        now[0] += seconds

    sent: list[int] = []
    events = iter([{"n": n} for n in range(100)])
    total = pace(
        events,
        lambda chunk: sent.append(len(chunk)),
        rate=100,
        batch=10,
        limit=35,
        seconds=None,
        stop=threading.Event(),
        clock=lambda: now[0],
        sleep=sleep,
    )
    assert (total, sent) == (35, [10, 10, 10, 5])
    # at 100 events/s each batch of 10 is due 0.1 s after the previous one
    assert slept == [0.1, 0.1, 0.1, 0.05]


def test_the_factory_is_read_from_the_database(factory: Factory) -> None:
    org = factory.org("simfab")
    seeded = seed_factory(factory.runtime.session_factory, org.id, bundles_per_order=4)
    with factory.runtime.session_factory() as session:
        loaded = load_factory(session, system_scope(org.id, org.kind, "test"))
    assert [len(o.bundles) for o in loaded.orders] == [4, 4]
    assert {o.line_id for o in loaded.orders} == set(seeded.line_ids)
    assert loaded.routings[seeded.style_id] == seeded.predecessors
    assert sorted(o.code for o in loaded.operators) == sorted(seeded.operator_codes)
    assert loaded.done == frozenset()
    scans = list(simulate(loaded, datetime(2026, 11, 16, tzinfo=UTC), random.Random(1)))
    # two orders of four 20-piece bundles through a four-operation routing
    assert sum(1 for s in scans if s.kind == "done") == 2 * 4 * 4
    assert {s.operator for s in scans} <= set(seeded.operator_codes)


def test_line_operators_only_sew_their_own_line_orders(factory: Factory) -> None:
    org = factory.org("simlines")
    seed_factory(factory.runtime.session_factory, org.id, bundles_per_order=3)
    with factory.runtime.session_factory() as session:
        loaded = load_factory(session, system_scope(org.id, org.kind, "test"))
    line_of_bundle = {b.number: o.line_id for o in loaded.orders for b in o.bundles}
    line_of_operator = {o.code: o.line_id for o in loaded.operators}
    by_line: defaultdict[int | None, set[int | None]] = defaultdict(set)
    for scan in simulate(loaded, MONDAY, random.Random(2)):
        by_line[line_of_operator[scan.operator]].add(line_of_bundle[scan.bundle])
    assert all(lines == {line} for line, lines in by_line.items())


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free local port for the test's duration."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        wait_until(lambda: server.started, "the test server")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(WAIT)


def _stored(factory: Factory, org_id: int, kind: str) -> int:
    """Return how many applied events of ``kind`` the organisation has."""
    with factory.runtime.session_factory() as s:
        stmt = select(func.count()).where(ScanEvent.org_id == org_id, ScanEvent.kind == kind)
        return s.scalar(stmt.where(ScanEvent.status == "applied")) or 0


def test_the_simulator_posts_the_floor_over_http(
    factory: Factory,
    loom_app: FastAPI,
    loom_settings: Settings,
    loom_cli: LoomCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = factory.org("simhttp")
    seed_factory(factory.runtime.session_factory, org.id, bundles_per_order=3)
    monkeypatch.setenv("LOOM_SECRET_KEY", loom_settings.secret_key)
    with serving(loom_app) as base:
        result = loom_cli(
            "simulate", "shopfloor", "--org", "simhttp", "--url", base, "--rate", "5000",
            "--batch", "10",
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "issued device token for simhttp: loom_" in result.output
    # no limit given: the floor sews every bundle, 2 orders × 3 bundles × 4 operations
    assert _stored(factory, org.id, "done") == 24
    last = result.output.strip().splitlines()[-2]
    assert "duplicates 0, quarantined 0, rejected 0" in last


@pytest.mark.mqtt
def test_the_simulator_publishes_over_mqtt_to_the_workers(
    factory: Factory,
    loom_settings: Settings,
    loom_cli: LoomCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = mqtt_url()
    if url is None:
        pytest.skip("LOOM_TEST_MQTT_URL not set: MQTT suite skipped")
    slug = unique_slug("simmq")
    org = factory.org(slug)
    seed_factory(factory.runtime.session_factory, org.id, bundles_per_order=5)
    token = factory.token(org, ["shopfloor.event.write"], kind="device")
    monkeypatch.setenv("LOOM_SECRET_KEY", loom_settings.secret_key)
    pool = Workers(factory, url)
    try:
        worker = pool.start()
        result = loom_cli(
            "simulate", "shopfloor", "--org", slug, "--via", "mqtt", "--token", token,
            "--events", "30", "--rate", "5000", "--batch", "7",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "issued device token" not in result.output
        wait_until(lambda: worker.stats.accepted == 30, "the simulator's thirty events")
    finally:
        pool.close()
    assert worker.stats.events == 30
    assert worker.stats.accepted == 30
    assert worker.stats.quarantined == 0


def test_the_simulator_refuses_bad_arguments_plainly(factory: Factory, loom_cli: LoomCli) -> None:
    org = factory.org("simbad")
    unknown = loom_cli("simulate", "shopfloor", "--org", "nowhere")
    assert unknown.exit_code == 2
    assert "no organisation with slug 'nowhere'" in unknown.output
    via = loom_cli("simulate", "shopfloor", "--org", "simbad", "--via", "carrier-pigeon")
    assert via.exit_code == 2
    empty = loom_cli("simulate", "shopfloor", "--org", "simbad", "--token", "loom_x_y")
    assert empty.exit_code == 1
    assert "simbad has no cut bundles or no operators" in empty.output
    seed_factory(factory.runtime.session_factory, org.id, bundles_per_order=1)
    down = loom_cli(
        "simulate", "shopfloor", "--org", "simbad", "--token", "loom_x_y",
        "--url", "http://127.0.0.1:1",
    )  # fmt: skip
    assert down.exit_code == 1
    assert "sending failed" in down.output
