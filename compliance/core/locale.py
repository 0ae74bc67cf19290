"""Which language a page is written in, and how it writes dates.

Dates are never written month-first: Babel's English short form ("12/11/26") reads as
12 November to a Vietnamese reader when it means 11 December. English writes "11 Dec 2026",
Vietnamese as its offices do, "11/12/2026", and in formal text "ngày 11 tháng 12 năm 2026".
The Jinja filters `dateformat` and `datetimeformat` are these functions (core.application.init_app).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from compliance.core import clock

# Patterns by language and style; any other language writes as English does.
DAY_PATTERNS = {
    "en": {"short": "d MMM yyyy", "medium": "d MMM yyyy", "long": "d MMMM yyyy",
           "full": "EEEE d MMMM yyyy"},
    "vi": {"short": "dd/MM/yyyy", "medium": "dd/MM/yyyy"},
}
# "time_first": the hour, then the day, as a history line ends ("14:15, 01/12/2026").
MOMENT_PATTERNS = {
    "en": {"short": "d MMM yyyy, HH:mm", "medium": "d MMM yyyy, HH:mm:ss",
           "time_first": "HH:mm, d MMM yyyy"},
    "vi": {"short": "dd/MM/yyyy HH:mm", "medium": "dd/MM/yyyy HH:mm:ss",
           "time_first": "HH:mm, dd/MM/yyyy"},
}
FORMAL = ("long", "full")
# Days as written, per process: Babel parses its pattern again on every call (40 µs, a
# tenth of a register page for its hundred dates), and a day reads the same every time.
_WRITTEN: dict[tuple[str, str, date], str] = {}
WRITTEN_LIMIT = 50_000


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice, else the browser's (for the
    API, the request's Accept-Language first)."""
    if not has_request_context():
        # No visitor (CLI, scheduler): the source language, like the CLI's own output.
        # Anything written for a person (mail, notifications) uses force_locale(user.locale).
        return "en"
    languages = current_app.config["LANGUAGES"]
    # A program calling the API says its language in each request, whoever its token's
    # owner is; without a header, the owner's language applies as on the pages.
    asked = request.accept_languages.best_match(languages) \
        if request.path.startswith("/api/") else None
    if asked:
        return asked
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["DEFAULT_LOCALE"]


def formal_vi(day: date) -> str:
    """'ngày 05 tháng 02 năm 2026': a day under 10 and the months 1 and 2 take a leading zero,
    as Vietnamese administrative documents write them."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def day_formatter(style: str = "short") -> Callable[[date | datetime | None], str]:
    """A function that writes days in the active language, bound once (a list page writes
    hundreds of dates; looking the locale up for each cost more than the page)."""
    locale = get_locale()
    language = getattr(locale, "language", "en")
    patterns = DAY_PATTERNS.get(language, DAY_PATTERNS["en"])
    if language == "vi" and style in FORMAL:
        weekday = style == "full"

        def formal(value):
            day = _day(value)
            if day is None:
                return ""
            text = formal_vi(day)
            return f"{babel_date(day, 'EEEE', locale=locale)}, {text}" if weekday else text

        return formal
    pattern = patterns.get(style, patterns["short"])
    tag = str(locale)

    def write(value):
        day = _day(value)
        if day is None:
            return ""
        key = (tag, pattern, day)
        written = _WRITTEN.get(key)
        if written is None:
            if len(_WRITTEN) >= WRITTEN_LIMIT:
                _WRITTEN.clear()
            written = _WRITTEN[key] = babel_date(day, pattern, locale=locale)
        return written

    return write


def format_day(value: date | datetime | None, style: str = "short") -> str:
    """A calendar day (a moment: its day in the organisation's zone) in the active language."""
    return day_formatter(style)(value)


def format_moment(value: datetime | None, style: str = "short") -> str:
    """A moment in the organisation's time zone, in the active language: 11 Dec 2026, 09:05."""
    if value is None:
        return ""
    locale = get_locale()
    patterns = MOMENT_PATTERNS.get(getattr(locale, "language", "en"), MOMENT_PATTERNS["en"])
    return babel_datetime(_local(value), patterns.get(style, patterns["short"]),
                          locale=locale)


def machine_moment(value: date | datetime) -> str:
    """A moment for <time datetime>: UTC, to the second, as HTML requires (no microseconds;
    stored moments without a zone are UTC); a calendar day as itself."""
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(moment: datetime) -> datetime:
    # In the organisation's zone as the clock knows it (the signed-in person's, or the one a
    # job acts for), not Babel's, which is fixed once per request; naive moments are UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(clock.zone())


def _day(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return _local(value).date()
    return value


def format_size(value: int | None) -> str:
    """A file size in the reader's way of writing numbers: "377,5 kB" in Vietnamese, "377.5 kB"
    in English (decimal units, as Jinja's filesizeformat, which writes a point in every
    language)."""
    if value is None:
        return ""
    size, unit = float(value), "B"
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            break
        size /= 1000
    if unit == "B":
        return f"{int(size)} B"
    return f"{format_decimal(size, format='#,##0.#', locale=str(get_locale() or 'vi'))} {unit}"
