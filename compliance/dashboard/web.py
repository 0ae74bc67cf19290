"""The home page: what waits for me now (and, for coordinators, for each department)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from compliance.auth.permissions import can, roles_of
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.dashboard import queries, totals

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def home():
    """My work: counts per kind, overdue first; department totals for coordinators."""
    today = clock.today()
    work = queries.my_work(current_user, today, str(get_locale()))
    departments = totals.per_department(today, utcnow()) \
        if can(current_user, "dashboard.departments") else None
    return render_template("dashboard/home.html", work=work, kinds=queries.KINDS, today=today,
                           departments=departments, figures=totals.FIGURES,
                           roles=sorted(roles_of(current_user)),
                           memberships=sorted(current_user.memberships,
                                              key=lambda m: m.department.code))


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
