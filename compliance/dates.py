"""Calendar dates in the organisation's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from compliance.db import utcnow


def org_today(now: datetime | None = None) -> date:
    """Today's date where the organisation is (not where the server is)."""
    return (now or utcnow()).astimezone(ZoneInfo(current_app.config["ORG_TIMEZONE"])).date()


def org_date(moment: datetime) -> date:
    """The organisation's calendar day of a stored (UTC) moment."""
    return moment.astimezone(ZoneInfo(current_app.config["ORG_TIMEZONE"])).date()
