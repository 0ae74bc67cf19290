"""Password hashing: the configured cost, and hashes made at another cost."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from compliance.auth import passwords
from compliance.auth.models import User
from compliance.config import DEFAULTS
from compliance.core.extensions import db


def test_production_is_the_default_cost():
    assert DEFAULTS["PASSWORD_HASH_COST"] == "production"


def test_the_test_cost_uses_cheap_parameters(app):
    app.config["PASSWORD_HASH_COST"] = "test"
    with app.app_context():
        made = passwords.hash_password("a long passphrase")
    parameters = extract_parameters(made)
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (1, 8, 1)


def test_the_production_cost_keeps_argon2s_defaults(app):
    app.config["PASSWORD_HASH_COST"] = "production"
    with app.app_context():
        made = passwords.hash_password("a long passphrase")
    default = PasswordHasher()
    parameters = extract_parameters(made)
    assert (parameters.time_cost, parameters.memory_cost) == (default.time_cost,
                                                             default.memory_cost)


@pytest.mark.parametrize("made_at, checked_at", [("production", "test"), ("test", "production")])
def test_a_hash_made_at_one_cost_verifies_at_the_other(app, made_at, checked_at):
    made = passwords.hash_password("a long passphrase", cost=made_at)
    app.config["PASSWORD_HASH_COST"] = checked_at
    with app.app_context():
        assert passwords.verify_password(made, "a long passphrase")
        assert not passwords.verify_password(made, "another passphrase")
        assert passwords.needs_rehash(made)


def test_an_unknown_cost_is_refused(app):
    app.config["PASSWORD_HASH_COST"] = "cheap"
    with app.app_context(), pytest.raises(ValueError, match="PASSWORD_HASH_COST"):
        passwords.hash_password("a long passphrase")


def test_signing_in_rehashes_at_the_configured_cost_without_touching_the_version(
        app, client, make, login):
    user = make.user()
    other_cost = "production" if app.config["PASSWORD_HASH_COST"] == "test" else "test"
    with app.app_context():
        row = db.session.get(User, user.id)
        row.password_hash = passwords.hash_password("correct horse battery", cost=other_cost)
        db.session.commit()
        version = db.session.scalar(select(User.version).where(User.id == user.id))
    assert login(client, user.email).status_code == 302
    with app.app_context():
        row = db.session.get(User, user.id)
        assert not passwords.needs_rehash(row.password_hash)
        assert row.version == version
