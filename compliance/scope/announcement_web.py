"""The announcements of conformity: the list, the draft (coordinators), the signature (the
person named to sign) and the issued PDF (readers of the scope)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.audit_trail.readable import history_of
from compliance.auth.reauth import attempt_limit
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import attachment, form_error, render_form
from compliance.core.storage import get_store
from compliance.org import queries as org_queries
from compliance.org.labels import NONE_CHOSEN
from compliance.scope import announcements, rules
from compliance.scope.announcement_forms import (
    AnnouncementForm,
    DraftForm,
    SignAnnouncementForm,
)
from compliance.scope.models import Announcement
from compliance.scope.pdf import render_announcement

bp = Blueprint("announcements", __name__, url_prefix="/announcements")
PAGE = "scope/announcement.html"


@bp.get("/", endpoint="index")
@login_required
def index():
    """Every announcement, the last first, and whether a new one is due."""
    rules.ensure_read(current_user)
    rows = db.session.scalars(rules.visible_announcements(current_user, select(Announcement))
                              .order_by(Announcement.id.desc())).all()
    return render_template("scope/announcements.html", rows=rows, form=DraftForm(),
                           due=announcements.new_announcement_due(current_user),
                           may_manage=rules.may_manage_scope(current_user))


@bp.post("/new", endpoint="draft")
@login_required
def draft():
    """Draft a decision from the scope."""
    rules.ensure_manage(current_user)
    if not DraftForm().validate_on_submit():
        return redirect(url_for("scope.announcements.index"))
    row = announcements.draft(current_user)
    return redirect(url_for("scope.announcements.page", announcement_id=row.id))


def _context(row: Announcement, form=None, sign_form=None) -> dict:
    if form is None:
        form = AnnouncementForm(obj=row, formdata=None)
        form.version.data = row.version
        form.signer_id.data = row.signer_id or 0
    form.signer_id.choices = [(0, NONE_CHOSEN)] + [
        (u.id, u.name) for u in org_queries.active_users()]
    if sign_form is None:
        sign_form = SignAnnouncementForm(formdata=None)
        sign_form.version.data = row.version
    return {"row": row, "form": form, "sign_form": sign_form,
            "annex": announcements.annex_rows(current_user) if row.state == "draft" else None,
            "may_manage": rules.may_manage_scope(current_user) and row.state == "draft",
            "may_sign": row.state == "draft" and row.signer_id == current_user.id,
            "history": history_of("scope_announcement", row.id, limit=100)}


@bp.route("/<int:announcement_id>", methods=["GET", "POST"], endpoint="page")
@login_required
def page(announcement_id: int):
    """One announcement; its draft is changed here."""
    row = announcements.get_announcement(current_user, announcement_id)
    rules.ensure_open_announcement(current_user, row)
    form = AnnouncementForm()
    if not form.is_submitted():
        return render_template(PAGE, **_context(row))
    rules.ensure_manage(current_user)
    context = _context(row, form)
    if not form.validate():
        return render_form(PAGE, form, **{k: v for k, v in context.items() if k != "form"})
    try:
        announcements.edit(current_user, row, form.version.data,
                           signer_id=form.signer_id.data or None, **form.texts())
    except DomainError as error:
        return form_error(form, error, PAGE, **{k: v for k, v in context.items()
                                                 if k != "form"})
    flash(_("Saved."), "success")
    return redirect(url_for("scope.announcements.page", announcement_id=row.id))


@bp.post("/<int:announcement_id>/sign", endpoint="sign")
@login_required
@attempt_limit("scope_announcement.sign", "scope_announcement", "announcement_id")
def sign(announcement_id: int):
    """Sign and issue the decision with the password again."""
    row = announcements.get_announcement(current_user, announcement_id)
    rules.ensure_open_announcement(current_user, row)
    announcements.ensure_signer(current_user, row)
    form = SignAnnouncementForm()
    context = {k: v for k, v in _context(row, sign_form=form).items() if k != "form"}
    if not form.validate_on_submit():
        return render_template(PAGE, form=_context(row)["form"], **context), 400
    try:
        announcements.sign(current_user, row, form.version.data, credential=form.password.data,
                           today=clock.today())
    except DomainError as error:
        if error.field != "password":
            raise
        form.password.errors = [error.message]
        return render_template(PAGE, form=_context(row)["form"], **context), error.status
    flash(_("The decision is signed and issued."), "success")
    return redirect(url_for("scope.announcements.page", announcement_id=row.id))


@bp.get("/<int:announcement_id>/pdf", endpoint="pdf")
@login_required
def pdf(announcement_id: int):
    """The issued decision as stored; a draft as it would be issued today."""
    row = announcements.get_announcement(current_user, announcement_id)
    rules.ensure_open_announcement(current_user, row)
    stem = f"quyet-dinh-cong-bo-{row.number or 'du-thao'}"
    if row.pdf_sha256:
        return attachment(get_store().open(row.pdf_sha256), "pdf", stem)
    data = render_announcement(row, row.signer.name if row.signer else "",
                               annex=announcements.annex_rows(current_user))
    return attachment(data, "pdf", stem)
