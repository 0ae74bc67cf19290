"""A person's own personal access tokens for the API (endpoints `auth.tokens.*`)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth import tokens
from compliance.auth.forms import RevokeTokenForm, TokenForm
from compliance.auth.labels import SCOPE_LABELS
from compliance.core.errors import DomainError
from compliance.core.http import form_error

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")
TEMPLATE = "auth/tokens.html"


def _page(form: TokenForm, secret: str | None = None, status: int = 200):
    return render_template(TEMPLATE, form=form, secret=secret, revoke_form=RevokeTokenForm(),
                           tokens=tokens.own_tokens(current_user), scope_labels=SCOPE_LABELS,
                           ), status


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """List the person's tokens; create one, whose secret is shown on this answer only."""
    form = TokenForm()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, status=400)
    try:
        _token, secret = tokens.create(current_user, form.name.data, form.scope.data,
                                       form.days.data)
    except DomainError as error:
        return form_error(form, error, TEMPLATE, secret=None, revoke_form=RevokeTokenForm(),
                          tokens=tokens.own_tokens(current_user), scope_labels=SCOPE_LABELS)
    # Shown here and never again: nothing keeps the secret, not even the session.
    return _page(TokenForm(formdata=None), secret=secret, status=201)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the person's tokens."""
    form = RevokeTokenForm()
    token = tokens.revoke(current_user, token_id)
    if not form.validate():
        return _page(TokenForm(formdata=None), status=400)
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("auth.tokens.index"))
