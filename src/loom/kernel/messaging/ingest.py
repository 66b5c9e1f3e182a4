"""Ingest channels apart from their transport: find a channel, decode a batch, set items aside.

Apps declare device streams as ``IngestChannel`` in their ``AppSpec``; the HTTP route
(``loom.kernel.web.ingest``) and the MQTT workers (``loom ingest mqtt``) share what is here, so
a batch means the same over both: a JSON array of at most ``max_records`` records, handed to the
channel's handler inside a transaction the transport owns and commits before it answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.plugins.spec import AppSpec, IngestChannel, IngestResult
from loom.kernel.tenancy.scope import Scope

#: a channel name is one MQTT topic level and one URL segment
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
#: the shop floor's scan stream (``loom/{org}/events``) predates channels and keeps its name
RESERVED_NAMES = frozenset({"events"})
#: an unreadable message is kept up to this many characters
KEPT_CHARS = 20_000


@dataclass(frozen=True)
class ChannelRoute:
    """A channel together with the app that declares it (which must be enabled to use it)."""

    channel: IngestChannel
    app: AppSpec

    @property
    def name(self) -> str:
        """Return the channel's name."""
        return self.channel.name


class BatchError(ValueError):
    """A body or payload is not a batch of records; the message names what is wrong."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        """Keep the message and whether the batch was only too long."""
        super().__init__(message)
        self.message = message
        self.too_large = too_large


def channel_routes(apps: Iterable[AppSpec]) -> dict[str, ChannelRoute]:
    """Return the apps' channels by name; raise ValueError on a bad or doubly used name."""
    routes: dict[str, ChannelRoute] = {}
    for app in apps:
        for channel in app.ingest_channels:
            if not NAME_PATTERN.match(channel.name) or channel.name in RESERVED_NAMES:
                raise ValueError(f"app {app.slug!r}: bad ingest channel name {channel.name!r}")
            if channel.name in routes:
                other = routes[channel.name].app.slug
                raise ValueError(f"ingest channel {channel.name!r} of {app.slug!r} and {other!r}")
            if channel.max_records < 1:
                raise ValueError(f"ingest channel {channel.name!r}: max_records must be positive")
            routes[channel.name] = ChannelRoute(channel, app)
    return routes


def decode_batch(payload: bytes, max_records: int) -> list[Any]:
    """Return the records of a JSON array of at most ``max_records``; raise BatchError."""
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise BatchError("body: not valid JSON") from None
    if not isinstance(data, list):
        raise BatchError("body: a JSON array of records is required")
    if len(data) > max_records:
        raise BatchError(f"body: at most {max_records} records per batch", too_large=True)
    return data


def checked(result: IngestResult, count: int) -> IngestResult:
    """Return a handler's result after checking it describes a batch of ``count`` records."""
    indexes = [index for index, _error in result.rejected]
    if (
        result.accepted < 0
        or result.duplicates < 0
        or any(not 0 <= i < count for i in indexes)
        or len(set(indexes)) != len(indexes)
        or result.accepted + result.duplicates + len(indexes) > count
    ):
        # a programming error of the app, not of the device: fail loudly, roll back
        raise RuntimeError(f"ingest handler returned an impossible result for {count}: {result}")
    return result


def set_aside(
    session: Session, scope: Scope, route: ChannelRoute, items: Sequence[tuple[Any, str]]
) -> None:
    """Keep refused records (or an unreadable message) with their reasons; flush only.

    The channel's own ``set_aside`` keeps them where its users look; a channel without one gets
    a single audit event per batch listing them, so even then nothing is silently lost.
    """
    if not items:
        return
    if route.channel.set_aside is not None:
        route.channel.set_aside(session, scope, items)
        return
    kept = [{"item": item, "reason": reason} for item, reason in items]
    record_scoped(
        session,
        scope,
        f"{route.app.slug}.ingest.set_aside",
        "ingest_channel",
        route.name,
        after={"items": kept},
    )
    session.flush()


def unreadable(payload: bytes) -> dict[str, str]:
    """Return the item kept for a message that is not a batch: its text, cut to a sane size."""
    return {"message": payload[:KEPT_CHARS].decode("utf-8", "replace")}


def apply_batch(
    session: Session,
    scope: Scope,
    route: ChannelRoute,
    records: Sequence[Any],
    *,
    keep_refused: bool = False,
) -> IngestResult:
    """Hand a batch to its channel in the caller's transaction; flush, never commit.

    ``keep_refused`` sets the refused records aside with their reasons (MQTT, where nobody can
    be answered); over HTTP the device is told instead.
    """
    result = checked(route.channel.handler(session, scope, records), len(records))
    if keep_refused:
        set_aside(session, scope, route, [(records[i], error) for i, error in result.rejected])
    session.flush()
    return result


def is_transient(exc: BaseException) -> bool:
    """Return whether a database error is an outage worth waiting for (not a bad message)."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, PoolTimeout):
        # every pooled connection is busy (a burst of logins, a slow page): overload, not a bug
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated
