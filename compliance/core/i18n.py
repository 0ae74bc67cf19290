"""Translations beyond Flask-Babel's own: WTForms' built-in validation messages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import support
from flask import Flask
from flask_babel import get_locale
from wtforms.i18n import messages_path

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"
WTFORMS_DOMAIN = "wtforms"


@cache
def wtforms_catalogue(locale: str) -> support.NullTranslations:
    """WTForms' messages in a locale: our catalogue first, then the one WTForms ships."""
    theirs = support.Translations.load(messages_path(), [locale], domain=WTFORMS_DOMAIN)
    ours = support.Translations.load(str(TRANSLATIONS_DIR), [locale], domain=WTFORMS_DOMAIN)
    if isinstance(ours, support.Translations):
        ours.add_fallback(theirs)
        return ours
    return theirs


class _RequestWTFormsTranslations:
    """Looks the locale up only when a form actually has a message to translate."""

    def ugettext(self, string: str) -> str:
        return wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_REQUEST_TRANSLATIONS = _RequestWTFormsTranslations()


def init_app(app: Flask) -> None:
    """Make Flask-WTF find our Vietnamese catalogue for WTForms' messages."""
    # WTForms ships no Vietnamese, and Flask-WTF only looks in WTForms' own folder, unless
    # request.wtforms_translations is already set. A class attribute sets it for every
    # request context, including test_request_context(), which runs no before_request hooks.
    app.request_class = type("Request", (app.request_class,),
                             {"wtforms_translations": _REQUEST_TRANSLATIONS})
