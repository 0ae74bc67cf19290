"""Service accounts and every API token of the organisation, for administrators
(endpoints `auth.service.*`, issue 15)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from compliance.auth import rules, service_accounts, services, tokens
from compliance.auth.forms import RevokeTokenForm, ServiceAccountForm, ServiceTokenForm
from compliance.auth.labels import SCOPE_LABELS
from compliance.auth.models import User
from compliance.auth.permissions import require
from compliance.core.collation import person_key
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import form_error, render_form

bp = Blueprint("service", __name__, url_prefix="/admin")
TOKENS = "users/tokens.html"


@bp.route("/service-accounts/new", methods=["GET", "POST"])
@require("users.manage")
def create_account():
    """Create a service account; its tokens are made on the organisation's token page."""
    form = ServiceAccountForm()
    if form.validate_on_submit():
        try:
            account = service_accounts.create(current_user, form.name.data, form.email.data,
                                              tuple(form.roles.data or ()))
        except DomainError as error:
            if isinstance(error, services.AddressTaken):
                error.status = 400  # the form's mistake, kept at its field
            return form_error(form, error, "users/service_form.html")
        flash(_("Service account %(name)s created.", name=account.name), "success")
        return redirect(url_for("auth.users.detail", user_id=account.id))
    return render_form("users/service_form.html", form)


def _accounts() -> list[tuple[int, str]]:
    """The active service accounts the administrator may make tokens for."""
    stmt = rules.visible_users(current_user, select(User)).where(
        User.is_service.is_(True), User.active.is_(True))
    found = sorted(db.session.scalars(stmt), key=lambda u: person_key(u.name))
    return [(u.id, f"{u.name} ({u.email})") for u in found]


def _token_form(account_id: int | None = None) -> ServiceTokenForm:
    form = ServiceTokenForm(formdata=None, data={"account_id": account_id}) \
        if account_id is not None else ServiceTokenForm()
    form.account_id.choices = _accounts()
    return form


def _page(form: ServiceTokenForm, secret: str | None = None, status: int = 200):
    return render_template(TOKENS, form=form, secret=secret, revoke_form=RevokeTokenForm(),
                           tokens=tokens.organisation_tokens(current_user),
                           scope_labels=SCOPE_LABELS), status


@bp.route("/tokens/", methods=["GET", "POST"])
@require("users.manage")
def all_tokens():
    """Every token of the organisation, with its owner; a new token for a service account,
    whose secret is shown on this answer only."""
    form = _token_form()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, status=400)
    try:
        owner = services.get_user(form.account_id.data)
        _token, secret = tokens.create(current_user, form.name.data, form.scope.data,
                                       form.days.data, owner=owner)
    except DomainError as error:
        return form_error(form, error, TOKENS, secret=None, revoke_form=RevokeTokenForm(),
                          tokens=tokens.organisation_tokens(current_user),
                          scope_labels=SCOPE_LABELS)
    return _page(_token_form(owner.id), secret=secret, status=201)


@bp.post("/tokens/<int:token_id>/revoke")
@require("users.manage")
def revoke_token(token_id: int):
    """Revoke any token of the organisation."""
    form = RevokeTokenForm()
    if not form.validate():
        return _page(_token_form(), status=400)
    token = tokens.revoke(current_user, token_id)
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("auth.service.all_tokens"))
