"""The finding grades pages; endpoints `audits.grades.<view>`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compliance.audits.forms import GradeForm
from compliance.audits.services import grades as grade_rules
from compliance.auth.permissions import require
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form

bp = Blueprint("grades", __name__, url_prefix="/grades")
FORM = "audits/grade_form.html"


@bp.get("/")
@require("audits.grades")
def grades():
    """Finding grades and their rules."""
    return render_template("audits/grades.html", grades=grade_rules.all_grades())


@bp.route("/<grade_code>", methods=["GET", "POST"])
@require("audits.grades")
def edit_grade(grade_code: str):
    """Change a grade's names and closure rules."""
    grade = grade_rules.get_grade(grade_code)
    form = GradeForm(obj=grade)
    if not form.is_submitted():
        form.version.data = grade.version
    if form.validate_on_submit():
        try:
            grade_rules.update_grade(
                current_user, grade, name_vi=form.name_vi.data, name_en=form.name_en.data,
                raises_corrective_action=bool(form.raises_corrective_action.data),
                requires_root_cause=bool(form.requires_root_cause.data),
                requires_effectiveness_evidence=bool(form.requires_effectiveness_evidence.data),
                effectiveness_check_days=form.effectiveness_check_days.data,
                corrective_action_days=form.corrective_action_days.data,
                expected_version=form.version.data)
        except DomainError as error:
            return form_error(form, error, FORM, grade=grade)
        flash(_("Grade saved."), "success")
        return redirect(url_for("audits.grades.grades"))
    return render_form(FORM, form, grade=grade)
