"""Internal audits under /api/v1: programmes, audits (filters, sort, keyset cursor), their
checklists (a result recorded with If-Match) and findings (raised as on the audit's page).
Signing the report stays on the page: the API refuses it with a link there."""

from __future__ import annotations

import hashlib
from datetime import date

from flask import url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.api import BEARER, json_errors, versions
from compliance.api.guards import on_its_page, refuse_here, rules_first, visible_one
from compliance.api.pages import PageArgs, keyset_page, list_of, sorted_page
from compliance.audits import rules, services
from compliance.audits.models import Audit, AuditProgramme, ChecklistItem, Finding
from compliance.audits.schemas import (
    AuditListArgs,
    AuditSchema,
    FindingListArgs,
    FindingRaise,
    FindingSchema,
    ItemAdd,
    ItemListArgs,
    ItemSchema,
    ProgrammeSchema,
    ResultChange,
)
from compliance.audits.services import conduct
from compliance.core import tenancy
from compliance.core.extensions import db

programmes = Blueprint("api_audit_programmes", __name__, url_prefix="/audit-programmes",
                       description="Audit programmes: the plans of internal audits (9.2).")
json_errors(programmes)
bp = Blueprint("api_audits", __name__, url_prefix="/audits",
               description="Internal audits (9.2), their checklists and findings.")
json_errors(bp)
findings = Blueprint("api_findings", __name__, url_prefix="/findings",
                     description="Findings of internal audits, across audits.")
json_errors(findings)


def _programmes():
    rules.ensure(rules.may_read_programmes(current_user))
    return tenancy.in_organisation(current_user, select(AuditProgramme), AuditProgramme)


@programmes.route("/")
class Programmes(MethodView):
    """The programmes (auditors and coordinators, as the programme pages)."""

    @list_of(programmes, PageArgs, ProgrammeSchema, 403)
    def get(self, args):
        """List the audit programmes, by id (cursor pages, `Link` header)."""
        return keyset_page(_programmes(), AuditProgramme.id, args)


@programmes.route("/<int:programme_id>")
class ProgrammeOne(MethodView):
    """One programme."""

    @versions.read_one(programmes, ProgrammeSchema)
    def get(self, programme_id: int):
        """Read a programme, with its ETag."""
        return versions.with_etag(visible_one(
            _programmes().where(AuditProgramme.id == programme_id),
            _("No such audit programme.")))


def audit_for(audit_id: int, for_update: bool = False) -> Audit:
    """An audit the caller may read (404 for one they may not know of)."""
    found = visible_one(rules.visible_audits(current_user, select(Audit).where(
        Audit.id == audit_id)), _("No such audit."))
    return services.get_audit(audit_id, for_update=True) if for_update else found


def _listed(stmt):
    """The statement, unless the caller takes no part in audits at all (the list page's
    refusal)."""
    rules.ensure(rules.may_list(current_user) or db.session.scalar(select(stmt.exists())),
                 _("You do not take part in internal audits."))
    return stmt


@bp.route("/")
class Audits(MethodView):
    """The audits the caller may read."""

    @list_of(bp, AuditListArgs, AuditSchema, 403)
    def get(self, args):
        """List audits, filtered by department, programme, state and year, sorted (cursor
        pages, `Link` header)."""
        stmt = rules.visible_audits(current_user, select(Audit).options(
            selectinload(Audit.team), selectinload(Audit.clauses),
            selectinload(Audit.processes)))
        for name, column in (("department", Audit.department_id),
                             ("programme", Audit.programme_id), ("status", Audit.status)):
            if args[name] is not None:
                stmt = stmt.where(column == args[name])
        if args["year"]:
            stmt = stmt.where(Audit.planned_start >= date(args["year"], 1, 1),
                              Audit.planned_start <= date(args["year"], 12, 31))
        sorts = {"planned_start": Audit.planned_start, "reference": Audit.reference,
                 "status": Audit.status}
        return sorted_page(_listed(stmt), sorts, Audit.id, args)


@bp.route("/<int:audit_id>")
class AuditOne(MethodView):
    """One audit."""

    @versions.read_one(bp, AuditSchema)
    def get(self, audit_id: int):
        """Read an audit, with its ETag."""
        return versions.with_etag(audit_for(audit_id))


def _item_state(item: ChecklistItem) -> tuple:
    # An item has no version counter: its result, who gave it and its notes stand in.
    notes = hashlib.sha256(item.notes.encode()).hexdigest()[:12]
    return item.result or "open", item.answered_by_id or 0, notes


def conductors_only(audit_id: int, **_ids) -> None:
    """Refuse (403, 404) whoever may not record the audit, before its body is read."""
    rules.ensure_conduct(current_user, audit_for(audit_id))


