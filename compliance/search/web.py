"""The blueprint `search`: one results page for the navigation bar's search box."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from compliance.search import queries
from compliance.search.labels import KINDS

bp = Blueprint("search", __name__)
MAX_QUERY = 200

# Which page each kind of hit opens, and the name of the record's id in its URL.
LINKS = {
    "document": ("documents.detail", "document_id"),
    "audit": ("audits.conduct.detail", "audit_id"),
    "corrective_action": ("capa.detail", "ca_id"),
    "process": ("org.process", "process_id"),
    "person": ("auth.users.detail", "user_id"),
}


def link(hit: queries.Hit) -> str:
    """Where a hit opens: its record's page (a finding: its row on the audit's page)."""
    if hit.kind == "finding":
        return url_for("audits.conduct.detail", audit_id=hit.parent, _anchor=f"finding-{hit.ref}")
    endpoint, argument = LINKS[hit.kind]
    return url_for(endpoint, **{argument: hit.ref})


def more_link(group: queries.Group, query: str) -> str | None:
    """The full list of a group that has more hits than the page shows, where one exists."""
    if group.kind == "document" and group.total > len(group.hits):
        return url_for("documents.register", q=query)
    return None


@bp.get("/search", endpoint="results")
@login_required
def results():
    """What matches the words typed, grouped by kind, each kind as its rules allow."""
    query = " ".join((request.args.get("q") or "").split())[:MAX_QUERY]
    found = queries.search(current_user, query, str(get_locale())) if query else None
    return render_template("search/results.html", query=query, found=found, kinds=KINDS,
                           link=link, more_link=more_link, per_kind=queries.PER_KIND)


def register(app) -> None:
    """Mount the search page."""
    app.register_blueprint(bp)
