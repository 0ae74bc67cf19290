"""The overseer's pages (endpoints `oversight.*`): the overview of the organisations below
their grants, and each one's records, read-only; and, for an organisation's administrator,
who oversees it. Only GET pages here: oversight has no way to write."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from compliance.audits.labels import STATE_LABELS as AUDIT_STATES
from compliance.audits.models import Audit
from compliance.auth.web import menu
from compliance.capa.labels import ACTION_LABELS as ACTION_STATES
from compliance.capa.labels import STATE_LABELS as CA_STATES
from compliance.capa.models import CorrectiveAction
from compliance.core import clock, tenancy
from compliance.core.extensions import db, login_manager
from compliance.core.kept import kept
from compliance.core.locale import format_day
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
    # An organisation the reader does not oversee is not confirmed to exist.
    found = _overseen(organisation_id)
    today = clock.today()
    with tenancy.acting_for(organisation_id):
        records = _records(organisation_id, today)
    row = oversight.overview({organisation_id}, today)[0]
    return render_template("oversight/organisation.html", organisation=found, row=row,
                           today=today, labels=_labels(), **records)


def _overseen(organisation_id: int):
    """The overseen organisation named by the URL (404 unless the reader oversees it)."""
    rules.ensure(rules.may_oversee(current_user, organisation_id,
                                   oversight.overseen_ids(current_user)), hide=True)
    return services.get_organisation(organisation_id)


def _record_page(organisation, title: str, fields: list, sections: list):
    # One read-only page for every kind of record: no form, no button, nothing to post.
    return render_template("oversight/record.html", organisation=organisation, title=title,
                           fields=fields, sections=sections, locale=str(get_locale()))


@bp.get("/<int:organisation_id>/documents/<int:document_id>")
def document(organisation_id: int, document_id: int):
    """One document of an overseen organisation and its issued revisions, read-only."""
    if (refused := _signed_in()) is not None:
        return refused
    found = _overseen(organisation_id)
    record = oversight.overseen_record(Document, organisation_id, document_id)
    locale = str(get_locale())
    issued = [r for r in record.revisions if r.status != "draft"]
    return _record_page(found, f"{record.code} {record.title(locale)}", [
        (_("Department"), record.department.name(locale)),
        (_("Owner"), record.owner.name if record.owner else "—"),
        (_("Status"), DOCUMENT_STATES[record.status]),
        (_("Next review"), format_day(record.next_review_date) or "—")], [
        (_("Revisions"), (_("Revision"), _("Status"), _("Effective date")),
         [(r.label, DOCUMENT_STATES.get(r.status, r.status), format_day(r.effective_date) or "—")
          for r in issued])])


@bp.get("/<int:organisation_id>/audits/<int:audit_id>")
def audit(organisation_id: int, audit_id: int):
    """One audit of an overseen organisation and its findings, read-only."""
    if (refused := _signed_in()) is not None:
        return refused
    found = _overseen(organisation_id)
    record = oversight.overseen_record(Audit, organisation_id, audit_id)
    locale = str(get_locale())
    return _record_page(found, record.reference, [
        (_("Department"), record.department.name(locale)),
        (_("Lead auditor"), record.lead_auditor.name if record.lead_auditor else "—"),
        (_("Planned start"), format_day(record.planned_start)),
        (_("Planned end"), format_day(record.planned_end)),
        (_("Status"), AUDIT_STATES[record.status])], [
        (_("Findings"), (_("Reference"), _("Grade"), _("Description")),
         [(f.reference, f.grade_rule.name(locale), f.description) for f in record.findings])])


@bp.get("/<int:organisation_id>/corrective-actions/<int:ca_id>")
def corrective_action(organisation_id: int, ca_id: int):
    """One corrective action of an overseen organisation and its action plan, read-only."""
    if (refused := _signed_in()) is not None:
        return refused
    found = _overseen(organisation_id)
    record = oversight.overseen_record(CorrectiveAction, organisation_id, ca_id)
    locale = str(get_locale())
    return _record_page(found, record.reference, [
        (_("Department"), record.department.name(locale)),
        (_("Problem"), record.problem),
        (_("Status"), CA_STATES[record.status]),
        (_("Target date"), format_day(record.target_on) or "—")], [
        (_("Actions"), (_("Description"), _("Due date"), _("Status")),
         [(a.description, format_day(a.due_on), ACTION_STATES.get(a.status, a.status))
          for a in record.actions])])


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
    return kept("above_organisations", (current_user.id, menu.reader_key(current_user)),
                _above_organisations)


def _above_organisations() -> frozenset[str]:
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
