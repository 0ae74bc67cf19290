"""Work on one risk: its status, review, treatment actions and links; and the answer after a
corrective action closed."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error
from compliance.quality.risks import rules, services
from compliance.quality.risks.forms import DoneForm
from compliance.quality.risks.web.common import (
    back,
    bp,
    ca_review_form,
    invalid,
    invalid_done,
    posted,
    readable,
    refused,
    refused_done,
)
from compliance.quality.risks.web.pages import REGISTER, register_context


def _section(risk_id: int, name: str, apply, anchor: str):
    """One section's post: load, check who, validate the form, apply, back to the page."""
    risk = readable(risk_id, for_update=True)
    rules.ensure_manage(current_user, risk)
    form = posted(name, risk)
    if not form.validate_on_submit():
        return invalid(risk, name, form)
    try:
        apply(risk, form)
    except DomainError as error:
        return refused(risk, name, form, error)
    return back(risk, anchor)


@bp.post("/<int:risk_id>/status")
@login_required
def change_status(risk_id: int):
    """Treated, accepted, closed, or open again."""
    return _section(risk_id, "status", lambda risk, form: services.change_status(
        current_user, risk, status=form.status.data, note=form.note.data, today=clock.today(),
        expected_version=form.version.data), "")


@bp.post("/<int:risk_id>/review")
@login_required
def review(risk_id: int):
    """Record the periodic review and the next review date."""
    return _section(risk_id, "review", lambda risk, form: services.record_review(
        current_user, risk, note=form.note.data, next_review_on=form.next_review_on.data,
        today=clock.today(), expected_version=form.version.data), "#review")


@bp.post("/<int:risk_id>/actions")
@login_required
def add_action(risk_id: int):
    """Plan a treatment action."""
    return _section(risk_id, "action", lambda risk, form: services.add_action(
        current_user, risk, description=form.description.data, owner_id=form.owner_id.data,
        due_on=form.due_on.data, today=clock.today()), "#actions")


@bp.post("/<int:risk_id>/actions/<int:action_id>/done")
@login_required
def complete_action(risk_id: int, action_id: int):
    """The owner (or a manager) marks a treatment action done."""
    risk = readable(risk_id, for_update=True)
    action = services.get_action(risk, action_id)
    rules.ensure_complete_action(current_user, action)
    form = DoneForm(prefix=f"action{action.id}")
    if not form.validate_on_submit():
        return invalid_done(risk, action, form)
    try:
        services.complete_action(current_user, risk, action, note=form.note.data,
                                 today=clock.today(), expected_version=form.version.data)
    except DomainError as error:
        return refused_done(risk, action, form, error)
    return back(risk, "#actions")


@bp.post("/<int:risk_id>/links")
@login_required
def add_link(risk_id: int):
    """Link a finding or corrective action that changed the risk."""
    return _section(risk_id, "link", lambda risk, form: services.add_link(
        current_user, risk, note=form.note.data, today=clock.today(), **form.ids()), "#links")


@bp.post("/after-ca/<int:ca_id>")
@login_required
def answer_ca(ca_id: int):
    """Record whether the risk register needed updating after a corrective action closed."""
    refusal = _("Only a coordinator or the head of the department can answer this.")
    # Those who manage no register learn nothing from an id, existing or not.
    rules.ensure(rules.may_create_any(current_user), refusal)
    ca = services.get_ca(ca_id)
    rules.ensure(rules.may_answer_ca_review(current_user, ca.department_id), refusal)
    form = ca_review_form(ca.department_id)
    if not form.validate_on_submit():
        return render_template(REGISTER, form=form, **register_context(form)), 400
    try:
        review = services.answer(current_user, ca, outcome=form.outcome.data,
                                 risk_id=form.risk_id.data or None, note=form.note.data,
                                 today=clock.today())
    except DomainError as error:
        return form_error(form, error, REGISTER, **register_context(form))
    flash(_("Recorded: the risk register was reviewed after %(reference)s.",
            reference=ca.reference), "success")
    if review.risk_id:
        return redirect(url_for("quality.risks.detail", risk_id=review.risk_id))
    return redirect(url_for("capa.detail", ca_id=ca.id))
