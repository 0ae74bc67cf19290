"""Management reviews (clause 9.3): list, record, actions, and the input pack as PDF.

The child blueprint `reports.reviews` (endpoints `reports.reviews.detail` ...), at
/management-reviews/.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.reports import pdfs, queries, rules, services
from compliance.reports.forms import ActionForm, ActionUpdateForm, ReviewForm
from compliance.reports.labels import ACTION_LABELS, LANGUAGES
from compliance.reports.periods import parse_period, previous_half_year
from compliance.reports.web.args import day_argument, pdf_language

bp = Blueprint("reviews", __name__, url_prefix="/management-reviews")
DETAIL = "reports/reviews/detail.html"


def _action_form() -> ActionForm:
    form = ActionForm()
    form.owner_id.choices = queries.owner_choices()
    return form


@bp.get("/")
@login_required
def index():
    """Reviews held, newest first, and the form for an input pack."""
    rules.ensure(rules.may_read_reviews(current_user))
    half = previous_half_year(clock.today())
    return render_template("reports/reviews/index.html", reviews=queries.reviews(),
                           default=half, languages=LANGUAGES,
                           actions=rules.allowed_actions(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Record a management review meeting."""
    rules.ensure(rules.may_manage_reviews(current_user))
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            review = services.create_review(
                current_user, held_on=form.held_on.data, period_start=form.period_start.data,
                period_end=form.period_end.data, chair=form.chair.data,
                summary=form.summary.data)
        except DomainError as error:
            return form_error(form, error, "reports/reviews/form.html")
        flash(_("Management review recorded."), "success")
        return redirect(url_for("reports.reviews.detail", review_id=review.id))
    return render_form("reports/reviews/form.html", form)


def _detail(review, form: ActionForm | None = None, update: ActionUpdateForm | None = None,
            failed_action_id: int | None = None) -> dict:
    """The detail page's context; a refused form comes back with its input and errors.

    The page names its forms `add_form` and `update`, so that `form_error` may pass either
    as `form` without the other being lost."""
    actions = rules.allowed_actions(current_user, review)
    if form is None and "add_action" in actions:
        form = _action_form()
    return {"review": review,
            "add_form": form, "update": update or ActionUpdateForm(formdata=None),
            "blank_update": ActionUpdateForm(formdata=None),
            "failed_action_id": failed_action_id, "states": ACTION_LABELS,
            "actions": actions,
            "action_actions": {a.id: rules.allowed_actions(current_user, a)
                               for a in review.actions}}


@bp.get("/<int:review_id>")
@login_required
def detail(review_id: int):
    """A review with its actions."""
    return render_template(DETAIL, **_detail(services.get_review(current_user, review_id)))


@bp.post("/<int:review_id>/actions")
@login_required
def add_action(review_id: int):
    """Add an action decided by the review."""
    review = services.get_review(current_user, review_id)
    rules.ensure(rules.may_manage_reviews(current_user))
    form = _action_form()
    if not form.validate_on_submit():
        return render_template(DETAIL, **_detail(review, form=form)), 400
    try:
        services.add_action(current_user, review, description=form.description.data,
                            owner_id=form.owner_id.data, due_on=form.due_on.data)
    except DomainError as error:
        return form_error(form, error, DETAIL, **_detail(review, form=form))
    flash(_("Action added."), "success")
    return redirect(url_for("reports.reviews.detail", review_id=review.id) + "#actions")


@bp.post("/<int:review_id>/actions/<int:action_id>")
@login_required
def update_action(review_id: int, action_id: int):
    """Record progress on an action, or end it."""
    review = services.get_review(current_user, review_id)
    rules.ensure(rules.may_manage_reviews(current_user))
    action = services.get_action(review, action_id)
    form = ActionUpdateForm()
    context = _detail(review, update=form, failed_action_id=action.id)
    if not form.validate_on_submit():
        return render_template(DETAIL, **context), 400
    try:
        services.update_action(current_user, action, status=form.status.data,
                               outcome_note=form.outcome_note.data, today=clock.today(),
                               expected_version=form.version.data)
    except DomainError as error:
        return form_error(form, error, DETAIL, **context)
    flash(_("Action updated."), "success")
    return redirect(url_for("reports.reviews.detail", review_id=review.id) + "#actions")


@bp.get("/input-pack.pdf")
@login_required
def input_pack():
    """The input pack for the period asked for (by default the last half-year)."""
    rules.ensure(rules.may_read_reviews(current_user))
    lang = pdf_language()
    half = previous_half_year(clock.today())
    period = parse_period(day_argument("start", half.start), day_argument("end", half.end))
    pack = queries.input_pack(period, clock.today())
    name = f"management-review-input-{period.start}-{period.end}-{lang}.pdf"
    return Response(pdfs.input_pack(pack, lang, current_user.name), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
