"""Child blueprint `documents.reading`: periodic reviews, obsolescence and reinstatement,
my reading list,
reviews due, the acknowledgement coverage matrix, and my copies of superseded revisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.permissions import require
from compliance.auth.reauth import attempt_limit
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error
from compliance.documents import queries, reading, rules, services
from compliance.documents.forms import ObsoleteForm, RecallAnswerForm, ReinstateForm, ReviewForm
from compliance.documents.labels import RECALL_ANSWER_LABELS
from compliance.documents.services import acknowledgements, recalls, reviews
from compliance.documents.web.pages import at_field, detail_context
from compliance.org import queries as org_queries

bp = Blueprint("reading", __name__)
DETAIL = "documents/detail.html"


@bp.post("/<int:document_id>/review")
@login_required
def review(document_id: int):
    """Record a periodic review of a document; a refusal shows the document page again with
    the message at the field and the comment kept."""
    document = services.get_document(document_id, for_update=True)
    rules.ensure_review(current_user, document)
    form = ReviewForm()
    try:
        if not form.validate_on_submit():
            return render_template(DETAIL, **detail_context(document, review_form=form)), 400
        reviews.record_review(current_user, document, outcome=form.outcome.data,
                              comment=form.comment.data, today=clock.today())
    except DomainError as error:
        return form_error(form, error, DETAIL, **detail_context(document, review_form=form))
    flash(_("Review recorded."), "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.post("/<int:document_id>/obsolete")
@login_required
@attempt_limit("document.obsolete", "document", "document_id")
def obsolete(document_id: int):
    """Withdraw a document from use: reason and signature (password again)."""
    document = services.get_document(document_id, for_update=True)
    rules.ensure(rules.may_obsolete(current_user, document))
    form = ObsoleteForm()
    try:
        if not form.validate_on_submit():
            return render_template(DETAIL, **detail_context(document, obsolete_form=form)), 400
        services.make_obsolete(current_user, document, form.version.data,
                               reason=form.reason.data, credential=form.password.data)
    except DomainError as error:
        return form_error(form, at_field(error), DETAIL,
                          **detail_context(document, obsolete_form=form))
    flash(_("Document %(code)s is now obsolete.", code=document.code), "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.post("/<int:document_id>/reinstate")
@login_required
@attempt_limit("document.reinstate", "document", "document_id")
def reinstate(document_id: int):
    """Bring an obsolete document back into use: reason and signature (password again)."""
    document = services.get_document(document_id, for_update=True)
    rules.ensure(rules.may_reinstate(current_user, document))
    form = ReinstateForm()
    try:
        if not form.validate_on_submit():
            return render_template(DETAIL, **detail_context(document, reinstate_form=form)), 400
        services.reinstate_document(current_user, document, form.version.data,
                                    reason=form.reason.data, credential=form.password.data,
                                    today=clock.today())
    except DomainError as error:
        return form_error(form, at_field(error), DETAIL,
                          **detail_context(document, reinstate_form=form))
    flash(_("Document %(code)s is back in use.", code=document.code), "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.get("/reviews")
@login_required
def reviews_due():
    """Documents whose periodic review is due within 30 days or overdue."""
    today = clock.today()
    return render_template("documents/reviews.html", today=today,
                           documents=queries.reviews_due(current_user, today))


@bp.get("/to-read")
@login_required
def to_read():
    """The revisions the signed-in user still has to acknowledge (and whether each was
    opened: the button waits for that where the organisation requires it)."""
    pending = queries.pending_for(current_user)
    opened = reading.opened({a.revision_id for a in pending}, {current_user.id})
    return render_template("documents/to_read.html", pending=pending, opened=opened,
                           must_open=rules.reading_requires_opening(),
                           open_first=acknowledgements.open_first_message())


OLD_COPIES = "documents/old_copies.html"


def _old_copies_page(form=None, sent_id: int | None = None) -> dict:
    return {"recalls": reading.recalls_for(current_user), "sent_form": form, "sent_id": sent_id,
            "blank": RecallAnswerForm(formdata=None), "answer_labels": RECALL_ANSWER_LABELS}


@bp.get("/old-copies")
@login_required
def old_copies():
    """My controlled copies of superseded revisions: destroy or return each, and say so."""
    return render_template(OLD_COPIES, **_old_copies_page())


@bp.post("/old-copies/<int:recall_id>")
@login_required
def answer_copy(recall_id: int):
    """Record what I did with a copy of a superseded revision (destroyed or returned)."""
    recall = recalls.get_recall(current_user, recall_id, for_update=True)
    form = RecallAnswerForm()
    if not form.validate_on_submit():
        return render_template(OLD_COPIES, form=form, **_old_copies_page(form, recall.id)), 400
    try:
        recalls.answer_recall(current_user, recall, answer=form.answer.data,
                              note=form.note.data)
    except DomainError as error:
        return form_error(form, error, OLD_COPIES, **_old_copies_page(form, recall.id))
    flash(_("Your answer about revision %(label)s of %(code)s is recorded.",
            label=recall.revision.label, code=recall.revision.document.code), "success")
    return redirect(url_for("documents.reading.old_copies"))


@bp.get("/coverage")
@require("documents.coverage")
def coverage():
    """People × documents in force for one department: who has read what."""
    departments = org_queries.departments(active_only=True)
    department_id = request.args.get("department", type=int) or \
        (departments[0].id if departments else None)
    people, revisions, cells = queries.coverage(department_id) if department_id else ([], [], {})
    opened = reading.opened([r.id for r in revisions], [p.id for p in people])
    return render_template("documents/coverage.html", departments=departments,
                           department_id=department_id, people=people, revisions=revisions,
                           cells=cells, opened=opened, locale=str(get_locale()))
