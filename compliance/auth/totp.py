"""A second factor for local accounts (issue 19): a TOTP secret (pyotp, RFC 6238: six digits,
30 seconds) kept sealed (Fernet under a key derived from SECRET_KEY: it must be read back to
check a code), enrolled by scanning a QR code the app draws itself (segno, SVG), and ten
recovery codes shown once and kept as SHA-256 hashes, each good for one use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import select

from compliance.auth.models import RecoveryCode, User
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.core.extensions import db

RECOVERY_CODES = 10
ISSUER = "Compliance"


def _fernet() -> Fernet:
    root = str(current_app.config["SECRET_KEY"]).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"compliance totp secret").derive(root)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    """The secret sealed for the database."""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(box: str | None) -> str | None:
    """The secret a seal holds, or None if there is none or it cannot be opened."""
    if not box:
        return None
    try:
        return _fernet().decrypt(box.encode()).decode()
    except InvalidToken:
        return None


def new_secret() -> str:
    """A fresh base32 secret for enrolment."""
    return pyotp.random_base32()


def enrolled(user) -> bool:
    """Whether the person has finished enrolling a second factor."""
    return bool(getattr(user, "totp_enabled_at", None)) and bool(getattr(user, "totp_box", None))


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of the address, as inline SVG drawn here (no outside service)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def matching_step(secret: str, code: str | None, after: int | None = None) -> int | None:
    """The time step (of 30 s) whose code this is, allowing one step of clock drift, and
    only a step later than `after` (a code already used is refused); else None."""
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    generator = pyotp.TOTP(secret)
    now = generator.timecode(clock.utcnow())
    for step in (now, now - 1, now + 1):
        if (after is None or step > after) and hmac.compare_digest(
                generator.generate_otp(step), code):
            return step
    return None


def code_matches(secret: str, code: str | None) -> bool:
    """Whether the six digits are this secret's now (enrolment's first code)."""
    return matching_step(secret, code) is not None


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes; the plain codes are returned to show once."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    db.session.flush()
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    digest = _digest(code)
    for row in db.session.scalars(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))):
        if hmac.compare_digest(row.code_hash, digest):
            row.used_at = utcnow()
            db.session.flush()
            return True
    return False


def check(user, code: str | None) -> bool:
    """Whether the code (from the app, or an unused recovery code) proves the second factor."""
    secret = unseal(getattr(user, "totp_box", None))
    if secret is None or not code:
        return False
    step = matching_step(secret, code, after=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        db.session.flush()
        return True
    return "-" in code and _use_recovery_code(user, code)


def required_for(user) -> bool:
    """Whether the administrator's setting requires a second factor of this person."""
    if not current_app.config["TOTP_REQUIRED"]:
        return False
    roles = set(current_app.config["TOTP_REQUIRED_ROLES"])
    held = set(user.global_roles) | {m.role for m in user.memberships}
    return bool(roles & held)
