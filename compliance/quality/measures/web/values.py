"""A recorded value's page, its evidence file, and raising a corrective action from it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audits.services import grades
from compliance.capa import queries as capa_queries
from compliance.core import clock
from compliance.core.errors import DomainError, NotFound
from compliance.core.http import form_error, original_file, render_form
from compliance.quality.measures import rules, services
from compliance.quality.measures.forms import RaiseForm
from compliance.quality.measures.web.blueprint import LABELS, bp, locale, readable

VALUE = "quality/measures/value.html"


def _raise_form(value) -> RaiseForm:
    form = RaiseForm()
    form.grade.choices = [(g.code, g.name(locale())) for g in grades.all_grades()
                          if g.raises_corrective_action]
    form.verifier_id.choices = [(0, "—")] + [(u.id, u.name)
                                             for u in capa_queries.verifier_choices()]
    if not form.is_submitted():
        form.problem.data = services.problem_statement(value, locale())
    return form


def _context(measure, value) -> dict:
    ca = services.corrective_action_of(value)
    return {"measure": measure, "value": value, "ca": ca,
            "actions": rules.allowed_on_value(current_user, value,
                                              has_corrective_action=ca is not None),
            **LABELS}


@bp.get("/<int:measure_id>/values/<int:value_id>")
@login_required
def value(measure_id: int, value_id: int):
    """One value: the figure against its target, note, evidence, and its corrective action."""
    measure = readable(measure_id)
    found = services.get_value(measure, value_id)
    return render_template(VALUE, form=_raise_form(found), **_context(measure, found))


@bp.get("/<int:measure_id>/values/<int:value_id>/evidence")
@login_required
def evidence(measure_id: int, value_id: int):
    """Download the value's evidence file."""
    measure = readable(measure_id)
    found = services.get_value(measure, value_id)
    if not found.blob_sha256:
        raise NotFound(_("This value has no evidence file."))
    return original_file(found.blob_sha256, found.file_kind,
                         f"{measure.code}-{found.period}-evidence")


@bp.post("/<int:measure_id>/values/<int:value_id>/corrective-action")
@login_required
def raise_corrective_action(measure_id: int, value_id: int):
    """Raise a corrective action (source "process") for a value that missed its target."""
    measure = readable(measure_id, for_update=True)
    found = services.get_value(measure, value_id)
    rules.ensure(rules.may_raise_corrective_action(current_user, measure),
                 _("You may raise corrective actions only for your own department."))
    form = _raise_form(found)
    if not form.validate_on_submit():
        return render_form(VALUE, form, **_context(measure, found))
    try:
        ca = services.raise_corrective_action(
            current_user, found, today=clock.today(), grade=form.grade.data,
            problem=form.problem.data, verifier_id=form.verifier_id.data or None,
            target_on=form.target_on.data)
    except DomainError as error:
        return form_error(form, error, VALUE, **_context(measure, found))
    flash(_("Corrective action %(reference)s raised.", reference=ca.reference), "success")
    return redirect(url_for("capa.detail", ca_id=ca.id))
