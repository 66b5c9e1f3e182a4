"""MQTT connectivity against a real broker (LOOM_TEST_MQTT_URL), and URL parsing."""

from __future__ import annotations

import pytest

from loom.kernel.messaging.mqtt import MqttEndpoint, MqttError, parse_mqtt_url, round_trip
from loom.testing.databases import mqtt_url
from tests.conftest import RunCli

needs_broker = pytest.mark.mqtt


def _broker() -> str:
    url = mqtt_url()
    if url is None:
        pytest.skip("LOOM_TEST_MQTT_URL not set: MQTT suite skipped")
    return url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mqtt://127.0.0.1", MqttEndpoint("127.0.0.1", 1883)),
        ("mqtts://broker.local:9883", MqttEndpoint("broker.local", 9883, tls=True)),
        ("mqtt://dev%40line:p%3Ass@h:1884", MqttEndpoint("h", 1884, False, "dev@line", "p:ss")),
    ],
)
def test_urls_are_parsed(url: str, expected: MqttEndpoint) -> None:
    assert parse_mqtt_url(url) == expected


@pytest.mark.parametrize("url", ["http://h", "mqtt://", "mqtt://h:notaport"])
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="MQTT URL"):
        parse_mqtt_url(url)


def test_unreachable_broker_is_a_clear_error() -> None:
    with pytest.raises(MqttError, match=r"cannot reach MQTT broker at 127\.0\.0\.1:1\b"):
        round_trip("mqtt://127.0.0.1:1", timeout=2)


@needs_broker
def test_round_trip_through_the_real_broker() -> None:
    seconds = round_trip(_broker(), timeout=5)
    assert 0 < seconds < 5


@needs_broker
def test_doctor_reports_database_and_broker(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_MQTT_URL", _broker())
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    assert "database  ok" in result.output
    assert "mqtt      ok" in result.output


def test_doctor_fails_when_the_broker_is_down(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_MQTT_URL", "mqtt://127.0.0.1:1")
    result = run_cli("doctor")
    assert result.exit_code == 1
    assert "mqtt      FAIL" in result.output
