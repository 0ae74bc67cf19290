"""Opening a signed-in session, whichever way the person proved who they are."""

from __future__ import annotations

from flask import current_app, redirect, request, session, url_for
from flask_login import login_user

from compliance.auth import services, sessions
from compliance.core import tenancy
from compliance.core.http import local_target


def open_session(user, method: str, next_target: str | None, **kept):
    """Sign the person in (a fresh server-side session, `method` remembered for signing and
    sign-out, and `kept`: what the provider's sign-out needs) and send them on."""
    next_url = local_target(next_target, url_for("dashboard.home"))
    chosen_locale = session.get("locale")
    # From here the request acts for the person's organisation (their session, the trail).
    tenancy.enter(user.organisation_id)
    session.clear()  # a new session id: nothing from before sign-in carries over
    token = sessions.start(user, current_app.permanent_session_lifetime, request.remote_addr,
                           request.headers.get("User-Agent"))
    session["sid"] = token
    session["method"] = method
    session.update(kept)
    session.permanent = True
    if chosen_locale and chosen_locale != user.locale:
        services.set_locale(user, user, chosen_locale)
    login_user(user)
    return redirect(next_url)

