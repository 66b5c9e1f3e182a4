"""Shop-floor ingest over MQTT, end to end at QoS 1: one worker, then two sharing the stream.

A publisher sends pre-built messages of 500 signed events to ``loom/{org}/events`` at QoS 1 with
the device token as a user property; ``loom ingest mqtt`` workers (separate processes, as in
production) take them from the shared subscription ``$share/{group}/loom/+/events``, commit and
acknowledge. The clock runs from the first publish until the database holds every event with
its figures. Each worker's own count (its "stopped:" log line) shows how the broker split the
stream. The baseline is a bare ``executemany`` of the same rows into the same table.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import orjson
from sqlalchemy import func, select

from bench.core import Check, Config, Note, Report, Row
from bench.machine import REPO
from bench.shopfloor_common import Plant, backends, bench_settings, seed_plant, setup_app
from bench.shopfloor_rows import bare_insert_sql, driver_rows, stored_rows
from bench.shopfloor_scans import event_dicts, line_work, scan_days
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.messaging.mqtt import MqttError, connect, round_trip, user_properties
from loom.modules.shopfloor.engine.figures import local_today
from loom.modules.shopfloor.engine.tickets import ticket_key
from loom.modules.shopfloor.models import ScanEvent
from loom.modules.shopfloor.service import rebuild
from loom.settings import Settings
from loom.testing.factory import Factory

NAME = "shopfloor_mqtt"
PER_MESSAGE = 500
TARGET = 10_000
MQTT_ENVS = ("LOOM_BENCH_MQTT_URL", "LOOM_TEST_MQTT_URL")
STOPPED = re.compile(r"(\S+) stopped: (\d+) messages, (\d+) events")
LOOM = Path(sys.executable).parent / "loom"


def mqtt_url() -> str:
    """Return the broker to use (the local Mosquitto unless configured)."""
    for name in MQTT_ENVS:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return "mqtt://127.0.0.1:1883"


Event = dict[str, object]


def _events(plant: Plant, settings: Settings, count: int) -> list[Event]:
    """Return ``count`` realistic signed events of the plant, in time order."""
    key = ticket_key(settings.secret_key, plant.org.id)
    work = line_work(plant.sample)
    found: list[Event] = []
    first = local_today(utcnow()) - timedelta(days=30)
    for _day, scans in scan_days(first, work, plant.sample.operations, 150, seed=7):
        found.extend(event_dicts(scans, key, plant.org.id))
        if len(found) >= count:
            break
    return found[:count]


def _workers(
    settings: Settings, url: str, count: int, tag: str, log: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LOOM_ENV": settings.env,
        "LOOM_DATABASE_URL": settings.database_url,
        "LOOM_DATA_DIR": str(settings.data_dir),
        "LOOM_SECRET_KEY": settings.secret_key,
        "LOOM_MQTT_URL": url,
    }
    command = [str(LOOM), "ingest", "mqtt", "--workers", str(count), "--group", tag]
    command += ["--client-id", tag, "--session-expiry", "60"]
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        command, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def _wait_connected(log: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the workers exited: {log.read_text()[-2000:]}")
        if log.read_text(errors="replace").count(" connected (session present") >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the workers did not connect: {log.read_text()[-2000:]}")


def _stored(application: object, org_id: int) -> int:
    factory = application.state.loom.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        stmt = select(func.count()).select_from(ScanEvent).where(ScanEvent.org_id == org_id)
        return int(session.scalar(stmt) or 0)


def _publish_and_wait(
    application: object,
    url: str,
    plant: Plant,
    token: str,
    events: Sequence[Event],
    before: int,
) -> float:
    """Publish every message at QoS 1; return seconds until all events are stored."""
    publisher = connect(url, f"bench-pub-{secrets.token_hex(4)}")
    props = user_properties({"authorization": f"Bearer {token}"})
    topic = f"loom/{plant.org.slug}/events"
    payloads = [
        orjson.dumps(list(events[i : i + PER_MESSAGE])) for i in range(0, len(events), PER_MESSAGE)
    ]
    started = time.perf_counter()
    infos = [publisher.publish(topic, p, qos=1, properties=props) for p in payloads]
    for info in infos:
        info.wait_for_publish(60)
    target = before + len(events)
    deadline = time.monotonic() + 600
    while _stored(application, plant.org.id) < target:
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not store every event within 10 minutes")
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    publisher.loop_stop()
    publisher.disconnect()
    return elapsed


def _stop(process: subprocess.Popen[bytes], log: Path) -> dict[str, tuple[int, int]]:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    split = {}
    for match in STOPPED.finditer(log.read_text(errors="replace")):
        split[match.group(1)] = (int(match.group(2)), int(match.group(3)))
    return split


def _bare_seconds(application: object, plant: Plant, events: Sequence[Event]) -> float:
    """Insert the same rows bare (1,000 per commit) under a second organisation; return seconds."""
    factory = Factory(application)  # type: ignore[arg-type]
    other = factory.org(f"bare-{secrets.token_hex(4)}")
    sessions = application.state.loom.session_factory  # type: ignore[attr-defined]
    with session_scope(sessions) as session:
        bind_scope(session, system_scope(plant.org.id, plant.org.kind, "bench"))
        rows = stored_rows(session, plant.org.id, events, other.id)
    dialect = application.state.loom.engine.dialect.name  # type: ignore[attr-defined]
    sql = bare_insert_sql(dialect)
    converted = driver_rows(rows, dialect)
    started = time.perf_counter()
    for start in range(0, len(converted), 1_000):
        with sessions() as session:
            session.connection().exec_driver_sql(sql, converted[start : start + 1_000])
            session.commit()
    return time.perf_counter() - started


def _one_run(
    ctx: tuple[object, Settings, Plant, str, str, Path],
    workers: int,
    chunk: Sequence[Event],
    stored: int,
) -> tuple[float, dict[str, tuple[int, int]]]:
    """Start ``workers`` worker processes, publish ``chunk``, stop them; return seconds, split."""
    application, settings, plant, token, url, tmp = ctx
    tag = f"bench-{plant.org.slug}-{workers}w"
    log = tmp / f"{tag}.log"
    process = _workers(settings, url, workers, tag, log)
    try:
        _wait_connected(log, workers, process)
        seconds = _publish_and_wait(application, url, plant, token, chunk, stored)
    finally:
        split = _stop(process, log)
    return seconds, split


def _backend(config: Config, report: Report, backend: str, db_url: str, url: str) -> None:
    count = config.pick(120_000, 6_000)
    with tempfile.TemporaryDirectory(prefix="loom-mqtt-") as directory:
        tmp = Path(directory)
        settings = bench_settings(db_url, tmp)
        with setup_app(settings) as application:
            slug = f"mq{secrets.token_hex(3)}"
            plant = seed_plant(
                application, slug, lines=8, operators_per_line=30, bundles_per_order=4_000
            )
            token = Factory(application).token(plant.org, ["shopfloor.event.write"], kind="device")
            events = _events(plant, settings, count * 2)
            if len(events) != count * 2:
                raise RuntimeError(f"the plant yields {len(events)} events, not {count * 2}")
            bare = _bare_seconds(application, plant, events[:count]) / count
            base = "bare executemany (baseline)"
            report.rows.append(Row(NAME, backend, base, "event", count, 1, [bare]))
            ctx = (application, settings, plant, token, url, tmp)
            for workers, chunk in ((1, events[:count]), (2, events[count:])):
                seconds, split = _one_run(ctx, workers, chunk, 0 if workers == 1 else count)
                per_event = seconds / len(chunk)
                case = f"MQTT QoS 1, {workers} worker(s)"
                row = Row(NAME, backend, case, "event", len(chunk), 1, [per_event], base)
                row.cost_ratios = [per_event / bare]
                report.rows.append(row)
                shares = ", ".join(
                    f"{cid}: {m} messages / {e} events" for cid, (m, e) in sorted(split.items())
                )
                rate = len(chunk) / seconds
                text = f"{workers} worker(s): {rate:,.0f} events/s end to end (target {TARGET:,})"
                report.notes.append(Note(NAME, backend, f"{text}; split {shares}"))
                if workers == 2:
                    both = len(split) == 2 and all(m > 0 for m, _ in split.values())
                    what = "two workers on one shared subscription both took a share"
                    report.checks.append(Check(NAME, backend, what, both, shares))
            with session_scope(application.state.loom.session_factory) as session:
                checked = rebuild.check(session, plant.org.id)
            complete = _stored(application, plant.org.id) == 2 * count
            report.checks.append(
                Check(
                    NAME,
                    backend,
                    "every event stored once; counters equal a rebuild from raw events",
                    complete and not checked.differences,
                    f"{checked.events} applied, {len(checked.differences)} difference(s)",
                )
            )


def run(config: Config, report: Report) -> None:
    """Measure MQTT ingest with one and with two workers on every configured database."""
    url = mqtt_url()
    try:
        round_trip(url)
    except (MqttError, ValueError) as exc:
        report.notes.append(Note(NAME, "-", f"skipped: no MQTT broker at {url} ({exc})"))
        return
    for backend, database in backends():
        with database() as db_url:
            _backend(config, report, backend, db_url, url)
