"""The reports' PDFs under /api/v1/reports: the six-monthly report of the organisation or
of a department, and the management review's input pack, rendered as the report pages
render them (in Vietnamese in the state's format, or in English)."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from compliance.api import BEARER, json_errors
from compliance.api.pages import record_id
from compliance.core import clock
from compliance.reports import pdfs, queries, rollup, rules, services
from compliance.reports.labels import LANGUAGES
from compliance.reports.periods import parse_half_year, parse_period, previous_half_year

bp = Blueprint("api_reports", __name__, url_prefix="/reports",
               description="The six-monthly report and the management review's input pack, "
                           "as PDF.")
json_errors(bp)
PDF = {"type": "string", "format": "binary"}
LANGUAGE = fields.Str(load_default=None, validate=validate.OneOf(
    list(LANGUAGES), error=_l("Must be one of: {choices}.")), metadata={
    "description": "The PDF's language (by default the caller's)."})


class SixMonthlyArgs(Schema):
    """Whose half-year, which one, in which language."""

    department = record_id(metadata={"description": "A department's report; without it, "
                                                    "the whole organisation's."})
    period = fields.Str(load_default=None, validate=validate.Length(
        max=8, error=_l("Give at most {max} characters.")), metadata={
        "description": "The half-year, written 2026-H1 (by default the current one).",
        "example": "2026-H1"})
    lang = LANGUAGE


class InputPackArgs(Schema):
    """The period the review looks back on (by default the last half-year ended)."""

    start = fields.Date(load_default=None, metadata={"example": "2026-01-01"})
    end = fields.Date(load_default=None, metadata={"example": "2026-06-30"})
    lang = LANGUAGE


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


@bp.route("/six-monthly.pdf")
class SixMonthly(MethodView):
    """The six-monthly report."""

    @bp.arguments(SixMonthlyArgs, location="query")
    @bp.response(200, PDF, content_type="application/pdf",
                 description="The report, as the report page's PDF.")
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def get(self, args):
        """Download the six-monthly report of the organisation (with the organisations it
        oversees) or of a department, for those who read it on its page."""
        lang, today = args["lang"] or str(get_locale()), clock.today()
        period = parse_half_year(args["period"], today)
        department_id = args["department"]
        services.ensure_may_read_report(current_user, department_id)
        department = services.get_department(department_id) \
            if department_id is not None else None
        report = queries.six_monthly(period, department, today)
        below = rollup.below(current_user, report, today)
        scope = department.code if department else "org"
        return _pdf(pdfs.six_monthly(report, lang, below),
                    f"report-{scope}-{period.code}-{lang}")


@bp.route("/management-review-input.pdf")
class InputPack(MethodView):
    """The management review's input pack."""

    @bp.arguments(InputPackArgs, location="query")
    @bp.response(200, PDF, content_type="application/pdf",
                 description="The input pack (9.3.2), as the reviews page's PDF.")
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def get(self, args):
        """Download the management review's input pack for a period, for those who read
        management reviews."""
        rules.ensure(rules.may_read_reviews(current_user))
        lang, half = args["lang"] or str(get_locale()), previous_half_year(clock.today())
        period = parse_period(args["start"] or half.start, args["end"] or half.end)
        pack = queries.input_pack(period, clock.today())
        return _pdf(pdfs.input_pack(pack, lang, current_user.name),
                    f"management-review-input-{period.start}-{period.end}-{lang}")
