"""The ingest worker caps its reconnect back-off: a restarted broker is back within seconds."""

from __future__ import annotations

from typing import Any

import paho.mqtt.client as mqtt
import pytest

from loom.kernel.messaging import mqtt as messaging
from loom.kernel.messaging.mqtt import MqttError, connect
from loom.modules.shopfloor import cli_ingest
from loom.modules.shopfloor.service import mqtt_ingest
from loom.settings import Settings
from tests.conftest import RunCli

#: a port nothing listens on: connect fails before any network loop starts
NOWHERE = "mqtt://127.0.0.1:1"


def _spy_delays(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Record every reconnect_delay_set call, still configuring the real client."""
    calls: list[tuple[int, int]] = []
    real = mqtt.Client.reconnect_delay_set

    def spy(self: mqtt.Client, min_delay: int = 1, max_delay: int = 120) -> None:
        calls.append((min_delay, max_delay))
        real(self, min_delay=min_delay, max_delay=max_delay)

    monkeypatch.setattr(mqtt.Client, "reconnect_delay_set", spy)
    return calls


def test_connect_caps_the_back_off_at_ten_seconds_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _spy_delays(monkeypatch)
    with pytest.raises(MqttError):
        connect(NOWHERE, timeout=1)
    # paho's default would be (1, 120)
    assert calls == [(1, 10)]
    assert messaging.DEFAULT_RECONNECT_MAX_DELAY == 10


def test_connect_takes_another_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _spy_delays(monkeypatch)
    with pytest.raises(MqttError):
        connect(NOWHERE, timeout=1, reconnect_max_delay=3)
    assert calls == [(1, 3)]


def test_the_setting_defaults_to_ten_and_refuses_nonsense() -> None:
    assert Settings().mqtt_reconnect_max_seconds == 10
    assert Settings(mqtt_reconnect_max_seconds=30).mqtt_reconnect_max_seconds == 30
    for bad in (0, 601):
        with pytest.raises(ValueError, match="mqtt_reconnect_max_seconds"):
            Settings(mqtt_reconnect_max_seconds=bad)


def test_loom_ingest_workers_pass_the_setting_to_paho(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # run_cli points the CLI runtime at this test's database; the setting comes from the env
    monkeypatch.setenv("LOOM_MQTT_RECONNECT_MAX_SECONDS", "4")
    seen: dict[str, Any] = {}

    def fake_connect(url: str, **kwargs: Any) -> mqtt.Client:
        seen.update(kwargs, url=url)
        raise MqttError("no broker in this test")

    monkeypatch.setattr(mqtt_ingest, "connect", fake_connect)
    worker = cli_ingest._worker("loom-test", 0, "loom-ingest", 60)
    assert worker.reconnect_max_delay == 4
    with pytest.raises(MqttError):
        worker.start()
    assert seen["reconnect_max_delay"] == 4
    assert seen["manual_ack"] is True  # the rest of the worker's connection is unchanged
