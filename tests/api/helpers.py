"""What the API tests share: a bearer token for a user, made through the token service."""

from __future__ import annotations

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.core.extensions import db


def bearer(app, user_id: int, scope: str = "read write", **more) -> dict:
    """Headers carrying a new token of the user (with any more headers given)."""
    with app.app_context():
        _token, secret = tokens.create(db.session.get(User, user_id), "test", scope)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}", **more}
