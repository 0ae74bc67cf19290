"""What the API tests share: a bearer token for a user, made through the token service, and
a service account holding a live token."""

from __future__ import annotations

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.auth.service_accounts import UNUSABLE_HASH
from compliance.core.extensions import db


def bearer(app, user_id: int, scope: str = "read write", **more) -> dict:
    """Headers carrying a new token of the user (with any more headers given)."""
    with app.app_context():
        _token, secret = tokens.create(db.session.get(User, user_id), "test", scope)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}", **more}


def service_account_with_token(app, make, name: str) -> int:
    """A service account (and a read token of its own) so named; returns the account's id."""
    account = make.user(name=name, is_service=True, email_mode="none",
                        password_hash=UNUSABLE_HASH)
    with app.app_context():
        tokens.create(db.session.get(User, account.id), name, "read")
        db.session.commit()
    return account.id
