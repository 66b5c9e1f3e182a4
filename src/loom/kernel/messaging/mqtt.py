"""A small, typed layer over paho-mqtt (MQTT v5): parse URLs, connect, publish, round-trip."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlparse

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}
#: the longest wait, in seconds, between two attempts to reconnect to a lost broker
DEFAULT_RECONNECT_MAX_DELAY = 10


class MqttError(RuntimeError):
    """The broker could not be reached or did not answer in time."""


@dataclass(frozen=True)
class MqttEndpoint:
    """Where the broker is and how to log in to it."""

    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None


def parse_mqtt_url(url: str) -> MqttEndpoint:
    """Parse ``mqtt://[user:pass@]host[:port]`` or ``mqtts://…``; raise ValueError if malformed."""
    parsed = urlparse(url)
    if parsed.scheme not in DEFAULT_PORTS:
        raise ValueError(f"MQTT URL must start with mqtt:// or mqtts://, got {url!r}")
    if not parsed.hostname:
        raise ValueError(f"MQTT URL has no host: {url!r}")
    try:
        port = parsed.port or DEFAULT_PORTS[parsed.scheme]
    except ValueError as exc:
        raise ValueError(f"MQTT URL has a bad port: {url!r}") from exc
    return MqttEndpoint(
        host=parsed.hostname,
        port=port,
        tls=parsed.scheme == "mqtts",
        username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
    )


def connect(
    url: str,
    client_id: str = "",
    timeout: float = 5.0,
    *,
    clean_start: bool = True,
    session_expiry: int = 0,
    manual_ack: bool = False,
    receive_maximum: int | None = None,
    on_connected: Callable[[mqtt.Client, bool], None] | None = None,
    reconnect_max_delay: int = DEFAULT_RECONNECT_MAX_DELAY,
) -> mqtt.Client:
    """Connect an MQTT v5 client and start its network loop; raise MqttError on failure.

    ``clean_start=False`` with ``session_expiry`` seconds keeps the session (subscriptions and
    unacknowledged messages) at the broker across reconnects of the same ``client_id``.
    ``on_connected(client, session_present)`` runs after every successful (re)connection, so a
    subscriber can subscribe again when the broker lost its session. After a lost connection
    paho retries after 1 s, doubling up to ``reconnect_max_delay`` seconds.
    """
    endpoint = parse_mqtt_url(url)
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=client_id or f"loom-{uuid.uuid4().hex[:12]}",
        protocol=mqtt.MQTTv5,
        manual_ack=manual_ack,
    )
    # paho's own ceiling is 120 s: a broker back after a restart would wait up to two minutes
    client.reconnect_delay_set(min_delay=1, max_delay=reconnect_max_delay)
    if endpoint.username:
        client.username_pw_set(endpoint.username, endpoint.password)
    if endpoint.tls:
        client.tls_set()
    properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    if session_expiry:
        properties.SessionExpiryInterval = session_expiry
    if receive_maximum:
        properties.ReceiveMaximum = receive_maximum
    connected = threading.Event()
    outcome: dict[str, Any] = {}

    def on_connect(c: mqtt.Client, _u: Any, flags: Any, reason: Any, _p: Any = None) -> None:
        outcome["reason"] = reason
        if on_connected is not None and not getattr(reason, "is_failure", True):
            on_connected(c, bool(getattr(flags, "session_present", False)))
        connected.set()

    client.on_connect = on_connect
    try:
        client.connect(
            endpoint.host,
            endpoint.port,
            keepalive=30,
            clean_start=clean_start,
            properties=properties if session_expiry or receive_maximum else None,
        )
    except OSError as exc:
        where = f"{endpoint.host}:{endpoint.port}"
        raise MqttError(f"cannot reach MQTT broker at {where}: {exc}") from exc
    client.loop_start()
    if not connected.wait(timeout) or getattr(outcome.get("reason"), "is_failure", True):
        client.loop_stop()
        raise MqttError(f"MQTT broker refused or did not answer: {outcome.get('reason')}")
    return client


def user_properties(pairs: dict[str, str]) -> Properties:
    """Return PUBLISH properties carrying MQTT v5 user properties (e.g. ``authorization``)."""
    properties = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    properties.UserProperty = list(pairs.items())
    return properties


def round_trip(url: str, timeout: float = 5.0) -> float:
    """Publish a probe at QoS 1 and wait until we receive it back; return seconds taken."""
    topic = f"loom/health/{uuid.uuid4().hex}"
    payload = uuid.uuid4().bytes
    received = threading.Event()
    subscribed = threading.Event()
    client = connect(url, timeout=timeout)
    try:
        client.on_subscribe = lambda *_args: subscribed.set()
        client.on_message = lambda _c, _u, msg: received.set() if msg.payload == payload else None
        client.subscribe(topic, qos=1)
        if not subscribed.wait(timeout):
            raise MqttError("MQTT broker did not confirm the subscription")
        start = time.perf_counter()
        info = client.publish(topic, payload, qos=1)
        info.wait_for_publish(timeout)
        if not received.wait(timeout):
            raise MqttError("MQTT probe message did not come back")
        return time.perf_counter() - start
    finally:
        client.disconnect()
        client.loop_stop()
