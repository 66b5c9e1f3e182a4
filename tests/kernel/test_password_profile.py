"""The argon2id profile passwords are hashed with: OWASP's minimum, and old hashes still verify."""

from __future__ import annotations

from argon2 import PasswordHasher

from loom.kernel.identity.secrets import PASSWORD_PROFILE


def test_the_profile_is_owasps_argon2id_minimum() -> None:
    """OWASP Password Storage Cheat Sheet: argon2id, 19 MiB (19,456 KiB), 2 passes, 1 lane."""
    # the test suite swaps the module's hasher for a cheaper one, so build one from the profile
    encoded = PasswordHasher(**PASSWORD_PROFILE).hash("correct horse battery staple")
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_of_the_old_default_profile_verifies_and_asks_for_a_rehash() -> None:
    """Users hashed under argon2-cffi's default (64 MiB, 3 passes, 4 lanes) still log in."""
    hasher = PasswordHasher(**PASSWORD_PROFILE)
    old = PasswordHasher().hash("correct horse battery staple")
    assert old.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(old, "correct horse battery staple")
    assert hasher.check_needs_rehash(old)
    assert not hasher.check_needs_rehash(hasher.hash("correct horse battery staple"))
