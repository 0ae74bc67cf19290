"""Process measures under /api/v1/measures: the register (filters, sort, keyset cursor),
a measure defined and changed as its pages do, one measure, its values, and a value
recorded for a period as the measure's page records it (so that the one-stop-shop software
posts its figures), with or without its evidence file; a miss is marked and announced by the
same service."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from compliance.api import BEARER, json_errors, versions
from compliance.api.guards import rules_first, visible_one
from compliance.api.multipart import Blueprint
from compliance.api.pages import list_of, sorted_page
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.org.models import Process
from compliance.quality.measures import rules, services
from compliance.quality.measures.models import Measure, MeasureValue
from compliance.quality.measures.schemas import (
    MeasureChange,
    MeasureCreate,
    MeasureListArgs,
    MeasureSchema,
    ValueListArgs,
    ValueRecord,
    ValueRecordWithFile,
    ValueSchema,
)
from compliance.quality.measures.services.measures import FIELDS

bp = Blueprint("api_measures", __name__, url_prefix="/measures",
               description="Process measures (9.1.1) and their values, one per period.")
json_errors(bp)


def _measure(measure_id: int, for_update: bool = False) -> Measure:
    """A measure the caller may read (404 for one they may not know of)."""
    found = visible_one(rules.visible_measures(current_user, select(Measure).where(
        Measure.id == measure_id)), _("No such measure."))
    return services.get(measure_id, for_update=True) if for_update else found


def _creators_only() -> None:
    rules.ensure(rules.may_create_any(current_user),
                 _("Only a coordinator or a department head defines measures."))


def _managers_only(measure_id: int) -> None:
    rules.ensure_manage_in(current_user, _measure(measure_id).department_id)


@bp.route("/")
class Measures(MethodView):
    """The measures the caller may read."""

    @list_of(bp, MeasureListArgs, MeasureSchema)
    def get(self, args):
        """List measures, filtered by department, process, code and whether still recorded,
        sorted by code (cursor pages, `Link` header)."""
        stmt = rules.visible_measures(current_user, select(Measure))
        if args["department"] is not None:
            stmt = stmt.where(Measure.process_id.in_(select(Process.id).where(
                Process.department_id == args["department"])))
        for name, column in (("process", Measure.process_id), ("code", Measure.code),
                             ("active", Measure.active)):
            if args[name] is not None:
                stmt = stmt.where(column == args[name])
        return sorted_page(stmt, {"code": Measure.code}, Measure.id, args)

    @rules_first(_creators_only)
    @bp.arguments(MeasureCreate)
    @bp.response(201, MeasureSchema, headers=versions.ETAG_HEADER)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def post(self, given: dict):
        """Define a measure of a process, as a coordinator or the head of the process's
        department does on the new measure page; a code taken, a process of another
        department or a first period of another frequency is refused at its field."""
        measure = services.create_measure(current_user, **{
            "name_en": "", "unit": "", "recorder_id": None, "ratio": False,
            "customer_feedback": False, "active": True, **given})
        return measure, 201, {"ETag": versions.etag_of(measure)}


@bp.route("/<int:measure_id>")
class MeasureOne(MethodView):
    """One measure."""

    @versions.read_one(bp, MeasureSchema)
    def get(self, measure_id: int):
        """Read a measure: its definition, target and frequency, with its ETag."""
        return versions.with_etag(_measure(measure_id))

    @rules_first(_managers_only)
    @bp.arguments(MeasureChange)
    @versions.write_one(bp, MeasureSchema)
    def patch(self, change: dict, measure_id: int):
        """Change a measure's definition as its edit page does (the fields sent; the rest
        stays). A new target judges the values recorded from now on; once values are
        recorded, the frequency and whether it is a ratio stay."""
        measure = _measure(measure_id, for_update=True)
        rules.ensure_manage_in(current_user, measure.department_id)
        expected = versions.require_match(measure)
        # The page's form sends every field: what the change leaves out stays as it is.
        now = {name: getattr(measure, name) for name in FIELDS}
        services.update_measure(current_user, measure, expected, **{**now, **change})
        return versions.with_etag(measure)


def _recorders_only(measure_id: int) -> None:
    rules.ensure_record(current_user, _measure(measure_id))


@bp.route("/<int:measure_id>/values/")
class Values(MethodView):
    """A measure's values."""

    @list_of(bp, ValueListArgs, ValueSchema, 404)
    def get(self, args, measure_id: int):
        """List the values recorded, in period order (cursor pages, `Link` header)."""
        stmt = select(MeasureValue).where(MeasureValue.measure_id == _measure(measure_id).id)
        return sorted_page(stmt, {"period_start": MeasureValue.period_start},
                           MeasureValue.id, args)

    @rules_first(_recorders_only)
    @bp.arguments(ValueRecord)
    @versions.creates(bp, ValueSchema)
    def post(self, given: dict, measure_id: int):
        """Record the value of one period, as the measure's recorder, the head of its
        department or a coordinator does on its page: a figure, or for a ratio measure the
        dossiers received and settled on time. A period already recorded is refused at
        `period`; a value that misses the target is marked and announced."""
        measure = _measure(measure_id, for_update=True)
        value = services.record_value(current_user, measure, today=clock.today(), **given)
        return value, 201


@bp.route("/<int:measure_id>/values/<int:value_id>")
class ValueOne(MethodView):
    """One value."""

    @bp.response(200, ValueSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def get(self, measure_id: int, value_id: int):
        """Read one value, with the corrective action raised for it, if any."""
        return services.get_value(_measure(measure_id), value_id)


@bp.route("/<int:measure_id>/values/with-evidence")
class ValueWithEvidence(MethodView):
    """A value recorded with its evidence file."""

    @rules_first(_recorders_only)
    @bp.arguments(ValueRecordWithFile, location="form_and_files")
    @versions.creates(bp, ValueSchema)
    def post(self, form: dict, measure_id: int):
        """Record the value of one period with its evidence file, as the measure's page
        does: a multipart form; the file is checked by its content and stored by hash, as
        the page's upload is (a file refused is a 400 at `file`)."""
        upload = form.pop("file")
        if not isinstance(upload, FileStorage) or not upload.filename:
            raise DomainError(_("Choose a file."), field="file")  # a text field, not a file
        measure = _measure(measure_id, for_update=True)
        value = services.record_value(current_user, measure, today=clock.today(), **form,
                                      stream=upload.stream, filename=upload.filename)
        return value, 201
