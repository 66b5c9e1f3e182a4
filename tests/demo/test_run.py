"""``loom demo``: seed once and print the logins; serve with the live feed; stop on Ctrl+C."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.demo import DEMO_PASSWORD, DISTRICT_LOGINS, seed_district
from loom.kernel.db.base import Base
from tests.demo.conftest import Seeded

# one xdist worker seeds the district once for every test of the package
pytestmark = pytest.mark.xdist_group("demo")

LAUNCH = "from loom.cli import main; main()"


def test_seed_only_reports_the_seed_and_one_login_per_role(district: Seeded) -> None:
    out = district.output
    assert "Seeded the demo district in" in out
    assert f"password for all: {DEMO_PASSWORD}" in out
    for login in DISTRICT_LOGINS:
        assert f"  {login.username} " in out
    # seed-only does not serve: no URL is printed
    assert "http://" not in out


def _row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in Base.metadata.sorted_tables
    }


def test_a_second_seed_finds_the_district_and_adds_nothing(district: Seeded) -> None:
    with district.sessions() as session:
        before = _row_counts(session)
        outcome = seed_district(session, secret_key=district.secret_key)
        session.flush()
        after = _row_counts(session)
        session.rollback()
    assert outcome.seeded is False
    assert after == before
    assert before["shopfloor_event"] > 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _events(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute("SELECT count(*) FROM shopfloor_event").fetchone()
    return int(count)


def test_plain_demo_serves_the_seeded_district_with_live_scans_and_stops_on_ctrl_c(
    district: Seeded, tmp_path: Path
) -> None:
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(district.path, copy)
    before = _events(copy)
    port = _free_port()
    env = {
        **os.environ,
        "LOOM_DATABASE_URL": f"sqlite:///{copy}",
        "LOOM_DATA_DIR": str(tmp_path / "data"),
        "LOOM_SECRET_KEY": district.secret_key,
        "LOOM_ENV": "test",
    }
    command = [sys.executable, "-c", LAUNCH, "demo", "--port", str(port), "--rate", "20"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        url, head = _printed_url(process)
        assert url == f"http://127.0.0.1:{port}"
        assert _get(port, "/api/v1/health") == 200
        assert _get(port, "/login") == 200
        # the live feed posts through the events API: new scans arrive within seconds
        deadline = time.monotonic() + 30
        while _events(copy) == before and time.monotonic() < deadline:
            time.sleep(0.1)  # the poll, not the 30 s deadline: a scan ends the wait sooner
        assert _events(copy) > before
        process.send_signal(signal.SIGINT)
        tail, _ = process.communicate(timeout=30)
        out = head + tail
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, out
    assert "already seeded" in out
    assert "Stopped: the live feed sent" in out


def _printed_url(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Read the command's output until it prints the demo's URL; return it and what was read."""
    assert process.stdout is not None
    read = []
    for line in process.stdout:
        read.append(line)
        if line.startswith("Loom demo district: "):
            return line.removeprefix("Loom demo district: ").strip(), "".join(read)
    pytest.fail(f"`loom demo` printed no URL (exit {process.poll()}): {''.join(read)}")


def _get(port: int, path: str) -> int:
    deadline = time.monotonic() + 30
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", path)
            return connection.getresponse().status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        finally:
            connection.close()
