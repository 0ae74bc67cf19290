"""The question bank pages; endpoints `audits.questions.<view>`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from compliance.audits.forms import QuestionForm
from compliance.audits.services import questions
from compliance.auth.permissions import require
from compliance.core.errors import DomainError
from compliance.core.http import form_error
from compliance.org import clauses

bp = Blueprint("questions", __name__, url_prefix="/questions")
FORM = "audits/question_form.html"


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
    question = questions.get_question(question_id)
    form = _form(question)
    if not form.is_submitted():
        form.version.data = question.version
        return render_template(FORM, form=form, question=question)
    return _save(question, form)


def _save(question, form):
    if not form.validate_on_submit():
        return render_template(FORM, form=form, question=question), 400
    try:
        questions.save_question(current_user, question, clause_id=form.clause_id.data,
                                text_vi=form.text_vi.data, text_en=form.text_en.data,
                                active=bool(form.active.data),
                                expected_version=form.version.data)
    except DomainError as error:
        return form_error(form, error, FORM, question=question)
    flash(_("Question saved."), "success")
    return redirect(url_for("audits.questions.index"))
