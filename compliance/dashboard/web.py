"""The home page: what waits for me now (and, for coordinators, for each department)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.permissions import roles_of
from compliance.core import clock
from compliance.core.errors import PermissionDenied
from compliance.dashboard import figures, queries, rules, totals
from compliance.dashboard.labels import KINDS
from compliance.documents import rules as document_rules
from compliance.quality.objectives import queries as objective_queries
from compliance.quality.objectives import rules as objective_rules
from compliance.scope import announcements
from compliance.scope import rules as scope_rules

bp = Blueprint("dashboard", __name__)

# Which page each kind of work opens, and the name of the record's id in its URL.
LINKS = {
    "approve": ("documents.detail", "document_id"),
    "review": ("documents.detail", "document_id"),
    "read": ("documents.detail", "document_id"),
    "contain": ("capa.detail", "ca_id"),
    "action": ("capa.detail", "ca_id"),
    "check": ("capa.detail", "ca_id"),
    "audit": ("audits.conduct.detail", "audit_id"),
    "finding": ("audits.conduct.detail", "audit_id"),
    # A list page of one's own: the item is an anchor on it.
    "recall": ("documents.reading.old_copies", None),
    "objective": ("quality.objectives.detail", "objective_id"),
}
ANCHORS = {"finding": lambda item: "findings", "recall": lambda item: f"copy-{item.ref}"}
# The register each count opens, filtered where it can be (overdue ones, where the register
# filters them); None: the list on this page is the only list of them.
REGISTERS = {
    "approve": None,
    "review": ("documents.reading.reviews_due", {}),
    "read": ("documents.reading.to_read", {}),
    "contain": ("capa.register", {"overdue": "1"}),
    "action": ("capa.register", {"overdue": "1"}),
    "check": ("capa.register", {"overdue": "1"}),
    "audit": ("audits.index", {}),
    "finding": ("audits.index", {}),
    "recall": ("documents.reading.old_copies", {}),
    "objective": ("quality.objectives.index", {}),
}


def count_link(kind: str, overdue: bool) -> str:
    """Where a count opens: its register (only the overdue ones when some are and the
    register filters them), else its list on this page."""
    target = REGISTERS.get(kind)
    if target is None:
        return f"#work-{kind}"
    endpoint, when_overdue = target
    return url_for(endpoint, **(when_overdue if overdue else {}))


def grid_link(department_id: int, column: str, today: date) -> str:
    """Where a cell of the grid opens: the register filtered to the department's late ones."""
    if column == "reviews_overdue":
        return url_for("documents.register", department=department_id, status="effective",
                       review_before=(today - timedelta(days=1)).isoformat(), sort="review")
    if column == "actions_overdue":
        return url_for("capa.register", department=department_id, overdue="1")
    if column == "findings_open":
        return url_for("audits.index")
    return url_for("org.department", department_id=department_id)


def link(item: queries.Item) -> str:
    """Where an item of work opens."""
    endpoint, argument = LINKS[item.kind]
    values = {argument: item.ref} if argument else {}
    if item.kind in ANCHORS:
        values["_anchor"] = ANCHORS[item.kind](item)
    return url_for(endpoint, **values)


@bp.get("/")
@login_required
def home():
    """My work: what is overdue first, counts per kind opening their registers; the grid of
    departments needing attention for coordinators (every department) and heads (theirs)."""
    today = clock.today()
    work = queries.my_work(current_user, today, str(get_locale()))
    scope = rules.monitored_departments(current_user)
    grid = totals.attention_grid(current_user, today, scope) if scope != set() else None
    order = sorted(KINDS, key=lambda kind: not work.overdue(kind))
    return render_template("dashboard/home.html", work=work, kinds=KINDS, today=today,
                           link=link, count_link=count_link, order=order, grid=grid,
                           grid_columns=totals.GRID, grid_link=grid_link,
                           levels=(totals.NONE, totals.SOON, totals.OVERDUE),
                           everywhere=scope is None,
                           **_policy(), monitors=rules.may_monitor(current_user),
                           announcement_due=scope_rules.may_manage_scope(current_user)
                           and announcements.new_announcement_due(current_user),
                           roles=sorted(roles_of(current_user)),
                           memberships=sorted(current_user.memberships,
                                              key=lambda m: m.department.code))


def _policy() -> dict:
    """The quality policy in force, where this reader opens it, and whether to say that none
    is in force."""
    policy = objective_queries.policy_in_force()
    where = None
    if policy is not None and document_rules.may_read(current_user, policy.document,
                                                      policy.revision):
        where = url_for("documents.detail", document_id=policy.document.id)
    elif policy is not None and policy.document.is_public:
        where = url_for("public.download", code=policy.document.code)
    return {"policy": policy, "policy_link": where,
            "policy_missing_notice": objective_rules.may_see_policy_missing(current_user)}


@bp.get("/monitoring")
@login_required
def monitoring():
    """The monitoring dashboard (9.1.3): charts for every department, or for those headed."""
    scope = rules.monitored_departments(current_user)
    if scope == set():
        raise PermissionDenied(_("The monitoring dashboard is for coordinators and "
                                 "department heads."))
    today = clock.today()
    locale = str(get_locale())
    measure_charts, measures_note = figures.measures(current_user, date(today.year, 1, 1),
                                                     today, scope, locale)
    return render_template("dashboard/monitoring.html", today=today, year=today.year,
                           charts=figures.dashboard(current_user, today, scope, locale),
                           measure_charts=measure_charts, measures_note=measures_note,
                           everywhere=scope is None)


def register(app) -> None:
    """Mount this domain's pages and tell the menu whether to offer the monitoring page."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {"may_monitor": lambda: rules.may_monitor(current_user)})
