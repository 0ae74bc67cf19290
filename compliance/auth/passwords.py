"""Argon2id password hashing.

The cost comes from the `PASSWORD_HASH_COST` setting: "production" (argon2-cffi's defaults) or
"test" (time_cost=1, memory 8 KiB, one lane: a test suite signs in thousands of times). A hash
carries its own parameters, so a hash made at either cost verifies under the other; signing in
rehashes it at the configured cost.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

PRODUCTION = "production"
TEST = "test"
COSTS = (PRODUCTION, TEST)


@cache
def _hasher(cost: str) -> PasswordHasher:
    if cost == TEST:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    if cost == PRODUCTION:
        return PasswordHasher()
    raise ValueError(f"PASSWORD_HASH_COST must be one of {COSTS}, not {cost!r}")


@cache
def _dummy_hash(cost: str) -> str:
    # Verified against when the account does not exist, so both paths cost the same time.
    return _hasher(cost).hash("not a real password, only here to spend the same time")


def _cost() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_COST", PRODUCTION)
    return PRODUCTION


def hash_password(password: str, *, cost: str | None = None) -> str:
    """Hash a password with argon2id at the configured cost (or the one named, for fixtures
    made before any app exists)."""
    return _hasher(cost or _cost()).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; an absent hash still costs one verification."""
    cost = _cost()
    try:
        return (_hasher(cost).verify(password_hash or _dummy_hash(cost), password)
                and bool(password_hash))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than the configured cost's."""
    return _hasher(_cost()).check_needs_rehash(password_hash)
