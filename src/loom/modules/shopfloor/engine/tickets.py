"""Signed bundle-ticket coupons: a forged or altered coupon fails verification at scan time.

Each coupon of a bundle ticket (菲票) carries a QR code with the text
``LOOM1:{org}:{bundle}:{operation}:{sig}``. ``sig`` is the first 80 bits of an HMAC-SHA256 over
``org:bundle:operation`` under the organisation's ticket key, as 20 upper-case hex digits (QR
alphanumeric mode encodes them compactly, and hex is cheap to check at tens of thousands per
second). The ticket key is derived from the server secret and the organisation id, so nothing is
stored and one factory's coupons do not verify in another.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

PREFIX = "LOOM1"
SIG_LENGTH = 20


@dataclass(frozen=True)
class Coupon:
    """What one coupon's QR code says."""

    org_id: int
    bundle_no: int
    operation_id: int
    sig: str


def ticket_key(secret_key: str, org_id: int) -> bytes:
    """Return the organisation's ticket-signing key, derived from the server secret."""
    return hmac.new(secret_key.encode(), f"loom-ticket:{org_id}".encode(), hashlib.sha256).digest()


def sign(key: bytes, org_id: int, bundle_no: int, operation_id: int) -> str:
    """Return the signature printed on one coupon."""
    mac = hmac.digest(key, f"{org_id}:{bundle_no}:{operation_id}".encode(), "sha256")
    return mac[:10].hex().upper()


def verify(key: bytes, org_id: int, bundle_no: int, operation_id: int, sig: str) -> bool:
    """Return whether ``sig`` is the coupon signature of this bundle and operation."""
    return hmac.compare_digest(sign(key, org_id, bundle_no, operation_id), sig.upper())


_BLOCK = 64  # SHA-256's block size, over which HMAC pads its key


def verifier(key: bytes, org_id: int) -> Callable[[int, int, str], bool]:
    """Return ``verify`` for one key and organisation, for checking thousands of coupons.

    HMAC (RFC 2104) hashes the key padded with 0x36, then the message; and the key padded with
    0x5C, then the inner digest. Hashing the two padded keys once and copying those states per
    coupon gives the same digest as ``hmac.digest`` at less than half the cost (measured 1.3
    against 3.4 µs per coupon), which ingest pays for every event.
    """
    padded = (hashlib.sha256(key).digest() if len(key) > _BLOCK else key).ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))
    prefix = f"{org_id}:"
    compare = hmac.compare_digest

    def check(bundle_no: int, operation_id: int, sig: str) -> bool:
        message = inner.copy()
        message.update(f"{prefix}{bundle_no}:{operation_id}".encode())
        mac = outer.copy()
        mac.update(message.digest())
        return compare(mac.digest()[:10].hex().upper(), sig.upper())

    return check


def coupon_text(key: bytes, org_id: int, bundle_no: int, operation_id: int) -> str:
    """Return the QR text of one coupon."""
    return (
        f"{PREFIX}:{org_id}:{bundle_no}:{operation_id}:{sign(key, org_id, bundle_no, operation_id)}"
    )


def parse_coupon(text: str) -> Coupon | None:
    """Return the coupon a QR text describes, or None when it is not a Loom coupon."""
    parts = text.strip().split(":")
    if len(parts) != 5 or parts[0] != PREFIX or len(parts[4]) != SIG_LENGTH:
        return None
    try:
        org_id, bundle_no, operation_id = (int(p) for p in parts[1:4])
    except ValueError:
        return None
    if min(org_id, bundle_no, operation_id) < 1:
        return None
    return Coupon(org_id, bundle_no, operation_id, parts[4].upper())
