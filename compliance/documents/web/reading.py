"""Child blueprint `documents.reading`: periodic reviews, obsolescence, my reading list,
reviews due and the acknowledgement coverage matrix."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.permissions import require
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error
from compliance.documents import queries, rules, services
from compliance.documents.forms import ObsoleteForm, ReviewForm
from compliance.documents.services import reviews
from compliance.documents.web.pages import detail_context
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
def obsolete(document_id: int):
    """Withdraw a document from use."""
    document = services.get_document(document_id, for_update=True)
    rules.ensure(rules.may_obsolete(current_user, document))
    form = ObsoleteForm()
    try:
        if not form.validate_on_submit():
            return render_template(DETAIL, **detail_context(document, obsolete_form=form)), 400
        services.make_obsolete(current_user, document, form.reason.data)
    except DomainError as error:
        return form_error(form, error, DETAIL, **detail_context(document, obsolete_form=form))
    flash(_("Document %(code)s is now obsolete.", code=document.code), "success")
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
    """The revisions the signed-in user still has to acknowledge."""
    return render_template("documents/to_read.html", pending=queries.pending_for(current_user))


@bp.get("/coverage")
@require("documents.coverage")
def coverage():
    """People × documents in force for one department: who has read what."""
    departments = org_queries.departments(active_only=True)
    department_id = request.args.get("department", type=int) or \
        (departments[0].id if departments else None)
    people, revisions, cells = queries.coverage(department_id) if department_id else ([], [], {})
    return render_template("documents/coverage.html", departments=departments,
                           department_id=department_id, people=people, revisions=revisions,
                           cells=cells, locale=str(get_locale()))
