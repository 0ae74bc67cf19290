"""A hook's signing secret, kept sealed in the database and opened only to sign.

The secret must be read back (HMAC needs it), so it cannot be hashed like an API token. It is
sealed with Fernet (the `cryptography` library: AES in CBC mode with an HMAC-SHA256 tag over
a random IV) under a key derived from the app's SECRET_KEY with HKDF. A database copy
without SECRET_KEY does not reveal the secrets; changing SECRET_KEY makes every hook's
secret unreadable (deliveries then fail until the hooks are registered again), which
docs/admin.md says.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_PREFIX = "f1:"


class SealBroken(ValueError):
    """The sealed secret was changed, or sealed under another SECRET_KEY."""


def new_secret() -> str:
    """A fresh signing secret, shown to the administrator once."""
    return "whsec_" + secrets.token_urlsafe(32)


def _fernet() -> Fernet:
    root = str(current_app.config["SECRET_KEY"]).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"compliance webhook secret").derive(root)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    """The secret encrypted and authenticated, as text for the database."""
    return _PREFIX + _fernet().encrypt(secret.encode()).decode()


def open_sealed(box: str) -> str:
    """The secret a seal holds; SealBroken if it was altered or sealed under another key."""
    if not box.startswith(_PREFIX):
        raise SealBroken("unknown seal")
    try:
        return _fernet().decrypt(box[len(_PREFIX):].encode()).decode()
    except InvalidToken:
        raise SealBroken("seal does not match") from None
