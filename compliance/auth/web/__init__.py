"""Sign in, sign out, language switch and the user's own account page; the child blueprint
`auth.users` (web/users.py) administers accounts under /admin/users/."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user

from compliance.auth import reauth, services, sessions, totp
from compliance.auth.forms import ChangePasswordForm, LanguageForm, LoginForm
from compliance.auth.labels import LOCALE_LABELS, ROLE_LABELS, SIGNATURE_METHODS
from compliance.auth.permissions import can
from compliance.auth.sso import accounts as sso_accounts
from compliance.auth.sso import passwords as sso_passwords
from compliance.auth.sso import settings as sso_settings
from compliance.auth.sso import web as sso_web
from compliance.auth.web import menu
from compliance.auth.web import second_factor as second_factor_web
from compliance.auth.web.service import bp as service_bp
from compliance.auth.web.signin import open_session
from compliance.auth.web.tokens import bp as tokens_bp
from compliance.auth.web.users import bp as users_bp
from compliance.core import tenancy, uow
from compliance.core.errors import DomainError
from compliance.core.extensions import limiter, login_manager
from compliance.core.http import form_error, local_target, render_form

bp = Blueprint("auth", __name__)
bp.register_blueprint(users_bp)
bp.register_blueprint(tokens_bp)
bp.register_blueprint(service_bp)
bp.register_blueprint(sso_web.bp)
bp.register_blueprint(sso_web.admin_bp)
bp.register_blueprint(second_factor_web.bp)


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))[:255]


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=get_remote_address,
               methods=["POST"], deduct_when=_failed, scope="login-address")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
               methods=["POST"], deduct_when=_failed, scope="login-account")
def login():
    """Show the sign-in form; on success open a fresh server-side session."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_form("auth/login.html", form)
    try:
        user, method = sso_passwords.sign_in(form.email.data, form.password.data,
                                             request.remote_addr)
    except (services.ServiceAccountRefused, sso_passwords.Refused,
            sso_accounts.SignInRefused) as refused:
        uow.keep_despite_refusal()  # the attempt stays in the trail
        flash(refused.message, "danger")
        return render_template("auth/login.html", form=LoginForm(formdata=None)), \
            refused.status
    if method == reauth.BY_PASSWORD and totp.enrolled(user):
        return second_factor_web.hold(user, request.args.get("next"))
    return open_session(user, method, request.args.get("next"))


@bp.post("/logout")
@login_required
def logout():
    """End this session for good, not just forget the cookie."""
    sessions.revoke(session.get("sid"))
    services.record_logout(current_user)
    provider_logout = sso_web.provider_logout(session)
    logout_user()
    session.clear()
    if provider_logout:
        # A page that goes on by itself, not a redirect: the browser's form-action policy
        # ('self') refuses a sign-out form whose answer leads to another site.
        return render_template("auth/signed_out_provider.html", target=provider_logout)
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """Switch the interface language; for a signed-in user the choice is kept."""
    form = LanguageForm()
    target = local_target(form.next.data, url_for("dashboard.home"))
    if not form.validate():
        flash(_("Unknown language."), "danger")
        return redirect(target)
    if current_user.is_authenticated:
        services.set_locale(current_user, current_user, form.locale.data)
    else:
        session["locale"] = form.locale.data
    return redirect(target)


def _password_form() -> ChangePasswordForm:
    """The password change form, its current-password field saying how many tries there are."""
    form = ChangePasswordForm()
    tries, minutes = reauth.allowance()
    form.current.description = ngettext(
        "For your protection, after %(num)d wrong password within %(minutes)d minutes, "
        "changing your password and signing are blocked for up to %(minutes)d minutes.",
        "For your protection, after %(num)d wrong passwords within %(minutes)d minutes, "
        "changing your password and signing are blocked for up to %(minutes)d minutes.",
        tries, minutes=minutes)
    return form


def _locked_out():
    """The account page, 429, with the lock-out said at the current-password field."""
    form = _password_form()
    form.current.errors = [_("Too many wrong passwords. Changing your password and signing "
                             "are blocked for up to %(minutes)d minutes; try again later.",
                             minutes=reauth.allowance()[1])]
    return make_response(render_template("auth/account.html", form=form), 429)


@bp.route("/account", methods=["GET", "POST"])
@login_required
@reauth.attempt_limit("user.password_change", "user", answer=_locked_out)
def account():
    """The user's own details and password change."""
    form = _password_form()
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current.data, form.new.data,
                                         current_app.config["PASSWORD_MIN_LENGTH"],
                                         keep_token=session.get("sid"))
        except DomainError as error:
            if error.field == "password":  # the policy speaks of "password"; here it is "new"
                error.field = "new"
            if error.field == "current":  # a mistake in the form, not a refusal of the person
                error.status = 400
            return form_error(form, error, "auth/account.html")
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("auth.account"))
    return render_form("auth/account.html", form)


def load_user(user_id: str):
    """Flask-Login loader: the user only while their server-side session is live."""
    try:
        return sessions.user_for(int(user_id), session.get("sid"))
    except (TypeError, ValueError):
        return None


def register(app) -> None:
    """Mount this domain's pages, load the signed-in user, and offer `can()` to templates."""
    login_manager.user_loader(load_user)
    # The signed-in person's organisation scopes the whole request (core.tenancy).
    app.before_request(lambda: tenancy.enter(tenancy.organisation_of(current_user)))
    app.before_request(second_factor_web.require_enrolment)
    app.context_processor(lambda: {"can": lambda permission, department_id=None: can(
        current_user, permission, department_id)})
    # Globals, so that imported macros (role_label) see them too.
    app.jinja_env.globals.update(role_labels=ROLE_LABELS, locale_labels=LOCALE_LABELS,
                                 cached_menu=menu.cached_menu,
                                 sso_options=sso_settings.login_options,
                                 signature_way=sso_web.signature_way,
                                 signature_methods=SIGNATURE_METHODS,
                                 signature_proof=reauth.printed)
    app.jinja_env.filters["parse_iso"] = datetime.fromisoformat
    app.register_blueprint(bp)
