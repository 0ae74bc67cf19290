"""Configuration: defaults, then COMPLIANCE_* environment variables, then the mapping given."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from compliance.auth.sso.settings import DEFAULTS as SSO_DEFAULTS

ENV_PREFIX = "COMPLIANCE_"

DEFAULTS: dict[str, Any] = {
    "INSTANCE_PATH": None,
    "SECRET_KEY": None,
    "DATABASE_URL": None,
    "STORAGE_PATH": None,
    # An S3-compatible store instead of the folder: s3://bucket/prefix?endpoint=…&region=…
    # (credentials from the standard AWS variables; docs/admin.md, "Growing past one machine").
    "STORAGE_URL": "",
    # Seconds a pre-signed link to an original file stays valid, when browsers can reach the
    # S3 store; 0 sends every file through the app. Stamped copies always go through the app.
    "STORAGE_PRESIGN_SECONDS": 0,
    "ORG_NAME": "Thanh Bình District People's Committee",
    "ORG_NAME_VI": "Ủy ban nhân dân huyện Thanh Bình",
    "ORG_TIMEZONE": "Asia/Ho_Chi_Minh",
    # The short code of the first organisation (made from these settings by the migration
    # that brought organisations in, or by a new database's set-up).
    "ORG_CODE": "TB",
    "DEFAULT_LOCALE": "vi",
    "LANGUAGES": ("vi", "en"),
    "SESSION_LIFETIME_HOURS": 12,
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Keeps the counters of several installations sharing one Redis apart.
    "RATELIMIT_KEY_PREFIX": "",
    # Requests each API token may make (compliance/api/ratelimit.py); empty: no limit.
    "API_RATE_LIMIT": "600/minute",
    "RATELIMIT_ENABLED": True,
    "SECURE_COOKIES": False,
    "PROXY_COUNT": 0,
    "PASSWORD_MIN_LENGTH": 10,
    # "production" (argon2id defaults) or "test" (cheap parameters for the test suite only).
    "PASSWORD_HASH_COST": "production",
    "MAX_UPLOAD_BYTES": 50 * 1024 * 1024,
    "DOCUMENT_CODE_PATTERN": "{type}-{dept}-{seq:02d}",
    # A reader confirms reading a revision only after opening (downloading) it; false relaxes
    # this for an organisation that hands out paper copies.
    "READING_REQUIRES_OPENING": True,
    # Days the audited department has to answer a finding, from the day the report is signed.
    "FINDING_RESPONSE_DAYS": 30,
    "SQLITE_BUSY_TIMEOUT_MS": 30000,
    "LOG_LEVEL": "INFO",
    # Where people reach the app; links in emails start with it.
    "BASE_URL": "http://127.0.0.1:5000",
    # Email: no host means in-app notifications only.
    "SMTP_HOST": "",
    "SMTP_PORT": 25,
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_SECURITY": "none",  # none, starttls or tls
    "SMTP_TIMEOUT": 20,
    "MAIL_FROM": "compliance@localhost",
    "MAIL_MAX_ATTEMPTS": 8,
    # Webhooks (compliance/webhooks): hosts a hook may post to even though they resolve to a
    # loopback, link-local or private address or are this instance (comma-separated); the
    # seconds an attempt may take; attempts before a delivery is given up on.
    "WEBHOOK_ALLOWED_HOSTS": (),
    "WEBHOOK_TIMEOUT": 5.0,
    "WEBHOOK_MAX_ATTEMPTS": 8,
    # Scheduler: the hour (organisation time) of the daily alert sweep and of the digest.
    "ALERT_HOUR": 6,
    "DIGEST_HOUR": 7,
    "SCHEDULER_IN_PROCESS": True,
    # Seconds between a waiting scheduler's tries for the lock another one holds.
    "SCHEDULER_LOCK_POLL_SECONDS": 5.0,
    # Lead times in days (0 = on the day) and escalation steps in days overdue.
    "ALERT_REVIEW_DAYS": ("30", "7", "0"),
    "ALERT_REVIEW_ESCALATE_DAYS": ("7", "14"),
    "ALERT_ACK_DAYS": ("7", "14"),
    "ALERT_CAPA_DAYS": ("7", "0"),
    "ALERT_CAPA_ESCALATE_DAYS": ("0", "7"),
    # A corrective action past its target date: days overdue before the heads (or, when the
    # heads own it, the coordinators), then the coordinators, hear.
    "ALERT_CA_TARGET_ESCALATE_DAYS": ("7", "14"),
    "ALERT_AUDIT_DAYS": ("14",),
    "ALERT_REPORT_LATE_DAYS": 14,
    # Days after a finding's response due date: its department's heads, then coordinators.
    "ALERT_FINDING_ESCALATE_DAYS": ("0", "7"),
    "ALERT_CERTIFICATE_DAYS": ("90", "30"),
    # External documents (laws, decrees, the standard): lead times before the check date.
    "ALERT_EXTERNAL_CHECK_DAYS": ("30", "0"),
    # Tasks of the yearly plan (compliance/steering): lead times before the due date.
    "ALERT_PLAN_DAYS": ("7", "0"),
    # Risk reviews and treatment actions: lead times before the date; days overdue before
    # the heads (with the action's owner), then the coordinators, hear.
    "ALERT_RISK_DAYS": ("7", "0"),
    "ALERT_RISK_ESCALATE_DAYS": ("0", "7"),
    # A measure's value not recorded: days after the period's end before its recorder is
    # reminded, then days more before the process owner and the department's heads hear.
    "MEASURE_GRACE_DAYS": 10,
    "MEASURE_ESCALATE_DAYS": 14,
    # Every PDF made during a web request renders in a child process under these limits.
    "PDF_TIME_LIMIT": 60.0,
    "PDF_MEMORY_LIMIT_MB": 1024,
    # Render children at work at once per web process (renders, stamped copies, upload checks).
    "PDF_WORKERS": 2,
    # An uploaded PDF with more pages, or pages of more distinct sizes, is refused.
    "PDF_MAX_PAGES": 2000,
    "PDF_MAX_PAGE_SIZES": 20,
    # DOCX, XLSX, ODT and ODS revisions get a PDF rendition at upload, made by this program
    # (LibreOffice; a name looked up on PATH, or a full path) in a render child under these
    # limits. Without the program, copies of office files are the original files, unstamped.
    "OFFICE_RENDERER": "soffice",
    "OFFICE_TIME_LIMIT": 120.0,
    "OFFICE_MEMORY_LIMIT_MB": 1024,
    # Copies from the public register, per client address.
    "PUBLIC_DOWNLOAD_LIMIT": "30 per minute",
    # Evidence pack builds run in worker processes with these limits (seconds, megabytes),
    # at most EVIDENCE_WORKERS at once per web process; the others wait their turn.
    "EVIDENCE_WORKERS": 2,
    "EVIDENCE_TIME_LIMIT": 1800,
    "EVIDENCE_MEMORY_LIMIT_MB": 3072,
    "EVIDENCE_VERIFY_MAX_MB": 200,
    # Single sign-on (compliance/auth/sso/settings.py).
    **SSO_DEFAULTS,
}

# Keys that Flask or an extension reads under its own name.
_FLASK_NAMES = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
}


def _coerce(value: str, default: Any) -> Any:
    """Turn an environment string into the type of its default."""
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def from_environment(environ: os._Environ | dict[str, str] | None = None) -> dict[str, Any]:
    """Read every known COMPLIANCE_* variable."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        raw = environ.get(ENV_PREFIX + key)
        if raw is not None:
            found[key] = _coerce(raw, default)
    return found


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key(instance_path: Path) -> str:
    """Keep a generated key in the instance folder so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def build(instance_path: Path, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Merge defaults, environment and overrides into Flask configuration keys."""
    merged: dict[str, Any] = dict(DEFAULTS)
    merged.update(from_environment())
    merged.update(overrides or {})
    if not merged.get("SECRET_KEY"):
        merged["SECRET_KEY"] = _secret_key(instance_path)
    url = merged.get("DATABASE_URL") or merged.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = f"sqlite:///{instance_path / 'compliance.sqlite'}"
    merged["DATABASE_URL"] = normalise_database_url(url)
    merged.setdefault("STORAGE_PATH", None)
    if not merged["STORAGE_PATH"]:
        merged["STORAGE_PATH"] = str(instance_path / "files")
    for ours, theirs in _FLASK_NAMES.items():
        merged[theirs] = merged[ours]
    merged.update(_fixed(merged))
    return merged


def _fixed(merged: dict[str, Any]) -> dict[str, Any]:
    """Settings derived from the others, not meant to be set one by one."""
    return {
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Room for the form fields around the largest accepted file.
        "MAX_CONTENT_LENGTH": int(merged["MAX_UPLOAD_BYTES"]) + 1024 * 1024,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(merged["SESSION_LIFETIME_HOURS"])),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": bool(merged["SECURE_COOKIES"]),
        "SESSION_COOKIE_NAME": "compliance_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": merged["DEFAULT_LOCALE"],
        "BABEL_DEFAULT_TIMEZONE": merged["ORG_TIMEZONE"],
        "BOOTSTRAP_SERVE_LOCAL": True,
        "RATELIMIT_HEADERS_ENABLED": False,
    }
