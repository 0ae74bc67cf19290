"""The department's quality page: the child blueprint `quality.overview` (/quality), the
place an auditor's "show me this department's objectives, how they are doing, and the risks
of its processes" is answered, with the way to the six-monthly report that prints it."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core import clock
from compliance.quality import overview
from compliance.quality.measures.labels import FREQUENCY_LABELS
from compliance.quality.objectives import rules as objective_rules
from compliance.quality.objectives.labels import STATUS_LABELS
from compliance.quality.risks.labels import KIND_LABELS, LEVEL_LABELS, STATE_LABELS
from compliance.reports import rules as report_rules

bp = Blueprint("overview", __name__, url_prefix="/quality")


def _year() -> int | None:
    year = request.args.get("year", type=int)
    return year if year is not None and 1900 <= year <= 9999 else None


@bp.get("/departments/<int:department_id>", endpoint="department")
@login_required
def department(department_id: int):
    """One department's objectives of a year with their progress, its measures, and the
    risks and opportunities of its processes."""
    objective_rules.ensure(overview.may_open(current_user, department_id),
                           _("You may not open this department's quality system."))
    today = clock.today()
    found = overview.department_overview(current_user, department_id, _year(), today)
    return render_template(
        "quality/department.html", overview=found, today=today,
        period=overview.half_year_code(found.year, today),
        may_report=report_rules.may_read_report(current_user, department_id),
        statuses=STATUS_LABELS, frequencies=FREQUENCY_LABELS, kinds=KIND_LABELS,
        states=STATE_LABELS, level_names=LEVEL_LABELS)
