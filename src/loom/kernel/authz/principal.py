"""Authenticate a request from its bearer token or session cookie."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from loom.kernel.db.base import utcnow
from loom.kernel.db.session import reads_apart
from loom.kernel.errors import NotAuthenticated
from loom.kernel.identity.models import ApiToken, User
from loom.kernel.identity.secrets import split_token, token_matches
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.models import Membership, Organisation, Role

SESSION_COOKIE = "loom_session"
LAST_USED_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class OrgChoice:
    """An organisation the user may switch to, as plain data for the page header."""

    org_id: int
    name: str
    kind: str


@dataclass(frozen=True)
class Viewer:
    """What the page shell shows about the caller; plain data that outlives the session."""

    display_name: str
    role: str
    org_id: int
    org_name: str
    org_kind: str
    choices: tuple[OrgChoice, ...]


@dataclass
class Principal:
    """The authenticated caller and the organisation it acts in."""

    org: Organisation
    user: User | None = None
    role: Role | None = None
    token: ApiToken | None = None
    memberships: list[Membership] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Return a human label for audit records."""
        if self.user is not None:
            return self.user.username
        assert self.token is not None
        return f"token:{self.token.prefix}:{self.token.name}"


@lru_cache(maxsize=8)
def session_serializer(secret: str) -> URLSafeTimedSerializer:
    """Return the signer used for session cookies (one per secret: it keeps no request state)."""
    return URLSafeTimedSerializer(secret, salt="loom.session")


def make_session_cookie(secret: str, user: User, org_id: int) -> str:
    """Return a signed session cookie value for ``user`` acting in ``org_id``."""
    return session_serializer(secret).dumps({"u": user.id, "o": org_id, "e": user.session_epoch})


def bearer_of(request: Request) -> str | None:
    """Return the bearer token presented with the request, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def resolve_principal(request: Request, db: Session) -> Principal:
    """Authenticate once per request (cached on ``request.state``) or raise NotAuthenticated."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    token = bearer_of(request)
    principal = principal_from_token(db, token) if token is not None else _from_cookie(request, db)
    request.state.principal = principal
    if principal.user is not None and principal.role is not None:
        request.state.viewer = Viewer(
            display_name=principal.user.display_name,
            role=principal.role.value,
            org_id=principal.org.id,
            org_name=principal.org.name,
            org_kind=principal.org.kind.value,
            choices=tuple(
                OrgChoice(m.org_id, m.organisation.name, m.organisation.kind.value)
                for m in principal.memberships
            ),
        )
    return principal


def principal_from_token(db: Session, plain: str) -> Principal:
    """Authenticate a plain bearer token (HTTP or MQTT) or raise NotAuthenticated."""
    parts = split_token(plain)
    if parts is None:
        raise NotAuthenticated("malformed bearer token")
    prefix, secret = parts
    stmt = select(ApiToken).where(ApiToken.prefix == prefix)
    # read without SQLite's write lock: a device's batch is then checked while another is
    # written; the time of use, when due, is written in the request's own transaction
    with reads_apart(db):
        token = db.scalar(stmt.execution_options(loom_all_tenants=True))
        org = db.get(Organisation, token.org_id) if token is not None else None
    now = utcnow()
    if token is None or not token_matches(secret, token.secret_hash):
        raise NotAuthenticated("unknown bearer token")
    if token.revoked_at is not None:
        raise NotAuthenticated("this token was revoked")
    if token.expires_at <= now:
        raise NotAuthenticated("this token has expired")
    if org is None or not org.is_active:
        raise NotAuthenticated("the token's organisation is inactive")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        token.last_used_at = now
    return Principal(org=org, token=token)


#: One round trip for the user and its memberships in active organisations (every page view
#: pays it): a membership of an inactive organisation comes back without one. Built once:
#: constructing it cost more CPU than SQLAlchemy's compiled-statement cache saves.
_USER_AND_MEMBERSHIPS = (
    select(User, Membership, Organisation)
    .outerjoin(Membership, Membership.user_id == User.id)
    .outerjoin(
        Organisation,
        and_(Organisation.id == Membership.org_id, Organisation.is_active.is_(True)),
    )
    .where(User.id == bindparam("user_id"))
    .order_by(Organisation.name)
)


def _from_cookie(request: Request, db: Session) -> Principal:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        raise NotAuthenticated("please log in")
    settings = runtime_of(request).settings
    try:
        data: Any = session_serializer(settings.secret_key).loads(
            raw, max_age=settings.session_max_age_seconds
        )
    except BadSignature as exc:
        raise NotAuthenticated("your session has expired; please log in again") from exc
    user_id = data.get("u") if isinstance(data, dict) else None
    rows = db.execute(_USER_AND_MEMBERSHIPS, {"user_id": user_id}).all()
    user = rows[0][0] if rows else None
    if user is None or not user.is_active or user.session_epoch != data.get("e"):
        raise NotAuthenticated("your session has ended; please log in again")
    memberships = []
    for _, membership, org in rows:
        if membership is not None and org is not None:
            # as contains_eager would: the page header reads every membership's organisation
            set_committed_value(membership, "organisation", org)
            memberships.append(membership)
    if not memberships:
        raise NotAuthenticated("this account belongs to no active organisation")
    active = next((m for m in memberships if m.org_id == data.get("o")), memberships[0])
    return Principal(org=active.organisation, user=user, role=active.role, memberships=memberships)
