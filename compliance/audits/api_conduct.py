"""Conducting an audit under /api/v1/audits, beside its resources (audits.api): starting it
(the checklist is built), its opening and closing meetings, the evidence of a checklist item
(a controlled document's revision in force, or a file), the department's answer to a finding
and the closure of a reported audit, as the audit's page does."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from compliance.api import json_errors, versions
from compliance.api.guards import rules_first
from compliance.api.multipart import Blueprint
from compliance.api.pages import PageArgs, keyset_page, list_of
from compliance.audits import rules
from compliance.audits.api import audit_for, conductors_only
from compliance.audits.models import Audit, Evidence
from compliance.audits.schemas import (
    AuditSchema,
    DocumentEvidence,
    DueChange,
    EvidenceSchema,
    FileEvidence,
    FindingResponse,
    FindingSchema,
    MeetingRecord,
)
from compliance.audits.services import conduct, findings
from compliance.core import clock
from compliance.core.errors import DomainError

bp = Blueprint("api_audit_conduct", __name__, url_prefix="/audits",
               description="Conducting an internal audit: its start, meetings and evidence.")
json_errors(bp)


def _conducted(audit_id: int) -> Audit:
    """The audit locked for a step of its auditors, its ETag matched (412, 428)."""
    audit = audit_for(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    versions.require_match(audit)
    return audit


@bp.route("/<int:audit_id>/start")
class Start(MethodView):
    """planned → in progress."""

    @rules_first(conductors_only)
    @versions.write_one(bp, AuditSchema)
    def post(self, audit_id: int):
        """Start the audit, as its page's button does: the checklist is built from the
        clauses in scope (the audit's ETag in If-Match)."""
        audit = _conducted(audit_id)
        conduct.start_audit(current_user, audit)
        return versions.with_etag(audit)


def _closers_only(audit_id: int) -> None:
    rules.ensure(rules.may_close(current_user, audit_for(audit_id)))


@bp.route("/<int:audit_id>/close")
class Close(MethodView):
    """reported → closed."""

    @rules_first(_closers_only)
    @versions.write_one(bp, AuditSchema)
    def post(self, audit_id: int):
        """Close a reported audit, as a coordinator does on its page (the audit's ETag in
        If-Match)."""
        audit = audit_for(audit_id, for_update=True)
        rules.ensure(rules.may_close(current_user, audit))
        versions.require_match(audit)
        conduct.close_audit(current_user, audit)
        return versions.with_etag(audit)


def _responders_only(audit_id: int, **_ids) -> None:
    rules.ensure(rules.may_respond(current_user, audit_for(audit_id)),
                 _("Only the head of the audited department answers its findings."))


@bp.route("/<int:audit_id>/findings/<int:finding_id>/response")
class Answer(MethodView):
    """The audited department's answer to a finding."""

    @rules_first(_responders_only)
    @bp.arguments(FindingResponse)
    @versions.write_one(bp, FindingSchema)
    def post(self, answer: dict, audit_id: int, finding_id: int):
        """Answer a finding of the signed report, once, as the head of the audited
        department does on the audit's page (the finding's ETag in If-Match)."""
        audit = audit_for(audit_id, for_update=True)
        _responders_only(audit_id)
        finding = findings.get_finding(audit, finding_id)
        versions.require_match(finding)
        return versions.with_etag(findings.respond(current_user, audit, finding, **answer))


def _due_setters_only(audit_id: int, **_ids) -> None:
    rules.ensure(rules.may_set_due(current_user, audit_for(audit_id)),
                 _("Only the auditors assigned to this audit can record it."))


@bp.route("/<int:audit_id>/findings/<int:finding_id>/due")
class Due(MethodView):
    """The date a finding must be answered by."""

    @rules_first(_due_setters_only)
    @bp.arguments(DueChange)
    @versions.write_one(bp, FindingSchema)
    def put(self, due: dict, audit_id: int, finding_id: int):
        """Set or move the date a finding must be answered by, as the audit's auditors or
        a coordinator do on its page (the finding's ETag in If-Match), until it is
        answered."""
        audit = audit_for(audit_id, for_update=True)
        finding = findings.get_finding(audit, finding_id)
        expected = versions.require_match(finding)
        findings.set_response_due(current_user, audit, finding, expected_version=expected,
                                  due_on=due["response_due_on"], today=clock.today())
        return versions.with_etag(finding)


@bp.route("/<int:audit_id>/meetings/<any(opening, closing):which>")
class Meeting(MethodView):
    """The opening or the closing meeting."""

    @rules_first(conductors_only)
    @bp.arguments(MeetingRecord)
    @versions.write_one(bp, AuditSchema)
    def put(self, meeting: dict, audit_id: int, which: str):
        """Record when the meeting was held and who attended, as the page's meeting form
        does (the audit's ETag in If-Match); until the audit is closed."""
        audit = _conducted(audit_id)
        held_at = meeting["held_at"]
        if held_at.tzinfo is None:  # as on the page: the organisation's wall-clock time
            held_at = held_at.replace(tzinfo=clock.zone())
        conduct.record_meeting(current_user, audit, which, held_at, meeting["attendees"])
        return versions.with_etag(audit)


def _item(audit_id: int, item_id: int, for_update: bool = False):
    audit = audit_for(audit_id, for_update=for_update)
    return audit, conduct.get_item(audit, item_id)


@bp.route("/<int:audit_id>/items/<int:item_id>/evidence/")
class EvidenceList(MethodView):
    """What the auditors saw for a checklist item."""

    @list_of(bp, PageArgs, EvidenceSchema, 404)
    def get(self, args, audit_id: int, item_id: int):
        """List the item's evidence, in the order it was added."""
        _audit, item = _item(audit_id, item_id)
        return keyset_page(select(Evidence).where(Evidence.item_id == item.id), Evidence.id,
                           args)


@bp.route("/<int:audit_id>/items/<int:item_id>/evidence/documents")
class DocumentEvidenceView(MethodView):
    """A controlled document as evidence."""

    @rules_first(conductors_only)
    @bp.arguments(DocumentEvidence)
    @versions.creates(bp, EvidenceSchema)
    def post(self, given: dict, audit_id: int, item_id: int):
        """Link the revision in force of a controlled document to the item, as the page
        does (while the audit is in progress)."""
        audit, item = _item(audit_id, item_id, for_update=True)
        rules.ensure_conduct(current_user, audit)
        return conduct.add_document_evidence(current_user, audit, item,
                                             given["document_id"]), 201


@bp.route("/<int:audit_id>/items/<int:item_id>/evidence/files")
class FileEvidenceView(MethodView):
    """An evidence file."""

    @rules_first(conductors_only)
    @bp.arguments(FileEvidence, location="form_and_files")
    @versions.creates(bp, EvidenceSchema)
    def post(self, form: dict, audit_id: int, item_id: int):
        """Upload an evidence file for the item, checked by its content and stored by hash
        as the page's upload is (while the audit is in progress)."""
        audit, item = _item(audit_id, item_id, for_update=True)
        rules.ensure_conduct(current_user, audit)
        upload = form["file"]
        if not isinstance(upload, FileStorage):  # a text field named file, not a file
            raise DomainError(_("Choose a file."), field="file")
        return conduct.add_file_evidence(current_user, audit, item, upload.stream,
                                         upload.filename or ""), 201
