"""Periodic reviews, obsolescence, my reading list and the acknowledgement coverage matrix."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.permissions import ensure, require
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.documents import queries, reading, services
from compliance.documents.forms import ObsoleteForm, ReviewForm
from compliance.org import queries as org_queries

bp = Blueprint("reading", __name__, url_prefix="/documents")


@bp.post("/<int:document_id>/review")
@login_required
def review(document_id: int):
    """Record a periodic review of a document."""
    document = services.get_document(document_id, for_update=True)
    reading.ensure_may_review(current_user, document)
    form = ReviewForm()
    if not form.validate_on_submit():
        raise DomainError(_("Choose the outcome and write a comment."))
    reading.record_review(current_user, document, outcome=form.outcome.data,
                          comment=form.comment.data, today=clock.today())
    flash(_("Review recorded."), "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.post("/<int:document_id>/obsolete")
@login_required
def obsolete(document_id: int):
    """Withdraw a document from use."""
    document = services.get_document(document_id, for_update=True)
    ensure(current_user, "documents.manage")
    form = ObsoleteForm()
    if not form.validate_on_submit():
        raise DomainError(_("Give the reason why the document is withdrawn."))
    services.make_obsolete(current_user, document, form.reason.data)
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
    return render_template("documents/to_read.html", pending=reading.pending_for(current_user))


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
