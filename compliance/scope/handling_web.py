"""The on-time handling of procedures: the child blueprint `scope.handling` at
/scope/handling/ – the rates per procedure and per department (readers of the scope) and
the monthly import of the one-stop-shop software's CSV export (coordinators)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.scope import handling, handling_queries, rules
from compliance.scope.forms import HandlingImportForm
from compliance.scope.models import ScopeEntry

bp = Blueprint("handling", __name__, url_prefix="/handling")
PAGE = "scope/handling.html"


def _context(form: HandlingImportForm, wrong_lines=()) -> dict:
    today = clock.today()
    entries = db.session.scalars(rules.visible_entries(current_user, select(ScopeEntry).where(
        ScopeEntry.kind == "procedure")).order_by(ScopeEntry.name)).all()
    totals = handling_queries.by_procedure(today)
    months = handling_queries.window(today)
    return {"form": form, "entries": entries, "totals": totals,
            "departments": handling_queries.by_department(entries, totals),
            "first_month": months[0], "last_month": months[-1], "columns": handling.COLUMNS,
            "may_manage": rules.may_manage_scope(current_user), "wrong_lines": wrong_lines}


@bp.get("/", endpoint="index")
@login_required
def index():
    """Each procedure's and department's on-time rate over the last twelve months."""
    rules.ensure_read(current_user)
    return render_template(PAGE, **_context(HandlingImportForm(formdata=None)))


@bp.post("/import", endpoint="import_months")
@login_required
def import_months():
    """Import a month (or months) of the one-stop-shop export: every line, or none."""
    rules.ensure_manage(current_user)
    form = HandlingImportForm()
    if not form.validate_on_submit():
        return render_template(PAGE, **_context(form)), 400
    try:
        months = handling.import_months(current_user, form.file.data.stream,
                                        form.file.data.filename, replace=form.replace.data,
                                        today=clock.today())
    except handling.LinesRefused as error:
        form.file.errors = [error.message]
        return render_template(PAGE, **_context(form, error.lines)), 400
    except DomainError as error:
        if error.status in (403, 404):
            raise
        # A month imported before (409) is answered at its tick box, like a wrong file.
        field = form._fields.get(error.field or "file", form.file)
        field.errors = [*field.errors, error.message]
        return render_template(PAGE, **_context(form)), error.status
    flash(_("Imported: %(months)s.", months=", ".join(months)), "success")
    return redirect(url_for("scope.handling.index"))
