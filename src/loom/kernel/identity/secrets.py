"""Password hashing (argon2id) and token generation and hashing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults follow RFC 9106's second recommended profile and use argon2id.
_hasher = PasswordHasher()

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