@bp.route("/<int:audit_id>/items/")
class Items(MethodView):
    """An audit's checklist."""

    @list_of(bp, ItemListArgs, ItemSchema, 404)
    def get(self, args, audit_id: int):
        """List the checklist items and their results, in the checklist's order."""
        stmt = select(ChecklistItem).where(ChecklistItem.audit_id == audit_for(audit_id).id)
        return sorted_page(stmt, {"position": ChecklistItem.position}, ChecklistItem.id, args)

    @rules_first(conductors_only)
    @bp.arguments(ItemAdd)
    @bp.response(201, ItemSchema, headers=versions.ETAG_HEADER)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def post(self, added: dict, audit_id: int):
        """Add a question to the checklist by hand (on one of the audit's clauses, or
        none), as the audit's page does while the audit is in progress."""
        audit = audit_for(audit_id, for_update=True)
        item = conduct.add_item(current_user, audit, added["clause_id"], added["question_vi"],
                                added["question_en"])
        return item, 201, {"ETag": versions.etag_of(item, _item_state(item))}


@bp.route("/<int:audit_id>/items/<int:item_id>")
class ItemOne(MethodView):
    """One checklist item."""

    @versions.read_one(bp, ItemSchema)
    def get(self, audit_id: int, item_id: int):
        """Read a checklist item, with its ETag (send it back to record its result)."""
        item = conduct.get_item(audit_for(audit_id), item_id)
        return versions.with_etag(item, state=_item_state(item))


@bp.route("/<int:audit_id>/items/<int:item_id>/result")
class Result(MethodView):
    """The verdict on a checklist item."""

    @rules_first(conductors_only)
    @bp.arguments(ResultChange)
    @versions.write_one(bp, ItemSchema)
    def put(self, change: dict, audit_id: int, item_id: int):
        """Record the result of a checklist item as the audit's page does (the item's ETag
        in If-Match); only while the audit is in progress."""
        audit = audit_for(audit_id, for_update=True)
        rules.ensure_conduct(current_user, audit)
        item = conduct.get_item(audit, item_id)
        versions.require_match(item, _item_state(item))
        conduct.record_result(current_user, audit, item, change["result"], change["notes"])
        return versions.with_etag(item, state=_item_state(item))


@bp.route("/<int:audit_id>/findings/")
class RaiseFinding(MethodView):
    """A new finding of the audit."""

    @rules_first(conductors_only)
    @bp.arguments(FindingRaise)
    @bp.response(201, FindingSchema, headers=versions.ETAG_HEADER)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def post(self, raised: dict, audit_id: int):
        """Raise a graded finding as the audit's page does; one whose grade calls for it
        opens a corrective action."""
        audit = audit_for(audit_id, for_update=True)
        rules.ensure_conduct(current_user, audit)
        finding = conduct.raise_finding(current_user, audit, **raised)
        return finding, 201, {"ETag": versions.etag_of(finding)}


@bp.route("/<int:audit_id>/report/sign")
class SignReport(MethodView):
    """Signing the report, which the API never does."""

    @on_its_page(bp, "the lead auditor signs")
    def post(self, audit_id: int):
        """Refused: the report is signed by the lead auditor, with their password again,
        on the audit's page."""
        link = url_for("audits.conduct.detail", audit_id=audit_for(audit_id).id, _external=True)
        refuse_here(_("An audit report is signed by its lead auditor on the audit's page, "
                      "with their password again."), link)


def _findings():
    return rules.visible_audits(current_user, select(Finding).join(
        Audit, Audit.id == Finding.audit_id))


@findings.route("/")
class Findings(MethodView):
    """The findings of the audits the caller may read."""

    @list_of(findings, FindingListArgs, FindingSchema, 403)
    def get(self, args):
        """List findings, filtered by audit, department, grade and whether answered, sorted
        (cursor pages, `Link` header)."""
        stmt = _findings()
        for name, column in (("audit", Finding.audit_id), ("department", Audit.department_id),
                             ("grade", Finding.grade)):
            if args[name] is not None:
                stmt = stmt.where(column == args[name])
        if args["answered"] is not None:
            answered = Finding.responded_at.is_not(None)
            stmt = stmt.where(answered if args["answered"] else ~answered)
        sorts = {"created_at": Finding.created_at, "grade": Finding.grade}
        return sorted_page(_listed(stmt), sorts, Finding.id, args)


@findings.route("/<int:finding_id>")
class FindingOne(MethodView):
    """One finding."""

    @versions.read_one(findings, FindingSchema)
    def get(self, finding_id: int):
        """Read a finding, with its ETag."""
        return versions.with_etag(visible_one(_findings().where(Finding.id == finding_id),
                                              _("No such finding.")))
