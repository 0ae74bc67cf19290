"""The second factor's pages (endpoints `auth.second_factor.*`): the code asked after the
password at sign-in, enrolment with a QR code drawn here, switching it off; and the rule
that sends a person whose role requires a second factor to enrol before anything else."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from markupsafe import Markup

from compliance.auth import reauth, second_factor, services, totp
from compliance.auth.forms import CodeForm, SwitchOffForm
from compliance.auth.web.signin import open_session
from compliance.core import uow
from compliance.core.errors import DomainError
from compliance.core.extensions import limiter

bp = Blueprint("second_factor", __name__)
_PENDING = "second_factor_pending"
# The secret being enrolled, sealed: the session cookie is signed, not encrypted.
_ENROLLING = "second_factor_enrolling"
PAGE = "auth/second_factor.html"
# What a person who must enrol may still reach.
_OPEN = frozenset({"auth.second_factor.enrol", "auth.logout", "auth.language", "static",
                   "assets", "bootstrap.static"})


def hold(user, next_target: str | None):
    """Ask for the code before the session opens: the password was right."""
    session[_PENDING] = {"user": user.id, "next": next_target}
    return redirect(url_for("auth.second_factor.code"))


def _failed(response) -> bool:
    return response.status_code != 302


def _pending_key() -> str:
    return f"second-factor:{(session.get(_PENDING) or {}).get('user', '-')}"


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=get_remote_address,
               methods=["POST"], deduct_when=_failed, scope="login-address")
# Per account too: six digits are guessed faster than a password.
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_pending_key,
               methods=["POST"], deduct_when=_failed, scope="second-factor-account")
def code():
    """The second step of signing in: the authenticator app's code."""
    pending = session.get(_PENDING)
    if not pending:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/login_code.html", form=form), 400 if form.is_submitted() \
            else 200
    user = services.get_user(pending["user"])
    if not user.active or not second_factor.second_step(user, form.code.data,
                                                        request.remote_addr):
        uow.keep_despite_refusal()
        form.code.errors = [_("The code is not correct.")]
        return render_template("auth/login_code.html", form=form), 401
    session.pop(_PENDING, None)
    return open_session(user, reauth.BY_PASSWORD_TOTP, pending.get("next"))


def _enrolling() -> str | None:
    return totp.unseal(session.get(_ENROLLING))


def _enrol_page(form=None, status: int = 200):
    secret = _enrolling()
    if secret is None and not totp.enrolled(current_user):
        secret = totp.new_secret()
        session[_ENROLLING] = totp.seal(secret)
    qr = None
    if secret:
        # segno's own SVG of the otpauth address: no markup from the person in it.
        qr = Markup(totp.qr_svg(totp.provisioning_uri(current_user, secret)))  # noqa: S704
    return render_template(PAGE, form=form or CodeForm(formdata=None), secret=secret, qr=qr,
                           off_form=SwitchOffForm(formdata=None),
                           required=totp.required_for(current_user)), status


@bp.route("/account/second-factor", methods=["GET", "POST"])
@login_required
def enrol():
    """Set up the second factor: scan the QR code, type the first code."""
    if request.method == "GET":
        return _enrol_page()
    form = CodeForm()
    if not form.validate_on_submit():
        return _enrol_page(form, 400)
    try:
        codes = second_factor.enrol(current_user, _enrolling(), form.code.data)
    except DomainError as error:
        if error.field != "code":
            raise
        form.code.errors = [error.message]
        return _enrol_page(form, 400)
    session.pop(_ENROLLING, None)
    session["method"] = reauth.BY_PASSWORD_TOTP
    return render_template("auth/recovery_codes.html", codes=codes), 201


@bp.post("/account/second-factor/off")
@login_required
@reauth.attempt_limit("user.totp_disable", "user")
def switch_off():
    """Remove the second factor (not when the person's role requires one)."""
    form = SwitchOffForm()
    if not form.validate_on_submit():
        return _enrol_page(status=400)
    second_factor.switch_off(current_user, form.password.data)
    flash(_("The second factor is switched off."), "success")
    return redirect(url_for("auth.account"))


def require_enrolment():
    """Before each request: a local account whose role requires a second factor enrols
    first."""
    if not current_user.is_authenticated or request.endpoint in _OPEN:
        return None
    if session.get("method") != reauth.BY_PASSWORD or totp.enrolled(current_user) \
            or not totp.required_for(current_user):
        return None
    flash(_("Your role requires a second factor. Set it up to go on."), "warning")
    return redirect(url_for("auth.second_factor.enrol"))
