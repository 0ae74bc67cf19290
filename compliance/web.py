"""Wiring of extensions, blueprints and per-request behaviour."""

from __future__ import annotations

import ctypes.util
import logging

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from compliance import i18n
from compliance.db import configure_engine, include_name, set_write_intent
from compliance.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


def init_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from compliance import resource_dir

    logging.basicConfig(level=app.config["LOG_LEVEL"])
    # WeasyPrint reports every rendering step at INFO; only its warnings matter to operators.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    # APScheduler logs every run at INFO; the scheduler page shows runs and their results.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(resource_dir("migrations")),
                     render_as_batch=True, compare_type=True, include_name=include_name)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["ORG_TIMEZONE"])
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    _warn_missing_subsetter()


def register_blueprints(app: Flask) -> None:
    """Mount each domain's blueprint."""
    from compliance.audit_trail.views import bp as trail_bp
    from compliance.audits.conduct_views import bp as conduct_bp
    from compliance.audits.question_views import bp as questions_bp
    from compliance.audits.question_views import grades_bp
    from compliance.audits.views import bp as audits_bp
    from compliance.auth.admin_views import bp as users_bp
    from compliance.auth.views import bp as auth_bp
    from compliance.capa.services import connect_signals
    from compliance.capa.views import bp as capa_bp
    from compliance.dashboard.views import bp as dashboard_bp
    from compliance.documents.reading_views import bp as reading_bp
    from compliance.documents.revision_views import bp as revisions_bp
    from compliance.documents.views import bp as documents_bp
    from compliance.evidence.share_views import bp as shared_bp
    from compliance.evidence.views import bp as evidence_bp
    from compliance.notifications.alerts_work import connect_signals as notifications_listen
    from compliance.notifications.views import admin_bp as scheduler_bp
    from compliance.notifications.views import bp as notifications_bp
    from compliance.org.views import bp as org_bp
    from compliance.public.views import bp as public_bp
    from compliance.reports.review_views import bp as reviews_bp
    from compliance.reports.views import bp as reports_bp

    for blueprint in (auth_bp, users_bp, org_bp, trail_bp, dashboard_bp, documents_bp,
                      revisions_bp, reading_bp, public_bp, questions_bp, grades_bp, audits_bp,
                      conduct_bp, capa_bp, notifications_bp, scheduler_bp, reports_bp,
                      reviews_bp, evidence_bp, shared_bp):
        app.register_blueprint(blueprint)
    # The corrective-action domain listens for findings that call for corrective action.
    connect_signals()
    # Notifications listen for events people should hear about at once (DESIGN §3.5).
    notifications_listen()
    app.jinja_env.filters["reject_key"] = lambda mapping, key: {
        k: v for k, v in mapping.items() if k != key}


def register_hooks(app: Flask) -> None:
    """Per-request transaction intent, security headers and template helpers."""
    from compliance.auth.permissions import can

    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Behind N trusted reverse proxies, take the client's address and scheme from their
        # X-Forwarded-* headers, so rate limits and the trail see people, not the proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                                x_host=proxies, x_prefix=proxies)

    @app.before_request
    def _declare_write_intent():
        view = app.view_functions.get(request.endpoint or "")
        set_write_intent(request.method not in SAFE_METHODS or getattr(view, "writes", False))

    @app.teardown_request
    def _forget_write_intent(_exc):
        set_write_intent(False)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def _template_helpers():
        return {"can": lambda permission, department_id=None: can(
                    current_user, permission, department_id),
                "locale": str(get_locale() or app.config["DEFAULT_LOCALE"]),
                "org_name": org_name(),
                "languages": app.config["LANGUAGES"]}


def _unauthorized():
    """Pages send the visitor to sign in; the JSON API answers 401 in JSON."""
    from flask import flash, redirect, url_for

    from compliance.errors import error_response, wants_json

    if wants_json():
        return error_response(401)
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))


def org_name() -> str:
    """The organisation's name in the reader's language."""
    from flask import current_app

    if str(get_locale()) == "vi" and current_app.config.get("ORG_NAME_VI"):
        return current_app.config["ORG_NAME_VI"]
    return current_app.config["ORG_NAME"]


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice, else the browser's."""
    from flask import current_app

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


def load_user(user_id: str):
    """Flask-Login loader: the user only while their server-side session is live."""
    from compliance.auth import sessions

    try:
        return sessions.user_for(int(user_id), session.get("sid"))
    except (TypeError, ValueError):
        return None


def _warn_missing_subsetter() -> None:
    if not ctypes.util.find_library("harfbuzz-subset"):
        log.warning("HarfBuzz subsetting library (Debian package libharfbuzz-subset0) not found:"
                    " PDF font subsetting will fall back to a path about 3x slower.")


def writes(view):
    """Mark a GET view that writes (e.g. logs a download) so its transaction takes the lock."""
    view.writes = True
    return view
