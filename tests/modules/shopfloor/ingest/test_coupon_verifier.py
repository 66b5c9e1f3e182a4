"""The per-batch coupon verifier agrees with the reference HMAC signature, and only with it."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from loom.modules.shopfloor.engine import tickets


@pytest.mark.parametrize("key", [b"k" * 32, b"", b"x" * 64, bytes(range(100))])
def test_verifier_accepts_exactly_the_reference_signatures(key: bytes) -> None:
    """Keys shorter than, equal to and longer than SHA-256's 64-byte block all agree."""
    check = tickets.verifier(key, 7)
    for bundle, operation in [(1, 1), (1234, 56), (2_147_483_647, 9)]:
        # the reference: hmac.digest over "org:bundle:operation", first 10 bytes as upper hex
        expected = hmac.digest(key, f"7:{bundle}:{operation}".encode(), hashlib.sha256)
        sig = expected[:10].hex().upper()
        assert sig == tickets.sign(key, 7, bundle, operation)
        assert check(bundle, operation, sig)
        assert check(bundle, operation, sig.lower())
        # a different coupon's signature, and one altered digit, are refused
        assert not check(bundle, operation + 1, sig)
        altered = ("0" if sig[0] != "0" else "1") + sig[1:]
        assert not check(bundle, operation, altered)


def test_verifier_is_bound_to_its_organisation() -> None:
    """A coupon signed for organisation 7 does not verify for organisation 8 under the key."""
    key = tickets.ticket_key("secret", 7)
    sig = tickets.sign(key, 7, 10, 20)
    assert tickets.verifier(key, 7)(10, 20, sig)
    assert not tickets.verifier(key, 8)(10, 20, sig)
