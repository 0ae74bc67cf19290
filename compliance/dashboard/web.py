"""The home page: what waits for me now (and, for coordinators, for each department)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from compliance.auth.permissions import roles_of
from compliance.core import clock
from compliance.dashboard import queries, rules, totals
from compliance.dashboard.labels import KINDS

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
}
ANCHORS = {"finding": lambda item: "findings", "recall": lambda item: f"copy-{item.ref}"}


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
    """My work: counts per kind, overdue first; department totals for coordinators."""
    today = clock.today()
    work = queries.my_work(current_user, today, str(get_locale()))
    departments = totals.per_department(today, clock.utcnow()) \
        if rules.may_see_departments(current_user) else None
    return render_template("dashboard/home.html", work=work, kinds=KINDS, today=today,
                           link=link, departments=departments, figures=totals.FIGURES,
                           roles=sorted(roles_of(current_user)),
                           memberships=sorted(current_user.memberships,
                                              key=lambda m: m.department.code))


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
