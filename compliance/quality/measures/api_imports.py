"""The CSV import of measure values under /api/v1/measures/imports, in the page's two steps:
the file uploaded and previewed (every row that would be written, every row refused with
its reason; nothing written), then confirmed by its uploader (all the previewed rows in one
transaction, or none if anything changed since)."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from compliance.api import BEARER, json_errors
from compliance.api.guards import rules_first
from compliance.api.multipart import Blueprint
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.quality.measures import queries, rules, services
from compliance.quality.measures.models import MeasureImport
from compliance.quality.measures.schemas import ImportFile, ImportSchema

bp = Blueprint("api_measure_imports", __name__, url_prefix="/measures/imports",
               description="The CSV import of measure values: a preview, then a "
                           "confirmation.")
json_errors(bp)


def _shown(upload: MeasureImport) -> dict:
    """The import, with its preview as its uploader would have it confirmed now."""
    shown = {name: getattr(upload, name) for name in (
        "id", "filename", "file_size", "status", "uploaded_by_id", "uploaded_at",
        "confirmed_at", "rows_written", "rows_refused")}
    if upload.status == "previewed":
        preview = services.preview(upload, clock.today())
        shown.update(rows=preview.rows, refused=preview.refused)
    return shown


def _importers_only() -> None:
    # Asked again by the service, as on the page: the form itself is refused too.
    rules.ensure(rules.may_import(current_user, queries.records_some(current_user)),
                 _("Only those who record or manage measures import values."))


@bp.route("/")
class Imports(MethodView):
    """The imports of values."""

    @rules_first(_importers_only)
    @bp.arguments(ImportFile, location="form_and_files")
    @bp.response(201, ImportSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def post(self, form: dict):
        """Upload a CSV of values (columns measure, period, value, received, on_time,
        late, note) as the import page does: the answer previews every row that would be
        written and every row refused, with its reason; nothing is written yet."""
        upload = form["file"]
        if not isinstance(upload, FileStorage):  # a text field named file, not a file
            raise DomainError(_("Choose a CSV file."), field="file")
        made = services.upload(current_user, upload.stream, upload.filename or "",
                               clock.today())
        return _shown(made), 201


@bp.route("/<int:import_id>")
class ImportOne(MethodView):
    """One import."""

    @bp.response(200, ImportSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def get(self, import_id: int):
        """Read an import (its uploader's, or any for a coordinator), with its preview
        while it waits for confirmation."""
        return _shown(services.get_import(current_user, import_id))


def _confirmers_only(import_id: int) -> None:
    rules.ensure(rules.may_confirm_import(current_user, services.get_import(
        current_user, import_id)), _("Only the person who uploaded the file confirms its "
                                     "import."))


@bp.route("/<int:import_id>/confirm")
class Confirm(MethodView):
    """The import written."""

    @rules_first(_confirmers_only)
    @bp.response(200, ImportSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def post(self, import_id: int):
        """Write the previewed rows, as the uploader does on the preview page: all in one
        transaction, or none (409) if a value was recorded or a measure changed since the
        preview."""
        upload = services.get_import(current_user, import_id, for_update=True)
        services.confirm(current_user, upload, clock.today())
        return _shown(upload)
