"""Identity rules: create users, check passwords, issue and revoke tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record, record_scoped
from loom.kernel.authz.registry import PermissionRegistry
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.identity.models import ApiToken, User
from loom.kernel.identity.secrets import (
    IssuedToken,
    hash_password,
    issue_token,
    password_needs_rehash,
    verify_password,
)
from loom.kernel.tenancy.models import Membership
from loom.kernel.tenancy.scope import Actor, Scope

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,63}$")
MIN_PASSWORD = 10
MAX_TOKEN_DAYS = 730
# Verifying against a real hash when the user is unknown keeps response times alike.
_DUMMY_HASH = hash_password("loom-timing-equaliser")
# how stale ``last_login_at`` may be: every login is in the audit trail to the microsecond, and
# writing the user's row on each one made logins of one account wait for each other
LAST_LOGIN_RESOLUTION = timedelta(minutes=1)


def create_user(session: Session, username: str, display_name: str, password: str) -> User:
    """Create a user after checking the username and password rules."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise ValidationFailed(
            "username: 3-64 lower-case letters, digits, '.', '_' or '-'", field="username"
        )
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(
            "password: at least %(n)s characters", field="password", params={"n": MIN_PASSWORD}
        )
    if session.scalar(select(func.count()).where(User.username == username)):
        raise Conflict("username %(name)s is taken", field="username", params={"name": username})
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


class LockedOut(Exception):
    """The account is locked after too many wrong passwords; ``until`` says when it reopens."""

    def __init__(self, until: datetime) -> None:
        """Keep the moment the lock ends."""
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


@dataclass(frozen=True)
class LoginAttempt:
    """What checking a password needs of the user, read in a short transaction of its own."""

    user_id: int
    password_hash: str
    locked_until: datetime | None
    is_active: bool


@dataclass(frozen=True)
class Verdict:
    """The password check's outcome, to be written in a second transaction."""

    attempt: LoginAttempt | None
    ok: bool
    # the argon2 parameters changed: the password's new hash, computed outside any transaction
    new_hash: str | None = None


def read_login(session: Session, username: str) -> LoginAttempt | None:
    """Return what ``check_password`` needs of the user named ``username``, if there is one."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        return None
    return LoginAttempt(user.id, user.password_hash, _aware(user.locked_until), user.is_active)


def check_password(attempt: LoginAttempt | None, password: str) -> Verdict:
    """Verify ``password`` (slow by design) with no database work; raise LockedOut when locked.

    Callers hold no connection while this runs: argon2id takes tens of milliseconds of CPU and
    64 MiB, and a pooled connection held meanwhile would be lost to every other request.
    """
    if attempt is None:
        verify_password(_DUMMY_HASH, password)
        return Verdict(None, False)
    if attempt.locked_until is not None and attempt.locked_until > utcnow():
        verify_password(_DUMMY_HASH, password)  # same cost as a real check
        raise LockedOut(attempt.locked_until)
    ok = verify_password(attempt.password_hash, password) and attempt.is_active
    renewed = (
        hash_password(password) if ok and password_needs_rehash(attempt.password_hash) else None
    )
    return Verdict(attempt, ok, renewed)


def record_login(
    session: Session,
    verdict: Verdict,
    *,
    max_failures: int = 5,
    lockout: timedelta = timedelta(minutes=15),
    password: str | None = None,
    org_id: int | None = None,
) -> User | None:
    """Write a checked login: reset or count failures, lock, audit; return the logged-in user.

    ``max_failures`` wrong passwords in a row lock the account for ``lockout``; a locked
    account refuses even the right password until then. Both are recorded in the audit trail.
    The user is read again, locked for update, so attempts checked at the same time all count;
    a right password for an account with nothing to reset takes no lock (``_clean_success``).
    ``org_id``: the user's first organisation, whose chain records the login, if the caller
    has read it already (``first_org_id``).
    """
    if verdict.attempt is None:
        return None
    if verdict.ok and verdict.new_hash is None:
        clean = _clean_success(session, verdict.attempt, org_id)
        if clean is not None:
            return clean
    user = session.scalar(select(User).where(User.id == verdict.attempt.user_id).with_for_update())
    if user is None:
        return None
    now = utcnow()
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        raise LockedOut(locked_until)  # locked by another attempt while this one was checked
    if not verdict.ok:
        _count_failure(session, user, now, max_failures, lockout)
        return None
    if not user.is_active:
        return None  # deactivated meanwhile
    if user.password_hash != verdict.attempt.password_hash:
        # Changed meanwhile: a concurrent login's rehash keeps the password, a reset does not.
        # Rare, so checking again under the row lock costs little.
        if password is None or not verify_password(user.password_hash, password):
            return None
    elif verdict.new_hash is not None:
        user.password_hash = verdict.new_hash
    user.last_login_at = now
    user.failed_logins = 0
    user.locked_until = None
    _audit_login(session, user, org_id)
    return user


def _clean_success(session: Session, attempt: LoginAttempt, org_id: int | None) -> User | None:
    """Write a right password for an account in the usual state without locking its row.

    Return None when the account is not in that state (wrong passwords counted, a lock, a
    changed hash, deactivated): the caller then takes the row lock. One account logged in at
    many stations at once (a shop floor's shared login; the load scenario's 200 users on seven
    accounts) queued every login on that lock, each behind the others' audit appends.
    """
    user = session.scalar(select(User).where(User.id == attempt.user_id))
    if (
        user is None
        or not user.is_active
        or user.failed_logins
        or user.locked_until is not None
        or user.password_hash != attempt.password_hash
    ):
        return None
    now = utcnow()
    last = _aware(user.last_login_at)
    if last is None or now - last >= LAST_LOGIN_RESOLUTION:
        # at most once per resolution; a login that loses the race updates nothing (READ
        # COMMITTED checks the condition again on the row the winner wrote)
        stale = or_(User.last_login_at.is_(None), User.last_login_at <= now - LAST_LOGIN_RESOLUTION)
        session.execute(
            update(User).where(User.id == user.id, stale).values(last_login_at=now),
            execution_options={"synchronize_session": False},
        )
    _audit_login(session, user, org_id)
    return user


def _audit_login(session: Session, user: User, org_id: int | None) -> None:
    # last, so that the organisation's chain stays locked only for the append and the commit
    record(
        session,
        org_id=org_id if org_id is not None else first_org_id(session, user.id),
        actor=Actor("user", user.username, user_id=user.id),
        action="identity.user.logged_in",
        target_type="user",
        target_id=user.id,
    )


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes for timezone-aware columns; they are stored in UTC
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def first_org_id(session: Session, user_id: int) -> int | None:
    """Return the organisation of the user's first membership: where a session starts."""
    return session.scalar(
        select(Membership.org_id).where(Membership.user_id == user_id).order_by(Membership.id)
    )


