"""The scope register's pages: the list (readers), adding and changing entries (coordinators)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from compliance.audit_trail.readable import history_of
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import form_error, render_form
from compliance.org import queries as org_queries
from compliance.org.labels import NONE_CHOSEN
from compliance.quality.measures.models import Measure
from compliance.scope import announcement_web, handling_web, jobs, rules, services
from compliance.scope.forms import EditEntryForm, EntryForm
from compliance.scope.labels import KIND_LABELS
from compliance.scope.models import ScopeEntry

bp = Blueprint("scope", __name__, url_prefix="/scope")
bp.register_blueprint(announcement_web.bp)
bp.register_blueprint(handling_web.bp)
FORM = "scope/form.html"


@bp.get("/", endpoint="index")
@login_required
def index():
    """The procedures and internal processes the quality system covers."""
    rules.ensure_read(current_user)
    entries = db.session.scalars(rules.visible_entries(current_user, select(ScopeEntry))
                                 .order_by(ScopeEntry.kind, ScopeEntry.name)).all()
    return render_template("scope/index.html", entries=entries, kinds=KIND_LABELS,
                           may_manage=rules.may_manage_scope(current_user))


def _choices(form, entry: ScopeEntry | None) -> None:
    locale = str(get_locale())
    form.department_id.choices = org_queries.department_choices(
        locale, blank=NONE_CHOSEN, keep=entry.department_id if entry else None)
    form.process_id.choices = [(0, NONE_CHOSEN)] + [
        (p.id, f"{p.code} — {p.name(locale)}") for p in org_queries.processes()]
    form.measure_id.choices = [(0, NONE_CHOSEN)] + [
        (m.id, f"{m.code} — {m.name(locale)}") for m in db.session.scalars(
            select(Measure).where(or_(Measure.active, Measure.id == (
                entry.measure_id if entry else None))).order_by(Measure.code))]
    form.document_ids.choices = org_queries.document_choices(
        locale, keep=[d.id for d in entry.documents] if entry else ())


@bp.route("/new", methods=["GET", "POST"], endpoint="create")
@login_required
def create():
    """Bring a procedure or internal process into the scope."""
    rules.ensure_manage(current_user)
    form = EntryForm()
    _choices(form, None)
    if not form.validate_on_submit():
        return render_form(FORM, form, entry=None)
    try:
        services.add_entry(current_user, **form.values())
    except DomainError as error:
        return form_error(form, error, FORM, entry=None)
    flash(_("Saved."), "success")
    return redirect(url_for("scope.index"))


@bp.route("/<int:entry_id>", methods=["GET", "POST"], endpoint="edit")
@login_required
def edit(entry_id: int):
    """One entry: what it says, its history, and (for coordinators) its form."""
    rules.ensure_read(current_user)
    entry = services.get_entry(current_user, entry_id)
    history = history_of("scope_entry", entry.id, limit=100)
    form = EditEntryForm(obj=entry)
    _choices(form, entry)
    if not form.is_submitted():
        form.version.data = entry.version
        form.department_id.data = entry.department_id or 0
        form.process_id.data = entry.process_id or 0
        form.measure_id.data = entry.measure_id or 0
        form.document_ids.data = [d.id for d in entry.documents]
        return render_form(FORM, form, entry=entry, history=history, kinds=KIND_LABELS,
                           may_manage=rules.may_manage_scope(current_user))
    rules.ensure_manage(current_user)
    context = {"entry": entry, "history": history, "may_manage": True}
    if not form.validate():
        return render_form(FORM, form, **context)
    try:
        services.edit_entry(current_user, entry, form.version.data,
                            in_scope=form.in_scope.data, **form.values())
    except DomainError as error:
        return form_error(form, error, FORM, **context)
    flash(_("Saved."), "success")
    return redirect(url_for("scope.edit", entry_id=entry.id))


def register(app) -> None:
    """Mount the scope register's pages, what the menu asks of its rules, and its job."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {
        "may_read_scope": lambda: rules.may_read_scope(current_user)})
    jobs.register(app)
