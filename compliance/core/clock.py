"""The one clock: the current moment, and today's date where the organisation is.

Every view, service, job and test asks this module, never `date.today()` or `datetime.now()`:
the server's own zone is not the organisation's (a server on UTC is still "yesterday" for
Hà Nội until 07:00). Tests move the clock with `set()` (the `clock` fixture); one setting is
seen by every thread, so a browser test's server thread sees the same day as the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# When set, the moment the clock shows, and the real moment it was set at (so it keeps ticking).
_fixed: tuple[datetime, datetime] | None = None
# The time zone of the organisation a job acts for, above the installation's setting.
_zone: ContextVar[str | None] = ContextVar("compliance_clock_zone", default=None)
# Where an app finds the zone of the organisation it acts for (core.tenancy, given at
# init_app: the clock is below tenancy, which reads the database).
_SOURCE = "compliance_clock_zone_source"


def _real_now() -> datetime:
    return datetime.now(UTC)


def utcnow() -> datetime:
    """The current moment, aware, in UTC (what is stored)."""
    if _fixed is None:
        return _real_now()
    shown, set_at = _fixed
    return shown + (_real_now() - set_at)


def host_seconds() -> float:
    """The host's real clock in seconds since the epoch, never the tests' setting: only for
    comparing with what a library counts by it (the rate limits' windows, Retry-After)."""
    return _real_now().timestamp()


def init_app(app, source: Callable[[], str | None]) -> None:
    """Name where this app finds the current organisation's zone (None: not known)."""
    app.extensions[_SOURCE] = source


def zone() -> ZoneInfo:
    """The organisation's time zone: the one a job acts in (`in_zone`), else the current
    organisation's (the signed-in person's), else the installation's setting (the default
    one outside an app)."""
    name = _zone.get()
    if name is None and has_app_context():
        source = current_app.extensions.get(_SOURCE)
        name = (source() if source else None) or current_app.config["ORG_TIMEZONE"]
    return ZoneInfo(name or DEFAULT_TIMEZONE)


@contextmanager
def in_zone(name: str | None) -> Iterator[None]:
    """Within the block, "today" and "now" are those of this time zone (an organisation's,
    when a job acts for it)."""
    token = _zone.set(name)
    try:
        yield
    finally:
        _zone.reset(token)


def now() -> datetime:
    """The current moment in the organisation's time zone."""
    return utcnow().astimezone(zone())


def today() -> date:
    """Today's date where the organisation is (not where the server is)."""
    return now().date()


def local_date(moment: datetime) -> date:
    """The organisation's calendar day of a stored (UTC) moment."""
    return moment.astimezone(zone()).date()


def set(moment: datetime) -> None:  # noqa: A001 - clock.set() reads as what it does
    """Make the clock show `moment` (aware) from now on; it keeps ticking from there."""
    global _fixed
    if moment.tzinfo is None:
        raise ValueError("the clock takes an aware datetime")
    _fixed = (moment.astimezone(UTC), _real_now())


def advance(**delta: float) -> None:
    """Move a set clock forward (days=, hours=, ...)."""
    set(utcnow() + timedelta(**delta))


def reset() -> None:
    """Back to the real time."""
    global _fixed
    _fixed = None
