"""Management reviews (clause 9.3): list, record, actions, and the input pack as PDF."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from compliance.auth.models import User
from compliance.auth.permissions import can, require
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.reports import pdfs, queries, services
from compliance.reports.forms import (
    ACTION_LABELS,
    LANGUAGES,
    ActionForm,
    ActionUpdateForm,
    ReviewForm,
)
from compliance.reports.models import ManagementReview
from compliance.reports.pdfs import pdf_language
from compliance.reports.periods import parse_period, previous_half_year

bp = Blueprint("reviews", __name__, url_prefix="/management-reviews")


def _action_form() -> ActionForm:
    form = ActionForm()
    form.owner_id.choices = [(u.id, u.name) for u in db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.name))]
    return form


@bp.get("/")
@require("reviews.read")
def index():
    """Reviews held, newest first, and the form for an input pack."""
    reviews = db.session.scalars(select(ManagementReview)
                                 .order_by(ManagementReview.held_on.desc())).all()
    half = previous_half_year(clock.today())
    return render_template("reports/reviews/index.html", reviews=reviews, default=half,
                           languages=LANGUAGES)


@bp.route("/new", methods=["GET", "POST"])
@require("reviews.manage")
def create():
    """Record a management review meeting."""
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            review = services.create_review(
                current_user, held_on=form.held_on.data, period_start=form.period_start.data,
                period_end=form.period_end.data, chair=form.chair.data,
                summary=form.summary.data)
        except DomainError as error:
            db.session.rollback()
            form.period_end.errors.append(error.message)
        else:
            flash(_("Management review recorded."), "success")
            return redirect(url_for("reviews.detail", review_id=review.id))
    status = 400 if form.is_submitted() else 200
    return render_template("reports/reviews/form.html", form=form), status


@bp.get("/<int:review_id>")
@require("reviews.read")
def detail(review_id: int):
    """A review with its actions."""
    review = services.get_review(review_id)
    manager = can(current_user, "reviews.manage")
    return render_template("reports/reviews/detail.html", review=review, manager=manager,
                           form=_action_form() if manager else None,
                           update=ActionUpdateForm(formdata=None), states=ACTION_LABELS)


@bp.post("/<int:review_id>/actions")
@require("reviews.manage")
def add_action(review_id: int):
    """Add an action decided by the review."""
    review = services.get_review(review_id)
    form = _action_form()
    if not form.validate_on_submit():
        db.session.rollback()
        return render_template("reports/reviews/detail.html", review=review, manager=True,
                               form=form, update=ActionUpdateForm(formdata=None),
                               states=ACTION_LABELS), 400
    services.add_action(current_user, review, description=form.description.data,
                        owner_id=form.owner_id.data, due_on=form.due_on.data)
    flash(_("Action added."), "success")
    return redirect(url_for("reviews.detail", review_id=review.id) + "#actions")


@bp.post("/<int:review_id>/actions/<int:action_id>")
@require("reviews.manage")
def update_action(review_id: int, action_id: int):
    """Record progress on an action, or end it."""
    review = services.get_review(review_id)
    action = services.get_action(review, action_id)
    form = ActionUpdateForm()
    if not form.validate_on_submit():
        raise DomainError(" ".join(str(e) for f in form for e in f.errors)
                          or _("The form is incomplete."))
    services.update_action(current_user, action, status=form.status.data,
                           outcome_note=form.outcome_note.data, today=clock.today())
    flash(_("Action updated."), "success")
    return redirect(url_for("reviews.detail", review_id=review.id) + "#actions")


def _day(name: str, default: date) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(_("Write dates as YYYY-MM-DD.")) from None


@bp.get("/input-pack.pdf")
@require("reviews.read")
def input_pack():
    """The input pack for the period asked for (by default the last half-year)."""
    lang = pdf_language()
    half = previous_half_year(clock.today())
    period = parse_period(_day("start", half.start), _day("end", half.end))
    pack = queries.input_pack(period)
    name = f"management-review-input-{period.start}-{period.end}-{lang}.pdf"
    return Response(pdfs.input_pack(pack, lang), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
