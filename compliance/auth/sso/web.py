"""Sign-in through the OpenID Connect provider (endpoints `auth.sso.*`) and the mapping table
(`auth.sso_admin.*`, under /admin/sso/)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from requests import RequestException

from compliance.audit_trail.services import record
from compliance.auth import reauth, totp
from compliance.auth.labels import GLOBAL_ROLES, MEMBERSHIP_ROLES, ROLE_LABELS
from compliance.auth.permissions import require
from compliance.auth.sso import accounts, fresh, mapping, oidc, settings
from compliance.auth.sso.forms import DeleteRuleForm, MappingRuleForm
from compliance.auth.sso.models import OIDC
from compliance.auth.web.signin import open_session
from compliance.core import uow
from compliance.core.errors import DomainError, NotFound
from compliance.core.http import form_error, local_target, writes
from compliance.org.queries import department_choices

bp = Blueprint("sso", __name__, url_prefix="/sso")
admin_bp = Blueprint("sso_admin", __name__, url_prefix="/admin/sso")
_NEXT = "sso_next"


@bp.get("/oidc/start")
def oidc_start():
    """Send the browser to the provider to sign in."""
    if not settings.oidc_enabled():
        raise NotFound(_("Single sign-on is not configured."))
    session[_NEXT] = local_target(request.args.get("next"), url_for("dashboard.home"))
    try:
        return oidc.authorize_redirect(url_for("auth.sso.oidc_callback", _external=True))
    except RequestException:
        return _provider_down()


def _provider_down():
    flash(_("The sign-in service of your organisation cannot be reached. Try again later; "
            "an administrator can still sign in with a local password."), "danger")
    return redirect(url_for("auth.login"))


@bp.get("/oidc/reauth")
@login_required
def oidc_reauth():
    """Before a signature: send the person to the provider to sign in again there."""
    if not settings.oidc_enabled() or session.get("method") != OIDC:
        raise NotFound(_("Single sign-on is not configured."))
    session[_NEXT] = local_target(request.args.get("next"), url_for("dashboard.home"))
    fresh.begin()
    try:
        return oidc.authorize_redirect(url_for("auth.sso.oidc_callback", _external=True),
                                       fresh=True)
    except RequestException:
        return _provider_down()


def _reauthenticated(started: float):
    """The provider's answer to a re-authentication: kept for the next signature if it is
    the same person and their `auth_time` is after they were sent; else recorded."""
    target = session.pop(_NEXT, None) or url_for("dashboard.home")
    attempt = reauth.Attempt("signature.reauthenticate", "user", current_user.id)
    try:
        claims = oidc.finish()["claims"]
    except (oidc.Refused, RequestException):
        claims = None
    if claims and fresh.same_person(current_user, str(claims["sub"])) \
            and oidc.fresh_enough(claims, started):
        fresh.keep(current_user, claims["auth_time"])
        flash(_("You confirmed who you are. Sign within five minutes."), "success")
        return redirect(target)
    reauth.refused(current_user, attempt, "not_fresh" if claims else "refused_by_provider")
    flash(_("Your organisation's sign-in did not confirm who you are just now; nothing was "
            "signed. Try again."), "danger")
    return redirect(target)


@bp.get("/oidc/callback")
@writes
def oidc_callback():
    """The provider's answer: checked, then the account signed in (or refused, recorded)."""
    if not settings.oidc_enabled():
        raise NotFound(_("Single sign-on is not configured."))
    if current_user.is_authenticated:
        started = fresh.pending()
        if started is not None:
            return _reauthenticated(started)
        return redirect(url_for("dashboard.home"))
    try:
        answer = oidc.finish()
    except oidc.Refused as refused:
        record(None, "auth.login_failed", "user", "-",
               after={"ip": request.remote_addr, "reason": refused.reason, "method": OIDC},
               actor_label="anonymous")
        flash(_("The sign-in through your organisation's account was not accepted. Start "
                "again from the sign-in page."), "danger")
        return redirect(url_for("auth.login"))
    except RequestException:
        return _provider_down()
    identity = {"provider": OIDC, **oidc.identity(answer["claims"])}
    try:
        user = accounts.sign_in(identity, request.remote_addr)
    except accounts.SignInRefused as refused:
        uow.keep_despite_refusal()
        flash(refused.message, "danger")
        return render_template("auth/sso_refused.html"), 403
    return open_session(user, OIDC, session.pop(_NEXT, None), id_token=answer["id_token"])


