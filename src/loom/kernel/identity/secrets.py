"""Password hashing (argon2id) and token generation and hashing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TypedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class PasswordProfile(TypedDict):
    """The argon2id cost parameters (memory in KiB)."""

    time_cost: int
    memory_cost: int
    parallelism: int


# argon2id with OWASP's recommended minimum (Password Storage Cheat Sheet: 19 MiB, 2 passes,
# one lane). argon2-cffi's default (RFC 9106's second profile: 64 MiB, 3 passes, 4 lanes) took
# about 200 ms of CPU per login here, so the 200 users of the load scenario logging in cost
# 40 CPU-s on a 2-core server and queued every page behind them; this profile costs ~22 ms.
# Hashes made under the old profile verify as before and are rehashed at the next login.
PASSWORD_PROFILE = PasswordProfile(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_hasher = PasswordHasher(**PASSWORD_PROFILE)

TOKEN_MARK = "loom"  # noqa: S105 - a public marker, not a secret  # nosec B105


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Return whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


@dataclass(frozen=True)
class IssuedToken:
    """A freshly generated token: the plain text is shown once, only the hash is stored."""

    plain: str
    prefix: str
    secret_hash: str


def _digest(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough; argon2 would only slow
    # every device request without adding safety.
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token() -> IssuedToken:
    """Generate a new token ``loom_<prefix>_<secret>``."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return IssuedToken(f"{TOKEN_MARK}_{prefix}_{secret}", prefix, _digest(secret))


def split_token(plain: str) -> tuple[str, str] | None:
    """Return (prefix, secret) of a well-formed token, else None."""
    parts = plain.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def token_matches(secret: str, secret_hash: str) -> bool:
    """Compare a presented secret with the stored hash in constant time."""
    return hmac.compare_digest(_digest(secret), secret_hash)
