"""Importing values from a CSV file: upload, preview (nothing written), confirm."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.quality.measures import queries, rules, services
from compliance.quality.measures.forms import ConfirmForm, ImportForm
from compliance.quality.measures.labels import IMPORT_STATE_LABELS
from compliance.quality.measures.services.imports import COLUMNS
from compliance.quality.measures.web.blueprint import LABELS, bp

FORM = "quality/measures/import.html"


def _ensure_may_import() -> None:
    # Asked again by the service; here so that the form itself is refused too.
    rules.ensure(rules.may_import(current_user, queries.records_some(current_user)),
                 _("Only those who record or manage measures import values."))


def _context() -> dict:
    return {"columns": COLUMNS, "imports": queries.imports_of(current_user),
            "states": IMPORT_STATE_LABELS, **LABELS}


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_values():
    """Upload a CSV of values; the next page shows what would be written."""
    _ensure_may_import()
    form = ImportForm()
    if not form.validate_on_submit():
        return render_form(FORM, form, **_context())
    try:
        upload = services.upload(current_user, form.file.data.stream, form.file.data.filename,
                                 clock.today())
    except DomainError as error:
        return form_error(form, error, FORM, **_context())
    return redirect(url_for("quality.measures.preview", import_id=upload.id))


@bp.get("/imports/<int:import_id>")
@login_required
def preview(import_id: int):
    """Every row that would be written and every row refused, with the reason."""
    upload = services.get_import(current_user, import_id)
    shown = services.preview(upload, clock.today()) if upload.status == "previewed" else None
    return render_template("quality/measures/preview.html", upload=upload, preview=shown,
                           form=ConfirmForm(formdata=None), states=IMPORT_STATE_LABELS,
                           may_confirm=rules.may_confirm_import(current_user, upload),
                           **LABELS)


@bp.post("/imports/<int:import_id>/confirm")
@login_required
def confirm(import_id: int):
    """Write the previewed rows, all in this one transaction, or none."""
    upload = services.get_import(current_user, import_id, for_update=True)
    written = services.confirm(current_user, upload, clock.today())
    flash(ngettext("%(num)d value written.", "%(num)d values written.", written), "success")
    return redirect(url_for("quality.measures.index"))
