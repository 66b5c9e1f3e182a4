"""``loom ingest mqtt``: take scan events from the broker, commit them, then acknowledge.

Each worker holds an MQTT v5 persistent session (a stable client id, ``clean_start=False`` and a
session expiry) on the shared subscription ``$share/{group}/loom/+/events``, so the broker splits
the stream between workers and keeps what a stopped worker has not acknowledged for its restart.
Messages are acknowledged by hand (paho ``manual_ack``) and only after the transaction holding
their events committed: a crash or a database outage before the commit leaves them with the
broker, which delivers them again; the events' ids make that redelivery count as duplicates.

The network thread only queues messages. One thread per worker drains the queue into a batch
(several messages share one transaction when they arrive faster than a commit), authenticates
each message's device token (``service.mqtt_auth``), parses and verifies the events before the
write transaction begins (``service.mqtt_plan``; SQLite's write lock is held only to store),
stores, commits, and acknowledges.

Apps' ingest channels ride along: a worker also shares ``loom/+/{name}`` of each channel given
and hands a message to the channel its topic's last level names, with the same guarantees;
what a channel refuses is set aside with its reason (``kernel.messaging.ingest``).

Mosquitto goes on queueing a stopped worker's share of the stream in its session until the
session expires, so a worker id is either restarted within the expiry or retired with ``drain``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy.orm import Session, sessionmaker

from loom.kernel.authz.registry import PermissionRegistry
from loom.kernel.db.repository import SCOPE_KEY, bind_scope
from loom.kernel.messaging.ingest import (
    ChannelRoute,
    apply_batch,
    is_transient,
    set_aside,
    unreadable,
)
from loom.kernel.messaging.mqtt import DEFAULT_RECONNECT_MAX_DELAY, connect
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.mqtt_topics import (
    DEFAULT_GROUP,
    Message,
    Stats,
    bearer_of_properties,
    channel_subscription,
    shared_subscription,
)
from loom.modules.shopfloor.service.ingest import Prepared, quarantine_malformed, store_many
from loom.modules.shopfloor.service.mqtt_auth import DeviceTokens, Stream
from loom.modules.shopfloor.service.mqtt_plan import Plan, plan_batch, route_of

log = logging.getLogger("loom.shopfloor.mqtt")

SESSION_EXPIRY = 24 * 3600
MAX_BACKOFF = 30.0
#: the size of one event in a payload, roughly (ids, time stamps and signature dominate)
BYTES_PER_EVENT = 250
#: unacknowledged messages the broker may send ahead: the bound on a worker's memory
RECEIVE_MAXIMUM = 200
#: attempts of one message failing with a non-database error before it is set aside
POISON_ATTEMPTS = 3


class IngestWorker:
    """One MQTT consumer with its own session and processing thread."""

    def __init__(
        self,
        *,
        url: str,
        session_factory: sessionmaker[Session],
        registry: PermissionRegistry,
        secret_key: str,
        client_id: str,
        group: str = DEFAULT_GROUP,
        session_expiry: int = SESSION_EXPIRY,
        max_batch_events: int = 20_000,
        backoff: float = 0.5,
        app: AppSpec | None = None,
        channels: Sequence[ChannelRoute] = (),
        reconnect_max_delay: int = DEFAULT_RECONNECT_MAX_DELAY,
    ) -> None:
        """Configure the worker; ``start`` connects; ``app`` refuses organisations without it."""
        self.url = url
        self.session_factory = session_factory
        self.secret_key = secret_key
        self.client_id = client_id
        self.topic = shared_subscription(group)
        # apps' ingest channels this worker takes besides the scan events, by topic level
        self.channels = {route.name: route for route in channels}
        self.topics = [self.topic, *(channel_subscription(n, group) for n in self.channels)]
        self.session_expiry = session_expiry
        self.max_batch_events = max_batch_events
        self.backoff = backoff
        self.reconnect_max_delay = reconnect_max_delay
        self.stats = Stats()
        streams = {r.name: Stream(r.channel.permission, r.app) for r in self.channels.values()}
        self.tokens = DeviceTokens(session_factory, registry, app, streams)
        self.subscribed = threading.Event()
        self._queue: queue.Queue[Message] = queue.Queue()
        self._stop = threading.Event()
        self._client: mqtt.Client | None = None
        self._thread: threading.Thread | None = None
        self._started = 0.0
        self._last_message = 0.0
        self._received = 0

    # -- MQTT side ------------------------------------------------------------------------

    def start(self) -> None:
        """Connect, (re)subscribe, and start the processing thread."""
        self._started = self._last_message = time.monotonic()
        self._client = connect(
            self.url,
            client_id=self.client_id,
            clean_start=False,
            session_expiry=self.session_expiry,
            manual_ack=True,
            receive_maximum=RECEIVE_MAXIMUM,
            on_connected=self._on_connected,
            reconnect_max_delay=self.reconnect_max_delay,
        )
        self._thread = threading.Thread(target=self._run, name=f"ingest-{self.client_id}")
        self._thread.start()

    def _on_connected(self, client: mqtt.Client, session_present: bool) -> None:
        """Subscribe after every (re)connection."""
        # Subscribing again is harmless when the broker kept the session, and needed when not;
        # the callbacks are set here, before the SUBACK and the first message can arrive.
        client.on_message = self._on_message
        client.on_subscribe = self._on_subscribe
        client.subscribe([(topic, 1) for topic in self.topics])
        log.info("%s connected (session present: %s)", self.client_id, session_present)

    def _on_subscribe(self, *_args: Any) -> None:
        """Note that the broker confirmed the subscription."""
        self.subscribed.set()

    def _on_message(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        """Queue a message for the processing thread (the network thread does nothing else)."""
        self._last_message = time.monotonic()
        self._received += 1
        props = getattr(msg.properties, "UserProperty", None) or []
        self._queue.put(
            Message(msg.mid, msg.qos, msg.topic, bytes(msg.payload), bearer_of_properties(props))
        )

    def stop(self, timeout: float = 30.0, *, forget: bool = False) -> None:
        """Finish the current batch, then disconnect (unprocessed messages stay with the broker).

        ``forget`` ends the broker session too: only for a worker id retired after ``drain``.
        """
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._client is not None:
            ending = Properties(PacketTypes.DISCONNECT)  # type: ignore[no-untyped-call]
            ending.SessionExpiryInterval = 0
            self._client.disconnect(properties=ending if forget else None)
            self._client.loop_stop()
            self._client = None
        log.info("%s stopped: %s", self.client_id, self.stats.line(self._elapsed()))

    def drain(self, idle: float = 5.0) -> None:
        """Take no new share, finish what the broker queued for this id, then end its session.

        Mosquitto keeps queueing a share of the stream for a stopped worker's session until it
        expires, so a worker id that will not come back is drained rather than just stopped.
        """
        assert self._client is not None
        self._client.unsubscribe(self.topics)
        while time.monotonic() - self._last_message < idle or self._busy():
            time.sleep(0.2)
        self.stop(forget=True)

    def _busy(self) -> bool:
        """Return whether messages are queued or being committed."""
        # each counter has one writer: the network thread receives, the processing thread acks
        return self._received > self.stats.acked

    def _ack(self, batch: Sequence[Message]) -> None:
        """Acknowledge committed messages to the broker."""
        client = self._client
        if client is None:
            # stopped while this batch committed: the broker redelivers, as duplicates
            return
        for message in batch:
            if message.qos:
                client.ack(message.mid, message.qos)
            self.stats.acked += 1

    def _elapsed(self) -> float:
        """Return seconds since start."""
        return time.monotonic() - self._started

    # -- processing side ------------------------------------------------------------------

    def _run(self) -> None:
        """Process batches until stopped (the processing thread)."""
        last_log = time.monotonic()
        while not self._stop.is_set():
            batch = self._take_batch()
            try:
                if batch:
                    self._process(batch)
            except Exception:
                # never let the thread die: the unacknowledged messages return on reconnect
                log.exception("%s: batch of %d message(s) abandoned", self.client_id, len(batch))
            if time.monotonic() - last_log >= 10 and self.stats.messages:
                last_log = time.monotonic()
                log.info("%s: %s", self.client_id, self.stats.line(self._elapsed()))

    def _take_batch(self) -> list[Message]:
        """Return the queued messages that arrived meanwhile, up to about max_batch_events."""
        try:
            first = self._queue.get(timeout=0.2)
        except queue.Empty:
            return []
        batch, size = [first], len(first.payload)
        # stop taking messages once the batch holds about max_batch_events events
        while size < self.max_batch_events * BYTES_PER_EVENT:
            try:
                message = self._queue.get_nowait()
            except queue.Empty:
                break
            batch.append(message)
            size += len(message.payload)
        return batch

    def _process(self, batch: list[Message]) -> bool:
        """Commit then acknowledge the batch, waiting out outages; False when stopped meanwhile."""
        delay = self.backoff
        failures = 0
        while True:
            try:
                self._commit(batch)
            except Exception as exc:
                self.stats.failures += 1
                failures += 1
                if not is_transient(exc):
                    if len(batch) > 1:
                        # one bad message must not hold back the others: commit them one by one
                        log.warning("%s: batch failed (%r); splitting it", self.client_id, exc)
                        return all(self._process([message]) for message in batch)
                    if failures >= POISON_ATTEMPTS and self._set_aside(batch[0], exc):
                        self._ack(batch)
                        return True
                log.warning(
                    "%s: commit failed (%s); %d message(s) left unacknowledged, retry in %.1fs",
                    self.client_id,
                    exc.__class__.__name__,
                    len(batch),
                    delay,
                )
            else:
                self._ack(batch)
                return True
            if self._stop.wait(delay):
                return False
            delay = min(delay * 2, MAX_BACKOFF)

    def _set_aside(self, message: Message, exc: BaseException) -> bool:
        """Keep a message that keeps failing in the quarantine; False if even that failed."""
        where = f"message {message.mid} on {message.topic}"
        log.error("%s: %s keeps failing (%r); quarantined", self.client_id, where, exc)
        auth = self.tokens.cached(message.token)
        if auth is None or auth.scope is None:
            return True
        text = message.payload[:20_000].decode("utf-8", "replace")
        route = route_of(self.channels, message)
        try:
            with self.session_factory() as session:
                detail = f"ingest failed: {exc!r}"
                if route is None:
                    quarantine_malformed(
                        session, auth.scope.org_id, {"message": text}, "malformed", detail
                    )
                else:
                    bind_scope(session, auth.scope)
                    set_aside(session, auth.scope, route, [(unreadable(message.payload), detail)])
                session.commit()
        except Exception:
            log.exception("%s: could not quarantine %s; will retry", self.client_id, where)
            return False
        return True

    def _commit(self, batch: list[Message]) -> None:
        """Plan the batch without the write lock, then store it in one transaction and commit."""
        plan = self._plan(batch)
        session = self.session_factory()
        try:
            self._store(session, plan)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(SCOPE_KEY, None)
            session.close()
        self.stats.batches += 1
        self.stats.messages += len(batch)
        for name, value in plan.counts.items():
            setattr(self.stats, name, getattr(self.stats, name) + value)

    def _plan(self, batch: list[Message]) -> Plan:
        """Authenticate, decode, parse and verify every message (no write lock is held)."""
        return plan_batch(
            batch,
            tokens=self.tokens,
            channels=self.channels,
            secret_key=self.secret_key,
            client_id=self.client_id,
        )

    def _store(self, session: Session, plan: Plan) -> None:
        """Write the planned batch in the session, each organisation under its scope; flush only."""
        for scope, item, error in plan.malformed:
            bind_scope(session, scope)
            quarantine_malformed(session, scope.org_id, item, "malformed", error)
            session.flush()
            plan.counts["rejected"] += 1
        # a factory's messages of this batch are stored as one (shared lookups and upserts)
        by_org: dict[int, tuple[Scope, list[Prepared]]] = {}
        for scope, prepared in plan.prepared:
            by_org.setdefault(scope.org_id, (scope, []))[1].append(prepared)
        for scope, batches in by_org.values():
            bind_scope(session, scope)
            for result in store_many(session, batches, quarantine_rejects=True):
                plan.counts["accepted"] += result.accepted
                plan.counts["duplicates"] += result.duplicates
                plan.counts["quarantined"] += result.quarantined
                plan.counts["rejected"] += len(result.rejected)
        for scope, route, kept, reason in plan.unreadable:
            bind_scope(session, scope)
            set_aside(session, scope, route, [(kept, reason)])
            plan.counts["rejected"] += 1
        for scope, route, records in plan.records:
            bind_scope(session, scope)
            # nobody can be told over MQTT: refused records are kept with their reasons
            outcome = apply_batch(session, scope, route, records, keep_refused=True)
            plan.counts["accepted"] += outcome.accepted
            plan.counts["duplicates"] += outcome.duplicates
            plan.counts["rejected"] += len(outcome.rejected)
