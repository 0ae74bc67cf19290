"""The production argon2 parameters (the rest of the suite hashes with cheap ones)."""

from __future__ import annotations

from argon2 import Parameters, extract_parameters

from tests.conftest import PRODUCTION_HASHER, TEST_HASHER


def test_production_hasher_keeps_argon2id_at_its_deliberate_cost():
    params = extract_parameters(PRODUCTION_HASHER.hash("correct horse battery"))
    assert params.type.name == "ID"
    # RFC 9106's second recommended option, argon2-cffi's default: 3 passes over 64 MiB.
    assert params.time_cost >= 3
    assert params.memory_cost >= 64 * 1024
    assert params.parallelism >= 1


def test_a_cheap_test_hash_would_be_upgraded_in_production():
    cheap = TEST_HASHER.hash("correct horse battery")
    assert isinstance(extract_parameters(cheap), Parameters)
    assert PRODUCTION_HASHER.check_needs_rehash(cheap)
    assert PRODUCTION_HASHER.verify(cheap, "correct horse battery")
