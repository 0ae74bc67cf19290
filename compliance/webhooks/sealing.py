"""A hook's signing secret, kept sealed in the database and opened only to sign.

The secret must be read back (HMAC needs it), so it cannot be hashed like an API token.
It is sealed with keys derived from the app's SECRET_KEY: a keystream of HMAC-SHA256 blocks
over a random nonce (encrypt), then HMAC-SHA256 over nonce and ciphertext (authenticate),
standard library only. A database copy without SECRET_KEY does not reveal the secrets;
changing SECRET_KEY makes every hook's secret unreadable (deliveries then fail until the
hooks are registered again), which docs/admin.md says.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app

_PREFIX = "v1:"
_NONCE = 16
_TAG = 32


class SealBroken(ValueError):
    """The sealed secret was changed, or sealed under another SECRET_KEY."""


def new_secret() -> str:
    """A fresh signing secret, shown to the administrator once."""
    return "whsec_" + secrets.token_urlsafe(32)


def _key(purpose: bytes) -> bytes:
    root = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(root, b"compliance webhook secret " + purpose, hashlib.sha256).digest()


def _stream(nonce: bytes, length: int) -> bytes:
    key, blocks = _key(b"encrypt"), []
    for counter in range(-(-length // 32)):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256)
                      .digest())
    return b"".join(blocks)[:length]


def seal(secret: str) -> str:
    """The secret encrypted and authenticated, as text for the database."""
    data = secret.encode()
    nonce = secrets.token_bytes(_NONCE)
    cipher = bytes(a ^ b for a, b in zip(data, _stream(nonce, len(data)), strict=True))
    tag = hmac.new(_key(b"authenticate"), nonce + cipher, hashlib.sha256).digest()
    return _PREFIX + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def open_sealed(box: str) -> str:
    """The secret a seal holds; SealBroken if it was altered or sealed under another key."""
    if not box.startswith(_PREFIX):
        raise SealBroken("unknown seal")
    raw = base64.urlsafe_b64decode(box[len(_PREFIX):])
    if len(raw) < _NONCE + _TAG:
        raise SealBroken("seal too short")
    nonce, cipher, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    expected = hmac.new(_key(b"authenticate"), nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise SealBroken("seal does not match")
    return bytes(a ^ b for a, b in zip(cipher, _stream(nonce, len(cipher)), strict=True)).decode()
