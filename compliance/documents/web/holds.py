"""Child blueprint `documents.holds`: the legal holds (in force and lifted), placing one on
a document, a department or an audit's records, and lifting it (signed)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.reauth import attempt_limit
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.documents import rules
from compliance.documents.records import queries
from compliance.documents.records import rules as records
from compliance.documents.records.forms import HoldForm, LiftHoldForm
from compliance.documents.records.labels import SCOPE_LABELS
from compliance.documents.services import holds
from compliance.documents.web.pages import at_field
from compliance.org import queries as org_queries

bp = Blueprint("holds", __name__, url_prefix="/holds")


@bp.get("", endpoint="holds")
@login_required
def index():
    """Every legal hold: those in force first."""
    rules.ensure(records.may_see_holds(current_user), _("You may not see the legal holds."))
    return render_template("documents/holds.html", holds=queries.all_holds(),
                           scope_labels=SCOPE_LABELS,
                           may_place=records.may_place_hold(current_user))


def _hold_form() -> HoldForm:
    form = HoldForm()
    none = (0, "—")
    form.department_id.choices = [none, *org_queries.department_choices(str(get_locale()))]
    form.audit_id.choices = [none, *queries.audit_choices()]
    if not form.is_submitted() and request.args.get("document"):
        form.scope.data, form.document_code.data = "document", request.args["document"][:40]
    return form


@bp.route("/new", methods=["GET", "POST"], endpoint="place_hold")
@login_required
def place_hold():
    """Place a hold: on what, and why (who and when are recorded)."""
    rules.ensure(records.may_place_hold(current_user),
                 _("Only ISO coordinators can place a legal hold."))
    form = _hold_form()
    if not form.validate_on_submit():
        return render_form("documents/hold_form.html", form)
    try:
        hold = holds.place_hold(current_user, scope=form.scope.data, reason=form.reason.data,
                                document_code=form.document_code.data,
                                department_id=form.department_id.data or None,
                                audit_id=form.audit_id.data or None)
    except DomainError as error:
        return form_error(form, error, "documents/hold_form.html")
    flash(_("The legal hold is placed: nothing it covers can be disposed of, made obsolete or "
            "withdrawn until it is lifted."), "success")
    return redirect(url_for("documents.holds.hold", hold_id=hold.id))


HOLD = "documents/hold.html"


def _hold_context(hold, form=None) -> dict:
    return {"hold": hold, "scope_labels": SCOPE_LABELS,
            "lift_form": form or LiftHoldForm(formdata=None, version=hold.version),
            "may_lift": records.may_place_hold(current_user) and hold.in_force}


@bp.get("/<int:hold_id>", endpoint="hold")
@login_required
def hold(hold_id: int):
    """One hold: what it covers, why, who placed it and when; lifted by whom and why."""
    rules.ensure(records.may_see_holds(current_user), _("You may not see the legal holds."))
    return render_template(HOLD, **_hold_context(holds.get_hold(hold_id)))


@bp.post("/<int:hold_id>/lift", endpoint="lift_hold")
@login_required
@attempt_limit("legal_hold.lift", "legal_hold", "hold_id")
def lift_hold(hold_id: int):
    """Lift a hold: the reason, signed with the password again."""
    rules.ensure(records.may_place_hold(current_user),
                 _("Only ISO coordinators can lift a legal hold."))
    found = holds.get_hold(hold_id, for_update=True)
    form = LiftHoldForm()
    if not form.validate_on_submit():
        return render_template(HOLD, **_hold_context(found, form)), 400
    try:
        holds.lift_hold(current_user, found, form.version.data, reason=form.reason.data,
                        credential=form.password.data)
    except DomainError as error:
        return form_error(form, at_field(error), HOLD, **_hold_context(found, form))
    flash(_("The legal hold is lifted."), "success")
    return redirect(url_for("documents.holds.hold", hold_id=found.id))
