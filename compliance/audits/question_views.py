"""The question bank pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from compliance.audits import questions
from compliance.audits.forms import QuestionForm
from compliance.audits.models import Question
from compliance.auth.permissions import require
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.org import clauses

bp = Blueprint("questions", __name__, url_prefix="/audits/questions")


def _form(question=None) -> QuestionForm:
    form = QuestionForm(obj=question)
    locale = str(get_locale())
    form.clause_id.choices = [(c.id, f"{c.number} {c.title(locale)}")
                              for c in clauses.all_clauses()]
    return form


@bp.get("/")
@require("audits.questions")
def index():
    """Every question, by clause."""
    return render_template("audits/questions.html", questions=questions.bank(), form=_form())


@bp.post("/")
@require("audits.questions")
def create():
    """Add a question to the bank."""
    return _save(None, _form())


@bp.route("/<int:question_id>", methods=["GET", "POST"])
@require("audits.questions")
def edit(question_id: int):
    """Change or retire a question."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound(_("No such question."))
    form = _form(question)
    if not form.is_submitted():
        return render_template("audits/question_form.html", form=form, question=question)
    return _save(question, form)


def _save(question, form):
    if form.validate_on_submit():
        try:
            questions.save_question(current_user, question, clause_id=form.clause_id.data,
                                    text_vi=form.text_vi.data, text_en=form.text_en.data,
                                    active=bool(form.active.data))
        except DomainError as error:
            form.text_vi.errors.append(error.message)
        else:
            flash(_("Question saved."), "success")
            return redirect(url_for("questions.index"))
    return render_template("audits/question_form.html", form=form, question=question), 400


grades_bp = Blueprint("grades", __name__, url_prefix="/audits/grades")


@grades_bp.get("/")
@require("audits.grades")
def grades():
    """Finding grades and their rules."""
    from compliance.audits import grades as grade_rules

    return render_template("audits/grades.html", grades=grade_rules.all_grades())


@grades_bp.route("/<grade_code>", methods=["GET", "POST"])
@require("audits.grades")
def edit_grade(grade_code: str):
    """Change a grade's names and closure rules."""
    from compliance.audits import grades as grade_rules
    from compliance.audits.forms import GradeForm
    from compliance.audits.models import FindingGrade

    grade = db.session.get(FindingGrade, grade_code[:16])
    if grade is None:
        raise NotFound(_("Unknown grade."))
    form = GradeForm(obj=grade)
    if form.validate_on_submit():
        try:
            grade_rules.update_grade(
                current_user, grade, name_vi=form.name_vi.data, name_en=form.name_en.data,
                raises_corrective_action=bool(form.raises_corrective_action.data),
                requires_root_cause=bool(form.requires_root_cause.data),
                requires_effectiveness_evidence=bool(form.requires_effectiveness_evidence.data),
                effectiveness_check_days=form.effectiveness_check_days.data)
        except DomainError as error:
            form.effectiveness_check_days.errors.append(error.message)
        else:
            flash(_("Grade saved."), "success")
            return redirect(url_for("grades.grades"))
    status = 400 if form.is_submitted() else 200
    return render_template("audits/grade_form.html", form=form, grade=grade), status
