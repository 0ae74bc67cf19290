"""Which language a page is written in."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice, else the browser's."""
    if not has_request_context():
        # No visitor (CLI, scheduler): the source language, like the CLI's own output.
        # Anything written for a person (mail, notifications) uses force_locale(user.locale).
        return "en"
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["DEFAULT_LOCALE"]
