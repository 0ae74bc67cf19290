"""Who hears about what: owners, department heads, coordinators; lead times from settings."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from compliance.auth.models import User, UserRole
from compliance.core.extensions import db


def coordinators() -> list[int]:
    """Active ISO coordinators."""
    return list(db.session.scalars(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "coordinator", User.active.is_(True)).order_by(User.id)))


def names(user_ids) -> dict[int, str]:
    """Display names of these users."""
    ids = {uid for uid in user_ids if uid}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def days_setting(key: str) -> list[int]:
    """A list of day counts from the configuration, smallest first."""
    raw = current_app.config[key]
    values = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return sorted({int(str(v).strip()) for v in values if str(v).strip()})


def lead_for(days_left: int, leads: list[int]) -> int | None:
    """The tightest lead time that has been reached (None when none has)."""
    reached = [lead for lead in leads if lead >= days_left]
    return min(reached) if reached else None


def link(endpoint: str, **values) -> str:
    """A path inside the app (emails put the base URL in front)."""
    if has_request_context():
        return url_for(endpoint, **values)
    # A command (the demo loader, say) raised it: build the path as a request would.
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, **values)


def two_steps(key: str) -> tuple[int, int]:
    """A first and a second escalation step, in days, from the configuration."""
    steps = days_setting(key)
    return (steps[0], steps[-1]) if steps else (7, 14)
