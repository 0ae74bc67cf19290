"""The context of the organisation: issues (4.1) and interested parties (4.2), the child
blueprint `quality.context` (read by coordinators, auditors and department heads, kept by
coordinators: see rules.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audit_trail.readable import history_of
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.quality.objectives import queries, rules, services
from compliance.quality.objectives.forms import (
    EditIssueForm,
    EditPartyForm,
    IssueForm,
    PartyForm,
    ReviewedForm,
)
from compliance.quality.objectives.labels import CONTEXT_STATE_LABELS, ISSUE_KIND_LABELS

bp = Blueprint("context", __name__, url_prefix="/context")
FORM = "quality/context/form.html"
RECORD = "quality/context/record.html"
LABELS = {"kinds": ISSUE_KIND_LABELS, "states": CONTEXT_STATE_LABELS}
# Per kind of record: its entity name, loader, forms and service verbs.
KINDS = {
    "issue": {"entity": "context_issue", "get": services.get_issue, "new": IssueForm,
              "edit": EditIssueForm, "create": services.create_issue,
              "update": services.edit_issue,
              "fields": ("kind", "description", "effect", "review_on")},
    "party": {"entity": "interested_party", "get": services.get_party, "new": PartyForm,
              "edit": EditPartyForm, "create": services.create_party,
              "update": services.edit_party,
              "fields": ("name_vi", "name_en", "requirements", "review_on")},
}


@bp.get("/", endpoint="index")
@login_required
def index():
    """The issues, internal and external, and the interested parties, with review dates."""
    rules.ensure_read_context(current_user)
    return render_template("quality/context/index.html", issues=queries.context_issues(),
                           parties=queries.interested_parties(), today=clock.today(),
                           actions=rules.allowed_on_context(current_user), **LABELS)


def _fields(kind: str, form) -> dict:
    return {name: getattr(form, name).data for name in KINDS[kind]["fields"]}


def _create(kind: str):
    rules.ensure_manage_context(current_user)
    form = KINDS[kind]["new"]()
    if not form.validate_on_submit():
        return render_form(FORM, form, kind=kind, row=None)
    try:
        row = KINDS[kind]["create"](current_user, today=clock.today(), **_fields(kind, form))
    except DomainError as error:
        return form_error(form, error, FORM, kind=kind, row=None)
    flash(_("Saved."), "success")
    return redirect(url_for(f"quality.context.{kind}", **{f"{kind}_id": row.id}))


def _page(kind: str, row, sent: dict | None = None):
    """The record's page: what it says, its history, and (for coordinators) its forms."""
    forms = {"edit": KINDS[kind]["edit"](formdata=None, obj=row),
             "reviewed": ReviewedForm(formdata=None)}
    forms["edit"].version.data = forms["reviewed"].version.data = row.version
    forms.update(sent or {})
    return dict(kind=kind, row=row, forms=forms, today=clock.today(),
                actions=rules.allowed_on_context(current_user),
                history=history_of(KINDS[kind]["entity"], row.id, limit=100)
                if rules.may_see_context_history(current_user) else None, **LABELS)


def _show(kind: str, row_id: int):
    rules.ensure_read_context(current_user)
    return render_template(RECORD, **_page(kind, KINDS[kind]["get"](row_id)))


def _edit(kind: str, row_id: int):
    rules.ensure_manage_context(current_user)
    row = KINDS[kind]["get"](row_id, for_update=True)
    form = KINDS[kind]["edit"]()
    if not form.validate_on_submit():
        return render_template(RECORD, **_page(kind, row, {"edit": form})), 400
    try:
        KINDS[kind]["update"](current_user, row, status=form.status.data, today=clock.today(),
                              expected_version=form.version.data, **_fields(kind, form))
    except DomainError as error:
        return form_error(form, error, RECORD, **_page(kind, row, {"edit": form}))
    flash(_("Saved."), "success")
    return redirect(url_for(f"quality.context.{kind}", **{f"{kind}_id": row.id}))


def _reviewed(kind: str, row_id: int):
    rules.ensure_manage_context(current_user)
    row = KINDS[kind]["get"](row_id, for_update=True)
    form = ReviewedForm()
    if not form.validate_on_submit():
        return render_template(RECORD, **_page(kind, row, {"reviewed": form})), 400
    try:
        services.mark_reviewed(current_user, row, next_review_on=form.next_review_on.data,
                               today=clock.today(), expected_version=form.version.data)
    except DomainError as error:
        return form_error(form, error, RECORD, **_page(kind, row, {"reviewed": form}))
    flash(_("Review recorded."), "success")
    return redirect(url_for(f"quality.context.{kind}", **{f"{kind}_id": row.id}))


@bp.route("/issues/new", methods=["GET", "POST"])
@login_required
def create_issue():
    """Record an internal or external issue."""
    return _create("issue")


@bp.get("/issues/<int:issue_id>")
@login_required
def issue(issue_id: int):
    """One issue, its history and (for coordinators) its forms."""
    return _show("issue", issue_id)


@bp.post("/issues/<int:issue_id>/edit")
@login_required
def edit_issue(issue_id: int):
    """Change an issue, or say it is no longer relevant."""
    return _edit("issue", issue_id)


@bp.post("/issues/<int:issue_id>/reviewed")
@login_required
def review_issue(issue_id: int):
    """Say the issue was reviewed today, and when next."""
    return _reviewed("issue", issue_id)


@bp.route("/parties/new", methods=["GET", "POST"])
@login_required
def create_party():
    """Record an interested party and its requirements."""
    return _create("party")


@bp.get("/parties/<int:party_id>")
@login_required
def party(party_id: int):
    """One interested party, its history and (for coordinators) its forms."""
    return _show("party", party_id)


@bp.post("/parties/<int:party_id>/edit")
@login_required
def edit_party(party_id: int):
    """Change an interested party, or say it is no longer relevant."""
    return _edit("party", party_id)


@bp.post("/parties/<int:party_id>/reviewed")
@login_required
def review_party(party_id: int):
    """Say the party and its requirements were reviewed today, and when next."""
    return _reviewed("party", party_id)
