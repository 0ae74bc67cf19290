"""The signature of a delivery: HMAC-SHA256 of `timestamp + "." + body` with the hook's
secret, sent as `Compliance-Signature: t=<unix seconds>,v1=<hex>`; the timestamp lets a
receiver refuse a replayed delivery (docs/api.md shows the check)."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Compliance-Signature"
# How far a receiver should let a delivery's timestamp be from its own clock.
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `timestamp.body`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header_value(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `t=<timestamp>,v1=<hex>`."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: int,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether a signature header is right for the body and recent (a receiver's check)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))