def _count_failure(
    session: Session, user: User, now: datetime, max_failures: int, lockout: timedelta
) -> None:
    """Count a wrong password; lock the account (audited) when the limit is reached."""
    user.failed_logins += 1
    if user.failed_logins < max_failures:
        session.flush()
        return
    user.failed_logins = 0
    user.locked_until = now + lockout
    record(
        session,
        org_id=first_org_id(session, user.id),
        actor=Actor("system", "system:login-guard"),
        action="identity.user.locked",
        target_type="user",
        target_id=user.id,
        after={"locked_until": user.locked_until.isoformat(), "failures": max_failures},
    )


def end_all_sessions(session: Session, user: User) -> None:
    """Invalidate every session cookie issued to ``user``."""
    user.session_epoch += 1
    session.flush()


class TokenRepository(TenantRepository[ApiToken]):
    """API and device tokens of one organisation."""

    model = ApiToken

    def listing(self, offset: int = 0, limit: int = 50) -> Page[ApiToken]:
        """Return tokens, newest first."""
        return self.page(self.select().order_by(ApiToken.id.desc()), offset=offset, limit=limit)


def create_token(
    session: Session,
    scope: Scope,
    registry: PermissionRegistry,
    *,
    name: str,
    permissions: list[str],
    days: int,
    kind: str = "integration",
) -> tuple[ApiToken, IssuedToken]:
    """Issue a token limited to ``permissions``, none beyond what the creator holds."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ValidationFailed("name: 1-120 characters", field="name")
    if kind not in {"integration", "device"}:
        raise ValidationFailed("kind: 'integration' or 'device'", field="kind")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(
            "days: between 1 and %(max)s", field="days", params={"max": MAX_TOKEN_DAYS}
        )
    if not permissions:
        raise ValidationFailed("permissions: list at least one", field="permissions")
    unknown = [p for p in permissions if p not in registry]
    if unknown:
        raise ValidationFailed(
            "permissions: unknown %(names)s",
            field="permissions",
            params={"names": ", ".join(unknown)},
        )
    beyond = [p for p in permissions if not scope.can(p)]
    if beyond:
        raise ValidationFailed(
            "permissions: you do not hold %(names)s",
            field="permissions",
            params={"names": ", ".join(beyond)},
        )
    issued = issue_token()
    token = ApiToken(
        name=name,
        kind=kind,
        prefix=issued.prefix,
        secret_hash=issued.secret_hash,
        permissions=sorted(set(permissions)),
        created_by_user_id=scope.actor.user_id,
        expires_at=utcnow() + timedelta(days=days),
    )
    TokenRepository(session, scope).add(token)
    record_scoped(
        session,
        scope,
        "kernel.token.created",
        "api_token",
        token.id,
        after={
            "name": name,
            "kind": kind,
            "permissions": token.permissions,
            "expires_at": token.expires_at,
        },
    )
    return token, issued


def revoke_token(session: Session, scope: Scope, token_id: int) -> ApiToken:
    """Revoke a token of the scope's organisation (404 for any other)."""
    token = TokenRepository(session, scope).get(token_id)
    if token.revoked_at is not None:
        raise Conflict("this token is already revoked", field="id")
    token.revoked_at = utcnow()
    session.flush()
    record_scoped(
        session,
        scope,
        "kernel.token.revoked",
        "api_token",
        token.id,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
    )
    return token


def get_user(session: Session, user_id: int) -> User:
    """Return a user by id or raise NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user %(id)s not found", params={"id": user_id})
    return user
