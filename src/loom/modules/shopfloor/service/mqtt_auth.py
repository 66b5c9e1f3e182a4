"""Device tokens of MQTT messages: the HTTP bearer checks, then the topic's organisation.

A message carries its token in the MQTT v5 user property ``authorization``. The token must be
valid, unrevoked and unexpired (``loom.kernel.authz.guard.token_scope``), hold the permission
of the topic's stream (``shopfloor.event.write`` for ``…/events``, the channel's own for an
app's ingest channel), belong to the organisation named by the topic, and that organisation
must use the app of the stream. A verdict, good or bad, is trusted for 30 seconds (less when the
token expires sooner), so a stream of messages does not ask the database for every one of them;
a revocation therefore takes effect within 30 seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import token_scope
from loom.kernel.authz.registry import PermissionRegistry
from loom.kernel.db.base import utcnow
from loom.kernel.errors import NotAuthenticated
from loom.kernel.identity.models import ApiToken
from loom.kernel.plugins.enablement import is_enabled
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.mqtt_topics import EVENTS_LEAF, Message, TtlCache, split_topic

WRITE_PERMISSION = "shopfloor.event.write"
#: how long a verified (or refused) token is trusted without asking the database again
TOKEN_TTL = 30.0


@dataclass(frozen=True)
class Auth:
    """What a token proved: its scope, organisation slug and enabled apps, or why it was refused."""

    scope: Scope | None
    org_slug: str = ""
    refusal: str = ""
    apps: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Stream:
    """What a topic's last level asks of a token: a permission and, if given, an enabled app."""

    permission: str
    app: AppSpec | None = None
    refusal_disabled: str = ""


class DeviceTokens:
    """Checks messages' tokens, remembering each verdict for a short time."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        registry: PermissionRegistry,
        app: AppSpec | None = None,
        streams: Mapping[str, Stream] | None = None,
    ) -> None:
        """Check against the database of ``session_factory``; ``app`` must be enabled for events.

        ``streams`` adds the apps' ingest channels by topic level (the scan events' stream,
        ``events``, is always there).
        """
        self.session_factory = session_factory
        self.registry = registry
        self.app = app
        self.streams: dict[str, Stream] = {
            EVENTS_LEAF: Stream(WRITE_PERMISSION, app, "the shop-floor app is not enabled"),
            **(streams or {}),
        }
        self.cache: TtlCache[Auth] = TtlCache(TOKEN_TTL)

    def authenticate(self, message: Message) -> Auth:
        """Return the message's verified scope, or why it is refused."""
        parts = split_topic(message.topic)
        stream = self.streams.get(parts[1]) if parts is not None else None
        if parts is None or stream is None:
            return Auth(None, refusal="not an events topic")
        slug = parts[0]
        if message.token is None:
            return Auth(None, refusal="no 'authorization: Bearer …' user property")
        auth = self.cache.get(message.token)
        if auth is None:
            # a short transaction of its own: it records the token's use (last_used_at)
            with self.session_factory() as session:
                auth, ttl = self.verify(session, message.token)
                session.commit()
            self.cache.put(message.token, auth, ttl)
        if auth.scope is None:
            return auth
        if not auth.scope.can(stream.permission):
            return Auth(None, refusal=f"the token lacks {stream.permission}")
        if stream.app is not None and stream.app.slug not in auth.apps:
            # as over HTTP, where the disabled app's routes answer 404
            refusal = stream.refusal_disabled or f"the {stream.app.slug} app is not enabled"
            return Auth(None, refusal=refusal)
        if auth.org_slug != slug:
            return Auth(None, refusal=f"the token is not one of organisation {slug!r}")
        return auth

    def cached(self, token: str | None) -> Auth | None:
        """Return the verdict remembered for ``token``, if any."""
        return None if token is None else self.cache.get(token)

    def verify(self, session: Session, plain: str) -> tuple[Auth, float]:
        """Check a token against the database; return the verdict and how long to trust it."""
        try:
            scope = token_scope(session, plain, self.registry)
        except NotAuthenticated as exc:
            return Auth(None, refusal=exc.message), TOKEN_TTL
        org, expires_at = session.execute(
            select(Organisation, ApiToken.expires_at)
            .join(Organisation, Organisation.id == ApiToken.org_id)
            .where(ApiToken.id == scope.actor.token_id)
            .execution_options(loom_all_tenants=True)
        ).one()
        apps = {s.app.slug: s.app for s in self.streams.values() if s.app is not None}
        enabled = frozenset(slug for slug, app in apps.items() if is_enabled(session, org, app))
        lifetime = (expires_at - utcnow()).total_seconds()
        return Auth(scope, org.slug, apps=enabled), max(0.0, min(TOKEN_TTL, lifetime))
