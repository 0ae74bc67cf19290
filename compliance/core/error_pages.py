"""Error pages: any error, a domain refusal or an unexpected one, answered as a page or, under
/api/, as JSON."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from compliance.core.errors import DomainError
from compliance.core.extensions import db

log = logging.getLogger(__name__)


def _default_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please sign in to continue."),
        403: _("You do not have permission to do this."),
        404: _("The page or record you asked for does not exist."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this record while you were editing it. "
               "Reload the page and apply your change again."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. The error has been logged."),
    }
    return messages.get(status, _("The request could not be completed."))


def wants_json() -> bool:
    """Whether the client should get a JSON error rather than a page."""
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None):
    """Render an error as JSON under /api/ and as a page elsewhere."""
    message = message or _default_message(status)
    if wants_json():
        # The code as compliance.api names it: the status's name ("not_found"), or what a
        # domain refusal of that status is called there.
        code = {403: "forbidden", 409: "conflict"}.get(status) or \
            HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_")
        return jsonify({"error": {"status": status, "code": code, "message": message}}), status
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Attach the handlers for domain errors, HTTP errors and everything else."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        db.session.rollback()
        return error_response(error.status, error.message)

    @app.errorhandler(StaleDataError)
    def _stale(_error):
        db.session.rollback()
        return error_response(409)

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return error_response(400, _("The form expired or was sent from elsewhere. "
                                     "Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 429:
            # A page of our own for the refusal (the rate limit's `on_breach` answer), else
            # the limit's own words (Flask-Limiter's error_message), else the general one.
            if error.response is not None:
                return error.response
            limit = getattr(error, "limit", None)
            return error_response(429, error.description
                                  if limit is not None and limit.error_message else None)
        description = error.description if error.code in (400, 413) else None
        return error_response(error.code or 500, description if _is_ours(error) else None)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_response(500)


def _is_ours(error: HTTPException) -> bool:
    """Werkzeug's stock descriptions are English only; keep just the ones we wrote."""
    return bool(error.description) and error.description != type(error).description