def provider_logout(current_session) -> str | None:
    """Where to send a person signed in through the provider, to sign out there too."""
    if current_session.get("method") != OIDC or not settings.oidc_enabled():
        return None
    try:
        return oidc.logout_url(current_session.get("id_token"),
                               url_for("auth.login", _external=True))
    except RequestException:
        return None


def _form(rule=None) -> MappingRuleForm:
    form = MappingRuleForm(obj=rule) if rule is not None else MappingRuleForm()
    form.role.choices = [(r, ROLE_LABELS[r]) for r in (*GLOBAL_ROLES, *MEMBERSHIP_ROLES)]
    form.department_id.choices = [("", "—"), *department_choices(str(get_locale()))]
    if rule is not None and not form.is_submitted():
        form.version.data = rule.version
    return form


def _context() -> dict:
    return {"rules": mapping.all_rules(current_user), "delete_form": DeleteRuleForm(formdata=None),
            "oidc": settings.oidc_enabled(), "ldap": settings.ldap_enabled()}


def _page(form: MappingRuleForm, status: int = 200):
    return render_template("sso/mapping.html", form=form, **_context()), status


@admin_bp.route("/mapping", methods=["GET", "POST"])
@require("users.manage")
def mapping_index():
    """The mapping table, and a form to add a rule."""
    form = _form()
    if form.validate_on_submit():
        try:
            mapping.create_rule(current_user, form.group.data, form.role.data,
                                form.department_id.data)
        except DomainError as error:
            return form_error(form, error, "sso/mapping.html", **_context())
        flash(_("Rule added; it applies from each person's next sign-in."), "success")
        return redirect(url_for("auth.sso_admin.mapping_index"))
    return _page(form, 400 if form.is_submitted() else 200)


@admin_bp.route("/mapping/<int:rule_id>/edit", methods=["GET", "POST"])
@require("users.manage")
def mapping_edit(rule_id: int):
    """Change a rule."""
    rule = mapping.get_rule(current_user, rule_id)
    form = _form(rule)
    if form.validate_on_submit():
        try:
            mapping.update_rule(current_user, rule, form.version.data, form.group.data,
                                form.role.data, form.department_id.data)
        except DomainError as error:
            return form_error(form, error, "sso/rule_form.html", rule=rule)
        flash(_("Rule saved; it applies from each person's next sign-in."), "success")
        return redirect(url_for("auth.sso_admin.mapping_index"))
    status = 400 if form.is_submitted() else 200
    return render_template("sso/rule_form.html", form=form, rule=rule), status


@admin_bp.post("/mapping/<int:rule_id>/delete")
@require("users.manage")
def mapping_delete(rule_id: int):
    """Remove a rule."""
    rule = mapping.get_rule(current_user, rule_id)
    if DeleteRuleForm().validate_on_submit():
        mapping.delete_rule(current_user, rule)
        flash(_("Rule removed; people keep what it gave them until their next sign-in."),
              "success")
    return redirect(url_for("auth.sso_admin.mapping_index"))


def signature_way() -> dict:
    """How the signed-in person signs (for the signature forms' credentials macro)."""
    method = session.get("method") if current_user.is_authenticated else None
    oidc_signer = method == OIDC and settings.oidc_enabled()
    return {"oidc": oidc_signer, "ready": oidc_signer and fresh.ready(current_user),
            "totp": method != OIDC and totp.enrolled(current_user),
            "provider": settings.login_options()["provider"]}
