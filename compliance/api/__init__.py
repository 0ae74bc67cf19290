"""The /api/v1 parent: bearer-token authentication, JSON errors and the OpenAPI document
(issue 15). Each domain's api.py holds its resources; this module mounts them."""

from __future__ import annotations

import threading

from flask import Flask, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from compliance.api import ratelimit, reference
from compliance.api.errors import HTTP_MESSAGES, ErrorSchema, code_of, first_message
from compliance.auth import tokens
from compliance.core import tenancy
from compliance.core.errors import DomainError
from compliance.core.extensions import csrf

PREFIX = "/api/v1"
# What an operation that needs a token says in the document (the scheme is `bearer`).
BEARER = [{"bearer": []}]
# Readable without a token: the document and the public register.
OPEN_PATHS = (PREFIX + "/openapi.json", PREFIX + "/public/")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MESSAGES = {"missing_token": _l("A bearer token is required."),
            "invalid_token": _l("The token is not valid."),
            "token_expired": _l("The token has expired."),
            "token_revoked": _l("The token has been revoked."),
            "user_inactive": _l("The token's account is deactivated."),
            "insufficient_scope": _l("The token's scope does not allow writing."),
            "rate_limited": _l("Too many requests with this token; try again later.")}


def error(status: int, code: str, message, field: str | None = None,
          link: str | None = None):
    """The JSON error answer: {"error": {status, code, message, field?, link?}}; the
    message (lazy or not) in the request's language."""
    body = {"status": status, "code": code, "message": str(message)}
    if field:
        body["field"] = field
    if link:
        body["link"] = link
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class _Api(Api):
    """flask-smorest's Api without its app-wide HTTP error handler: pages keep their HTML
    error pages (core.error_pages), and the API's blueprints answer JSON (json_errors).

    The OpenAPI document is built when first read, not when the app is made: building it
    (every error response, every operation's schemas, deep-copied) was half of create_app's
    time, paid by every worker at start and by every app a test makes, for a document most
    processes never serve."""

    # The shape of every error answer (errors.ErrorSchema), in each documented response.
    ERROR_SCHEMA = ErrorSchema

    def __init__(self, app: Flask, *, spec_kwargs=None, security=None):
        self._built_spec = None
        self._spec_ready = False
        self._spec_building = False
        self._spec_lock = threading.RLock()
        self._spec_options: dict = {}
        self._security = security or {}
        self._undocumented: list[tuple] = []
        super().__init__(app, spec_kwargs=spec_kwargs)

    @property
    def spec(self):
        """The OpenAPI document (an apispec.APISpec), built on first use."""
        if not self._spec_ready:
            with self._spec_lock:
                if self._spec_building:  # read by the build itself, in this thread
                    return self._built_spec
                if not self._spec_ready:
                    self._build_spec()
        return self._built_spec

    @spec.setter
    def spec(self, value) -> None:
        # flask-smorest assigns None at first, then the APISpec it builds.
        self._built_spec = value

    def _init_spec(self, **options):
        self._spec_options = options

    def _build_spec(self) -> None:
        self._spec_building = True
        try:
            super()._init_spec(**self._spec_options)
            for name, scheme in self._security.items():
                self._built_spec.components.security_scheme(name, scheme)
            for blueprint, name, parameters in self._undocumented:
                blueprint.register_views_in_doc(self, self._app, self._built_spec, name=name,
                                                parameters=parameters)
                self._built_spec.tag({"name": name, "description": blueprint.description})
            _document_rate_limit(self._built_spec)
        finally:
            self._spec_building = False
        self._spec_ready = True

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Mount the blueprint now; document it when the document is first read."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_error_handlers(self):
        """Register nothing: core.error_pages and json_errors already answer every error."""


RATE_LIMITED = {
    "description": "Too many requests with this token (`rate_limited`): wait the seconds "
                   "`Retry-After` gives, then try again.",
    "headers": {"Retry-After": {"description": "Seconds until the token's window lets a "
                                               "request in again.",
                                "schema": {"type": "integer", "minimum": 1}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"},
                                     "example": {"error": {
                                         "status": 429, "code": "rate_limited",
                                         "message": "Too many requests with this token; "
                                                    "try again later."}}}}}


def _document_rate_limit(spec) -> None:
    """Every operation a token opens may answer 429 with `Retry-After` (ratelimit)."""
    spec.components.response("TOO_MANY_REQUESTS", RATE_LIMITED)
    # apispec offers no walk over the operations it holds: its own paths, read once built.
    for operations in spec._paths.values():
        for method, operation in operations.items():
            if method != "parameters" and operation.get("security") != []:
                operation.setdefault("responses", {})["429"] = {
                    "$ref": "#/components/responses/TOO_MANY_REQUESTS"}


def _authenticate():
    # Only a bearer token opens the API: a session cookie is never read here, so a page
    # elsewhere cannot make a signed-in browser write through it (no CSRF token needed).
    # Only requests routed to an API resource: an unknown address under /api/ is a 404.
    # (A resource asked with a method it lacks is still the API's: the token is checked,
    # and a read token's write refused, before the 405.)
    names = current_app.extensions.get("compliance_api_blueprints", ())
    ours = request.blueprint in names or (
        request.path.startswith(PREFIX) and isinstance(request.routing_exception,
                                                       MethodNotAllowed))
    if not ours or request.path.startswith(OPEN_PATHS):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return error(401, "missing_token", MESSAGES["missing_token"])
    token, reason = tokens.check(secret.strip())
    if token is None:
        return error(401, reason, MESSAGES[reason])
    wait = ratelimit.retry_after(token.id)
    if wait is not None:
        limited = error(429, "rate_limited", MESSAGES["rate_limited"])
        limited.headers["Retry-After"] = str(wait)
        return limited
    if request.method in WRITES and "write" not in token.scopes:
        return error(403, "insufficient_scope", MESSAGES["insufficient_scope"])
    g._login_user = token.user  # Flask-Login's current_user for this request only
    g.api_token_id = token.id
    g.audit_via = f"token {token.id} {token.name}"  # the trail says which token acted
    tenancy.enter(token.user.organisation_id)
    return None


def _domain_error(exc: DomainError):
    return error(exc.status, code_of(exc), exc.message, exc.field, getattr(exc, "link", None))


def _http_error(exc: HTTPException):
    messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
    if messages:  # webargs: {"query": {"field": ["message"]}}
        field, message = first_message(messages)
        return error(exc.code or 422, "invalid", message, field)
    status = exc.code or 500
    return error(status, (exc.name or "error").lower().replace(" ", "_"),
                 HTTP_MESSAGES.get(status, exc.description or ""))


def init_app(app: Flask, blueprints) -> None:
    """Mount the API blueprints, their authentication and errors, and the document."""
    app.config.setdefault("API_TITLE", "compliance")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    ratelimit.check_setting(app.config)
    api = _Api(app, spec_kwargs={"info": {"description": "The compliance JSON API."}},
               security={"bearer": {"type": "http", "scheme": "bearer"}})
    app.before_request(_authenticate)
    app.extensions["compliance_api_blueprints"] = frozenset(b.name for b in blueprints)
    for blueprint in blueprints:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix=PREFIX + blueprint.url_prefix)
    # A page, not a resource: no token, no document entry (it draws the document).
    app.register_blueprint(reference.bp, url_prefix=PREFIX)


def json_errors(blueprint):
    """Answer the blueprint's refusals as JSON errors; called once, where it is defined."""
    for handler in ((DomainError, _domain_error), (HTTPException, _http_error)):
        blueprint.register_error_handler(*handler)
    return blueprint
