"""The core's part of every app: the extensions bound, the unit of work at the edge, the
error pages, the security headers and the per-request hooks (`init_app`)."""

from __future__ import annotations

import ctypes.util
import functools
import logging

from flask import Flask, abort, flash, redirect, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from compliance.core import (
    assets,
    clock,
    day_input,
    error_pages,
    extensions,
    http,
    i18n,
    kept,
    templating,
    tenancy,
    uow,
)
from compliance.core.db import configure_engine, include_name, set_write_intent
from compliance.core.extensions import babel, bootstrap, csrf, limiter, login_manager, migrate
from compliance.core.forms import distinct_ids
from compliance.core.locale import (
    format_day,
    format_moment,
    format_size,
    machine_moment,
    select_locale,
)
from compliance.core.resources import resource_dir

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
# Powerful browser features no page of the product uses, denied to every page and frame.
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), display-capture=(), geolocation=(), "
                      "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
                      "usb=()")
# Sent only with secure cookies, i.e. when the site is served over HTTPS: a year, this host only.
HSTS = "max-age=31536000"


def init_app(app: Flask) -> None:
    """Bind the extensions, the unit of work, the error pages and the per-request hooks."""
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    # Before any route is added: every <int:...> is then bounded (core/http.py).
    app.url_map.converters["int"] = http.RecordId
    # WeasyPrint reports every rendering step at INFO; only its warnings matter to operators.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    # APScheduler logs every run at INFO; the scheduler page shows runs and their results.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # `extensions.db`, not `db`: the name `compliance.core.db` is the module.
    extensions.db.init_app(app)
    with app.app_context():
        configure_engine(extensions.db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        kept.watch(extensions.db.engine)
    migrate.init_app(app, extensions.db, directory=str(resource_dir("migrations")),
                     render_as_batch=True, compare_type=True, include_name=include_name)
    csrf.init_app(app)
    bootstrap.init_app(app)
    assets.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["ORG_TIMEZONE"])
    # Our date filters replace Flask-Babel's: never month-first (core/locale.py).
    app.jinja_env.filters.update(dateformat=format_day, datetimeformat=format_moment,
                                  filesizeformat=format_size, machine_moment=machine_moment)
    i18n.init_app(app)
    # "Today" on a page is the day where the signed-in person's organisation is.
    # The organisation's zone, looked up once per request and kept across requests.
    clock.init_app(app, lambda: kept.kept("time_zone", (), tenancy.current_time_zone))
    templating.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(_unauthorized)
    _install_hooks(app)
    uow.init_app(app)
    error_pages.register_error_handlers(app)
    _warn_missing_subsetter()


def _install_hooks(app: Flask) -> None:
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
        unsafe = request.method not in SAFE_METHODS and not getattr(view, "writes_later", False)
        set_write_intent(unsafe or getattr(view, "writes", False))

    @app.before_request
    def _refuse_nul():
        # No one types NUL (0x00), and PostgreSQL cannot store it in text: a value carrying
        # one would end in a 500 at the insert. Refused here for every form, query and name.
        if _carries_nul(request):
            abort(400, gettext("The request contains a NUL character (0x00), which cannot "
                               "be stored. Remove it and send the form again."))

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
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if request.endpoint not in ("static", "assets"):
            headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def _language():
        return {"locale": str(get_locale() or app.config["DEFAULT_LOCALE"]),
                "languages": app.config["LANGUAGES"]}

    app.jinja_env.globals["distinct_ids"] = distinct_ids
    # Date inputs outside WTForms (filters, report periods) draw as its fields do.
    app.jinja_env.globals.update(day_input=day_input.input_attributes,
                                 write_day=day_input.write_day, day_hint=day_input.HINT)
    app.jinja_env.filters["reject_key"] = lambda mapping, key: {
        k: v for k, v in mapping.items() if k != key}


def _carries_nul(req) -> bool:
    """Whether a query or form key or value, or an uploaded file's name, holds NUL."""
    pairs = [*req.args.items(multi=True)]
    if req.method not in SAFE_METHODS:
        pairs += [*req.form.items(multi=True)]
        pairs += [(name, upload.filename or "") for name, upload in req.files.items(multi=True)]
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def _unauthorized():
    """Pages send the visitor to sign in; the JSON API answers 401 in JSON."""
    if error_pages.wants_json():
        return error_pages.error_response(401)
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))


@functools.cache
def _warn_missing_subsetter() -> None:
    # Once per process: find_library runs `ldconfig -p` (a child process) each time, and
    # the libraries installed do not change under a running process.
    if not ctypes.util.find_library("harfbuzz-subset"):
        log.warning("HarfBuzz subsetting library (Debian package libharfbuzz-subset0) not found:"
                    " PDF font subsetting will fall back to a path about 3x slower.")
