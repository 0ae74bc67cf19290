"""Rows of the API's access for other tests: a service account holding a live token."""

from __future__ import annotations

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.auth.service_accounts import UNUSABLE_HASH
from compliance.core.extensions import db


def service_account_with_token(app, make, name: str) -> int:
    """A service account (and a read token of its own) so named; returns the account's id."""
    account = make.user(name=name, is_service=True, email_mode="none",
                        password_hash=UNUSABLE_HASH)
    with app.app_context():
        tokens.create(db.session.get(User, account.id), name, "read")
        db.session.commit()
    return account.id
