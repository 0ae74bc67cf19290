"""The overseer's pages (endpoints `oversight.*`): the overview of the organisations below
their grants, and each one's records, read-only; and, for an organisation's administrator,
who oversees it. Only GET pages here: oversight has no way to write."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from compliance.audits.labels import STATE_LABELS as AUDIT_STATES
from compliance.audits.models import Audit
from compliance.capa.labels import STATE_LABELS as CA_STATES
from compliance.capa.models import CorrectiveAction
from compliance.core import clock, tenancy
from compliance.core.extensions import db, login_manager
from compliance.documents.labels import STATUS_LABELS as DOCUMENT_STATES
from compliance.documents.models import Document
from compliance.installation import oversight, rules, services
from compliance.installation.forms import GrantForm
from compliance.quality.objectives.labels import STATUS_LABELS as OBJECTIVE_STATES
from compliance.quality.objectives.models import Objective

bp = Blueprint("oversight", __name__, url_prefix="/oversight")
# Each list of an organisation's page shows at most this many rows (the overview has the
# totals; a district reads a commune's system, it does not page through it).
SHOWN = 200


def _signed_in():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


@bp.get("/")
def index():
    """One row of figures per organisation the reader oversees."""
    if (refused := _signed_in()) is not None:
        return refused
    ids = oversight.overseen_ids(current_user)
    rules.ensure(bool(ids))
    # Translated once, not once per row and status (a lazy string looks itself up each time).
    labels = {status: str(label) for status, label in OBJECTIVE_STATES.items()}
    return render_template("oversight/index.html", rows=oversight.overview(ids),
                           objective_labels=labels, year=clock.today().year)


@bp.get("/<int:organisation_id>/")
def organisation(organisation_id: int):
    """One overseen organisation's records, read-only."""
    if (refused := _signed_in()) is not None:
        return refused
    ids = oversight.overseen_ids(current_user)
    # An organisation the reader does not oversee is not confirmed to exist.
    rules.ensure(rules.may_oversee(current_user, organisation_id, ids), hide=True)
    found = services.get_organisation(organisation_id)
    today = clock.today()
    with tenancy.acting_for(organisation_id):
        records = _records(organisation_id, today)
    row = oversight.overview({organisation_id}, today)[0]
    return render_template("oversight/organisation.html", organisation=found, row=row,
                           today=today, labels=_labels(), **records)


def _records(organisation_id: int, today) -> dict:
    """The organisation's documents, audits, corrective actions and objectives."""
    def listed(stmt):
        return list(db.session.scalars(stmt.limit(SHOWN)))

    return {
        "documents": listed(select(Document).where(
            Document.organisation_id == organisation_id, Document.status != "draft")
            .order_by(Document.code)),
        "audits": listed(select(Audit).where(Audit.organisation_id == organisation_id)
                         .order_by(Audit.planned_start.desc())),
        "actions": listed(select(CorrectiveAction).where(
            CorrectiveAction.organisation_id == organisation_id)
            .order_by(CorrectiveAction.raised_on.desc())),
        "objectives": listed(select(Objective).where(
            Objective.organisation_id == organisation_id, Objective.year == today.year)
            .order_by(Objective.id)),
        "locale": str(get_locale()),
    }


def _labels() -> dict:
    return {"document": DOCUMENT_STATES, "audit": AUDIT_STATES, "action": CA_STATES,
            "objective": OBJECTIVE_STATES}


@bp.get("/grants")
def grants():
    """An organisation's administrator: who oversees their organisation and those below."""
    if (refused := _signed_in()) is not None:
        return refused
    own = services.get_organisation(current_user.organisation_id)
    rules.ensure(rules.may_grant_oversight(current_user, own))
    return render_template("oversight/grants.html", organisation=own,
                           grants=services.grants_of(own), grant_form=GrantForm(formdata=None))


def above_organisations() -> frozenset[str]:
    """What the navigation offers above the reader's organisation."""
    if not current_user.is_authenticated:
        return frozenset()
    found = set()
    if oversight.overseen_ids(current_user):
        found.add("oversee")
    if rules.is_installation_admin(current_user):
        found.add("installation")
    if "admin" in current_user.global_roles:
        found.add("grant")
    return frozenset(found)


def register(app) -> None:
    """Mount the overseer's pages."""
    app.register_blueprint(bp)
